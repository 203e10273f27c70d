"""Small helpers for writing SVG by hand: escaped text and attributes, and stable numbers.

SVG here is plain text built from strings, so the output is deterministic and needs no library.

>>> tag("rect", x=1.25, y=0, fill="#fff")
'<rect x="1.2" y="0" fill="#fff"/>'
>>> tag("text", "A & B", x=3, text_anchor="middle")
'<text x="3" text-anchor="middle">A &amp; B</text>'
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr


def num(value: float) -> str:
    """A coordinate with one decimal and no trailing zero: compact, and stable across runs."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def attrs(**values: object) -> str:
    """Attributes from keyword arguments: ``_`` becomes ``-``, a trailing ``_`` is dropped
    (``class_``), None is left out, and floats go through ``num``."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        text = num(value) if isinstance(value, float | int) and not isinstance(value, bool) else str(value)
        parts.append(f"{name}={quoteattr(text)}")
    return " ".join(parts)


def tag(name: str, text: str | None = None, /, **values: object) -> str:
    """One element; with ``text``, its escaped content."""
    opening = f"<{name} {attrs(**values)}" if values else f"<{name}"
    if text is None:
        return opening + "/>"
    return f"{opening}>{escape(text)}</{name}>"


def attr(text: str) -> str:
    """Text escaped for a double-quoted attribute written by hand (``&``, ``"``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
