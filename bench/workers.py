"""Worker processes (issue 18): throughput with 1 and 2 uvicorn workers, embedded and Neo4j, each
against the floor of the same server in the same run; and how long a load takes to reach every
API process.

``python -m bench.workers [--duration S] [--neo4j-uri bolt://...]`` prints one JSON object;
``python -m bench`` runs it too (``--skip-workers`` to leave it out).

* Throughput: ``bench.app:create_bench_app`` under ``app.serve.run_server`` with N workers (what
  ``alliances serve --workers N`` runs), the closed-loop load generator ``bench.loadgen`` in its own process, the
  floor (``/bench/floor``) before and after ``/paths``, ``/linkage`` and ``/compare``. The ratio
  to the floor at the same worker count is what a question costs; the floor's own gain from 1 to 2
  workers is what the second process buys on this machine (the load generator shares its cores).
* Propagation: two API processes over one Neo4j, each polled on its own port; ``alliances load``
  of seeds with one organ renamed, from a third process. The time from the commit becoming visible
  (a watcher reads the load checksum every 10 ms) to each process's first answer tagged with the new
  version (``ETag``), then back to the original seeds; the promise is ``META_TTL`` (1 s).

On Neo4j it uses the bench-only server of ``bench.neo4j`` (never the test suite's), started if
needed, unless ``--neo4j-uri`` names one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from bench.app import FLOOR_PATH
from bench.http import QUERIES, check_answers, free_port, load, wait_ready

REPO = Path(__file__).resolve().parent.parent
ENDPOINTS = ("paths", "linkage", "compare")
WORKER_COUNTS = (1, 2)
PROPAGATION_URL = "/organs/nato.nac"
RENAMED = "North Atlantic Council (renamed by the bench)"


class Server:
    """uvicorn with ``workers`` processes in a subprocess of its own session; stopped by its pid."""

    def __init__(self, env: Mapping[str, str], workers: int = 1, app: str = "bench.app:create_bench_app") -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "ALLIANCE_WORKERS": str(workers)}
        self.workers = workers
        self.app = app
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        # What `alliances serve --workers N` runs (app.serve.run_server), on the bench app.
        factory = self.app.startswith("bench.app:")
        code = (
            "from app.serve import run_server; "
            f"run_server({self.app!r}, '127.0.0.1', {self.port}, {self.workers}, factory={factory}, "
            "log_level='warning', access_log=False)"
        )
        cmd = [sys.executable, "-c", code]
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            wait_ready(self.port, timeout=120)
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()


def _neo4j_env(uri: str | None, password: str) -> dict[str, str]:
    return {"NEO4J_URI": uri or "", "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": password}


def throughput(
    store: str, workers: int, env: Mapping[str, str], duration: float, connections: int, warmup: float, log: Any
) -> dict[str, Any]:
    runs: dict[str, Any] = {}
    floors = []
    with Server(env, workers) as server:
        check_answers(server.port)  # every query answers 200 before it is measured
        for name in ("floor", *ENDPOINTS, "floor"):
            log(f"  workers: {store}, {workers} worker(s), {name} for {duration:.0f} s")
            result = load(
                server.port, QUERIES[name] if name != "floor" else [FLOOR_PATH], duration, connections, warmup
            )
            if name == "floor":
                floors.append(result)
            else:
                runs[name] = result
    floor_rps = sum(f["throughput_rps"] for f in floors) / len(floors)
    return {
        "store": store,
        "workers": workers,
        "floor_rps": round(floor_rps, 1),
        "floor_drift": round(floors[-1]["throughput_rps"] / max(floors[0]["throughput_rps"], 1e-9), 3),
        "errors": sum(r["errors"] for r in (*floors, *runs.values())),
        "endpoints": {
            name: {
                "throughput_rps": round(r["throughput_rps"], 1),
                "throughput_vs_floor": round(r["throughput_rps"] / floor_rps, 3),
                "p50_ms": round(r["latency_ms"]["p50"], 3),
                "p99_ms": round(r["latency_ms"]["p99"], 3),
            }
            for name, r in runs.items()
        },
    }


def _etag(port: int, conn: http.client.HTTPConnection | None) -> tuple[str, http.client.HTTPConnection]:
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", PROPAGATION_URL)
    r = conn.getresponse()
    r.read()
    return (r.getheader("etag") or "").strip('"'), conn


@contextmanager
def _api_processes(count: int, env: Mapping[str, str]) -> Iterator[list[Server]]:
    servers = [Server(env, 1, app="app.main:app") for _ in range(count)]
    entered: list[Server] = []
    try:
        for s in servers:
            entered.append(s.__enter__())
        yield entered
    finally:
        for s in entered:
            s.__exit__()


def _one_switch(
    driver: Any, servers: list[Server], seeds: Path | None, env: Mapping[str, str], version: str
) -> dict[str, Any]:
    """Load ``seeds`` (None: the project's) from a third process; seconds until each server answers ``version``."""
    from app.store.neo4j_load import META_ID

    stop = threading.Event()
    first: dict[int, float] = {}
    committed: list[float] = []

    def poll(server: Server) -> None:
        conn = None
        while not stop.is_set():
            tag, conn = _etag(server.port, conn)
            if tag == version:
                first[server.port] = time.monotonic()
                break
        if conn is not None:
            conn.close()

    def watch() -> None:
        while not stop.is_set():
            records, _, _ = driver.execute_query("MATCH (m:Meta {id: $id}) RETURN m.checksum AS c", id=META_ID)
            if records and records[0]["c"] == version:
                committed.append(time.monotonic())
                return
            time.sleep(0.01)

    threads = [threading.Thread(target=poll, args=(s,)) for s in servers] + [threading.Thread(target=watch)]
    for t in threads:
        t.start()
    cmd = [sys.executable, "-m", "app.cli", "load", "--prune"] + (["--seeds", str(seeds)] if seeds else [])
    started = time.monotonic()
    out = subprocess.run(cmd, cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    load_s = time.monotonic() - started
    deadline = time.monotonic() + 30
    while (len(first) < len(servers) or not committed) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"alliances load failed: {out.stderr[-500:]}")
    if not committed or len(first) < len(servers):
        raise RuntimeError("a process did not move to the new load within 30 s")
    lags = sorted(round(first[s.port] - committed[0], 3) for s in servers)
    return {"load_command_s": round(load_s, 2), "lag_s": lags, "every_process_s": lags[-1]}


def propagation(uri: str, password: str, repeats: int, log: Any) -> dict[str, Any]:
    from app.seeds import load_seeds
    from app.store.neo4j_checksum import dataset_checksum
    from app.store.neo4j_driver import open_driver
    from app.store.neo4j_load import load

    env = _neo4j_env(uri, password)
    original = load_seeds()
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(REPO / "seeds", seeds)
        nato = seeds / "nato.yaml"
        text = nato.read_text(encoding="utf-8")
        pattern = r"(- id: nato\.nac\n(?:[ \t]+.*\n)*?[ \t]+name: )North Atlantic Council\n"
        nato.write_text(re.sub(pattern, lambda m: m.group(1) + RENAMED + "\n", text, count=1), encoding="utf-8")
        versions = {None: dataset_checksum(original), seeds: dataset_checksum(load_seeds(seeds))}
        driver = open_driver(uri, "neo4j", password, 10.0)
        try:
            load(driver, original, database="neo4j", prune=True)
            samples = []
            with _api_processes(2, env) as servers:
                for server in servers:
                    _etag(server.port, None)[1].close()
                for i in range(repeats):
                    for target in (seeds, None):
                        log(f"  workers: propagation {i + 1}/{repeats} ({'renamed' if target else 'original'} seeds)")
                        samples.append(_one_switch(driver, servers, target, env, versions[target]))
        finally:
            with suppress(Exception):
                load(driver, original, database="neo4j", prune=True)
            driver.close()
    every = [s["every_process_s"] for s in samples]
    return {
        "processes": 2,
        "switches": len(samples),
        "every_process_s": {"mean": round(sum(every) / len(every), 3), "max": max(every)},
        "samples": samples,
    }


def _bench_neo4j(log: Any) -> tuple[str | None, str, Callable[[], None], str | None]:
    """(uri, password, stop, why-not): the bench-only Neo4j of bench.neo4j, started if needed."""
    from bench import neo4j as neo4j_bench

    neo4j_bench._share_jars()
    started_here = neo4j_bench._neo4j_local("status").returncode != 0
    if started_here:
        log(f"  workers: starting the bench-only Neo4j on bolt {neo4j_bench.BOLT_PORT}")
        out = neo4j_bench._neo4j_local("start")
        if out.returncode != 0:
            return None, "", lambda: None, f"could not start a bench Neo4j: {(out.stderr or out.stdout)[-400:]}"

    def stop() -> None:
        if started_here:
            neo4j_bench._neo4j_local("stop")

    return f"bolt://127.0.0.1:{neo4j_bench.BOLT_PORT}", neo4j_bench.PASSWORD, stop, None


def run(
    duration: float = 5.0,
    connections: int = 8,
    quick: bool = False,
    neo4j_uri: str | None = None,
    neo4j_password: str = "alliance-explorer",
    skip_neo4j: bool = False,
    log: Any = print,
) -> dict[str, Any]:
    """Throughput per (store, worker count) against its floor, and the load propagation time."""
    from app.seeds import load_seeds
    from app.store.neo4j_driver import open_driver
    from app.store.neo4j_load import load

    result: dict[str, Any] = {"cores": os.cpu_count(), "connections": connections, "duration_s": duration}
    rows = [throughput("embedded", n, _neo4j_env(None, ""), duration, connections, 1.0, log) for n in WORKER_COUNTS]
    stop: Callable[[], None] = lambda: None  # noqa: E731
    why = "skipped" if skip_neo4j else None
    if not skip_neo4j:
        uri, password = neo4j_uri, neo4j_password
        if uri is None:
            uri, password, stop, why = _bench_neo4j(log)
        if uri is not None and why is None:
            try:
                driver = open_driver(uri, "neo4j", password, 10.0)
                try:
                    load(driver, load_seeds(), database="neo4j", prune=True)
                finally:
                    driver.close()
                env = _neo4j_env(uri, password)
                rows += [throughput("neo4j", n, env, duration, connections, 1.0, log) for n in WORKER_COUNTS]
                result["propagation"] = propagation(uri, password, 1 if quick else 3, log)
            except Exception as err:  # a benchmark reports; it does not fail
                why = f"{type(err).__name__}: {str(err)[:400]}"
            finally:
                stop()
    result["throughput"] = rows
    if why:
        result["neo4j_not_measured"] = why
    result["targets"] = targets(result)
    return result


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Report rows for ``python -m bench``'s table: each question against the floor at its worker count."""
    rows: list[dict[str, Any]] = []
    by_key = {(r["store"], r["workers"]): r for r in result.get("throughput", [])}
    for (store, workers), r in by_key.items():
        for name, e in r["endpoints"].items():
            rows.append(
                {
                    "target": f"{name} throughput vs floor, {store}, {workers} worker(s) (report)",
                    "measured": e["throughput_vs_floor"],
                    "met": None,
                    "detail": f"{e['throughput_rps']:.0f} vs floor {r['floor_rps']:.0f} req/s; "
                    f"p99 {e['p99_ms']:.1f} ms",
                }
            )
        one = by_key.get((store, 1))
        if workers > 1 and one:
            rows.append(
                {
                    "target": f"floor throughput, {store}, {workers} workers vs 1 (report)",
                    "measured": round(r["floor_rps"] / one["floor_rps"], 3),
                    "met": None,
                    "detail": f"{r['floor_rps']:.0f} vs {one['floor_rps']:.0f} req/s "
                    "(the load generator shares the cores)",
                }
            )
    p = result.get("propagation")
    if p:
        rows.append(
            {
                "target": "a load reaches every API process within ~1 s (META_TTL)",
                "measured": p["every_process_s"]["max"],
                "met": p["every_process_s"]["max"] <= 1.5,
                "detail": f"mean {p['every_process_s']['mean']:.3f} s over {p['switches']} loads, "
                f"{p['processes']} processes",
            }
        )
    if result.get("neo4j_not_measured"):
        rows.append(
            {"target": "workers on Neo4j", "measured": "-", "met": None, "detail": result["neo4j_not_measured"]}
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per endpoint and worker count")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="one propagation round trip instead of three")
    parser.add_argument("--neo4j-uri", help="an existing Neo4j to use (default: the bench-only one of bench.neo4j)")
    parser.add_argument("--neo4j-password", default=os.environ.get("NEO4J_PASSWORD", "alliance-explorer"))
    parser.add_argument("--skip-neo4j", action="store_true")
    args = parser.parse_args(argv)
    result = run(
        args.duration,
        args.connections,
        args.quick,
        args.neo4j_uri,
        args.neo4j_password,
        args.skip_neo4j,
        log=lambda m: print(m, file=sys.stderr, flush=True),
    )
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
