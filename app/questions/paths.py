"""``paths``: is one organ connected to another by the allowed kinds of edge, and how?"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import networkx as nx

from app import deadline
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
    # Watched: past the request's compute deadline the search stops (app.deadline), even inside
    # one step of the path enumeration.
    t = deadline.watched(snap.traversal(kinds))
    if source == target or not nx.has_path(t, source, target):
        return result
    result["connected"] = True
    found: list[dict[str, Any]] = []
    for nodes in nx.shortest_simple_paths(t, source, target):
        deadline.check()
        if len(nodes) - 1 > max_hops or len(found) >= limit:
            break
        found.append(path_data(snap, nodes, kinds))
    result["paths"] = found
    result["shortest_hops"] = nx.shortest_path_length(t, source, target)
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
                    "quote": hop["quote"],
                }
            )
    return rows


__all__ = ["kind_list", "path_data", "path_rows", "paths"]
