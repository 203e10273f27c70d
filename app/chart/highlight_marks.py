"""Drawing a highlight over the chart: the path's hops as a broad orange band with numbered steps,
and, where a linkage breaks, what the civilian side reaches, where it stops, the commanders it
does not reach, and the gap (a dashed red line with a cross) where the chain is missing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from app.chart.boxes import Box
from app.chart.highlight import Highlight
from app.chart.layout import Layout, Node, Route
from app.chart.style import GAP_COLOUR, MARGIN, PATH_COLOUR, REACH_COLOUR
from app.chart.svg import num, tag
from app.chart.text import text_width
from graph_schema.models import Edge


def _free_route(layout: Layout, a: str, b: str) -> Route:
    """A curve between two boxes that share no drawn edge: a loop above a shared row (high enough
    to clear the badges sitting on the boxes), else an S from the facing sides."""
    na, nb = layout.nodes[a], layout.nodes[b]
    if na.layer == nb.layer:
        top = min(na.y, nb.y)
        rise = 34.0  # a cubic with both controls at top - rise / 0.75 peaks at top - rise
        peak = top - rise / 0.75
        d = f"M{num(na.x)},{num(na.y)} C{num(na.x)},{num(peak)} {num(nb.x)},{num(peak)} {num(nb.x)},{num(nb.y)}"
        return Route(d, ((na.x + nb.x) / 2, top - rise))
    if na.layer < nb.layer:
        y1, y2 = na.bottom, nb.y
    else:
        y1, y2 = na.y, nb.bottom
    ym = (y1 + y2) / 2
    d = f"M{num(na.x)},{num(y1)} C{num(na.x)},{num(ym)} {num(nb.x)},{num(ym)} {num(nb.x)},{num(y2)}"
    return Route(d, ((na.x + nb.x) / 2, ym))


def _route_between(
    layout: Layout, edges: Sequence[Edge], a: str, b: str, edge_id: str | None, free: dict[tuple[str, str], Route]
) -> Route:
    """The drawn route of the hop's edge, else of any drawn edge between the two, else a free one."""
    if edge_id and edge_id in layout.routes:
        return layout.routes[edge_id]
    for e in edges:
        if {e.source, e.target} == {a, b} and e.id in layout.routes:
            return layout.routes[e.id]
    key = (a, b)
    if key not in free:
        free[key] = _free_route(layout, a, b)
    return free[key]


def highlight_hops(
    h: Highlight, layout: Layout, edges: Sequence[Edge], free: dict[tuple[str, str], Route]
) -> list[str]:
    out = [f'<g class="highlight" data-organs="{" ".join(h.path)}" fill="none">']
    hop_edges = list(h.edges) + [None] * max(0, len(h.path) - 1 - len(h.edges))
    for (a, b), edge_id in zip(itertools.pairwise(h.path), hop_edges, strict=False):
        if a not in layout.nodes or b not in layout.nodes:
            continue
        d = _route_between(layout, edges, a, b, edge_id, free).d
        out.append(
            tag(
                "path",
                class_="highlight-hop",
                d=d,
                stroke=PATH_COLOUR,
                stroke_width=9,
                stroke_opacity=0.5,
                stroke_linecap="round",
                data_from=a,
                data_to=b,
                data_edge_id=edge_id,
            )
        )
    out.append("</g>")
    return out


def _outline(node: Node, colour: str, cls: str, dash: str | None, width: float = 3.0) -> str:
    return tag(
        "rect",
        class_=cls,
        data_id=node.id,
        x=node.left - 4,
        y=node.y - 4,
        width=node.width + 8,
        height=node.height + 8,
        rx=7,
        fill="none",
        stroke=colour,
        stroke_width=width,
        stroke_dasharray=dash,
    )


def _badge_text(node: Node, text: str, colour: str, cls: str, width: float) -> str:
    w = text_width(text, 9, True) + 8
    x = min(max(node.right - w, MARGIN), width - MARGIN - w)
    y = node.y - 17
    return (
        f'<g class="{cls}" data-id="{node.id}">'
        + tag("rect", x=x, y=y, width=w, height=13, rx=3, fill=colour)
        + tag("text", text, x=x + w / 2, y=y + 10, font_size=9, font_weight="bold", text_anchor="middle", fill="#fff")
        + "</g>"
    )


def highlight_marks(
    h: Highlight,
    layout: Layout,
    boxes: dict[str, Box],
    edges: Sequence[Edge],
    free: dict[tuple[str, str], Route],
    width: float,
) -> list[str]:
    out = ['<g class="highlight-marks">']
    nodes = layout.nodes
    for organ_id in h.reach:
        if organ_id in nodes and organ_id not in h.path:
            out.append(_outline(nodes[organ_id], REACH_COLOUR, "reach-organ", "5 3", 2.2))
    for k, organ_id in enumerate(h.path, start=1):
        if organ_id not in nodes:
            continue
        node = nodes[organ_id]
        out.append(_outline(node, PATH_COLOUR, "highlight-organ", None))
        out.append(
            f'<g class="step" data-id="{organ_id}">'
            + tag("circle", cx=node.left, cy=node.y, r=8.5, fill=PATH_COLOUR)
            + tag(
                "text",
                str(k),
                x=node.left,
                y=node.y + 3.5,
                font_size=10,
                font_weight="bold",
                text_anchor="middle",
                fill="#fff",
            )
            + "</g>"
        )
    for organ_id in h.frontier:
        if organ_id in nodes:
            out.append(_outline(nodes[organ_id], REACH_COLOUR, "frontier-organ", None, 3.2))
            out.append(_badge_text(nodes[organ_id], "frontier", REACH_COLOUR, "frontier-tag", width))
    for organ_id in h.unreached:
        if organ_id in nodes:
            out.append(_outline(nodes[organ_id], GAP_COLOUR, "unreached-organ", "6 3", 3.0))
            out.append(_badge_text(nodes[organ_id], "not reached", GAP_COLOUR, "unreached-tag", width))
    for a, b, label in h.gaps:
        if a not in nodes or b not in nodes:
            continue
        route = _route_between(layout, edges, a, b, None, free)
        d = route.d
        mx, my = route.mid
        w = text_width(label, 9.5, True) + 10
        lx = min(max(mx + 12, MARGIN), width - MARGIN - w)
        out.append(
            f'<g class="gap" data-from="{a}" data-to="{b}">'
            + tag("path", d=d, fill="none", stroke=GAP_COLOUR, stroke_width=2.6, stroke_dasharray="7 5")
            + tag("circle", cx=mx, cy=my, r=8, fill="#fff", stroke=GAP_COLOUR, stroke_width=2.2)
            + tag(
                "path",
                d=_cross(mx, my, 4),
                stroke=GAP_COLOUR,
                stroke_width=2.2,
            )
            + tag("rect", x=lx, y=my - 7, width=w, height=14, rx=3, fill="#fff", stroke=GAP_COLOUR, stroke_width=1)
            + tag(
                "text",
                label,
                class_="gap-label",
                x=lx + w / 2,
                y=my + 3.5,
                font_size=9.5,
                font_weight="bold",
                text_anchor="middle",
                fill=GAP_COLOUR,
            )
            + "</g>"
        )
    out.append("</g>")
    return out


def _cross(x: float, y: float, r: float) -> str:
    a, b, c, d = num(x - r), num(y - r), num(x + r), num(y + r)
    return f"M{a},{b} L{c},{d} M{a},{d} L{c},{b}"
