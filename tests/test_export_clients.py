"""The exports, read whole by the clients their users have (CONTRACT.md §2 "Exports").

Every client is the real one: lxml against the GraphML and GEXF schemas (``tests/xsd``),
networkx, python-igraph and rustworkx on the GraphML, JGraphT's validating importer and the
Gephi toolkit (Java programs in ``tests/java``, resolved from Maven Central and built once per
session by ``tests.java_clients``) and ``networkx.node_link_graph`` on the JSON (pandas on the
CSV: ``tests/test_export_csv.py``; cypher-shell on the Cypher: ``tests/test_export_cypher.py``). A
missing client fails its test; none skips.

The exports are fetched over the API (the embedded store), as a user downloads them; what the
clients read is compared with the JSON export of the same snapshot, field by field. Each runs on
the paper's seeds alone and with the invented tour note (``examples/sources``) loaded beside them,
so the sources' fields (``source_ids``, ``agreement``, ``claims``, the graph's ``counted_sources``)
are read by every client with two sources' claims, a disputed organ among them (CONTRACT.md §2
"Sources": exports carry the claims).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.seeds import load_seeds
from app.store.embedded import EmbeddedStore
from graph_schema.generate import GENERATED, LEVEL_LABELS, NATURE_LABELS, REL_TYPES
from graph_schema.vocabulary import PAPER_ID, EdgeKind, Level, Nature
from tests.java_clients import build, run_java
from tests.test_browser_style import parse_grass, px

XSD = Path(__file__).parent / "xsd"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sources"  # the invented tour note
SCOPES = ("us-rok", "nato", None)  # None: every alliance
# Years before, in and after the paper's: Gephi's filter must equal the API's snapshot in each,
# out to the first and last year the API answers for (issue 28: 2012 and 2015 showed 0 organs).
GEPHI_YEARS = (1950, 1955, 1985, 1995, 2009, 2012, 2015)


def _query(alliance: str | None, **params: Any) -> str:
    args = {"alliance": alliance, **params}
    return "&".join(f"{k}={v}" for k, v in args.items() if v is not None)


@pytest.fixture(scope="module", params=("paper", "tour-note"))
def api(request: pytest.FixtureRequest, embedded: EmbeddedStore) -> Iterator[TestClient]:
    """The API over the paper's seeds, or over the seeds with the invented tour note beside them."""
    store = embedded if request.param == "paper" else EmbeddedStore(load_seeds(sources_dirs=[EXAMPLE]))
    set_store(store)
    try:
        with TestClient(app) as c:
            yield c
    finally:
        set_store(None)


def fetch(api: TestClient, path: str) -> str:
    r = api.get(path)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.text


@pytest.fixture(scope="module")
def exports(api: TestClient, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str | None, str], Path]:
    """(alliance, format) -> the export as served by GET /export, saved to a file."""
    out = tmp_path_factory.mktemp("exports")
    files = {}
    for alliance in SCOPES:
        for fmt in ("json", "graphml", "gexf"):
            path = out / f"{alliance or 'all'}.{fmt}"
            path.write_text(fetch(api, f"/export?{_query(alliance, format=fmt)}"), encoding="utf-8")
            files[alliance, fmt] = path
    return files


def node_link(exports: Mapping[tuple[str | None, str], Path], alliance: str | None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(exports[alliance, "json"].read_text(encoding="utf-8"))
    return data


def check_value(where: str, name: str, want: Any, got: Any, number: type = int) -> None:
    """One attribute as a client read it against the JSON export's value: a list or object as its
    JSON text, a scalar as a value of the same type (``number``: what the client makes of an
    integer), a null as no value at all (``got`` None)."""
    if want is None:
        assert got is None, f"{where}.{name}: JSON has null, the client read {got!r}"
    elif isinstance(want, list | dict):
        assert isinstance(got, str) and json.loads(got) == want, f"{where}.{name}: {got!r} != {want!r}"
    elif isinstance(want, bool):
        assert got is want, f"{where}.{name}: {got!r} is not {want!r}"
    elif isinstance(want, int):
        assert type(got) is number and got == want, f"{where}.{name}: {got!r} != {want!r}"
    else:
        assert type(got) is type(want) and got == want, f"{where}.{name}: {got!r} != {want!r}"


# ------------------------------------------------------------------------------------------ schemas


@pytest.mark.parametrize("alliance", SCOPES)
def test_graphml_and_gexf_are_valid_against_their_schemas(
    exports: Mapping[tuple[str | None, str], Path], alliance: str | None
) -> None:
    from lxml import etree

    for fmt, xsd in (("graphml", XSD / "graphml.xsd"), ("gexf", XSD / "gexf-1.3" / "gexf.xsd")):
        schema = etree.XMLSchema(etree.parse(str(xsd)))
        doc = etree.parse(str(exports[alliance, fmt]))
        assert schema.validate(doc), f"{fmt}: {schema.error_log.filter_from_errors()[:3]}"


# ------------------------------------------------------------------------------------------ GraphML


def graphml_fields(data: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The node and edge fields the GraphML must carry: every JSON field with a value somewhere."""
    nodes = {k for n in data["nodes"] for k, v in n.items() if v is not None} - {"id"}
    edges = {k for e in data["edges"] for k, v in e.items() if v is not None} - {"source", "target", "key"}
    return nodes, edges


@pytest.mark.parametrize("alliance", SCOPES)
def test_networkx_reads_the_graphml_whole(exports: Mapping[tuple[str | None, str], Path], alliance: str | None) -> None:
    data = node_link(exports, alliance)
    g = nx.read_graphml(exports[alliance, "graphml"])
    pairs = [(e["source"], e["target"]) for e in data["edges"]]
    # networkx reads a multigraph when the file has parallel edges, else a plain digraph.
    assert g.is_directed() and g.is_multigraph() == (len(pairs) != len(set(pairs)))
    assert set(g.nodes) == {n["id"] for n in data["nodes"]}
    assert g.number_of_edges() == len(data["edges"])
    node_fields, edge_fields = graphml_fields(data)
    for n in data["nodes"]:
        attrs = g.nodes[n["id"]]
        assert set(attrs) <= node_fields
        for name in node_fields:
            check_value(n["id"], name, n.get(name), attrs.get(name))
    read = {d["id"]: (u, v, d) for u, v, d in g.edges(data=True)}
    assert len(read) == len(data["edges"])
    for e in data["edges"]:
        u, v, attrs = read[e["id"]]
        assert (u, v) == (e["source"], e["target"])
        assert set(attrs) <= edge_fields
        for name in edge_fields:
            check_value(e["id"], name, e.get(name), attrs.get(name))
    assert g.graph.get("alliance") == alliance


@pytest.mark.parametrize("alliance", SCOPES)
def test_igraph_reads_the_graphml_whole(exports: Mapping[tuple[str | None, str], Path], alliance: str | None) -> None:
    import igraph

    data = node_link(exports, alliance)
    g = igraph.Graph.Read_GraphML(str(exports[alliance, "graphml"]))
    assert g.is_directed()
    assert g.vcount() == len(data["nodes"]) and g.ecount() == len(data["edges"])
    node_fields, edge_fields = graphml_fields(data)
    assert node_fields <= set(g.vs.attributes()) and edge_fields <= set(g.es.attributes())

    def value(attrs: Mapping[str, Any], name: str) -> Any:
        # igraph has no null: an attribute a vertex lacks reads as '' (text) or NaN (numbers)
        got = attrs[name]
        return None if got == "" or (isinstance(got, float) and math.isnan(got)) else got

    by_id = {v["id"]: v.attributes() for v in g.vs}
    for n in data["nodes"]:
        for name in node_fields:
            check_value(n["id"], name, n.get(name), value(by_id[n["id"]], name), number=float)
    ids = g.vs["id"]
    edges = {e["id"]: e for e in g.es}
    assert len(edges) == len(data["edges"])
    for e in data["edges"]:
        read = edges[e["id"]]
        assert (ids[read.source], ids[read.target]) == (e["source"], e["target"])
        for name in edge_fields:
            check_value(e["id"], name, e.get(name), value(read.attributes(), name), number=float)


@pytest.mark.parametrize("alliance", SCOPES)
def test_rustworkx_reads_the_graphml_whole(
    exports: Mapping[tuple[str | None, str], Path], alliance: str | None
) -> None:
    import rustworkx

    data = node_link(exports, alliance)
    graphs = rustworkx.read_graphml(str(exports[alliance, "graphml"]))
    assert len(graphs) == 1
    g = graphs[0]
    assert isinstance(g, rustworkx.PyDiGraph)
    assert g.num_nodes() == len(data["nodes"]) and g.num_edges() == len(data["edges"])
    node_fields, edge_fields = graphml_fields(data)
    nodes = {g[i]["id"]: g[i] for i in g.node_indices()}
    for n in data["nodes"]:
        for name in node_fields:
            check_value(n["id"], name, n.get(name), nodes[n["id"]].get(name))
    edges = {attrs["id"]: (nodes_of(g, s), nodes_of(g, t), attrs) for s, t, attrs in g.weighted_edge_list()}
    assert len(edges) == len(data["edges"])
    for e in data["edges"]:
        source, target, attrs = edges[e["id"]]
        assert (source, target) == (e["source"], e["target"])
        for name in edge_fields:
            check_value(e["id"], name, e.get(name), attrs.get(name))


def nodes_of(g: Any, index: int) -> str:
    node_id: str = g[index]["id"]
    return node_id


@pytest.fixture(scope="session")
def jgrapht(java_work: Path) -> str:
    return build("jgrapht", java_work)


JGRAPHT_TYPES = {bool: "BOOLEAN", int: "LONG", str: "STRING", list: "STRING", dict: "STRING"}


@pytest.mark.parametrize("alliance", SCOPES)
def test_jgrapht_validating_importer_reads_the_graphml_whole(
    exports: Mapping[tuple[str | None, str], Path], jgrapht: str, alliance: str | None
) -> None:
    data = node_link(exports, alliance)
    proc = run_java(jgrapht, "GraphmlCheck", str(exports[alliance, "graphml"]))
    assert proc.returncode == 0, proc.stderr[-2000:]
    read = json.loads(proc.stdout)
    assert read["vertices"] == len(data["nodes"]) and read["edges"] == len(data["edges"])

    def check(where: str, record: Mapping[str, Any], attrs: Mapping[str, list[str]], skip: set[str]) -> None:
        for name, want in record.items():
            if name in skip:
                continue
            if want is None:
                assert name not in attrs, (where, name)
                continue
            kind, text = attrs[name]
            assert kind == JGRAPHT_TYPES[type(want)], (where, name, kind)
            if isinstance(want, list | dict):
                assert json.loads(text) == want, (where, name, text)
            else:
                assert text == (json.dumps(want) if isinstance(want, bool) else str(want)), (where, name, text)

    for n in data["nodes"]:
        check(n["id"], n, read["vertex_attributes"][n["id"]], {"id"})
    edges = {e["attributes"]["id"][1]: e for e in read["edge_attributes"]}
    assert len(edges) == len(data["edges"])
    for e in data["edges"]:
        got = edges[e["id"]]
        assert (got["source"], got["target"]) == (e["source"], e["target"])
        check(e["id"], e, got["attributes"], {"source", "target", "key"})


# ------------------------------------------------------------------------------------------ JSON


@pytest.mark.parametrize("alliance", SCOPES)
def test_json_export_loads_with_node_link_graph(
    exports: Mapping[tuple[str | None, str], Path], alliance: str | None
) -> None:
    data = node_link(exports, alliance)
    g = nx.node_link_graph(data)  # the default call, no keyword needed
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == len(data["nodes"]) and g.number_of_edges() == len(data["edges"])
    for n in data["nodes"]:
        assert g.nodes[n["id"]] == {k: v for k, v in n.items() if k != "id"}
    for e in data["edges"]:
        attrs = g.edges[e["source"], e["target"], e["id"]]
        assert attrs == {k: v for k, v in e.items() if k not in ("source", "target", "key")}
    assert g.graph["alliance"] == alliance


DISSOLVED = "the Security Subcommittee of the U.S.-Japan alliance was formally dissolved in 2005"
SSC_PRESENT = "However, like the SSC, this group has lain dormant"


def test_every_element_names_whose_claims_it_carries(exports: Mapping[tuple[str | None, str], Path]) -> None:
    """CONTRACT.md §2 "Sources": exports carry each thing's claims. Over the paper alone every organ
    and edge is the paper's (``single``); with the tour note, the SSC the paper describes in the
    present tense ("However, like the SSC, this group has lain dormant") and the note says "was
    formally dissolved in 2005" is disputed, both quotes in its claims, as networkx reads the GraphML."""
    data = node_link(exports, None)
    counted = data["graph"]["counted_sources"]
    g = nx.read_graphml(exports[None, "graphml"])
    assert json.loads(g.graph["counted_sources"]) == counted
    for record in (*data["nodes"], *data["edges"]):
        assert record["source_ids"] == [c["source_id"] for c in record["claims"]]
        assert set(record["source_ids"]) <= set(counted), record["id"]
    if "tour-note" not in counted:  # the paper, and the shipped atop-5.1, which claims no organ or edge
        assert counted == [PAPER_ID, "atop-5.1"]
        assert {r["agreement"] for r in (*data["nodes"], *data["edges"])} == {"single"}
        return
    assert counted == [PAPER_ID, "atop-5.1", "tour-note"]
    ssc = g.nodes["us-japan.ssc"]
    assert (ssc["agreement"], json.loads(ssc["source_ids"])) == ("disputed", [PAPER_ID, "tour-note"])
    claims = {c["source_id"]: c for c in json.loads(ssc["claims"])}
    assert claims["tour-note"]["life"]["end"]["quote"] == DISSOLVED
    assert any(a["quote"] == SSC_PRESENT for a in claims[PAPER_ID]["life"]["attested"])
    assert json.loads(g.nodes["nato.nac"]["source_ids"]) == [PAPER_ID, "tour-note"]


# ------------------------------------------------------------------------------------------ Gephi


@pytest.fixture(scope="session")
def gephi(java_work: Path) -> str:
    return build("gephi", java_work)


def gephi_read(gephi: str, path: Path, years: tuple[int, ...]) -> dict[str, Any]:
    proc = run_java(gephi, "GexfCheck", str(path), *map(str, years))
    assert proc.returncode == 0, proc.stderr[-3000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def api_horizon(api: TestClient) -> tuple[int, int]:
    """The first and last year the API answers a snapshot for: the ``as_of`` bounds /export declares."""
    params = api.get("/openapi.json").json()["paths"]["/export"]["get"]["parameters"]
    schema = next(p for p in params if p["name"] == "as_of")["schema"]
    year = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer")
    return year["minimum"], year["maximum"]


def possible_spell(record: Mapping[str, Any], horizon: tuple[int, int]) -> list[float]:
    """CONTRACT.md: a GEXF spell covers the thing's possible range (inclusive years; the JSON's
    ``possible_end`` is the first year no longer held); a side left open runs to the horizon."""
    first = record["possible_start"] if record.get("possible_start") is not None else horizon[0]
    last = record["possible_end"] - 1 if record.get("possible_end") is not None else horizon[1]
    return [float(first), float(last)]


@pytest.mark.parametrize("alliance", SCOPES)
def test_gephi_imports_the_gexf_with_its_timeline(
    api: TestClient, exports: Mapping[tuple[str | None, str], Path], gephi: str, alliance: str | None
) -> None:
    data = node_link(exports, alliance)
    horizon = api_horizon(api)
    read = gephi_read(gephi, exports[alliance, "gexf"], (*GEPHI_YEARS, *horizon))
    assert not [i for i in read["issues"] if not i.startswith("INFO")], read["issues"]
    assert read["dynamic"] is True
    # Parallel edges stay apart: as many edges as the JSON, each with its own id.
    assert len(read["nodes"]) == len(data["nodes"])
    assert sorted(e["id"] for e in read["edges"]) == sorted(e["id"] for e in data["edges"])
    # Every node and edge has one spell, its possible range; the timeline spans them all.
    spells = {r["id"]: possible_spell(r, horizon) for r in (*data["nodes"], *data["edges"])}
    assert {e["id"]: e["spells"] for e in (*read["nodes"], *read["edges"])} == {k: [v] for k, v in spells.items()}
    assert read["bounds"] == [min(s[0] for s in spells.values()), max(s[1] for s in spells.values())]
    # Gephi's year filter shows what the API's snapshot of that year holds, to the API's horizon.
    for year in (*GEPHI_YEARS, *horizon):
        organs = json.loads(fetch(api, f"/alliances/{alliance}/organs?as_of={year}")) if alliance else None
        snapshot = json.loads(fetch(api, f"/export?{_query(alliance, as_of=year, format='json')}"))
        assert sorted(read["years"][str(year)]["nodes"]) == sorted(n["id"] for n in snapshot["nodes"]), year
        assert sorted(read["years"][str(year)]["edges"]) == sorted(e["id"] for e in snapshot["edges"]), year
        if organs is not None:
            assert sorted(read["years"][str(year)]["nodes"]) == sorted(o["id"] for o in organs), year
    if alliance in ("nato", None):
        # CONTRACT.md: "After an organ's last attested or dated year, an open end is possible, not
        # certain (NATO in 2015 is possible)": the NAC the paper describes in 2009 is in Gephi's 2015.
        assert "nato.nac" in read["years"]["2015"]["nodes"]


def test_gephi_keeps_the_parallel_edges_of_the_paper_apart(
    exports: Mapping[tuple[str | None, str], Path], gephi: str
) -> None:
    # The NATO Parliamentary Assembly both exchanges views with and supports the NAC: "the leadership of
    # both organizations meeting regularly to exchange views", "the alliance is supported by both
    # parliamentary and non-governmental entities". Two edges between one pair, both kept.
    nato = gephi_read(gephi, exports["nato", "gexf"], (2009,))
    pair = [e for e in nato["edges"] if (e["source"], e["target"]) == ("nato.pa", "nato.nac")]
    assert len(pair) == 2 and len({e["kind"] for e in pair}) == 2, pair
    assert all(e["id"] in nato["years"]["2009"]["edges"] for e in pair)
    # The Military Committee both advises and supports the North Atlantic Council.
    pair = [e for e in nato["edges"] if (e["source"], e["target"]) == ("nato.mc", "nato.nac")]
    assert sorted(e["kind"] for e in pair) == ["advice", "support"]
    assert all(e["id"] in nato["years"]["2009"]["edges"] for e in pair)


def test_gexf_paints_with_the_browser_style(exports: Mapping[tuple[str | None, str], Path]) -> None:
    from lxml import etree

    style = parse_grass((GENERATED / "browser.grass").read_text(encoding="utf-8"))
    ns = {"g": "http://gexf.net/1.3"}
    doc = etree.parse(str(exports[None, "gexf"]))
    data = node_link(exports, None)
    natures = {n["id"]: Nature(n["nature"]) for n in data["nodes"]}
    levels = {n["id"]: Level(n["level"]) for n in data["nodes"]}
    kinds = {e["id"]: EdgeKind(e["kind"]) for e in data["edges"]}

    def hex_of(element: Any) -> str:
        colour = element.find("g:color", ns)
        return "#" + "".join(f"{int(colour.get(c)):02X}" for c in "rgb")

    nodes = doc.findall(".//g:node", ns)
    assert len(nodes) == len(natures)
    for node in nodes:
        organ = node.get("id")
        assert hex_of(node) == style[f"node.{NATURE_LABELS[natures[organ]]}"]["color"].upper(), organ
        diameter = style[f"node.{LEVEL_LABELS[levels[organ]]}"]["diameter"]
        assert float(node.find("g:size", ns).get("value")) == px(diameter), organ
    edges = doc.findall(".//g:edge", ns)
    assert len(edges) == len(kinds)
    for edge in edges:
        rule = style[f"relationship.{REL_TYPES[kinds[edge.get('id')]]}"]
        assert hex_of(edge) == rule["color"].upper(), edge.get("id")
        assert float(edge.find("g:thickness", ns).get("value")) == px(rule["shaft-width"])
