"""The snapshot as a graph: ``snapshot_of`` filters the data's graph to one year, condition and scope.

A ``Snapshot`` is a ``networkx`` view of the full graph (nothing is copied) holding what the rules of
``app.snapshot`` keep, each organ and edge with its ``Judgement``; its ``traversal`` graphs (allowed
kinds, coordination both ways) are what path questions walk. The rules themselves are
``app.snapshot``'s, written once there: this module only applies them (``Judge``) and keeps the
result.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar

import networkx as nx

from app import deadline
from app.snapshot import ALL_KINDS, Judge, Judgement, SnapshotParams, condition_holds, parts_of
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import UNDIRECTED_KINDS, Condition, EdgeKind

T = TypeVar("T")

LARGE = 20_000  # organs: a snapshot this large reports its first build to ``BUILD_PROGRESS``
BUILD_PROGRESS: Callable[[int, int, str], None] | None = None
"""Set by a shell (the CLI, on a terminal) to show the first build of a large snapshot."""


def with_sources(snap: Snapshot, counted: tuple[str, ...], records: Mapping[str, SourceRecord]) -> Snapshot:
    """``snap`` told which sources it counts (``counted``, with their ``records``), in place."""
    snap.counted = counted
    snap.sources = {sid: records[sid] for sid in counted if sid in records}
    return snap


@dataclass
class Snapshot:
    """The organs and edges alive under ``params``, and the alliances they belong to."""

    params: SnapshotParams
    graph: nx.MultiDiGraph
    alliances: Mapping[str, Alliance]
    _traversal: dict[Hashable, nx.DiGraph] = field(default_factory=dict, repr=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    # For a view (``snapshot_of``): the graph it filters, its organs and its edge rule, so building
    # a traversal graph can test the cheap things (kind, organ) before the life rules.
    _source: _ViewSource | None = field(default=None, repr=False)
    judgements: dict[str, Judgement] = field(default_factory=dict, repr=False)
    """Organ id or edge id -> its judgement in this snapshot (only what the snapshot holds)."""
    removed: list[str] = field(default_factory=list)
    """Organs ``exclude`` removed (with their parts) that the snapshot would otherwise hold."""
    removed_edges: int = 0
    """Edges that went with them."""
    judge: Judge | None = field(default=None, repr=False)
    _full: tuple[nx.MultiDiGraph, Iterable[str] | None, Mapping[str, Organ] | None, Any] | None = field(
        default=None, repr=False
    )
    overlay: Any = field(default=None, repr=False)
    """The ``app.scenarios.Overlay`` laid over the data, when a scenario is applied."""
    scenario_note: str | None = None
    """Why a scenario asked for changed nothing (it concerns another alliance)."""
    counted: tuple[str, ...] = ()
    """The sources the snapshot counts (set by the store; ``counted_sources`` in answers)."""
    sources: Mapping[str, SourceRecord] = field(default_factory=dict, repr=False)
    """Their records (set by the store): answers name each claim's source by its kind and title."""

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per snapshot and key: what a question derives from the snapshot alone
        (who holds a role, how far a body reaches) is kept with it, like its traversal graphs.

        The snapshot never changes, so neither does what is derived from it; two threads asking at
        once may both compute it, and get equal answers.
        """
        try:
            value: T = self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
        return value

    def organ(self, organ_id: str) -> Organ:
        organ: Organ = self.graph.nodes[organ_id]["organ"]
        return organ

    def organs(self) -> list[Organ]:
        return [data["organ"] for _, data in self.graph.nodes(data=True)]

    def edges(self, kinds: Iterable[EdgeKind] | None = None) -> list[Edge]:
        wanted = ALL_KINDS if kinds is None else frozenset(kinds)
        return [d["edge"] for _, _, d in self.graph.edges(data=True) if d["edge"].kind in wanted]

    def judgement(self, thing_id: str) -> Judgement:
        """How sure the paper is of an organ or edge of this snapshot in its year, and why; for an
        organ the snapshot does not hold, why it is absent (``existence`` None)."""
        found = self.judgements.get(thing_id)
        if found is not None:
            return found
        if self.judge is not None and thing_id in self.judge.organs:
            return self.judge.organ(thing_id)
        return Judgement(None, "before-start")

    def judge_edge(self, edge: Edge) -> Judgement:
        """How sure the paper is of ``edge`` in this snapshot's year, held by the snapshot or not."""
        found = self.judgements.get(edge.id or "")
        if found is not None or self.judge is None:
            return found or Judgement(None, "before-start")
        if not condition_holds(edge, self.params.condition):
            return Judgement(None, "condition")
        return self.judge.edge(edge)

    def certain(self, thing_id: str) -> bool:
        return self.judgement(thing_id).certain

    @cached_property
    def order(self) -> dict[str, int]:
        """Organ id -> its place in id order, for deterministic tie-breaks."""
        return {n: i for i, n in enumerate(sorted(self.graph.nodes))}

    def traversal(
        self,
        kinds: Iterable[EdgeKind],
        certain: bool = False,
        condition: Condition | None = None,
        mutual: Iterable[EdgeKind] = UNDIRECTED_KINDS,
    ) -> nx.DiGraph:
        """A simple digraph for path questions: allowed kinds only, coordination both ways.

        ``certain``: only organs and edges the paper places in the year; ``condition``: only edges
        that hold under it (``any`` or it), so that no chain mixes armistice and wartime edges;
        ``mutual``: the kinds walked both ways (coordination; ``linkage`` adds membership, a seat on a
        body joining the body to its member: ``SEAT_RULE``).
        Each arc keeps the list of snapshot edges it stands for (``edges``), best first: the kinds in
        vocabulary order (authority first), then by id.
        """
        both_ways = frozenset(mutual) & frozenset(kinds)
        key: tuple[Any, ...] = (frozenset(kinds), certain, condition)
        if both_ways != UNDIRECTED_KINDS & key[0]:
            key += (both_ways,)  # one graph for questions that walk the same kinds the same ways
        cached = self._traversal.get(key)
        if cached is not None:
            return cached
        rank = {kind: i for i, kind in enumerate(EdgeKind)}
        judgements = self.judgements
        arcs: dict[tuple[str, str], list[tuple[Edge, bool]]] = {}
        for u, v, edge in deadline.checked(self._edges_of_kinds(key[0]), 4096):
            if certain and not judgements[edge.id].certain:  # type: ignore[index]
                continue
            if condition is not None and not condition_holds(edge, condition):
                continue
            arcs.setdefault((u, v), []).append((edge, False))
            if edge.kind in both_ways:
                arcs.setdefault((v, u), []).append((edge, True))
        for pairs in arcs.values():
            if len(pairs) > 1:
                pairs.sort(key=lambda pair: (rank[pair[0].kind], pair[0].id))
        g = nx.DiGraph()
        g.add_nodes_from(n for n in self.graph.nodes if not certain or judgements[n].certain)
        # Arcs in the order they are first met, as adding them one by one would.
        g.add_edges_from((a, b, {"edges": pairs}) for (a, b), pairs in deadline.checked(arcs.items(), 4096))
        self._traversal[key] = g
        return g

    def conditions(self) -> list[Condition | None]:
        """The conditions a chain question searches under: the snapshot's own when it has one, else
        armistice and wartime apart when both kinds of edge are present, else None (all edges)."""
        if self.params.condition is not None:
            return [self.params.condition]

        def find() -> list[Condition | None]:
            # The cheap edge walk (kind first, then the snapshot's own judgements), stopped as soon
            # as both conditions are seen: the view's generic walk re-tests every edge's organs.
            both, present = {Condition.ARMISTICE, Condition.WARTIME}, set()
            for _, _, edge in self._edges_of_kinds(ALL_KINDS):
                if edge.condition in both:
                    present.add(edge.condition)
                    if present == both:
                        return [Condition.ARMISTICE, Condition.WARTIME]
            return [None]

        return self.memo("snapshot.conditions", find)

    def variant(self, **changes: Any) -> Snapshot:
        """The same question's snapshot with other parameters (no exclusions, other existence),
        built from the same graph by the same rules: what a break's cause is checked against."""
        if self._full is None:
            raise ValueError("this snapshot was not built by snapshot_of")
        params = replace(self.params, **changes)
        full, scope, organs, proposed = self._full
        snap = snapshot_of(full, params, self.alliances, scope=scope, organs=organs, proposed=proposed)
        snap.overlay, snap.scenario_note = self.overlay, self.scenario_note
        snap.counted, snap.sources = self.counted, self.sources
        return snap

    def _edges_of_kinds(self, kinds: frozenset[EdgeKind]) -> Iterable[tuple[str, str, Edge]]:
        """(source, target, edge) of the snapshot's edges of ``kinds``, in the graph's order."""
        src = self._source
        if src is None:
            for u, v, data in self.graph.edges(data=True):
                if data["edge"].kind in kinds:
                    yield u, v, data["edge"]
            return
        # The view's own edge walk tests both organs and the life rules, several times per edge;
        # this walks the same adjacency in the same order and tests the kind first.
        succ, alive, edge_ok = src.base.succ, src.alive, src.edge_ok
        for u in deadline.checked(self.graph, 1024):
            for v, keyed in succ[u].items():
                if v not in alive:
                    continue
                for data in keyed.values():
                    edge = data["edge"]
                    if edge.kind in kinds and edge_ok(edge):
                        yield u, v, edge


def build_graph(
    organs: Iterable[Organ], edges: Iterable[Edge], alliances: Mapping[str, Alliance] | None = None
) -> nx.MultiDiGraph:
    """The full, timeless graph of the data: every organ and edge (``alliances`` is unused; kept for
    callers of the first version)."""
    g = nx.MultiDiGraph()
    for organ in organs:
        g.add_node(organ.id, organ=organ)
    # ``seq``: the edge's place in the store's order (the seeds' order), which a graph's adjacency
    # does not keep; the Cypher export numbers relationships by it, as the loader does.
    for seq, edge in enumerate(edges):
        g.add_edge(edge.source, edge.target, key=edge.id, edge=edge, seq=seq)
    return g


def alliance_scope(graph: nx.MultiDiGraph, alliance: str) -> set[str]:
    """An alliance's own organs, plus national organs one edge away (CONTRACT.md §2).

    "One edge away" is read on the timeless structure: a national organ that ever has an edge with
    one of the alliance's organs belongs to its scope, and shows in a year when it is alive. So the
    ROK forces stay in the U.S.-ROK structure in 1995, when the edge that reaches them runs from the
    ROK national command authority rather than from Commander CFC.
    """
    own = {n for n, d in deadline.checked(graph.nodes(data=True), 4096) if d["organ"].alliance == alliance}
    scope = set(own)
    for n in deadline.checked(own, 1024):
        scope.update(v for v in graph.successors(n) if graph.nodes[v]["organ"].alliance is None)
        scope.update(u for u in graph.predecessors(n) if graph.nodes[u]["organ"].alliance is None)
    return scope


def snapshot_of(
    full: nx.MultiDiGraph,
    params: SnapshotParams,
    alliances: Mapping[str, Alliance],
    scope: Iterable[str] | None = None,
    organs: Mapping[str, Organ] | None = None,
    proposed: Mapping[str, str] | None = None,
) -> Snapshot:
    """Filter ``full`` to ``params`` as a view (nothing is copied), judging every organ and edge.

    ``scope`` is the alliance's organs when the caller already knows them (the Neo4j store selects
    them in Cypher); ``organs`` every organ of the data, so a part is judged with its whole even
    when the whole is outside ``full``.
    """
    scope_arg = scope
    every = organs if organs is not None else {n: d["organ"] for n, d in full.nodes(data=True)}
    judge = Judge(params, every, alliances, proposed)
    if scope is None:
        scope = alliance_scope(full, params.alliance) if params.alliance is not None else full
    in_scope = set(scope)
    gone = parts_of(every, params.exclude) if params.exclude else set()
    judgements: dict[str, Judgement] = {}
    kept: list[str] = []
    removed: list[str] = []
    total = full.number_of_nodes()
    report = BUILD_PROGRESS if total >= LARGE else None
    for i, n in enumerate(full):
        if not i & 1023:
            deadline.check()  # a large structure's first snapshot stops at the request's deadline
            if report is not None:
                report(i, total, "organs judged")
        if n not in in_scope:
            continue
        judged = judge.organ(n)
        if not judge.keeps(judged):
            continue
        if n in gone:
            removed.append(n)
            continue
        judgements[n] = judged
        kept.append(n)
    alive = _ShowNodes(kept)
    condition = params.condition
    for i, u in enumerate(kept):
        if not i & 1023:
            deadline.check()
        for v, keyed in full.succ[u].items():
            if v not in alive.nodes:
                continue
            for key, data in keyed.items():
                edge = data["edge"]
                if not condition_holds(edge, condition):
                    continue
                judged = judge.edge(edge)
                if judge.keeps(judged):
                    judgements[key] = judged

    if report is not None:
        report(total, total, "organs judged")
    lost = 0
    if removed:
        present = set(kept) | set(removed)
        for r in removed:
            for _, v, data in full.out_edges(r, data=True):
                lost += (
                    v in present and condition_holds(data["edge"], condition) and judge.keeps(judge.edge(data["edge"]))
                )
            for u, _, data in full.in_edges(r, data=True):
                lost += (
                    u in present
                    and u not in removed
                    and condition_holds(data["edge"], condition)
                    and judge.keeps(judge.edge(data["edge"]))
                )

    def edge_ok(edge: Edge) -> bool:
        return edge.id in judgements

    view = nx.subgraph_view(
        full,
        filter_node=alive,
        filter_edge=lambda u, v, k: k in judgements and u in alive.nodes and v in alive.nodes,
    )
    source = _ViewSource(base=full, alive=alive.nodes, edge_ok=edge_ok)
    return Snapshot(
        params=params,
        graph=view,
        alliances=alliances,
        _source=source,
        judgements=judgements,
        removed=removed,
        removed_edges=lost,
        judge=judge,
        _full=(full, scope_arg, organs, proposed),
    )


@dataclass(frozen=True)
class _ViewSource:
    base: nx.MultiDiGraph
    alive: Container[str]
    edge_ok: Callable[[Edge], bool]


class _ShowNodes:
    """A node filter that lets a view iterate its own nodes rather than the whole graph's.

    networkx's views walk only ``filter.nodes`` when it is much smaller than the graph (one
    alliance of a large structure); ``networkx.filters.show_nodes`` keeps a set, whose order is the
    hash order, so every walk of the view, and every answer that follows it, would change order
    from one process to the next. This keeps the nodes in the graph's own order.
    """

    def __init__(self, nodes: Iterable[str]) -> None:
        self.nodes = dict.fromkeys(nodes).keys()

    def __call__(self, node: str) -> bool:
        return node in self.nodes
