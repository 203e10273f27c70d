"""``paths``: is one organ connected to another by the allowed kinds of edge, and how?

Which algorithm, and why
------------------------
The question is asked of up to four traversal graphs (``Snapshot.traversal``): certain and
possible, each under armistice and wartime apart when the snapshot holds both (no chain mixes
them). The certain graph is a subgraph of the possible one, so only a condition whose possible
graph connects the pair is searched again for certainty.

- ``connected`` and ``shortest_hops``: one bidirectional breadth-first search per graph
  (``shortest_path``), the very search networkx's ``_bidirectional_pred_succ`` makes (expand the
  smaller frontier; same path among equals). Meeting in the middle, it visits about the square
  root of what a one-sided search would in a branching structure, and its path is the first of
  the listing below, so nothing is searched twice.
- A pair nothing connects would make that search visit everything one side reaches (a
  coordination cluster, walked both ways, is most of a large structure). Past
  ``FIRST_SEARCH_VISITS`` organs the search asks a ``Reachability`` index instead: the graph's
  strongly connected components (scipy, in C) and the acyclic graph between them, walked only
  towards components ranked before the target's in a topological order. It is built once per
  snapshot and traversal graph (``Snapshot.memo``), on the first pair that needs it.
- The paths: Yen's k shortest simple paths (``simple_paths``), networkx's own loop
  (``shortest_simple_paths``) with its tie-breaks, with two bounds that change no listed path:
  each spur search is that bidirectional search, cut off as soon as the levels searched prove no
  path fits in the hops ``max_hops`` leaves; and the listing is lazy, so no spur search is made
  for the path after the ``limit``-th. Yen's is what lists *simple* paths shortest first with
  networkx's order (the answers' order is part of the contract); the bounds make its cost grow
  with the paths asked for, not with the size of the structure around them.

Every loop checks the request's compute deadline (``app.deadline.check``) as it goes.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Container, Iterable, Iterator
from typing import Any

import networkx as nx

from app import deadline
from app.questions.common import (
    LIMIT_CAP,
    MAX_HOPS_CAP,
    check_cap,
    hop_data,
    kind_list,
    organ_brief,
    snapshot_data,
    source_ids,
    why,
)
from app.snapshot import DEFAULT_KINDS
from app.snapshot_view import Snapshot
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import UNDIRECTED_KINDS, Agreement, Condition, EdgeKind

# Organs the first search of a pair may visit before the reachability index is consulted. A
# connected pair meets far sooner: on the 100k-organ synthetic structure (authority+coordination,
# 400 pairs) none needed more than 5,000, most under 1,000, while most pairs nothing connects ran
# past 20,000.
FIRST_SEARCH_VISITS = 5_000
CHECK_EVERY = 256  # organs expanded between two looks at the deadline's clock


def path_data(
    snap: Snapshot,
    nodes: list[str],
    kinds: Iterable[EdgeKind],
    certain: bool = False,
    condition: Condition | None = None,
    mutual: Iterable[EdgeKind] = UNDIRECTED_KINDS,
) -> dict[str, Any]:
    """A node path as data: its organs and, per hop, the best edge (authority first; a certain one
    first) that makes it; whether the paper places every part of it in the year (``certain``), and
    the possible organs and edges it rests on (``rests_on``). ``mutual``: the kinds the path's
    traversal graph walks both ways (``Snapshot.traversal``)."""
    return _path_data(snap, nodes, _hop_edges(snap, nodes, kinds, certain, condition, mutual))


def _hop_edges(
    snap: Snapshot,
    nodes: list[str],
    kinds: Iterable[EdgeKind],
    certain: bool,
    condition: Condition | None,
    mutual: Iterable[EdgeKind] = UNDIRECTED_KINDS,
) -> list[tuple[Edge, bool]]:
    """Per hop of ``nodes``, the best edge that makes it and whether it is walked backwards."""
    t = snap.traversal(kinds, condition=condition, mutual=mutual)
    chosen = []
    for a, b in itertools.pairwise(nodes):
        pairs = t[a][b]["edges"]
        chosen.append(next((p for p in pairs if snap.certain(p[0].id or "")), pairs[0]) if certain else pairs[0])
    return chosen


def _condition_of(chosen: list[tuple[Edge, bool]]) -> str:
    labels = {edge.condition for edge, _ in chosen} - {Condition.ANY}
    return next(iter(labels)).value if len(labels) == 1 else Condition.ANY.value


def _path_data(snap: Snapshot, nodes: list[str], chosen: list[tuple[Edge, bool]]) -> dict[str, Any]:
    hops = [hop_data(edge, reverse, snap) for edge, reverse in chosen]
    possible_organs = [n for n in nodes if not snap.certain(n)]
    possible_edges = [e.id for e, _ in chosen if not snap.certain(e.id or "")]
    things: list[Organ | Edge] = [snap.organ(n) for n in nodes] + [e for e, _ in chosen]
    resting = set(possible_organs) | set(possible_edges)
    return {
        "hops": len(hops),
        "certain": not possible_organs and not possible_edges,
        "condition": _condition_of(chosen),
        "agreement": chain_agreement(snap, things),
        "source_ids": list(dict.fromkeys(sid for thing in things for sid in source_ids(thing))),
        "rests_on": {
            "organs": possible_organs,
            "edges": possible_edges,
            "claims": [_rests(snap, thing) for thing in things if (thing.id or "") in resting],
        },
        "organs": [organ_brief(snap.organ(n), snap) for n in nodes],
        "kinds": sorted({h["kind"] for h in hops}),
        "edges": hops,
    }


def _rests(snap: Snapshot, thing: Organ | Edge) -> dict[str, Any]:
    """A possible organ or edge a chain rests on, with the sources that claim it and their agreement."""
    judged = snap.judgement(thing.id or "")
    agreement = judged.agreement.value if judged.agreement is not None else None
    return {"id": thing.id, "source_ids": source_ids(thing), "agreement": agreement}


def chain_agreement(snap: Snapshot, things: Iterable[Organ | Edge]) -> str | None:
    """Whether the sources a chain rests on agree on it in the year: ``disputed`` when one of its
    organs or edges is, ``single`` when one and the same source claims them all, else ``agreed``;
    None for a chain of things no source claims (data built without the loader)."""
    things = list(things)
    if any(snap.judgement(t.id or "").agreement is Agreement.DISPUTED for t in things):
        return Agreement.DISPUTED.value
    claimed = [frozenset(source_ids(t)) for t in things if t.claims]
    if not claimed:
        return None
    return Agreement.SINGLE.value if len(set(claimed)) == 1 and len(claimed[0]) == 1 else Agreement.AGREED.value


Search = tuple[bool, Condition | None]  # a traversal graph of the question: (certain, condition)


def first_path(
    snap: Snapshot, kinds: frozenset[EdgeKind], certain: bool, condition: Condition | None, source: str, target: str
) -> list[str] | None:
    """A shortest path from ``source`` to ``target`` in the traversal graph of ``kinds`` (the first
    that networkx's ``shortest_simple_paths`` lists), or None when nothing connects them there."""
    t = snap.traversal(kinds, certain=certain, condition=condition)
    if source not in t or target not in t:
        return None
    try:
        return shortest_path(t, source, target, None, (), (), max_visits=FIRST_SEARCH_VISITS)
    except _SearchTooLarge:
        # A search this large usually proves that nothing connects (every organ one side reaches,
        # visited): ask the reachability index first, built once per snapshot and graph.
        key = ("paths.reachability", kinds, certain, condition)
        if not snap.memo(key, lambda: Reachability(t)).reaches(source, target):
            return None
        return shortest_path(t, source, target, None, (), ())


def chains(
    snap: Snapshot,
    firsts: dict[Search, list[str]],
    kinds: frozenset[EdgeKind],
    max_hops: int,
    limit: int,
) -> list[dict[str, Any]]:
    """The paths from ``source`` to ``target``: certain ones first, then possible, shortest first in
    each, at most ``limit``; under each condition apart when the snapshot holds both armistice and
    wartime edges (no chain mixes them), the same node path listed once. ``firsts``: the first path
    of each traversal graph that connects the pair (``first_path``)."""
    found: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, ...], str]] = set()
    for certain in (True, False):
        for condition in snap.conditions():
            first = firsts.get((certain, condition))
            if first is None or len(found) >= limit:
                continue
            t = snap.traversal(kinds, certain=certain, condition=condition)
            if not certain and (True, condition) in firsts and _all_certain(snap, kinds, condition):
                # Everything here is certain: this listing would repeat the certain one, path for path.
                continue
            for nodes in simple_paths(t, first, max_hops):
                deadline.check()
                chosen = _hop_edges(snap, nodes, kinds, certain, condition)
                key = (tuple(nodes), _condition_of(chosen))
                if key in seen:
                    continue
                seen.add(key)
                found.append(_path_data(snap, nodes, chosen))
                if len(found) >= limit:
                    break
    found.sort(key=lambda p: (not p["certain"], p["hops"]))
    return found[:limit]


def _all_certain(snap: Snapshot, kinds: frozenset[EdgeKind], condition: Condition | None) -> bool:
    """Whether every organ and edge of the possible traversal graph is certain: then the certain
    graph is the same graph, and its listing the same paths with the same edges (once per snapshot)."""

    def find() -> bool:
        t = snap.traversal(kinds, condition=condition)
        return all(snap.certain(n) for n in t) and all(
            snap.certain(edge.id or "") for _, _, pairs in t.edges(data="edges") for edge, _ in pairs
        )

    return snap.memo(("paths.all-certain", kinds, condition), find)


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
    kinds : edge kinds that may be walked; a directed kind follows its written direction, a mutual
        one (``UNDIRECTED_KINDS``: coordination) goes both ways.
    max_hops : longest path listed (1..12); ``connected`` ignores it.
    limit : most paths listed (1..100).

    Returns
    -------
    dict with ``connected``, ``shortest_hops`` (or null), ``paths`` (each with ``hops``,
    ``organs`` and ``edges``: kind, mode, condition, years, quote), and ``absent`` listing any of
    the two organs that is not alive in the snapshot.

    Notes
    -----
    How it searches, and why that way: see the module's docstring.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> from app.snapshot import SnapshotParams
    >>> snap = default_store().snapshot(SnapshotParams(alliance="nato", as_of=2009))
    >>> paths(snap, "nato.nac", "nato.saceur")["shortest_hops"]
    1
    """
    kinds = frozenset(kinds)
    check_cap("max_hops", max_hops, 1, MAX_HOPS_CAP)
    check_cap("limit", limit, 1, LIMIT_CAP)
    result: dict[str, Any] = {
        "source": source,
        "target": target,
        **snapshot_data(snap, kinds),
        "max_hops": max_hops,
        "limit": limit,
        "absent": [n for n in (source, target) if n not in snap.graph],
        "absent_why": {
            n: why(snap.judgement(n).rule, snap.judgement(n).quote) for n in (source, target) if n not in snap.graph
        },
        "connected": False,
        "certain": False,
        "shortest_hops": None,
        "paths": [],
    }
    if result["absent"]:
        return result
    result["removed"] = snap.removed
    if source == target:
        return result
    firsts: dict[Search, list[str]] = {}
    for condition in snap.conditions():
        first = first_path(snap, kinds, False, condition, source, target)
        if first is not None:
            firsts[(False, condition)] = first
    if not firsts:
        return result
    result["connected"] = True
    result["shortest_hops"] = min(len(nodes) - 1 for nodes in firsts.values())
    # Only what the possible graph connects can the certain one (a subgraph of it).
    for _, condition in list(firsts):
        first = first_path(snap, kinds, True, condition, source, target)
        if first is not None:
            firsts[(True, condition)] = first
    result["certain"] = any(certain for certain, _ in firsts)
    result["paths"] = chains(snap, firsts, kinds, max_hops, limit)
    return result


def simple_paths(t: nx.DiGraph, first: list[str], max_hops: int) -> Iterator[list[str]]:
    """Yen's k shortest simple paths from ``first[0]`` to ``first[-1]``, none longer than
    ``max_hops``; ``first`` is a shortest path (``shortest_path``).

    The same paths in the same order as ``networkx.shortest_simple_paths`` (this is its loop, with
    its tie-breaks: candidates by number of nodes, then in the order found, each once), with two
    bounds that change no listed path: a spur search only looks for a path that fits in the hops
    left (a longer candidate could only be listed after ``max_hops`` is passed), and the next path
    is computed only when asked for, so a caller that stops at its limit pays no spur search more.
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
        ignore_nodes: set[str] = set()
        ignore_edges: set[tuple[str, str]] = set()
        for i in range(1, len(path)):
            deadline.check()
            root = path[:i]
            for done in listed:
                if done[:i] == root:
                    ignore_edges.add((done[i - 1], done[i]))
            spur = shortest_path(t, root[-1], target, max_hops - (i - 1), ignore_nodes, ignore_edges)
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
    """Which organ reaches which along a traversal graph's arcs: its strongly connected components
    (scipy's, in C), the acyclic graph between them, and a topological rank of each.

    ``reaches(a, b)`` walks that acyclic graph, much smaller than the organs' (a coordination
    cluster, walked both ways, is one component), and only towards components ranked before
    ``b``'s: a pair that nothing connects is answered without visiting every organ one of them
    reaches.
    """

    def __init__(self, t: nx.DiGraph) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        index = {v: i for i, v in enumerate(t)}
        rows: list[int] = []
        cols: list[int] = []
        for i, (u, nbrs) in enumerate(t._succ.items()):
            if not i & 1023:
                deadline.check()
            iu = index[u]
            rows.extend(iu for _ in nbrs)
            cols.extend(index[v] for v in nbrs)
        n = len(index)
        r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        matrix = csr_matrix((np.ones(len(rows), dtype=np.int8), (r, c)), shape=(n, n))
        count, labels = connected_components(matrix, directed=True, connection="strong")
        deadline.check()
        between = labels[r] != labels[c]
        self.component = dict(zip(index, labels.tolist(), strict=True))
        self.dag: list[set[int]] = [set() for _ in range(count)]
        for a, b in zip(labels[r][between].tolist(), labels[c][between].tolist(), strict=True):
            self.dag[a].add(b)
        # Kahn's topological order: an arc between components always goes up in rank.
        indegree = [0] * count
        for out in self.dag:
            for b in out:
                indegree[b] += 1
        self.rank = [0] * count
        ready = [a for a in range(count) if not indegree[a]]
        placed = 0
        while ready:
            a = ready.pop()
            self.rank[a] = placed
            placed += 1
            if not placed & 4095:
                deadline.check()
            for b in self.dag[a]:
                indegree[b] -= 1
                if not indegree[b]:
                    ready.append(b)

    def reaches(self, source: str, target: str) -> bool:
        start, goal = self.component[source], self.component[target]
        rank, dag = self.rank, self.dag
        top = rank[goal]
        if start == goal:
            return True
        if rank[start] > top:
            return False
        seen, todo = {start}, [start]
        for walked in itertools.count(1):
            if not todo:
                break
            if not walked % CHECK_EVERY:
                deadline.check()
            for b in dag[todo.pop()]:
                if b == goal:
                    return True
                if b not in seen and rank[b] < top:
                    seen.add(b)
                    todo.append(b)
        return False


def shortest_path(
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
    backward meet nowhere, every path has more than ``df + dr`` hops. Past ``max_visits`` organs
    it raises ``_SearchTooLarge``.
    """
    if source in ignore_nodes or target in ignore_nodes:
        return None
    if source == target:
        return [source]
    succ_of, pred_of = t._succ, t._pred
    # The ignored edges all leave an ignored node or the source itself (Yen's loop ignores the next
    # hop of each listed path sharing the root), so only arcs out of the source need the test.
    edges_out_of_source = bool(ignore_edges)
    clock = deadline.current()
    expanded = 0
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
                expanded += 1
                if clock is not None and not expanded % CHECK_EVERY:
                    clock.check()
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
                expanded += 1
                if clock is not None and not expanded % CHECK_EVERY:
                    clock.check()
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
                    "existence": hop.get("existence"),
                    "path_certain": path["certain"],
                    "quote": hop["quote"],
                }
            )
    return rows


__all__ = [
    "Reachability",
    "first_path",
    "kind_list",
    "path_data",
    "path_rows",
    "paths",
    "shortest_path",
    "simple_paths",
]
