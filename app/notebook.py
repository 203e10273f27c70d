"""The Python API for notebooks: ask a question, sweep it, chart a year; answers that show themselves.

Every function here asks through the question registry (``app.questions.registry``) and the
snapshot query (``app.query``), as the REST routes and the CLI do, so an answer here is the answer
``GET /NAME`` gives::

    from app.notebook import ask, chart, sweep
    ask("linkage", alliance="us-japan", as_of=2009)            # words and a table of chains, in Jupyter
    ask("linkage", alliance="us-rok", as_of=1985).to_frame()  # its CSV table as a DataFrame
    sweep("linkage", alliances=["nato", "us-rok", "us-japan"], years=range(1950, 2010, 5)).to_frame()
    chart("us-rok", 1985)                                     # the organisation chart, inline as SVG

``Answer`` holds the plain answer (``.data``, also by key: ``answer["linked"]``), says it in words
(``.words``, as the CLI's table format does) and shows itself in Jupyter (``_repr_html_``): the
words, then its table with each chain's or hop's certainty marked (✔ certain, ◐ possible).
``Sweep`` holds a sweep's rows (``app.sweep.sweep``) and its frame. An analyst's scenario is shown
as theirs: the words name whose proposal it is, as every answer does.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import sweep as sweeping
from app.frames import quotes_frame, sweep_frame, table_rows, to_frame
from app.query import SnapshotQuery, checked, params_model
from app.questions.registry import Asked, Question
from app.store.base import Store
from app.sweep import question_of

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Answer", "Chart", "Sweep", "ask", "chart", "store", "sweep"]

# How a row's certainty is marked in a table: the field that says it, and its marks.
CERTAIN, POSSIBLE = "✔ certain", "◐ possible"
MARKED = ("certain", "path_certain", "existence")
MAX_HTML_ROWS = 60


@lru_cache(maxsize=1)
def _default_store() -> Store:
    from app.config import get_settings

    settings = get_settings()
    if settings.neo4j_uri:
        from app.store.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    from app.defaults import default_dataset
    from app.store.embedded import EmbeddedStore

    return EmbeddedStore(default_dataset())


@lru_cache(maxsize=4)
def _store_with(sources_dir: str) -> Store:
    from app.config import get_settings
    from app.seeds import load_seeds
    from app.store.embedded import EmbeddedStore

    settings = get_settings()
    return EmbeddedStore(load_seeds(settings.alliance_seeds_dir, settings.alliance_paper, [Path(sources_dir)]))


def store(sources_dir: str | Path | None = None) -> Store:
    """The store a notebook asks: Neo4j when ``NEO4J_URI`` is set (as ``alliances`` and the API
    do), else the embedded store over the seeds; one per process. ``sources_dir``: an embedded store
    with the analysts' source folders there beside the seeds (as ``--sources-dir`` loads them;
    checked like seeds), one per folder."""
    if sources_dir is None:
        return _default_store()
    return _store_with(str(Path(sources_dir).resolve()))


def _split(question: Question, params: Mapping[str, Any]) -> tuple[SnapshotQuery, dict[str, Any]]:
    """``params`` (as the API names them) as the snapshot query and the question's own values, checked."""
    snapshot = {k: v for k, v in params.items() if k in SnapshotQuery.model_fields}
    own = {k: v for k, v in params.items() if k not in snapshot}
    query: SnapshotQuery = checked(SnapshotQuery, {**question.defaults, **snapshot})
    values = checked(params_model(f"{question.name}_parameters", question.params), own)
    return query, {p.name: getattr(values, p.name) for p in question.params}


@dataclass(frozen=True)
class Answer:
    """One question's answer: ``data`` (as ``GET /NAME`` gives it), its words, frame and HTML."""

    question: Question
    data: dict[str, Any]
    asked: Asked

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def words(self) -> str | None:
        """The answer in words, as ``alliances NAME`` prints them above its table."""
        q = self.question
        words = q.words(self.data, self.asked) if q.words else None
        if not table_rows(q, self.data) and q.empty is not None:
            return words or q.empty(self.data, self.asked)
        return words

    def rows(self) -> list[dict[str, Any]]:
        """The rows of its CSV twin (``GET /NAME.csv``)."""
        return table_rows(self.question, self.data)

    def to_frame(self) -> pd.DataFrame:
        """The rows of its CSV twin as a DataFrame (``app.frames.to_frame``)."""
        return to_frame(self.question, self.data)

    def quotes(self) -> pd.DataFrame:
        """Every quote the answer holds: what it is about, the field, the quote, its line and whose
        it is (``app.frames.quotes_frame``)."""
        return quotes_frame(self.data)

    def _repr_html_(self) -> str:
        words = self.words
        head = f"<p><b>{html.escape(self.question.name)}</b>: {html.escape(words)}</p>" if words else ""
        show = self.question.show_table(self.data) if self.question.show_table else True
        return head + (html_table(self.rows()) if show else "")

    def __repr__(self) -> str:
        return f"<Answer {self.question.name}: {self.words or ''}>"


@dataclass(frozen=True)
class Sweep:
    """A sweep's rows (``app.sweep.sweep``: each combination and its answer) and their frame."""

    rows: list[dict[str, Any]]

    def to_frame(self) -> pd.DataFrame:
        """Each combination's values, then each row of its answer's table (``app.frames.sweep_frame``)."""
        return sweep_frame(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        return (
            f"<p>{len(self.rows)} combinations, {len(frame)} rows</p>"
            + html_table(frame.to_dict("records"))  # marks as an answer's table has them
        )


@dataclass(frozen=True)
class Chart:
    """An organisation chart of one year, as SVG (``.svg``); Jupyter shows it inline."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Chart: {len(self.svg)} characters of SVG; .svg holds it>"


def ask(question: str | Question, *, on: Store | None = None, **params: Any) -> Answer:
    """Ask ``question`` with ``params`` as ``GET /NAME`` takes them (``alliance``, ``as_of``,
    ``kinds``, ``exclude``, ``scenario``...; lists as lists). ``on``: the store (default ``store()``).

    >>> answer = ask("linkage", alliance="us-rok", as_of=1985)
    >>> answer["linked"], answer.to_frame().to.tolist()
    (True, ['us-rok.commander-cfc', 'us-rok.cfc'])
    """
    q = question_of(question)
    st = on if on is not None else store()
    query, values = _split(q, params)
    data, asked = q.ask(st, query, values)
    return Answer(q, data, asked)


def sweep(
    question: str | Question,
    *,
    alliances: Iterable[str | None] | str | None,
    years: Iterable[int | None] | int | None,
    on: Store | None = None,
    **axes_and_params: Any,
) -> Sweep:
    """``app.sweep.sweep`` on ``store()`` (or ``on``), its rows as a ``Sweep`` (``.to_frame()``).

    >>> frame = sweep("linkage", alliances="us-japan", years=[1980, 2009]).to_frame()
    >>> frame[["as_of", "linked", "cause"]].to_dict("records")
    [{'as_of': 1980, 'linked': False, 'cause': 'not-reported'}, {'as_of': 2009, 'linked': False, 'cause': 'stated'}]
    """
    st = on if on is not None else store()
    return Sweep(sweeping.sweep(st, question, alliances=alliances, years=years, **axes_and_params))


def chart(
    alliance: str,
    as_of: int | None = None,
    *,
    highlight: Sequence[str] | None = None,
    on: Store | None = None,
    **params: Any,
) -> Chart:
    """The organisation chart of ``alliance`` in ``as_of`` (the snapshot query's other fields in
    ``params``: ``condition``, ``scenario``...), a path of organ ids drawn over it, as SVG."""
    from app.diagram import diagram_svg

    st = on if on is not None else store()
    query: SnapshotQuery = checked(SnapshotQuery, {"alliance": alliance, "as_of": as_of, **params})
    snap = query.snapshot(st)
    ids = st.resolve_organs(list(highlight), "highlight", query.scenario) if highlight else None
    return Chart(diagram_svg(snap, highlight=ids))


def _mark(value: Any) -> Any:
    if value is True or value == "certain":
        return CERTAIN
    if value is False or value == "possible":
        return POSSIBLE
    return value


def html_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as a small HTML table, certainty marked (✔ certain, ◐ possible), at most 60 rows."""
    if not rows:
        return "<p><i>(nothing to list)</i></p>"
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    cells = []
    for row in rows[:MAX_HTML_ROWS]:
        marked = row.get("linked") is not False  # a not-linked row's "certain" marks no chain
        values = (_mark(row.get(c)) if marked and c in MARKED else row.get(c) for c in columns)
        cells.append("<tr>" + "".join(f"<td>{html.escape(_text(v))}</td>" for v in values) + "</tr>")
    more = f"<p><i>{len(rows) - MAX_HTML_ROWS} more rows: .to_frame()</i></p>" if len(rows) > MAX_HTML_ROWS else ""
    head = "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr>"
    return f"<table>{head}{''.join(cells)}</table>{more}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        if value != value:  # NaN, from a frame
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)
