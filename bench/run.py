"""The benchmarks of issues 6, 16 and 18, in one command: ``python -m bench`` (or ``make bench``).

Runs, in order: seed scale over HTTP (every question against the framework's floors, in the same
run, with the answer cache on and off, and the answers' JSON by json and orjson); Neo4j (API
against the raw driver, and loads on the default heap); one and two workers; scale on synthetic
structures of 1k, 10k and 100k organs, each in a fresh process; and the fit of each cost against
size. On a terminal a bar shows which part runs (nothing when piped; the parts' log lines go to
standard error either way). Prints a table of every figure against its target, and writes
``bench/results/latest.json``, ``bench/results/cost_vs_size.png`` and the README's table.

Benchmarks report; they never fail: a missed target is a line in the table, not an exit code.
The exit code is non-zero only when the benchmark itself could not run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from app.progress import Progress, stderr_progress
from bench import http
from bench.stats import loglog_slope

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DEFAULT_SIZES = (1_000, 10_000, 100_000)
PATHS_LINKAGE_P99_TARGET_MS = 50.0
LIBRARY_TARGET = 2.0
# The whole-structure library comparison (every alliance at once) up to this size: beyond it exact
# betweenness takes a quarter of an hour even on igraph.
WHOLE_STRUCTURE_LIMIT = 10_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Steps:
    """The run's parts as a progress bar on a terminal (``app.progress``), nothing when piped; the
    log lines of each part go to standard error either way."""

    def __init__(self, names: list[str], show: Progress | None = None) -> None:
        self.names = names
        self.done = 0
        self.show = show or stderr_progress()

    def start(self, name: str) -> None:
        self.show(self.done, len(self.names), name)

    def finish(self, name: str) -> None:
        self.done += 1
        self.show(self.done, len(self.names), name + " done")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": commit.stdout.strip() or None,
        "versions": {
            p: _version(p)
            for p in ("networkx", "igraph", "rustworkx", "fastapi", "starlette", "uvicorn", "pydantic", "neo4j")
        },
    }


def run_scale(organs: int, quick: bool) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.scale", "--organs", str(organs)]
    if quick:
        cmd += ["--path-queries", "100", "--linkage-repeats", "5"]
    if organs <= WHOLE_STRUCTURE_LIMIT and not quick:
        cmd.append("--whole-structure")
    log(f"scale: {organs} organs ({' '.join(cmd[2:])})")
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"bench.scale --organs {organs} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout)
    result["wall_s"] = round(time.perf_counter() - start, 1)
    return result


def fits(scale: list[dict[str, Any]]) -> dict[str, Any]:
    """How each cost grows with size: the log-log slope (1 = linear, 2 = quadratic)."""
    sizes = [s["organs"] for s in scale]

    def series(get: Any) -> list[float]:
        values = []
        for s in scale:
            try:
                values.append(float(get(s)))
            except (KeyError, TypeError):
                values.append(0.0)
        return values

    wanted = {
        "load_s": lambda s: s["load_s"],
        "store_graph_rss_mb": lambda s: s["rss_mb"]["store_graph"],
        "process_rss_mb_with_store": lambda s: s["rss_mb"]["with_store"],
        "paths_cold_first_call_ms": lambda s: s["paths"]["cold_first_call_ms"],
        "paths_warm_p50_ms": lambda s: s["paths"]["warm"]["p50"],
        "paths_warm_p99_ms": lambda s: s["paths"]["warm"]["p99"],
        "linkage_cold_first_call_max_ms": lambda s: s["linkage"]["cold_first_call_max_ms"],
        "linkage_warm_p50_ms": lambda s: s["linkage"]["warm"]["p50"],
        "linkage_warm_p99_ms": lambda s: s["linkage"]["warm"]["p99"],
        "centrality_betweenness_all_kinds_s": lambda s: s["centrality"]["betweenness_all_kinds_s"]["second_call"],
        "betweenness_networkx_s": lambda s: s["centrality"]["libraries"]["networkx"]["betweenness_s"],
        "betweenness_igraph_s": lambda s: s["centrality"]["libraries"]["igraph"]["betweenness_s"],
        "betweenness_rustworkx_s": lambda s: s["centrality"]["libraries"]["rustworkx"]["betweenness_s"],
    }
    out: dict[str, Any] = {"sizes": sizes}
    for name, get in wanted.items():
        values = series(get)
        out[name] = {"values": values, "loglog_slope": loglog_slope(sizes, values)}
    return out


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target of the issue with its measured figure, met or not."""
    rows: list[dict[str, Any]] = []
    h = result.get("http")
    if h:
        for name, e in h["endpoints"].items():
            if name.startswith("floor"):
                continue
            targeted = "throughput_target" in e
            with_params = e.get("throughput_vs_floor_with_its_parameters")
            rows.append(
                {
                    "target": f"HTTP {name} throughput >= {e['throughput_target']} x floor"
                    if targeted
                    else f"HTTP {name} throughput vs floor (report)",
                    "measured": e["throughput_vs_floor"],
                    "met": e["throughput_met"] if targeted else None,
                    "detail": f"{e['throughput_rps']:.0f} vs floor {h['floor']['throughput_rps']:.0f} req/s"
                    + (f"; {with_params} x a floor taking the same parameters" if with_params else ""),
                }
            )
            if "throughput_target_with_its_parameters" in e:
                rows.append(
                    {
                        "target": f"HTTP {name} throughput >= {e['throughput_target_with_its_parameters']} x "
                        "floor with its parameters",
                        "measured": e["throughput_vs_floor_with_its_parameters"],
                        "met": e["throughput_met_with_its_parameters"],
                        "detail": f"{e['throughput_rps']:.0f} req/s; answer cache on",
                    }
                )
            rows.append(
                {
                    "target": f"HTTP {name} p99 < {e['p99_target']} x floor p99"
                    if targeted
                    else f"HTTP {name} p99 vs floor p99 (report)",
                    "measured": e["p99_vs_floor"],
                    "met": e["p99_met"] if targeted else None,
                    "detail": f"p99 {e['latency_ms']['p99']:.2f} ms vs floor {h['floor']['p99_ms']:.2f} ms; "
                    f"p50 {e['latency_ms']['p50']:.2f} ms",
                }
            )
    neo = result.get("neo4j") or {}
    for row in neo.get("targets", []):
        rows.append(row)
    rows += (result.get("workers") or {}).get("targets", [])  # bench/workers.py (issue 18)
    ser = (h or {}).get("serialisation") or {}
    for name, r in ser.items():
        if isinstance(r, dict):
            rows.append(
                {
                    "target": f"JSON of the {name} answer: orjson vs json (report)",
                    "measured": r["speedup"],
                    "met": None,
                    "detail": f"{r['json_us']} vs {r['orjson_us']} us for {r['bytes']} bytes; "
                    f"same bytes: {r['same_bytes']}",
                }
            )
    for s in result.get("scale", []):
        n = s["organs"]
        series = (
            ("paths", "paths (authority)"),
            ("paths_with_coordination", "paths (authority+coordination)"),
            ("paths_all_kinds", "paths (all kinds)"),
            ("linkage", "linkage"),
        )
        for q, label in series:
            if q not in s:
                continue
            p99 = s[q]["warm"]["p99"]
            cold = s[q]["cold_first_call_max_ms"] if q == "linkage" else s[q]["cold_first_call_ms"]
            first = f"; first pass over all queries {s[q]['first_pass_s']:.1f} s" if "first_pass_s" in s[q] else ""
            rows.append(
                {
                    "target": f"{label} warm p99 < {PATHS_LINKAGE_P99_TARGET_MS:.0f} ms at {n} organs (embedded)",
                    "measured": p99,
                    "met": p99 < PATHS_LINKAGE_P99_TARGET_MS,
                    "detail": f"p50 {s[q]['warm']['p50']:.3f} ms; cold first call {cold:.0f} ms{first}",
                }
            )
        libs = s["centrality"].get("libraries")
        for key, what in (("libraries", "alliance"), ("libraries_whole_structure", "all alliances")):
            libs = s["centrality"].get(key)
            if not libs:
                continue
            for metric in ("betweenness", "closeness"):
                ratio = libs[f"{metric}_explorer_vs_fastest"]
                rows.append(
                    {
                        "target": f"{metric} within {LIBRARY_TARGET:.0f}x fastest library at {n} organs ({what})",
                        "measured": ratio,
                        "met": ratio <= LIBRARY_TARGET,
                        "detail": (
                            f"explorer ({libs['explorer']['backend']}) {libs['explorer'][f'{metric}_s']:.3f} s; "
                            f"fastest {libs[f'{metric}_fastest']}; networkx {libs['networkx'][f'{metric}_s']:.2f} s "
                            f"({libs['networkx'][f'{metric}_how'].split(':')[0]}); {libs['organs']} organs in the graph"
                        ),
                    }
                )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    width = max((len(r["target"]) for r in rows), default=10)
    lines = [f"{'target':<{width}}  {'measured':>10}  met   detail", "-" * (width + 60)]
    for r in rows:
        measured = r["measured"]
        shown = f"{measured:.3f}" if isinstance(measured, float) else str(measured)
        met = {True: "yes", False: "NO", None: "n/a"}[r["met"]]
        lines.append(f"{r['target']:<{width}}  {shown:>10}  {met:<4}  {r['detail']}")
    return "\n".join(lines)


def scale_table(scale: list[dict[str, Any]]) -> str:
    head = (
        f"{'organs':>8} {'edges':>9} {'load s':>7} {'store MiB':>9} {'RSS MiB':>8} "
        f"{'paths p50/p99 ms':>17} {'paths cold ms':>13} {'linkage p50/p99 ms':>19} {'linkage cold ms':>15} "
        f"{'betweenness s':>13}"
    )
    lines = [head, "-" * len(head)]
    for s in scale:
        lines.append(
            f"{s['organs']:>8} {s['dataset']['edges']:>9} {s['load_s']:>7.2f} {s['rss_mb']['store_graph']:>9.0f} "
            f"{s['rss_mb']['with_store']:>8.0f} "
            f"{s['paths']['warm']['p50']:>8.3f}/{s['paths']['warm']['p99']:<8.3f} "
            f"{s['paths']['cold_first_call_ms']:>13.0f} "
            f"{s['linkage']['warm']['p50']:>9.3f}/{s['linkage']['warm']['p99']:<9.3f} "
            f"{s['linkage']['cold_first_call_max_ms']:>15.0f} "
            f"{s['centrality']['betweenness_all_kinds_s']['second_call']:>13.3f}"
        )
    return "\n".join(lines)


def plot(result: dict[str, Any], path: Path) -> str | None:
    """Cost against size, log-log; None (and a note) when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib not installed (pip install -e '.[bench]'): no plot"
    f = result["fits"]
    sizes = f["sizes"]
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(13, 5.5))
    series = [
        ("load_s", "embedded load (s)", "o-"),
        ("paths_cold_first_call_ms", "paths cold first call (s)", "s--"),
        ("paths_warm_p99_ms", "paths warm p99 (s)", "s-"),
        ("linkage_cold_first_call_max_ms", "linkage cold first call (s)", "^--"),
        ("linkage_warm_p99_ms", "linkage warm p99 (s)", "^-"),
        ("centrality_betweenness_all_kinds_s", "centrality call, all kinds, one alliance (s)", "D-"),
        ("betweenness_networkx_s", "betweenness, networkx (s)", "x:"),
        ("betweenness_igraph_s", "betweenness, igraph (s)", "+:"),
        ("betweenness_rustworkx_s", "betweenness, rustworkx (s)", "1:"),
    ]
    for key, label, style in series:
        values = f[key]["values"]
        if key.endswith("_ms"):
            values = [v / 1000 for v in values]
        pts = [(s, v) for s, v in zip(sizes, values, strict=True) if v and v > 0]
        if not pts:
            continue
        slope = f[key]["loglog_slope"]
        ax_t.plot([p[0] for p in pts], [p[1] for p in pts], style, label=f"{label}  slope {slope}" if slope else label)
    ax_t.axhline(PATHS_LINKAGE_P99_TARGET_MS / 1000, color="grey", lw=0.8, ls="-.", label="50 ms target (p99)")
    ax_t.set(
        xscale="log",
        yscale="log",
        xlabel="organs (synthetic; about 10 edges per organ)",
        ylabel="seconds",
        title="cost against size",
    )
    ax_t.legend(fontsize=7)
    ax_t.grid(True, which="both", lw=0.3)
    for key, label in (("process_rss_mb_with_store", "process RSS with store"), ("store_graph_rss_mb", "graph only")):
        vals = f[key]["values"]
        ax_m.plot(sizes, vals, "o-", label=f"{label}  slope {f[key]['loglog_slope']}")
    ax_m.set(xscale="log", yscale="log", xlabel="organs", ylabel="MiB", title="resident memory")
    ax_m.legend(fontsize=8)
    ax_m.grid(True, which="both", lw=0.3)
    m = result["machine"]
    fig.suptitle(f"alliance explorer, {result['command']}  ({m['cores']} cores, Python {m['python']})", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


README = REPO / "README.md"
README_START = "<!-- bench:start (written by python -m bench; do not edit by hand) -->"
README_END = "<!-- bench:end -->"


def readme_section(result: dict[str, Any]) -> str:
    """The README's benchmark table: every target, its figure, met or missed, and the command."""
    m = result["machine"]
    lines = [
        README_START,
        "",
        f"`{result['command']}` on {m['cores']} cores (load average {m['load_average_at_start']} at start), "
        f"commit {m['commit']}, {result['started']}; every figure in `bench/results/latest.json`.",
        "",
        "| target | measured | met | detail |",
        "|---|---:|:---:|---|",
    ]
    for r in result["targets"]:
        measured = r["measured"]
        shown = f"{measured:.3f}" if isinstance(measured, float) else str(measured)
        met = {True: "met", False: "**missed**", None: "report"}[r["met"]]
        detail = str(r["detail"]).replace("|", "/")
        lines.append(f"| {r['target']} | {shown} | {met} | {detail} |")
    lines += ["", README_END]
    return "\n".join(lines)


def write_readme(result: dict[str, Any], path: Path = README) -> None:
    """Replace the benchmark section between the markers (appended under "Benchmarks" if absent)."""
    text = path.read_text(encoding="utf-8")
    section = readme_section(result)
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n## Benchmarks\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="organ counts, comma list")
    parser.add_argument("--http-duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-neo4j", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-workers", action="store_true", help="leave out 1 vs 2 workers (bench/workers.py)")
    parser.add_argument("--quick", action="store_true", help="short runs, for trying the harness")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--no-readme", action="store_true", help="do not rewrite the README's benchmark table (--quick never does)"
    )
    args = parser.parse_args(argv)
    command = "python -m bench" + ("" if argv is None and len(sys.argv) == 1 else " " + shlex.join(sys.argv[1:]))
    if argv is not None:
        command = "python -m bench " + shlex.join(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result: dict[str, Any] = {
        "command": command.strip(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "note": "Benchmarks report; they do not fail. Ratios are against references measured in the same run.",
    }
    started = time.perf_counter()
    steps = Steps(
        [
            *(["http"] if not args.skip_http else []),
            *(["neo4j"] if not args.skip_neo4j else []),
            *(["workers"] if not args.skip_workers else []),
            *([f"scale {n}" for n in sizes] if not args.skip_scale else []),
            "results",
        ]
    )
    if not args.skip_http:
        steps.start("http")
        log("http: seed scale, questions against the floor")
        duration = 2.0 if args.quick else args.http_duration
        result["http"] = http.run(duration=duration, connections=args.connections, warmup=1.0, log=log)
        steps.finish("http")
    if not args.skip_neo4j:
        from bench import neo4j as neo4j_bench

        steps.start("neo4j")
        result["neo4j"] = neo4j_bench.run(quick=args.quick, log=log)
        steps.finish("neo4j")
    if not args.skip_workers:
        from bench import workers

        steps.start("workers")
        log("workers: 1 and 2 uvicorn workers, embedded and Neo4j; a load reaching every process")
        result["workers"] = workers.run(
            duration=2.0 if args.quick else args.http_duration / 2,
            connections=args.connections,
            quick=args.quick,
            skip_neo4j=args.skip_neo4j,
            log=log,
        )
        steps.finish("workers")
    if not args.skip_scale:
        result["scale"] = []
        for n in sizes:
            steps.start(f"scale {n}")
            result["scale"].append(run_scale(n, args.quick))
            steps.finish(f"scale {n}")
        result["fits"] = fits(result["scale"])
    steps.start("results")
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["targets"] = targets(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    if result.get("fits"):
        note = plot(result, args.out.parent / "cost_vs_size.png")
        if note:
            result["plot"] = note
            args.out.write_text(json.dumps(result, indent=1) + "\n")
    steps.finish("results")
    print(f"{result['command']}  ({result['machine']['cores']} cores; wall {result['wall_s']} s)")
    print()
    print(table(result["targets"]))
    if result.get("scale"):
        print()
        print(scale_table(result["scale"]))
        print()
        print("growth with size (log-log slope: 1 linear, 2 quadratic)")
        for key, value in result["fits"].items():
            if key != "sizes":
                print(f"  {key:<40} {value['loglog_slope']}")
    print(f"\nwrote {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    if not args.quick and not args.no_readme:
        write_readme(result)
        print("wrote the benchmark table of README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
