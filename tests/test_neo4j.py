"""The Neo4j store and its loader against a real Neo4j: graph shape, atomic and idempotent loads,
prune, the same answers as the embedded store, and failure as a quick 503 that heals by itself.

The database is the one ``conftest.py`` loads with the seeds; a test that loads something else
restores the seeds afterwards (``restore_seeds``), so every later test sees them again.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.api.deps import make_store, set_store
from app.cli import main
from app.config import Settings
from app.dataset import Dataset
from app.errors import StoreUnavailable
from app.main import app
from app.questions import centrality, compare, diff, export, linkage, paths, timeline
from app.questions.centrality import METRICS
from app.snapshot import ALL_KINDS, SnapshotParams, possible_range, treaty_floor
from app.store.embedded import EmbeddedStore
from app.store.neo4j_driver import open_driver, read_deadline_for
from app.store.neo4j_load import META_ID, LoadAborted, content_checksum, load, served_state
from app.store.neo4j_read import claimed
from app.store.neo4j_store import META_TTL, Neo4jStore
from graph_schema.generate import LEVEL_LABELS, NATURE_LABELS, REL_TYPES
from graph_schema.vocabulary import Condition, EdgeKind, Existence
from tests.conftest import (
    NEO4J_TEST_DATABASE,
    NEO4J_TEST_PASSWORD,
    NEO4J_TEST_URI,
    NEO4J_TEST_USER,
    neo4j_test_address,
)

REPO = Path(__file__).resolve().parent.parent
DB = NEO4J_TEST_DATABASE
AUTH = frozenset({EdgeKind.AUTHORITY})
AUTH_COORD = frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})
FIGURE_4 = ("nato", "us-rok", "us-japan")
YEARS = (None, 1950, 1970, 1978, 1985, 1994, 1995, 2005, 2009, 2012, 2013)
CONDITIONS = (None, Condition.ARMISTICE, Condition.WARTIME)
# An unreachable Neo4j is a 503 within the store's promise: a request waits for Neo4j at most its
# read deadline, the driver's worst case for the configured timeout (2 * timeout / 3 + 1 s:
# app.store.neo4j_driver.read_deadline_for), plus SLACK for scheduling on a loaded machine. A bound
# the deadline promises, not a speed claim (a refused port is answered at once: benchmarks measure).
FAIL_FAST_TIMEOUT = 2.0
SLACK = 1.5
FAIL_FAST_LIMIT = read_deadline_for(FAIL_FAST_TIMEOUT) + SLACK


def as_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def db_state(driver: Any) -> tuple[dict[str, int], str]:
    """(node and relationship counts, content checksum) of the graph the test database serves: the
    generation ``:Meta`` points at (a killed load may have left part of another one beside it)."""
    with driver.session(database=DB) as session:
        state = session.execute_read(served_state)
    return {"nodes": state["nodes"], "rels": state["rels"]}, state["checksum"]


def db_totals(driver: Any) -> dict[str, int]:
    """Every node and relationship in the test database, whatever its generation (:Meta included)."""
    records, _, _ = driver.execute_query(
        "CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS rels } "
        "RETURN nodes, rels",
        database_=DB,
    )
    return {"nodes": records[0]["nodes"], "rels": records[0]["rels"]}


def generations(driver: Any) -> dict[int | None, int]:
    """How many organs, alliances and sources each generation in the test database holds."""
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE n:Organ OR n:Alliance OR n:Source RETURN n.gen AS gen, count(*) AS n", database_=DB
    )
    return {r["gen"]: r["n"] for r in records}


def variant(dataset: Dataset, drop_organs: tuple[str, ...] = (), rename: dict[str, str] | None = None) -> Dataset:
    """The seeds with some organs (and their edges) dropped and some organs renamed."""
    organs = {i: o for i, o in dataset.organs.items() if i not in drop_organs}
    for organ_id, name in (rename or {}).items():
        organs[organ_id] = organs[organ_id].model_copy(update={"name": name})
    edges = {i: e for i, e in dataset.edges.items() if e.source in organs and e.target in organs}
    return Dataset(
        alliances=dict(dataset.alliances), organs=organs, edges=edges, sources=dataset.sources, texts=dataset.texts
    )


def fresh_store(driver: Any, meta_ttl: float = 0.0) -> Neo4jStore:
    """A store with no cache yet that re-checks the load checksum on every call."""
    return Neo4jStore(driver, DB, NEO4J_TEST_URI, meta_ttl=meta_ttl)


@pytest.fixture()
def restore_seeds(neo4j_driver: Any, embedded: EmbeddedStore, neo4j_store: Neo4jStore) -> Iterator[None]:
    """Load the seeds back (pruned) after a test that loaded something else."""
    yield
    load(neo4j_driver, embedded.dataset, database=DB, prune=True)
    neo4j_store.invalidate()


# --------------------------------------------------------------------------------------------- graph shape


def test_labels_relationship_types_and_properties(neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore):
    """Organs are (:Organ:<Nature>:<Level>), edges typed by kind in their written direction, flat properties plus
    doc."""
    data = embedded.dataset
    organs, _, _ = neo4j_driver.execute_query("MATCH (o:Organ) RETURN labels(o) AS labels, o AS o", database_=DB)
    assert len(organs) == len(data.organs)
    for rec in organs:
        props = dict(rec["o"])
        organ = data.organs[props["id"]]
        assert set(rec["labels"]) == {"Organ", NATURE_LABELS[organ.nature], LEVEL_LABELS[organ.level]}
        first, stop = possible_range(organ.life, treaty_floor(organ.alliance, data.alliances))
        assert (props.get("possible_from"), props.get("possible_to")) == (first, stop)
        assert props.get("start_edtf", "") == organ.life.start.edtf
        assert props["nature"] == organ.nature.value and props["level"] == organ.level.value
        assert props["quote"] == organ.sources[0].quote
        assert props["aliases"] == organ.aliases and props["aliases_text"] == " | ".join(organ.aliases)
        assert props.get("established") == organ.established and props.get("planned_end") == organ.planned_end
        assert claimed(type(organ).model_validate_json(props["doc"]), props.get("claims")) == organ
    edges, _, _ = neo4j_driver.execute_query(
        "MATCH (s:Organ)-[r]->(t:Organ) RETURN type(r) AS type, s.id AS source, t.id AS target, r AS r",
        database_=DB,
    )
    assert len(edges) == len(data.edges)
    for rec in edges:
        props = dict(rec["r"])
        edge = data.edges[props["id"]]
        assert rec["type"] == REL_TYPES[edge.kind] and (rec["source"], rec["target"]) == (edge.source, edge.target)
        assert props.get("from") == edge.from_ and props.get("to") == edge.to
        assert props["condition"] == edge.condition.value and props["mode"] == edge.mode.value
        assert claimed(type(edge).model_validate_json(props["doc"]), props.get("claims")) == edge
    alliances, _, _ = neo4j_driver.execute_query("MATCH (a:Alliance) RETURN a.id AS id", database_=DB)
    assert sorted(r["id"] for r in alliances) == sorted(data.alliances)
    types, _, _ = neo4j_driver.execute_query("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t ORDER BY t", database_=DB)
    assert {r["t"] for r in types} <= set(REL_TYPES.values())


def test_generated_schema_is_applied_and_fulltext_search_finds_aliases(neo4j_driver: Any, neo4j_loaded: Any):
    """The constraints file's names exist in the database; 'two-plus-two' finds the SCC by its alias."""
    constraints, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name", database_=DB)
    indexes, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD name RETURN name", database_=DB)
    names = {r["name"] for r in constraints} | {r["name"] for r in indexes}
    assert {"organ_id", "alliance_id", "organ_alliance", "rel_authority_id", "organ_search"} <= names
    found, _, _ = neo4j_driver.execute_query(
        "CALL db.index.fulltext.queryNodes('organ_search', $q) YIELD node RETURN node.id AS id",
        q='"two-plus-two"',
        database_=DB,
    )
    assert "us-japan.scc" in {r["id"] for r in found}


def test_meta_node_holds_the_content_checksum(
    neo4j_driver: Any, neo4j_loaded: dict[str, Any], embedded: EmbeddedStore
) -> None:
    records, _, _ = neo4j_driver.execute_query("MATCH (m:Meta {id: $id}) RETURN m AS m", id=META_ID, database_=DB)
    meta = dict(records[0]["m"])
    with neo4j_driver.session(database=DB) as session:
        recomputed = session.execute_read(content_checksum)
    # The loader sums the rows it sends; the database's content, read back, gives the same sum.
    assert meta["checksum"] == recomputed == db_state(neo4j_driver)[1] == neo4j_loaded["checksum"]
    assert (meta["organs"], meta["edges"]) == (neo4j_loaded["organs"], neo4j_loaded["edges"])
    # One generation, the one Meta points at: the load dropped the one before it.
    held = len(embedded.dataset.alliances) + len(embedded.dataset.sources) + len(embedded.dataset.organs)
    assert generations(neo4j_driver) == {meta["gen"]: held}


# --------------------------------------------------------------------------------------------- the loader


def test_loading_twice_changes_nothing(neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore) -> None:
    before = db_state(neo4j_driver)
    for _ in range(2):
        counts = load(neo4j_driver, embedded.dataset, database=DB)
        assert (counts["created"], counts["updated"], counts["pruned"]) == (0, 0, 0)
        assert counts["unchanged"] == counts["alliances"] + counts["sources"] + counts["organs"] + counts["edges"]
        assert db_state(neo4j_driver) == before


def test_a_load_failing_part_way_leaves_the_old_graph(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """Batches already written (each its own transaction) are never served, and are deleted at once."""
    before, totals = db_state(neo4j_driver), db_totals(neo4j_driver)
    changed = variant(embedded.dataset, drop_organs=("nato.npg",), rename={"nato.nac": "Renamed Council"})
    calls: list[int] = []

    def fail_after_three(done: int, total: int, what: str) -> None:
        calls.append(done)
        if len(calls) == 3:
            raise RuntimeError("connection lost (simulated)")

    with pytest.raises(RuntimeError, match="simulated"):
        load(neo4j_driver, changed, database=DB, prune=True, batch_size=10, progress=fail_after_three)
    assert len(calls) == 3 and calls[-1] > len(changed.alliances)  # organs were written, then undone
    assert db_state(neo4j_driver) == before and db_totals(neo4j_driver) == totals
    assert fresh_store(neo4j_driver).organ("nato.nac").name == "North Atlantic Council"


def test_readers_see_the_old_graph_until_the_switch_then_the_new_one(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """A load writes batch after batch, each committed, yet a reader asking between two batches is
    served the old graph whole; the new one appears with the final switch, and the old is gone."""
    before = db_state(neo4j_driver)
    changed = variant(embedded.dataset, drop_organs=("nato.npg",), rename={"nato.nac": "Renamed Council"})
    seen: list[tuple[str, bool, tuple[dict[str, int], str]]] = []
    written: list[int] = []

    def look(done: int, total: int, what: str) -> None:
        store = fresh_store(neo4j_driver)
        seen.append((store.organ("nato.nac").name, "nato.npg" in store.organs(), db_state(neo4j_driver)))
        written.append(db_totals(neo4j_driver)["nodes"])

    counts = load(neo4j_driver, changed, database=DB, prune=True, batch_size=10, progress=look)
    assert counts["batches"] > 10 and len(seen) == counts["batches"]
    assert all(s == ("North Atlantic Council", True, before) for s in seen)
    # Committed batch after batch: the database held ever more nodes while serving the old graph.
    assert written[0] < written[-1] and written[-1] == before[0]["nodes"] + 1 + len(changed.alliances) + len(
        changed.sources
    ) + len(changed.organs)
    after = fresh_store(neo4j_driver)
    assert after.organ("nato.nac").name == "Renamed Council" and "nato.npg" not in after.organs()
    assert db_totals(neo4j_driver) == {"nodes": db_state(neo4j_driver)[0]["nodes"] + 1, "rels": len(changed.edges)}
    held = len(changed.alliances) + len(changed.sources) + len(changed.organs)
    assert generations(neo4j_driver) == {counts["generation"]: held}


def test_two_loads_at_once_never_mix(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """A load that another load overtakes (it starts, deletes the first one's partial generation
    and switches first) is abandoned whole: readers get the other load's graph, never a mix."""
    first = variant(embedded.dataset, rename={"nato.nac": "Council of the first load"})
    second = variant(embedded.dataset, drop_organs=("nato.npg",), rename={"nato.nac": "Council of the second load"})
    overtaking: list[dict[str, Any]] = []

    def meanwhile(done: int, total: int, what: str) -> None:
        if not overtaking:
            overtaking.append(load(neo4j_driver, second, database=DB, prune=True))

    with pytest.raises(LoadAborted, match="nothing was switched"):
        load(neo4j_driver, first, database=DB, prune=True, batch_size=10, progress=meanwhile)
    store = fresh_store(neo4j_driver)
    assert store.organ("nato.nac").name == "Council of the second load" and "nato.npg" not in store.organs()
    assert db_state(neo4j_driver)[1] == overtaking[0]["checksum"] == store.version()
    held = len(second.alliances) + len(second.sources) + len(second.organs)
    assert generations(neo4j_driver) == {overtaking[0]["generation"]: held}


def test_data_loaded_before_generations_is_refused_then_replaced_by_the_next_load(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """A database an older loader filled (no ``gen``, ids unique on their own): the store says to
    reload rather than serve nothing; the next load replaces its constraints and data."""
    before = db_state(neo4j_driver)
    for name in ("organ_id", "alliance_id"):
        neo4j_driver.execute_query(f"DROP CONSTRAINT {name}", database_=DB)
    neo4j_driver.execute_query("CREATE CONSTRAINT organ_id FOR (o:Organ) REQUIRE o.id IS UNIQUE", database_=DB)
    neo4j_driver.execute_query("CREATE CONSTRAINT alliance_id FOR (a:Alliance) REQUIRE a.id IS UNIQUE", database_=DB)
    neo4j_driver.execute_query("MATCH (n) REMOVE n.gen, n.digest", database_=DB)
    neo4j_driver.execute_query("MATCH ()-[r]->() REMOVE r.gen, r.digest", database_=DB)
    assert generations(neo4j_driver) == {None: before[0]["nodes"]}
    assert db_state(neo4j_driver) == before  # the same content, read as the legacy generation
    with pytest.raises(StoreUnavailable, match="before load generations"):
        fresh_store(neo4j_driver).organs()

    counts = load(neo4j_driver, embedded.dataset, database=DB, prune=True)
    assert counts["unchanged"] == counts["alliances"] + counts["sources"] + counts["organs"] + counts["edges"]
    assert db_state(neo4j_driver) == before and generations(neo4j_driver) == {counts["generation"]: before[0]["nodes"]}
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, properties WHERE name IN ['organ_id', 'alliance_id'] RETURN properties",
        database_=DB,
    )
    assert [r["properties"] for r in records] == [["id", "gen"], ["id", "gen"]]
    assert fresh_store(neo4j_driver).organs() == embedded.organs()


def test_the_store_never_serves_another_generation_and_the_next_load_drops_it(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """What a killed load leaves (organs and edges of another generation, same ids included) is
    never served: not in the models, the snapshots, the counts or the checksum; the next load
    deletes it."""
    before, totals = db_state(neo4j_driver), db_totals(neo4j_driver)
    other = 12345  # any generation but the live one
    neo4j_driver.execute_query(
        "MATCH (o:Organ {id: 'nato.nac'}) WITH o, properties(o) AS p "
        "CREATE (c:Organ:Civilian:Political) "
        "SET c = p{.*, gen: $gen, name: 'Leftover Council', doc: replace(o.doc, 'North Atlantic Council', 'Leftover')} "
        "CREATE (x:Organ:Civilian:Political {id: 'nato.leftover', name: 'Leftover', alliance: 'nato', gen: $gen, "
        "doc: replace(replace(o.doc, 'nato.nac', 'nato.leftover'), 'North Atlantic Council', 'Leftover')}) "
        "CREATE (c)-[:AUTHORITY {id: 'leftover-edge', gen: $gen, kind: 'authority', condition: 'any', doc: 'x'}]->(x)",
        gen=other,
        database_=DB,
    )
    assert db_totals(neo4j_driver) == {"nodes": totals["nodes"] + 2, "rels": totals["rels"] + 1}
    store = fresh_store(neo4j_driver)
    assert store.organ("nato.nac").name == "North Atlantic Council" and "nato.leftover" not in store.organs()
    assert len(store.organs()) == len(embedded.dataset.organs) and len(store.edges()) == len(embedded.dataset.edges)
    for year in (None, 2009):
        snap = store.snapshot(SnapshotParams("nato", year))
        assert snap.organ("nato.nac").name == "North Atlantic Council" and "nato.leftover" not in snap.graph
    assert store.health()["organs"] == len(embedded.dataset.organs)
    assert store.version() == before[1] and db_state(neo4j_driver) == before

    counts = load(neo4j_driver, embedded.dataset, database=DB, prune=True)
    assert counts["unchanged"] == counts["alliances"] + counts["sources"] + counts["organs"] + counts["edges"]
    assert db_state(neo4j_driver) == before and db_totals(neo4j_driver) == totals
    assert other not in generations(neo4j_driver)


def test_broken_seed_leaves_the_database_untouched(
    neo4j_driver: Any, neo4j_loaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    text = (seeds / "nato.yaml").read_text(encoding="utf-8").replace("kind: authority", "kind: command", 1)
    (seeds / "nato.yaml").write_text(text, encoding="utf-8")
    (seeds / "us-rok.yaml").write_text(
        (seeds / "us-rok.yaml").read_text(encoding="utf-8").replace("name: ", "name_: ", 1), encoding="utf-8"
    )
    monkeypatch.setenv("NEO4J_URI", NEO4J_TEST_URI)
    monkeypatch.setenv("NEO4J_PASSWORD", NEO4J_TEST_PASSWORD)
    before = db_state(neo4j_driver)
    assert main(["load", "--seeds", str(seeds), "--prune"]) == 1
    err = capsys.readouterr().err
    assert "nato.yaml:" in err and "us-rok.yaml:" in err and "Neo4j was not touched" in err
    assert db_state(neo4j_driver) == before


def test_load_command_prints_counts(neo4j_loaded: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("NEO4J_URI", NEO4J_TEST_URI)
    monkeypatch.setenv("NEO4J_PASSWORD", NEO4J_TEST_PASSWORD)
    assert main(["load", "--batch-size", "25"]) == 0
    captured = capsys.readouterr()
    assert "loaded 7 alliances" in captured.out and "created 0, updated 0" in captured.out
    assert "[" not in captured.err  # piped: no progress bar (tests/test_progress.py: a terminal gets one)


class _TimedLines:
    """A stream that notes when each line was written (monotonic seconds)."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        self.lines += [(time.monotonic(), line) for line in text.splitlines() if line.strip()]
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def test_load_command_unreachable_neo4j_one_line_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neo4j unreachable: one line saying so, within the driver's bound for the configured timeout
    (plus SLACK) of the command turning to Neo4j; reading the seeds before is not a wait on Neo4j."""
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_TIMEOUT_SECONDS", str(FAIL_FAST_TIMEOUT))
    stderr = _TimedLines()
    monkeypatch.setattr("sys.stderr", stderr)
    assert main(["load"]) == 1
    ended = time.monotonic()
    turned = next(at for at, line in stderr.lines if line.startswith("loading "))
    assert ended - turned < FAIL_FAST_LIMIT
    assert stderr.lines[-1][1].startswith("load: Neo4j at bolt://127.0.0.1:1 failed, nothing was written")


def test_load_command_overtaken_by_another_load_one_line_reason(
    neo4j_driver: Any, neo4j_loaded: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """Overtaken by a load that switched first: exit 1, one line saying the served graph is unchanged."""
    from app.store import load_command, neo4j_load

    monkeypatch.setenv("NEO4J_URI", NEO4J_TEST_URI)
    monkeypatch.setenv("NEO4J_PASSWORD", NEO4J_TEST_PASSWORD)
    before = db_state(neo4j_driver)
    real_load = neo4j_load.load

    def overtaken(driver: Any, dataset: Dataset, **kwargs: Any) -> dict[str, Any]:
        def meanwhile(done: int, total: int, what: str) -> None:
            if done == kwargs["batch_size"]:  # after the first batch, another load starts and switches
                real_load(driver, dataset, database=DB, prune=True)

        return real_load(driver, dataset, **{**kwargs, "progress": meanwhile})

    monkeypatch.setattr(load_command, "load", overtaken)
    assert main(["load", "--batch-size", "5"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("load: ") and "nothing was switched" in err[-1] and "serves the graph" in err[-1]
    assert db_state(neo4j_driver) == before


def test_prune_removes_what_the_seeds_no_longer_hold(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """Without --prune an organ dropped from the seeds stays (with its edges); with it, it goes."""
    gone = "nato.npg"
    smaller = variant(embedded.dataset, drop_organs=(gone,))
    gone_edges = len(embedded.dataset.edges) - len(smaller.edges)
    assert gone_edges > 0
    store = fresh_store(neo4j_driver)

    kept = load(neo4j_driver, smaller, database=DB)
    assert kept["stale"] == 1 + gone_edges and kept["pruned"] == 0
    assert gone in store.organs()

    pruned = load(neo4j_driver, smaller, database=DB, prune=True)
    assert pruned["pruned"] == 1 + gone_edges and pruned["stale"] == 0
    assert gone not in store.organs() and len(store.edges()) == len(smaller.edges)
    assert store.health()["organs"] == len(smaller.organs)

    back = store.replace(embedded.dataset)  # the admin reload path: a pruned load
    assert back["created"] == 1 + gone_edges and gone in store.organs()


def test_store_sees_a_new_load_within_its_checksum_interval(
    neo4j_driver: Any, neo4j_store: Neo4jStore, embedded: EmbeddedStore, restore_seeds: None
) -> None:
    """Caches are dropped when the load checksum changes; the store checks it at most every META_TTL."""
    params = SnapshotParams("nato", 2009)
    assert neo4j_store.snapshot(params).organ("nato.nac").name == "North Atlantic Council"
    load(neo4j_driver, variant(embedded.dataset, rename={"nato.nac": "Renamed Council"}), database=DB)
    time.sleep(META_TTL + 0.1)
    assert neo4j_store.organ("nato.nac").name == "Renamed Council"
    assert neo4j_store.snapshot(params).organ("nato.nac").name == "Renamed Council"


# --------------------------------------------------------------------------------------------- same answers


def test_models_and_search_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    assert neo4j_store.alliances() == embedded.alliances()
    assert list(neo4j_store.organs()) == list(embedded.organs()) and neo4j_store.organs() == embedded.organs()
    assert list(neo4j_store.edges()) == list(embedded.edges()) and neo4j_store.edges() == embedded.edges()
    for q in ("council", "SCC", "two-plus-two", "command"):
        assert neo4j_store.search(q) == embedded.search(q)
    assert neo4j_store.search(alliance="us-rok", as_of=1985) == embedded.search(alliance="us-rok", as_of=1985)


@pytest.mark.parametrize("alliance", [*FIGURE_4, None])
def test_snapshots_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore, alliance: str | None) -> None:
    """Same organs and edges, in the same order, with the same node attributes, for every year,
    condition and plan setting."""
    for year in YEARS:
        for condition in CONDITIONS:
            for planned in (False, True):
                for existence in Existence:
                    params = SnapshotParams(alliance, year, condition, planned, existence=existence)
                    a, b = embedded.snapshot(params), neo4j_store.snapshot(params)
                    assert list(b.graph.nodes) == list(a.graph.nodes), params
                    assert list(b.graph.edges(keys=True)) == list(a.graph.edges(keys=True)), params
                    assert b.judgements == a.judgements, params


@pytest.mark.parametrize("alliance", FIGURE_4)
def test_linkage_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore, alliance: str) -> None:
    for year in YEARS:
        for condition in CONDITIONS:
            for planned in (False, True):
                params = SnapshotParams(alliance, year, condition, planned)
                for kinds in (AUTH, AUTH_COORD, ALL_KINDS):
                    expected = as_json(linkage(embedded.snapshot(params), kinds))
                    assert as_json(linkage(neo4j_store.snapshot(params), kinds)) == expected, (params, kinds)


@pytest.mark.parametrize("alliance", FIGURE_4)
def test_linkage_with_exclusions_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore, alliance: str) -> None:
    for organ_id in [o.id for o in embedded.snapshot(SnapshotParams(alliance, 2009)).organs()][:12]:
        params = SnapshotParams(alliance, 2009, exclude=frozenset({organ_id}))
        expected = as_json(linkage(embedded.snapshot(params), AUTH))
        assert as_json(linkage(neo4j_store.snapshot(params), AUTH)) == expected, organ_id


@pytest.mark.parametrize("alliance", FIGURE_4)
def test_paths_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore, alliance: str) -> None:
    for year in (None, 1985, 2009):
        params = SnapshotParams(alliance, year)
        a, b = embedded.snapshot(params), neo4j_store.snapshot(params)
        ids = sorted(a.graph.nodes)[:9]
        for source in ids:
            for target in ids:
                if source == target:
                    continue
                for kinds in (AUTH, AUTH_COORD, ALL_KINDS):
                    expected = as_json(paths(a, source, target, kinds, 6, 5))
                    assert as_json(paths(b, source, target, kinds, 6, 5)) == expected, (source, target, kinds)


@pytest.mark.parametrize("metric", METRICS)
def test_centrality_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore, metric: str) -> None:
    for alliance in FIGURE_4:
        for year in (None, 1985, 2009):
            params = SnapshotParams(alliance, year)
            for kinds in (AUTH, ALL_KINDS):
                expected = as_json(centrality(embedded.snapshot(params), metric, kinds))
                assert as_json(centrality(neo4j_store.snapshot(params), metric, kinds)) == expected


def test_compare_timeline_diff_export_identical(embedded: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    for year in (None, 1960, 1980, 2000, 2009):
        assert as_json(compare(neo4j_store, FIGURE_4, year)) == as_json(compare(embedded, FIGURE_4, year))
    for alliance in embedded.alliances():
        assert as_json(timeline(neo4j_store, alliance)) == as_json(timeline(embedded, alliance))
    for alliance, y0, y1, condition, planned in [
        ("us-rok", 1975, 1985, None, False),
        ("us-rok", 1993, 1995, Condition.ARMISTICE, False),
        ("us-rok", 2009, 2013, Condition.WARTIME, True),
        ("nato", 1950, 2009, None, False),
        ("us-japan", 1978, 2009, None, True),
    ]:
        expected = as_json(diff(embedded, alliance, y0, y1, condition, planned))
        assert as_json(diff(neo4j_store, alliance, y0, y1, condition, planned)) == expected
    for alliance in (*FIGURE_4, None):
        for year in (None, 2009):
            params = SnapshotParams(alliance, year)
            for fmt in ("json", "csv", "cypher", "graphml"):
                assert export(neo4j_store.snapshot(params), fmt) == export(embedded.snapshot(params), fmt)


def test_snapshot_query_honours_kinds_and_direction(embedded: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    """Narrowed to kinds, the Cypher snapshot fetches just those relationship types, each source -> target."""
    params = SnapshotParams("us-rok", 2009, Condition.WARTIME)
    full = embedded.snapshot(params)
    for kinds in (AUTH, AUTH_COORD, frozenset({EdgeKind.MEMBERSHIP})):
        narrowed = neo4j_store.snapshot(params, kinds=kinds)
        assert [(e.source, e.target, e.id) for e in narrowed.edges()] == [
            (e.source, e.target, e.id) for e in full.edges(kinds)
        ]
        assert list(narrowed.graph.nodes) == list(full.graph.nodes)


def test_cypher_shortest_authority_paths_agree_with_the_paths_question(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore
) -> None:
    """Neo4j's own shortestPath over directed :AUTHORITY (and undirected :COORDINATION) gives the hop
    counts the questions give on the timeless snapshot: the stored direction is the semantic one."""
    snap = embedded.snapshot(SnapshotParams(include_planned=True))
    ids = sorted(o for o in snap.graph.nodes if o.startswith(("nato.", "us-rok.", "us.")))[:40]
    pairs = [{"s": s, "t": t} for s in ids for t in ids if s != t]
    for kind, pattern in (
        (EdgeKind.AUTHORITY, "-[:AUTHORITY*..12]->"),
        (EdgeKind.COORDINATION, "-[:COORDINATION*..12]-"),
    ):
        records, _, _ = neo4j_driver.execute_query(
            "UNWIND $pairs AS pair MATCH (a:Organ {id: pair.s}), (b:Organ {id: pair.t}) "
            f"OPTIONAL MATCH p = shortestPath((a){pattern}(b)) RETURN pair.s AS s, pair.t AS t, length(p) AS hops",
            pairs=pairs,
            database_=DB,
        )
        cypher = {(r["s"], r["t"]): r["hops"] for r in records}
        ours = {(p["s"], p["t"]): paths(snap, p["s"], p["t"], [kind], 12, 1)["shortest_hops"] for p in pairs}
        assert cypher == ours
        assert any(h is not None for h in cypher.values())


def test_routing_scheme_answers_like_bolt(embedded: EmbeddedStore, neo4j_loaded: Any) -> None:
    """A neo4j:// URI (routing, as for Aura or a cluster) reads through the routing table the same data."""
    uri = urlsplit(NEO4J_TEST_URI)._replace(scheme="neo4j").geturl()
    store = Neo4jStore.from_settings(
        Settings(neo4j_uri=uri, neo4j_user=NEO4J_TEST_USER, neo4j_password=NEO4J_TEST_PASSWORD, neo4j_database=DB)
    )
    try:
        assert store.health()["state"] == "ok"
        for alliance in FIGURE_4:
            params = SnapshotParams(alliance, 2009)
            assert as_json(linkage(store.snapshot(params), AUTH_COORD)) == as_json(
                linkage(embedded.snapshot(params), AUTH_COORD)
            )
        assert as_json(compare(store)) == as_json(compare(embedded))
    finally:
        store.close()


# --------------------------------------------------------------------------------------------- the API on Neo4j

API_URLS = [
    "/alliances",
    "/alliances/us-rok",
    "/alliances/us-rok/organs?as_of=1985",
    "/alliances/us-rok/organs?as_of=2013&include_planned=true",
    "/organs?q=council",
    "/organs?alliance=nato&nature=civilian",
    "/organs/nato.mc",
    "/organs/nato.nacc",
    "/paths?source=nato.nac&target=nato.saceur",
    "/paths?source=nato.eapc&target=nato.nac&kinds=coordination",
    "/paths?source=nato.nac&target=nato.saceur&format=csv",
    "/linkage?alliance=us-japan&as_of=2009&kinds=authority,coordination",
    "/linkage?alliance=us-rok&as_of=2009&exclude=us-rok.mcm",
    "/linkage?alliance=us-rok&as_of=1994&condition=peacetime",
    "/linkage?alliance=us-rok&as_of=2013&condition=wartime&include_planned=true",
    "/centrality?alliance=us-rok&as_of=2009&metric=betweenness",
    "/centrality?alliance=nato&metric=pagerank&kinds=authority,advice",
    "/compare",
    "/compare?format=csv",
    "/timeline?alliance=us-rok",
    "/diff?alliance=us-rok&from=1993&to=1995&condition=peacetime",
    "/export?alliance=us-rok&format=json",
    "/export?alliance=nato&as_of=2009&format=gexf",
    "/linkage?alliance=nato&kinds=command",
]


def _answers(store: Any) -> list[tuple[int, str]]:
    set_store(store)
    try:
        with TestClient(app) as client:
            return [(r.status_code, r.text) for r in (client.get(url) for url in API_URLS)]
    finally:
        set_store(None)


def test_api_with_neo4j_uri_answers_like_embedded(embedded: EmbeddedStore, neo4j_loaded: Any) -> None:
    """The app's own store factory, given NEO4J_URI, serves the same answers as the embedded store."""
    store = make_store(
        Settings(
            neo4j_uri=NEO4J_TEST_URI, neo4j_user=NEO4J_TEST_USER, neo4j_password=NEO4J_TEST_PASSWORD, neo4j_database=DB
        )
    )
    try:
        assert store.backend == "neo4j"
        got, expected = _answers(store), _answers(embedded)
        for url, mine, theirs in zip(API_URLS, got, expected, strict=True):
            assert mine == theirs, url
        set_store(store)
        with TestClient(app) as client:
            health = client.get("/health").json()
        assert (health["backend"], health["state"]) == ("neo4j", "ok")
        assert (health["organs"], health["edges"]) == (embedded.health()["organs"], embedded.health()["edges"])
    finally:
        set_store(None)
        store.close()


def test_unreachable_neo4j_is_a_quick_503_json() -> None:
    """A port nobody listens on: each request a 503 within the store's read deadline (plus SLACK) that
    says the store cannot be reached, the refusal itself, not that Neo4j "did not answer" (a refused
    connection retried until the request's time ran out said that on a loaded machine)."""
    store = make_store(Settings(neo4j_uri="bolt://127.0.0.1:1", neo4j_timeout_seconds=FAIL_FAST_TIMEOUT))
    set_store(store)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            for url in ("/health", "/alliances", "/linkage?alliance=nato", "/compare"):
                started = time.monotonic()
                r = client.get(url)
                assert time.monotonic() - started < FAIL_FAST_LIMIT, url
                assert r.status_code == 503, url
                # A person's message (what to check), the driver's reason apart (issue 15).
                assert "check that Neo4j is running" in r.json()["error"], url
                assert "did not answer" not in r.json()["error"], url
                assert "Couldn't connect" not in r.json()["error"], url
                assert "127.0.0.1" not in r.json()["error"], url  # SECURITY.md: never the address
                if url == "/health":
                    assert (r.json()["backend"], r.json()["state"]) == ("neo4j", "unavailable")
    finally:
        set_store(None)
        store.close()


# --------------------------------------------------------------------------------------------- failure and recovery


class Proxy:
    """A TCP forwarder to Neo4j that a test can cut and restore, on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._server: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._silent: set[int] = set()  # connections whose bytes are dropped (``blackhole``)
        self._holding = False

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
                if self._holding:
                    self._silent.add(id(client))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b, id(client)), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket, connection: int) -> None:
        try:
            while data := a.recv(65536):
                if connection not in self._silent:
                    b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def blackhole(self) -> None:
        """Neo4j gone silent, as behind a network that drops packets or on a host that froze: every
        open connection, and every one opened until ``restore``, stays open and gets no byte back."""
        with self._lock:
            self._holding = True
            self._silent.update(id(s) for s in self._sockets)

    def restore(self) -> None:
        """Neo4j back (restarted behind the same address): new connections are answered; those of the
        outage stay silent, as connections to a process that is gone and never said so."""
        with self._lock:
            self._holding = False

    def stop(self) -> None:
        """Refuse new connections and cut the open ones, as a Neo4j going down would."""
        if self._server is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would leave it accepting.
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            self._server.close()
            self._server = None
        with self._lock:
            for s in self._sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._sockets.clear()


@pytest.fixture()
def proxy() -> Iterator[Proxy]:
    p = Proxy(neo4j_test_address())
    p.start()
    yield p
    p.stop()


def test_store_fails_fast_while_neo4j_is_down_and_recovers_by_itself(
    proxy: Proxy, neo4j_loaded: Any, embedded: EmbeddedStore
) -> None:
    store = Neo4jStore(
        open_driver(f"bolt://127.0.0.1:{proxy.port}", NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, FAIL_FAST_TIMEOUT),
        DB,
        f"bolt://127.0.0.1:{proxy.port}",
        meta_ttl=0.0,
    )
    params = SnapshotParams("us-rok", 2009)
    expected = as_json(linkage(embedded.snapshot(params)))
    try:
        assert as_json(linkage(store.snapshot(params))) == expected
        proxy.stop()
        for call in (store.health, store.organs, lambda: store.snapshot(params), lambda: store.snapshot(params)):
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="cannot be reached"):
                call()
            assert time.monotonic() - started < FAIL_FAST_LIMIT
        proxy.start()  # Neo4j is back, on the same address
        assert store.health()["state"] == "ok"
        assert as_json(linkage(store.snapshot(params))) == expected
    finally:
        store.close()


def test_a_server_that_never_answers_does_not_hang_the_store() -> None:
    """A port that accepts connections but never speaks Bolt: StoreUnavailable within the timeout's bound."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    uri = f"bolt://127.0.0.1:{server.getsockname()[1]}"
    store = Neo4jStore.from_settings(Settings(neo4j_uri=uri, neo4j_timeout_seconds=FAIL_FAST_TIMEOUT))
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.alliances()
        assert time.monotonic() - started < FAIL_FAST_LIMIT
    finally:
        store.close()
        server.close()
        for s in held:
            s.close()
