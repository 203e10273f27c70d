"""Answers for a terminal: an aligned text table, and an answer printed as JSON, CSV or words and table."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app.questions.export import rows_to_csv

TABLE_WIDTH = 60  # widest cell of prose in a table (not the last column) before it is cut with an ellipsis


def text(v: Any) -> str:
    """A value as a person reads it: no ``None``, ``True`` or ``False``."""
    if isinstance(v, list):
        return "; ".join(map(text, v))
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def table(rows: list[dict[str, Any]], columns: Sequence[str] | None = None, empty: str = "(nothing to list)") -> str:
    """Rows as an aligned text table; ``empty`` says why when there are none.

    Only prose is cut (a cell with a space, in any column but the last): an id stays whole, to be
    copied into the next command.

    Examples
    --------
    >>> print(table([{"id": "nato.nac", "linked": True}, {"id": "nato.mc", "linked": None}]))
    id        linked
    --------  ------
    nato.nac  yes
    nato.mc
    """
    if not rows:
        return empty
    cols = list(columns or rows[0].keys())

    def cell(v: Any, last: bool) -> str:
        shown = text(v)
        if last or len(shown) <= TABLE_WIDTH or " " not in shown:
            return shown
        return shown[: TABLE_WIDTH - 1] + "…"

    cells = [[cell(r.get(c), i == len(cols) - 1) for i, c in enumerate(cols)] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines)


def emit(
    result: Any,
    fmt: str,
    rows: Callable[[Any], list[dict[str, Any]]],
    summary: str | None = None,
    empty: str = "(nothing to list)",
    show_table: bool = True,
    columns: Sequence[str] | None = None,
) -> None:
    """Print an answer: JSON, CSV, or (table) its summary in words, then its table (or why it has none)."""
    if fmt == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.write(rows_to_csv(rows(result), list(columns) if columns else None))
    else:
        if summary:
            print(summary)
        if show_table:
            print(table(rows(result), empty=empty))
