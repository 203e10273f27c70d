"""The words around the chart: its title, subtitle and caption above it, and the ``<desc>`` a
screen reader reads (organs by level, edges by kind, what is dormant or planned, the highlight).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from app.chart.boxes import Box, label
from app.chart.highlight import Highlight
from app.chart.sources import header_text
from app.chart.style import GAP_COLOUR, TEXT
from app.chart.svg import tag
from app.chart.text import text_width
from app.snapshot_view import Snapshot
from graph_schema.models import Edge
from graph_schema.vocabulary import EdgeKind, Level, Status


@dataclass
class Header:
    title: str
    subtitle: str
    caption: str | None
    width: float
    bottom: float

    def render(self, x: float) -> list[str]:
        out = [
            tag("text", self.title, class_="chart-title", x=x, y=30, font_size=17, font_weight="bold", fill=TEXT),
            tag("text", self.subtitle, class_="chart-subtitle", x=x, y=50, font_size=11, fill="#495057"),
        ]
        if self.caption:
            out.append(
                tag(
                    "text",
                    self.caption,
                    class_="chart-caption",
                    x=x,
                    y=68,
                    font_size=11,
                    font_weight="bold",
                    fill=GAP_COLOUR if "not linked" in self.caption or "does not reach" in self.caption else "#d9480f",
                )
            )
        return out


def build_header(
    snap: Snapshot,
    kinds: frozenset[EdgeKind],
    highlight: Highlight | None,
    title: str | None,
    n_organs: int,
    n_edges: int,
) -> Header:
    p = snap.params
    known = snap.alliances.get(p.alliance) if p.alliance else None
    alliance = known.name if known is not None else "All alliances"
    year = str(p.as_of) if p.as_of is not None else "all years"
    condition = p.condition.value if p.condition else "armistice and wartime"
    default = f"{alliance}: structure in {year} ({condition})"
    text = title or default
    kind_names = ", ".join(k.value for k in EdgeKind if k in kinds) or "none"
    bits = [f"{n_organs} organs, {n_edges} edges", f"edges drawn: {kind_names}"]
    if p.include_planned:
        bits.append("plans included")
    if p.exclude:
        bits.append(f"without {', '.join(sorted(p.exclude))}")
    ov = snap.overlay
    if ov is not None:
        whose = "the paper's recommendation" if ov.scenario.proposed_by == "paper" else "an analyst's proposal"
        bits.append(f"scenario {ov.scenario.id} ({whose}; proposed parts dashed purple)")
        if ov.removed_organs or ov.removed_edges:
            organs_gone = ", ".join(ov.removed_organs) or "no organ"
            bits.append(f"removed by it: {organs_gone} (drawn faint) and {len(ov.removed_edges)} edges")
    elif snap.scenario_note:
        bits.append(snap.scenario_note)
    bits.append(header_text(snap))
    subtitle = " · ".join(bits)
    caption = highlight.caption if highlight else None
    widths = [text_width(text, 17, True), text_width(subtitle, 11)]
    if caption:
        widths.append(text_width(caption, 11, True))
    return Header(text, subtitle, caption, max(widths), 76 if caption else 58)


def description(
    snap: Snapshot,
    boxes: dict[str, Box],
    edges: Sequence[Edge],
    kinds: frozenset[EdgeKind],
    highlight: Highlight | None,
) -> str:
    by_kind = Counter(e.kind.value for e in edges)
    by_level = Counter(b.organ.level.value for b in boxes.values())
    levels = ", ".join(f"{by_level[lv.value]} {lv.value}" for lv in Level if by_level[lv.value])
    kinds_text = ", ".join(f"{by_kind[k.value]} {k.value}" for k in EdgeKind if k in kinds) or "none"
    text = f"Organisation chart: {len(boxes)} organs ({levels}); edges: {kinds_text}."
    dormant = sorted(label(b.organ) for b in boxes.values() if b.organ.status is Status.DORMANT)
    planned = sorted(label(b.organ) for b in boxes.values() if b.organ.status is Status.PLANNED)
    if dormant:
        text += f" Dormant: {', '.join(dormant)}."
    if planned:
        text += f" Planned: {', '.join(planned)}."
    if highlight and highlight.caption:
        text += f" {highlight.caption}."
    return text
