"""``centrality``: which organs hold the structure together, by the chosen measure and edge kinds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx

from app.errors import BadParameter
from app.questions.common import organ_brief, params_data
from app.snapshot import DEFAULT_KINDS, Snapshot
from graph_schema.vocabulary import EdgeKind


def _eigenvector(g: nx.DiGraph) -> dict[str, float]:
    # On the undirected structure: a chain of command is acyclic, and directed eigenvector
    # centrality is zero (or fails to converge) on acyclic graphs.
    u = nx.Graph(g.to_undirected(as_view=True))
    if u.number_of_edges() == 0:
        return dict.fromkeys(u, 0.0)
    scores: dict[str, float] = {}
    for comp in nx.connected_components(u):
        sub = u.subgraph(comp)
        if sub.number_of_edges() == 0:
            scores.update(dict.fromkeys(comp, 0.0))
            continue
        part = nx.eigenvector_centrality(sub, max_iter=5000, tol=1e-9)
        weight = len(comp) / u.number_of_nodes()
        scores.update({n: s * weight for n, s in part.items()})
    return scores


METRICS: dict[str, Callable[[nx.DiGraph], dict[str, float]]] = {
    "degree": nx.degree_centrality,
    "in_degree": nx.in_degree_centrality,
    "out_degree": nx.out_degree_centrality,
    "betweenness": lambda g: nx.betweenness_centrality(g, normalized=True),
    "closeness": nx.closeness_centrality,
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
    u = nx.Graph(snap.traversal(kinds).to_undirected(as_view=True))
    found = []
    base = nx.number_connected_components(u)
    for node in sorted(nx.articulation_points(u)):
        rest = u.subgraph(n for n in u if n != node)
        found.append(
            {
                **organ_brief(snap.organ(node)),
                "parts_after_removal": nx.number_connected_components(rest),
                "parts_before": base,
            }
        )
    return found


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
    ordered = sorted(scores.items(), key=lambda kv: (-round(kv[1], 12), kv[0]))
    ranking = []
    previous: float | None = None
    rank = 0
    for i, (node, score) in enumerate(ordered, start=1):
        rounded = round(score, 6)
        if rounded != previous:
            rank, previous = i, rounded
        ranking.append({"rank": rank, **organ_brief(snap.organ(node)), "score": rounded})
    return {
        **params_data(snap.params, kinds),
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
