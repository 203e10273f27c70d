"""CSV export: one table, one row per organ and per edge, carrying every field of the JSON export.

The shape, for pandas (``pd.read_csv``) and spreadsheets:

- one row per organ (``element`` = ``organ``) and per edge (``element`` = ``edge``); an organ
  without edges is still a row, and an edge's ``source`` and ``target`` are organ ids of rows of
  the same table, so ``df[df.element == "organ"]`` and ``df[df.element == "edge"]`` are the node
  and edge tables;
- the columns are the JSON export's fields (``app.export.records``), the same for every snapshot,
  in ``LEADING`` order; a field only organs have is blank on edge rows and the other way round;
- how sure the paper is, flat: ``existence`` with ``existence_rule`` / ``existence_text`` /
  ``existence_quote`` / ``existence_line`` (the JSON's ``existence_why``), ``status`` with
  ``status_rule`` / ``status_text`` / ``status_quote`` / ``status_line``; the possible and certain
  years; the first quote with its line (``quote``, ``line``) and every quote in ``sources``;
- a list or an object (``sources``, ``aliases``, ``roles``, ``life``, ``status_periods``, ...) is
  its JSON text (``json.loads`` gives back the JSON export's value); a null is an empty cell;
  a boolean is ``true``/``false``;
- a field the JSON export gains (the sources' ``claims`` and ``agreement`` of each organ and edge,
  a ``source_id`` in each quote) becomes one more column after ``LEADING``, or stays inside the
  JSON text of ``sources``: the rows and the existing columns do not change.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from app import deadline
from app.export.records import edge_records, organ_records
from app.snapshot_view import Snapshot

# The columns every CSV export has, in order; further fields of the JSON records follow them.
LEADING: tuple[str, ...] = (
    "id",
    "element",
    "source",
    "target",
    "kind",
    "mode",
    "condition",
    "acronym",
    "name",
    "type",
    "alliance",
    "nation",
    "nature",
    "level",
    "part_of",
    "existence",
    "existence_rule",
    "existence_text",
    "existence_quote",
    "existence_line",
    "status",
    "status_rule",
    "status_text",
    "status_quote",
    "status_line",
    "proposed_by",
    "possible_start",
    "possible_end",
    "certain_start",
    "certain_end",
    "start_edtf",
    "end_edtf",
    "established",
    "ended",
    "from",
    "to",
    "not_before",
    "not_after",
    "planned_start",
    "planned_end",
    "quote",
    "line",
    "sources",
    "aliases",
    "roles",
    "life",
    "status_periods",
    "location",
    "predecessors",
    "cadence",
    "notes",
    "note",
    "legacy_id",
)
# Objects of the JSON records written as their parts' columns (``existence_why`` -> ``existence_rule``, ...).
FLATTENED = {"existence_why": "existence", "status_why": "status"}
WHY_PARTS = ("rule", "text", "quote", "line", "source_id")  # source_id: whose quote (CONTRACT.md §2)


def flat_row(element: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """One record of the JSON export as a row of the table (values not yet written as text).

    Examples
    --------
    >>> row = flat_row("organ", {"id": "x", "existence": "possible", "existence_why": {"rule": "undated",
    ...     "text": "no year", "quote": None, "line": None}, "sources": [{"quote": "q", "line": 7}]})
    >>> row["element"], row["existence_rule"], row["quote"], row["line"], "existence_why" in row
    ('organ', 'undated', 'q', 7, False)
    """
    row: dict[str, Any] = {"element": element}
    for name, value in record.items():
        if name in FLATTENED:
            for part in WHY_PARTS:
                row[f"{FLATTENED[name]}_{part}"] = (value or {}).get(part)
        elif name != "key":  # the node-link multigraph key, the edge id again
            row[name] = value
    first = (record.get("sources") or [{}])[0]
    row["quote"], row["line"] = first.get("quote"), first.get("line")
    return row


def cell(value: Any) -> str:
    """A value as the table writes it.

    >>> cell(None), cell(True), cell(1994), cell("SCM"), cell(["CFC", "C/F/C"])
    ('', 'true', '1994', 'SCM', '["CFC", "C/F/C"]')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def table_columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """``LEADING``, then any other field of ``rows`` in first-seen order.

    >>> table_columns([{"id": "x", "agreement": "single"}])[-1], table_columns([])[:3]
    ('agreement', ['id', 'element', 'source'])
    """
    cols = list(LEADING)
    known = set(cols)
    for row in rows:
        for name in row:
            if name not in known:
                cols.append(name)
                known.add(name)
    return cols


def table(snap: Snapshot) -> str:
    """The snapshot's organs and edges as one CSV table (header first, organs by id, then edges by id)."""
    rows = [flat_row("organ", r) for r in organ_records(snap)] + [flat_row("edge", r) for r in edge_records(snap)]
    cols = table_columns(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    for row in deadline.checked(rows, 512):
        writer.writerow([cell(row.get(c)) for c in cols])
    return out.getvalue()
