"""The chart's palette and pen: nature colours, edge styles and their arrowheads, text sizes.

Every part of the chart draws with these, so one organ or edge kind looks the same in the boxes,
the edges, the highlight and the legend. An edge kind's pen is its row in the table of kinds
(``graph_schema.edge_kinds``). ``defs`` writes the SVG ``<defs>`` they refer to: one marker per
edge kind drawn (and a muted one), and the hatch that fills dormant organs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_schema.edge_kinds import Marker
from graph_schema.vocabulary import EdgeKind, Mode, Nature

# Pale fills keep dark text readable (contrast well above 7:1); the stroke carries the hue.
NATURE_COLOURS: dict[Nature, tuple[str, str]] = {
    Nature.CIVILIAN: ("#d0ebff", "#1c7ed6"),
    Nature.MILITARY: ("#d3f9d8", "#2f9e44"),
    Nature.PARLIAMENTARY: ("#f3d9fa", "#ae3ec9"),
    Nature.NON_GOVERNMENTAL: ("#fff3bf", "#e67700"),
}
TEXT = "#212529"
MUTED = "#868e96"
DORMANT_FILL = "#f1f3f5"
PATH_COLOUR = "#f76707"  # a highlighted path
POSSIBLE_DASH = "2 2"  # the outline of an organ the paper leaves possible in the year
PROPOSED_COLOUR = "#ae3ec9"  # what a scenario proposes (the paper's recommendation or an analyst's)
REACH_COLOUR = "#0ca678"  # what the civilian side reaches when a linkage breaks
GAP_COLOUR = "#e03131"  # the commanders not reached, and the gap


@dataclass(frozen=True)
class EdgeStyle:
    """How one edge kind is drawn: colour, width, dash pattern, and its arrowheads."""

    colour: str
    width: float
    dash: str | None
    marker: Marker  # shape at the target end
    both_ends: bool = False  # a mutual kind: the marker at both ends
    caption: str = ""  # the legend's words
    round_caps: bool = False  # round dots for a dotted line


EDGE_STYLES: dict[EdgeKind, EdgeStyle] = {
    kind: EdgeStyle(
        kind.row.chart.colour,
        kind.row.chart.width,
        kind.row.chart.dash,
        kind.row.chart.marker,
        both_ends=kind.mutual,
        caption=kind.row.caption,
        round_caps=kind.row.chart.round_caps,
    )
    for kind in EdgeKind
}
MARKER_SHAPES: dict[Marker, str] = {
    Marker.ARROW: '<path d="M0,0 L10,5 L0,10 z" fill="{c}"/>',
    Marker.OPEN: '<path d="M1,1 L9,5 L1,9" fill="none" stroke="{c}" stroke-width="1.6"/>',
    Marker.DOT: '<circle cx="5" cy="5" r="4" fill="{c}"/>',
    Marker.DIAMOND: '<path d="M0,5 L5,1.5 L10,5 L5,8.5 z" fill="#fff" stroke="{c}" stroke-width="1.3"/>',
}
# Modes the paper turns on (who holds operational command or control): named on the chart.
NAMED_MODES = frozenset({Mode.OPCON, Mode.OPCOM})

LABEL_SIZE, NAME_SIZE, FOOT_SIZE = 12.0, 10.0, 9.0
LINE = {LABEL_SIZE: 14.0, NAME_SIZE: 12.0, FOOT_SIZE: 11.0}
MAX_TEXT = 148.0
PAD_X, PAD_Y = 8.0, 6.0
MIN_BOX = 64.0
MARGIN = 16.0
TAG_SIZE = 8.5


def defs(p: str, kinds: Iterable[EdgeKind]) -> str:
    """The ``<defs>``: the markers of ``kinds`` (the kinds drawn, so a chart holds nothing of a kind
    it does not draw) and the dormant hatch."""
    drawn = frozenset(kinds)
    out = ["<defs>"]
    for kind, style in EDGE_STYLES.items():
        if kind not in drawn:
            continue
        for variant, colour in (("", style.colour), ("-muted", "#adb5bd")):
            shape = MARKER_SHAPES[style.marker].format(c=colour)
            out.append(
                f'<marker id="{p}-m-{kind.value}{variant}" viewBox="0 0 10 10" refX="9.5" refY="5" '
                f'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
                f"{shape}</marker>"
            )
    out.append(
        f'<pattern id="{p}-hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="7" height="7" fill="{DORMANT_FILL}"/><line x1="0" y1="0" x2="0" y2="7" stroke="#ced4da" '
        f'stroke-width="3"/></pattern>'
    )
    out.append("</defs>")
    return "".join(out)
