"""``linkage``: does a civilian body of the alliance link to its operational commander, and how?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from app import deadline
from app.paper import quote_line
from app.questions.common import kind_list, organ_brief, snapshot_data
from app.questions.paths import path_data
from app.snapshot import DEFAULT_KINDS, role_held, span_judgement
from app.snapshot_view import Snapshot
from graph_schema.models import Absence, Organ
from graph_schema.vocabulary import (
    PAPER_ID,
    UNDIRECTED_KINDS,
    Agreement,
    BreakCause,
    Condition,
    EdgeKind,
    Existence,
    Nature,
    OrganType,
    Role,
)

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
# A seat links (issue 24, item 8): asked with membership, a chain may go from a body to an organ that
# sits on it (the 1960 SCC, "wherein the U.S. representatives were the U.S. Ambassador and ... CINCPAC").
SEAT_RULE = (
    "with membership among the kinds, a body is linked to what sits on it: membership (member -> body) is "
    "walked from the body to its member too, as coordination is walked both ways; paths keep its direction"
)
LINKAGE_MUTUAL = UNDIRECTED_KINDS | {EdgeKind.MEMBERSHIP}


def civilian_bodies(snap: Snapshot) -> list[Organ]:
    """The civilian decision-making bodies of the snapshot's alliance (see CIVILIAN_RULE)."""
    year, condition = snap.params.as_of, snap.params.condition

    def find() -> list[Organ]:
        return sorted(
            (
                o
                for o in deadline.checked(snap.organs(), 4096)
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
            (
                o
                for o in deadline.checked(snap.organs(), 4096)
                if role_held(o, Role.OPERATIONAL_COMMAND, year, condition)
            ),
            key=lambda o: o.id,
        )

    return list(snap.memo("linkage.operational_commanders", find))


def _hops_from(
    snap: Snapshot,
    start: str,
    kinds: frozenset[EdgeKind],
    backward: bool = False,
    certain: bool = False,
    condition: Condition | None = None,
) -> dict[str, int]:
    """Fewest hops from ``start`` to every organ it reaches (``backward``: that reach it), kept
    with the snapshot: on a large structure each search walks the alliance's whole chain."""

    def search() -> dict[str, int]:
        t = snap.traversal(kinds, certain=certain, condition=condition, mutual=LINKAGE_MUTUAL)
        if start not in t:
            return {}
        return deadline.levels(t, start, backward)

    return snap.memo(("linkage.hops", start, kinds, backward, certain, condition), search)


def reach(snap: Snapshot, starts: Iterable[str], kinds: Iterable[EdgeKind], backward: bool = False) -> dict[str, int]:
    """Organ id -> fewest hops from any of ``starts`` by the allowed kinds (starts at 0);
    ``backward``: to any of them."""
    kinds = frozenset(kinds)
    found: dict[str, int] = {}
    for start in deadline.checked(starts, 16):
        for node, hops in _hops_from(snap, start, kinds, backward).items():
            if hops < found.get(node, 1 << 30):
                found[node] = hops
    return found


def witnesses(snap: Snapshot, bodies: list[str], commanders: list[str], kinds: frozenset[EdgeKind]) -> list[dict]:
    """A shortest chain for each (civilian body, commander) pair that is linked: chains the paper
    places whole in the year first, then possible ones; shortest first in each; ties keep the order
    of ``bodies`` (apex first), then commander id. Under each condition apart when the snapshot
    holds both armistice and wartime edges, so no chain mixes them. Only the first WITNESS_LIMIT
    are returned, so only theirs are searched for (their lengths are known)."""
    linked = []
    for certain in (True, False):
        for c, condition in enumerate(snap.conditions()):
            for i, body in enumerate(deadline.checked(bodies, 16)):
                lengths = _hops_from(snap, body, kinds, certain=certain, condition=condition)
                for commander in deadline.checked(commanders, 4096):
                    if commander != body and commander in lengths:
                        linked.append((not certain, lengths[commander] + 1, i, commander, c, condition, body))
    linked.sort(key=lambda f: f[:5])
    found: list[dict] = []
    seen: set[tuple[tuple[str, ...], str]] = set()
    for uncertain, _, _, commander, _, condition, body in linked:
        t = snap.traversal(kinds, certain=not uncertain, condition=condition, mutual=LINKAGE_MUTUAL)
        nodes = nx.shortest_path(deadline.watched(t), body, commander)
        path = path_data(snap, nodes, kinds, not uncertain, condition, LINKAGE_MUTUAL)
        key = (tuple(nodes), path["condition"])
        if key in seen:
            continue
        seen.add(key)
        found.append(path)
        if len(found) >= WITNESS_LIMIT:
            break
    return found


def _any_chain(snap: Snapshot, kinds: frozenset[EdgeKind]) -> bool:
    """Whether some chain of ``kinds`` runs from a civilian body to a commander in ``snap``."""
    commanders = {o.id for o in operational_commanders(snap)}
    return any(
        commanders.intersection(_hops_from(snap, o.id, kinds, condition=c)) - {o.id}
        for o in civilian_bodies(snap)
        for c in snap.conditions()
    )


def stated_absence(snap: Snapshot, kinds: frozenset[EdgeKind]) -> Absence | None:
    """The gap a counted source states for this question, if the question lies within its scope: the
    alliance, kinds within the stated kinds, the condition, and a year the statement certainly covers."""
    return next(iter(stated_absences(snap, kinds)), None)


def stated_absences(snap: Snapshot, kinds: frozenset[EdgeKind]) -> list[Absence]:
    """Every gap the counted sources state for this question (see ``stated_absence``), in source order."""
    alliance = snap.alliances.get(snap.params.alliance or "")
    if alliance is None:
        return []
    condition, year = snap.params.condition, snap.params.as_of
    found = []
    for absence in alliance.absences:
        if not kinds <= set(absence.kinds):
            continue
        if condition is not None and absence.condition not in (Condition.ANY, condition):
            continue
        if span_judgement(absence.years, year, None).certain:
            found.append(absence)
    return found


def absence_of(absence: Absence) -> str:
    """The source that states an absence (the paper for the roster's own)."""
    return absence.source_id or PAPER_ID


def disputed_chains(snap: Snapshot, kinds: frozenset[EdgeKind], found: list[dict]) -> dict[str, Any] | None:
    """A stated absence of one source disputes the chains of another that lie in its scope
    (CONTRACT.md §2 "Agreement in a year"): each such chain is kept, possible and ``disputed``, with
    the absence's words (``disputed_by``); the answer's ``dispute`` quotes the absence, and each chain
    its own edges' quotes. None when no counted absence disputes a chain found."""
    absences = stated_absences(snap, kinds)
    if not absences or not found:
        return None
    disputed = 0
    for absence in absences:
        source = absence_of(absence)
        words = _absence_words(absence)
        for chain in found:
            if set(chain["source_ids"]) - {source}:
                chain["certain"] = False
                chain["agreement"] = Agreement.DISPUTED.value
                chain.setdefault("disputed_by", []).append(words)
                disputed += 1
    if not disputed:
        return None
    # Certain chains first, then shortest: a disputed chain is possible.
    found.sort(key=lambda chain: not chain["certain"])
    return {"absences": [_absence_words(a) for a in absences], "chains": disputed}


def _absence_words(absence: Absence) -> dict[str, Any]:
    source = absence_of(absence)
    return {
        "source_id": source,
        "what": absence.what,
        "quotes": [
            {"quote": s.quote, "line": quote_line(s.quote, s.source_id or source), "source_id": s.source_id or source}
            for s in absence.sources
        ],
    }


def break_cause(snap: Snapshot, kinds: frozenset[EdgeKind]) -> tuple[BreakCause, Absence | None]:
    """Why no chain is found: before the treaty, an exclusion, only possible chains (with
    ``existence=certain``), a gap the paper states, or — otherwise — a link it does not report."""
    alliance = snap.alliances.get(snap.params.alliance or "")
    year = snap.params.as_of
    if alliance is not None and year is not None and year < min(alliance.treaty_years):
        return BreakCause.BEFORE_TREATY, None
    if snap.params.exclude and _any_chain(snap.variant(exclude=frozenset()), kinds):
        return BreakCause.EXCLUDED, None
    if snap.params.existence is Existence.CERTAIN and _any_chain(snap.variant(existence=Existence.POSSIBLE), kinds):
        return BreakCause.ONLY_POSSIBLE, None
    absence = stated_absence(snap, kinds)
    if absence is not None:
        return BreakCause.STATED, absence
    return BreakCause.NOT_REPORTED, None


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
    dispute = disputed_chains(snap, kinds, found)
    if dispute is not None and snap.params.existence is Existence.CERTAIN:
        found = [chain for chain in found if chain["certain"]]  # a disputed chain is only possible
    result: dict[str, Any] = {
        **snapshot_data(snap, kinds),
        "linked": bool(found),
        "certain": any(w["certain"] for w in found),
        "shortest_hops": min((w["hops"] for w in found), default=None),
        "civilian_bodies": [organ_brief(o, snap) for o in deadline.checked(bodies, 1024)],
        "civilian_rule": CIVILIAN_RULE,
        "operational_commanders": [organ_brief(o, snap) for o in deadline.checked(commanders, 1024)],
        "commander_rule": COMMANDER_RULE,
        "seat_rule": SEAT_RULE if EdgeKind.MEMBERSHIP in kinds else None,
        "witnesses": found,
        "dispute": dispute,
        "removed": snap.removed,
        "removed_edges": snap.removed_edges,
        "break": None,
    }
    if not found:
        result["break"] = chain_break(snap, body_ids, commander_ids, kinds)
    return result


def chain_break(snap: Snapshot, bodies: list[str], commanders: list[str], kinds: frozenset[EdgeKind]) -> dict:
    """Where a chain from the civilian side fails to reach a commander, and what would close it."""
    cause, absence = break_cause(snap, kinds)
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
    quotes = _absence_words(absence)["quotes"] if absence else []
    return {
        "cause": cause.value,
        "stated": cause is BreakCause.STATED,
        "quotes": quotes,
        "what": absence.what if absence else None,
        "reason": _reason(snap, bodies, commanders, cause, kinds),
        "civilian_reach": [
            {**organ_brief(snap.organ(n), snap), "hops": h}
            for n, h in deadline.checked(sorted(forward.items(), key=lambda x: (x[1], x[0])), 1024)
        ],
        "furthest_hops": furthest,
        "commander_side": [
            {**organ_brief(snap.organ(n), snap), "hops": h}
            for n, h in deadline.checked(sorted(backward.items(), key=lambda x: (x[1], x[0])), 1024)
        ],
        "closing_kinds": closing,
        "kinds": kind_list(kinds),
    }


def _reason(
    snap: Snapshot, bodies: list[str], commanders: list[str], cause: BreakCause, kinds: frozenset[EdgeKind]
) -> str:
    """The break in words: what is missing, then why the answer is what it is."""
    year = f" in {snap.params.as_of}" if snap.params.as_of is not None else ""
    if not bodies:
        what = f"the paper reports no civilian decision-making body of the alliance{year}"
    elif not commanders:
        what = f"the paper reports no organ holding operational command{year}"
    else:
        chain = " or ".join(kind_list(kinds))
        what = f"the paper reports no chain of {chain} edges from a civilian body to an operational commander{year}"
    alliance = snap.alliances.get(snap.params.alliance or "")
    if cause is BreakCause.BEFORE_TREATY and alliance is not None:
        return f"{what}: {alliance.name}'s treaty is of {min(alliance.treaty_years)}"
    if cause is BreakCause.EXCLUDED:
        return f"{what} once {', '.join(sorted(snap.params.exclude))} is removed; without the removal there is one"
    if cause is BreakCause.ONLY_POSSIBLE:
        return f"{what} that it places whole in the year; possible chains exist (existence=possible)"
    if cause is BreakCause.STATED:
        return f"{what}: it states the gap"
    return f"{what}; not reported is not the same as none"


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
                "certain": False,
                "cause": result["break"]["cause"] if result["break"] else None,
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
                "certain": path["certain"],
                "condition": path["condition"],
                "rests_on": " ".join(path["rests_on"]["organs"] + path["rests_on"]["edges"]),
                "chain": chain,
            }
        )
    return rows
