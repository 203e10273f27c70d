"""The Browser guide's Cypher on the real loaded graph, and the real Neo4j Browser drawing it styled.

Every runnable block of docs/neo4j/alliances-guide.html is run against the Neo4j that the suite
loads from the seeds (``neo4j_loaded`` in conftest.py) and must give the paper's answer. Then
headless Chromium opens the real Neo4j Browser served by that Neo4j, connects, applies
``:style`` and ``:play`` from this API (served here on a free port, fetched cross-origin as a user's
Browser would), runs a query from the guide, checks the colours drawn, and saves a screenshot in a temporary
directory (``make screenshots`` retakes docs/screenshots/neo4j-browser.png). No Neo4j means a
failure that says how to start it, never a skip.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.api.routes.browser import guide_path
from graph_schema.generate import EDGE_STROKES, NATURE_PALETTE
from graph_schema.vocabulary import EdgeKind, Level, Nature
from tests.browser import CHROMIUM, CHROMIUM_ARGS, screenshot_dir
from tests.test_browser_style import read_guide

Rows = list[dict[str, Any]]

NEO4J_BROWSER_URL = os.environ.get("NEO4J_BROWSER_URL", "http://127.0.0.1:7474/browser/")
BOLT_URL = os.environ.get("NEO4J_TEST_URI", "bolt://127.0.0.1:7687")
USER = os.environ.get("NEO4J_USER", "neo4j")
PASSWORD = os.environ.get("NEO4J_PASSWORD", "alliance-explorer")
# The guide's block drawn in the screenshot: NATO's whole structure shows every nature and edge kind.
SCREENSHOT_BLOCK = "nato-structure"
TIMEOUT_MS = 60_000


def guide_blocks() -> dict[str, str]:
    """Check name -> text of every runnable block of the guide."""
    guide = read_guide(guide_path().read_text(encoding="utf-8"))
    return {str(name): text.strip() for slide in guide.slides for name, text in slide}


def path_ids(rows: Rows, key: str = "p") -> list[list[str]]:
    return [[node["id"] for node in row[key].nodes] for row in rows]


# --------------------------------------------------------------------------------------------- expectations


def _overview(rows: Rows) -> None:
    assert {r["nature"] for r in rows} == {n.value for n in Nature}
    assert {r["level"] for r in rows} <= {level.value for level in Level}


def _nato_structure(rows: Rows) -> None:
    natures = {node["nature"] for row in rows for node in row["p"].nodes}
    assert natures == {n.value for n in Nature}, "NATO has civilian, military, parliamentary and NGO organs"


def _nato_chain_graph(rows: Rows) -> None:
    """The paper: "the very active and close linkage of the NAC to the MC and to the Strategic Commanders": the NAC
    reaches SACEUR directly and through the MC."""
    chains = path_ids(rows)
    assert ["nato.nac", "nato.saceur"] in chains and ["nato.nac", "nato.mc", "nato.saceur"] in chains
    assert all(c[0] == "nato.nac" and c[-1] == "nato.saceur" for c in chains)


def _nato_chain_table(rows: Rows) -> None:
    assert rows[0] == {"chain": ["NAC", "SACEUR"], "modes": ["oversight"]}
    assert {(tuple(r["chain"]), tuple(r["modes"])) for r in rows[1:]} == {
        (("NAC", "MC", "SACEUR"), ("oversight", "direction")),
        (("NAC", "DPC", "SACEUR"), ("oversight", "guidance")),
        (("NAC", "DPC", "MC", "SACEUR"), ("oversight", "guidance", "direction")),
    }


def _nato_down(rows: Rows) -> None:
    chains = path_ids(rows)
    ends = {c[-1] for c in chains}
    assert {"nato.jfc-brussel", "nato.jfc-naples", "nato.jfhq-lisbon", "nato.isaf"} <= ends
    assert all("nato.saceur" in c and "nato.aco" in c for c in chains)


US_JAPAN_COMMANDERS = {"japan.jsdf", "us.usfj", "us.cincpac"}


def _scc_authority_graph(rows: Rows) -> None:
    """The paper: "there is no mechanism by which to exercise any overarching military authority"."""
    reached = {node["id"] for row in rows for node in row["p"].nodes}
    assert "us-japan.bcm" in reached and "us-japan.bilateral-defense-planning" in reached
    assert not reached & US_JAPAN_COMMANDERS


def _scc_authority_table(rows: Rows) -> None:
    assert len(rows) == len(US_JAPAN_COMMANDERS)
    assert not any(r["reached_by_authority"] for r in rows)


def _scc_coordination_graph(rows: Rows) -> None:
    """The paper: "two bilateral coordination measures under the supervision of the SCC"."""
    assert len(rows) == 2
    for row in rows:
        path = row["p"]
        assert [n["id"] for n in path.nodes][0::2] == ["us-japan.scc", "japan.jsdf"]
        first, second = path.relationships
        assert (first.type, first["mode"], second.type) == ("AUTHORITY", "supervision", "COORDINATION")


def _scc_coordination_table(rows: Rows) -> None:
    assert rows == [
        {
            "chain": ["SCC", "Bilateral Coordination Mechanism", "JSDF"],
            "links": ["AUTHORITY supervision", "COORDINATION consultation"],
        },
        {
            "chain": ["SCC", "bilateral defense planning", "JSDF"],
            "links": ["AUTHORITY supervision", "COORDINATION planning"],
        },
    ]


def _opcon_graph(rows: Rows) -> None:
    holders = {row["p"].nodes[0]["id"] for row in rows}
    assert holders == {"us-rok.commander-unc", "us-rok.commander-cfc", "rok.nca"}


def _opcon_table(rows: Rows) -> None:
    """The paper: "In 1994, 'peacetime OPCON' was withdrawn from Commander CFC"."""
    assert rows == [
        {"holder": "Commander UNC", "mode": "opcom", "condition": "any", "from": None, "to": 1978},
        {"holder": "Commander CFC", "mode": "opcon", "condition": "armistice", "from": 1978, "to": 1994},
        {"holder": "Commander CFC", "mode": "opcon", "condition": "wartime", "from": 1978, "to": None},
        {
            "holder": "ROK national command authority",
            "mode": "opcon",
            "condition": "armistice",
            "from": 1994,
            "to": None,
        },
    ]


def _opcon_years(rows: Rows) -> None:
    got = {(r["year"], r["condition"]): r["holder"] for r in rows}
    assert got == {
        (1977, "armistice"): "Commander UNC",
        (1977, "wartime"): "Commander UNC",
        (1993, "armistice"): "Commander CFC",
        (1993, "wartime"): "Commander CFC",
        (1994, "armistice"): "ROK national command authority",
        (1994, "wartime"): "Commander CFC",
        (2008, "armistice"): "ROK national command authority",
        (2008, "wartime"): "Commander CFC",
    }
    assert len(rows) == len(got)


def _cfc_planned_end(rows: Rows) -> None:
    """The paper: "by agreement, CFC will be deactivated in 2012"."""
    assert {"CFC", "Commander CFC"} <= {r["organ"] for r in rows}
    assert {r["planned_end"] for r in rows} == {2012}


def _cfc_cut_graph(rows: Rows) -> None:
    cut = {(r["p"].relationships[0].type, r["p"].relationships[0]["mode"]) for r in rows}
    ends = {n["id"] for r in rows for n in r["p"].nodes}
    assert ("AUTHORITY", "opcon") in cut and "rok.designated-forces" in ends


def _cfc_wartime_chains(rows: Rows) -> None:
    assert len(rows) == 1
    assert rows[0]["wartime_chains_today"] >= 1
    assert rows[0]["chains_without_cfc"] == 0


def _planned_graph(rows: Rows) -> None:
    """The paper: "a ROK commander in place as the warfighter ... the U.S. commander in Korea as a supporting
    commander"."""
    rels = [(r["p"].nodes[0]["id"], r["p"].relationships[0].type, r["p"].nodes[-1]["id"]) for r in rows]
    assert ("us-rok.us-supporting-commander", "SUPPORT", "us-rok.rok-warfighter") in rels
    assert all(r["p"].relationships[0]["status"] == "planned" for r in rows)


def _planned_warfighter(rows: Rows) -> None:
    assert rows == [
        {"planned_warfighter": "ROK commander (warfighter)", "status": "planned", "authority_in": 0, "support_in": 1}
    ]


def _chokepoints(rows: Rows) -> None:
    # The MC is not on every chain: the NAC and the DPC also reach SACEUR directly.
    assert {r["organ"] for r in rows} == {"SACEUR", "ACO"}


def _degree(rows: Rows) -> None:
    top = {r["alliance"]: r["top"][0]["organ"] for r in rows}
    assert top["nato"] == "NAC" and top["us-japan"] == "SCC" and top["us-rok"] == "Commander CFC"


def _sources(rows: Rows) -> None:
    """The seeds are the claims of the paper (Finnegan, February 2009); the shipped dataset ATOP 5.1 (2022-08-09)
    codes the treaties beside it."""
    assert [(r["id"], r["kind"], r["date"]) for r in rows] == [
        ("finnegan-2009", "paper", "2009-02"),
        ("atop-5.1", "dataset", "2022-08-09"),
    ]


def _claims_by_source(rows: Rows) -> None:
    """Every organ and relationship of the seeds is the paper's claim; the treaty codings of ATOP 5.1 claim none
    (CONTRACT.md §2: never evidence for or against an organ or edge)."""
    from app.defaults import default_dataset

    seeds = default_dataset()
    assert rows == [
        {"source": "finnegan-2009", "kind": "paper", "organs": len(seeds.organs), "relationships": len(seeds.edges)},
        {"source": "atop-5.1", "kind": "dataset", "organs": 0, "relationships": 0},
    ]


EXPECTED: dict[str, Callable[[Rows], None]] = {
    "overview": _overview,
    "nato-structure": _nato_structure,
    "nato-chain-graph": _nato_chain_graph,
    "nato-chain-table": _nato_chain_table,
    "nato-down": _nato_down,
    "scc-authority-graph": _scc_authority_graph,
    "scc-authority-table": _scc_authority_table,
    "scc-coordination-graph": _scc_coordination_graph,
    "scc-coordination-table": _scc_coordination_table,
    "opcon-graph": _opcon_graph,
    "opcon-table": _opcon_table,
    "opcon-years": _opcon_years,
    "cfc-planned-end": _cfc_planned_end,
    "cfc-cut-graph": _cfc_cut_graph,
    "cfc-wartime-chains": _cfc_wartime_chains,
    "planned-graph": _planned_graph,
    "planned-warfighter": _planned_warfighter,
    "chokepoints": _chokepoints,
    "degree": _degree,
    "sources": _sources,
    "claims-by-source": _claims_by_source,
}
BROWSER_COMMANDS = {"style"}  # blocks for the Browser itself (":style ..."), not Cypher


def test_every_cypher_block_of_the_guide_has_an_expectation() -> None:
    assert set(guide_blocks()) == set(EXPECTED) | BROWSER_COMMANDS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_guide_cypher_gives_the_papers_answer(neo4j_driver: Any, neo4j_loaded: Any, name: str) -> None:
    query = guide_blocks()[name]
    records, _, _ = neo4j_driver.execute_query(query, database_="neo4j")
    rows = [record.data() if not _has_graph_values(record) else dict(record.items()) for record in records]
    assert rows, f"guide block {name!r} returned no rows"
    EXPECTED[name](rows)


def _has_graph_values(record: Any) -> bool:
    # Paths and nodes are checked as driver objects (ids, types); plain values as plain data.
    return any(hasattr(v, "nodes") or hasattr(v, "labels") for v in record.values())


# --------------------------------------------------------------------------------------------- the real Browser


@pytest.fixture(scope="module")
def api_base() -> Iterator[str]:
    """This API on a free port, named by ``localhost``, which Neo4j 5 allows remote content from by default."""
    import uvicorn

    from app.main import app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the API did not start within 30 s"
        time.sleep(0.05)
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _settled(page: Any, quiet_rounds: int = 3, limit_s: float = 20.0) -> None:
    """Wait until the force layout stops moving the nodes (or the limit passes)."""
    script = "() => Array.from(document.querySelectorAll('svg g.node')).map(n => n.getAttribute('transform'))"
    last, quiet, deadline = None, 0, time.monotonic() + limit_s
    while quiet < quiet_rounds and time.monotonic() < deadline:
        page.wait_for_timeout(400)
        now = page.evaluate(script)
        quiet = quiet + 1 if now == last else 0
        last = now


def test_real_browser_draws_the_styled_alliance_graph(neo4j_driver: Any, neo4j_loaded: Any, api_base: str) -> None:
    """Connect, `:style` and `:play` from the API, run the guide's NATO block, check colours, screenshot."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    query = guide_blocks()[SCREENSHOT_BLOCK]
    records, _, _ = neo4j_driver.execute_query(query, database_="neo4j")
    node_ids = {n.element_id for r in records for n in r["p"].nodes}
    rel_ids = {rel.element_id for r in records for rel in r["p"].relationships}
    natures = {n["nature"] for r in records for n in r["p"].nodes}
    kinds = {rel.type for r in records for rel in r["p"].relationships}

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            try:
                page.goto(NEO4J_BROWSER_URL)
            except PlaywrightError as err:
                pytest.fail(
                    f"Neo4j Browser at {NEO4J_BROWSER_URL} cannot be opened ({err.message.splitlines()[0]}); "
                    "start Neo4j with `python3 neo4j_local/neo4j_local.py start` or set NEO4J_BROWSER_URL",
                    pytrace=False,
                )

            page.fill('[data-testid="boltaddress"]', BOLT_URL)
            page.fill('[data-testid="username"]', USER)
            page.fill('[data-testid="password"]', PASSWORD)
            page.click('[data-testid="connect"]')
            page.wait_for_selector("text=You are connected")

            def run(command: str) -> None:
                page.click('[data-testid="activeEditor"]')
                page.keyboard.type(command)
                page.keyboard.press("Enter")

            run(f":style {api_base}/neo4j/style.grass")
            style_frame = page.locator('[data-testid="frame"]').first
            style_frame.get_by_text("node.Organ").wait_for()

            run(f":play {api_base}/neo4j/guide.html")
            page.get_by_text("First, the style").wait_for()
            # The guide's own link was rewritten to the server it came from.
            assert page.locator("pre.runnable", has_text=f":style {api_base}/neo4j/style.grass").count() == 1

            page.locator("pre.runnable", has_text=query.splitlines()[-2]).first.click()
            page.click('[data-testid="editor-Run"]')
            frame = page.locator('[data-testid="frame"]').first
            frame.locator("svg g.node").nth(len(node_ids) - 1).wait_for()
            frame.locator('button[title="Fullscreen"]').first.click()
            _settled(page)
            page.locator('[aria-label="zoom-to-fit"]').first.click()
            _settled(page)

            drawn_nodes = frame.locator("svg g.node").count()
            drawn_rels = frame.locator("svg g.relationship").count()
            fills = set(
                frame.locator("svg g.node circle.b-outline").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
            )
            strokes = set(
                frame.locator("svg g.relationship path.b-outline").evaluate_all(
                    "els => els.map(e => e.getAttribute('fill'))"
                )
            )
            captions = " ".join(frame.locator("svg g.node text").evaluate_all("els => els.map(e => e.textContent)"))
            screenshot = screenshot_dir() / "neo4j-browser.png"
            page.screenshot(path=str(screenshot))
        finally:
            browser.close()

    assert drawn_nodes == len(node_ids) and drawn_rels == len(rel_ids)
    assert fills == {NATURE_PALETTE[Nature(n)].fill for n in natures}, "every organ coloured by its nature"
    assert strokes == {EDGE_STROKES[EdgeKind(k.lower())].colour for k in kinds}, "every edge coloured by its kind"
    assert "NAC" in captions and "SACEUR" in captions
    assert screenshot.stat().st_size > 20_000
