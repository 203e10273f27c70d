"""Answers as pandas DataFrames: every question's, derived from its descriptor's CSV rows, and sweeps'.

A question's frame is its CSV table (``GET /NAME.csv``): the same rows and columns, built by the
descriptor's ``rows`` (``app.questions.registry``), so a new question has a frame with no code
here. Certainty, sources and quotes are columns where the table carries them: ``certain``,
``rests_on`` and ``cause`` of a linkage chain, ``existence``, ``path_certain`` and ``quote`` of a
path's hops, ``existence_rule`` / ``existence_quote`` of an organ, ``quote`` and ``line`` of a
timeline event. Every quote an answer holds, whatever the question, is a row of ``quotes_frame``:
what it is about (the organ or edge id, or ``break``), the field it supports, the quote, its line,
and whose it is (``source_id``, where the answer says). A sweep's frame (``sweep_frame``) puts
each combination's values (``alliance``, ``as_of``, ``condition``, ``existence``, ``scenario``...)
before its answer's rows.

pandas is imported when a frame is made (the ``notebook`` extra installs it), never at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from app.sweep import AXES, question_of

if TYPE_CHECKING:
    import pandas as pd

    from app.questions.registry import Question

__all__ = ["quote_rows", "quotes_frame", "sweep_frame", "table_rows", "to_frame"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - the dev and notebook extras install it
        raise ImportError("DataFrames need pandas: pip install -e '.[notebook]'") from None
    return pandas


def table_rows(question: str | Question, answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``answer`` as its CSV twin lists them (the descriptor's ``rows``)."""
    return question_of(question).rows(dict(answer))


def to_frame(question: str | Question, answer: Mapping[str, Any]) -> pd.DataFrame:
    """The answer to ``question`` as a DataFrame: the rows and columns of its CSV twin.

    >>> from app.notebook import ask
    >>> frame = to_frame("linkage", ask("linkage", alliance="us-japan", as_of=2009).data)
    >>> frame[["linked", "cause"]].to_dict("records")
    [{'linked': False, 'cause': 'stated'}]
    """
    q = question_of(question)
    return _pandas().DataFrame(table_rows(q, answer), columns=q.columns)


def sweep_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A sweep's rows (``app.sweep.sweep``) as one DataFrame: each combination's values, then each row
    of its answer's table (one row of the combination alone when the answer lists none).

    >>> from app.notebook import store
    >>> from app.sweep import sweep
    >>> frame = sweep_frame(sweep(store(), "linkage", alliances="us-rok", years=[1975, 1985]))
    >>> sorted(set(zip(frame.as_of, frame.to)))
    [(1975, 'us-rok.commander-unc'), (1975, 'us-rok.unc'), (1985, 'us-rok.cfc'), (1985, 'us-rok.commander-cfc')]
    """
    records: list[dict[str, Any]] = []
    columns: list[str] = []
    for row in rows:
        axes = {name: row[name] for name in ("question", *AXES) if name in row}
        for name in axes:
            if name not in columns:
                columns.append(name)
        answer_rows = table_rows(row["question"], row["answer"]) or [{}]
        for answer_row in answer_rows:
            for name in answer_row:
                if name not in columns:
                    columns.append(name)
            # The table's value wins where it has one (a compare row's alliance: the sweep's is unset).
            records.append({**axes, **answer_row})
    return _pandas().DataFrame(records, columns=columns)


def quote_rows(answer: Any, about: str | None = None, field: str | None = None) -> list[dict[str, Any]]:
    """Every quote in ``answer`` (any question's), once per thing and field: ``about`` (the nearest
    enclosing ``id``, or the field's own name, e.g. ``break``), ``field`` (``sources``, ``quotes``,
    ``existence_why``...), ``quote``, ``line``, ``source_id``."""
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()

    def walk(value: Any, about: str | None, field: str | None) -> None:
        if isinstance(value, Mapping):
            own = value.get("id")
            here = own if isinstance(own, str) else about
            quote = value.get("quote")
            if isinstance(quote, str):
                row = {
                    "about": here,
                    "field": field,
                    "quote": quote,
                    "line": value.get("line"),
                    "source_id": value.get("source_id"),
                }
                key = tuple(row.values())
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
            for key, item in value.items():
                walk(item, here if here is not None else key, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, about, field)

    walk(answer, about, field)
    return rows


def quotes_frame(answer: Mapping[str, Any]) -> pd.DataFrame:
    """``quote_rows`` of ``answer`` as a DataFrame: the quotes the answer rests on, one row each.

    >>> from app.notebook import ask
    >>> quotes = quotes_frame(ask("linkage", alliance="us-japan", as_of=2009).data)
    >>> sorted(quotes[quotes.about == "break"].line.tolist())
    [173, 196, 212]
    """
    return _pandas().DataFrame(quote_rows(answer), columns=["about", "field", "quote", "line", "source_id"])
