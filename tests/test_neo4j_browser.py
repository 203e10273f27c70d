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

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from app.api.routes.browser import guide_path
from graph_schema.generate import EDGE_STROKES, NATURE_PALETTE
from graph_schema.vocabulary import EdgeKind, Level, Nature
from tests.browser import CHROMIUM, CHROMIUM_ARGS, screenshot_dir
from tests.conftest import NEO4J_TEST_PASSWORD, NEO4J_TEST_USER, neo4j_browser_url, neo4j_test_uri
from tests.test_browser_style import read_guide

Rows = list[dict[str, Any]]

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
# The blocks that take parameters (``$year``, ...) and the ``:params`` blocks that set them are
# checked against the API by tests/test_neo4j_guide_year.py.
YEAR_QUERIES = {"year-organs", "year-edges", "year-linkage"}


def test_every_cypher_block_of_the_guide_has_an_expectation() -> None:
    blocks = guide_blocks()
    params = {name for name, text in blocks.items() if text.startswith(":params ")}
    assert set(blocks) == set(EXPECTED) | BROWSER_COMMANDS | YEAR_QUERIES | params


def rows_of(records: Any) -> Rows:
    """Records as rows: plain values as plain data, paths and nodes as driver objects (ids, types)."""
    return [record.data() if not _has_graph_values(record) else dict(record.items()) for record in records]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_guide_cypher_gives_the_papers_answer(neo4j_driver: Any, neo4j_loaded: Any, name: str) -> None:
    query = guide_blocks()[name]
    records, _, _ = neo4j_driver.execute_query(query, database_="neo4j")
    rows = rows_of(records)
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


@contextmanager
def guide_in_browser(api_base: str) -> Iterator[tuple[Any, Callable[[str], None]]]:
    """The real Neo4j Browser in headless Chromium, connected to the suite's Neo4j, with `:style` and
    `:play` from this API; yields the page and a function that types and runs a command."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            browser_url = neo4j_browser_url()
            try:
                page.goto(browser_url)
            except PlaywrightError as err:
                pytest.fail(
                    f"Neo4j Browser at {browser_url} cannot be opened ({err.message.splitlines()[0]}); "
                    "`make test` starts the suite's Neo4j and sets NEO4J_BROWSER_URL",
                    pytrace=False,
                )

            page.fill('[data-testid="boltaddress"]', neo4j_test_uri())
            page.fill('[data-testid="username"]', NEO4J_TEST_USER)
            page.fill('[data-testid="password"]', NEO4J_TEST_PASSWORD)
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
            yield page, run
        finally:
            browser.close()


def run_block(page: Any, name: str) -> Any:
    """Click the guide's block ``name`` (on the slide shown) into the editor, run it; the new frame."""
    text = guide_blocks()[name]
    page.locator("pre.runnable", has_text=text.splitlines()[-1 if text.startswith(":") else -2]).first.click()
    frames = page.locator('[data-testid="frame"]').count()
    page.click('[data-testid="editor-Run"]')
    page.locator('[data-testid="frame"]').nth(frames).wait_for()
    return page.locator('[data-testid="frame"]').first


def test_real_browser_draws_the_styled_alliance_graph(neo4j_driver: Any, neo4j_loaded: Any, api_base: str) -> None:
    """Connect, `:style` and `:play` from the API, run the guide's NATO block, check colours, screenshot."""
    query = guide_blocks()[SCREENSHOT_BLOCK]
    records, _, _ = neo4j_driver.execute_query(query, database_="neo4j")
    node_ids = {n.element_id for r in records for n in r["p"].nodes}
    rel_ids = {rel.element_id for r in records for rel in r["p"].relationships}
    natures = {n["nature"] for r in records for n in r["p"].nodes}
    kinds = {rel.type for r in records for rel in r["p"].relationships}

    with guide_in_browser(api_base) as (page, _):
        frame = run_block(page, SCREENSHOT_BLOCK)
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

    assert drawn_nodes == len(node_ids) and drawn_rels == len(rel_ids)
    assert fills == {NATURE_PALETTE[Nature(n)].fill for n in natures}, "every organ coloured by its nature"
    assert strokes == {EDGE_STROKES[EdgeKind(k.lower())].colour for k in kinds}, "every edge coloured by its kind"
    assert "NAC" in captions and "SACEUR" in captions
    assert screenshot.stat().st_size > 20_000


def _next_slide(page: Any, heading: str) -> None:
    page.click('[data-testid="nextSlide"]')
    page.get_by_role("heading", name=heading, exact=True).wait_for()


def test_real_browser_asks_the_year_questions_with_params(neo4j_driver: Any, neo4j_loaded: Any, api_base: str) -> None:
    """As an analyst uses the guide: `:params` from its block, then its linkage query, in the real
    Browser; the chains drawn are the ones the query gives with those parameters (U.S.-ROK in 1985:
    the SCM reaches Commander CFC; U.S.-Japan in 2009 with coordination: the SCC reaches the JSDF)."""

    def chains(params_block: str) -> set[str]:
        params = params_block.removeprefix(":params ")
        records, _, _ = neo4j_driver.execute_query(f"RETURN {params} AS p", database_="neo4j")
        found, _, _ = neo4j_driver.execute_query(guide_blocks()["year-linkage"], records[0]["p"], database_="neo4j")
        return {n.element_id for r in found for n in r["p"].nodes}

    blocks = guide_blocks()
    with guide_in_browser(api_base) as (page, _):
        _next_slide(page, "In a year")
        run_block(page, "year-params").get_by_text("alliance").first.wait_for()
        _next_slide(page, "Linkage in a year")
        first = run_block(page, "year-linkage")
        us_rok = chains(blocks["year-params"])
        first.locator("svg g.node").nth(len(us_rok) - 1).wait_for()
        rok_nodes = first.locator("svg g.node").count()
        rok_captions = first.locator("svg g.node text").evaluate_all("els => els.map(e => e.textContent)")

        run_block(page, "tour-us-japan-2009-coordination").get_by_text("COORDINATION").first.wait_for()
        second = run_block(page, "year-linkage")
        us_japan = chains(blocks["tour-us-japan-2009-coordination"])
        second.locator("svg g.node").nth(len(us_japan) - 1).wait_for()
        japan_nodes = second.locator("svg g.node").count()
        japan_captions = second.locator("svg g.node text").evaluate_all("els => els.map(e => e.textContent)")

    assert rok_nodes == len(us_rok), rok_captions
    assert all(name in " ".join(rok_captions) for name in ("SCM", "CFC")), rok_captions
    assert japan_nodes == len(us_japan), japan_captions
    assert all(name in " ".join(japan_captions) for name in ("SCC", "JSDF")), japan_captions
