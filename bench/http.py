"""Seed-scale over HTTP: the questions against the framework's floor, on one uvicorn on loopback.

The server (``bench.app:create_bench_app``, one uvicorn worker, as ``alliances serve`` runs it)
and the load generator (``bench.loadgen``) are separate processes, one core each on a two-core
machine. Each endpoint gets the same number of connections for the same time; the floor is
measured before and after the questions and the mean of the two is the reference, so a drift of
the machine during the run shows as a difference between the two floors.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.app import FLOOR_PATH

REPO = Path(__file__).resolve().parent.parent

# What analysts ask at seed scale; each endpoint cycles through its list.
QUERIES: dict[str, list[str]] = {
    "floor": [FLOOR_PATH],
    # The floor with each question's parameters (same query strings, no question asked).
    "floor_paths": [],
    "floor_linkage": [],
    "paths": [
        "/paths?source=nato.nac&target=nato.saceur&as_of=2009",
        "/paths?source=us-rok.scm&target=us-rok.cfc&as_of=1985",
        "/paths?source=us-japan.scc&target=japan.jsdf&as_of=2009&kinds=authority,coordination",
    ],
    "linkage": [
        "/linkage?alliance=nato&as_of=2009",
        "/linkage?alliance=us-rok&as_of=1985",
        "/linkage?alliance=us-japan&as_of=2009",
    ],
    "centrality": [
        "/centrality?alliance=us-rok&as_of=2009&metric=betweenness&kinds=authority,advice,coordination,support,membership",
        "/centrality?alliance=nato&as_of=2009",
    ],
    "compare": ["/compare"],
}

for _name in ("paths", "linkage"):
    QUERIES[f"floor_{_name}"] = [FLOOR_PATH + "/" + q.lstrip("/") for q in QUERIES[_name]]

# Targets of the issue, as ratios against the floors of the same run: the plain floor, and the floor
# that takes the same parameters (what FastAPI's parameter handling alone costs).
THROUGHPUT_TARGET = {"paths": 0.8, "linkage": 0.8}
THROUGHPUT_TARGET_WITH_PARAMETERS = {"paths": 0.9, "linkage": 0.9}
P99_TARGET = 2.0
# Also measured with the answer cache off (a second server), to show what it is worth.
UNCACHED = ("paths", "linkage")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the bench server did not answer /health on port {port} within {timeout:.0f} s")


class Server:
    """uvicorn serving the bench app in a subprocess; a context manager that stops it by its pid."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.app:create_bench_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_ready(self.port)
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def load(port: int, paths: list[str], duration: float, connections: int, warmup: float) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "bench.loadgen",
        "--port",
        str(port),
        "--duration",
        str(duration),
        "--connections",
        str(connections),
        "--warmup",
        str(warmup),
        *paths,
    ]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def check_answers(port: int) -> None:
    """Every query answers 200 before it is loaded: a benchmark of error pages measures nothing."""
    for paths in QUERIES.values():
        for path in paths:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
                if r.status != 200:
                    raise RuntimeError(f"{path} answered {r.status}")


def run(duration: float = 10.0, connections: int = 8, warmup: float = 1.0, log: Any = print) -> dict[str, Any]:
    """Throughput and latency of each endpoint, and each against the floor's."""
    runs: dict[str, Any] = {}
    order = ["floor", "floor_paths", "paths", "floor_linkage", "linkage", "centrality", "compare", "floor"]
    with Server(env={"NEO4J_URI": ""}) as server:
        check_answers(server.port)
        floors = []
        for name in order:
            log(f"  http: {name} for {duration:.0f} s, {connections} connections")
            result = load(server.port, QUERIES[name], duration, connections, warmup)
            if name == "floor":
                floors.append(result)
            else:
                runs[name] = result
    # The same questions with the answer cache off: every request parses, asks and serialises.
    uncached: dict[str, Any] = {}
    with Server(env={"NEO4J_URI": "", "ALLIANCE_ANSWER_CACHE_MB": "0"}) as server:
        for name in UNCACHED:
            log(f"  http: {name} with the answer cache off, {duration:.0f} s")
            uncached[name] = load(server.port, QUERIES[name], duration, connections, warmup)
    floor_rps = sum(f["throughput_rps"] for f in floors) / len(floors)
    floor_p99 = sum(f["latency_ms"]["p99"] for f in floors) / len(floors)
    endpoints = {}
    for name, result in runs.items():
        rps_ratio = result["throughput_rps"] / floor_rps
        p99_ratio = result["latency_ms"]["p99"] / floor_p99
        entry = {
            **result,
            "throughput_vs_floor": round(rps_ratio, 3),
            "p99_vs_floor": round(p99_ratio, 3),
        }
        if name in THROUGHPUT_TARGET:
            # The targets are for paths and linkage; the others are reported beside them.
            entry["throughput_target"] = THROUGHPUT_TARGET[name]
            entry["throughput_met"] = rps_ratio >= THROUGHPUT_TARGET[name]
            entry["p99_target"] = P99_TARGET
            entry["p99_met"] = p99_ratio < P99_TARGET
        mirror = runs.get(f"floor_{name}")
        if mirror is not None:
            # Against a floor that validates the same parameters.
            rps, p99 = mirror["throughput_rps"], mirror["latency_ms"]["p99"]
            entry["throughput_vs_floor_with_its_parameters"] = round(result["throughput_rps"] / rps, 3)
            entry["p99_vs_floor_with_its_parameters"] = round(result["latency_ms"]["p99"] / p99, 3)
            if name in THROUGHPUT_TARGET_WITH_PARAMETERS:
                entry["throughput_target_with_its_parameters"] = THROUGHPUT_TARGET_WITH_PARAMETERS[name]
                entry["throughput_met_with_its_parameters"] = (
                    result["throughput_rps"] / rps >= THROUGHPUT_TARGET_WITH_PARAMETERS[name]
                )
        endpoints[name] = entry
    for name, result in uncached.items():
        endpoints[f"{name}_answer_cache_off"] = {
            **result,
            "throughput_vs_floor": round(result["throughput_rps"] / floor_rps, 3),
            "p99_vs_floor": round(result["latency_ms"]["p99"] / floor_p99, 3),
        }
    return {
        "server": "uvicorn, 1 worker, loopback, access log off, bench.app:create_bench_app (embedded store)",
        "load_generator": "bench.loadgen: closed-loop asyncio keep-alive HTTP/1.1 client, in its own process",
        "floor": {
            "path": FLOOR_PATH,
            "runs": floors,
            "throughput_rps": round(floor_rps, 1),
            "p99_ms": round(floor_p99, 3),
            "drift": round(floors[-1]["throughput_rps"] / floors[0]["throughput_rps"], 3),
        },
        "endpoints": endpoints,
        "serialisation": serialisation(),
    }


def serialisation(repeats: int = 300) -> dict[str, Any]:
    """The answers' JSON by the json module (as Starlette's JSONResponse writes it) and by orjson
    (as the explorer does, ``app.api.render.AnswerJSON``), in this process, best of five CPU times."""
    import json as json_module

    from app.api.deps import default_store
    from app.questions import centrality, compare, linkage, paths
    from app.snapshot import ALL_KINDS, SnapshotParams

    try:
        import orjson
    except ImportError:
        return {"measured": False, "why": "orjson is not installed"}
    store = default_store()
    answers = {
        "paths": paths(store.snapshot(SnapshotParams(as_of=2009)), "nato.nac", "nato.saceur"),
        "linkage": linkage(store.snapshot(SnapshotParams(alliance="nato", as_of=2009))),
        "centrality": centrality(
            store.snapshot(SnapshotParams(alliance="us-rok", as_of=2009)), "betweenness", ALL_KINDS
        ),
        "compare": compare(store, ["nato", "us-rok", "us-japan"], 2009),
    }
    out: dict[str, Any] = {}
    for name, answer in answers.items():

        def with_json(a: Any = answer) -> bytes:
            return json_module.dumps(
                a, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
            ).encode()

        def with_orjson(a: Any = answer) -> bytes:
            return orjson.dumps(a, option=orjson.OPT_NON_STR_KEYS)

        def best(fn: Any) -> float:
            times = []
            for _ in range(5):
                start = time.process_time()
                for _ in range(repeats):
                    fn()
                times.append((time.process_time() - start) / repeats)
            return min(times)

        tj, to = best(with_json), best(with_orjson)
        out[name] = {
            "bytes": len(with_json()),
            "json_us": round(tj * 1e6, 1),
            "orjson_us": round(to * 1e6, 1),
            "speedup": round(tj / to, 1),
            "same_bytes": with_json() == with_orjson(),
        }
    return out
