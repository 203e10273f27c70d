"""Year-snapshots: the organs and edges alive in one year, under one condition, for one alliance.

A snapshot is what every question is asked of. Its graph is a ``networkx.MultiDiGraph`` whose
nodes are organ ids (attribute ``organ``: the Organ, ``uncertain``: its start is a bound, not a
date, ``start``/``end``: its effective years) and whose edges are keyed by edge id (attribute
``edge``: the Edge). Both stores build snapshots by the same rules, written once here as
predicates over the vocabulary; the embedded store applies them as a ``subgraph_view`` of its
graph, the Neo4j store in Cypher (see ``app.store.neo4j_store``), and the suite checks they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import networkx as nx

from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import UNDIRECTED_KINDS, Condition, EdgeKind, Role, Status, parse_condition

T = TypeVar("T")

ALL_KINDS: frozenset[EdgeKind] = frozenset(EdgeKind)
DEFAULT_KINDS: frozenset[EdgeKind] = frozenset({EdgeKind.AUTHORITY})


@dataclass(frozen=True)
class SnapshotParams:
    """What a snapshot holds: one alliance (or all), a year (or all years), a condition (or all)."""

    alliance: str | None = None
    as_of: int | None = None
    condition: Condition | None = None
    include_planned: bool = False
    exclude: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Scripts may write condition="peacetime" and exclude=["us-rok.cfc"]; normalise them so equal
        # questions are equal cache keys.
        if isinstance(self.condition, str) and not isinstance(self.condition, Condition):
            object.__setattr__(self, "condition", parse_condition(self.condition))
        if not isinstance(self.exclude, frozenset):
            object.__setattr__(self, "exclude", frozenset(self.exclude))


# ----------------------------------------------------------------------------------------- life rules


def organ_start(organ: Organ, alliances: Mapping[str, Alliance]) -> int | None:
    """First year an organ may appear: its founding, else the bound the paper implies.

    An alliance's organ with no year at all starts with the alliance's first treaty year: it cannot
    predate the alliance, and the paper gives nothing closer.
    """
    if organ.status is Status.PLANNED:
        return organ.planned_start
    if organ.established is not None:
        return organ.established
    if organ.not_before is not None:
        return organ.not_before
    if organ.alliance is not None and organ.alliance in alliances:
        return min(alliances[organ.alliance].treaty_years)
    return None


def organ_end(organ: Organ, include_planned: bool) -> int | None:
    """First year an organ is gone; a planned end counts only when plans are asked for."""
    ends = [y for y in (organ.ended, organ.planned_end if include_planned else None) if y is not None]
    return min(ends) if ends else None


def organ_alive(organ: Organ, start: int | None, year: int | None, include_planned: bool) -> bool:
    if organ.status is Status.PLANNED and not include_planned:
        return False
    if year is None:
        return True
    end = organ_end(organ, include_planned)
    return (start is None or start <= year) and (end is None or year < end)


def edge_alive(edge: Edge, year: int | None, condition: Condition | None, include_planned: bool) -> bool:
    """An edge holds on from <= year < to, under its condition or any; a plan only when asked."""
    if edge.status is Status.PLANNED and not include_planned:
        return False
    if condition is not None and edge.condition not in (Condition.ANY, condition):
        return False
    if year is None:
        return True
    start = edge.from_ if edge.from_ is not None else edge.not_before
    return (start is None or start <= year) and (edge.to is None or year < edge.to)


def role_held(organ: Organ, role: Role, year: int | None, condition: Condition | None) -> bool:
    """Whether an organ holds a role in a year (any year when None) under a condition."""
    for spell in organ.roles:
        if spell.role is not role:
            continue
        if condition is not None and spell.condition not in (Condition.ANY, condition):
            continue
        if year is None or ((spell.from_ is None or spell.from_ <= year) and (spell.to is None or year < spell.to)):
            return True
    return False


# ----------------------------------------------------------------------------------------- the snapshot


@dataclass
class Snapshot:
    """The organs and edges alive under ``params``, and the alliances they belong to."""

    params: SnapshotParams
    graph: nx.MultiDiGraph
    alliances: Mapping[str, Alliance]
    _traversal: dict[frozenset[EdgeKind], nx.DiGraph] = field(default_factory=dict, repr=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, repr=False)
    # For a view (``snapshot_of``): the graph it filters, its organs and its edge rule, so building
    # a traversal graph can test the cheap things (kind, organ) before the life rules.
    _source: _ViewSource | None = field(default=None, repr=False)

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

    def node_info(self, organ_id: str) -> dict[str, Any]:
        """Effective years of an organ in this snapshot, and whether its start is only a bound."""
        data = self.graph.nodes[organ_id]
        end = organ_end(data["organ"], self.params.include_planned)
        return {"uncertain": data["uncertain"], "start": data["start"], "end": end}

    @cached_property
    def order(self) -> dict[str, int]:
        """Organ id -> its place in id order, for deterministic tie-breaks."""
        return {n: i for i, n in enumerate(sorted(self.graph.nodes))}

    def traversal(self, kinds: Iterable[EdgeKind]) -> nx.DiGraph:
        """A simple digraph for path questions: allowed kinds only, coordination both ways.

        Each arc keeps the list of snapshot edges it stands for (``edges``), best first: the kinds in
        vocabulary order (authority first), then by id.
        """
        key = frozenset(kinds)
        cached = self._traversal.get(key)
        if cached is not None:
            return cached
        rank = {kind: i for i, kind in enumerate(EdgeKind)}
        arcs: dict[tuple[str, str], list[tuple[Edge, bool]]] = {}
        for u, v, edge in self._edges_of_kinds(key):
            arcs.setdefault((u, v), []).append((edge, False))
            if edge.kind in UNDIRECTED_KINDS:
                arcs.setdefault((v, u), []).append((edge, True))
        for pairs in arcs.values():
            if len(pairs) > 1:
                pairs.sort(key=lambda pair: (rank[pair[0].kind], pair[0].id))
        g = nx.DiGraph()
        g.add_nodes_from(self.graph.nodes)
        # Arcs in the order they are first met, as adding them one by one would.
        g.add_edges_from((a, b, {"edges": pairs}) for (a, b), pairs in arcs.items())
        self._traversal[key] = g
        return g

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
        for u in self.graph:
            for v, keyed in succ[u].items():
                if v not in alive:
                    continue
                for data in keyed.values():
                    edge = data["edge"]
                    if edge.kind in kinds and edge_ok(edge):
                        yield u, v, edge


def build_graph(organs: Iterable[Organ], edges: Iterable[Edge], alliances: Mapping[str, Alliance]) -> nx.MultiDiGraph:
    """The full, timeless graph of the data: every organ and edge, with effective start years."""
    g = nx.MultiDiGraph()
    for organ in organs:
        g.add_node(organ.id, organ=organ, start=organ_start(organ, alliances), uncertain=organ.established is None)
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
    own = {n for n, d in graph.nodes(data=True) if d["organ"].alliance == alliance}
    scope = set(own)
    for n in own:
        scope.update(v for v in graph.successors(n) if graph.nodes[v]["organ"].alliance is None)
        scope.update(u for u in graph.predecessors(n) if graph.nodes[u]["organ"].alliance is None)
    return scope


def snapshot_of(full: nx.MultiDiGraph, params: SnapshotParams, alliances: Mapping[str, Alliance]) -> Snapshot:
    """Filter the full graph to ``params`` as a view (nothing is copied)."""
    year, planned = params.as_of, params.include_planned
    nodes = full.nodes

    def node_ok(n: str) -> bool:
        data = nodes[n]
        return organ_alive(data["organ"], data["start"], year, planned)

    scope = None if params.alliance is None else alliance_scope(full, params.alliance)
    alive = _ShowNodes(n for n in full if (scope is None or n in scope) and n not in params.exclude and node_ok(n))

    def alive_edge(edge: Edge) -> bool:
        return edge_alive(edge, year, params.condition, planned)

    def edge_ok(u: str, v: str, k: str) -> bool:
        return alive_edge(full.edges[u, v, k]["edge"])

    view = nx.subgraph_view(
        full,
        filter_node=alive,
        filter_edge=lambda u, v, k: u in alive.nodes and v in alive.nodes and edge_ok(u, v, k),
    )
    source = _ViewSource(base=full, alive=alive.nodes, edge_ok=alive_edge)
    return Snapshot(params=params, graph=view, alliances=alliances, _source=source)


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
