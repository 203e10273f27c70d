"""A small closed-loop HTTP/1.1 load generator (stdlib asyncio, keep-alive), run in its own process.

``python -m bench.loadgen --host H --port P --duration S --connections C PATH [PATH ...]``
prints one JSON object: requests completed, errors, throughput, and latency percentiles.

Each connection sends one GET, reads the whole response (Content-Length framing, as uvicorn
answers), and sends the next, cycling through the paths given. The client is raw sockets rather
than an HTTP library so that on a two-core machine it costs far less per request than the server
it measures: the floor it reports is the server's, not the client's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import time

from bench.stats import percentile


async def _connection(
    host: str, port: int, requests: list[bytes], start: float, warmup_end: float, end: float, out: dict
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    cycle = itertools.cycle(requests)
    try:
        while True:
            sent = time.perf_counter()
            if sent >= end:
                return
            writer.write(next(cycle))
            status_line = await reader.readline()
            if not status_line:
                raise ConnectionError("the server closed the connection")
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length:
                await reader.readexactly(length)
            done = time.perf_counter()
            if not status_line.startswith(b"HTTP/1.1 200"):
                out["errors"] += 1
                if out["first_error"] is None:
                    out["first_error"] = status_line.decode("latin-1").strip()
            if sent >= warmup_end:
                out["latencies"].append(done - sent)
    finally:
        writer.close()


async def run(host: str, port: int, paths: list[str], duration: float, connections: int, warmup: float) -> dict:
    requests = [f"GET {p} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: */*\r\n\r\n".encode() for p in paths]
    out: dict = {"latencies": [], "errors": 0, "first_error": None}
    start = time.perf_counter()
    warmup_end = start + warmup
    end = warmup_end + duration
    await asyncio.gather(
        *(_connection(host, port, requests[i:] + requests[:i], start, warmup_end, end, out) for i in range(connections))
    )
    lat = sorted(out["latencies"])
    count = len(lat)
    return {
        "paths": paths,
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "requests": count,
        "errors": out["errors"],
        "first_error": out["first_error"],
        "throughput_rps": count / duration if duration else 0.0,
        "latency_ms": {
            "p50": percentile(lat, 50) * 1000,
            "p90": percentile(lat, 90) * 1000,
            "p99": percentile(lat, 99) * 1000,
            "max": (lat[-1] if lat else 0.0) * 1000,
            "mean": (sum(lat) / count if count else 0.0) * 1000,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.host, args.port, args.paths, args.duration, args.connections, args.warmup))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
