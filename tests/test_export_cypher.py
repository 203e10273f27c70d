"""The Cypher export, run by cypher-shell into an empty Neo4j, builds what ``alliances load`` builds
(CONTRACT.md §2 "Exports"): the same content checksum, :Meta node, labels, relationship types and
schema, nothing outside the live generation; with an analyst's source loaded too, the same
``(:Source)`` nodes and each organ's and relationship's ``source_ids`` and ``claims`` (CONTRACT.md §2
"Sources": the Cypher export builds the sources as load does).

The test needs a second, empty Neo4j (Community has one user database, and the suite's own holds
the loaded seeds): the ``empty_neo4j`` fixture starts one with ``neo4j_local`` in a fresh temporary
home on free ports, with the jars of the suite's Neo4j, and stops and removes it at the end of the
session, pass or fail (``NEO4J_EMPTY_HEAP``, default 512m). cypher-shell is resolved from Maven
Central and built once per session by ``tests.java_clients``; missing, the test fails (never skips).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.seeds import load_seeds
from app.store.embedded import EmbeddedStore
from app.store.neo4j_driver import open_driver
from app.store.neo4j_load import content_checksum, load
from app.store.neo4j_schema import schema_statements
from graph_schema.vocabulary import PAPER_ID
from tests.conftest import NEO4J_TEST_DATABASE, NEO4J_TEST_PASSWORD, NEO4J_TEST_USER
from tests.java_clients import build, run_java

ROOT = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = ROOT / "neo4j_local" / "neo4j_local.py"
EXAMPLE = ROOT / "examples" / "sources"  # the invented tour note


@pytest.fixture(scope="module")
def api(embedded: EmbeddedStore) -> Iterator[TestClient]:
    set_store(embedded)
    try:
        with TestClient(app) as c:
            yield c
    finally:
        set_store(None)


def _neo4j_local(env: Mapping[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(NEO4J_LOCAL), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _main_cache() -> Path:
    explicit = os.environ.get("ALLIANCE_NEO4J_HOME")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "alliance-explorer" / "neo4j"


@pytest.fixture(scope="session")
def empty_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second Neo4j server in a fresh home of its own on free ports (the jars of the suite's),
    started for the session and stopped and removed after it, also on failure. Yields its Bolt URI."""
    home = tmp_path_factory.mktemp("neo4j-empty")
    bolt, http = _neo4j_local({}, "free-ports").stdout.split()
    env = {
        "ALLIANCE_NEO4J_HOME": str(home),
        "ALLIANCE_NEO4J_JARS": str(_main_cache()),  # the same jars: no second download
        "NEO4J_BOLT_PORT": bolt,
        "NEO4J_HTTP_PORT": http,
        "ALLIANCE_NEO4J_HEAP": os.environ.get("NEO4J_EMPTY_HEAP", "512m"),
        "ALLIANCE_NEO4J_PAGECACHE": "64m",
        "NEO4J_PASSWORD": NEO4J_TEST_PASSWORD,
    }
    try:
        started = _neo4j_local(env, "start")
        if started.returncode != 0:
            pytest.fail(f"the empty Neo4j for the Cypher export did not start: {started.stderr[-1500:]}")
        yield f"bolt://127.0.0.1:{bolt}"
    finally:
        _neo4j_local(env, "stop")
        shutil.rmtree(home, ignore_errors=True)


def _wipe(driver: Any) -> None:
    with driver.session() as s:
        for rec in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT `{rec['name']}`").consume()
        for rec in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            s.run(f"DROP INDEX `{rec['name']}`").consume()
        s.run("MATCH (n) DETACH DELETE n").consume()


def _shape(driver: Any) -> dict[str, Any]:
    """What a database holds, in the terms of a comparison: content checksum, the :Meta node (its
    generation's number aside: each load numbers its own), how many nodes and relationships lie
    outside the generation it points at, node counts per label set, relationship counts per type,
    schema names."""
    with driver.session() as s:
        metas = s.run("MATCH (m:Meta) RETURN collect(properties(m)) AS m").single()["m"]
        return {
            "checksum": s.execute_read(content_checksum),
            "meta": [{k: v for k, v in m.items() if k != "gen"} for m in metas],
            "outside_the_live_generation": s.run(
                "OPTIONAL MATCH (m:Meta {id: 'load'}) "
                "CALL { WITH m MATCH (n) WHERE NOT n:Meta AND coalesce(n.gen <> m.gen, true) "
                "RETURN count(n) AS nodes } "
                "CALL { WITH m MATCH ()-[r]->() WHERE coalesce(r.gen <> m.gen, true) RETURN count(r) AS rels } "
                "RETURN nodes + rels AS n"
            ).single()["n"],
            "labels": {
                ":".join(sorted(r["labels"])): r["n"]
                for r in s.run("MATCH (n) RETURN labels(n) AS labels, count(*) AS n")
            },
            "types": {r["t"]: r["n"] for r in s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")},
            # A uniqueness constraint's backing index carries the constraint's name.
            "schema": sorted(
                {r["name"] for r in s.run("SHOW CONSTRAINTS YIELD name")}
                | {r["name"] for r in s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")}
            ),
        }


@pytest.fixture(scope="session")
def cypher_shell(java_work: Path) -> str:
    return build("cypher-shell", java_work)


def test_cypher_export_run_by_cypher_shell_builds_what_load_builds(
    api: TestClient,
    neo4j_driver: Any,
    neo4j_loaded: dict[str, Any],
    empty_neo4j: str,
    cypher_shell: str,
    tmp_path: Path,
) -> None:
    """Issue 28: "the default Cypher export builds 94 organs / 113 edges where `alliances load` builds
    98 / 119 (plans left out), and records another data version than the server's ETag". The
    default export, run by cypher-shell into an empty Neo4j, builds what the suite's load built,
    plans included (CFC "will be deactivated in 2012"), under the version the API names it by."""
    r = api.get("/export?format=cypher")
    assert r.status_code == 200
    script, etag = r.text, r.headers["etag"]
    built = run_script(cypher_shell, empty_neo4j, script, tmp_path)
    built.pop("sources")
    loaded = _shape(neo4j_driver)
    assert built["checksum"] == neo4j_loaded["checksum"] == loaded["checksum"]
    assert etag == f'"{built["checksum"]}"' and built["meta"][0]["checksum"] == built["checksum"]
    # Plans included: more organs than the default snapshot of the JSON export (which leaves them out).
    with_plans, without = (len(api.get(f"/export?include_planned={b}").json()["nodes"]) for b in ("true", "false"))
    assert built["meta"][0]["organs"] == with_plans > without
    assert built == loaded and built["outside_the_live_generation"] == 0
    assert built["schema"] == sorted(
        re.match(r"CREATE (?:\w+ )+?(\w+) IF NOT EXISTS", s)[1] for s in schema_statements()
    )


def run_script(cypher_shell: str, uri: str, script: str, tmp_path: Path) -> dict[str, Any]:
    """``script`` run by cypher-shell into the emptied database at ``uri``: what it then holds."""
    statements = [s for s in re.split(r";\s*\n", script) if s.strip() and not s.strip().startswith("//")]
    assert len(statements) < 40, f"{len(statements)} statements: the rows should go in batches"
    path = tmp_path / "export.cypher"
    path.write_text(script, encoding="utf-8")
    driver = open_driver(uri, NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, 10)
    try:
        driver.verify_connectivity()
        _wipe(driver)
        assert _shape(driver)["labels"] == {} and _shape(driver)["schema"] == []
        args = ("-a", uri, "-u", NEO4J_TEST_USER, "-p", NEO4J_TEST_PASSWORD, "--format", "plain", "--fail-fast")
        proc = run_java(cypher_shell, "org.neo4j.shell.Main", *args, "-f", str(path), timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
        shape = _shape(driver)
        shape["sources"] = _sources(driver)
        return shape
    finally:
        driver.close()


def _sources(driver: Any) -> dict[str, Any]:
    """The live generation's (:Source) nodes (gen aside) and every organ's and relationship's
    ``source_ids`` and ``claims``, by id."""
    with driver.session() as s:
        return {
            "nodes": {
                r["p"]["id"]: {k: v for k, v in r["p"].items() if k != "gen"}
                for r in s.run("MATCH (m:Meta {id: 'load'}) MATCH (n:Source {gen: m.gen}) RETURN properties(n) AS p")
            },
            "organs": {
                r["id"]: (r["ids"], r["claims"])
                for r in s.run(
                    "MATCH (m:Meta {id: 'load'}) MATCH (o:Organ {gen: m.gen}) "
                    "RETURN o.id AS id, o.source_ids AS ids, o.claims AS claims"
                )
            },
            "relationships": {
                r["id"]: (r["ids"], r["claims"])
                for r in s.run(
                    "MATCH (m:Meta {id: 'load'}) MATCH (:Organ {gen: m.gen})-[r {gen: m.gen}]->(:Organ {gen: m.gen}) "
                    "RETURN r.id AS id, r.source_ids AS ids, r.claims AS claims"
                )
            },
        }


def test_cypher_export_builds_an_analysts_source_as_load_does(
    neo4j_driver: Any,
    neo4j_store: Any,
    embedded: EmbeddedStore,
    empty_neo4j: str,
    cypher_shell: str,
    tmp_path: Path,
) -> None:
    """CONTRACT.md §2 "Sources": the Cypher export builds the (:Source) nodes and each claim as
    ``alliances load`` does. The paper's seeds with the invented tour note: its export, run by
    cypher-shell into an empty Neo4j, holds what loading the same two sources into the suite's Neo4j
    holds (checksum, :Meta, labels, the :Source nodes' properties, every source_ids and claims), the
    note's (:Source) among them and the SSC (the note: "was formally dissolved in 2005") claimed by
    both. The suite's Neo4j gets the seeds alone back afterwards."""
    noted = load_seeds(sources_dirs=[EXAMPLE])
    set_store(EmbeddedStore(noted))
    try:
        with TestClient(app) as client:
            r = client.get("/export?format=cypher")
    finally:
        set_store(None)
    assert r.status_code == 200
    built = run_script(cypher_shell, empty_neo4j, r.text, tmp_path)
    try:
        counts = load(neo4j_driver, noted, database=NEO4J_TEST_DATABASE, prune=True)
        loaded = _shape(neo4j_driver)
        loaded["sources"] = _sources(neo4j_driver)
    finally:
        load(neo4j_driver, embedded.dataset, database=NEO4J_TEST_DATABASE, prune=True)
        neo4j_store.invalidate()
    assert built["checksum"] == counts["checksum"] and r.headers["etag"] == f'"{counts["checksum"]}"'
    assert set(built["sources"]["nodes"]) == {PAPER_ID, "atop-5.1", "tour-note"}  # atop-5.1 ships with the seeds
    assert built["sources"]["nodes"]["tour-note"]["kind"] == "analyst"
    assert built["sources"]["organs"]["us-japan.ssc"][0] == [PAPER_ID, "tour-note"]
    assert built == loaded and built["outside_the_live_generation"] == 0
