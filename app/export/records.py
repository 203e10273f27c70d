"""One flat view of a snapshot for every export: records, years, and typed columns.

The JSON export's organ and edge records (``organ_records`` / ``edge_records``) are the source of
every other format, so GraphML and GEXF carry the very same fields and values: a scalar as a typed
attribute, a list or object as its JSON text, a null as no attribute at all.

Years: ``life_range`` (an organ) and ``edge_range`` (an edge) say which years a thing may hold
(``start``: first year; ``end``: first year it no longer holds, the JSON export's convention) and
which the paper states outright (``certain_start`` / ``certain_end``). They are the one place that
decides the spells of the GEXF timeline and the certain-range attributes; when snapshots carry
their own certainty (``existence``), these two functions are what to re-point. The possible range
is the pooled life's, widened to the years a counted source places it in (``possible_range_of``): such
a year is kept, disputed, even where another's stated life excludes it; a source's silence widens nothing.

Sources: every record carries ``source_ids``, ``agreement`` and ``claims`` (each source's own life,
judgement and quotes) as the JSON export writes them; the XML formats write the lists and objects
as their JSON text, in typed ``string`` attributes (still valid against their schemas).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app import deadline
from app.questions.common import edge_data, organ_data, params_data
from app.snapshot import certain_range, edge_floor, possible_range_of, treaty_floor
from app.snapshot_view import Snapshot
from graph_schema.models import Edge, Organ

ColumnType = Literal["boolean", "long", "string"]


@dataclass(frozen=True)
class YearRange:
    """The years something may hold, ``start <= year < end`` (None: unbounded on that side), and
    the years the paper states for it (``certain_start`` / ``certain_end``, None when it states none)."""

    start: int | None
    end: int | None
    certain_start: int | None
    certain_end: int | None


def life_range(snap: Snapshot, organ: Organ) -> YearRange:
    """An organ's possible years in ``snap`` by the snapshot's own rules (``app.snapshot``): its
    life's possible range (treaty floor, plans when the snapshot counts them), within its whole's;
    and the years the paper places it alive in (``certain_range``)."""
    return _organ_range(snap, organ, set())


def _organ_range(snap: Snapshot, organ: Organ, seen: set[str]) -> YearRange:
    first, stop = possible_range_of(organ, treaty_floor(organ.alliance, snap.alliances))
    plan = organ.life.planned_end
    if snap.params.include_planned and plan is not None and plan.low is not None:
        stop = plan.low if stop is None else min(stop, plan.low)
    whole = snap.judge.organs.get(organ.part_of) if snap.judge is not None and organ.part_of else None
    if whole is not None and whole.id not in seen:
        outer = _organ_range(snap, whole, seen | {organ.id})
        first, stop = _within(first, stop, outer.start, outer.end)
    certain_first, certain_last = certain_range(organ.life)
    return YearRange(first, stop, certain_first, None if certain_last is None else certain_last + 1)


def edge_range(snap: Snapshot, edge: Edge) -> YearRange:
    """An edge's possible years: its own life's possible range (floored like the snapshot's, at the
    treaty of its ends' alliance) within both its ends' (an edge is no surer than the organs it
    joins); and the years the paper places it in."""
    organs = snap.judge.organs if snap.judge is not None else {}
    first, stop = possible_range_of(edge, edge_floor(edge, organs, snap.alliances))
    for end in (edge.source, edge.target):
        organ = snap.judge.organs.get(end) if snap.judge is not None else None
        if organ is not None:
            outer = life_range(snap, organ)
            first, stop = _within(first, stop, outer.start, outer.end)
    certain_first, certain_last = certain_range(edge.life)
    return YearRange(first, stop, certain_first, None if certain_last is None else certain_last + 1)


def graph_data(snap: Snapshot) -> dict[str, Any]:
    """The graph's own attributes in every format: the snapshot's parameters and the sources it
    counts (``counted_sources``)."""
    return {**params_data(snap.params), "counted_sources": list(snap.counted)}


def _within(
    first: int | None, stop: int | None, o_first: int | None, o_stop: int | None
) -> tuple[int | None, int | None]:
    if o_first is not None:
        first = o_first if first is None else max(first, o_first)
    if o_stop is not None:
        stop = o_stop if stop is None else min(stop, o_stop)
    return first, stop


def organ_records(snap: Snapshot) -> list[dict[str, Any]]:
    """The snapshot's organs as the JSON export writes them, by id, each with its possible years
    (``possible_start`` <= year < ``possible_end``: the GEXF spell) and the certain ones."""
    return [
        _with_years(organ_data(o, snap), life_range(snap, o))
        for o in deadline.checked(sorted(snap.organs(), key=lambda o: o.id), 512)
    ]


def edge_records(snap: Snapshot) -> list[dict[str, Any]]:
    """The snapshot's edges as the JSON export writes them, by id."""
    return [
        _with_years(edge_data(e, snap), edge_range(snap, e))
        for e in deadline.checked(sorted(snap.edges(), key=lambda e: e.id or ""), 512)
    ]


def _with_years(record: dict[str, Any], years: YearRange) -> dict[str, Any]:
    return {
        **record,
        "possible_start": years.start,
        "possible_end": years.end,
        "certain_start": years.certain_start,
        "certain_end": years.certain_end,
    }


# ------------------------------------------------------------------------------------- typed columns


@dataclass(frozen=True)
class Column:
    """One attribute of the XML formats: its name (the JSON field) and one type for every value."""

    name: str
    type: ColumnType


def columns(records: Iterable[Mapping[str, Any]], skip: Sequence[str] = ()) -> list[Column]:
    """The columns of ``records`` in first-seen order, each with the one type all its values fit.

    Booleans are ``boolean``, integers ``long``; anything else (text, lists, objects, or a field
    whose values mix types) is ``string``. A field that is null everywhere has no column.

    Examples
    --------
    >>> columns([{"id": "a", "to": None, "ok": True}, {"id": "b", "to": 1993, "ok": False}], skip=["id"])
    [Column(name='to', type='long'), Column(name='ok', type='boolean')]
    """
    seen: dict[str, set[type]] = {}
    for record in records:
        for name, value in record.items():
            if name in skip:
                continue
            kinds = seen.setdefault(name, set())
            if value is not None:
                kinds.add(type(value))
    out = []
    for name, kinds in seen.items():
        if not kinds:
            continue
        if kinds == {bool}:
            out.append(Column(name, "boolean"))
        elif kinds == {int}:
            out.append(Column(name, "long"))
        else:
            out.append(Column(name, "string"))
    return out


def flat_value(value: Any, column: Column) -> str | None:
    """A value as the XML formats write it: ``true``/``false``, digits, text, or the JSON of
    anything else (a list, an object, a number in a text column); None (write nothing) for a null.

    Examples
    --------
    >>> flat_value(True, Column("ok", "boolean")), flat_value(None, Column("to", "long"))
    ('true', None)
    >>> flat_value(["a", "b"], Column("aliases", "string"))
    '["a", "b"]'
    """
    if value is None:
        return None
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "long" or isinstance(value, str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
