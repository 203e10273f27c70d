"""Edges: each drawn along its route in its kind's style, with a hover title quoting the paper,
and the small tags (OPCON/OPCOM, the condition, the status) on the edges that need words.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.chart.boxes import Box, label
from app.chart.layout import Layout
from app.chart.marks import edge_look
from app.chart.sources import DISPUTED_COLOUR, data_attrs, disputed, title_text
from app.chart.style import EDGE_STYLES, MARGIN, MUTED, NAMED_MODES, TAG_SIZE
from app.chart.svg import attr, num, tag
from app.chart.text import text_width
from app.snapshot import RULES
from app.snapshot_view import Snapshot
from graph_schema.models import Edge
from graph_schema.vocabulary import Status


def edge_path(e: Edge, layout: Layout, snap: Snapshot, boxes: dict[str, Box], p: str) -> str:
    style = EDGE_STYLES[e.kind]
    route = layout.routes[e.id or ""]
    judged = snap.judge_edge(e)
    e_status = judged.status if snap.params.as_of is not None else e.status
    existence = judged.existence.value if judged.existence is not None else "absent"
    look = edge_look(style.colour, e_status, judged.certain)
    marker = f"url(#{p}-m-{e.kind.value}{'-muted' if look.muted else ''})"
    src, tgt = boxes[e.source].organ, boxes[e.target].organ
    cond = "" if e.condition.value == "any" else f", {e.condition.value}"
    life = e.life
    years = f", {life.start.edtf}–{life.end.edtf}" if (life.start.known or life.end.known) else ""
    status = "" if e_status is Status.ACTIVE else f", {e_status.value}"
    sure = ""
    if snap.params.as_of is not None and judged.existence is not None:
        sure = f" {judged.existence.value} in {snap.params.as_of}: {RULES.get(judged.rule, judged.rule)}."
    title = (
        f"{label(src)} → {label(tgt)}: {e.kind.value} ({e.mode.value}{cond}{years}{status}).{sure} “{e.first_quote}”"
    ) + title_text(e, judged, snap)
    contested = disputed(judged)
    colour = DISPUTED_COLOUR if contested else look.colour
    return (
        f'<path class="edge kind-{e.kind.value} status-{e_status.value} existence-{existence}'
        f'{" disputed" if contested else ""}" '
        f'data-edge-id="{attr(e.id or "")}" data-existence="{existence}"{data_attrs(e, judged, snap)} '
        f'data-kind="{e.kind.value}" data-mode="{e.mode.value}" data-condition="{e.condition.value}" '
        f'data-status="{e_status.value}" data-source="{e.source}" data-target="{e.target}" '
        f'd="{route.d}" stroke="{colour}" stroke-width="{num(style.width)}"'
        + (f' stroke-dasharray="{style.dash}"' if style.dash else "")
        + (' stroke-linecap="round"' if style.round_caps else "")
        + (f' opacity="{look.opacity}"' if look.opacity else "")
        + f' marker-end="{marker}"'
        + (f' marker-start="{marker}"' if style.both_ends else "")
        + f">{tag('title', title)}</path>"
    )


def _edge_tag_text(e: Edge, snap: Snapshot) -> str:
    bits = []
    if e.mode in NAMED_MODES:
        bits.append(e.mode.value.upper())
    if snap.params.condition is None and e.condition.value != "any":
        bits.append(e.condition.value)
    if e.status is not Status.ACTIVE:
        bits.append(e.status.value)
    return " · ".join(bits)


def edge_tags(edges: Sequence[Edge], layout: Layout, snap: Snapshot, width: float) -> list[str]:
    """Small labels on the edges that need words: OPCON/OPCOM, the condition when both are drawn,
    dormant or planned. Each sits in a routing channel, nudged sideways off any tag already placed."""
    placed: list[tuple[float, float, float, float]] = []
    out = ['<g class="edge-tags">']
    for e in edges:
        text = _edge_tag_text(e, snap)
        if not text:
            continue
        w = text_width(text, TAG_SIZE, True) + 8
        h = 12.0
        mx, my = layout.routes[e.id or ""].mid
        x = min(max(mx - w / 2, MARGIN), width - MARGIN - w)
        y = my - h / 2
        for _ in range(12):
            if not any(_overlap((x, y, w, h), r) for r in placed):
                break
            x = min(x + w / 2 + 4, width - MARGIN - w) if x + w + 4 < width - MARGIN else max(x - w - 4, MARGIN)
        placed.append((x, y, w, h))
        colour = EDGE_STYLES[e.kind].colour if e.status is Status.ACTIVE else MUTED
        out.append(
            f'<g class="edge-tag" data-edge-id="{attr(e.id or "")}">'
            + tag("rect", x=x, y=y, width=w, height=h, rx=3, fill="#fff", stroke=colour, stroke_width=0.8)
            + tag(
                "text",
                text,
                x=x + w / 2,
                y=y + 9,
                font_size=TAG_SIZE,
                font_weight="bold",
                text_anchor="middle",
                fill=colour,
            )
            + "</g>"
        )
    out.append("</g>")
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
