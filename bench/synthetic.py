"""Synthetic alliance-like structures at any size, as a ``Dataset`` of validated graph_schema models.

Each alliance of the roster gets a layered hierarchy shaped like the paper's structures: a civilian
decision-making council at the top with two civilian committees under it (NAC, DPC, NPG), a
military committee that takes the council's guidance and advises it back (the MC), strategic
commands holding operational command (SACEUR), and below them operational, component and working
layers of commands, staffs, posts and forces. Edges follow the vocabulary: authority down the
chain (some of it only in wartime, some of it moved to another superior in a given year), advice
back up, coordination across a layer (mostly within the alliance, some across alliances), support
from staffs and supporting commands, and membership of posts on committees. National chains
(president, minister, chiefs, forces) of ``us``, ``rok`` and ``japan`` hold their forces in
armistice and hand them to an alliance command in wartime, as in the U.S.-ROK structure.

Organs have founding years (some only a ``not_before`` bound), a few have ended, a few are only
planned; edges have years and conditions, so year-snapshots and conditions select real subsets.
Everything is drawn from a seeded ``random.Random``: the same arguments give the same dataset.

    >>> ds = generate(1000, seed=1)
    >>> len(ds.organs), 8 <= len(ds.edges) / len(ds.organs) <= 11
    (1000, True)
"""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence
from dataclasses import dataclass

from app.dataset import Dataset
from graph_schema.models import Alliance, Edge, Organ, RoleSpell, Source
from graph_schema.vocabulary import (
    ALLIANCE_IDS,
    NATION_SCOPES,
    Condition,
    EdgeKind,
    Level,
    Mode,
    Nature,
    OrganType,
    Role,
    Status,
)

DEFAULT_EDGES_PER_ORGAN = 10.0
NATIONAL_SHARE = 0.05  # of all organs: the national chains of us, rok and japan
BRANCHING = 6  # children per organ in the hierarchy below the strategic commands
FIRST_YEAR = 1950

# Depth in an alliance's tree -> (level, the organ types drawn there, with weights).
_LAYERS: list[tuple[Level, list[tuple[OrganType, float]]]] = [
    (Level.POLITICAL, [(OrganType.COUNCIL, 1.0)]),
    (Level.STRATEGIC, [(OrganType.COMMITTEE, 1.0)]),
    (Level.STRATEGIC, [(OrganType.COMMAND, 1.0)]),
    (Level.OPERATIONAL, [(OrganType.COMMAND, 0.7), (OrganType.STAFF, 0.15), (OrganType.POST, 0.15)]),
    (Level.COMPONENT, [(OrganType.COMMAND, 0.6), (OrganType.STAFF, 0.2), (OrganType.POST, 0.2)]),
    (Level.WORKING, [(OrganType.FORCE, 0.5), (OrganType.STAFF, 0.25), (OrganType.POST, 0.25)]),
]


@dataclass
class _Node:
    id: str
    depth: int
    type: OrganType
    parent: str | None
    start: int


def _source(what: str) -> list[Source]:
    return [Source(quote=f"synthetic structure: {what}")]


class _Builder:
    """Accumulates organs and edges; edge ids are derived, so duplicates are dropped here."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.organs: dict[str, Organ] = {}
        self.edges: dict[str, Edge] = {}
        self.nodes: dict[str, _Node] = {}

    def organ(self, node: _Node, alliance: str | None, nation: str | None, **extra: object) -> None:
        level = _LAYERS[min(node.depth, len(_LAYERS) - 1)][0] if alliance else extra.pop("level", Level.POLITICAL)
        nature = extra.pop("nature", Nature.MILITARY)
        years: dict[str, object] = {}
        r = self.rng.random()
        if (node.depth <= 2 and alliance) or r < 0.85:
            years["established"] = node.start
        elif r < 0.95:
            years["not_before"] = node.start  # the start is only a bound: an uncertain organ
        elif r < 0.98:
            years["established"] = node.start
            years["ended"] = self.rng.randint(max(node.start + 1, 1990), 2008)
        else:
            years["status"] = Status.PLANNED
            years["planned_start"] = 2012
        self.organs[node.id] = Organ(
            id=node.id,
            name=f"synthetic {node.type.value} {node.id}",
            acronym=None,
            type=node.type,
            alliance=alliance,
            nation=nation,
            nature=nature,  # type: ignore[arg-type]
            level=level,  # type: ignore[arg-type]
            sources=_source(f"organ {node.id}"),
            **years,  # type: ignore[arg-type]
            **extra,  # type: ignore[arg-type]
        )
        self.nodes[node.id] = node

    def edge(
        self,
        source: str,
        target: str,
        kind: EdgeKind,
        mode: Mode,
        condition: Condition = Condition.ANY,
        from_: int | None = None,
        to: int | None = None,
    ) -> bool:
        if source == target:
            return False
        edge = Edge(
            source=source,
            target=target,
            kind=kind,
            mode=mode,
            condition=condition,
            from_=from_,  # type: ignore[call-arg]  # populate_by_name: the field, not its alias
            to=to,
            sources=_source(f"{kind.value} {source} to {target}"),
        )
        assert edge.id is not None
        if edge.id in self.edges:
            return False
        self.edges[edge.id] = edge
        return True


def _authority_mode(depth: int) -> Mode:
    modes = {1: Mode.GUIDANCE, 2: Mode.DIRECTION, 3: Mode.COMMAND}
    return modes.get(depth, Mode.OPCON if depth > 3 else Mode.OVERSIGHT)


def _alliance_tree(b: _Builder, alliance: str, size: int) -> list[list[_Node]]:
    """One alliance's hierarchy of ``size`` organs, by depth (the top layers fixed, then BRANCHING)."""
    rng = b.rng
    layers: list[list[_Node]] = []
    council = _Node(f"{alliance}.council", 0, OrganType.COUNCIL, None, FIRST_YEAR)
    b.organ(council, alliance, None, nature=Nature.CIVILIAN, roles=[RoleSpell(role=Role.DECISION_MAKING)])
    layers.append([council])
    # Depth 1: two civilian decision-making committees under the council, and a military committee.
    top: list[_Node] = []
    for slug in ("defence-committee", "planning-group"):
        node = _Node(f"{alliance}.{slug}", 1, OrganType.COMMITTEE, council.id, FIRST_YEAR + rng.randint(0, 15))
        b.organ(node, alliance, None, nature=Nature.CIVILIAN, roles=[RoleSpell(role=Role.DECISION_MAKING)])
        top.append(node)
    mc = _Node(f"{alliance}.military-committee", 1, OrganType.COMMITTEE, council.id, FIRST_YEAR + 1)
    b.organ(mc, alliance, None, roles=[RoleSpell(role=Role.ADVISORY)])
    top.append(mc)
    layers.append(top)
    count = 1 + len(top)
    # Depth 2: strategic commands under the military committee; the first one hands operational
    # command to its successor in 1978 (as the UNC did to CFC).
    strategic = []
    for i in range(max(2, min(4, size // 200))):
        node = _Node(f"{alliance}.command-{i}", 2, OrganType.COMMAND, mc.id, FIRST_YEAR + 2 + i)
        roles = [RoleSpell(role=Role.OPERATIONAL_COMMAND)]
        if i == 0:
            roles = [RoleSpell(role=Role.OPERATIONAL_COMMAND, to=1978)]
        elif i == 1:
            roles = [RoleSpell.model_validate({"role": Role.OPERATIONAL_COMMAND, "from": 1978})]
        b.organ(node, alliance, None, roles=roles)
        strategic.append(node)
    layers.append(strategic)
    count += len(strategic)
    # Depth 3 and below: BRANCHING children per organ (forces have none), breadth first.
    depth = 3
    serial = 0
    while count < size:
        parents = [n for n in layers[-1] if n.type is not OrganType.FORCE] or layers[-1]
        layer: list[_Node] = []
        level_types = _LAYERS[min(depth, len(_LAYERS) - 1)][1]
        types, weights = zip(*level_types, strict=True)
        for parent in parents:
            for _ in range(BRANCHING):
                if count >= size:
                    break
                kind = rng.choices(types, weights)[0]
                serial += 1
                start = min(2005, parent.start + rng.randint(0, 12))
                node = _Node(f"{alliance}.o{depth}-{serial}", depth, kind, parent.id, start)
                roles = []
                if kind is OrganType.COMMAND and depth == 3:
                    cond = Condition.WARTIME if rng.random() < 0.2 else Condition.ANY
                    roles = [RoleSpell(role=Role.OPERATIONAL_COMMAND, condition=cond)]
                b.organ(node, alliance, None, roles=roles)
                layer.append(node)
                count += 1
        layers.append(layer)
        depth += 1
    return layers


def _nations(b: _Builder, size: int) -> dict[str, list[_Node]]:
    """National chains: president -> minister -> chiefs -> forces, per nation scope."""
    forces: dict[str, list[_Node]] = {}
    per_nation = max(4, size // len(NATION_SCOPES))
    for scope, nation in NATION_SCOPES.items():
        chain = [
            (_Node(f"{scope}.president", 0, OrganType.POST, None, FIRST_YEAR), Level.POLITICAL, Nature.CIVILIAN),
            (_Node(f"{scope}.minister", 0, OrganType.MINISTRY, None, FIRST_YEAR), Level.POLITICAL, Nature.CIVILIAN),
            (_Node(f"{scope}.chiefs", 0, OrganType.POST, None, FIRST_YEAR), Level.STRATEGIC, Nature.MILITARY),
        ]
        for node, level, nature in chain:
            b.organ(node, None, nation, level=level, nature=nature)
        b.edge(chain[0][0].id, chain[1][0].id, EdgeKind.AUTHORITY, Mode.DIRECTION)
        b.edge(chain[1][0].id, chain[2][0].id, EdgeKind.AUTHORITY, Mode.DIRECTION)
        b.edge(chain[2][0].id, chain[1][0].id, EdgeKind.ADVICE, Mode.RECOMMENDATION)
        forces[scope] = []
        for i in range(per_nation - len(chain)):
            node = _Node(f"{scope}.force-{i}", 1, OrganType.FORCE, chain[2][0].id, FIRST_YEAR + b.rng.randint(0, 40))
            b.organ(node, None, nation, level=Level.COMPONENT)
            forces[scope].append(node)
    return forces


def generate(
    organs: int,
    seed: int = 0,
    edges_per_organ: float = DEFAULT_EDGES_PER_ORGAN,
    alliances: Sequence[str] = ALLIANCE_IDS,
) -> Dataset:
    """A synthetic dataset of about ``organs`` organs and ``edges_per_organ`` edges per organ.

    The organs are split evenly among ``alliances`` (each at least 20), after a ``NATIONAL_SHARE``
    of national organs; every model is built through its pydantic constructor, so it is as
    validated as a seed.
    """
    # Hundreds of thousands of small models: the cyclic collector would rescan them all, again and
    # again, while nothing here makes a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(organs, seed, edges_per_organ, alliances)
    finally:
        if enabled:
            gc.enable()


def _generate(organs: int, seed: int, edges_per_organ: float, alliances: Sequence[str]) -> Dataset:
    rng = random.Random(seed)
    b = _Builder(rng)
    national = max(4 * len(NATION_SCOPES), int(organs * NATIONAL_SHARE))
    forces = _nations(b, national)
    per_alliance = max(20, (organs - len(b.organs)) // len(alliances))
    trees: dict[str, list[list[_Node]]] = {}
    for i, alliance in enumerate(alliances):
        size = per_alliance if i < len(alliances) - 1 else max(20, organs - len(b.organs))
        trees[alliance] = _alliance_tree(b, alliance, size)

    all_nodes = {a: [n for layer in t for n in layer] for a, t in trees.items()}
    for alliance, layers in trees.items():
        council, mc = layers[0][0], layers[1][-1]
        # The top: the council oversees the committees and guides the military committee, which
        # advises it back and directs the strategic commands.
        for node in layers[1]:
            b.edge(council.id, node.id, EdgeKind.AUTHORITY, Mode.OVERSIGHT if node is not mc else Mode.GUIDANCE)
            b.edge(node.id, council.id, EdgeKind.ADVICE, Mode.RECOMMENDATION)
        b.edge(layers[1][0].id, layers[1][1].id, EdgeKind.COORDINATION, Mode.CONSULTATION)
        for node in all_nodes[alliance]:
            if node.depth < 2:
                continue
            parent = b.nodes[node.parent] if node.parent else None
            assert parent is not None
            mode = _authority_mode(node.depth)
            r = rng.random()
            if node.depth >= 3 and r < 0.08:
                # Authority that moved: the grandparent held it until a year, the parent after.
                low = max(node.start + 1, 1970)
                year = rng.randint(low, max(low, 2008))
                grand = parent.parent or parent.id
                b.edge(grand, node.id, EdgeKind.AUTHORITY, mode, from_=node.start, to=year)
                b.edge(parent.id, node.id, EdgeKind.AUTHORITY, mode, from_=year)
            elif node.depth >= 3 and r < 0.16:
                # In armistice the parent commands; in wartime the strategic command takes opcon.
                b.edge(parent.id, node.id, EdgeKind.AUTHORITY, mode, condition=Condition.ARMISTICE)
                wartime = rng.choice(layers[2])
                b.edge(wartime.id, node.id, EdgeKind.AUTHORITY, Mode.OPCON, condition=Condition.WARTIME)
            else:
                b.edge(parent.id, node.id, EdgeKind.AUTHORITY, mode)
            if node.type in (OrganType.STAFF, OrganType.POST, OrganType.COMMITTEE) or rng.random() < 0.3:
                b.edge(node.id, parent.id, EdgeKind.ADVICE, Mode.RECOMMENDATION)
            if node.type is OrganType.STAFF:
                b.edge(node.id, parent.id, EdgeKind.SUPPORT, Mode.STAFF_SUPPORT)
            if node.type is OrganType.POST:
                b.edge(node.id, mc.id if rng.random() < 0.1 else parent.id, EdgeKind.MEMBERSHIP, Mode.MEMBER)
        # National organs one edge away: forces held nationally in armistice, under an alliance
        # command in wartime; national ministers sit on the council.
        for scope, pool in forces.items():
            b.edge(f"{scope}.minister", council.id, EdgeKind.MEMBERSHIP, Mode.REPRESENTED)
            for force in rng.sample(pool, min(len(pool), 3)):
                b.edge(f"{scope}.chiefs", force.id, EdgeKind.AUTHORITY, Mode.OPCON, condition=Condition.ARMISTICE)
                command = rng.choice(layers[min(3, len(layers) - 1)])
                b.edge(command.id, force.id, EdgeKind.AUTHORITY, Mode.OPCON, condition=Condition.WARTIME)
    for scope, pool in forces.items():
        for force in pool:
            b.edge(f"{scope}.chiefs", force.id, EdgeKind.AUTHORITY, Mode.COMMAND)

    # Coordination across layers fills the rest: mostly peers of the same depth in the same
    # alliance, one in ten across alliances; some support between sibling commands.
    by_depth: dict[int, list[str]] = {}
    for nodes in all_nodes.values():
        for node in nodes:
            by_depth.setdefault(node.depth, []).append(node.id)
    target = int(edges_per_organ * len(b.organs))
    ids = list(b.nodes)
    guard = 0
    while len(b.edges) < target and guard < 4 * target:
        guard += 1
        node = b.nodes[rng.choice(ids)]
        if node.depth < 2:
            continue
        alliance = node.id.split(".", 1)[0]
        if alliance in NATION_SCOPES:
            continue
        if rng.random() < 0.9:
            layer = trees[alliance][min(node.depth, len(trees[alliance]) - 1)]
            peer = rng.choice(layer).id
        else:
            peer = rng.choice(by_depth[node.depth])
        if rng.random() < 0.15 and node.type is OrganType.COMMAND:
            b.edge(node.id, peer, EdgeKind.SUPPORT, Mode.SUPPORTING_COMMAND)
        else:
            start = max(node.start, b.nodes[peer].start)
            b.edge(node.id, peer, EdgeKind.COORDINATION, Mode.CONSULTATION, from_=start)

    dataset = Dataset()
    for alliance in alliances:
        dataset.alliances[alliance] = Alliance(
            id=alliance,
            name=f"synthetic {alliance}",
            treaty_years=[FIRST_YEAR],
            standing_structure=True,
            sources=_source(f"alliance {alliance}"),
        )
    dataset.organs = b.organs
    dataset.edges = b.edges
    dataset.files = [f"synthetic:{organs}:{seed}"]
    return dataset


def describe(dataset: Dataset) -> dict[str, object]:
    """Counts of a dataset: organs, edges, edges per organ, and edges by kind."""
    kinds: dict[str, int] = {}
    for edge in dataset.edges.values():
        kinds[edge.kind.value] = kinds.get(edge.kind.value, 0) + 1
    n = len(dataset.organs)
    return {
        "organs": n,
        "edges": len(dataset.edges),
        "edges_per_organ": round(len(dataset.edges) / n, 2) if n else 0.0,
        "edges_by_kind": dict(sorted(kinds.items())),
    }
