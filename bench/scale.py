"""Scale: one synthetic structure of N organs on the embedded store, measured in a fresh process.

``python -m bench.scale --organs N`` prints one JSON object: generation, load time and resident
memory; the cold first call and the warm p50/p99 of ``paths`` (over authority alone,
authority+coordination and all kinds) and ``linkage`` (as the routes ask them:
``store.snapshot(params)`` then the question); ``centrality`` end to end; and betweenness and
closeness on networkx, igraph and rustworkx over the same graph. A fresh process per size keeps
one size's memory and caches out of the next one's figures. ``--paths-only`` measures the load
and the paths series alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import networkx as nx

from app.questions import centrality, linkage, paths
from app.questions.centrality import betweenness_igraph, closeness_igraph, fast_backend
from app.snapshot import ALL_KINDS, DEFAULT_KINDS, SnapshotParams
from app.store.embedded import EmbeddedStore
from bench.stats import summary_ms
from bench.synthetic import describe, generate
from graph_schema.vocabulary import EdgeKind

AS_OF = 2009
# networkx's exact betweenness/closeness beyond this many organs would take minutes: it is timed on
# a sample of sources and scaled up (both cost one search per source).
NX_EXACT_LIMIT = 2500
NX_SAMPLE = 200


SCALE_SNAPSHOT_CACHE_BYTES = 16 * 2**30  # estimated bytes (app.cache), 1.4-1.9x what is really held


def rss_mb() -> float:
    """Resident memory of this process (VmRSS), in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _ask_paths(
    store: EmbeddedStore, params: SnapshotParams, source: str, target: str, kinds: frozenset[EdgeKind]
) -> dict[str, Any]:
    """What GET /paths does past HTTP: the (cached) snapshot, then the question."""
    return paths(store.snapshot(params), source, target, kinds)


def _ask_linkage(store: EmbeddedStore, params: SnapshotParams, kinds: frozenset[EdgeKind]) -> dict[str, Any]:
    return linkage(store.snapshot(params), kinds)


def _path_queries(store: EmbeddedStore, rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """Half from an alliance's council to one of its organs (the analyst's 'does the council reach
    this unit?'), half between two organs drawn at random."""
    by_alliance: dict[str, list[str]] = {}
    ids = list(store.organs())
    for organ in store.organs().values():
        if organ.alliance:
            by_alliance.setdefault(organ.alliance, []).append(organ.id)
    alliances = sorted(by_alliance)
    queries = []
    for i in range(count):
        if i % 2 == 0:
            a = rng.choice(alliances)
            queries.append(("council", f"{a}.council", rng.choice(by_alliance[a])))
        else:
            queries.append(("random", rng.choice(ids), rng.choice(ids)))
    return queries


def _paths_series(
    store: EmbeddedStore, queries: list[tuple[str, str, str]], kinds: frozenset[EdgeKind]
) -> dict[str, Any]:
    params = SnapshotParams(as_of=AS_OF)
    cold, _ = timed(lambda: paths(store.snapshot(params), queries[0][1], queries[0][2], kinds))
    # One untimed pass first: what the snapshot builds once for all questions of these kinds (its
    # traversal graphs, an index on the first pair whose search grows large) is a cold cost,
    # reported apart; the warm figures are those of the pass after it.
    first_pass, _ = timed(lambda: [_ask_paths(store, params, s, t, kinds) for _, s, t in queries])
    times: dict[str, list[float]] = {"council": [], "random": []}
    connected = 0
    for what, source, target in queries:
        t, result = timed(partial(_ask_paths, store, params, source, target, kinds))
        times[what].append(t)
        connected += bool(result["connected"])
    everything = times["council"] + times["random"]
    return {
        "kinds": sorted(k.value for k in kinds),
        "snapshot": "all alliances, as_of 2009",
        "cold_first_call_ms": round(cold * 1000, 2),
        "first_pass_s": round(first_pass, 3),
        "warm": summary_ms(everything),
        "warm_council_to_organ": summary_ms(times["council"]),
        "warm_random_pair": summary_ms(times["random"]),
        "connected_share": round(connected / len(queries), 3),
    }


def _linkage_series(store: EmbeddedStore, repeats: int, kinds: frozenset[EdgeKind]) -> dict[str, Any]:
    cold: dict[str, float] = {}
    linked = {}
    for alliance in store.alliances():
        params = SnapshotParams(alliance=alliance, as_of=AS_OF)
        t, result = timed(partial(_ask_linkage, store, params, kinds))
        cold[alliance] = round(t * 1000, 2)
        linked[alliance] = result["linked"]
    times = []
    for _ in range(repeats):
        for alliance in store.alliances():
            params = SnapshotParams(alliance=alliance, as_of=AS_OF)
            t, _ = timed(partial(_ask_linkage, store, params, kinds))
            times.append(t)
    return {
        "kinds": sorted(k.value for k in kinds),
        "snapshot": "each alliance, as_of 2009",
        "cold_first_call_ms": cold,
        "cold_first_call_max_ms": max(cold.values()),
        "warm": summary_ms(times),
        "linked": linked,
    }


def _nx_betweenness(g: nx.DiGraph) -> tuple[float, str]:
    n = g.number_of_nodes()
    if n <= NX_EXACT_LIMIT:
        t, _ = timed(lambda: nx.betweenness_centrality(g, normalized=True))
        return t, "exact"
    t, _ = timed(lambda: nx.betweenness_centrality(g, k=NX_SAMPLE, normalized=True, seed=1))
    return t * n / NX_SAMPLE, f"estimated: {NX_SAMPLE} sampled sources, scaled by {n}/{NX_SAMPLE}"


def _nx_closeness(g: nx.DiGraph) -> tuple[float, str]:
    n = g.number_of_nodes()
    if n <= NX_EXACT_LIMIT:
        t, _ = timed(lambda: nx.closeness_centrality(g))
        return t, "exact"
    # networkx's closeness reverses the graph once, then runs one search per organ: time the
    # reversal, and the searches of a sample (nx.closeness_centrality(g, u=...) would reverse the
    # whole graph again for every organ asked).
    reversal, rev = timed(g.reverse)
    sample = random.Random(1).sample(list(g), NX_SAMPLE)

    def one(u: str) -> float:
        sp = nx.single_source_shortest_path_length(rev, u)
        total = sum(sp.values())
        return (len(sp) - 1.0) / total if total > 0 else 0.0

    t, _ = timed(lambda: [one(u) for u in sample])
    how = (
        f"estimated: one reversal ({reversal:.2f} s) + {NX_SAMPLE} sampled organs' searches, scaled by {n}/{NX_SAMPLE}"
    )
    return reversal + t * n / NX_SAMPLE, how


def _libraries(g: nx.DiGraph) -> dict[str, Any]:
    """Betweenness and closeness per library on ``g``; conversion from networkx timed apart."""
    out: dict[str, Any] = {"organs": g.number_of_nodes(), "arcs": g.number_of_edges()}
    t, note = _nx_betweenness(g)
    out["networkx"] = {"betweenness_s": round(t, 4), "betweenness_how": note}
    t, note = _nx_closeness(g)
    out["networkx"].update({"closeness_s": round(t, 4), "closeness_how": note})
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    convert, edges = timed(lambda: [(index[u], index[v]) for u, v in g.edges()])
    try:
        import igraph

        build, ig = timed(lambda: igraph.Graph(n=len(nodes), edges=edges, directed=True))
        tb, _ = timed(lambda: ig.betweenness(directed=True))
        tc, _ = timed(lambda: (ig.closeness(mode="in"), ig.closeness(mode="in", normalized=False)))
        out["igraph"] = {
            "convert_s": round(convert + build, 4),
            "betweenness_s": round(tb, 4),
            "closeness_s": round(tc, 4),
        }
    except ImportError:
        out["igraph"] = None
    try:
        import rustworkx as rx

        def build_rx() -> Any:
            r = rx.PyDiGraph()
            r.add_nodes_from(range(len(nodes)))
            r.add_edges_from_no_data(edges)
            return r

        build, rg = timed(build_rx)
        tb, _ = timed(lambda: rx.digraph_betweenness_centrality(rg, normalized=True))
        tc, _ = timed(lambda: rx.closeness_centrality(rg, wf_improved=True))
        out["rustworkx"] = {
            "convert_s": round(convert + build, 4),
            "betweenness_s": round(tb, 4),
            "closeness_s": round(tc, 4),
        }
    except ImportError:
        out["rustworkx"] = None
    # What the explorer runs (its backend, conversion included), against the fastest library's
    # computation alone.
    tb, _ = timed(lambda: betweenness_igraph(g) if fast_backend() else nx.betweenness_centrality(g))
    tc, _ = timed(lambda: closeness_igraph(g) if fast_backend() else nx.closeness_centrality(g))
    out["explorer"] = {
        "backend": fast_backend() or "networkx",
        "betweenness_s": round(tb, 4),
        "closeness_s": round(tc, 4),
    }
    for metric in ("betweenness", "closeness"):
        libs = {name: out[name][f"{metric}_s"] for name in ("networkx", "igraph", "rustworkx") if out.get(name)}
        fastest = min(libs, key=lambda k: libs[k])
        out[f"{metric}_fastest"] = fastest
        out[f"{metric}_explorer_vs_fastest"] = round(out["explorer"][f"{metric}_s"] / libs[fastest], 3)
    return out


def _centrality_series(store: EmbeddedStore, libraries: bool, full_graph_libraries: bool) -> dict[str, Any]:
    params = SnapshotParams(alliance="nato", as_of=AS_OF)
    snap = store.snapshot(params)
    out: dict[str, Any] = {"snapshot": "nato, as_of 2009", "backend": fast_backend() or "networkx"}
    for label, kinds in (("authority", DEFAULT_KINDS), ("all_kinds", ALL_KINDS)):
        cold, _ = timed(partial(centrality, snap, "betweenness", kinds))
        warm, result = timed(partial(centrality, snap, "betweenness", kinds))
        out[f"betweenness_{label}_s"] = {"first_call": round(cold, 4), "second_call": round(warm, 4)}
        out[f"organs_{label}"] = len(result["ranking"])
    if libraries:
        out["libraries"] = _libraries(snap.traversal(ALL_KINDS))
    if full_graph_libraries:
        whole = store.snapshot(SnapshotParams(as_of=AS_OF)).traversal(ALL_KINDS)
        out["libraries_whole_structure"] = _libraries(whole)
    return out


def measure(
    organs: int,
    seed: int = 0,
    path_queries: int = 400,
    linkage_repeats: int = 30,
    libraries: bool = True,
    full_graph_libraries: bool = False,
    paths_only: bool = False,
) -> dict[str, Any]:
    rng = random.Random(seed)
    rss_start = rss_mb()
    gen_s, dataset = timed(lambda: generate(organs, seed=seed))
    gc.collect()
    rss_dataset = rss_mb()
    # The snapshot cache bounded to hold the run's working set (ALLIANCE_SNAPSHOT_CACHE_MB does the
    # same for a server): at 100k organs one alliance's snapshot with its traversal graphs is
    # estimated at a few hundred MB, and the default 256 MiB would rebuild it on every question.
    load_s, store = timed(lambda: EmbeddedStore(dataset, snapshot_cache_bytes=SCALE_SNAPSHOT_CACHE_BYTES))
    gc.collect()
    rss_loaded = rss_mb()
    result: dict[str, Any] = {
        "organs": organs,
        "dataset": describe(dataset),
        "generate_s": round(gen_s, 3),
        "load_s": round(load_s, 3),
        "load_what": "EmbeddedStore(dataset): the networkx graph of every organ and edge",
        "snapshot_cache_mb": SCALE_SNAPSHOT_CACHE_BYTES // 2**20,
        "rss_mb": {
            "start": round(rss_start, 1),
            "with_dataset": round(rss_dataset, 1),
            "with_store": round(rss_loaded, 1),
            "store_graph": round(rss_loaded - rss_dataset, 1),
            "dataset_models": round(rss_dataset - rss_start, 1),
        },
    }
    queries = _path_queries(store, rng, path_queries)
    result["paths"] = _paths_series(store, queries, DEFAULT_KINDS)
    result["paths_with_coordination"] = _paths_series(
        store, queries, frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})
    )
    result["paths_all_kinds"] = _paths_series(store, queries, ALL_KINDS)
    if paths_only:
        result["rss_mb"]["end"] = round(rss_mb(), 1)
        return result
    result["linkage"] = _linkage_series(store, linkage_repeats, DEFAULT_KINDS)
    result["linkage_with_coordination"] = _linkage_series(
        store, max(3, linkage_repeats // 3), frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})
    )
    result["centrality"] = _centrality_series(store, libraries, full_graph_libraries)
    result["rss_mb"]["end"] = round(rss_mb(), 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--organs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--path-queries", type=int, default=400)
    parser.add_argument("--linkage-repeats", type=int, default=30)
    parser.add_argument("--no-libraries", action="store_true", help="skip the library comparison")
    parser.add_argument("--whole-structure", action="store_true", help="also compare libraries on all alliances")
    parser.add_argument("--paths-only", action="store_true", help="measure the load and the paths series alone")
    args = parser.parse_args(argv)
    result = measure(
        args.organs,
        args.seed,
        args.path_queries,
        args.linkage_repeats,
        libraries=not args.no_libraries,
        full_graph_libraries=args.whole_structure,
        paths_only=args.paths_only,
    )
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
