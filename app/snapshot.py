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

from app.combine import conflicts_of
from graph_schema.life import Attestation, Bound, Life, Point, Span, StatusPeriod
from graph_schema.models import Alliance, Edge, Organ, last_status
from graph_schema.vocabulary import (
    Agreement,
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
    sources: tuple[str, ...] | None = None
    """The sources counted (CONTRACT.md §2 ``sources=``), in the store's order; None: all loaded."""

    def __post_init__(self) -> None:
        # Scripts may write condition="peacetime" and exclude=["us-rok.cfc"]; normalise them so equal
        # questions are equal cache keys.
        if isinstance(self.condition, str) and not isinstance(self.condition, Condition):
            object.__setattr__(self, "condition", parse_condition(self.condition))
        if not isinstance(self.exclude, frozenset):
            object.__setattr__(self, "exclude", frozenset(self.exclude))
        if not isinstance(self.existence, Existence):
            object.__setattr__(self, "existence", Existence(str(self.existence).strip().lower()))
        if self.sources is not None and not isinstance(self.sources, tuple):
            object.__setattr__(self, "sources", tuple(self.sources))


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
    "disputed": (
        "the counted sources disagree on this year: one places it alive while another's stated life excludes"
        " the year, or their stated years conflict; possible, never certain (each source's claim is in claims)"
    ),
    "status-disputed": "the counted sources give conflicting status periods for this year (each is in claims)",
    "proposed": "proposed by a scenario (the paper's recommendation or an analyst's): possible at most, never certain",
    "status-proposed": "added or changed by a scenario",
}

_RANK = {Existence.CERTAIN: 2, Existence.POSSIBLE: 1}


@dataclass(frozen=True, slots=True)
class Judgement:
    """How sure the counted sources are of an organ or edge in a year (``existence`` None: absent),
    and why: the rule, the quote behind it and the source whose quote it is (``source_id``)."""

    existence: Existence | None
    rule: str
    quote: str | None = None
    status: Status = Status.UNKNOWN
    status_rule: str = "status-unknown"
    status_quote: str | None = None
    because: str | None = None  # the organ a weakest-link or part-of judgement follows
    proposed_by: str | None = None  # "paper" or "analyst" for what a scenario adds or changes
    source_id: str | None = None  # whose ``quote`` it is
    status_source: str | None = None  # whose ``status_quote`` it is
    agreement: Agreement | None = None  # None: claimed by no source (what a scenario adds)
    claims: tuple[tuple[str, Judgement], ...] = ()
    """Each counted source's own judgement of the year, in source order, when several claim the thing
    (CONTRACT.md §2 "claims"); with one, its judgement is this one."""

    @property
    def present(self) -> bool:
        return self.existence is not None

    @property
    def certain(self) -> bool:
        return self.existence is Existence.CERTAIN


Said = tuple[str | None, str | None]
"""(quote, source_id): the words behind a judgement and whose they are."""
_UNSAID: Said = (None, None)


def _said(thing: Point | Bound | Attestation | None) -> Said:
    return (thing.quote, thing.source_id) if thing is not None else _UNSAID


def _said_low(point: Point) -> Said:
    """What states a point's earliest year: its stated year's words, else its ``not_before``."""
    return _said(point) if point.quote else _said(point.not_before)


def _said_high(point: Point) -> Said:
    return _said(point) if point.quote else _said(point.not_after)


def _absent(rule: str, said: Said = _UNSAID) -> Judgement:
    return Judgement(None, rule, said[0], source_id=said[1])


def _judged(existence: Existence, rule: str, said: Said = _UNSAID) -> Judgement:
    return Judgement(existence, rule, said[0], source_id=said[1])


def absence(span: Span, year: int, floor: int | None) -> Judgement | None:
    """The rule that puts ``year`` outside ``span`` (before its start, after its end, before the
    treaty floor), or None when its bounds allow the year."""
    start, end = span.start, span.end
    low = start.low
    if low is not None and year < low:
        return _absent("before-start", _said_low(start))
    if low is None and floor is not None and year < floor:
        return _absent("before-treaty")
    high = end.high
    if high is not None and year >= high:
        return _absent("after-end", _said_high(end))
    return None


def certainty(span: Span, year: int) -> tuple[str, Said] | None:
    """(rule, (quote, source)) when the source places ``span`` alive in ``year``, else None (see the module)."""
    attestation = span.attestation(year)
    if attestation is not None:
        return "attested", _said(attestation)
    first, last = certain_range(span)
    if first is None or last is None or not first <= year <= last:
        return None
    start = span.start
    if start.dated and start.year is not None and start.year <= year:
        return "dated", _said(start)
    before = [a for a in span.attested if a.year <= year]
    return "between-attested", _said(before[-1]) if before else _said(start.not_after)


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
        return _judged(Existence.CERTAIN, sure[0], sure[1])
    if not span.start.known and not span.end.known and not span.attested:
        return Judgement(Existence.POSSIBLE, "undated")
    last = max((y for y in (span.last_attested, span.start.year) if y is not None), default=None)
    if last is not None and year > last and not span.end.known:
        return _judged(Existence.POSSIBLE, "open-end", _said(span.attested[-1] if span.attested else span.start))
    bound = span.start.not_before or span.start.not_after or span.end.not_before or span.end.not_after
    return _judged(Existence.POSSIBLE, "bounded", _said(bound))


def life_judgement(life: Life, year: int | None, floor: int | None, include_planned: bool) -> Judgement:
    """Existence of a life in ``year``: plans applied only when asked for, stated gaps respected."""
    if life.planned_start is not None:
        plan = life.planned_start
        if not include_planned:
            return _absent("plan-ignored", _said(plan))
        if year is not None:
            if plan.low is not None and year < plan.low:
                return _absent("before-start", _said(plan))
            if floor is not None and plan.low is None and year < floor:
                return _absent("before-treaty")
            if life.planned_end is not None and life.planned_end.low is not None and year >= life.planned_end.low:
                return _absent("after-planned-end", _said(life.planned_end))
        return _judged(Existence.POSSIBLE, "planned", _said(plan))
    if include_planned and year is not None and life.planned_end is not None:
        planned_end = life.planned_end.low
        if planned_end is not None and year >= planned_end:
            return _absent("after-planned-end", _said(life.planned_end))
    judged = span_judgement(life, year, floor)
    if year is None or not judged.present:
        return judged
    for gap in life.gaps:
        in_gap = span_judgement(gap, year, None)
        if in_gap.certain:
            return _absent("in-gap", (in_gap.quote, in_gap.source_id))
        if in_gap.present and judged.certain:
            judged = _judged(Existence.POSSIBLE, "bounded", (in_gap.quote, in_gap.source_id))
    return judged


def status_in(periods: Iterable[StatusPeriod], judged: Judgement, year: int | None, fallback: Status) -> Judgement:
    """``judged`` with the status of ``year`` filled in (see the module docstring)."""
    if not judged.present:
        return judged
    if judged.rule == "planned":
        return _with_status(judged, Status.PLANNED, "status-planned", (judged.quote, judged.source_id))
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
            return _with_status(judged, period.status, "status-period", (covered.quote, covered.source_id))
    return _with_status(judged, Status.UNKNOWN, "status-unknown")


def _with_status(judged: Judgement, status: Status, rule: str, said: Said = _UNSAID) -> Judgement:
    return replace(judged, status=status, status_rule=rule, status_quote=said[0], status_source=said[1])


# ----------------------------------------------------------------------------------------- combine, then judge

STATED_EXCLUSIONS = frozenset({"before-start", "after-end", "in-gap"})
"""The rules by which a source's own stated life excludes a year (the treaty floor and plans are not
statements of the source: they never dispute a year another source places)."""


def thing_judgement(thing: Organ | Edge, year: int | None, floor: int | None, include_planned: bool) -> Judgement:
    """Existence and status of an organ or edge in ``year`` as the counted sources have it.

    ``thing`` comes combined (``app.combine``): its life is the counted sources' claims pooled, and
    the rules above judge it as they judge a life of one source. Then, with several claims, each
    source's own claim is judged the same way (``claims``), and ``agreement`` says whether they
    agree: ``disputed`` when one places the thing in the year while another's stated life excludes
    the year (``STATED_EXCLUSIONS``), or their stated points conflict; a disputed thing is possible,
    never certain. A plan never excludes what a source places in a year. Conflicting status periods
    give status ``unknown`` (``status-disputed``).
    """
    claims = thing.claims
    own = life_judgement(thing.life, year, floor, include_planned)
    if len(claims) < 2:
        judged = status_in(thing.status_periods, own, year, thing.status)
        # One source: its claim's judgement is this one (``claims`` stays empty, as snapshots hold a
        # judgement per organ and edge and most are claimed by one source).
        return replace(judged, agreement=Agreement.SINGLE) if claims else judged
    per = tuple(
        (
            c.source_id,
            status_in(
                c.status_periods,
                life_judgement(c.life, year, floor, include_planned),
                year,
                last_status(c.status_periods),
            ),
        )
        for c in claims
    )
    placed = any(j.certain for _, j in per)
    if placed and not own.present and own.rule == "after-planned-end":
        own = life_judgement(thing.life, year, floor, False)
    if year is None:
        disputed = any(_dispute_in(thing, y, floor) is not None for y in _claimed_years(thing))
        judged = _pooled_status(thing, own, year)
    else:
        said = _dispute_in(thing, year, floor, per)
        disputed = said is not None
        if said is not None:
            own = _judged(Existence.POSSIBLE, "disputed", said)
        judged = _pooled_status(thing, own, year)
    return replace(judged, agreement=Agreement.DISPUTED if disputed else Agreement.AGREED, claims=per)


def _dispute_in(
    thing: Organ | Edge, year: int, floor: int | None, per: tuple[tuple[str, Judgement], ...] | None = None
) -> Said | None:
    """What disputes ``thing`` in ``year`` (the excluding statement's words and source), or None."""
    if per is None:
        per = tuple((c.source_id, life_judgement(c.life, year, floor, False)) for c in thing.claims)
    if any(j.certain for _, j in per):
        for _, j in per:
            if not j.present and j.rule in STATED_EXCLUSIONS:
                return j.quote, j.source_id
    for conflict in conflicts_of(thing.claims):
        if conflict.covers(year):
            source_id, quote = conflict.sides[-1]
            return quote, source_id
    return None


def _claimed_years(thing: Organ | Edge) -> list[int]:
    """The years a dispute of ``thing`` can lie in: those some claim places it in, and conflicts'."""
    years: set[int] = set()
    for claim in thing.claims:
        first, last = certain_range(claim.life)
        if first is not None and last is not None:
            years.update(range(first, last + 1))
        years.update(y for a in claim.life.attested for y in range(a.year, a.last + 1))
    for conflict in conflicts_of(thing.claims):
        years.update(range(conflict.first, conflict.last + 1))
    return sorted(years)


def _pooled_status(thing: Organ | Edge, judged: Judgement, year: int | None) -> Judgement:
    """``status_in`` over the pooled periods; ``unknown`` when two sources' periods covering the year
    give different statuses (each source's own is in its claim)."""
    if len(thing.claims) > 1 and judged.present and year is not None and judged.rule != "planned":
        picks: list[tuple[Status, Judgement]] = []
        for claim in thing.claims:
            for period in claim.status_periods:
                covered = span_judgement(period, year, None)
                if covered.certain:
                    picks.append((period.status, covered))
                    break
        if len({status for status, _ in picks}) > 1:
            return _with_status(judged, Status.UNKNOWN, "status-disputed", (picks[-1][1].quote, picks[-1][1].source_id))
    return status_in(thing.status_periods, judged, year, thing.status)


def possible_range_of(thing: Organ | Edge, floor: int | None) -> tuple[int | None, int | None]:
    """``possible_range`` of a combined thing: its pooled life's, widened to the years a dispute can
    keep it in (``_claimed_years``: where one source's claim places it, and where stated points
    conflict), since such a year is kept (disputed) even where the pooled life excludes it. A claim's
    silence widens nothing: a source that states no start does not open the range below the start
    another states."""
    first, stop = possible_range(thing.life, floor)
    if len(thing.claims) > 1:
        for year in _claimed_years(thing):
            first = None if first is None else min(first, year)
            stop = None if stop is None else max(stop, year + 1)
    return first, stop


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
        rule = "whole-absent" if rule == "part-of" else rule
        return Judgement(None, rule, other.quote, because=because, source_id=other.source_id)
    if _RANK[other.existence] < _RANK[own.existence]:  # type: ignore[index]
        return replace(
            own, existence=other.existence, rule=rule, quote=other.quote, source_id=other.source_id, because=because
        )
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
            judged = thing_judgement(organ, year, treaty_floor(organ.alliance, self.alliances), planned)
            if organ_id in self.proposed:
                judged = proposal(judged, self.proposed[organ_id], organ.first_quote if organ.sources else None)
            if organ.part_of is not None:
                judged = weakest(judged, self.organ(organ.part_of), "part-of", organ.part_of)
        self._organs[organ_id] = judged
        return judged

    def edge(self, edge: Edge) -> Judgement:
        year, planned = self.params.as_of, self.params.include_planned
        floor = edge_floor(edge, self.organs, self.alliances)
        judged = thing_judgement(edge, year, floor, planned)
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
