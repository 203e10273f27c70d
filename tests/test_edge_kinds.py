"""One table of edge kinds (issue 23): the rows say what the contract says of each kind, and every
list of kinds (the value set, the chart, the Browser style, GET /edge-kinds, the docs) follows from it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.chart.style import EDGE_STYLES, MARKER_SHAPES
from app.main import app
from graph_schema.edge_kinds import UNDIRECTED_KINDS, EdgeKind, Marker, kind_table, rel_type
from graph_schema.generate import EDGE_STROKES, REL_TYPES, browser_grass
from graph_schema.kind_docs import BLOCK, BLOCKS, DOCS, REPO, fill


@pytest.mark.parametrize(
    ("kind", "direction"),
    [
        (EdgeKind.AUTHORITY, "superior → subordinate"),
        (EdgeKind.ADVICE, "adviser → advised"),
        (EdgeKind.SUPPORT, "supporter → supported"),
        (EdgeKind.MEMBERSHIP, "member → body"),
    ],
)
def test_directed_kinds_run_as_the_contract_says(kind: EdgeKind, direction: str) -> None:
    """CONTRACT.md §1: "authority: superior → subordinate; advice: adviser → advised; support:
    supporter → supported; membership: member → body"."""
    assert kind.direction == direction and not kind.mutual


def test_coordination_is_the_mutual_kind() -> None:
    """CONTRACT.md §1: "`coordination` (mutual; traversed both ways)"."""
    assert EdgeKind.COORDINATION.mutual and EdgeKind.COORDINATION.direction == "mutual"
    assert UNDIRECTED_KINDS == {k for k in EdgeKind if k.mutual} == {EdgeKind.COORDINATION}


@pytest.mark.parametrize("kind", list(EdgeKind), ids=str)
def test_every_row_is_whole(kind: EdgeKind) -> None:
    """A row names both ends or neither (mutual), says what the kind means, and has a caption that
    starts with the kind's name, a chart pen and a Browser stroke."""
    row = kind.row
    assert (row.source_role is None) == (row.target_role is None)
    assert row.meaning and row.caption.startswith(kind.value)
    assert row.chart.marker in MARKER_SHAPES and row.chart.width > 0 and row.browser.width_px > 0
    assert rel_type(kind).isidentifier() and rel_type(kind) == REL_TYPES[kind]


def test_no_two_kinds_look_alike() -> None:
    """On the chart and in the Browser, a kind is told by its look alone."""
    pens = [(k.row.chart.colour, k.row.chart.dash, k.row.chart.marker) for k in EdgeKind]
    assert len(set(pens)) == len(pens)
    colours = [k.row.browser.colour for k in EdgeKind]
    assert len(set(colours)) == len(colours)


def test_the_chart_and_the_browser_draw_each_kind_by_its_row() -> None:
    assert set(MARKER_SHAPES) == set(Marker)
    for kind in EdgeKind:
        style, pen = EDGE_STYLES[kind], kind.row.chart
        assert (style.colour, style.width, style.dash, style.marker) == (pen.colour, pen.width, pen.dash, pen.marker)
        assert style.both_ends == kind.mutual and style.caption == kind.row.caption
        assert EDGE_STROKES[kind] == kind.row.browser
        assert f"relationship.{rel_type(kind)} {{\n  color: {kind.row.browser.colour};" in browser_grass()


def test_the_api_serves_the_table() -> None:
    """GET /edge-kinds (the page's checkboxes come from it) and its CSV twin: one row per kind, in order."""
    with TestClient(app) as client:
        rows = client.get("/edge-kinds").json()
        csv = client.get("/edge-kinds.csv")
    assert rows == kind_table()
    assert [r["kind"] for r in rows] == [k.value for k in EdgeKind]
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    assert lines[0].startswith("kind,mutual,direction") and [line.split(",")[0] for line in lines[1:]] == [
        k.value for k in EdgeKind
    ]


@pytest.mark.parametrize("name", DOCS)
def test_each_doc_lists_kinds_only_between_markers(name: str) -> None:
    """Each doc that lists kinds holds them in blocks the generator writes (`make lint` and
    test_schema check they are current)."""
    text = (REPO / name).read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert blocks, f"{name} has no edge-kinds block"
    for block_name, content in blocks:
        assert content == BLOCKS[block_name](), f"{name}: edge-kinds:{block_name} is stale"


def test_an_unknown_block_is_named() -> None:
    with pytest.raises(ValueError, match=r"README\.md: unknown block edge-kinds:colours"):
        fill("<!-- edge-kinds:colours -->x<!-- /edge-kinds -->", "README.md")
