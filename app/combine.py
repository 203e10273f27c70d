"""Combine, then judge: the counted sources' claims on one organ or edge, pooled into one life.

CONTRACT.md §2 "Sources". Each organ and edge carries one ``Claim`` per source that claims it
(``graph_schema.models.Claim``: its own life, status periods and quotes). For the sources a
question counts, ``combine`` pools their claims into one life, and the rules of ``app.snapshot``
judge that life exactly as they judge a life of one source:

- **attested years, status periods and stated gaps are pooled** (the union): attested years of
  different sources bridge the years between them;
- **a start, an end or a bound comes from the sources that state it**: a source silent on a point
  neither widens nor narrows it; bounds stated by several are **intersected** (a year one states
  within another's bounds is that year); when they leave no year the statements **conflict**
  (``Conflict``), the pooled point is the hull of them (so each reading stays possible) and the
  years between them are disputed;
- **relative bounds resolve against the combined life** of the thing they follow
  (``combine_data``), so "later than the SCM" follows the SCM's pooled start;
- **plans**: a planned start counts only when no counted source gives the thing a life of its own
  (then the first plan, in source order); a planned end is the first one given. Plans are never
  intersected and never conflict: they are not statements of what was.

Nothing here judges a year; ``app.snapshot.Judge`` does, then sets ``agreement``. With one counted
source per thing (the paper alone) every thing is returned as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from graph_schema.life import Bound, Life, Point
from graph_schema.models import Alliance, Claim, Edge, Organ
from graph_schema.vocabulary import PAPER_ID

Thing = TypeVar("Thing", Organ, Edge)


@dataclass(frozen=True)
class Conflict:
    """Stated points of several sources that leave no year between them.

    ``point`` is ``start`` or ``end``; ``first``..``last`` (inclusive) are the years one source's
    statement puts on one side of the point and another's on the other: disputed years. ``sides``
    are each stating source's (source_id, quote).
    """

    point: str
    first: int
    last: int
    sides: tuple[tuple[str | None, str | None], ...]

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last


def _range(point: Point) -> tuple[int | None, int | None]:
    return point.low, point.high


def _said(point: Point, side: str) -> tuple[str | None, str | None]:
    """(source_id, quote) behind a point's low (``not_before``) or high (``not_after``) side."""
    if point.year is not None:
        return point.source_id, point.quote
    bound = point.not_before if side == "not_before" else point.not_after
    if bound is None:
        bound = point.not_after if side == "not_before" else point.not_before
    return (bound.source_id, bound.quote) if bound is not None else (point.source_id, point.quote)


def _as_bound(point: Point, side: str) -> Bound | None:
    """The bound a point sets on its ``side``: its own bound, or its stated year as a bound."""
    if point.year is not None:
        return Bound(year=point.year, quote=point.quote, source_id=point.source_id)
    bound: Bound | None = getattr(point, side)
    return bound


def pool_point(points: Sequence[Point], name: str = "start") -> tuple[Point, Conflict | None]:
    """The stated points of several sources as one: intersected, or their hull with a ``Conflict``.

    Only stated points (``known``) are passed: a source silent on the point neither widens nor
    narrows it. One point is returned as it is.

    >>> a = Point(year=1976, quote="The SDC dates from 1976", source_id="a")
    >>> b = Point(not_before=Bound(year=1970, quote="not before 1970 says b"), source_id="b")
    >>> pooled, conflict = pool_point([a, b])
    >>> pooled.year, conflict
    (1976, None)
    >>> c = Point(year=1978, quote="it dates from 1978, says c", source_id="c")
    >>> pooled, conflict = pool_point([a, c])
    >>> pooled.edtf, (conflict.first, conflict.last)
    ('[1976..1978]', (1976, 1977))
    """
    stated = [p for p in points if p.known]
    if not stated:
        return Point(), None
    if len(stated) == 1:
        return stated[0], None
    lows = [(p.low, p) for p in stated if p.low is not None]
    highs = [(p.high, p) for p in stated if p.high is not None]
    low = max(lows, key=lambda pair: pair[0]) if lows else None
    high = min(highs, key=lambda pair: pair[0]) if highs else None
    if low is None or high is None or low[0] <= high[0]:
        if low is not None and high is not None and low[0] == high[0]:
            dated = next((p for p in stated if p.year == low[0]), None)
            if dated is not None:
                return dated, None
        return (
            Point(
                not_before=_as_bound(low[1], "not_before") if low is not None else None,
                not_after=_as_bound(high[1], "not_after") if high is not None else None,
            ),
            None,
        )
    # No year is left: the hull keeps every reading possible, and the years between are disputed.
    conflict = Conflict(
        name,
        high[0],
        low[0] - 1,
        (_said(high[1], "not_after"), _said(low[1], "not_before")),
    )
    open_low = any(p.low is None for p in stated)
    open_high = any(p.high is None for p in stated)
    first = None if open_low else min(lows, key=lambda pair: pair[0])
    last = None if open_high else max(highs, key=lambda pair: pair[0])
    hull = Point.model_construct(
        year=None,
        quote=None,
        not_before=_as_bound(first[1], "not_before") if first is not None else None,
        not_after=_as_bound(last[1], "not_after") if last is not None else None,
        source_id=None,
    )
    return hull, conflict


def pool_life(lives: Sequence[Life]) -> tuple[Life, list[Conflict]]:
    """Several sources' lives of one thing as one life, and the conflicts of their stated points.

    The pooled life is built without the checks of a single source's life (``model_construct``):
    one source may attest a year another's stated end excludes, and both stay in it; the snapshot
    rules then judge that year disputed.
    """
    if len(lives) == 1:
        return lives[0], []
    start, start_conflict = pool_point([lf.start for lf in lives], "start")
    end, end_conflict = pool_point([lf.end for lf in lives], "end")
    factual = [lf for lf in lives if not lf.only_planned]
    planned_start = None if factual else next((lf.planned_start for lf in lives if lf.planned_start), None)
    planned_end = next((lf.planned_end for lf in lives if lf.planned_end is not None), None)
    attested = sorted((a for lf in lives for a in lf.attested), key=lambda a: (a.year, a.last))
    life = Life.model_construct(
        start=start,
        end=end,
        attested=attested,
        source_id=None,
        planned_start=planned_start,
        planned_end=planned_end,
        gaps=[g for lf in lives for g in lf.gaps],
    )
    return life, [c for c in (start_conflict, end_conflict) if c is not None]


def conflicts_of(claims: Sequence[Claim]) -> list[Conflict]:
    """The conflicts of the stated points of ``claims`` (none for one claim)."""
    if len(claims) < 2:
        return []
    return pool_life([c.life for c in claims])[1]


def combine(thing: Thing, claims: Sequence[Claim]) -> Thing:
    """``thing`` as ``claims`` (those of the counted sources) have it: their pooled life, periods
    and quotes, and only those claims. With all its claims counted, ``thing`` itself."""
    if len(claims) == len(thing.claims) and all(a is b for a, b in zip(claims, thing.claims, strict=True)):
        return thing
    life, _ = pool_life([c.life for c in claims])
    return thing.model_copy(
        update={
            "life": life,
            "status_periods": [p for c in claims for p in c.status_periods],
            "sources": [s for c in claims for s in c.sources],
            "claims": list(claims),
        }
    )


def with_claims(thing: Thing, claims: Sequence[Claim]) -> Thing:
    """``thing`` carrying ``claims`` (all its sources'), its life, periods and quotes theirs pooled;
    itself, given the claims, when its one claim is its own life (the loader's single-source case)."""
    if len(claims) == 1 and claims[0].life is thing.life:
        thing.claims = list(claims)
        return thing
    return combine(thing.model_copy(update={"claims": []}), claims)


def counted_claims(thing: Organ | Edge, counted: frozenset[str] | None) -> list[Claim]:
    """The claims of ``thing`` by the counted sources (all of them when ``counted`` is None)."""
    if counted is None:
        return list(thing.claims)
    return [c for c in thing.claims if c.source_id in counted]


def combine_data(
    organs: Mapping[str, Organ], edges: Mapping[str, Edge], counted: frozenset[str] | None
) -> tuple[dict[str, Organ], dict[str, Edge]]:
    """Every organ and edge as the counted sources have it (``combine``), in the same order; what no
    counted source claims is left out (an edge also goes when one of its ends does). Things with no
    claims at all (data built without the loader) are kept as they are.

    Relative bounds are resolved again against the combined lives of what they follow
    (``resolve_relative``).
    """
    chosen: dict[str, list[Claim]] = {}
    things: list[tuple[str, Organ | Edge]] = [*organs.items(), *edges.items()]
    for thing_id, thing in things:
        claims = counted_claims(thing, counted)
        if claims or not thing.claims:
            chosen[thing_id] = claims
    resolved = resolve_relative({**organs, **edges}, chosen)
    out_organs = {i: _combined(o, chosen[i], resolved) for i, o in organs.items() if i in chosen}
    out_edges = {
        i: _combined(e, chosen[i], resolved)
        for i, e in edges.items()
        if i in chosen and e.source in out_organs and e.target in out_organs
    }
    return out_organs, out_edges


def _combined(thing: Thing, claims: list[Claim], resolved: Mapping[str, list[Claim]]) -> Thing:
    if not thing.claims:
        return thing
    return combine(thing, resolved.get(thing.id or "", claims))


def resolve_relative(things: Mapping[str, Organ | Edge], chosen: Mapping[str, list[Claim]]) -> dict[str, list[Claim]]:
    """The chosen claims with every relative bound (``relative_to``) set from the combined life of
    the thing it follows, where that differs from the year it holds; only changed claims are copied.

    A bound whose referent no chosen source claims keeps the year the loader gave it; a cycle (which
    the loader refuses) keeps the years it has.
    """
    pooled: dict[str, Life] = {}
    out: dict[str, list[Claim]] = {}
    busy: set[str] = set()

    def life_of(thing_id: str) -> Life | None:
        if thing_id in pooled:
            return pooled[thing_id]
        if thing_id not in chosen or thing_id in busy or not chosen[thing_id]:
            return None
        busy.add(thing_id)
        try:
            claims = [_resolve_claim(c) for c in chosen[thing_id]]
        finally:
            busy.discard(thing_id)
        if any(a is not b for a, b in zip(claims, chosen[thing_id], strict=True)):
            out[thing_id] = claims
        pooled[thing_id] = pool_life([c.life for c in claims])[0]
        return pooled[thing_id]

    def _resolve_claim(claim: Claim) -> Claim:
        years: list[int | None] = []
        for bound, side in _relative_bounds(claim):
            ref = life_of(bound.relative_to or "")
            anchor = getattr(ref, bound.anchor) if ref is not None else None
            at = None if anchor is None else (anchor.low if side == "not_before" else anchor.high)
            years.append(None if at is None or at + bound.offset == bound.year else at + bound.offset)
        if all(y is None for y in years):
            return claim
        # A deep copy keeps the order of its parts: its n-th relative bound stands for the n-th here.
        copy = claim.model_copy(deep=True)
        for (bound, _), year in zip(_relative_bounds(copy), years, strict=True):
            if year is not None:
                bound.year = year
        return copy

    for thing_id in things:
        if thing_id in chosen:
            life_of(thing_id)
    return out


def _relative_bounds(claim: Claim) -> Iterable[tuple[Bound, str]]:
    """Every relative bound of a claim's life and periods, with the side it bounds."""
    spans = [claim.life, *claim.life.gaps, *claim.status_periods]
    points = [p for s in spans for p in (s.start, s.end)]
    points += [p for p in (claim.life.planned_start, claim.life.planned_end) if p is not None]
    for point in points:
        for side in ("not_before", "not_after"):
            bound = getattr(point, side)
            if bound is not None and bound.relative_to is not None:
                yield bound, side


def combine_alliances(alliances: Mapping[str, Alliance], counted: frozenset[str] | None) -> dict[str, Alliance]:
    """The roster as the counted sources have it: each alliance's indicators, stated absences and
    treaty codings (a dataset's phases, ``graph_schema.codings``) of the counted sources only. The
    record itself (name, treaty years, events) is the paper's roster and stays whatever is counted:
    the treaty-year floor is never moved by another source."""
    if counted is None:
        return dict(alliances)
    out = {}
    for alliance_id, alliance in alliances.items():
        indicators = [i for i in alliance.indicators if (i.source_id or PAPER_ID) in counted]
        absences = [a for a in alliance.absences if (a.source_id or PAPER_ID) in counted]
        codings = [p for p in alliance.codings if p.source_id in counted]
        same = (len(indicators), len(absences), len(codings))
        if same == (len(alliance.indicators), len(alliance.absences), len(alliance.codings)):
            out[alliance_id] = alliance
        else:
            update = {"indicators": indicators, "absences": absences, "codings": codings}
            out[alliance_id] = alliance.model_copy(update=update)
    return out


__all__ = [
    "Conflict",
    "combine",
    "combine_alliances",
    "combine_data",
    "conflicts_of",
    "counted_claims",
    "pool_life",
    "pool_point",
    "with_claims",
]
