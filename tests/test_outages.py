"""A frozen Neo4j, and credentials that must never leak.

Freezing: the real test Neo4j is stopped with SIGSTOP (it keeps its connections open and answers
nothing, the case no driver timeout covers) while 60 requests touch the store at once. Every one
must get a 503 JSON within the store's bound (``read_deadline``), ``/health`` too, and answers must
come back by themselves after SIGCONT. The server is always resumed, whatever happens.

Secrets: a password put in ``NEO4J_URI`` or ``NEO4J_PASSWORD`` is searched for in everything the
CLI prints, the server logs and every HTTP body, along with the URI's address.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.store.neo4j_driver import open_driver
from app.store.neo4j_store import Neo4jStore
from tests.conftest import (
    NEO4J_TEST_DATABASE,
    NEO4J_TEST_PASSWORD,
    NEO4J_TEST_URI,
    NEO4J_TEST_USER,
    neo4j_test_address,
)
from tests.test_security import checksum

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 2.0  # the store's neo4j_timeout_seconds here: a read_deadline of 2.33 s
SLACK = 1.5  # scheduling on a loaded machine, on top of the bound

STORE_URLS = [
    "/alliances",
    "/alliances/nato",
    "/alliances/nato/organs?as_of=2009",
    "/organs/nato.nac",
    "/organs?q=council",
    "/linkage?alliance=us-rok&as_of=2009",
    "/paths?source=nato.nac&target=nato.saceur&as_of=2009",
    "/centrality?alliance=nato&as_of=2009",
    "/compare",
    "/timeline?alliance=us-rok",
    "/export?alliance=nato&format=graphml",
    "/alliances/us-rok/diagram.svg?as_of=1985",
]


def listening_pid(port: int) -> int:
    """The pid of the process listening on TCP ``port`` on this machine (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{inode}]")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    pytest.fail(f"no process of ours listens on port {port}: the freeze test needs a local Neo4j it may SIGSTOP")


@pytest.fixture()
def frozen_api(neo4j_loaded: Any) -> Iterator[tuple[TestClient, Neo4jStore, int]]:
    """The app on a Neo4j store of its own (checksum re-read on every request), and Neo4j's pid."""
    store = Neo4jStore(
        open_driver(NEO4J_TEST_URI, NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, TIMEOUT),
        NEO4J_TEST_DATABASE,
        NEO4J_TEST_URI,
        meta_ttl=0.0,
        query_timeout=TIMEOUT,
    )
    pid = listening_pid(neo4j_test_address()[1])
    set_store(store)
    try:
        with TestClient(app) as client:
            yield client, store, pid
    finally:
        os.kill(pid, signal.SIGCONT)
        set_store(None)
        store.close()


def _answered(client: TestClient, url: str) -> httpx.Response:
    """The answer to ``url`` once Neo4j answers (the first read of a fresh store loads every model,
    which on a loaded machine can take longer than this store's short bound)."""
    deadline = time.monotonic() + 30
    r = client.get(url)
    while r.status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.2)
        r = client.get(url)
    assert r.status_code == 200, (url, r.text[:200])
    return r


def test_frozen_neo4j_answers_503_within_the_bound_and_recovers(
    frozen_api: tuple[TestClient, Neo4jStore, int],
) -> None:
    client, store, pid = frozen_api
    expected = {url: _answered(client, url) for url in STORE_URLS}
    before = checksum(store)
    bound = store.read_deadline + SLACK

    def timed(url: str) -> tuple[str, int, float, dict[str, Any]]:
        started = time.monotonic()
        r = client.get(url)
        seconds = time.monotonic() - started
        return url, r.status_code, seconds, r.json() if r.headers["content-type"].startswith("application/json") else {}

    urls = [STORE_URLS[i % len(STORE_URLS)] for i in range(60)]
    pool = ThreadPoolExecutor(max_workers=61)
    os.kill(pid, signal.SIGSTOP)
    try:
        frozen_at = time.monotonic()
        futures = [pool.submit(timed, url) for url in urls] + [pool.submit(timed, "/health")]
        # Wait a little past the bound: a request still running then is a hang (before the fix,
        # all of them: the driver waited for the frozen server for ever).
        _done, hanging = wait(futures, timeout=bound + 1.0)
        later = timed("/organs/nato.nac") if not hanging else ("/organs/nato.nac", 0, 0.0, {})
        frozen_for = time.monotonic() - frozen_at
    finally:
        os.kill(pid, signal.SIGCONT)
        pool.shutdown(wait=True)
    outcomes = [f.result() for f in futures[:-1]]
    health = futures[-1].result()
    print(
        f"\nfrozen {frozen_for:.1f} s: {len(futures)} requests, {len(hanging)} past the bound, "
        f"slowest {max(o[2] for o in [*outcomes, health]):.2f} s (bound {bound:.2f} s), "
        f"statuses {sorted({o[1] for o in outcomes})}"
    )
    assert not hanging, f"{len(hanging)} of {len(futures)} requests hung past the bound"
    for url, status, seconds, body in [*outcomes, health, later]:
        assert status == 503, (url, status)
        assert seconds < bound, (url, seconds)
        assert "error" in body and "Neo4j" in body["error"], (url, body)
    assert health[3]["state"] == "unavailable"
    # A request after the freeze set in fails within the bound too (at once when every pending read
    # is one already given up on; on a loaded machine it may wait for one of them to be).
    assert later[2] < bound

    # Healing (issue 29 item 4): within 5 s of Neo4j answering a query again, every question is answered.
    answering = _when_neo4j_answers()
    for url, answer in expected.items():
        r = client.get(url)
        while r.status_code == 503 and time.monotonic() < answering + HEAL_WITHIN:
            time.sleep(0.1)
            r = client.get(url)
        assert r.content == answer.content, (url, r.status_code, r.text[:200])
    assert time.monotonic() - answering < HEAL_WITHIN + SLACK
    assert checksum(store) == before


HEAL_WITHIN = 5.0


def _when_neo4j_answers() -> float:
    """When (monotonic) Neo4j answers a query on a connection of its own, waited for up to a minute."""
    give_up = time.monotonic() + 60
    while True:
        driver = open_driver(NEO4J_TEST_URI, NEO4J_TEST_USER, NEO4J_TEST_PASSWORD, 2.0)
        try:
            driver.execute_query("RETURN 1 AS one", database_=NEO4J_TEST_DATABASE)
            return time.monotonic()
        except Exception:  # not yet, whatever the reason
            if time.monotonic() > give_up:
                raise
            time.sleep(0.1)
        finally:
            driver.close()


def test_a_503_states_the_time_the_request_really_waited(frozen_api: tuple[TestClient, Neo4jStore, int]) -> None:
    """Issue 29: "the 503 text 'did not answer within 0.5 s' after 4.3 s of waiting". A request that
    waits for a worker thread first (every one busy), then for a frozen Neo4j, is told the time it
    waited since it arrived, which its store budget counts from too."""
    import re
    import threading

    import anyio.to_thread

    client, store, pid = frozen_api
    _answered(client, "/organs/nato.nac")
    release = threading.Event()
    limiter = client.portal.call(anyio.to_thread.current_default_thread_limiter)  # type: ignore[union-attr]

    async def occupy() -> None:
        await anyio.to_thread.run_sync(release.wait, abandon_on_cancel=True)

    held = [client.portal.start_task_soon(occupy) for _ in range(int(limiter.total_tokens))]  # type: ignore[union-attr]
    answers: list[httpx.Response] = []
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        asking = threading.Thread(target=lambda: answers.append(client.get("/linkage?alliance=us-rok&as_of=1985")))
        asking.start()
        time.sleep(store.read_deadline / 2)  # half the store's time spent waiting for a thread
        release.set()
        asking.join(timeout=30)
        waited = time.monotonic() - started
    finally:
        os.kill(pid, signal.SIGCONT)
        release.set()
        for f in held:
            f.result(timeout=30)
    (r,) = answers
    assert r.status_code == 503, r.text[:200]
    said = re.search(r"did not answer within ([0-9.]+) s", r.json()["error"])
    assert said, r.json()
    assert waited - 0.5 <= float(said.group(1)) <= waited + 0.1, (r.json()["error"], waited)


def test_health_does_not_wait_for_the_shared_thread_pool(frozen_api: tuple[TestClient, Neo4jStore, int]) -> None:
    """With every worker thread of the sync routes busy, /health still answers (it is async)."""
    import threading

    import anyio.to_thread

    client, _store, _pid = frozen_api
    release = threading.Event()
    limiter = client.portal.call(anyio.to_thread.current_default_thread_limiter)  # type: ignore[union-attr]
    held = int(limiter.total_tokens)

    async def occupy() -> None:
        await anyio.to_thread.run_sync(release.wait, abandon_on_cancel=True)

    futures = [client.portal.start_task_soon(occupy) for _ in range(held)]  # type: ignore[union-attr]
    answers: list[httpx.Response] = []
    try:
        time.sleep(0.5)
        asking = threading.Thread(target=lambda: answers.append(client.get("/health")))
        asking.start()
        asking.join(timeout=TIMEOUT + SLACK)
        answered_while_busy = bool(answers)
    finally:
        release.set()
        for f in futures:
            f.result(timeout=10)
        asking.join(timeout=10)
    assert answered_while_busy, "/health waited for the sync routes' thread pool"
    assert answers[0].status_code == 200 and answers[0].json()["state"] == "ok"


# ------------------------------------------------------------------------------------------ secrets

SECRET = "hunter2-0b5e7c"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ALLIANCE_"))}
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.mark.parametrize(
    ("scheme", "command"),
    [
        ("bolt", ["serve", "--port", "1"]),
        ("neo4j+s", ["serve", "--port", "1"]),
        ("bolt", ["load"]),
        ("neo4j", ["linkage", "--alliance", "nato"]),
    ],
)
def test_a_password_in_neo4j_uri_is_never_printed(scheme: str, command: list[str]) -> None:
    env = _env(NEO4J_URI=f"{scheme}://neo4j:{SECRET}@127.0.0.1:1", NEO4J_TIMEOUT_SECONDS="1")
    r = subprocess.run(
        [sys.executable, "-m", "app.cli", *command], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert SECRET not in out and "Traceback" not in out
    assert len(r.stderr.strip().splitlines()) <= 2, r.stderr  # one line (load says first what it loads)


def test_uvicorn_started_directly_does_not_print_the_password() -> None:
    env = _env(NEO4J_URI=f"bolt://neo4j:{SECRET}@127.0.0.1:1")
    r = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(_free_port())],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert SECRET not in r.stdout + r.stderr
    assert "NEO4J_URI cannot be used" in r.stderr


def test_503s_and_health_name_neither_credentials_nor_address(tmp_path: Path) -> None:
    """A server on a Neo4j that is not there: every store route answers 503, and neither the bodies nor
    the server's log hold the password, the user, the URI's host and port, or a resolved address."""
    dead_port = _free_port()
    port = _free_port()
    log = tmp_path / "server.log"
    env = _env(
        NEO4J_URI=f"neo4j://127.0.0.1:{dead_port}",
        NEO4J_USER="analyst-7f3a",
        NEO4J_PASSWORD=SECRET,
        NEO4J_TIMEOUT_SECONDS="1",
        ALLIANCE_API_KEY=SECRET + "-key",
    )
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=REPO, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    bodies: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/health", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as c:
            for url in ["/health", *STORE_URLS]:
                r = c.get(url)
                assert r.status_code == 503, (url, r.status_code, r.text[:200])
                assert "error" in r.json()
                bodies.append(r.text)
            r = c.post("/admin/reload", headers={"X-API-Key": SECRET + "-key"})
            assert r.status_code in (422, 503)
            bodies.append(r.text)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    text = "\n".join(bodies)
    for leak in (SECRET, "analyst-7f3a", str(dead_port), "127.0.0.1", "neo4j://", "resolved"):
        assert leak not in text, leak
    assert SECRET not in log.read_text()
