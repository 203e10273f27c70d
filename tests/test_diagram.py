"""The organisation chart as SVG: well-formed, accessible, laid out by level, nothing overlapping,
every mark the paper's structure needs (dormant, planned, uncertain), and highlights drawn."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.chart.text import text_width
from app.cli import main
from app.diagram import CHAIN_LEVELS, EDGE_STYLES, Highlight, diagram_svg, resolve_highlight
from app.questions.linkage import linkage
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.base import Store
from graph_schema.vocabulary import Condition, EdgeKind, Level, Nature

NS = "{http://www.w3.org/2000/svg}"
AUTH = frozenset({EdgeKind.AUTHORITY})

# Snapshots that exercise every part of the chart: the three structures in the paper's year, the
# U.S.-ROK history, plans, and both conditions.
CASES = [
    ("nato", 2009, None, False),
    ("us-japan", 2009, None, False),
    ("us-rok", 2009, None, False),
    ("us-rok", 1975, None, False),
    ("us-rok", 1985, Condition.ARMISTICE, False),
    ("us-rok", 1985, Condition.WARTIME, False),
    ("us-rok", 2000, Condition.ARMISTICE, False),
    ("us-rok", 2012, None, True),
    ("nato", 1960, None, False),
    ("us-japan", 1980, None, False),
]


def chart(
    store: Store, alliance: str, year: int | None, condition: Condition | None = None, planned: bool = False, **kw
):
    snap = store.snapshot(SnapshotParams(alliance, year, condition, planned))
    return ET.fromstring(diagram_svg(snap, **kw)), snap


def boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for g in root.iter(f"{NS}g"):
        if g.get("class", "").startswith("organ ") or g.get("class") == "organ":
            rect = g.find(f"{NS}rect")
            assert rect is not None
            out[g.get("data-id", "")] = tuple(float(rect.get(k, 0)) for k in ("x", "y", "width", "height"))
    return out


def text_extent(t: ET.Element) -> tuple[float, float, float, float]:
    """The box a <text> occupies, by the same metrics the chart was sized with."""
    size = float(t.get("font-size", 12))
    width = text_width(t.text or "", size, t.get("font-weight") == "bold")
    x, y = float(t.get("x", 0)), float(t.get("y", 0))
    anchor = t.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, y - size * 0.8, width, size


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


@pytest.mark.parametrize(("alliance", "year", "condition", "planned"), CASES)
def test_well_formed_accessible_and_nothing_overlaps(store: Store, alliance, year, condition, planned) -> None:
    root, snap = chart(store, alliance, year, condition, planned)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img" and root.get("aria-label")
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and desc is not None
    assert str(year) in (title.text or "") and snap.alliances[alliance].name in (title.text or "")
    assert (condition.value if condition else "armistice and wartime") in (title.text or "")
    assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}

    found = boxes(root)
    assert set(found) == set(snap.graph.nodes)
    for (a, ra), (b, rb) in itertools.combinations(found.items(), 2):
        assert not overlap(ra, rb), f"boxes of {a} and {b} overlap"

    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    for t in root.iter(f"{NS}text"):
        left, top, w, h = text_extent(t)
        assert left >= 0 and top >= 0 and left + w <= width and top + h <= height, f"text {t.text!r} off the canvas"


@pytest.mark.parametrize(("alliance", "year", "condition", "planned"), CASES[:4])
def test_labels_sit_inside_their_boxes(store: Store, alliance, year, condition, planned) -> None:
    root, _ = chart(store, alliance, year, condition, planned)
    for g in root.iter(f"{NS}g"):
        if "organ" not in g.get("class", "").split():
            continue
        rect = g.find(f"{NS}rect")
        assert rect is not None
        x, y, w, h = (float(rect.get(k, 0)) for k in ("x", "y", "width", "height"))
        for t in g.iter(f"{NS}text"):
            left, top, tw, th = text_extent(t)
            assert x <= left and left + tw <= x + w and y <= top and top + th <= y + h + 1, (g.get("data-id"), t.text)


def test_layers_by_level_and_side_band(store: Store) -> None:
    """Political at the top, then strategic, operational, component; staff, working,
    parliamentary and civil-society bodies in a band beside the chain."""
    root, snap = chart(store, "nato", 2009)
    found = boxes(root)
    centre = {i: r[1] + r[3] / 2 for i, r in found.items()}
    chain = {lv: [i for i in found if snap.organ(i).level is lv] for lv in CHAIN_LEVELS}
    for upper, lower in itertools.pairwise(CHAIN_LEVELS):
        assert max(centre[i] for i in chain[upper]) < min(centre[i] for i in chain[lower])
    side = [
        i
        for i in found
        if snap.organ(i).level in (Level.SUPPORT, Level.WORKING, Level.CIVIL_SOCIETY)
        or snap.organ(i).nature in (Nature.PARLIAMENTARY, Nature.NON_GOVERNMENTAL)
    ]
    assert "nato.national-parliaments" in side and "nato.pa" in side
    chain_right = max(found[i][0] + found[i][2] for lv in CHAIN_LEVELS for i in chain[lv] if i not in side)
    assert side and all(found[i][0] > chain_right for i in side)
    # "The NAC itself has a standing dedicated staff—the International Staff": beside the political row.
    assert abs(centre["nato.international-staff"] - centre["nato.nac"]) < 40


def drawn_kinds(root: ET.Element) -> set[str]:
    return {p.get("data-kind", "") for p in root.iter(f"{NS}path") if "edge" in p.get("class", "").split()}


def test_legend_names_natures_and_each_kind_drawn(store: Store) -> None:
    """Issue 23: the legend lists the kinds in the picture, in the table's order, and no other."""
    root, _ = chart(store, "us-rok", 1985, Condition.WARTIME)
    legend = next(g for g in root.iter(f"{NS}g") if g.get("class") == "legend")
    texts = [t.text or "" for t in legend.iter(f"{NS}text")]
    words = " ".join(texts)
    for word in ("civilian", "military", "parliamentary", "non-governmental", "dormant", "planned"):
        assert word in words
    captions = {EDGE_STYLES[kind].caption for kind in EdgeKind}
    drawn = drawn_kinds(root)
    assert drawn
    assert [t for t in texts if t in captions] == [EDGE_STYLES[k].caption for k in EdgeKind if k.value in drawn]


@pytest.mark.parametrize(
    ("alliance", "year"), [("us-rok", 1975), ("us-rok", 2009), ("us-japan", 2009), ("nato", 1960), ("nato", 2009)]
)
def test_a_kind_not_drawn_leaves_no_trace(store: Store, alliance: str, year: int) -> None:
    """Issue 23: legends list only the kinds present, so a kind no edge of the picture has (a kind
    added to the table, say) changes nothing: the chart asked for every kind is byte for byte the
    chart asked for the kinds it draws (header, description, markers and legend alike)."""
    snap = store.snapshot(SnapshotParams(alliance, year))
    every = diagram_svg(snap, ALL_KINDS)
    drawn = frozenset(EdgeKind(k) for k in drawn_kinds(ET.fromstring(every)))
    assert drawn
    assert diagram_svg(snap, drawn) == every


def test_some_chart_asked_for_every_kind_draws_fewer(store: Store) -> None:
    """The check above is not empty: U.S.-ROK in 1975 (the UNC years) draws no edge of some kind."""
    root, _ = chart(store, "us-rok", 1975)
    absent = {k.value for k in EdgeKind} - drawn_kinds(root)
    assert absent
    text = ET.tostring(root, encoding="unicode")
    for kind in absent:
        assert f"-m-{kind}" not in text and EDGE_STYLES[EdgeKind(kind)].caption not in text


def test_a_chart_without_edges_names_no_kind(store: Store) -> None:
    """ANZUS has no standing structure in the data, so its chart draws no edge: the subtitle says
    none, and the legend has no line of edge kinds."""
    snap = store.snapshot(SnapshotParams("anzus", 2009))
    assert not snap.edges()
    text = diagram_svg(snap, ALL_KINDS)
    assert "edges drawn: none" in text and ">Edges<" not in text and "-m-" not in text
    assert not any(EDGE_STYLES[kind].caption in text for kind in EdgeKind)


def test_each_edge_kind_drawn_its_own_way(store: Store) -> None:
    """Each kind drawn with its row of the table (graph_schema/edge_kinds.py): its colour and dash,
    a marker at the target end, and at both ends for a mutual kind; no two kinds alike."""
    root, _ = chart(store, "nato", 2009)
    looks = {}
    for p in root.iter(f"{NS}path"):
        if "edge" in p.get("class", "").split() and p.get("data-status") == "active":
            looks.setdefault(p.get("data-kind"), set()).add(
                (p.get("stroke"), p.get("stroke-dasharray"), p.get("marker-end"), p.get("marker-start"))
            )
    # "the very active and close linkage of the NAC to the MC": NATO draws authority and coordination.
    assert {"authority", "coordination"} <= set(looks)
    assert all(len(v) == 1 for v in looks.values())
    assert len({next(iter(v)) for v in looks.values()}) == len(looks)
    for name, ((stroke, dash, end, start),) in looks.items():
        kind = EdgeKind(name)
        assert (stroke, dash) == (kind.row.chart.colour, kind.row.chart.dash)
        assert end == f"url(#ae-m-{name})" and (start == end if kind.mutual else start is None)
    authority = next(iter(looks["authority"]))
    assert authority[1] is None and authority[2]  # solid, with an arrow
    coordination = next(iter(looks["coordination"]))
    assert coordination[2] and coordination[3]  # arrows both ways
    assert EDGE_STYLES[EdgeKind.ADVICE].dash


def test_dormant_organs_and_edges_marked(store: Store) -> None:
    """ "like the SSC, this group has lain dormant" — the SDC, greyed and hatched, labelled dormant."""
    root, _ = chart(store, "us-japan", 2009)
    sdc = next(g for g in root.iter(f"{NS}g") if g.get("data-id") == "us-japan.sdc")
    assert "status-dormant" in sdc.get("class", "")
    rect = sdc.find(f"{NS}rect")
    assert rect is not None and "hatch" in rect.get("fill", "")
    footer = next(t for t in sdc.iter(f"{NS}text") if "mark-dormant" in t.get("class", ""))
    assert "dormant" in (footer.text or "")
    dormant_edges = [p for p in root.iter(f"{NS}path") if p.get("data-status") == "dormant"]
    assert dormant_edges and all(p.get("stroke") == "#adb5bd" for p in dormant_edges)
    tags = [g for g in root.iter(f"{NS}g") if g.get("class") == "edge-tag"]
    assert any("dormant" in (t.text or "") for g in tags for t in g.iter(f"{NS}text"))


def test_planned_organs_marked(store: Store) -> None:
    """ "CFC will be deactivated in 2012 and replaced by an operational structure that puts a ROK
    commander in place as the warfighter" — a plan: dashed outline and the word planned."""
    root, _ = chart(store, "us-rok", 2012, planned=True)
    planned = [g for g in root.iter(f"{NS}g") if g.get("data-status") == "planned"]
    assert {g.get("data-id") for g in planned} >= {"us-rok.rok-warfighter", "us-rok.us-supporting-commander"}
    for g in planned:
        rect = g.find(f"{NS}rect")
        assert rect is not None and rect.get("stroke-dasharray")
        assert any("planned" in (t.text or "") for t in g.iter(f"{NS}text"))
    assert "us-rok.cfc" not in boxes(root)
    # Without plans asked for, neither the plan nor the deactivation shows.
    root, _ = chart(store, "us-rok", 2012)
    assert "us-rok.cfc" in boxes(root) and "us-rok.rok-warfighter" not in boxes(root)


def test_uncertain_start_marked(store: Store) -> None:
    """ "This mechanism was complemented later by the establishment of the Military Committee
    Meeting (MCM)" — no year printed: its start is written as the bound, EDTF [1969..], and in 1985
    it is drawn as possible (dotted outline), with the reason in its title."""
    root, _ = chart(store, "us-rok", 1985)
    mcm = next(g for g in root.iter(f"{NS}g") if g.get("data-id") == "us-rok.mcm")
    assert mcm.get("data-uncertain") == "true" and mcm.get("data-existence") == "possible"
    footer = next(t for t in mcm.iter(f"{NS}text") if "mark-uncertain" in t.get("class", ""))
    assert "[1969..]" in (footer.text or "") and "possible" in (footer.text or "")
    box = next(r for r in mcm.iter(f"{NS}rect") if "organ-box" in r.get("class", ""))
    assert box.get("stroke-dasharray") == "2 2"
    title = next(mcm.iter(f"{NS}title")).text or ""
    assert "possible in 1985" in title
    scm = next(g for g in root.iter(f"{NS}g") if g.get("data-id") == "us-rok.scm")
    assert scm.get("data-uncertain") == "false"


def test_highlight_path_drawn_over_the_chart(store: Store) -> None:
    path = ["us-rok.scm", "us-rok.mcm", "us-rok.commander-cfc"]
    root, _ = chart(store, "us-rok", 1985, highlight=path)
    group = next(g for g in root.iter(f"{NS}g") if g.get("class") == "highlight")
    assert group.get("data-organs", "").split() == path
    hops = [p for p in group.iter(f"{NS}path") if p.get("class") == "highlight-hop"]
    assert [(p.get("data-from"), p.get("data-to")) for p in hops] == list(itertools.pairwise(path))
    # each hop follows the drawn route of its edge
    drawn = {p.get("data-edge-id"): p.get("d") for p in root.iter(f"{NS}path") if p.get("data-edge-id")}
    assert all(p.get("d") == drawn[p.get("data-edge-id")] for p in hops)
    steps = [g.get("data-id") for g in root.iter(f"{NS}g") if g.get("class") == "step"]
    assert steps == path


def test_linkage_witness_drawn(store: Store) -> None:
    snap = store.snapshot(SnapshotParams("nato", 2009))
    result = linkage(snap, AUTH)
    root = ET.fromstring(diagram_svg(snap, ALL_KINDS, resolve_highlight(snap, "linkage", AUTH)))
    group = next(g for g in root.iter(f"{NS}g") if g.get("class") == "highlight")
    assert group.get("data-organs", "").split() == [o["id"] for o in result["witnesses"][0]["organs"]]


def test_linkage_break_drawn(store: Store) -> None:
    """U.S.-Japan: "the standing bilateral coordination structure essentially stops at the mid
    bureaucratic level" — by authority the SCC reaches no commander; the chart shows the reach,
    the commanders not reached, and the gap where only coordination runs."""
    snap = store.snapshot(SnapshotParams("us-japan", 2009))
    result = linkage(snap, AUTH)
    assert not result["linked"]
    h = Highlight.from_linkage(result)
    root = ET.fromstring(diagram_svg(snap, ALL_KINDS, h))
    marks = list(root.iter(f"{NS}rect"))
    unreached = {r.get("data-id") for r in marks if r.get("class") == "unreached-organ"}
    assert unreached == {o["id"] for o in result["operational_commanders"]}
    reach = {r.get("data-id") for r in marks if r.get("class") in ("reach-organ", "highlight-organ", "frontier-organ")}
    assert reach >= {o["id"] for o in result["break"]["civilian_reach"]}
    gaps = [g for g in root.iter(f"{NS}g") if g.get("class") == "gap"]
    assert [(g.get("data-from"), g.get("data-to")) for g in gaps] == [
        ("us-japan.bilateral-defense-planning", "japan.jsdf")
    ]
    label = next(t for t in gaps[0].iter(f"{NS}text") if t.get("class") == "gap-label")
    assert label.text == "gap: coordination only"
    assert any(g.get("class") == "frontier-tag" for g in root.iter(f"{NS}g"))


def test_kinds_filter_and_connected_only(store: Store) -> None:
    root, snap = chart(store, "us-japan", 2009, kinds=AUTH, connected_only=True)
    kinds = {p.get("data-kind") for p in root.iter(f"{NS}path") if p.get("data-kind")}
    assert kinds == {"authority"}
    shown = set(boxes(root))
    touched = {e.source for e in snap.edges(AUTH)} | {e.target for e in snap.edges(AUTH)}
    assert shown == touched


def test_same_input_same_bytes(store: Store) -> None:
    snap = store.snapshot(SnapshotParams("nato", 2009))
    assert diagram_svg(snap) == diagram_svg(snap)


# ------------------------------------------------------------------------------------ the API and CLI


def test_diagram_endpoint(client) -> None:
    r = client.get("/alliances/us-rok/diagram.svg", params={"as_of": 1985, "condition": "wartime"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.text)
    assert "us-rok.cfc" in boxes(root)
    r = client.get(
        "/alliances/us-japan/diagram.svg",
        params={"as_of": 2009, "highlight": "linkage", "highlight_kinds": "authority"},
    )
    assert r.status_code == 200 and 'class="gap"' in r.text
    r = client.get(
        "/alliances/us-rok/diagram.svg", params={"as_of": 1985, "highlight": "path:us-rok.scm,us-rok.commander-cfc"}
    )
    assert 'data-organs="us-rok.scm us-rok.commander-cfc"' in r.text  # the SCM's guidance reaches Commander CFC
    r = client.get("/alliances/us-rok/diagram.svg", params={"as_of": 1985, "highlight": "us-rok.scm,us-rok.mcm"})
    assert 'data-organs="us-rok.scm us-rok.mcm"' in r.text
    r = client.get("/alliances/us-rok/diagram.svg", params={"as_of": 1985, "kinds": "authority,advice"})
    assert {p.get("data-kind") for p in ET.fromstring(r.text).iter(f"{NS}path") if p.get("data-kind")} == {
        "authority",
        "advice",
    }


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"highlight": "us-rok.nope"}, 404, "us-rok.nope"),
        ({"as_of": 1960, "highlight": "us-rok.cfc"}, 422, "highlight"),
        ({"highlight": "path:us-rok.scm"}, 422, "highlight"),
        ({"levels": "bogus"}, 422, "levels"),
        ({"kinds": "orders"}, 422, "kinds"),
        ({"condition": "siege"}, 422, "condition"),
    ],
)
def test_diagram_endpoint_errors(client, params, status, words) -> None:
    r = client.get("/alliances/us-rok/diagram.svg", params=params)
    assert r.status_code == status
    assert words in r.json()["error"]


def test_diagram_unknown_alliance(client) -> None:
    r = client.get("/alliances/seato/diagram.svg")
    assert r.status_code == 404 and "seato" in r.json()["error"]


def test_cli_diagram_writes_the_same_svg_as_the_api(client, tmp_path: Path) -> None:
    out = tmp_path / "rok.svg"
    code = main(["diagram", "--alliance", "us-rok", "--as-of", "1985", "--condition", "wartime", "-o", str(out)])
    assert code == 0
    api = client.get("/alliances/us-rok/diagram.svg", params={"as_of": 1985, "condition": "wartime"})
    assert out.read_text("utf-8") == api.text


def test_cli_diagram_bad_input_exits_non_zero(capsys) -> None:
    assert main(["diagram", "--alliance", "us-rok", "--highlight", "us-rok.nope"]) == 1
    assert "us-rok.nope" in capsys.readouterr().err


@pytest.mark.parametrize(
    "params",
    [
        SnapshotParams("us-rok", 2000, Condition.ARMISTICE),
        SnapshotParams("nato", 2009, exclude=frozenset({"nato.mc"})),
    ],
)
def test_placement_settles_rather_than_drifting(store: Store, params: SnapshotParams, monkeypatch) -> None:
    """More placement passes must not widen the chart: each pass lowers one objective, so parts
    of the chart cannot walk apart (as they did when layers followed parents, then children)."""
    import app.chart.layout as layout

    snap = store.snapshot(params)
    widths = []
    for passes in (16, 64):
        monkeypatch.setattr(layout, "PLACEMENT_PASSES", passes)
        widths.append(float(ET.fromstring(diagram_svg(snap)).get("width", 0)))
    assert widths[1] <= widths[0] * 1.03
