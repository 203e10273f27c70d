"""The whole chart: ``diagram_svg`` picks the organs and edges, lays them out and puts the parts
together (header, rows, edges, boxes, edge tags, highlight, legend) into one accessible SVG.

The chart reads like the paper's lost figures: organs in layers by level (political at the top,
then strategic, operational, component), with staff and support, working, parliamentary and
civil-society bodies in a side band beside the rows they attach to; boxes coloured by nature and
sized to their labels; each edge kind drawn in its own style; dormant, planned and uncertain
organs marked; a legend, and a title naming the alliance, the year and the condition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.chart.boxes import box_for, organ_group
from app.chart.edges import edge_path, edge_tags
from app.chart.header import build_header, description
from app.chart.highlight import Highlight
from app.chart.highlight_marks import highlight_hops, highlight_marks
from app.chart.layout import Link, Node, Route, layered_layout
from app.chart.legend import build_legend
from app.chart.marks import ghosts
from app.chart.rows import BAND_TITLE, assign_rows, band_column, level_bands, order_key
from app.chart.style import MARGIN, defs
from app.chart.svg import attr, num, tag
from app.chart.text import FONT_FAMILY, text_width
from app.snapshot import ALL_KINDS
from app.snapshot_view import Snapshot
from graph_schema.vocabulary import EdgeKind, Level, Nature


@dataclass
class _Canvas:
    parts: list[str] = field(default_factory=list)

    def add(self, *items: str) -> None:
        self.parts.extend(items)


def diagram_svg(
    snap: Snapshot,
    kinds: Iterable[EdgeKind] = ALL_KINDS,
    highlight: Highlight | Sequence[str] | None = None,
    title: str | None = None,
    *,
    levels: Iterable[Level] | None = None,
    natures: Iterable[Nature] | None = None,
    connected_only: bool = False,
    id_prefix: str = "ae",
) -> str:
    """An organisation chart of ``snap`` as a standalone, accessible SVG document.

    Parameters
    ----------
    snap : the year-snapshot to draw (one alliance, a year, a condition).
    kinds : the edge kinds drawn (default: all; the chart is a picture of every relationship).
    highlight : a ``Highlight`` or a list of organ ids forming a path, drawn over the chart.
    title : replaces the default title (alliance, year and condition).
    levels : draw only organs of these levels (e.g. leave out civil society).
    natures : draw only organs of these natures.
    connected_only : leave out organs that no drawn edge touches (unless highlighted).
    id_prefix : prefix of the ids inside the SVG, so several charts can share a page.

    Returns
    -------
    str: the SVG document. Organs are ``<g class="organ" data-id=...>`` with a ``rect
    class="organ-box"``; edges are ``<path class="edge" data-edge-id=... data-kind=...>``.
    """
    kinds = frozenset(kinds)
    if highlight is not None and not isinstance(highlight, Highlight):
        highlight = Highlight.from_organs(snap, list(highlight), kinds)
    wanted_levels = frozenset(levels) if levels is not None else frozenset(Level)
    wanted_natures = frozenset(natures) if natures is not None else frozenset(Nature)
    organs = {o.id: o for o in snap.organs() if o.level in wanted_levels and o.nature in wanted_natures}
    all_edges = sorted((e for e in snap.edges() if e.source in organs and e.target in organs), key=lambda e: e.id or "")
    edges = [e for e in all_edges if e.kind in kinds]
    if connected_only:
        touched = {e.source for e in edges} | {e.target for e in edges}
        touched |= highlight.organs() if highlight else set()
        organs = {i: o for i, o in organs.items() if i in touched}
        all_edges = [e for e in all_edges if e.source in organs and e.target in organs]
    # A scenario's removals are drawn as ghosts where the data has them in the year (no edges).
    for organ_id, organ in ghosts(snap).items():
        if organ.level in wanted_levels and organ.nature in wanted_natures:
            organs[organ_id] = organ
    boxes = {i: box_for(o, snap) for i, o in sorted(organs.items())}
    level_layers = assign_rows(boxes, all_edges)

    # The header, the description, the legend and the markers name only the kinds in the picture,
    # so a kind that the chart does not draw leaves no trace in it.
    drawn = frozenset(e.kind for e in edges)
    # Geometry: header above, level labels to the left, legend below.
    header = build_header(snap, drawn, highlight, title, len(boxes), len(edges))
    label_width = max([text_width(lv.value.capitalize(), 11, True) for lv, _ in level_layers if lv] + [0])
    origin = (MARGIN + label_width + 14, header.bottom + 26)
    nodes = [Node(i, b.width, b.height, b.layer, b.region, key=order_key(b.organ)) for i, b in sorted(boxes.items())]
    links = [Link(e.id or "", e.source, e.target) for e in edges]
    layout = layered_layout(nodes, links, origin)
    chart_right = origin[0] + layout.width
    chart_bottom = origin[1] + layout.height
    band_left = layout.region_left.get(1)

    legend = build_legend(edges, snap, highlight, boxes, id_prefix)
    width = max(chart_right + MARGIN, header.width + 2 * MARGIN, legend.min_width + 2 * MARGIN)
    if band_left is not None:
        width = max(width, band_left + text_width(BAND_TITLE, 10, True) + MARGIN)
    legend_top = chart_bottom + 28
    legend_svg, legend_height = legend.render(MARGIN, legend_top, width - 2 * MARGIN)
    height = legend_top + legend_height + MARGIN

    c = _Canvas()
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    c.add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'aria-label="{attr(header.title)}" font-family="{attr(FONT_FAMILY)}" '
        f'data-alliance="{attr(snap.params.alliance or "")}" data-as-of="{snap.params.as_of or ""}" '
        f'data-condition="{snap.params.condition.value if snap.params.condition else ""}">',
        tag("title", header.title, id=title_id),
        tag("desc", description(snap, boxes, edges, drawn, highlight), id=desc_id),
        defs(id_prefix, drawn),
        tag("rect", x=0, y=0, width=width, height=height, fill="#fff"),
    )
    c.add(*header.render(MARGIN))
    c.add(*level_bands(layout, level_layers, boxes, width, MARGIN))
    if band_left is not None:
        c.add(*band_column(layout, band_left, width, chart_bottom))
    c.add('<g class="edges" fill="none">')
    for e in edges:
        c.add(edge_path(e, layout, snap, boxes, id_prefix))
    c.add("</g>")
    free: dict[tuple[str, str], Route] = {}
    if highlight is not None:
        c.add(*highlight_hops(highlight, layout, edges, free))
    c.add('<g class="organs">')
    for i, b in boxes.items():
        c.add(organ_group(b, layout.nodes[i], snap, id_prefix))
    c.add("</g>")
    c.add(*edge_tags(edges, layout, snap, width))
    if highlight is not None:
        c.add(*highlight_marks(highlight, layout, boxes, edges, free, width))
    c.add(legend_svg)
    c.add("</svg>")
    return "\n".join(c.parts) + "\n"
