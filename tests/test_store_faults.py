"""Every store fault is a 503 that says what failed (issue 29 item 2; CONTRACT.md: "503 when the store
cannot be reached. Never a 500").

An address the driver cannot use (a port that is no number, a host that does not resolve), TLS the
server does not speak, nothing listening, a login Neo4j refuses: every route that touches the store
answers 503 JSON naming the cause, ``/health`` too. A wrong password says "authentication failed",
not "cannot be reached"; and the explorer stops logging in before Neo4j locks the user out for
every client (Neo4j counts a user's failed logins until one succeeds, and from the third on locks
the user for a few seconds after each: the right password is refused too).
"""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.api.deps import make_store, set_store
from app.config import Settings
from app.main import app
from tests.conftest import NEO4J_TEST_DATABASE, NEO4J_TEST_URI

URLS = [
    "/health",
    "/alliances",
    "/organs/nato.nac",
    "/linkage?alliance=nato",
    "/paths?source=nato.nac&target=nato.saceur",
    "/compare",
]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


_TEST = urlsplit(NEO4J_TEST_URI)
FAULTS = [
    ("a port that is no number", "bolt://127.0.0.1:notaport", {}, "its port is not a number"),
    ("a host that does not resolve", "bolt://no-such-host.invalid:7687", {}, "cannot be resolved"),
    ("TLS the server does not speak", f"bolt+s://{_TEST.hostname}:{_TEST.port}", {}, "over TLS"),
    ("nothing listening", f"bolt://127.0.0.1:{_dead_port()}", {}, "cannot be reached"),
    (
        "a login Neo4j refuses",
        NEO4J_TEST_URI,
        {"neo4j_user": "reliability-test-nobody", "neo4j_password": "not-the-password"},
        "authentication failed",
    ),
]


@pytest.fixture()
def serving() -> Iterator[Any]:
    """Serves from the store the test passes in (``serving(store)``), closing it afterwards."""
    stores: list[Any] = []

    def serve(store: Any) -> TestClient:
        stores.append(store)
        set_store(store)
        return TestClient(app, raise_server_exceptions=False)

    yield serve
    set_store(None)
    for store in stores:
        store.close()


@pytest.mark.parametrize(("fault", "uri", "extra", "says"), FAULTS, ids=[f[0] for f in FAULTS])
def test_every_store_fault_is_a_503_saying_what_failed(
    serving: Any, fault: str, uri: str, extra: dict[str, str], says: str
) -> None:
    store = make_store(Settings(neo4j_uri=uri, neo4j_database=NEO4J_TEST_DATABASE, neo4j_timeout_seconds=2, **extra))
    with serving(store) as client:
        answers = {url: client.get(url) for url in URLS}
    for url, r in answers.items():
        assert r.status_code == 503, (fault, url, r.status_code, r.text[:200])
        assert says in r.json()["error"], (fault, url, r.json())
    assert answers["/health"].json()["state"] == "unavailable"


@pytest.fixture()
def neo4j_user(neo4j_driver: Any) -> Iterator[tuple[str, str]]:
    """A user of its own in the test Neo4j (its name and password), dropped afterwards."""
    name, password = f"reliability-{uuid.uuid4().hex[:8]}", "the-right-password-1"
    neo4j_driver.execute_query(
        f"CREATE USER `{name}` SET PASSWORD $password CHANGE NOT REQUIRED", password=password, database_="system"
    )
    try:
        yield name, password
    finally:
        neo4j_driver.execute_query(f"DROP USER `{name}` IF EXISTS", database_="system")


def test_a_wrong_password_does_not_lock_the_user_out_of_neo4j(serving: Any, neo4j_user: tuple[str, str]) -> None:
    """Forty requests at once with a wrong password: each is a 503 saying the login was refused, and
    afterwards the user still logs in with the right password (before, every request tried a login,
    and Neo4j's lock refused the right password too: Neo.ClientError.Security.AuthenticationRateLimit)."""
    from app.store.neo4j_driver import open_driver

    name, password = neo4j_user
    store = make_store(
        Settings(neo4j_uri=NEO4J_TEST_URI, neo4j_user=name, neo4j_password="a-wrong-password", neo4j_timeout_seconds=2)
    )
    answers: list[Any] = []
    with serving(store) as client:
        threads = [threading.Thread(target=lambda u=url: answers.append(client.get(u))) for url in URLS * 7]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        later = client.get("/health")
    assert len(answers) == len(threads)
    assert {r.status_code for r in [*answers, later]} == {503}
    assert all("authentication failed" in r.json()["error"] for r in [*answers, later])
    assert "tries again in" in later.json()["error"]  # and says when, rather than trying at every request
    driver = open_driver(NEO4J_TEST_URI, name, password, 5.0)
    try:
        driver.verify_connectivity()  # raises AuthenticationRateLimit if the explorer locked the user out
    finally:
        driver.close()
