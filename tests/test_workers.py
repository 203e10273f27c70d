"""Several API processes at once: real uvicorn subprocesses on loopback ports.

Over one Neo4j, two API processes serve the same answers, and when `alliances load` (a third
process) commits changed seeds, each moves to them within the checksum interval (META_TTL, about
1 s), never serving a mix within one answer: each answer is byte for byte the answer of the version
its ETag names. `alliances serve --workers 2` runs two worker processes on one port; on the embedded
store it refuses POST /admin/reload, which would reach only one of them.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app
from app.seeds import load_seeds
from app.store.embedded import EmbeddedStore
from app.store.neo4j_checksum import dataset_checksum
from app.store.neo4j_load import META_ID, load
from app.store.neo4j_store import META_TTL, Neo4jStore
from tests.conftest import NEO4J_TEST_DATABASE, NEO4J_TEST_PASSWORD, NEO4J_TEST_URI, NEO4J_TEST_USER
from tests.test_versions import rename_in_seeds

REPO = Path(__file__).resolve().parent.parent
DB = NEO4J_TEST_DATABASE
URLS = [
    "/organs/nato.nac",
    "/paths?source=nato.nac&target=nato.saceur&as_of=2009",
    "/linkage?alliance=nato&as_of=2009&kinds=authority,advice",
    "/export?alliance=nato&as_of=2009&format=json",
]
RENAMED = "North Atlantic Council (renamed for the test)"
# The promise is "within META_TTL of the commit"; the margin covers the checksum query itself and
# the test's own view of the commit (it polls the database every POLL seconds).
MARGIN = 1.0
POLL = 0.02
START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def neo4j_env() -> dict[str, str]:
    return {
        "NEO4J_URI": NEO4J_TEST_URI,
        "NEO4J_USER": NEO4J_TEST_USER,
        "NEO4J_PASSWORD": NEO4J_TEST_PASSWORD,
        "NEO4J_DATABASE": DB,
    }


def get(port: int, url: str, method: str = "GET", headers: Mapping[str, str] | None = None) -> tuple[int, str, bytes]:
    """(status, ETag, body) over a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, url, headers=dict(headers or {}))
        r = conn.getresponse()
        return r.status, r.getheader("etag") or "", r.read()
    finally:
        conn.close()


class Api:
    """`alliances serve` in a subprocess of its own, stopped by its pid."""

    def __init__(self, log: Path, env: Mapping[str, str], *extra: str) -> None:
        self.port = free_port()
        self.log = log
        cmd = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra]
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the API process exited ({self.proc.returncode}):\n{self.log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                if get(self.port, "/health")[0] == 200:
                    return
            time.sleep(0.2)
        pytest.fail(f"the API process did not answer within {START_TIMEOUT:.0f} s:\n{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: the server and its workers
                self.proc.wait()


@contextlib.contextmanager
def apis(tmp_path: Path, count: int, env: Mapping[str, str], *extra: str) -> Iterator[list[Api]]:
    """``count`` API processes, started at once; waited for when the caller first asks (``ready``)."""
    started = [Api(tmp_path / f"api-{i}.log", env, *extra) for i in range(count)]
    try:
        yield started
    finally:
        for api in started:
            api.stop()


def ready(servers: list[Api]) -> list[Api]:
    for api in servers:
        api.wait_ready()
    return servers


def expected_answers(store: EmbeddedStore) -> dict[str, bytes]:
    set_store(store)
    try:
        with TestClient(app) as c:
            return {url: c.get(url).content for url in URLS}
    finally:
        set_store(None)


@dataclass
class Answer:
    sent: float
    done: float
    url: str
    status: int
    version: str
    body: bytes


def poll(port: int, stop: threading.Event, out: list[Answer]) -> None:
    """Ask the URLs in turn on one keep-alive connection until told to stop."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        i = 0
        while not stop.is_set():
            url = URLS[i % len(URLS)]
            i += 1
            sent = time.monotonic()
            conn.request("GET", url)
            r = conn.getresponse()
            body = r.read()
            out.append(Answer(sent, time.monotonic(), url, r.status, (r.getheader("etag") or "").strip('"'), body))
    finally:
        conn.close()


@pytest.fixture()
def restore_seeds(neo4j_driver: Any, embedded: EmbeddedStore, neo4j_store: Neo4jStore) -> Iterator[None]:
    yield
    neo4j_store.follow(load(neo4j_driver, embedded.dataset, database=DB, prune=True)["bookmarks"])


def test_api_processes_move_to_a_load_together_and_never_mix(
    tmp_path: Path, neo4j_driver: Any, neo4j_loaded: dict[str, Any], embedded: EmbeddedStore, restore_seeds: None
) -> None:
    with apis(tmp_path, 2, neo4j_env()) as servers:
        # While the two API processes start: the changed seeds, and both versions' answers, computed here.
        seeds = tmp_path / "seeds"
        shutil.copytree(REPO / "seeds", seeds)
        rename_in_seeds(seeds, "nato.nac", "North Atlantic Council", RENAMED)
        new = EmbeddedStore(load_seeds(seeds))
        old_version, new_version = embedded.version(), new.version()
        assert old_version == neo4j_loaded["checksum"] and new_version == dataset_checksum(new.dataset) != old_version
        expected = {old_version: expected_answers(embedded), new_version: expected_answers(new)}
        assert all(expected[old_version][u] != expected[new_version][u] for u in URLS)

        for server in ready(servers):  # before the load: the old data, tagged with its version
            for url in URLS:
                assert get(server.port, url) == (200, f'"{old_version}"', expected[old_version][url]), url

        stop = threading.Event()
        answers: list[list[Answer]] = [[] for _ in servers]
        pollers = [threading.Thread(target=poll, args=(s.port, stop, a)) for s, a in zip(servers, answers, strict=True)]
        for t in pollers:
            t.start()
        committed: list[float] = []

        def watch() -> None:  # when the commit is visible to a reader of the database
            while not stop.is_set():
                records, _, _ = neo4j_driver.execute_query(
                    "MATCH (m:Meta {id: $id}) RETURN m.checksum AS c", id=META_ID, database_=DB
                )
                if records and records[0]["c"] == new_version:
                    committed.append(time.monotonic())
                    return
                time.sleep(POLL)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            time.sleep(0.3)
            loaded = subprocess.run(
                [sys.executable, "-m", "app.cli", "load", "--seeds", str(seeds), "--prune"],
                cwd=REPO,
                env={**os.environ, **neo4j_env()},
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert loaded.returncode == 0, loaded.stderr
            watcher.join(timeout=30)
            assert committed, "the load's checksum never became visible"
            time.sleep(max(0.0, committed[0] + META_TTL + MARGIN + 1.0 - time.monotonic()))
        finally:
            stop.set()
            for t in pollers:
                t.join(timeout=60)
            watcher.join(timeout=30)

    commit = committed[0]
    for server, got in zip(servers, answers, strict=True):
        assert got, f"no answers from port {server.port}"
        versions = []
        for a in got:
            assert a.status == 200, (a.url, a.status, a.body[:200])
            assert a.version in expected, f"unknown version {a.version!r}"
            # One answer, one version: the body is exactly that version's answer, never a mix.
            assert a.body == expected[a.version][a.url], (a.url, a.version)
            versions.append(a.version)
        # Old data until the switch, new data after it, and no going back.
        first_new = versions.index(new_version)
        assert set(versions[:first_new]) == {old_version} and set(versions[first_new:]) == {new_version}
        assert all(a.version == new_version for a in got if a.sent > commit + META_TTL + MARGIN)
        assert all(a.version == old_version for a in got if a.done < commit - 5.0)
        lag = got[first_new].done - commit
        print(f"port {server.port}: first new answer {lag:+.3f} s after the commit was visible")


def worker_pids(parent: int) -> list[int]:
    """The uvicorn worker processes of a server (children running multiprocessing's spawn)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
            if ppid == parent and b"multiprocessing" in cmdline and b"spawn_main" in cmdline:
                found.append(int(entry.name))
    return sorted(found)


def test_serve_workers_runs_n_consistent_processes_and_refuses_an_embedded_reload(
    tmp_path: Path, embedded: EmbeddedStore
) -> None:
    env = {"NEO4J_URI": "", "ALLIANCE_API_KEY": "s3cret-key"}
    with apis(tmp_path, 1, env, "--workers", "2") as (server,):
        server.wait_ready()
        deadline = time.monotonic() + START_TIMEOUT
        while len(worker_pids(server.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = worker_pids(server.proc.pid)
        assert len(workers) == 2, server.log.read_text()[-2000:]
        # Fresh connections land on either worker; every one answers the same version and bytes.
        seen = {get(server.port, "/linkage?alliance=us-rok&as_of=1985") for _ in range(12)}
        assert len(seen) == 1
        status, tag, _ = seen.pop()
        assert (status, tag) == (200, f'"{embedded.version()}"')
        refused = get(server.port, "/admin/reload", "POST", {"X-API-Key": "s3cret-key"})
        assert refused[0] == 409 and b"2 worker processes" in refused[2] and b"Restart the server" in refused[2]
        assert get(server.port, "/admin/reload", "POST")[0] == 401
    assert "2 worker processes" in server.log.read_text()
    time.sleep(0.5)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "workers outlived their server"


def test_serve_workers_fails_in_one_line_on_invalid_seeds(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    nato = seeds / "nato.yaml"
    nato.write_text(nato.read_text(encoding="utf-8").replace("kind: authority", "kind: command", 1), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--workers", "2", "--port", str(free_port())],
        cwd=REPO,
        env={**os.environ, "NEO4J_URI": "", "ALLIANCE_SEEDS_DIR": str(seeds)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert out.stderr.splitlines() == ["alliances: the seeds are invalid (1 problem(s)); run 'alliances validate'"]


def test_worker_processes_accept_connections_with_tcp_nodelay() -> None:
    """The socket `serve --workers N` hands its workers makes asyncio set TCP_NODELAY on each connection
    (uvicorn's own leaves Nagle on: every keep-alive request after the first would wait ~40 ms)."""
    import asyncio

    import uvicorn

    from app.serve import listening_socket

    port = free_port()
    sock = listening_socket(uvicorn.Config("app.main:app", host="127.0.0.1", port=port, workers=2, log_level="error"))
    options: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            options.append(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def accept_one() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            while not options:
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(asyncio.wait_for(accept_one(), timeout=30))
    assert sock.proto == socket.IPPROTO_TCP and options == [1]
