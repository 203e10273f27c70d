"""The table of edge kinds: one row per kind, and everything that lists kinds follows from it.

Each member of ``EdgeKind`` is a row: its value, whether it is mutual (walked both ways) or which
end is which, what it means (CONTRACT.md §1), how the Neo4j Browser draws it and how the chart
draws it. From the rows follow ``UNDIRECTED_KINDS``, the Neo4j relationship types and the Browser
style (``graph_schema.generate``), the chart's pens, markers and legend (``app.chart``), the page's
kind checkboxes (served by ``GET /edge-kinds``), the lists in the docs (written between
``<!-- edge-kinds:NAME -->`` markers by ``python -m graph_schema.generate``) and the tests.

A new kind is one row here, then ``python -m graph_schema.generate``.

Examples
--------
>>> EdgeKind("coordination").mutual, EdgeKind.AUTHORITY.direction
(True, 'superior → subordinate')
>>> sorted(UNDIRECTED_KINDS)
[<EdgeKind.COORDINATION: 'coordination'>]
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple


class Marker(StrEnum):
    """The shape a chart draws at an edge's target end (both ends for a mutual kind)."""

    ARROW = "arrow"
    OPEN = "open"
    DOT = "dot"
    DIAMOND = "diamond"


class ChartPen(NamedTuple):
    """How the chart (``app.chart``) draws a kind: colour, width, dash pattern, marker; round caps
    make a dotted line's dots round."""

    colour: str
    width: float
    dash: str | None
    marker: Marker
    round_caps: bool = False


class BrowserStroke(NamedTuple):
    """How the Neo4j Browser draws a kind's relationships: colour, shaft width in pixels, and both
    in words for the docs."""

    colour: str
    width_px: int
    words: str


class KindRow(NamedTuple):
    """One row of the table (the fields of an ``EdgeKind`` member)."""

    meaning: str  # what an edge of this kind says, in the contract's words (help text)
    source_role: str | None  # who sits at the source end; None for a mutual kind
    target_role: str | None  # who sits at the target end; None for a mutual kind
    caption: str  # the chart legend's words for the kind
    chart: ChartPen
    browser: BrowserStroke


# The kinds of relationship between organs, one member per row of the table. (No docstring: it
# would become the kind's description in the seed JSON Schema and the OpenAPI document.)
class EdgeKind(StrEnum):
    _row: KindRow

    def __new__(cls, value: str, row: KindRow | None = None) -> EdgeKind:
        member = str.__new__(cls, value)
        member._value_ = value
        if row is not None:
            member._row = row
        return member

    AUTHORITY = (
        "authority",
        KindRow(
            "directs, commands, decides for, supervises, gives binding guidance",
            "superior",
            "subordinate",
            "authority (solid arrow)",
            ChartPen("#212529", 1.8, None, Marker.ARROW),
            BrowserStroke("#C0392B", 5, "thick red"),
        ),
    )
    ADVICE = (
        "advice",
        KindRow(
            "advises, recommends to",
            "adviser",
            "advised",
            "advice (dashed, open arrow)",
            ChartPen("#5f3dc4", 1.5, "7 4", Marker.OPEN),
            BrowserStroke("#17A589", 2, "teal"),
        ),
    )
    COORDINATION = (
        "coordination",
        KindRow(
            "coordinates with",
            None,
            None,
            "coordination (dotted, both ways)",
            ChartPen("#1864ab", 1.7, "1.5 4", Marker.ARROW, round_caps=True),
            BrowserStroke("#5DADE2", 1, "thin blue"),
        ),
    )
    SUPPORT = (
        "support",
        KindRow(
            "staff support, supporting commander",
            "supporter",
            "supported",
            "support (dash-dot, dot at the supported)",
            ChartPen("#2b8a3e", 1.5, "10 3 2 3", Marker.DOT),
            BrowserStroke("#A04000", 3, "brown"),
        ),
    )
    MEMBERSHIP = (
        "membership",
        KindRow(
            "an office or post sits on a body",
            "member",
            "body",
            "membership (thin, diamond at the body)",
            ChartPen("#868e96", 1.2, None, Marker.DIAMOND),
            BrowserStroke("#95A5A6", 2, "grey"),
        ),
    )

    @property
    def row(self) -> KindRow:
        return self._row

    @property
    def mutual(self) -> bool:
        """Mutual kinds have no direction: every path question walks them both ways."""
        return self._row.source_role is None

    @property
    def direction(self) -> str:
        """``source → target`` in words (``superior → subordinate``); ``mutual`` for a mutual kind."""
        row = self._row
        return "mutual" if row.source_role is None else f"{row.source_role} → {row.target_role}"


# Kinds that are mutual: traversed both ways by every path question.
UNDIRECTED_KINDS: frozenset[EdgeKind] = frozenset(kind for kind in EdgeKind if kind.mutual)


def rel_type(kind: EdgeKind) -> str:
    """The Neo4j relationship type of a kind: its value in capitals (``AUTHORITY``)."""
    return kind.value.upper().replace("-", "_")


def kind_table() -> list[dict[str, Any]]:
    """The table as plain rows, one per kind in the vocabulary's order (``GET /edge-kinds``).

    >>> kind_table()[0]["kind"], kind_table()[0]["neo4j_type"], kind_table()[2]["direction"]
    ('authority', 'AUTHORITY', 'mutual')
    """
    return [
        {
            "kind": kind.value,
            "mutual": kind.mutual,
            "direction": kind.direction,
            "source_role": kind.row.source_role,
            "target_role": kind.row.target_role,
            "meaning": kind.row.meaning,
            "caption": kind.row.caption,
            "chart_colour": kind.row.chart.colour,
            "chart_width": kind.row.chart.width,
            "chart_dash": kind.row.chart.dash,
            "chart_marker": kind.row.chart.marker.value,
            "neo4j_type": rel_type(kind),
            "browser_colour": kind.row.browser.colour,
            "browser_width_px": kind.row.browser.width_px,
        }
        for kind in EdgeKind
    ]
