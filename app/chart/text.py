"""Text metrics for sizing SVG labels in pure Python: widths, and wrapping to a width.

Charts are drawn server-side with no renderer at hand, yet every box must be sized to its label
so labels never overlap. The widths below are the advance widths (per 1000 em) of Liberation Sans,
which is metric-compatible with Arial and Helvetica: the charts name those fonts first, so what is
measured here is what a browser draws. Read once from the font files; nothing is loaded at run time.

Examples
--------
>>> round(text_width("NAC", 12, bold=True), 1)
26.0
>>> wrap("Japan-U.S. Security Consultative Committee", 120, 10)
['Japan-U.S. Security', 'Consultative Committee']
"""

from __future__ import annotations

FONT_FAMILY = "'Liberation Sans', Arial, Helvetica, sans-serif"

# Advance widths of the printable ASCII characters (space .. tilde), in order.
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 222 833 "
    "556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 667 778 722 667 "
    "611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 278 278 556 278 889 "
    "611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584"
)
_EXTRA = {"–": 556, "—": 1000, "’": 222, "‘": 222, "“": 333, "”": 333, "…": 1000, "≥": 549, "·": 278, "é": 556}
_WIDE = 1000  # arrows, symbols and anything unknown: count them a full em, never too narrow


def _table(spec: str) -> dict[str, int]:
    widths = {chr(32 + i): int(w) for i, w in enumerate(spec.split())}
    return {**_EXTRA, **widths}


_WIDTHS = {False: _table(_REGULAR), True: _table(_BOLD)}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in pixels of ``text`` set at ``size`` pixels, regular or bold."""
    table = _WIDTHS[bold]
    return sum(table.get(ch, _WIDE) for ch in text) * size / 1000


def wrap(text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` at spaces (or after hyphens).

    A single word wider than ``max_width`` stays whole on its own line: the caller sizes the box
    to the widest line, so nothing is cut.
    """
    words = _split_words(text)
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = current + word if current else word.lstrip()
        if current and text_width(candidate.rstrip(), size, bold) > max_width:
            lines.append(current.rstrip())
            current = word.lstrip()
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _split_words(text: str) -> list[str]:
    # Keep each word's leading space so joining the pieces restores the text; a hyphen ends a piece
    # so "Japan-U.S." may break after "Japan-" when nothing else fits.
    pieces: list[str] = []
    for i, word in enumerate(text.split(" ")):
        parts = word.split("-")
        for j, part in enumerate(parts):
            piece = part + ("-" if j < len(parts) - 1 else "")
            if j == 0 and i > 0:
                piece = " " + piece
            if piece:
                pieces.append(piece)
    return pieces
