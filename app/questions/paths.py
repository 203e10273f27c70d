"""``paths``: is one organ connected to another by the allowed kinds of edge, and how?"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Container, Iterable, Iterator
from typing import Any

import networkx as nx

from app.questions.common import LIMIT_CAP, MAX_HOPS_CAP, check_cap, hop_data, kind_list, organ_brief, params_data
from app.snapshot import DEFAULT_KINDS, Snapshot
from graph_schema.vocabulary import EdgeKind


def path_data(snap: Snapshot, nodes: list[str], kinds: Iterable[EdgeKind]) -> dict[str, Any]:
    """A node path as data: its organs and, per hop, the best edge (authority first) that makes it."""
    t = snap.traversal(kinds)
    hops = []
    for a, b in itertools.pairwise(nodes):
        edge, reverse = t[a][b]["edges"][0]
        hops.append(hop_data(edge, reverse))
    return {
        "hops": len(hops),
        "organs": [organ_brief(snap.organ(n)) for n in nodes],
        "kinds": sorted({h["kind"] for h in hops}),
        "edges": hops,
    }


def paths(
    snap: Snapshot,
    source: str,
    target: str,
    kinds: Iterable[EdgeKind] = DEFAULT_KINDS,
    max_hops: int = 6,
    limit: int = 10,
) -> dict[str, Any]:
    """Whether ``source`` reaches ``target`` in the snapshot, and the paths, shortest first.

    Parameters
    ----------
    snap : the year-snapshot to search.
    source, target : organ ids.
    kinds : edge kinds that may be walked; authority, advice, support and membership follow their
        written direction, coordination goes both ways.
    max_hops : longest path listed (1..12); ``connected`` ignores it.
    limit : most paths listed (1..100).

    Returns
    -------
    dict with ``connected``, ``shortest_hops`` (or null), ``paths`` (each with ``hops``,
    ``organs`` and ``edges``: kind, mode, condition, years, quote), and ``absent`` listing any of
    the two organs that is not alive in the snapshot.

    Notes
    -----
    One bidirectional breadth-first search answers ``connected`` and ``shortest_hops`` (it meets in
    the middle, so it visits about the square root of what a one-sided search would in a branching
    structure). When nothing connects the two, that search would visit everything one side reaches;
    past ``FIRST_SEARCH_VISITS`` organs it asks the snapshot's ``Reachability`` index (strongly
    connected components, built once per snapshot and kinds) instead.

    The paths are Yen's k shortest simple paths (``shortest_simple_paths``), networkx's own loop
    with two bounds that change no listed path: each spur search is a bidirectional search cut off
    as soon as no path can fit in the hops ``max_hops`` leaves, and the search stops at ``limit``
    paths. Yen's is what lists *simple* paths shortest first with its tie-breaks; the bounds
    make its cost grow with the paths asked for, not with the size of the structure around them.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> from app.snapshot import SnapshotParams
    >>> snap = default_store().snapshot(SnapshotParams(alliance="nato", as_of=2009))
    >>> paths(snap, "nato.nac", "nato.saceur")["shortest_hops"]
    2
    """
    kinds = frozenset(kinds)
    check_cap("max_hops", max_hops, 1, MAX_HOPS_CAP)
    check_cap("limit", limit, 1, LIMIT_CAP)
    result: dict[str, Any] = {
        "source": source,
        "target": target,
        **params_data(snap.params, kinds),
        "max_hops": max_hops,
        "limit": limit,
        "absent": [n for n in (source, target) if n not in snap.graph],
        "connected": False,
        "shortest_hops": None,
        "paths": [],
    }
    if result["absent"]:
        return result
    t = snap.traversal(kinds)
    if source == target:
        return result
    try:
        first = _bounded_path(t, source, target, None, (), (), max_visits=FIRST_SEARCH_VISITS)
    except _SearchTooLarge:
        # A search this large usually proves that nothing connects (every organ one side reaches,
        # visited): ask the snapshot's reachability index first, built once on the first such pair.
        if not snap.memo(("reachability", kinds), lambda: Reachability(t)).reaches(source, target):
            return result
        first = _bounded_path(t, source, target, None, (), ())
    if first is None:
        return result
    result["connected"] = True
    result["shortest_hops"] = len(first) - 1
    result["paths"] = [path_data(snap, nodes, kinds) for nodes in shortest_simple_paths(t, first, max_hops, limit)]
    return result


# Organs the first search may visit before the reachability index is consulted. A connected pair
# meets far sooner: on the 100k-organ synthetic structure (authority+coordination, 400 pairs) none
# needed more than 5,000, most under 1,000, while most pairs that nothing connects ran past 20,000
# (p99 of the question: 40 ms with a cap of 20,000, 25 ms with 5,000; measured in CPU time).
FIRST_SEARCH_VISITS = 5_000


def shortest_simple_paths(t: nx.DiGraph, first: list[str], max_hops: int, limit: int) -> Iterator[list[str]]:
    """Yen's k shortest simple paths from ``first[0]`` to ``first[-1]``, at most ``limit`` of them and
    none longer than ``max_hops``; ``first`` is a shortest path (``_bounded_path``).

    The same paths in the same order as ``networkx.shortest_simple_paths`` (this is its loop, with
    its tie-breaks), with two bounds that change no listed path: a spur search only looks for a
    path that fits in the hops left (a longer candidate could only be listed after ``max_hops``
    is passed), and the search stops at ``limit`` instead of computing one path more. Without them
    a pair in a large connected structure (coordination walked both ways, 100k organs) paid for
    one unbounded search per spur node of every path listed, and one beyond.
    """
    target = first[-1]
    if len(first) - 1 > max_hops:
        return
    listed: list[list[str]] = []
    candidates: list[tuple[int, int, list[str]]] = []
    queued: set[tuple[str, ...]] = set()
    counter = itertools.count()
    path: list[str] | None = first
    while path is not None:
        yield path
        listed.append(path)
        if len(listed) >= limit:
            return
        ignore_nodes: set[str] = set()
        ignore_edges: set[tuple[str, str]] = set()
        for i in range(1, len(path)):
            root = path[:i]
            for done in listed:
                if done[:i] == root:
                    ignore_edges.add((done[i - 1], done[i]))
            spur = _bounded_path(t, root[-1], target, max_hops - (i - 1), ignore_nodes, ignore_edges)
            if spur is not None:
                candidate = root[:-1] + spur
                key = tuple(candidate)
                if key not in queued:
                    # networkx's cost for a spur candidate: len(root) + len(spur) nodes.
                    heapq.heappush(candidates, (len(root) + len(spur), next(counter), candidate))
                    queued.add(key)
            ignore_nodes.add(root[-1])
        path = None
        if candidates:
            _, _, path = heapq.heappop(candidates)
            queued.discard(tuple(path))


class _SearchTooLarge(Exception):
    """A search visited more organs than it was allowed to."""


class Reachability:
    """Which organ reaches which, along a traversal graph's arcs: its strongly connected components
    (scipy's, in C) and the acyclic graph between them.

    ``reaches(a, b)`` walks that acyclic graph, which is much smaller than the organs' (a coordination
    cluster, walked both ways, is one component): a pair that nothing connects is answered without
    visiting every organ one of them reaches.
    """

    def __init__(self, t: nx.DiGraph) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        index = {v: i for i, v in enumerate(t)}
        rows: list[int] = []
        cols: list[int] = []
        for u, nbrs in t._succ.items():
            iu = index[u]
            rows.extend(iu for _ in nbrs)
            cols.extend(index[v] for v in nbrs)
        n = len(index)
        r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        matrix = csr_matrix((np.ones(len(rows), dtype=np.int8), (r, c)), shape=(n, n))
        count, labels = connected_components(matrix, directed=True, connection="strong")
        between = labels[r] != labels[c]
        self.component = {v: int(labels[i]) for v, i in index.items()}
        self.dag: list[set[int]] = [set() for _ in range(count)]
        for a, b in zip(labels[r][between].tolist(), labels[c][between].tolist(), strict=True):
            self.dag[a].add(b)

    def reaches(self, source: str, target: str) -> bool:
        start, goal = self.component[source], self.component[target]
        seen, frontier = {start}, [start]
        while frontier:
            if goal in seen:
                return True
            nxt = []
            for a in frontier:
                for b in self.dag[a]:
                    if b not in seen:
                        seen.add(b)
                        nxt.append(b)
            frontier = nxt
        return goal in seen


def _bounded_path(
    t: nx.DiGraph,
    source: str,
    target: str,
    budget: int | None,
    ignore_nodes: Container[str],
    ignore_edges: Container[tuple[str, str]],
    max_visits: int | None = None,
) -> list[str] | None:
    """A shortest path of at most ``budget`` hops (any length when None), or None.

    Bidirectional breadth-first search, expanding the smaller frontier, exactly as networkx's
    ``_bidirectional_pred_succ`` (so it finds the same path among equals), stopped as soon as the
    levels searched prove that no path fits the budget: once levels ``df`` forward and ``dr``
    backward meet nowhere, every path has more than ``df + dr`` hops.
    """
    if source in ignore_nodes or target in ignore_nodes:
        return None
    if source == target:
        return [source]
    succ_of, pred_of = t._succ, t._pred
    # The ignored edges all leave an ignored node or the source itself (Yen's loop ignores the next
    # hop of each listed path sharing the root), so only arcs out of the source need the test.
    edges_out_of_source = bool(ignore_edges)
    pred: dict[str, str | None] = {source: None}
    succ: dict[str, str | None] = {target: None}
    forward, reverse = [source], [target]
    df = dr = 0
    meet = None
    while forward and reverse and meet is None:
        if budget is not None and df + dr + 1 > budget:
            return None
        if max_visits is not None and len(pred) + len(succ) > max_visits:
            raise _SearchTooLarge
        if len(forward) <= len(reverse):
            level, forward = forward, []
            df += 1
            for v in level:
                check = edges_out_of_source and v == source
                for w in succ_of[v]:
                    if w in ignore_nodes or (check and (v, w) in ignore_edges):
                        continue
                    if w not in pred:
                        forward.append(w)
                        pred[w] = v
                    if w in succ:
                        meet = w
                        break
                if meet is not None:
                    break
        else:
            level, reverse = reverse, []
            dr += 1
            for v in level:
                for w in pred_of[v]:
                    if w in ignore_nodes or (edges_out_of_source and w == source and (w, v) in ignore_edges):
                        continue
                    if w not in succ:
                        succ[w] = v
                        reverse.append(w)
                    if w in pred:
                        meet = w
                        break
                if meet is not None:
                    break
    if meet is None:
        return None
    path: list[str] = []
    node: str | None = meet
    while node is not None:
        path.append(node)
        node = succ[node]
    node = pred[path[0]]
    while node is not None:
        path.insert(0, node)
        node = pred[node]
    return path


def path_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per hop of every path, for CSV and tables."""
    rows = []
    for i, path in enumerate(result["paths"], start=1):
        for j, hop in enumerate(path["edges"], start=1):
            rows.append(
                {
                    "path": i,
                    "hop": j,
                    "source": hop["source"],
                    "target": hop["target"],
                    "kind": hop["kind"],
                    "mode": hop["mode"],
                    "condition": hop["condition"],
                    "from": hop["from"],
                    "to": hop["to"],
                    "status": hop["status"],
                    "quote": hop["quote"],
                }
            )
    return rows


__all__ = ["kind_list", "path_data", "path_rows", "paths"]
