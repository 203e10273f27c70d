"""The legend under the chart: natures, the edge kinds in the picture (not every kind asked for),
the marks (dormant, planned, possible, proposed, EDTF years, edge tags) and, with a highlight,
what its marks mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.chart.boxes import Box
from app.chart.highlight import Highlight
from app.chart.sources import DISPUTED_COLOUR, DISPUTED_DASH, disputed
from app.chart.style import (
    EDGE_STYLES,
    GAP_COLOUR,
    MUTED,
    NATURE_COLOURS,
    PATH_COLOUR,
    POSSIBLE_DASH,
    PROPOSED_COLOUR,
    REACH_COLOUR,
    TEXT,
)
from app.chart.svg import num, tag
from app.chart.text import text_width
from app.snapshot_view import Snapshot
from graph_schema.models import Edge
from graph_schema.vocabulary import EdgeKind


@dataclass
class Legend:
    sections: list[tuple[str, list[tuple[str, float, str]]]]  # title, [(swatch svg at 0,0, swatch width, label)]

    @property
    def min_width(self) -> float:
        widest = 0.0
        for _title, items in self.sections:
            first = items[0] if items else ("", 0.0, "")
            widest = max(widest, 96 + first[1] + 6 + text_width(first[2], 10))
        return widest

    def render(self, x0: float, y0: float, width: float) -> tuple[str, float]:
        out = [
            '<g class="legend" role="list" aria-label="Legend">',
            tag("text", "Legend", x=x0, y=y0, font_size=12, font_weight="bold", fill=TEXT),
        ]
        y = y0 + 10
        for title, items in self.sections:
            y += 8
            out.append(tag("text", title, x=x0, y=y + 12, font_size=10, font_weight="bold", fill="#495057"))
            x = x0 + 96
            for swatch, w, label in items:
                item_w = w + 6 + text_width(label, 10) + 18
                if x + item_w > x0 + width and x > x0 + 96:
                    x, y = x0 + 96, y + 22
                out.append(f'<g class="legend-item" role="listitem" transform="translate({num(x)},{num(y)})">{swatch}')
                out.append(tag("text", label, x=w + 6, y=12, font_size=10, fill=TEXT) + "</g>")
                x += item_w
            y += 16
        out.append("</g>")
        return "".join(out), y - y0 + 4


def _box_swatch(fill: str, stroke: str, dash: str | None = None) -> str:
    """An organ's box in small: how natures and the marks of life and scenario are shown."""
    return tag("rect", x=0, y=2, width=22, height=13, rx=3, fill=fill, stroke=stroke, stroke_dasharray=dash)


def _outline_swatch(colour: str, width: float, dash: str) -> str:
    """A dashed outline box: how reached and unreached organs are marked."""
    return tag(
        "rect",
        x=1,
        y=2,
        width=22,
        height=13,
        rx=3,
        fill="none",
        stroke=colour,
        stroke_width=width,
        stroke_dasharray=dash,
    )


def build_legend(
    edges: Sequence[Edge],
    snap: Snapshot,
    highlight: Highlight | None,
    boxes: dict[str, Box],
    p: str,
) -> Legend:
    natures = []
    for nature, (fill, stroke) in NATURE_COLOURS.items():
        natures.append((_box_swatch(fill, stroke), 22.0, nature.value))
    kinds_items = []
    drawn = {e.kind for e in edges}  # the kinds in the picture, not every kind asked for
    for kind in EdgeKind:
        if kind not in drawn:
            continue
        s = EDGE_STYLES[kind]
        line = (
            f'<path d="M2,8 H38" stroke="{s.colour}" stroke-width="{num(s.width)}" fill="none"'
            + (f' stroke-dasharray="{s.dash}"' if s.dash else "")
            + (' stroke-linecap="round"' if s.round_caps else "")
            + f' marker-end="url(#{p}-m-{kind.value})"'
            + (f' marker-start="url(#{p}-m-{kind.value})"' if s.both_ends else "")
            + "/>"
        )
        kinds_items.append((line, 40.0, s.caption))
    marks = [
        (_box_swatch(f"url(#{p}-hatch)", MUTED), 22.0, "dormant (hatched, grey; dormant edges grey)"),
        (_box_swatch("#fff", "#495057", "6 4"), 22.0, "planned (dashed outline)"),
        (
            _box_swatch("#fff", "#495057", POSSIBLE_DASH),
            22.0,
            "possible in the year, not certain (dotted outline; faded edge); the reason on hover",
        ),
        (tag("text", "[1994..]", x=0, y=12, font_size=8, fill="#495057"), 40.0, "years as EDTF: a bound, not a date"),
        (
            _box_swatch("#f8f0fc", PROPOSED_COLOUR, "5 3"),
            22.0,
            "proposed by a scenario (purple, dashed): never certain",
        ),
        (
            tag("rect", x=0, y=3, width=36, height=12, rx=3, fill="#fff", stroke=TEXT, stroke_width=0.8)
            + tag("text", "OPCON", x=18, y=12, font_size=8.5, font_weight="bold", text_anchor="middle", fill=TEXT),
            36.0,
            "edge tag: mode, condition or status",
        ),
    ]
    if any(disputed(snap.judgement(b.organ.id)) for b in boxes.values()) or any(
        disputed(snap.judge_edge(e)) for e in edges
    ):
        marks.append(
            (
                _box_swatch("#fff", DISPUTED_COLOUR, DISPUTED_DASH),
                22.0,
                "disputed by the counted sources in the year (orange): possible, never certain; each source on hover",
            )
        )
    # A chart with no edge has no "Edges" line: the legend names only what is drawn.
    sections = [("Nature", natures), *([("Edges", kinds_items)] if kinds_items else []), ("Marks", marks)]
    if highlight is not None:
        items = []
        if highlight.path:
            items.append(
                (
                    tag(
                        "path",
                        d="M2,8 H36",
                        stroke=PATH_COLOUR,
                        stroke_width=8,
                        stroke_opacity=0.5,
                        stroke_linecap="round",
                    ),
                    38.0,
                    "highlighted path (numbered steps)",
                )
            )
        if highlight.reach:
            items.append((_outline_swatch(REACH_COLOUR, 2.2, "5 3"), 24.0, "reached from the civilian side"))
        if highlight.unreached:
            items.append((_outline_swatch(GAP_COLOUR, 2.5, "6 3"), 24.0, "not reached"))
        if highlight.gaps:
            items.append(
                (
                    tag("path", d="M2,8 H36", stroke=GAP_COLOUR, stroke_width=2.6, stroke_dasharray="7 5")
                    + tag("circle", cx=19, cy=8, r=6, fill="#fff", stroke=GAP_COLOUR, stroke_width=2),
                    38.0,
                    "gap: where the chain breaks",
                )
            )
        if items:
            sections.append(("Highlight", items))
    return Legend(sections)
