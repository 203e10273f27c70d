"""Faults: a loader killed part-way, Neo4j going away while requests flow, and 64 concurrent clients.

The loader writes a new generation in batches, each its own transaction, and switches readers to
it in one last transaction, so killing it (SIGKILL, no clean-up) must leave exactly the old graph
served: the same counts and content checksum; what it committed is never served, and the next load
deletes it. With Neo4j unreachable the API answers 503 JSON
within a few seconds and ``/health`` says what is wrong; when Neo4j is back it answers again
without a restart. Under 64 concurrent clients on loopback, every answer is right.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from app.store.neo4j_driver import open_driver, read_deadline_for
from app.store.neo4j_load import load
from app.store.neo4j_store import Neo4jStore
from tests.conftest import (
    NEO4J_TEST_DATABASE,
    NEO4J_TEST_PASSWORD,
    NEO4J_TEST_URI,
    NEO4J_TEST_USER,
    neo4j_test_address,
)
from tests.live_server import wait_for_health
from tests.test_neo4j import Proxy, db_state, db_totals, generations

REPO = Path(__file__).resolve().parent.parent

# A child process that loads the seeds plus a large synthetic structure (so the load takes long
# enough to be killed in the middle), printing a line after each batch.
KILLED_LOADER = r"""
import sys
from app.dataset import Dataset
from app.seeds import load_seeds
from app.store.neo4j_load import load
from app.store.neo4j_driver import open_driver
from graph_schema.models import Edge, Organ

seeds = load_seeds()
quote = seeds.organs["nato.nac"].sources[0].quote
organs = dict(seeds.organs)
edges = dict(seeds.edges)
for i in range(20000):
    organs[f"us-uk.synthetic-{i}"] = Organ(id=f"us-uk.synthetic-{i}", name=f"synthetic {i}", type="committee",
        alliance="us-uk", nature="civilian", level="working", sources=[quote])
for i in range(1, 20000):
    e = Edge(source=f"us-uk.synthetic-{(i - 1) // 2}", target=f"us-uk.synthetic-{i}", kind="authority",
             mode="direction", sources=[quote])
    edges[e.id] = e
driver = open_driver(sys.argv[1], sys.argv[2], sys.argv[3], 10.0)

def progress(done, total, what):
    print(f"{done} {total} {what}", flush=True)

load(driver, Dataset(alliances=seeds.alliances, organs=organs, edges=edges), database=sys.argv[4],
     prune=True, batch_size=200, progress=progress)
print("committed", flush=True)
"""


def test_loader_killed_part_way_leaves_exactly_the_old_graph(
    neo4j_driver: Any, neo4j_loaded: Any, embedded: EmbeddedStore
) -> None:
    before = db_state(neo4j_driver)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILLED_LOADER,
            NEO4J_TEST_URI,
            NEO4J_TEST_USER,
            NEO4J_TEST_PASSWORD,
            NEO4J_TEST_DATABASE,
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    written = 0
    try:
        for line in child.stdout:
            done, _total, _what = line.split(maxsplit=2)
            written = int(done)
            if written > 5000:  # well into the synthetic organs: thousands of rows committed, none served
                break
        else:
            pytest.fail(f"the loader finished before it could be killed: {child.stderr.read() if child.stderr else ''}")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL and written > 5000
    # The server rolls the open batch back when the connection drops (it may take a moment to see
    # the connection gone); the batches before it stay committed, in a generation nobody reads.
    deadline = time.monotonic() + 30
    while len(generations(neo4j_driver)) != 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert db_state(neo4j_driver) == before
    leftovers = db_totals(neo4j_driver)
    assert leftovers["nodes"] >= before[0]["nodes"] + 1 + written  # + :Meta, + every row it was told of
    store = Neo4jStore(neo4j_driver, NEO4J_TEST_DATABASE, NEO4J_TEST_URI)
    assert store.health()["organs"] == len(embedded.dataset.organs)
    assert "us-uk.synthetic-0" not in store.organs() and store.organs() == embedded.organs()
    # The next load deletes them: the database holds the seeds, once, and :Meta.
    load(neo4j_driver, embedded.dataset, database=NEO4J_TEST_DATABASE, prune=True)
    assert db_state(neo4j_driver) == before
    assert db_totals(neo4j_driver) == {"nodes": before[0]["nodes"] + 1, "rels": before[0]["rels"]}
    assert len(generations(neo4j_driver)) == 1


@pytest.fixture()
def proxied_api(neo4j_loaded: Any) -> Iterator[tuple[TestClient, Proxy]]:
    """The real app on a Neo4j store that reaches Neo4j through a TCP proxy we can cut."""
    proxy = Proxy(neo4j_test_address())
    proxy.start()
    uri = f"bolt://127.0.0.1:{proxy.port}"
    store = Neo4jStore(
        open_driver(uri, NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, 2.0), NEO4J_TEST_DATABASE, uri, meta_ttl=0.0
    )
    set_store(store)
    try:
        with TestClient(app) as client:
            yield client, proxy
    finally:
        set_store(None)
        store.close()
        proxy.stop()


def test_neo4j_stopped_while_requests_flow(proxied_api: tuple[TestClient, Proxy]) -> None:
    """Requests keep flowing across an outage: each is a right answer or a quick 503 JSON, never a 500 or a hang;
    /health says what is wrong; answers come back by themselves when Neo4j does."""
    client, proxy = proxied_api
    url = "/linkage?alliance=us-rok&as_of=2009"
    expected = client.get(url).json()
    assert expected["linked"] is True
    outcomes: list[tuple[int, float]] = []
    stop = threading.Event()

    def flow() -> None:
        while not stop.is_set():
            started = time.monotonic()
            r = client.get(url)
            outcomes.append((r.status_code, time.monotonic() - started))
            if r.status_code == 200:
                assert r.json() == expected
            else:
                assert r.status_code == 503 and "error" in r.json()

    worker = threading.Thread(target=flow)
    worker.start()
    try:
        time.sleep(0.5)
        proxy.stop()
        time.sleep(4)
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["state"] == "unavailable" and health.json()["error"]
        proxy.start()
        deadline = time.monotonic() + 15
        while client.get("/health").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.set()
        worker.join(timeout=30)
    codes = {code for code, _ in outcomes}
    assert codes <= {200, 503} and 503 in codes and outcomes[-1][0] == 200
    assert max(seconds for _, seconds in outcomes) < 6.0
    assert client.get(url).json() == expected


HEAL_WITHIN = 5.0  # seconds after Neo4j answers again (issue 29 item 4)


def _answers_through(proxy: Proxy) -> bool:
    """Whether Neo4j answers a query through the proxy, on a connection of its own."""
    driver = open_driver(f"bolt://127.0.0.1:{proxy.port}", NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, 2.0)
    try:
        driver.execute_query("RETURN 1 AS one", database_=NEO4J_TEST_DATABASE)
        return True
    except Exception:  # not yet: any failure at all
        return False
    finally:
        driver.close()


def test_answers_come_back_within_5_s_of_neo4j_answering_after_it_went_silent(
    proxied_api: tuple[TestClient, Proxy],
) -> None:
    """Issue 29: after a Neo4j restart, "780 of 805 requests still got 503 18 s after Neo4j was ready
    ('has not answered its last 8 reads')": reads on connections to a server gone silent (a frozen
    host, a network dropping packets, then a restart behind it) waited for the server's 120 s receive
    timeout, every read slot held. Here the proxy drops every byte for 8 s, then answers new
    connections (the old ones stay silent, as to a process gone without a word): within 5 s of Neo4j
    answering a query, every request is answered again, and none ever waits past its bound."""
    client, proxy = proxied_api
    urls = ["/linkage?alliance=us-rok&as_of=2009", "/organs/nato.nac", "/alliances", "/compare"]
    expected = {url: client.get(url).json() for url in urls}
    outcomes: list[tuple[float, float, int]] = []
    said: list[tuple[float, str]] = []  # when, and what a request other than a right answer got
    stop = threading.Event()

    def flow(n: int) -> None:
        while not stop.is_set():
            url = urls[n % len(urls)]
            started = time.monotonic()
            r = client.get(url)
            right = r.status_code == 200 and r.json() == expected[url]
            outcomes.append((started, time.monotonic(), 200 if right else r.status_code or -1))
            if not right:
                said.append((started, f"{url} {r.status_code} {r.text[:120]}"))
            n += 1

    workers = [threading.Thread(target=flow, args=(n,)) for n in range(16)]
    for w in workers:
        w.start()
    try:
        time.sleep(1.0)
        proxy.blackhole()
        time.sleep(8.0)  # every slot taken by reads stuck on silent connections, several times over
        proxy.restore()
        while not _answers_through(proxy):
            time.sleep(0.1)
        answering = time.monotonic()
        time.sleep(HEAL_WITHIN + 3.0)
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=60)
    later = [(started, status) for started, _end, status in outcomes if started >= answering + HEAL_WITHIN]
    healed = [end - answering for started, end, status in outcomes if started >= answering and status == 200]
    print(f"\nfirst answer {min(healed, default=float('nan')):.2f} s after Neo4j answered; {len(later)} requests later")
    late = [what for when, what in said if when >= answering + HEAL_WITHIN]
    assert later and all(status == 200 for _, status in later), late[:5]
    assert all(status in (200, 503) for *_, status in outcomes), [what for _, what in said if " 503 " not in what][:5]
    assert healed and min(healed) < HEAL_WITHIN
    assert max(end - started for started, end, _ in outcomes) < read_deadline_for(5.0) + 2.0  # the bound, + slack


@pytest.fixture()
def live_server(store: Store) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, serving from ``store``'s backend."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    if store.backend == "neo4j":
        env.update(
            NEO4J_URI=NEO4J_TEST_URI,
            NEO4J_USER=NEO4J_TEST_USER,
            NEO4J_PASSWORD=NEO4J_TEST_PASSWORD,
            NEO4J_DATABASE=NEO4J_TEST_DATABASE,
        )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_64_concurrent_clients_get_only_right_answers(live_server: str, store: Store) -> None:
    """64 clients on loopback for a bounded time (about 3 s each): zero errors, every answer equal to the
    store's own answer for the same question."""
    urls = [
        "/linkage?alliance=us-japan&as_of=2009",
        "/linkage?alliance=nato&as_of=2009",
        "/paths?source=us-rok.scm&target=us-rok.commander-cfc&as_of=1985",
        "/centrality?alliance=us-rok&as_of=2009",
        "/compare",
    ]
    with httpx.Client(base_url=live_server, timeout=10) as c:
        expected = {u: c.get(u).json() for u in urls}
    deadline = time.monotonic() + 3

    def client(n: int) -> tuple[int, int]:
        sent = errors = 0
        with httpx.Client(base_url=live_server, timeout=10) as c:
            while sent == 0 or time.monotonic() < deadline:  # each client asks at least once
                url = urls[(n + sent) % len(urls)]
                r = c.get(url)
                sent += 1
                if r.status_code != 200 or r.json() != expected[url]:
                    errors += 1
        return sent, errors

    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(client, range(64)))
    sent = sum(s for s, _ in results)
    errors = sum(e for _, e in results)
    print(f"\n{store.backend}: 64 clients, {sent} requests, {errors} errors")
    assert errors == 0 and sent >= 64
