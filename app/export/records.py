"""One flat view of a snapshot for every export: records, years, and typed columns.

The JSON export's organ and edge records (``organ_records`` / ``edge_records``) are the source of
every other format, so GraphML and GEXF carry the very same fields and values: a scalar as a typed
attribute, a list or object as its JSON text, a null as no attribute at all.

Years: ``life_range`` (an organ) and ``edge_range`` (an edge) say which years a thing may hold
(``start``: first year; ``end``: first year it no longer holds, the JSON export's convention) and
which the paper states outright (``certain_start`` / ``certain_end``). They are the one place that
decides the spells of the GEXF timeline and the certain-range attributes; when snapshots carry
their own certainty (``existence``), these two functions are what to re-point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.questions.common import edge_data, organ_data
from app.snapshot import Snapshot
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
    """An organ's possible life in ``snap`` (the snapshot's own start and end rules), and the
    founding and end years the paper gives."""
    info = snap.node_info(organ.id)
    return YearRange(info["start"], info["end"], organ.established, organ.ended)


def edge_range(edge: Edge) -> YearRange:
    """An edge's possible years (``from``, else its ``not_before`` bound, to ``to``), and the years
    the paper gives (``from`` / ``to``)."""
    start = edge.from_ if edge.from_ is not None else edge.not_before
    return YearRange(start, edge.to, edge.from_, edge.to)


def organ_records(snap: Snapshot) -> list[dict[str, Any]]:
    """The snapshot's organs as the JSON export writes them, by id."""
    return [organ_data(o, snap) for o in sorted(snap.organs(), key=lambda o: o.id)]


def edge_records(snap: Snapshot) -> list[dict[str, Any]]:
    """The snapshot's edges as the JSON export writes them, by id."""
    return [edge_data(e) for e in sorted(snap.edges(), key=lambda e: e.id or "")]


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


def period(ranges: Iterable[YearRange]) -> tuple[int, int] | None:
    """The first and last year any of ``ranges`` names (an ``end`` counts as its last year held,
    ``end - 1``); None when none names a year."""
    years: list[int] = []
    for r in ranges:
        if r.start is not None:
            years.append(r.start)
        if r.end is not None:
            years.append(r.end - 1)
    return (min(years), max(years)) if years else None
