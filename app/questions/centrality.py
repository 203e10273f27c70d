"""``centrality``: which organs hold the structure together, by the chosen measure and edge kinds.

Betweenness and closeness cost one breadth-first search per organ (O(organs x edges)): pure
networkx takes minutes on ten thousand organs. When python-igraph is installed (the ``fast``
extra) they run there instead, on the same graph and with the same formulas, so the scores are
networkx's to rounding (``tests/test_centrality_backends.py``); without it, networkx computes them.

igraph was chosen by measurement (``python -m bench``, bench/results/latest.json, 2 cores): on
betweenness rustworkx, which uses both cores, is at times a little faster (1.07x at 1,313
organs), but on networkx's closeness (Wasserman-Faust) igraph is 1.5-2.7x faster than rustworkx;
with igraph the explorer stays within 1.4x of the fastest library on both, at every size,
conversion from networkx included (1.18x and 0.91x on 12,930 organs; networkx: 18-53x slower
than igraph).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
import numpy as np

try:  # the optional fast backend
    import igraph
except ImportError:  # pragma: no cover - exercised where the extra is not installed
    igraph = None

from app import deadline
from app.errors import BadParameter
from app.questions.common import organ_brief, snapshot_data
from app.snapshot import DEFAULT_KINDS
from app.snapshot_view import Snapshot
from graph_schema.vocabulary import EdgeKind


def _eigenvector(g: nx.DiGraph) -> dict[str, float]:
    # On the undirected structure: a chain of command is acyclic, and directed eigenvector
    # centrality is zero (or fails to converge) on acyclic graphs.
    u = nx.Graph(g.to_undirected(as_view=True))
    if u.number_of_edges() == 0:
        return dict.fromkeys(u, 0.0)
    scores: dict[str, float] = {}
    for comp in nx.connected_components(u):
        deadline.check()
        sub = u.subgraph(comp)
        if sub.number_of_edges() == 0:
            scores.update(dict.fromkeys(comp, 0.0))
            continue
        part = nx.eigenvector_centrality(deadline.watched(sub), max_iter=5000, tol=1e-9)
        weight = len(comp) / u.number_of_nodes()
        scores.update({n: s * weight for n, s in part.items()})
    return scores


# "networkx" forces the pure-Python implementations even where igraph is installed (to compare).
BACKEND_ENV = "ALLIANCE_CENTRALITY_BACKEND"


def fast_backend() -> str | None:
    """The library heavy metrics run on: "igraph", or None for networkx."""
    if igraph is None or os.environ.get(BACKEND_ENV, "").strip().lower() == "networkx":
        return None
    return "igraph"


def _to_igraph(g: nx.DiGraph) -> tuple[Any, list[str]]:
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in g.edges()]
    return igraph.Graph(n=len(nodes), edges=edges, directed=True), nodes


# igraph's C code cannot be stopped from Python, so on large graphs it is called on slices of the
# work (sources for betweenness, organs for closeness), the request's deadline checked between
# two: about WORK_PER_SLICE edge visits each (one search per organ visits every organ and arc).
# Measured (2 cores): igraph's betweenness makes about 100 visits a microsecond (2.2 ms a source on
# 12,930 organs and 205k arcs), so a slice is some 50 ms of igraph, which holds the GIL meanwhile:
# /health waits no longer than that. Each call also repeats igraph's setup, about one source's
# worth: at 500,000 visits a slice (2 sources at that size) this more than doubled the time. The
# slices depend on the graph alone, so the scores (their sums) are the same from run to run. A
# graph that fits in one slice is computed in one call.
WORK_PER_SLICE = 5_000_000


def _slices(n: int, edges: int) -> list[range]:
    size = max(1, WORK_PER_SLICE // max(1, n + edges))
    return [range(n)] if size >= n else [range(i, min(n, i + size)) for i in range(0, n, size)]


def betweenness_igraph(g: nx.DiGraph) -> dict[str, float]:
    """networkx's normalised directed betweenness, computed by igraph.

    igraph counts the shortest paths through each node as networkx does on a directed graph;
    networkx then scales by 1/((n-1)(n-2)) when n > 2. On a large graph the counts are summed over
    slices of sources (``_slices``), the deadline checked between two.
    """
    ig, nodes = _to_igraph(g)
    n = len(nodes)
    slices = _slices(n, ig.ecount())
    if not n:
        raw: list[float] = []
    elif len(slices) == 1:
        raw = ig.betweenness(directed=True)
    else:
        total = np.zeros(n)
        for sources in slices:
            deadline.check()
            total += ig.betweenness(directed=True, sources=sources)
        raw = total.tolist()
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {node: float(b) * scale for node, b in zip(nodes, raw, strict=True)}


def closeness_igraph(g: nx.DiGraph) -> dict[str, float]:
    """networkx's closeness (incoming distance, Wasserman-Faust scaled), computed by igraph.

    networkx gives (r/total) * (r/(n-1)), r the number of other organs that reach the node and
    total their distances to it. igraph's closeness over incoming paths is r/total normalised and
    1/total not, so the quotient of the two gives r without counting reachable organs per node.
    """
    ig, nodes = _to_igraph(g)
    n = len(nodes)
    if n <= 1:
        return dict.fromkeys(nodes, 0.0)
    normalised: list[float] = []
    plain: list[float] = []
    for vertices in _slices(n, ig.ecount()):
        deadline.check()
        whole = len(vertices) == n
        normalised += ig.closeness(vertices=None if whole else vertices, mode="in", normalized=True)
        plain += ig.closeness(vertices=None if whole else vertices, mode="in", normalized=False)
    scores = {}
    for node, c, p in zip(nodes, normalised, plain, strict=True):
        if c != c or not p:  # NaN: nothing reaches the node
            scores[node] = 0.0
            continue
        r = round(c / p)
        scores[node] = c * r / (n - 1)
    return scores


def _betweenness(g: nx.DiGraph) -> dict[str, float]:
    if fast_backend() == "igraph":
        return betweenness_igraph(g)
    return nx.betweenness_centrality(deadline.watched(g), normalized=True)


def closeness_networkx(g: nx.DiGraph) -> dict[str, float]:
    """``nx.closeness_centrality(g)``, the same formula and floats, one organ at a time, so the
    request's deadline is checked between two (networkx's own loop cannot be stopped)."""
    reverse = g.reverse(copy=False)  # incoming distance, as networkx measures it
    n = len(g)
    scores: dict[str, float] = {}
    for node in reverse:
        deadline.check()
        sp = nx.single_source_shortest_path_length(reverse, node)
        total = sum(sp.values())
        score = 0.0
        if total > 0.0 and n > 1:
            score = (len(sp) - 1.0) / total
            score *= (len(sp) - 1.0) / (n - 1)
        scores[node] = score
    return scores


def _closeness(g: nx.DiGraph) -> dict[str, float]:
    if fast_backend() == "igraph":
        return closeness_igraph(g)
    return closeness_networkx(g)


METRICS: dict[str, Callable[[nx.DiGraph], dict[str, float]]] = {
    "degree": nx.degree_centrality,
    "in_degree": nx.in_degree_centrality,
    "out_degree": nx.out_degree_centrality,
    "betweenness": _betweenness,
    "closeness": _closeness,
    "pagerank": lambda g: nx.pagerank(g) if g.number_of_nodes() else {},
    "eigenvector": _eigenvector,
}

METRIC_NOTES = {
    "degree": "share of other organs joined by an allowed edge, in or out",
    "in_degree": "share of other organs with an allowed edge into the organ",
    "out_degree": "share of other organs the organ has an allowed edge to",
    "betweenness": "share of shortest directed chains that pass through the organ",
    "closeness": "inverse mean distance from the organs that reach it (networkx: incoming distance)",
    "pagerank": "random-walk importance along the allowed edges' directions",
    "eigenvector": "eigenvector centrality of the undirected structure, per connected part, weighted by its size",
}


def articulation(snap: Snapshot, kinds: Iterable[EdgeKind]) -> list[dict[str, Any]]:
    """Organs whose removal splits the structure (undirected, allowed kinds), with the parts left."""
    t = snap.traversal(kinds)
    u = nx.Graph()  # the structure undirected, built with checks: a copy of a large one takes seconds
    u.add_nodes_from(t)
    u.add_edges_from(deadline.checked(t.edges(), 4096))
    base = nx.number_connected_components(deadline.watched(u))
    # Removing an organ that is not isolated splits its part into as many parts as the blocks
    # (biconnected components) it belongs to; an articulation organ belongs to two or more. One
    # depth-first search, rather than a count of the parts once per articulation organ.
    blocks: Counter[str] = Counter()
    for block in nx.biconnected_components(deadline.watched(u)):
        blocks.update(block)
    return [
        {
            **organ_brief(snap.organ(node)),
            "parts_after_removal": base + blocks[node] - 1,
            "parts_before": base,
        }
        for node in sorted(n for n, count in blocks.items() if count >= 2)
    ]


def centrality(
    snap: Snapshot, metric: str = "betweenness", kinds: Iterable[EdgeKind] = DEFAULT_KINDS
) -> dict[str, Any]:
    """Organs of the snapshot ranked by ``metric`` over the allowed edge kinds, and articulation organs.

    Parameters
    ----------
    snap : a year-snapshot.
    metric : one of degree, in_degree, out_degree, betweenness, closeness, pagerank, eigenvector.
    kinds : edge kinds that count (coordination counts both ways).

    Returns
    -------
    dict with ``ranking`` (rank, organ, score; ties share a rank, ordered by id) and
    ``articulation`` (organs whose removal disconnects the structure).

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> from app.snapshot import SnapshotParams, ALL_KINDS
    >>> snap = default_store().snapshot(SnapshotParams(alliance="us-rok", as_of=1985))
    >>> centrality(snap, "betweenness", ALL_KINDS)["ranking"][0]["id"]
    'us-rok.commander-cfc'
    """
    if metric not in METRICS:
        raise BadParameter("metric", f"unknown metric {metric!r}; allowed: {', '.join(METRICS)}")
    kinds = frozenset(kinds)
    g = snap.traversal(kinds)
    scores = METRICS[metric](g)
    deadline.check()
    ordered = sorted(scores.items(), key=lambda kv: (-round(kv[1], 12), kv[0]))
    ranking = []
    previous: float | None = None
    rank = 0
    for i, (node, score) in enumerate(deadline.checked(ordered, 1024), start=1):
        rounded = round(score, 6)
        if rounded != previous:
            rank, previous = i, rounded
        ranking.append({"rank": rank, **organ_brief(snap.organ(node)), "score": rounded})
    return {
        **snapshot_data(snap, kinds),
        "metric": metric,
        "metric_note": METRIC_NOTES[metric],
        "ranking": ranking,
        "articulation": articulation(snap, kinds),
    }


def centrality_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    cut = {a["id"] for a in result["articulation"]}
    return [
        {
            "rank": r["rank"],
            "id": r["id"],
            "acronym": r["acronym"],
            "name": r["name"],
            "score": r["score"],
            "articulation": r["id"] in cut,
        }
        for r in result["ranking"]
    ]
