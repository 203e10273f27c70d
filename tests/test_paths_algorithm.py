"""The paths question's search lists exactly what networkx's Yen's algorithm lists, within its bounds.

``app.questions.paths.shortest_simple_paths`` bounds each spur search by the hops left and stops at
``limit``; neither bound may change a listed path or its order. Checked against
``networkx.shortest_simple_paths`` on random directed graphs (seeded) and on the seeds' snapshots.
"""

from __future__ import annotations

import itertools
import random

import networkx as nx
import pytest

from app.questions.paths import Reachability, _bounded_path, shortest_simple_paths
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.embedded import EmbeddedStore


def networkx_paths(g: nx.DiGraph, source: str, target: str, max_hops: int, limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    for nodes in nx.shortest_simple_paths(g, source, target):
        if len(nodes) - 1 > max_hops or len(out) >= limit:
            break
        out.append(nodes)
    return out


def ours(g: nx.DiGraph, source: str, target: str, max_hops: int, limit: int) -> list[list[str]]:
    first = _bounded_path(g, source, target, None, (), ())
    return [] if first is None else list(shortest_simple_paths(g, first, max_hops, limit))


@pytest.mark.parametrize("seed", range(6))
def test_same_paths_as_networkx_on_random_digraphs(seed: int) -> None:
    rng = random.Random(seed)
    g = nx.gnp_random_graph(40, 0.08, seed=seed, directed=True)
    g = nx.relabel_nodes(g, {n: f"o{n}" for n in g})
    nodes = list(g)
    for source, target in itertools.islice(((rng.choice(nodes), rng.choice(nodes)) for _ in itertools.count()), 60):
        if source == target:
            continue
        connected = nx.has_path(g, source, target)
        assert (_bounded_path(g, source, target, None, (), ()) is not None) == connected
        if connected:
            assert len(_bounded_path(g, source, target, None, (), ()) or []) - 1 == nx.shortest_path_length(
                g, source, target
            )
        for max_hops, limit in ((3, 5), (6, 10), (12, 25)):
            expected = networkx_paths(g, source, target, max_hops, limit) if connected else []
            assert ours(g, source, target, max_hops, limit) == expected


def test_same_paths_as_networkx_on_the_seeds(embedded: EmbeddedStore) -> None:
    """Every ordered pair of organs of the 2009 U.S.-ROK and NATO structures, all kinds of edge."""
    for alliance in ("us-rok", "nato"):
        t = embedded.snapshot(SnapshotParams(alliance=alliance, as_of=2009)).traversal(ALL_KINDS)
        for source, target in itertools.permutations(sorted(t), 2):
            if nx.has_path(t, source, target):
                assert ours(t, source, target, 6, 10) == networkx_paths(t, source, target, 6, 10)
            else:
                assert ours(t, source, target, 6, 10) == []


@pytest.mark.parametrize("seed", range(4))
def test_reachability_index_agrees_with_networkx(seed: int) -> None:
    """The index that answers 'nothing connects them' for large searches: the same verdict as
    networkx.has_path on every ordered pair of a random digraph with cycles and one-way arcs."""
    g = nx.gnp_random_graph(60, 0.03, seed=seed, directed=True)
    g = nx.relabel_nodes(g, {n: f"o{n}" for n in g})
    index = Reachability(g)
    for source, target in itertools.product(g, repeat=2):
        assert index.reaches(source, target) == nx.has_path(g, source, target)


def test_a_capped_first_search_still_answers_right(monkeypatch: pytest.MonkeyPatch, embedded: EmbeddedStore) -> None:
    """With the first search capped at a handful of organs, every pair goes through the index and
    the answers are those of the uncapped search."""
    import importlib

    paths_module = importlib.import_module("app.questions.paths")

    snap = embedded.snapshot(SnapshotParams(alliance="us-rok", as_of=2009))
    pairs = list(itertools.permutations(sorted(snap.graph), 2))
    expected = [paths_module.paths(snap, s, t, ALL_KINDS) for s, t in pairs]
    monkeypatch.setattr(paths_module, "FIRST_SEARCH_VISITS", 3)
    assert [paths_module.paths(snap, s, t, ALL_KINDS) for s, t in pairs] == expected
