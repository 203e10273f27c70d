"""The texts of the loaded sources, so that every quote an answer shows carries the line of its own source.

The paper's lines come from its text as always (``quote_line``); an analyst's source registers its
text when it is loaded (``register``: the seed loader for the embedded store, the Neo4j store from
the ``(:Source)`` nodes it reads). A quote whose source has no registered text has no line (None),
never the line of another source's text.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from app.seeds import Paper, quote_line
from graph_schema.vocabulary import PAPER_ID

_TEXTS: dict[str, Paper] = {}
_LOCK = threading.Lock()


def register(texts: Mapping[str, Paper]) -> None:
    """Make the texts of ``texts`` (source id -> its text) the ones lines are read from; the paper's
    own text stays the default one."""
    with _LOCK:
        for source_id, paper in texts.items():
            if source_id != PAPER_ID:
                _TEXTS[source_id] = paper


def text_of(source_id: str) -> Paper | None:
    """The registered text of a source (None for the paper, whose text is the default one)."""
    return _TEXTS.get(source_id)


def line_of(quote: str | None, source_id: str | None = None) -> int | None:
    """The line of ``quote`` in the text of its source (the paper when ``source_id`` is None)."""
    if not quote:
        return None
    if source_id is None or source_id == PAPER_ID:
        return quote_line(quote)
    paper = _TEXTS.get(source_id)
    return paper.line_of(quote) if paper is not None else None
