"""The sources' texts, for quotes: looked up verbatim (``Paper``), and the line each begins on (``quote_line``).

The paper's text is the default one; an analyst's source registers its own when it is loaded
(``register_texts``: the seed loader for the embedded store, the Neo4j store from the ``(:Source)``
nodes it reads), so every quote an answer shows carries the line of its own source's text. A quote
of a source whose text is not registered has no line (None), never a line of another text.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import ClassVar

from app.config import default_paper_path, default_seeds_dir
from graph_schema.vocabulary import PAPER_ID

__all__ = ["Paper", "quote_line", "register_texts", "text_of"]

_WHITESPACE = re.compile(r"\s+")


class Paper:
    """The text of the paper, normalised once so that quotes can be looked up verbatim and fast.

    Matching is verbatim and case-sensitive, with three things treated as formatting rather than
    text, on both the paper's side and the quote's side:

    - whitespace: every run of whitespace (line breaks included) counts as one space, and leading or
      trailing whitespace is ignored, so a quote may be wrapped differently from the paper;
    - markdown emphasis: the paper was converted to markdown, so ``*after*`` and ``**CENTER**`` read
      as ``after`` and ``CENTER``; every ``*`` is dropped;
    - the backslash that escapes a dollar sign in markdown: ``\\$600 billion`` reads as ``$600 billion``.
    """

    _cache: ClassVar[dict[tuple[str, int, int], Paper]] = {}

    def __init__(self, text: str, path: Path | None = None) -> None:
        self.path = path
        self.text = text
        self._normalised = self.normalise(text)
        self._line_starts: list[int] | None = None
        self._line_numbers: list[int] = []

    @classmethod
    def from_file(cls, path: Path) -> Paper:
        """Read the paper at ``path``; a file already read and unchanged since is not read again."""
        resolved = path.resolve()
        stat = resolved.stat()
        key = (str(resolved), stat.st_mtime_ns, stat.st_size)
        paper = cls._cache.get(key)
        if paper is None:
            paper = cls(resolved.read_text(encoding="utf-8"), path)
            cls._cache[key] = paper
        return paper

    @staticmethod
    def normalise(text: str) -> str:
        """The text as compared: emphasis and ``\\$`` escapes removed, whitespace collapsed."""
        text = text.replace("*", "").replace("\\$", "$")
        return _WHITESPACE.sub(" ", text).strip()

    def contains(self, quote: str) -> bool:
        """Whether ``quote`` is in the paper, verbatim up to whitespace and markdown formatting."""
        wanted = self.normalise(quote)
        return bool(wanted) and wanted in self._normalised

    def line_of(self, quote: str) -> int | None:
        """The line of the paper's text (1-based) where ``quote`` first begins, or None if absent."""
        wanted = self.normalise(quote)
        at = self._normalised.find(wanted) if wanted else -1
        if at < 0:
            return None
        if self._line_starts is None:
            # Normalising line by line and joining with one space gives the normalised text again,
            # so each non-blank line's offset in it is known.
            starts, numbers, offset = [], [], 0
            for number, line in enumerate(self.text.splitlines(), start=1):
                piece = self.normalise(line)
                if piece:
                    starts.append(offset)
                    numbers.append(number)
                    offset += len(piece) + 1
            self._line_starts, self._line_numbers = starts, numbers
        return self._line_numbers[bisect.bisect_right(self._line_starts, at) - 1]

    def agreeing_prefix(self, quote: str) -> str:
        """The longest run of whole words at the start of ``quote`` that the paper contains."""
        words = self.normalise(quote).split(" ")
        # Containment of a prefix is monotonic in its length, so a binary search finds the longest.
        low, high = 0, len(words)
        while low < high:
            mid = (low + high + 1) // 2
            if " ".join(words[:mid]) in self._normalised:
                low = mid
            else:
                high = mid - 1
        return " ".join(words[:low])


_TEXTS: dict[str, Paper] = {}
_TEXTS_LOCK = threading.Lock()


def register_texts(texts: Mapping[str, Paper]) -> None:
    """Read the lines of the quotes of ``texts``' sources (source id -> its text) from these texts
    from now on; the paper's stays the default one."""
    with _TEXTS_LOCK:
        for source_id, paper in texts.items():
            if source_id != PAPER_ID:
                _TEXTS[source_id] = paper


def text_of(source_id: str) -> Paper | None:
    """The registered text of a source other than the paper, or None."""
    return _TEXTS.get(source_id)


def quote_line(quote: str | None, source_id: str | None = None) -> int | None:
    """The line of the text of ``source_id`` (the default paper when None) on which ``quote`` begins
    (answers carry it beside each quote)."""
    if not quote:
        return None
    if source_id is None or source_id == PAPER_ID:
        return _paper_line(quote)
    paper = _TEXTS.get(source_id)
    return paper.line_of(quote) if paper is not None else None


@cache
def _paper_line(quote: str) -> int | None:
    try:
        paper = Paper.from_file(default_paper_path(default_seeds_dir()))
    except OSError:
        return None
    return paper.line_of(quote)
