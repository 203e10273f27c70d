"""Rows: which layer each organ sits in, and the level bands and side band drawn behind them.

Chain organs sit in their level's row (political at the top, then strategic, operational,
component); staff and support, working, parliamentary and civil-society bodies sit in a side band
beside the rows they attach to. ``level_bands`` and ``band_column`` draw the rows' backgrounds
and labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from app.chart.boxes import Box
from app.chart.layout import Layout
from app.chart.style import MARGIN
from app.chart.svg import tag
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import Level, Nature

CHAIN_LEVELS: tuple[Level, ...] = (Level.POLITICAL, Level.STRATEGIC, Level.OPERATIONAL, Level.COMPONENT)
SIDE_LEVELS = frozenset({Level.WORKING, Level.SUPPORT, Level.CIVIL_SOCIETY})
SIDE_NATURES = frozenset({Nature.PARLIAMENTARY, Nature.NON_GOVERNMENTAL})
BAND_COLUMNS = 3  # side-band boxes per sub-row before the band grows another sub-row
BAND_TITLE = "Staff · working · parliamentary · civil society"


def _is_side(organ: Organ) -> bool:
    return organ.level in SIDE_LEVELS or organ.nature in SIDE_NATURES


def assign_rows(boxes: dict[str, Box], edges: Sequence[Edge]) -> list[tuple[Level | None, int]]:
    """Give every box a layer. Chain organs sit in their level's row; side-band organs sit beside
    the row of the chain organs they attach to (by any edge), one sub-row further out per step
    away, at most BAND_COLUMNS to a sub-row. Returns (level, first layer) per level row used."""
    level_row = {lv: i for i, lv in enumerate(CHAIN_LEVELS)}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    side = {i for i, b in boxes.items() if _is_side(b.organ)}
    for i, b in boxes.items():
        if i not in side:
            b.level_row = level_row[b.organ.level]
    dist: dict[str, int] = {}

    def spread(frontier: list[str], step: int) -> None:
        # Breadth-first from placed organs into the band: the row is the lower median of the rows
        # of the neighbours one step nearer the chain.
        while frontier:
            step += 1
            nxt = []
            for s in sorted(side - dist.keys()):
                rows = sorted(boxes[m].level_row for m in neighbours[s] if m in frontier)
                if rows:
                    dist[s] = step
                    boxes[s].level_row = rows[(len(rows) - 1) // 2]
                    nxt.append(s)
            frontier = nxt

    spread(sorted(i for i in boxes if i not in side), 0)
    chain_rows = sorted({b.level_row for i, b in boxes.items() if i not in side})
    first, last = (chain_rows[0], chain_rows[-1]) if chain_rows else (0, 0)
    # Side organs not attached to the chain: parliaments beside their own level's row, working and
    # support bodies beside the top row they serve, then whatever attaches to those; the rest
    # (civil-society networks) beside the bottom row.
    seeds = []
    for s in sorted(side - dist.keys()):
        organ = boxes[s].organ
        if organ.level in level_row:
            boxes[s].level_row = min(max(level_row[organ.level], first), last)
        elif organ.level in (Level.WORKING, Level.SUPPORT):
            boxes[s].level_row = first
        else:
            continue
        dist[s] = 1
        seeds.append(s)
    spread(seeds, 1)
    for s in side - dist.keys():
        boxes[s].level_row = last
        dist[s] = 99
    used_rows = sorted({b.level_row for b in boxes.values()})
    layers: list[tuple[Level | None, int]] = []
    layer = 0
    for row in used_rows:
        layers.append((CHAIN_LEVELS[row], layer))
        for i, b in boxes.items():
            if b.level_row == row and i not in side:
                b.layer, b.region = layer, 0
        in_band = sorted((dist[s], _side_rank(boxes[s].organ), s) for s in side if boxes[s].level_row == row)
        sub, count, last_dist = 0, 0, None
        for d, _, s in in_band:
            if (last_dist is not None and d != last_dist and count) or count == BAND_COLUMNS:
                sub, count = sub + 1, 0
            boxes[s].layer, boxes[s].region = layer + sub, 1
            count += 1
            last_dist = d
        layer += sub + 1
    return layers


def _side_rank(organ: Organ) -> int:
    order = (Level.SUPPORT, Level.WORKING, Level.POLITICAL, Level.CIVIL_SOCIETY)
    return order.index(organ.level) if organ.level in order else len(order)


def order_key(organ: Organ) -> str:
    # First ordering before the sweeps: national organs grouped by nation, combined ones between.
    nation = {"US": "0", None: "1"}.get(organ.nation, "2")
    return f"{nation}{organ.id}"


def level_bands(
    layout: Layout, level_layers: list[tuple[Level | None, int]], boxes: dict[str, Box], width: float, x: float
) -> list[str]:
    out = ['<g class="levels">']
    n_layers = len(layout.layer_top)
    for k, (level, first) in enumerate(level_layers):
        last = (level_layers[k + 1][1] if k + 1 < len(level_layers) else n_layers) - 1
        top = layout.channel_top[first] + 8
        bottom = layout.layer_top[last] + layout.layer_height[last] + 10
        fill = "#f8f9fa" if k % 2 == 0 else "#ffffff"
        out.append(
            tag("rect", class_="level-band", x=x - 6, y=top, width=width - 2 * x + 12, height=bottom - top, fill=fill)
        )
        if level is not None:
            mid = layout.layer_top[first] + layout.layer_height[first] / 2
            out.append(
                tag(
                    "text",
                    level.value.capitalize(),
                    class_="level-label",
                    x=x,
                    y=mid + 4,
                    font_size=11,
                    font_weight="bold",
                    fill="#495057",
                )
            )
    out.append("</g>")
    return out


def band_column(layout: Layout, band_left: float, width: float, bottom: float) -> list[str]:
    left = band_left - 20
    top = layout.channel_top[0] + 2 if layout.channel_top else bottom
    return [
        '<g class="side-band">',
        tag(
            "rect",
            x=left,
            y=top,
            width=width - MARGIN + 6 - left,
            height=bottom - top + 8,
            fill="#fff9db",
            opacity=0.55,
        ),
        tag("line", x1=left, y1=top, x2=left, y2=bottom + 8, stroke="#e9c46a", stroke_dasharray="4 3"),
        tag(
            "text",
            BAND_TITLE,
            class_="band-title",
            x=left + 6,
            y=top - 6,
            font_size=10,
            font_weight="bold",
            fill="#8a6d00",
        ),
        "</g>",
    ]
