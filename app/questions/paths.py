"""``paths``: is one organ connected to another by the allowed kinds of edge, and how?"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
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
    why,
)
from app.snapshot import DEFAULT_KINDS, Snapshot
from graph_schema.vocabulary import Condition, EdgeKind


def path_data(
    snap: Snapshot,
    nodes: list[str],
    kinds: Iterable[EdgeKind],
    certain: bool = False,
    condition: Condition | None = None,
) -> dict[str, Any]:
    """A node path as data: its organs and, per hop, the best edge (authority first; a certain one
    first) that makes it; whether the paper places every part of it in the year (``certain``), and
    the possible organs and edges it rests on (``rests_on``)."""
    t = snap.traversal(kinds, condition=condition)
    hops, edges = [], []
    for a, b in itertools.pairwise(nodes):
        pairs = t[a][b]["edges"]
        edge, reverse = next((p for p in pairs if snap.certain(p[0].id or "")), pairs[0]) if certain else pairs[0]
        edges.append(edge)
        hops.append(hop_data(edge, reverse, snap))
    possible_organs = [n for n in nodes if not snap.certain(n)]
    possible_edges = [e.id for e in edges if not snap.certain(e.id or "")]
    labels = {e.condition for e in edges} - {Condition.ANY}
    return {
        "hops": len(hops),
        "certain": not possible_organs and not possible_edges,
        "condition": next(iter(labels)).value if len(labels) == 1 else Condition.ANY.value,
        "rests_on": {"organs": possible_organs, "edges": possible_edges},
        "organs": [organ_brief(snap.organ(n), snap) for n in nodes],
        "kinds": sorted({h["kind"] for h in hops}),
        "edges": hops,
    }


def reaches(t: nx.DiGraph, source: str, target: str) -> bool:
    return source in t and target in t and nx.has_path(t, source, target)


def chains(
    snap: Snapshot, source: str, target: str, kinds: frozenset[EdgeKind], max_hops: int, limit: int
) -> list[dict[str, Any]]:
    """The paths from ``source`` to ``target``: certain ones first, then possible, shortest first in
    each, at most ``limit``; under each condition apart when the snapshot holds both armistice and
    wartime edges (no chain mixes them), the same node path listed once."""
    found: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, ...], str]] = set()
    for certain in (True, False):
        for condition in snap.conditions():
            t = snap.traversal(kinds, certain=certain, condition=condition)
            if not reaches(t, source, target):
                continue
            # Watched: past the request's compute deadline the search stops (app.deadline), even
            # inside one step of the path enumeration.
            for nodes in nx.shortest_simple_paths(deadline.watched(t), source, target):
                deadline.check()
                if len(nodes) - 1 > max_hops or len(found) >= limit:
                    break
                path = path_data(snap, nodes, kinds, certain, condition)
                key = (tuple(nodes), path["condition"])
                if key not in seen:
                    seen.add(key)
                    found.append(path)
    found.sort(key=lambda p: (not p["certain"], p["hops"]))
    return found[:limit]


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
    connected = [c for c in snap.conditions() if reaches(snap.traversal(kinds, condition=c), source, target)]
    if not connected:
        return result
    result["connected"] = True
    result["certain"] = any(
        reaches(snap.traversal(kinds, certain=True, condition=c), source, target) for c in connected
    )
    result["paths"] = chains(snap, source, target, kinds, max_hops, limit)
    result["shortest_hops"] = min(
        nx.shortest_path_length(snap.traversal(kinds, condition=c), source, target) for c in connected
    )
    return result


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


__all__ = ["kind_list", "path_data", "path_rows", "paths"]
