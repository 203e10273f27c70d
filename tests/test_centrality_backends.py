"""The fast centrality backend (igraph) gives networkx's scores on the paper's graph, to 1e-9.

Betweenness and closeness run on igraph when it is installed (the ``fast`` extra, also in ``dev``);
the answers must not depend on which library computed them. Checked on the structures of all three
alliances of figure 4, in the years the paper turns on (U.S.-ROK before and after CFC's 1978
founding, "In 1994, 'peacetime OPCON' was withdrawn from Commander CFC"), under each condition, and
for several sets of edge kinds.
"""

from __future__ import annotations

import itertools

# igraph is in the dev extra: a missing igraph fails here, it does not skip the comparison.
import igraph  # noqa: F401
import networkx as nx
import pytest

from app.questions import centrality
from app.questions.centrality import BACKEND_ENV, articulation, betweenness_igraph, closeness_igraph, fast_backend
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.embedded import EmbeddedStore
from graph_schema.vocabulary import Condition, EdgeKind

A, AD, C, S, M = (
    EdgeKind.AUTHORITY,
    EdgeKind.ADVICE,
    EdgeKind.COORDINATION,
    EdgeKind.SUPPORT,
    EdgeKind.MEMBERSHIP,
)
KIND_SETS = [frozenset({A}), frozenset({A, C}), frozenset({A, AD}), frozenset({AD, S, M}), ALL_KINDS]
SNAPSHOTS = [
    SnapshotParams(alliance="nato", as_of=2009),
    SnapshotParams(alliance="nato", as_of=1960),
    SnapshotParams(alliance="us-japan", as_of=2009),
    SnapshotParams(alliance="us-japan"),
    SnapshotParams(alliance="us-rok", as_of=1975),
    SnapshotParams(alliance="us-rok", as_of=1985, condition=Condition.WARTIME),
    SnapshotParams(alliance="us-rok", as_of=1995, condition=Condition.ARMISTICE),
    SnapshotParams(alliance="us-rok", as_of=2013, include_planned=True),
    SnapshotParams(),
]
CASES = list(itertools.product(SNAPSHOTS, KIND_SETS))
TOLERANCE = 1e-9


def _ids(case: tuple[SnapshotParams, frozenset[EdgeKind]]) -> str:
    params, kinds = case
    what = ",".join(sorted(k.value for k in kinds))
    return f"{params.alliance or 'all'}-{params.as_of}-{params.condition}-{params.include_planned}-{what}"


def _close(a: dict[str, float], b: dict[str, float]) -> None:
    assert a.keys() == b.keys()
    worst = max((abs(a[k] - b[k]) for k in a), default=0.0)
    assert worst <= TOLERANCE, f"largest difference {worst:g}"


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_igraph_betweenness_equals_networkx(embedded: EmbeddedStore, case: tuple) -> None:
    params, kinds = case
    g = embedded.snapshot(params).traversal(kinds)
    _close(betweenness_igraph(g), nx.betweenness_centrality(g, normalized=True))


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_igraph_closeness_equals_networkx(embedded: EmbeddedStore, case: tuple) -> None:
    params, kinds = case
    g = embedded.snapshot(params).traversal(kinds)
    _close(closeness_igraph(g), nx.closeness_centrality(g))


@pytest.mark.parametrize("metric", ["betweenness", "closeness"])
@pytest.mark.parametrize("alliance", ["nato", "us-rok", "us-japan"])
def test_rankings_do_not_depend_on_the_backend(
    embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, alliance: str, metric: str
) -> None:
    """The whole answer (ranks, rounded scores, articulation organs) is the same on both backends."""
    snap = embedded.snapshot(SnapshotParams(alliance=alliance, as_of=2009))
    for kinds in KIND_SETS:
        monkeypatch.delenv(BACKEND_ENV, raising=False)
        assert fast_backend() == "igraph"
        fast = centrality(snap, metric, kinds)
        monkeypatch.setenv(BACKEND_ENV, "networkx")
        assert fast_backend() is None
        slow = centrality(snap, metric, kinds)
        assert fast == slow


def test_us_rok_commander_cfc_is_the_most_between_on_both_backends(embedded: EmbeddedStore) -> None:
    """'develop combined guidance through the interaction of the SCM and MCM, and issue that guidance to the Commander
    CFC': with every kind of edge in 2009 Commander CFC sits between the SCM system and the forces, and the SCM,
    linked 'to the MCM and to the respective operational commanders', comes before the MCM."""
    snap = embedded.snapshot(SnapshotParams(alliance="us-rok", as_of=2009))
    ranking = centrality(snap, "betweenness", ALL_KINDS)["ranking"]
    assert [r["id"] for r in ranking[:3]] == ["us-rok.commander-cfc", "us-rok.scm", "us-rok.mcm"]


@pytest.mark.parametrize("params", SNAPSHOTS, ids=[_ids((p, ALL_KINDS)) for p in SNAPSHOTS])
def test_articulation_counts_the_parts_left(embedded: EmbeddedStore, params: SnapshotParams) -> None:
    """The parts counted from the blocks equal the parts counted by removing each organ in turn."""
    snap = embedded.snapshot(params)
    for kinds in KIND_SETS:
        u = nx.Graph(snap.traversal(kinds).to_undirected(as_view=True))
        expected = {
            node: nx.number_connected_components(u.subgraph(n for n in u if n != node))
            for node in nx.articulation_points(u)
        }
        found = {a["id"]: a["parts_after_removal"] for a in articulation(snap, kinds)}
        assert found == expected
