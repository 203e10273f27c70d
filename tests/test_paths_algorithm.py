"""The paths question's own search answers exactly what networkx's did, to the byte.

``app.questions.paths`` answers with one bidirectional search per traversal graph, a reachability
index for large searches, and Yen's loop with spur searches bounded by the hops left (see its
docstring). None of it may change an answer: checked against ``networkx.shortest_simple_paths``,
``has_path`` and ``shortest_path_length`` on random directed graphs (hypothesis), and against the
question as it was written on networkx (``reference_paths``, below) on the seeds' snapshots, every
ordered pair of organs, certain and possible, armistice and wartime apart, and on a synthetic
structure with the first search capped so that every pair goes through the index.
"""

from __future__ import annotations

import contextvars
import importlib
import itertools
import random
import time
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import deadline
from app.questions.common import hop_data, organ_brief, snapshot_data, source_ids, why
from app.questions.paths import Reachability, shortest_path, simple_paths
from app.snapshot import ALL_KINDS, DEFAULT_KINDS, SnapshotParams
from app.snapshot_view import Snapshot
from app.store.embedded import EmbeddedStore
from bench.synthetic import generate
from graph_schema.vocabulary import Condition, EdgeKind, Existence

paths_module = importlib.import_module("app.questions.paths")

AUTHORITY_COORDINATION = frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})
KIND_SETS = (ALL_KINDS, DEFAULT_KINDS, AUTHORITY_COORDINATION)


# --------------------------------------------------------------- the question as written on networkx


def reference_path_data(
    snap: Snapshot, nodes: list[str], kinds: Iterable[EdgeKind], certain: bool, condition: Condition | None
) -> dict[str, Any]:
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
    things = [snap.organ(n) for n in nodes] + edges
    return {
        "hops": len(hops),
        "certain": not possible_organs and not possible_edges,
        "condition": next(iter(labels)).value if len(labels) == 1 else Condition.ANY.value,
        # The sources a chain rests on are the module's own data (CONTRACT.md §2), not its search.
        "agreement": paths_module.chain_agreement(snap, things),
        "source_ids": list(dict.fromkeys(sid for thing in things for sid in source_ids(thing))),
        "rests_on": {
            "organs": possible_organs,
            "edges": possible_edges,
            "claims": [paths_module._rests(snap, t) for t in things if t.id in {*possible_organs, *possible_edges}],
        },
        "organs": [organ_brief(snap.organ(n), snap) for n in nodes],
        "kinds": sorted({h["kind"] for h in hops}),
        "edges": hops,
    }


def _reaches(t: nx.DiGraph, source: str, target: str) -> bool:
    return source in t and target in t and nx.has_path(t, source, target)


def reference_paths(
    snap: Snapshot, source: str, target: str, kinds: Iterable[EdgeKind], max_hops: int = 6, limit: int = 10
) -> dict[str, Any]:
    """``app.questions.paths.paths`` as it was before its own search (nx.has_path,
    nx.shortest_simple_paths, nx.shortest_path_length), caps and all."""
    kinds = frozenset(kinds)
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
    connected = [c for c in snap.conditions() if _reaches(snap.traversal(kinds, condition=c), source, target)]
    if not connected:
        return result
    result["connected"] = True
    result["certain"] = any(
        _reaches(snap.traversal(kinds, certain=True, condition=c), source, target) for c in connected
    )
    found: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, ...], str]] = set()
    for certain in (True, False):
        for condition in snap.conditions():
            t = snap.traversal(kinds, certain=certain, condition=condition)
            if not _reaches(t, source, target):
                continue
            for nodes in nx.shortest_simple_paths(t, source, target):
                if len(nodes) - 1 > max_hops or len(found) >= limit:
                    break
                path = reference_path_data(snap, nodes, kinds, certain, condition)
                key = (tuple(nodes), path["condition"])
                if key not in seen:
                    seen.add(key)
                    found.append(path)
    found.sort(key=lambda p: (not p["certain"], p["hops"]))
    result["paths"] = found[:limit]
    result["shortest_hops"] = min(
        nx.shortest_path_length(snap.traversal(kinds, condition=c), source, target) for c in connected
    )
    return result


def networkx_paths(g: nx.DiGraph, source: str, target: str, max_hops: int, limit: int) -> list[list[str]]:
    out: list[list[str]] = []
    for nodes in nx.shortest_simple_paths(g, source, target):
        if len(nodes) - 1 > max_hops or len(out) >= limit:
            break
        out.append(nodes)
    return out


def ours(g: nx.DiGraph, source: str, target: str, max_hops: int, limit: int) -> list[list[str]]:
    first = shortest_path(g, source, target, None, (), ())
    return [] if first is None else list(itertools.islice(simple_paths(g, first, max_hops), limit))


# ------------------------------------------------------------------------------------ random graphs


@st.composite
def digraphs(draw: st.DrawFn) -> nx.DiGraph:
    n = draw(st.integers(2, 14))
    arcs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n * 4))
    g = nx.DiGraph()
    g.add_nodes_from(f"o{i}" for i in range(n))
    g.add_edges_from((f"o{a}", f"o{b}") for a, b in arcs if a != b)
    return g


@settings(max_examples=300, deadline=None)
@given(g=digraphs(), data=st.data())
def test_same_paths_as_networkx_on_random_digraphs(g: nx.DiGraph, data: st.DataObject) -> None:
    nodes = sorted(g)
    source = data.draw(st.sampled_from(nodes))
    target = data.draw(st.sampled_from(nodes))
    max_hops = data.draw(st.integers(1, 12))
    limit = data.draw(st.integers(1, 30))
    connected = nx.has_path(g, source, target)
    first = shortest_path(g, source, target, None, (), ())
    assert (first is not None) == connected
    assert Reachability(g).reaches(source, target) == connected
    if source == target:
        return
    if connected:
        assert first == nx.shortest_path(g, source, target)  # the same path among equals, too
        assert len(first or []) - 1 == nx.shortest_path_length(g, source, target)
    expected = networkx_paths(g, source, target, max_hops, limit) if connected else []
    assert ours(g, source, target, max_hops, limit) == expected


@pytest.mark.parametrize("seed", range(3))
def test_same_paths_as_networkx_on_larger_random_digraphs(seed: int) -> None:
    rng = random.Random(seed)
    g = nx.gnp_random_graph(40, 0.08, seed=seed, directed=True)
    g = nx.relabel_nodes(g, {n: f"o{n}" for n in g})
    nodes = list(g)
    for _ in range(40):
        source, target = rng.sample(nodes, 2)
        connected = nx.has_path(g, source, target)
        for max_hops, limit in ((3, 5), (6, 10), (12, 25)):
            expected = networkx_paths(g, source, target, max_hops, limit) if connected else []
            assert ours(g, source, target, max_hops, limit) == expected


@pytest.mark.parametrize("seed", range(3))
def test_reachability_index_agrees_with_networkx(seed: int) -> None:
    """Every ordered pair of a random digraph with cycles and one-way arcs."""
    g = nx.gnp_random_graph(60, 0.03, seed=seed, directed=True)
    g = nx.relabel_nodes(g, {n: f"o{n}" for n in g})
    index = Reachability(g)
    for source, target in itertools.product(g, repeat=2):
        assert index.reaches(source, target) == nx.has_path(g, source, target)


# ------------------------------------------------------------------------------------------- seeds

# A chain the paper states, in each snapshot: 'Beneath the NAC and the MC lie the strategic,
# operational, and tactical forces led by the Strategic Commanders' (line 90); the 1997 Guidelines
# 'established two bilateral coordination measures under the supervision of the SCC' for U.S. forces
# and the SDF (line 198); the SCM and MCM 'issue that guidance to the Commander CFC' (line 255).
NAC_SACEUR = ("nato.nac", "nato.saceur")
SCC_JSDF = ("us-japan.scc", "japan.jsdf")
SCM_CFC = ("us-rok.scm", "us-rok.commander-cfc")
SEED_SNAPSHOTS = (
    (SnapshotParams(alliance="nato", as_of=2009), NAC_SACEUR),
    (SnapshotParams(alliance="nato", as_of=1995), NAC_SACEUR),
    (SnapshotParams(alliance="us-japan", as_of=2009), SCC_JSDF),
    (SnapshotParams(alliance="us-rok", as_of=2009), SCM_CFC),  # armistice and wartime apart
    (SnapshotParams(alliance="us-rok", as_of=1980), SCM_CFC),
    (SnapshotParams(alliance="us-rok", as_of=2009, existence=Existence.CERTAIN), SCM_CFC),
    (SnapshotParams(alliance="us-rok", as_of=2009, condition=Condition.WARTIME), SCM_CFC),
    (SnapshotParams(alliance="nato"), NAC_SACEUR),  # no year: certain when some year is
)


@pytest.mark.parametrize(
    ("params", "stated"),
    SEED_SNAPSHOTS,
    ids=[f"{p.alliance}-{p.as_of}-{p.existence}-{p.condition}" for p, _ in SEED_SNAPSHOTS],
)
def test_same_answers_as_networkx_on_the_seeds(
    embedded: EmbeddedStore, params: SnapshotParams, stated: tuple[str, str]
) -> None:
    """Every ordered pair of organs (an absent one too), all kinds; a sample with other kinds and caps.
    The pairs compared include a chain the paper states in the snapshot, found connected."""
    snap = embedded.snapshot(params)
    organs = [*sorted(snap.graph), "nato.no-such-organ"]
    rng = random.Random(0)
    connected = set()
    for source, target in itertools.product(organs, repeat=2):
        expected = reference_paths(snap, source, target, ALL_KINDS)
        assert paths_module.paths(snap, source, target, ALL_KINDS) == expected, (source, target)
        if expected["connected"]:
            connected.add((source, target))
        if rng.random() < 0.2:
            kinds = rng.choice(KIND_SETS)
            max_hops, limit = rng.choice(((1, 1), (2, 3), (6, 10), (12, 100)))
            expected = reference_paths(snap, source, target, kinds, max_hops, limit)
            assert paths_module.paths(snap, source, target, kinds, max_hops, limit) == expected
    assert stated in connected


def test_the_seeds_have_paths_under_both_conditions(embedded: EmbeddedStore) -> None:
    """The U.S.-ROK structure of 2009 has chains of each condition, and possible ones after certain."""
    snap = embedded.snapshot(SnapshotParams(alliance="us-rok", as_of=2009))
    labels, orders = set(), []
    for source, target in itertools.permutations(sorted(snap.graph), 2):
        found = paths_module.paths(snap, source, target, ALL_KINDS, 12, 100)["paths"]
        labels |= {p["condition"] for p in found}
        orders.append([p["certain"] for p in found])
    assert {"armistice", "wartime"} <= labels
    assert any(True in o and False in o for o in orders)


# -------------------------------------------------------------------- a synthetic structure, index on


@pytest.fixture(scope="module")
def synthetic() -> EmbeddedStore:
    return EmbeddedStore(generate(600, seed=3, edges_per_organ=4))


@pytest.mark.parametrize("visits", [3, paths_module.FIRST_SEARCH_VISITS])
def test_same_answers_as_networkx_on_a_synthetic_structure(
    synthetic: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, visits: int
) -> None:
    """Random pairs and council-to-organ pairs over each kind set, with the first search capped at a
    handful of organs (every pair answered through the reachability index) and uncapped."""
    monkeypatch.setattr(paths_module, "FIRST_SEARCH_VISITS", visits)
    rng = random.Random(visits)
    for params in (SnapshotParams(as_of=2009), SnapshotParams(as_of=1975), SnapshotParams(as_of=2009, alliance="nato")):
        snap = synthetic.snapshot(params)
        ids = sorted(snap.graph)
        councils = [i for i in ids if i.endswith(".council")]
        for kinds in KIND_SETS:
            # The generator's top, in every year: 'a military committee that takes the council's
            # guidance' (bench/synthetic.py), an authority edge of every kind set here.
            top = reference_paths(snap, "nato.council", "nato.military-committee", kinds, 6, 10)
            assert top["connected"] and top["shortest_hops"] == 1
            assert paths_module.paths(snap, "nato.council", "nato.military-committee", kinds, 6, 10) == top
            for i in range(25):
                source = rng.choice(councils) if i % 2 else rng.choice(ids)
                target = rng.choice(ids)
                expected = reference_paths(snap, source, target, kinds, 6, 10)
                assert paths_module.paths(snap, source, target, kinds, 6, 10) == expected, (source, target)


# --------------------------------------------------------------------------------------- deadlines


def test_each_search_stops_at_the_deadline() -> None:
    """The searches check the request's compute deadline as they go (the 503 of tests/test_deadlines)."""
    grid = nx.grid_2d_graph(60, 60).to_directed()
    t = nx.relabel_nodes(grid, {n: f"o{n[0]}-{n[1]}" for n in grid})
    source, target = "o0-0", "o59-59"

    def past_the_deadline(search: Any) -> None:
        deadline.start(1e-6)
        time.sleep(0.001)
        with pytest.raises(deadline.ComputeDeadlineExceeded):
            search()

    for search in (
        lambda: Reachability(t),
        lambda: shortest_path(t, source, target, None, (), ()),
        lambda: list(simple_paths(t, nx.shortest_path(t, source, target), 200)),
    ):
        contextvars.copy_context().run(past_the_deadline, search)
