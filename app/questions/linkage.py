"""``linkage``: does a civilian body of the alliance link to its operational commander, and how?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from app.questions.common import kind_list, organ_brief, params_data
from app.questions.paths import path_data
from app.snapshot import DEFAULT_KINDS, Snapshot, role_held
from graph_schema.models import Organ
from graph_schema.vocabulary import EdgeKind, Nature, OrganType, Role

# Bodies, as opposed to posts, forces or staffs: what the paper calls the civilian "bodies".
BODY_TYPES = frozenset({OrganType.COUNCIL, OrganType.COMMITTEE, OrganType.MECHANISM, OrganType.DIALOGUE})
WITNESS_LIMIT = 10

CIVILIAN_RULE = (
    "the alliance's own organs of civilian nature that are bodies (council, committee, mechanism, "
    "dialogue) and hold the decision-making role in the year"
)
COMMANDER_RULE = (
    "organs in the snapshot (the alliance's own, or national organs one edge away) that hold the "
    "operational-command role in the year and condition"
)


def civilian_bodies(snap: Snapshot) -> list[Organ]:
    """The civilian decision-making bodies of the snapshot's alliance (see CIVILIAN_RULE)."""
    year, condition = snap.params.as_of, snap.params.condition

    def find() -> list[Organ]:
        return sorted(
            (
                o
                for o in snap.organs()
                if o.alliance == snap.params.alliance
                and o.nature is Nature.CIVILIAN
                and o.type in BODY_TYPES
                and role_held(o, Role.DECISION_MAKING, year, condition)
            ),
            key=lambda o: o.id,
        )

    return list(snap.memo("linkage.civilian_bodies", find))


def operational_commanders(snap: Snapshot) -> list[Organ]:
    """The organs holding operational command in the snapshot (see COMMANDER_RULE)."""
    year, condition = snap.params.as_of, snap.params.condition

    def find() -> list[Organ]:
        return sorted(
            (o for o in snap.organs() if role_held(o, Role.OPERATIONAL_COMMAND, year, condition)), key=lambda o: o.id
        )

    return list(snap.memo("linkage.operational_commanders", find))


def _hops_from(snap: Snapshot, start: str, kinds: frozenset[EdgeKind], backward: bool = False) -> dict[str, int]:
    """Fewest hops from ``start`` to every organ it reaches (``backward``: that reach it), kept
    with the snapshot: on a large structure each search walks the alliance's whole chain."""

    def search() -> dict[str, int]:
        t = snap.traversal(kinds)
        return dict(nx.single_source_shortest_path_length(t.reverse(copy=False) if backward else t, start))

    return snap.memo(("linkage.hops", start, kinds, backward), search)


def reach(snap: Snapshot, starts: Iterable[str], kinds: Iterable[EdgeKind], backward: bool = False) -> dict[str, int]:
    """Organ id -> fewest hops from any of ``starts`` by the allowed kinds (starts at 0);
    ``backward``: to any of them."""
    kinds = frozenset(kinds)
    found: dict[str, int] = {}
    for start in starts:
        for node, hops in _hops_from(snap, start, kinds, backward).items():
            if hops < found.get(node, 1 << 30):
                found[node] = hops
    return found


def witnesses(snap: Snapshot, bodies: list[str], commanders: list[str], kinds: frozenset[EdgeKind]) -> list[dict]:
    """A shortest path for each (civilian body, commander) pair that is linked, shortest first;
    ties keep the order of ``bodies`` (apex first), then commander id. Only the first
    WITNESS_LIMIT are returned, so only theirs are searched for (their lengths are known)."""
    t = snap.traversal(kinds)
    linked = []
    for i, body in enumerate(bodies):
        lengths = _hops_from(snap, body, kinds)
        for commander in commanders:
            if commander != body and commander in lengths:
                linked.append((lengths[commander] + 1, i, commander, body))
    linked.sort(key=lambda f: (f[0], f[1], f[2]))
    return [
        path_data(snap, nx.shortest_path(t, body, commander), kinds) for _, _, commander, body in linked[:WITNESS_LIMIT]
    ]


def linkage(snap: Snapshot, kinds: Iterable[EdgeKind] = DEFAULT_KINDS) -> dict[str, Any]:
    """Whether a civilian body of the alliance reaches an operational commander by ``kinds``.

    Parameters
    ----------
    snap : a snapshot of one alliance (``params.alliance`` set).
    kinds : the edge kinds a chain may use (default authority only).

    Returns
    -------
    dict with ``linked``; the ``civilian_bodies`` and ``operational_commanders`` considered and
    the rules that chose them; ``witnesses`` (a shortest path per reachable commander);
    ``shortest_hops``; and, when not linked, ``break``: how far the allowed kinds reach from the
    civilian side, what reaches the commanders, and which other kinds would close the gap.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> from app.snapshot import SnapshotParams
    >>> snap = default_store().snapshot(SnapshotParams(alliance="us-japan", as_of=2009))
    >>> linkage(snap)["linked"], linkage(snap, {EdgeKind.AUTHORITY, EdgeKind.COORDINATION})["linked"]
    (False, True)
    """
    kinds = frozenset(kinds)
    bodies = civilian_bodies(snap)
    commanders = operational_commanders(snap)
    # The apex first: the body whose allowed edges reach the most organs (NATO: the NAC, which
    # oversees the DPC and NPG), so witness ties go to the highest body.
    spread = {o.id: len(_hops_from(snap, o.id, kinds)) for o in bodies}
    bodies.sort(key=lambda o: (-spread[o.id], o.id))
    body_ids = [o.id for o in bodies]
    commander_ids = [o.id for o in commanders]
    found = witnesses(snap, body_ids, commander_ids, kinds)
    result: dict[str, Any] = {
        **params_data(snap.params, kinds),
        "linked": bool(found),
        "shortest_hops": found[0]["hops"] if found else None,
        "civilian_bodies": [organ_brief(o) for o in bodies],
        "civilian_rule": CIVILIAN_RULE,
        "operational_commanders": [organ_brief(o) for o in commanders],
        "commander_rule": COMMANDER_RULE,
        "witnesses": found,
        "break": None,
    }
    if not found:
        result["break"] = chain_break(snap, body_ids, commander_ids, kinds)
    return result


def chain_break(snap: Snapshot, bodies: list[str], commanders: list[str], kinds: frozenset[EdgeKind]) -> dict:
    """Where a chain from the civilian side fails to reach a commander, and what would close it."""
    forward = reach(snap, bodies, kinds)
    backward = reach(snap, commanders, kinds, backward=True)
    furthest = max(forward.values(), default=0)
    closing = []
    for extra in EdgeKind:
        if extra in kinds:
            continue
        wider = kinds | {extra}
        paths = witnesses(snap, bodies, commanders, wider)
        closing.append(
            {
                "add_kind": extra.value,
                "linked": bool(paths),
                "witness": paths[0] if paths else None,
            }
        )
    return {
        "reason": _reason(bodies, commanders),
        "civilian_reach": [
            {**organ_brief(snap.organ(n)), "hops": h} for n, h in sorted(forward.items(), key=lambda x: (x[1], x[0]))
        ],
        "furthest_hops": furthest,
        "commander_side": [
            {**organ_brief(snap.organ(n)), "hops": h} for n, h in sorted(backward.items(), key=lambda x: (x[1], x[0]))
        ],
        "closing_kinds": closing,
        "kinds": kind_list(kinds),
    }


def _reason(bodies: list[str], commanders: list[str]) -> str:
    if not bodies:
        return "no civilian decision-making body of the alliance is alive in this snapshot"
    if not commanders:
        return "no organ holds operational command in this snapshot"
    return "no chain of the allowed kinds runs from a civilian body to an operational commander"


def linkage_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per witness path (or one row saying not linked), for CSV and tables."""
    if not result["witnesses"]:
        return [
            {
                "alliance": result["alliance"],
                "as_of": result["as_of"],
                "linked": False,
                "from": None,
                "to": None,
                "hops": None,
                "chain": result["break"]["reason"] if result["break"] else None,
            }
        ]
    rows = []
    for path in result["witnesses"]:
        chain = " -> ".join(f"{o['acronym'] or o['name']}" for o in path["organs"])
        rows.append(
            {
                "alliance": result["alliance"],
                "as_of": result["as_of"],
                "linked": True,
                "from": path["organs"][0]["id"],
                "to": path["organs"][-1]["id"],
                "hops": path["hops"],
                "chain": chain,
            }
        )
    return rows
