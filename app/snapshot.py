"""Year-snapshots: the organs and edges the paper places, or leaves possible, in one year.

A snapshot is what every question is asked of. Its graph is a ``networkx.MultiDiGraph`` whose
nodes are organ ids (attribute ``organ``: the Organ) and whose edges are keyed by edge id
(attribute ``edge``: the Edge); ``snap.judgement(id)`` says how sure the paper is of each and why.
Both stores build snapshots with ``snapshot_of`` (``app.snapshot_view``, which applies the rules
below and keeps the result as a graph view): the embedded store over its whole graph, the Neo4j
store over the candidates its Cypher selects (see ``app.store.neo4j_store``), so the rules below are
written once, here, and nowhere else.

The life rules (CONTRACT.md §1 "Time and certainty"), one predicate each
----------------------------------------------------------------------------
A thing's life (``graph_schema.life``) has a start and an end, each a stated year, bounds, or
unknown, and the years the paper attests. In year Y it is

- **absent** (``absence``): before its start can be (``before-start``); from the year its end must
  have come (``after-end``); before its alliance's first treaty year when the paper leaves its start
  open (``before-treaty``: the floor bounds only open starts — a start with neither a year nor a
  lower bound; a dated start wins, the UNC of 1950 precedes the 1954 treaty, and so does a start
  the paper bounds from below, the UNC's OPCOM "in the early days of the UNC", not before 1950);
  inside a gap the paper states (``in-gap``); a plan when plans are not asked for
  (``plan-ignored``), or after a planned end when they are (``after-planned-end``);
- **certain** (``certainty``): when the paper places it alive in Y: an attested year (``attested``),
  or Y between its latest possible start — a stated year or a ``not_after`` bound — or its first
  attested year, and its last attested year or the year before its end must be (``dated`` when the
  start is stated, else ``between-attested``), with no stated gap possibly between;
- **possible** otherwise: its bounds cannot exclude Y (``bounded``; ``undated`` when the paper gives
  no year; ``open-end`` after its last attested or dated year, as NATO in 2015).

With plans asked for (``include_planned``), what a plan adds is at most possible and its status is
``planned`` (``planned``). An edge is no surer than its two ends (``weakest-link``); a part no surer
than its whole (``part-of``), and absent when its whole is. Status in Y (``status_in``) is the
status period that certainly covers Y, else ``unknown``; with no periods written, ``active`` while
the thing certainly exists. Dormancy never lowers existence: dormant organs and edges are traversed
and flagged. Without a year, a thing is certain when some year of its life is.

``existence=certain`` keeps only what is certain; the default, ``possible``, keeps both and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from graph_schema.life import Life, Span, StatusPeriod
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import (
    Condition,
    EdgeKind,
    Existence,
    Role,
    Status,
    parse_condition,
)

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
    existence: Existence = Existence.POSSIBLE
    scenario: str | None = None

    def __post_init__(self) -> None:
        # Scripts may write condition="peacetime" and exclude=["us-rok.cfc"]; normalise them so equal
        # questions are equal cache keys.
        if isinstance(self.condition, str) and not isinstance(self.condition, Condition):
            object.__setattr__(self, "condition", parse_condition(self.condition))
        if not isinstance(self.exclude, frozenset):
            object.__setattr__(self, "exclude", frozenset(self.exclude))
        if not isinstance(self.existence, Existence):
            object.__setattr__(self, "existence", Existence(str(self.existence).strip().lower()))


# ----------------------------------------------------------------------------------------- life rules

RULES: dict[str, str] = {
    "attested": "the paper places it alive in this year",
    "dated": "the year lies within the life the paper dates",
    "between-attested": "the year lies between a start the paper bounds or attests and a later year it attests",
    "bounded": "the paper bounds its years, and the bounds cannot exclude this year",
    "undated": "the paper gives no year for it; it cannot predate its alliance's treaty",
    "open-end": "after its last dated or attested year, and the paper gives no end",
    "planned": "a plan the paper reports, not a fact (plans were asked for)",
    "weakest-link": "an edge is no surer than the organs it joins",
    "part-of": "a part is no surer than its whole",
    "before-start": "before the earliest year it can start",
    "after-end": "from the year its end must have come",
    "before-treaty": "before its alliance's first treaty year, and the paper neither dates nor bounds an earlier start",
    "in-gap": "in a gap in its existence that the paper states",
    "plan-ignored": "only a plan, and plans were not asked for",
    "after-planned-end": "after the end the paper reports as planned (plans were asked for)",
    "whole-absent": "its whole is absent",
    "status-period": "a status period the paper gives covers this year",
    "status-default": "no status is stated; active while it certainly exists",
    "status-unknown": "no status period certainly covers this year",
    "status-planned": "added by a plan",
    "timeless": "no year asked: certain when some year of its life is",
    "condition": "it holds under another condition",
    "proposed": "proposed by a scenario (the paper's recommendation or an analyst's): possible at most, never certain",
    "status-proposed": "added or changed by a scenario",
}

_RANK = {Existence.CERTAIN: 2, Existence.POSSIBLE: 1}


@dataclass(frozen=True)
class Judgement:
    """How sure the paper is of an organ or edge in a year (``existence`` None: absent), and why."""

    existence: Existence | None
    rule: str
    quote: str | None = None
    status: Status = Status.UNKNOWN
    status_rule: str = "status-unknown"
    status_quote: str | None = None
    because: str | None = None  # the organ a weakest-link or part-of judgement follows
    proposed_by: str | None = None  # "paper" or "analyst" for what a scenario adds or changes

    @property
    def present(self) -> bool:
        return self.existence is not None

    @property
    def certain(self) -> bool:
        return self.existence is Existence.CERTAIN


def _absent(rule: str, quote: str | None = None) -> Judgement:
    return Judgement(None, rule, quote)


def absence(span: Span, year: int, floor: int | None) -> Judgement | None:
    """The rule that puts ``year`` outside ``span`` (before its start, after its end, before the
    treaty floor), or None when its bounds allow the year."""
    start, end = span.start, span.end
    low = start.low
    if low is not None and year < low:
        return _absent("before-start", start.quote or (start.not_before.quote if start.not_before else None))
    if low is None and floor is not None and year < floor:
        return _absent("before-treaty")
    high = end.high
    if high is not None and year >= high:
        return _absent("after-end", end.quote or (end.not_after.quote if end.not_after else None))
    return None


def certainty(span: Span, year: int) -> tuple[str, str | None] | None:
    """(rule, quote) when the paper places ``span`` alive in ``year``, else None (see the module)."""
    attestation = span.attestation(year)
    if attestation is not None:
        return "attested", attestation.quote
    first, last = certain_range(span)
    if first is None or last is None or not first <= year <= last:
        return None
    start = span.start
    if start.dated and start.year is not None and start.year <= year:
        return "dated", start.quote
    before = [a for a in span.attested if a.year <= year]
    quote = before[-1].quote if before else (start.not_after.quote if start.not_after else None)
    return "between-attested", quote


def span_judgement(span: Span, year: int | None, floor: int | None) -> Judgement:
    """Existence of a span in ``year`` by the rules above (no plans, gaps, parts or ends involved)."""
    if year is None:
        froms = [y for y in (span.start.high, span.first_attested) if y is not None]
        if froms or span.attested:
            return Judgement(Existence.CERTAIN, "timeless")
        return Judgement(Existence.POSSIBLE, "timeless")
    gone = absence(span, year, floor)
    if gone is not None:
        return gone
    sure = certainty(span, year)
    if sure is not None:
        return Judgement(Existence.CERTAIN, sure[0], sure[1])
    if not span.start.known and not span.end.known and not span.attested:
        return Judgement(Existence.POSSIBLE, "undated")
    last = max((y for y in (span.last_attested, span.start.year) if y is not None), default=None)
    if last is not None and year > last and not span.end.known:
        return Judgement(Existence.POSSIBLE, "open-end", span.attested[-1].quote if span.attested else span.start.quote)
    bound = span.start.not_before or span.start.not_after or span.end.not_before or span.end.not_after
    return Judgement(Existence.POSSIBLE, "bounded", bound.quote if bound else None)


def life_judgement(life: Life, year: int | None, floor: int | None, include_planned: bool) -> Judgement:
    """Existence of a life in ``year``: plans applied only when asked for, stated gaps respected."""
    if life.planned_start is not None:
        plan = life.planned_start
        if not include_planned:
            return _absent("plan-ignored", plan.quote)
        if year is not None:
            if plan.low is not None and year < plan.low:
                return _absent("before-start", plan.quote)
            if floor is not None and plan.low is None and year < floor:
                return _absent("before-treaty")
            if life.planned_end is not None and life.planned_end.low is not None and year >= life.planned_end.low:
                return _absent("after-planned-end", life.planned_end.quote)
        return Judgement(Existence.POSSIBLE, "planned", plan.quote)
    if include_planned and year is not None and life.planned_end is not None:
        planned_end = life.planned_end.low
        if planned_end is not None and year >= planned_end:
            return _absent("after-planned-end", life.planned_end.quote)
    judged = span_judgement(life, year, floor)
    if year is None or not judged.present:
        return judged
    for gap in life.gaps:
        in_gap = span_judgement(gap, year, None)
        if in_gap.certain:
            return _absent("in-gap", in_gap.quote)
        if in_gap.present and judged.certain:
            judged = Judgement(Existence.POSSIBLE, "bounded", in_gap.quote)
    return judged


def status_in(periods: Iterable[StatusPeriod], judged: Judgement, year: int | None, fallback: Status) -> Judgement:
    """``judged`` with the status of ``year`` filled in (see the module docstring)."""
    if not judged.present:
        return judged
    if judged.rule == "planned":
        return _with_status(judged, Status.PLANNED, "status-planned", judged.quote)
    periods = list(periods)
    if not periods:
        if year is None:
            return _with_status(judged, fallback, "timeless")
        if judged.certain:
            return _with_status(judged, Status.ACTIVE, "status-default")
        return _with_status(judged, Status.UNKNOWN, "status-unknown")
    if year is None:
        return _with_status(judged, fallback, "timeless")
    for period in periods:
        covered = span_judgement(period, year, None)
        if covered.certain:
            return _with_status(judged, period.status, "status-period", covered.quote)
    return _with_status(judged, Status.UNKNOWN, "status-unknown")


def _with_status(judged: Judgement, status: Status, rule: str, quote: str | None = None) -> Judgement:
    return replace(judged, status=status, status_rule=rule, status_quote=quote)


def proposal(judged: Judgement, whose: str, quote: str | None) -> Judgement:
    """What a scenario adds or changes: possible at most (never certain), status ``proposed``, and
    whose proposal it is; absent where its own years exclude the year."""
    if not judged.present:
        return judged
    return Judgement(Existence.POSSIBLE, "proposed", quote, Status.PROPOSED, "status-proposed", quote, None, whose)


def weakest(own: Judgement, other: Judgement, rule: str, because: str) -> Judgement:
    """``own`` lowered to ``other``'s existence when that is weaker (an edge's ends, a part's whole)."""
    if not own.present:
        return own
    if not other.present:
        return Judgement(None, "whole-absent" if rule == "part-of" else rule, other.quote, because=because)
    if _RANK[other.existence] < _RANK[own.existence]:  # type: ignore[index]
        return replace(own, existence=other.existence, rule=rule, quote=other.quote, because=because)
    return own


def edge_floor(edge: Edge, organs: Mapping[str, Organ], alliances: Mapping[str, Alliance]) -> int | None:
    """An edge's treaty floor: that of its source's alliance, else its target's (as the seeds count it)."""
    for end in (edge.source, edge.target):
        organ = organs.get(end)
        if organ is not None and organ.alliance is not None:
            return treaty_floor(organ.alliance, alliances)
    return None


def treaty_floor(alliance: str | None, alliances: Mapping[str, Alliance]) -> int | None:
    """Nothing of an alliance appears before its first treaty year (national organs: no floor)."""
    if alliance is None or alliance not in alliances:
        return None
    return min(alliances[alliance].treaty_years)


class Judge:
    """Judges organs and edges in one snapshot's year, with parts and ends followed (memoised)."""

    def __init__(
        self,
        params: SnapshotParams,
        organs: Mapping[str, Organ],
        alliances: Mapping[str, Alliance],
        proposed: Mapping[str, str] | None = None,
    ):
        self.params, self.organs, self.alliances = params, organs, alliances
        self.proposed: Mapping[str, str] = proposed or {}
        self._organs: dict[str, Judgement] = {}

    def organ(self, organ_id: str) -> Judgement:
        found = self._organs.get(organ_id)
        if found is not None:
            return found
        self._organs[organ_id] = _absent("whole-absent")  # a cycle of parts judges as absent
        organ = self.organs.get(organ_id)
        if organ is None:
            judged = _absent("whole-absent")
        else:
            year, planned = self.params.as_of, self.params.include_planned
            own = life_judgement(organ.life, year, treaty_floor(organ.alliance, self.alliances), planned)
            judged = status_in(organ.status_periods, own, year, organ.status)
            if organ_id in self.proposed:
                judged = proposal(judged, self.proposed[organ_id], organ.first_quote if organ.sources else None)
            if organ.part_of is not None:
                judged = weakest(judged, self.organ(organ.part_of), "part-of", organ.part_of)
        self._organs[organ_id] = judged
        return judged

    def edge(self, edge: Edge) -> Judgement:
        year, planned = self.params.as_of, self.params.include_planned
        floor = edge_floor(edge, self.organs, self.alliances)
        judged = status_in(edge.status_periods, life_judgement(edge.life, year, floor, planned), year, edge.status)
        if edge.id is not None and edge.id in self.proposed:
            judged = proposal(judged, self.proposed[edge.id], edge.first_quote if edge.sources else None)
        for end in (edge.source, edge.target):
            judged = weakest(judged, self.organ(end), "weakest-link", end)
        return judged

    def keeps(self, judged: Judgement) -> bool:
        if not judged.present:
            return False
        return self.params.existence is Existence.POSSIBLE or judged.certain


def possible_range(life: Life, floor: int | None) -> tuple[int | None, int | None]:
    """(first, stop): the years ``first <= Y < stop`` outside which no rule above can keep the life,
    plans included; None where open. The Neo4j store selects its candidates by this in Cypher and
    leaves the rules to ``Judge``; GEXF spells draw it."""
    if life.planned_start is not None:
        first = life.planned_start.low if life.planned_start.low is not None else floor
        stop = life.planned_end.low if life.planned_end is not None else None
        return first, stop
    first = life.start.low
    if first is None:
        first = floor
    return first, life.end.high


def certain_range(life: Span) -> tuple[int | None, int | None]:
    """(first, last): the widest run of years the paper places a life (or any span) alive in,
    inclusive — from its latest possible start or first attested year to its last attested year,
    its stated start, or the year before its end must be; (None, None) when it places it in none.
    ``certainty`` decides by it; GEXF exports carry it beside the possible range."""
    froms = [y for y in (life.start.high, life.first_attested) if y is not None]
    tos = [y for y in (life.last_attested, None if life.end.low is None else life.end.low - 1) if y is not None]
    if life.start.dated and life.start.year is not None:
        tos.append(life.start.year)
    if not froms or not tos or min(froms) > max(tos):
        return None, None
    return min(froms), max(tos)


def condition_holds(edge: Edge, condition: Condition | None) -> bool:
    """With ``condition=C`` a snapshot keeps edges whose condition is ``any`` or C."""
    return condition is None or edge.condition in (Condition.ANY, condition)


def parts_of(organs: Mapping[str, Organ], wholes: Iterable[str]) -> set[str]:
    """``wholes`` and every organ that is a part of one of them, transitively."""
    children: dict[str, list[str]] = {}
    for organ in organs.values():
        if organ.part_of is not None:
            children.setdefault(organ.part_of, []).append(organ.id)
    found: set[str] = set()
    todo = [w for w in wholes if w in organs]
    while todo:
        organ_id = todo.pop()
        if organ_id in found:
            continue
        found.add(organ_id)
        todo.extend(children.get(organ_id, ()))
    return found


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
