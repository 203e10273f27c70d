"""Neo4j: the API against the raw driver running the store's own Cypher, and load throughput.

Runs on a Neo4j server of its own (``neo4j_local/neo4j_local.py`` with a separate state directory
and ports 7697/7484), never on the one the test suite loads: a benchmark that wipes and fills a
database must not do it under someone's tests. The server is started if needed (its jars come
from the same Maven cache) and stopped at the end when this run started it.

* API vs raw: ``/linkage`` and ``/paths`` through uvicorn on the Neo4j store, one request at a time
  on one keep-alive connection (as a client that asks many questions holds one), against the
  snapshot selection the store runs for them (``_select``) through the raw driver, one at a time.
  Warm (the same question again: the answer cache replays it) and cold (distinct years, so every
  request selects in Cypher and computes its answer). For cold requests, where the time goes, each
  part timed alone over the same questions (``_cold_where``): HTTP with the question's parameters
  and no question, the store's snapshot (read and build), the question with its JSON.
* Load, on the server's default 1 GiB heap: ``app.store.neo4j_load.load`` (a new generation in
  batches of ``DEFAULT_BATCH_SIZE`` rows, each its own transaction, then the switch, then the old
  generation dropped) of synthetic structures of 10k organs / 100k edges and 100k organs / 1M
  edges (``LOAD_SIZES``): time, rows per second, transactions, and the server's peak heap in use
  (``java.lang:type=Memory`` through ``dbms.queryJmx``, polled every 0.2 s during the load); then a
  sample of the same edges written again batched (``UNWIND``, 500 rows a statement) against one
  statement per edge, each in one write transaction: the batched-vs-per-statement ratio.

``python -m bench.neo4j --sizes 10000 --skip-api`` runs the load part alone (``--help``). The bench
server's ports and state are ``BENCH_NEO4J_BOLT_PORT`` / ``BENCH_NEO4J_HTTP_PORT`` (7697/7484) and
``BENCH_NEO4J_HOME``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from bench.stats import summary_ms

REPO = Path(__file__).resolve().parent.parent
BOLT_PORT = int(os.environ.get("BENCH_NEO4J_BOLT_PORT", "7697"))
HTTP_PORT = int(os.environ.get("BENCH_NEO4J_HTTP_PORT", "7484"))
STATE_DIR = Path(os.environ.get("BENCH_NEO4J_HOME", "/tmp/alliance-explorer-bench-neo4j"))
PASSWORD = "alliance-explorer"
API_TARGET = {"cold": 1.5, "warm": 1.1}  # issue 16: API p50 against the raw driver's snapshot query
LOAD_SIZES = (10_000, 100_000)  # organs; 10 edges per organ: 10k/100k and 100k/1M
EDGES_PER_ORGAN = 10.0
HEAP_POLL_SECONDS = 0.2


def _neo4j_local(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ALLIANCE_NEO4J_HOME": str(STATE_DIR),
        "NEO4J_BOLT_PORT": str(BOLT_PORT),
        "NEO4J_HTTP_PORT": str(HTTP_PORT),
        "NEO4J_PASSWORD": PASSWORD,
        # The default heap (1 GiB, neo4j_local) unless asked otherwise: loads are batched, so no
        # transaction needs more (one transaction for a whole load failed at 10k organs on 1 GiB).
        "ALLIANCE_NEO4J_HEAP": os.environ.get("ALLIANCE_NEO4J_HEAP", "1g"),
    }
    cmd = [sys.executable, str(REPO / "neo4j_local" / "neo4j_local.py"), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)


def _share_jars() -> None:
    """Reuse the jars the project's own Neo4j already fetched (same pom), instead of fetching again."""
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    shared = Path(os.environ.get("ALLIANCE_NEO4J_HOME", Path(xdg) / "alliance-explorer" / "neo4j"))
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("classpath.txt", "fetch.stamp"):
        if (shared / name).is_file() and not (STATE_DIR / name).exists():
            shutil.copy(shared / name, STATE_DIR / name)


def _timed_each(fn: Callable[[], Any], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


class _Client:
    """One keep-alive HTTP/1.1 connection, as a client asking question after question holds."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> None:
        try:
            self.conn.request("GET", path)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # uvicorn closes a connection idle for 5 s (while the raw driver was being timed).
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("GET", path)
            r = self.conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{path} answered {r.status}")

    def close(self) -> None:
        self.conn.close()


def api_vs_raw(driver: Any, uri: str, repeats: int) -> dict[str, Any]:
    from app.questions import linkage, paths
    from app.snapshot import ALL_KINDS, SnapshotParams
    from app.store.neo4j_read import select as _select
    from bench.http import Server

    queries = {
        "linkage": ("/linkage?alliance={a}&as_of={y}", lambda a, y: SnapshotParams(alliance=a, as_of=y)),
        "paths": ("/paths?source=nato.nac&target=nato.saceur&as_of={y}", lambda a, y: SnapshotParams(as_of=y)),
    }
    questions_of: dict[str, Callable[[Any], Any]] = {
        "linkage": linkage,
        "paths": lambda snap: paths(snap, "nato.nac", "nato.saceur"),
    }
    out: dict[str, Any] = {}
    env = {"NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": PASSWORD}
    with Server(env=env) as server, driver.session(database="neo4j") as session:
        client = _Client(server.port)
        for name, (template, params_of) in queries.items():
            # Warm: the same question again and again (the answer cache replays it).
            warm_path = template.format(a="nato", y=2009)
            client.get(warm_path)  # untimed: computes the answer, and opens the connection
            api_warm = _timed_each(partial(client.get, warm_path), repeats)
            warm_params = params_of("nato", 2009)
            raw_warm = _timed_each(partial(session.execute_read, _select, warm_params, ALL_KINDS), repeats)
            # Cold: every request a year not asked before, so the store selects in Cypher.
            years = list(range(1950, 2010))
            alliances = ["nato", "us-rok", "us-japan"]
            distinct: dict[Any, tuple[str, int]] = {}
            for y in years:
                for a in alliances:
                    distinct.setdefault(params_of(a, y), (a, y))
            cold = list(distinct.values())[:repeats]
            api_cold = []
            client.get("/health")  # untimed: the connection is open before the first timed request
            for a, y in cold:
                start = time.perf_counter()
                client.get(template.format(a=a, y=y))
                api_cold.append(time.perf_counter() - start)
            raw_cold = []
            for a, y in cold:
                p = params_of(a, y)
                start = time.perf_counter()
                session.execute_read(_select, p, ALL_KINDS)
                raw_cold.append(time.perf_counter() - start)
            w_api, w_raw, c_api, c_raw = (summary_ms(x) for x in (api_warm, raw_warm, api_cold, raw_cold))
            out[name] = {
                "api_warm": w_api,
                "raw_warm": w_raw,
                "api_cold": c_api,
                "raw_cold": c_raw,
                "warm_ratio_p50": round(w_api["p50"] / w_raw["p50"], 3),
                "cold_ratio_p50": round(c_api["p50"] / c_raw["p50"], 3),
                "cold_ratio_p99": round(c_api["p99"] / c_raw["p99"], 3),
                "cold_where": _cold_where(client, driver, template, params_of, cold, questions_of[name]),
            }
        client.close()
    return out


def _cold_where(
    client: _Client,
    driver: Any,
    template: str,
    params_of: Callable[[str, int], Any],
    cold: list[tuple[str, int]],
    question: Callable[[Any], Any],
) -> dict[str, Any]:
    """Where a cold request's time goes, each part timed alone over the same cold questions (p50):
    the HTTP request with the question's parameters but no question (``/bench/floor/<name>``, same
    validation and store dependency, constant answer); the store's snapshot (its Cypher read and
    the snapshot built from the rows, in this process on a store of its own, so every snapshot is
    cold); and the question with its JSON (``app.api.render.AnswerJSON``)."""
    from app.api.render import AnswerJSON
    from app.store.neo4j_store import Neo4jStore

    floor = []
    for a, y in cold:
        start = time.perf_counter()
        client.get("/bench/floor/" + template.format(a=a, y=y).lstrip("/"))
        floor.append(time.perf_counter() - start)
    store = Neo4jStore(driver)  # not closed: closing it would close the bench's driver too
    store.pinned()  # untimed: the models of the version, read once per load
    snapshot, answer = [], []
    for a, y in cold:
        start = time.perf_counter()
        snap = store.snapshot(params_of(a, y))
        snapshot.append(time.perf_counter() - start)
        start = time.perf_counter()
        _ = AnswerJSON(question(snap)).body
        answer.append(time.perf_counter() - start)
    parts = {
        "http_and_parameters_ms": summary_ms(floor)["p50"],
        "store_snapshot_ms": summary_ms(snapshot)["p50"],
        "question_and_json_ms": summary_ms(answer)["p50"],
    }
    return {**parts, "sum_ms": round(sum(parts.values()), 3)}


class HeapPoller:
    """The server's heap in use, polled through JMX while a load runs; ``peak`` is the largest seen."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver
        self.peak = 0
        self.max = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        records, _, _ = self.driver.execute_query(
            "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
            "RETURN attributes.HeapMemoryUsage.value.properties AS heap",
            database_="system",
        )
        heap = records[0]["heap"]
        used = int(heap["used"])
        self.peak = max(self.peak, used)
        self.max = int(heap["max"])
        self.samples += 1
        return used

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(Exception):  # a missed sample is not a failed benchmark
                self.sample()
            self._stop.wait(HEAP_POLL_SECONDS)

    def __enter__(self) -> HeapPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def load_throughput(driver: Any, organs: int, per_edge_sample: int, log: Callable[[str], None]) -> dict[str, Any]:
    from app.snapshot import edge_floor
    from app.store.neo4j_checksum import edge_row
    from app.store.neo4j_load import _CREATE_EDGES, DEFAULT_BATCH_SIZE, live_generation, load
    from bench.synthetic import generate

    ds = generate(organs, seed=0, edges_per_organ=EDGES_PER_ORGAN)
    with driver.session(database="neo4j") as s:
        s.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
    rows = len(ds.alliances) + len(ds.organs) + len(ds.edges)
    log(f"  neo4j: load of {len(ds.organs)} organs, {len(ds.edges)} edges on the server's heap")
    whole: dict[str, Any] = {}
    with HeapPoller(driver) as heap:
        with contextlib.suppress(Exception):
            whole["heap_used_before_mib"] = round(heap.sample() / 2**20, 1)
        start = time.perf_counter()
        try:
            counts = load(driver, ds, database="neo4j", prune=True)
            seconds = time.perf_counter() - start
            whole.update(
                {
                    "full_load_s": round(seconds, 3),
                    "full_load_rows_per_s": round(rows / seconds, 1),
                    "batch_size": DEFAULT_BATCH_SIZE,
                    "transactions": counts["batches"] + 1,  # the batches, and the switch
                    "old_generation_dropped": counts["old_generation_dropped"],
                }
            )
        except Exception as err:  # reported; the comparison below needs the load
            whole["full_load_failed"] = f"{type(err).__name__}: {' '.join(str(err).split())[:400]}"
            log(f"  neo4j: the load failed ({whole['full_load_failed'][:160]})")
    whole.update(
        {
            "peak_heap_used_mib": round(heap.peak / 2**20, 1),
            "heap_max_mib": round(heap.max / 2**20, 1),
            "heap_samples": heap.samples,
        }
    )
    if "full_load_failed" in whole:
        return {"organs": len(ds.organs), "edges": len(ds.edges), **whole}
    # A sample of the same edges again, edges only: delete them, write them back batched, then
    # delete again and write them back one statement per edge (each in one write transaction).
    with driver.session(database="neo4j") as s:
        gen = s.execute_read(live_generation)
    sample = list(ds.edges.values())[:per_edge_sample]
    seq = {e.id: i for i, e in enumerate(ds.edges.values())}
    by_kind: dict[Any, list[dict[str, Any]]] = {}
    for e in sample:
        row, _ = edge_row(e, seq[e.id], edge_floor(e, ds.organs, ds.alliances))
        by_kind.setdefault(e.kind, []).append(row)
    ids = [e.id for e in sample]

    def delete_sample() -> None:
        with driver.session(database="neo4j") as s:
            s.run("MATCH ()-[r]->() WHERE r.id IN $ids AND r.gen = $gen DELETE r", ids=ids, gen=gen).consume()

    def batched(tx: Any) -> None:
        for kind, rows_ in by_kind.items():
            for i in range(0, len(rows_), 500):
                tx.run(_CREATE_EDGES[kind], rows=rows_[i : i + 500], gen=gen).consume()

    def one_by_one(tx: Any) -> None:
        for kind, rows_ in by_kind.items():
            for row in rows_:
                tx.run(_CREATE_EDGES[kind], rows=[row], gen=gen).consume()

    # Alternate the two forms three times and keep each one's best: measured once each, the first
    # form paid for the checkpoint that follows the whole load (at 10k organs that made UNWIND look 4x
    # slower than one statement per edge, although PROFILE gives both the same index-seek plan).
    timings: dict[str, float] = {}
    for _ in range(3):
        for name, work in (("unwind_batches_of_500", batched), ("one_statement_per_edge", one_by_one)):
            delete_sample()
            with driver.session(database="neo4j") as s:
                start = time.perf_counter()
                s.execute_write(work)
                elapsed = time.perf_counter() - start
            timings[name] = min(elapsed, timings.get(name, elapsed))
    per_edge_rate = len(sample) / timings["one_statement_per_edge"]
    unwind_rate = len(sample) / timings["unwind_batches_of_500"]
    return {
        "organs": len(ds.organs),
        "edges": len(ds.edges),
        **whole,
        "edge_sample": len(sample),
        "unwind_edges_per_s": round(unwind_rate, 1),
        "one_statement_per_edge_edges_per_s": round(per_edge_rate, 1),
        "unwind_vs_per_edge": round(unwind_rate / per_edge_rate, 2),
    }


def run(
    quick: bool = False,
    log: Callable[[str], None] = print,
    sizes: Sequence[int] | None = None,
    api: bool = True,
) -> dict[str, Any]:
    """The Neo4j figures, or why they were not measured: loads of ``sizes`` organs (``LOAD_SIZES``;
    1,000 when ``quick``), then, with ``api``, the API against the raw driver on the seeds."""
    try:
        import neo4j  # noqa: F401

        from app.store import neo4j_load, neo4j_store  # noqa: F401
    except ImportError as err:
        return {"measured": False, "why": f"no Neo4j store or loader to measure ({err})"}
    _share_jars()
    status = _neo4j_local("status")
    started_here = status.returncode != 0
    if started_here:
        log(f"neo4j: starting a bench-only server on bolt {BOLT_PORT} (state in {STATE_DIR})")
        out = _neo4j_local("start")
        if out.returncode != 0:
            return {"measured": False, "why": f"could not start a bench Neo4j: {(out.stderr or out.stdout)[-800:]}"}
    uri = f"bolt://127.0.0.1:{BOLT_PORT}"
    result: dict[str, Any] = {"measured": True, "server": f"neo4j_local on {uri}, bench-only state in {STATE_DIR}"}
    try:
        from app.seeds import load_seeds
        from app.store.neo4j_driver import open_driver
        from app.store.neo4j_load import load

        driver = open_driver(uri, "neo4j", PASSWORD, 10.0)
        try:
            loads = []
            for organs in sizes or ((1_000,) if quick else LOAD_SIZES):
                try:
                    loads.append(load_throughput(driver, organs, 500 if quick else 2_000, log))
                except Exception as err:  # one size failing does not lose the others
                    loads.append({"organs": organs, "failed": f"{type(err).__name__}: {str(err)[:400]}"})
            result["load"] = loads
            if api:
                log("  neo4j: seeds loaded; API against the raw driver")
                load(driver, load_seeds(), database="neo4j", prune=True)
                result["api_vs_raw"] = api_vs_raw(driver, uri, 30 if quick else 200)
        finally:
            driver.close()
    except Exception as err:  # a benchmark reports; it does not fail
        result["measured"] = bool(result.get("load") or result.get("api_vs_raw"))
        result["why"] = f"{type(err).__name__}: {err}"
    finally:
        if started_here:
            _neo4j_local("stop")
    targets = []
    for name, r in (result.get("api_vs_raw") or {}).items():
        for phase in ("warm", "cold"):
            ratio = r[f"{phase}_ratio_p50"]
            detail = f"p50 API {r[f'api_{phase}']['p50']:.2f} ms vs raw {r[f'raw_{phase}']['p50']:.2f} ms"
            where = r.get("cold_where") if phase == "cold" else None
            if where:
                detail += (
                    f"; timed apart: HTTP with its parameters {where['http_and_parameters_ms']:.2f}, store snapshot "
                    f"(read + build) {where['store_snapshot_ms']:.2f}, question + JSON "
                    f"{where['question_and_json_ms']:.2f} ms"
                )
            targets.append(
                {
                    "target": f"Neo4j API {name} ({phase}) <= {API_TARGET[phase]} x raw driver latency",
                    "measured": ratio,
                    "met": ratio <= API_TARGET[phase],
                    "detail": detail,
                }
            )
    for r in result.get("load") or []:
        if "failed" in r or "full_load_failed" in r:
            targets.append(
                {
                    "target": f"Neo4j load of {r['organs']} organs on the default heap",
                    "measured": "-",
                    "met": False if "full_load_failed" in r else None,
                    "detail": r.get("failed") or r.get("full_load_failed"),
                }
            )
            continue
        targets.append(
            {
                "target": f"Neo4j load of {r['organs']} organs / {r['edges']} edges on the default heap",
                "measured": r["full_load_s"],
                "met": True,
                "detail": (
                    f"{r['full_load_s']:.1f} s, {r['full_load_rows_per_s']:.0f} rows/s, {r['transactions']} "
                    f"transactions; peak heap {r['peak_heap_used_mib']:.0f} of {r['heap_max_mib']:.0f} MiB"
                ),
            }
        )
        targets.append(
            {
                "target": f"Neo4j load at {r['organs']} organs: UNWIND vs one statement per edge (report)",
                "measured": r["unwind_vs_per_edge"],
                "met": None,
                "detail": (
                    f"{r['unwind_edges_per_s']:.0f} vs {r['one_statement_per_edge_edges_per_s']:.0f} edges/s "
                    f"({r['edge_sample']} edges)"
                ),
            }
        )
    if not result.get("measured"):
        targets.append(
            {"target": "Neo4j (API vs raw; load throughput)", "measured": "-", "met": None, "detail": result["why"]}
        )
    result["targets"] = targets
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.neo4j", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", help=f"comma list of organ counts to load (default {','.join(map(str, LOAD_SIZES))})"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 organs and fewer repeats")
    parser.add_argument("--skip-api", action="store_true", help="only the loads")
    parser.add_argument("--out", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")] if args.sizes else None
    result = run(quick=args.quick, sizes=sizes, api=not args.skip_api, log=lambda line: print(line, file=sys.stderr))
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
