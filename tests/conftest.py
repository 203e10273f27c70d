"""Shared fixtures: the two stores the whole suite runs against, and HTTP clients over the real app.

Every test that takes ``store`` (or ``client``) runs twice: on the embedded networkx store and on a
real Neo4j loaded from the same seeds (``NEO4J_TEST_URI``; password from ``NEO4J_PASSWORD``). That
Neo4j is the suite's own: ``make test`` starts one on free ports in a home of its own and names it
here. There is no default address: the suite prunes and reloads the database it is given, so it
never falls back on whatever answers on 7687 (a user's explorer may be using it). When Neo4j is not
named or cannot be reached, the Neo4j half fails with how to start it: a suite that skips its
database half would pass while proving nothing about it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.api.deps import default_store, set_store
from app.main import app
from app.store.base import Store
from app.store.embedded import EmbeddedStore

STORES = ("embedded", "neo4j")
NEO4J_TEST_URI = os.environ.get("NEO4J_TEST_URI", "")
NEO4J_TEST_PASSWORD = os.environ.get("NEO4J_PASSWORD", "alliance-explorer")
NEO4J_TEST_USER = os.environ.get("NEO4J_USER", "neo4j")
NEO4J_TEST_DATABASE = os.environ.get("NEO4J_DATABASE", "neo4j")
NEO4J_TEST_TIMEOUT = 5.0
HOW_TO_START = (
    "`make test` starts a Neo4j of the suite's own and sets NEO4J_TEST_URI; to run pytest alone, start one "
    "in a home and on ports of its own (ALLIANCE_NEO4J_HOME=... NEO4J_BOLT_PORT=N NEO4J_HTTP_PORT=M "
    "python3 neo4j_local/neo4j_local.py start) and set NEO4J_TEST_URI=bolt://127.0.0.1:N "
    "(and NEO4J_PASSWORD); its database is pruned and reloaded"
)


def neo4j_test_uri() -> str:
    """The suite's Neo4j, or a failure saying how to get one (never a default address)."""
    if not NEO4J_TEST_URI:
        pytest.fail(f"NEO4J_TEST_URI is not set: {HOW_TO_START}", pytrace=False)
    return NEO4J_TEST_URI


def neo4j_browser_url() -> str:
    """The Neo4j Browser of the suite's Neo4j: NEO4J_BROWSER_URL (``make test`` sets it), else the
    HTTP port of the neo4j_local server named by NEO4J_HTTP_PORT; never a default port."""
    explicit = os.environ.get("NEO4J_BROWSER_URL")
    if explicit:
        return explicit
    port = os.environ.get("NEO4J_HTTP_PORT")
    if not port:
        pytest.fail(f"neither NEO4J_BROWSER_URL nor NEO4J_HTTP_PORT is set: {HOW_TO_START}", pytrace=False)
    return f"http://127.0.0.1:{port}/browser/"


def neo4j_test_address() -> tuple[str, int]:
    """(host, Bolt port) of the suite's Neo4j, for tests that put a proxy in front of it."""
    target = urlsplit(neo4j_test_uri())
    if target.port is None:
        pytest.fail(f"NEO4J_TEST_URI={NEO4J_TEST_URI} names no port", pytrace=False)
    return target.hostname or "127.0.0.1", target.port


@pytest.fixture(scope="session")
def java_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the Java clients of the export tests are built, once per session (tests.java_clients)."""
    return tmp_path_factory.mktemp("java")


@pytest.fixture(scope="session")
def embedded() -> EmbeddedStore:
    return default_store()


@pytest.fixture(scope="session")
def neo4j_driver() -> Iterator[Any]:
    """A driver on the test Neo4j, checked to answer; fails (never skips) when it does not."""
    from app.store.neo4j_driver import open_driver

    driver = open_driver(neo4j_test_uri(), NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, NEO4J_TEST_TIMEOUT)
    try:
        driver.verify_connectivity()
    except Exception as err:  # any reason at all: the message says what and how to fix it
        driver.close()
        reason = " ".join(str(err).split()) or type(err).__name__
        pytest.fail(f"Neo4j at {NEO4J_TEST_URI} cannot be reached ({reason}); {HOW_TO_START}", pytrace=False)
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def neo4j_loaded(neo4j_driver: Any, embedded: EmbeddedStore) -> dict[str, Any]:
    """The seeds loaded into the test Neo4j once per session (pruned, so it holds exactly them)."""
    from app.store.neo4j_load import load

    return load(neo4j_driver, embedded.dataset, database=NEO4J_TEST_DATABASE, prune=True)


@pytest.fixture(scope="session")
def neo4j_store(neo4j_driver: Any, neo4j_loaded: dict[str, Any]) -> Iterator[Store]:
    from app.store.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_driver, NEO4J_TEST_DATABASE, NEO4J_TEST_URI)
    store.follow(neo4j_loaded["bookmarks"])  # its reads are causally after the session's load
    yield store
    # The driver belongs to the neo4j_driver fixture, which closes it.


@pytest.fixture(scope="session", params=STORES)
def store(request: pytest.FixtureRequest) -> Store:
    """The store the facts are checked against: each test runs on both."""
    if request.param == "embedded":
        embedded_store: Store = request.getfixturevalue("embedded")
        return embedded_store
    neo4j: Store = request.getfixturevalue("neo4j_store")
    return neo4j


@pytest.fixture()
def client(store: Store) -> Iterator[TestClient]:
    """The real FastAPI app over the real HTTP stack (ASGI), serving from ``store``."""
    set_store(store)
    with TestClient(app) as c:
        yield c
    set_store(None)


# ------------------------------------------------------------------ an analyst's source beside the paper

EXAMPLE_SOURCES = Path(__file__).resolve().parent.parent / "examples" / "sources"


@pytest.fixture(scope="session")
def noted_data() -> Any:
    """The seeds and the invented tour note (``examples/sources/tour-note``): an analyst's source."""
    from app.seeds import load_seeds

    return load_seeds(sources_dirs=[EXAMPLE_SOURCES])


@pytest.fixture(scope="session")
def noted_embedded(noted_data: Any) -> EmbeddedStore:
    return EmbeddedStore(noted_data)


@pytest.fixture(scope="module")
def noted_neo4j(request: pytest.FixtureRequest, noted_data: Any) -> Iterator[Store]:
    """The seeds and the tour note loaded into the test Neo4j for a module's tests; the seeds alone
    are loaded back afterwards (the suite's other tests read them)."""
    from app.store.neo4j_load import load
    from app.store.neo4j_store import Neo4jStore

    driver = request.getfixturevalue("neo4j_driver")
    request.getfixturevalue("neo4j_loaded")
    embedded_store: EmbeddedStore = request.getfixturevalue("embedded")
    shared = request.getfixturevalue("neo4j_store")
    counts = load(driver, noted_data, database=NEO4J_TEST_DATABASE, prune=True)
    store = Neo4jStore(driver, NEO4J_TEST_DATABASE, NEO4J_TEST_URI)
    store.follow(counts["bookmarks"])
    try:
        yield store
    finally:
        load(driver, embedded_store.dataset, database=NEO4J_TEST_DATABASE, prune=True)
        shared.invalidate()


@pytest.fixture(scope="module", params=STORES)
def noted(request: pytest.FixtureRequest) -> Store:
    """The seeds and the tour note, in the embedded store or in the test Neo4j: each test on both."""
    name = "noted_embedded" if request.param == "embedded" else "noted_neo4j"
    chosen: Store = request.getfixturevalue(name)
    return chosen
