"""Organ boxes: each organ sized to its label, and drawn with its name, nation, years and marks.

A box shows the acronym (or the wrapped name), the full name, and a footer with the nation, the
life in EDTF and what the year makes of it (dormant, possible, removed by the scenario); its
fill and outline come from ``app.chart.marks``, its hover title quotes the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.chart.layout import Node
from app.chart.marks import footer_classes, footer_notes, is_ghost, organ_look
from app.chart.sources import DISPUTED_COLOUR, DISPUTED_DASH, data_attrs, disputed, title_text
from app.chart.style import (
    FOOT_SIZE,
    LABEL_SIZE,
    LINE,
    MAX_TEXT,
    MIN_BOX,
    NAME_SIZE,
    PAD_X,
    PAD_Y,
)
from app.chart.svg import attr, tag
from app.chart.text import text_width, wrap
from app.snapshot import RULES
from app.snapshot_view import Snapshot
from graph_schema.models import Organ
from graph_schema.vocabulary import Status


@dataclass
class Box:
    organ: Organ
    lines: list[tuple[str, float, bool]]  # text, size, bold
    footer: str
    width: float
    height: float
    uncertain: bool
    layer: int = 0
    region: int = 0
    level_row: int = 0


def label(organ: Organ) -> str:
    return organ.acronym or organ.name


def life_years(organ: Organ, include_planned: bool) -> str:
    """The life as the paper gives it, in EDTF: ``1978–``, ``[1994..1996]–``, ``[..2001]–2012 (plan)``."""
    life = organ.life
    if life.planned_start is not None:
        return f"planned {life.planned_start.edtf}".strip()
    text = life.start.edtf
    if life.end.known:
        return f"{text}–{life.end.edtf}"
    if include_planned and life.planned_end is not None:
        return f"{text}–{life.planned_end.edtf} (plan)"
    return f"{text}–" if text else ""


def box_for(organ: Organ, snap: Snapshot) -> Box:
    judged = snap.judgement(organ.id)
    lines: list[tuple[str, float, bool]]
    if organ.acronym:
        lines = [(organ.acronym, LABEL_SIZE, True)]
        lines += [(t, NAME_SIZE, False) for t in wrap(organ.name, MAX_TEXT, NAME_SIZE)]
    else:
        lines = [(t, LABEL_SIZE, True) for t in wrap(organ.name, MAX_TEXT, LABEL_SIZE, bold=True)]
    parts = [organ.nation or "", life_years(organ, snap.params.include_planned), *footer_notes(organ, snap)]
    footer = " · ".join(p for p in parts if p)
    widths = [text_width(t, s, b) for t, s, b in lines] + [text_width(footer, FOOT_SIZE, True)]
    width = max(MIN_BOX, max(widths) + 2 * PAD_X)
    height = 2 * PAD_Y + sum(LINE[s] for _, s, _ in lines) + (LINE[FOOT_SIZE] if footer else 0)
    return Box(organ, lines, footer, round(width, 1), round(height, 1), not judged.certain)


def organ_group(b: Box, node: Node, snap: Snapshot, p: str) -> str:
    o = b.organ
    ghost = is_ghost(snap, o.id)
    judged = snap.judgement(o.id)
    status = judged.status if snap.params.as_of is not None else o.status
    existence = judged.existence.value if judged.existence is not None else "absent"
    look = organ_look(o.nature, status, ghost, judged.certain, p)
    left, top = node.left, node.y
    out = [
        f'<g class="organ status-{status.value} existence-{existence}{" uncertain" if b.uncertain else ""}'
        f'{" ghost" if ghost else ""}{" disputed" if disputed(judged) else ""}" '
        f'data-id="{o.id}" data-existence="{existence}" data-rule="{judged.rule}" '
        f'data-nature="{o.nature.value}" data-level="{o.level.value}" data-type="{o.type.value}" '
        f'data-status="{status.value}" data-uncertain="{str(b.uncertain).lower()}" data-label="{attr(label(o))}"'
        f"{data_attrs(o, judged, snap)}>",
        tag("title", _organ_title(o, snap) + title_text(o, judged, snap)),
        tag(
            "rect",
            class_="organ-box",
            x=left,
            y=top,
            width=b.width,
            height=b.height,
            rx=5,
            fill=look.fill,
            stroke=look.stroke,
            stroke_width=1.6 if o.status is Status.PLANNED else 1.2,
            stroke_dasharray=look.dash,
        ),
    ]
    if disputed(judged):
        out.append(
            tag(
                "rect",
                class_="disputed-mark",
                x=left - 3,
                y=top - 3,
                width=b.width + 6,
                height=b.height + 6,
                rx=7,
                fill="none",
                stroke=DISPUTED_COLOUR,
                stroke_width=1.6,
                stroke_dasharray=DISPUTED_DASH,
            )
        )
    y = top + PAD_Y
    for text, size, bold in b.lines:
        y += LINE[size]
        out.append(
            tag(
                "text",
                text,
                x=node.x,
                y=y - (LINE[size] - size) / 2 - 1.5,
                font_size=size,
                font_weight="bold" if bold else None,
                text_anchor="middle",
                fill=look.text_fill,
            )
        )
    if b.footer:
        y += LINE[FOOT_SIZE]
        marks = footer_classes(status, b.uncertain)
        out.append(
            tag(
                "text",
                b.footer,
                class_=" ".join(["organ-footer", *marks]),
                x=node.x,
                y=y - 3,
                font_size=FOOT_SIZE,
                font_weight="bold" if o.status is not Status.ACTIVE else None,
                text_anchor="middle",
                fill="#c92a2a" if o.status is not Status.ACTIVE else "#495057",
            )
        )
    out.append("</g>")
    return "".join(out)


def _organ_title(o: Organ, snap: Snapshot) -> str:
    judged = snap.judgement(o.id)
    name = f"{o.name} ({o.acronym})" if o.acronym else o.name
    bits = [o.type.value, o.nature.value, o.level.value]
    if o.nation:
        bits.append(o.nation)
    years = life_years(o, snap.params.include_planned)
    if years:
        bits.append(years)
    if judged.existence is not None and snap.params.as_of is not None:
        bits.append(f"{judged.existence.value} in {snap.params.as_of}: {RULES.get(judged.rule, judged.rule)}")
    if judged.status is not Status.ACTIVE:
        bits.append(judged.status.value)
    return f"{name} — {', '.join(bits)}. “{o.first_quote}”"
