"""Organisation charts of a year-snapshot as SVG, drawn in pure Python (no graphviz, no binary).

The chart reads like the paper's lost figures: organs in layers by level (political at the top,
then strategic, operational, component), with staff and support, working, parliamentary and
civil-society bodies in a side band beside the rows they attach to; boxes coloured by nature and
sized to their labels; each edge kind drawn in its own style; dormant, planned and uncertain
organs marked; a legend, and a title naming the alliance, the year and the condition.

A highlight draws a path over the chart (a ``paths`` result, a linkage witness, or any list of
organ ids); when a linkage fails it draws the break instead: how far the civilian side reaches,
the commanders it does not reach, and the gap between them.

Examples
--------
>>> from app.api.deps import default_store
>>> from app.snapshot import RULES, SnapshotParams
>>> snap = default_store().snapshot(SnapshotParams(alliance="us-rok", as_of=1985))
>>> svg = diagram_svg(snap, highlight=["us-rok.scm", "us-rok.mcm", "us-rok.commander-cfc"])
>>> svg.startswith("<svg") and 'data-id="us-rok.cfc"' in svg and 'class="highlight-hop"' in svg
True
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.chart.layout import Layout, Link, Node, Route, layered_layout
from app.chart.svg import num, tag
from app.chart.text import FONT_FAMILY, text_width, wrap
from app.errors import BadParameter
from app.snapshot import ALL_KINDS, RULES, Snapshot, life_judgement, treaty_floor
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import UNDIRECTED_KINDS, EdgeKind, Level, Mode, Nature, Status

# ----------------------------------------------------------------------------------------- vocabulary

CHAIN_LEVELS: tuple[Level, ...] = (Level.POLITICAL, Level.STRATEGIC, Level.OPERATIONAL, Level.COMPONENT)
SIDE_LEVELS = frozenset({Level.WORKING, Level.SUPPORT, Level.CIVIL_SOCIETY})
SIDE_NATURES = frozenset({Nature.PARLIAMENTARY, Nature.NON_GOVERNMENTAL})
BAND_COLUMNS = 3  # side-band boxes per sub-row before the band grows another sub-row

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
    marker: str  # shape at the target end
    both_ends: bool = False
    caption: str = ""


EDGE_STYLES: dict[EdgeKind, EdgeStyle] = {
    EdgeKind.AUTHORITY: EdgeStyle("#212529", 1.8, None, "arrow", caption="authority (solid arrow)"),
    EdgeKind.ADVICE: EdgeStyle("#5f3dc4", 1.5, "7 4", "open", caption="advice (dashed, open arrow)"),
    EdgeKind.COORDINATION: EdgeStyle(
        "#1864ab", 1.7, "1.5 4", "arrow", both_ends=True, caption="coordination (dotted, both ways)"
    ),
    EdgeKind.SUPPORT: EdgeStyle("#2b8a3e", 1.5, "10 3 2 3", "dot", caption="support (dash-dot, dot at the supported)"),
    EdgeKind.MEMBERSHIP: EdgeStyle("#868e96", 1.2, None, "diamond", caption="membership (thin, diamond at the body)"),
}
MARKER_SHAPES = {
    "arrow": '<path d="M0,0 L10,5 L0,10 z" fill="{c}"/>',
    "open": '<path d="M1,1 L9,5 L1,9" fill="none" stroke="{c}" stroke-width="1.6"/>',
    "dot": '<circle cx="5" cy="5" r="4" fill="{c}"/>',
    "diamond": '<path d="M0,5 L5,1.5 L10,5 L5,8.5 z" fill="#fff" stroke="{c}" stroke-width="1.3"/>',
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


# ----------------------------------------------------------------------------------------- highlight


@dataclass(frozen=True)
class Highlight:
    """What to draw over the chart: a path, or where a linkage breaks.

    ``path`` is organ ids in order, ``edges`` the id of the edge making each hop where known.
    When a linkage breaks: ``reach`` is what the civilian side reaches, ``frontier`` where it
    stops, ``unreached`` the commanders it does not reach, and ``gaps`` (from, to, label) the
    places where a chain of the allowed kinds is missing.
    """

    path: tuple[str, ...] = ()
    edges: tuple[str | None, ...] = ()
    reach: tuple[str, ...] = ()
    frontier: tuple[str, ...] = ()
    unreached: tuple[str, ...] = ()
    gaps: tuple[tuple[str, str, str], ...] = ()
    caption: str | None = None

    @classmethod
    def from_linkage(cls, result: dict[str, Any]) -> Highlight:
        """The witness of a linkage answer, or, when not linked, its break."""
        kinds = ", ".join(result["kinds"])
        if result["linked"]:
            witness = result["witnesses"][0]
            chain = " → ".join(_short(o) for o in witness["organs"])
            return cls(
                path=tuple(o["id"] for o in witness["organs"]),
                edges=tuple(e["id"] for e in witness["edges"]),
                caption=f"Linkage by {kinds}: linked in {witness['hops']} hop(s): {chain}",
            )
        brk = result["break"] or {}
        reach = tuple(o["id"] for o in brk.get("civilian_reach", []))
        unreached = tuple(o["id"] for o in result["operational_commanders"])
        allowed = set(result["kinds"])
        closing = next((c for c in brk.get("closing_kinds", []) if c["linked"]), None)
        path: tuple[str, ...] = ()
        edges: tuple[str | None, ...] = ()
        gaps: list[tuple[str, str, str]] = []
        if closing is not None:
            witness = closing["witness"]
            organs = [o["id"] for o in witness["organs"]]
            hops = witness["edges"]
            first_gap = next(i for i, e in enumerate(hops) if e["kind"] not in allowed)
            path, edges = tuple(organs[: first_gap + 1]), tuple(e["id"] for e in hops[:first_gap])
            for i, hop in enumerate(hops):
                if hop["kind"] not in allowed:
                    gaps.append((organs[i], organs[i + 1], f"gap: {hop['kind']} only"))
            frontier: tuple[str, ...] = (organs[first_gap],)
            fix = f"; adding {closing['add_kind']} would close it"
        else:
            furthest = brk.get("furthest_hops", 0)
            frontier = tuple(o["id"] for o in brk.get("civilian_reach", []) if o["hops"] == furthest)
            if frontier and unreached:
                gaps.append((frontier[0], unreached[0], "gap: no chain"))
            fix = "; no single added kind closes it"
        said = (
            "stated by the paper: " + " / ".join(f"“{q['quote']}”" for q in brk.get("quotes", []))
            if brk.get("stated")
            else "not reported (the paper does not say there is none)"
        )
        caption = f"Linkage by {kinds}: not linked — {said}; the civilian side reaches {len(reach)} organ(s){fix}"
        return cls(
            path=path,
            edges=edges,
            reach=reach,
            frontier=frontier,
            unreached=unreached,
            gaps=tuple(gaps),
            caption=caption,
        )

    @classmethod
    def from_paths(cls, result: dict[str, Any]) -> Highlight:
        """The shortest path of a ``paths`` answer, or a gap between its two organs."""
        kinds = ", ".join(result["kinds"])
        if result["paths"]:
            best = result["paths"][0]
            chain = " → ".join(_short(o) for o in best["organs"])
            return cls(
                path=tuple(o["id"] for o in best["organs"]),
                edges=tuple(e["id"] for e in best["edges"]),
                caption=f"Path by {kinds} ({best['hops']} hop(s)): {chain}",
            )
        source, target = result["source"], result["target"]
        return cls(
            path=(source,),
            unreached=(target,),
            gaps=((source, target, "not connected"),),
            caption=f"Path by {kinds}: {source} does not reach {target}",
        )

    @classmethod
    def from_organs(cls, snap: Snapshot, ids: Sequence[str], kinds: Iterable[EdgeKind] = ALL_KINDS) -> Highlight:
        """A path given as organ ids; each hop uses the best edge of the allowed kinds, if any."""
        t = snap.traversal(kinds)
        edges: list[str | None] = []
        for a, b in itertools.pairwise(ids):
            if t.has_edge(a, b):
                edges.append(t[a][b]["edges"][0][0].id)
            elif t.has_edge(b, a):
                edges.append(t[b][a]["edges"][0][0].id)
            else:
                edges.append(None)
        chain = " → ".join(_label(snap.organ(i)) for i in ids)
        return cls(path=tuple(ids), edges=tuple(edges), caption=f"Highlighted: {chain}")

    def organs(self) -> set[str]:
        return {*self.path, *self.reach, *self.frontier, *self.unreached, *(g[0] for g in self.gaps), *self.gap_ends()}

    def gap_ends(self) -> set[str]:
        return {g[1] for g in self.gaps}


def resolve_highlight(snap: Snapshot, spec: str | None, kinds: Iterable[EdgeKind] = ALL_KINDS) -> Highlight | None:
    """Read a highlight as the API and CLI take it: ``linkage``, ``path:SOURCE,TARGET``, or a
    comma list of organ ids; every organ named must be in the snapshot."""
    from app.questions.linkage import linkage
    from app.questions.paths import paths

    if spec is None or not spec.strip():
        return None
    spec = spec.strip()
    kinds = frozenset(kinds)
    if spec == "linkage":
        if snap.params.alliance is None:
            raise BadParameter("highlight", "linkage needs an alliance")
        return Highlight.from_linkage(linkage(snap, kinds))
    if spec.startswith("path:"):
        ends = [p.strip() for p in spec[5:].split(",") if p.strip()]
        if len(ends) != 2:
            raise BadParameter("highlight", "path: takes two organ ids, SOURCE,TARGET")
        _check_in_snapshot(snap, ends)
        return Highlight.from_paths(paths(snap, ends[0], ends[1], kinds, max_hops=12, limit=1))
    ids = [p.strip() for p in spec.split(",") if p.strip()]
    _check_in_snapshot(snap, ids)
    return Highlight.from_organs(snap, ids, kinds)


def highlight_ids(spec: str | None) -> list[str]:
    """The organ ids a highlight spec names (none for ``linkage``), for checking they exist."""
    if spec is None or not spec.strip() or spec.strip() == "linkage":
        return []
    body = spec.strip()[5:] if spec.strip().startswith("path:") else spec
    return [p.strip() for p in body.split(",") if p.strip()]


def _check_in_snapshot(snap: Snapshot, ids: Sequence[str]) -> None:
    missing = [i for i in ids if i not in snap.graph]
    if missing:
        raise BadParameter("highlight", f"not in this chart's snapshot: {', '.join(missing)}")
    if len(ids) < 1:
        raise BadParameter("highlight", "name at least one organ id")


# ----------------------------------------------------------------------------------------- boxes


@dataclass
class _Box:
    organ: Organ
    lines: list[tuple[str, float, bool]]  # text, size, bold
    footer: str
    width: float
    height: float
    uncertain: bool
    layer: int = 0
    region: int = 0
    level_row: int = 0


def _label(organ: Organ) -> str:
    return organ.acronym or organ.name


def _short(brief: dict[str, Any]) -> str:
    return str(brief.get("acronym") or brief.get("name") or brief.get("id"))


def _years(organ: Organ, include_planned: bool) -> str:
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


def _box(organ: Organ, snap: Snapshot) -> _Box:
    judged = snap.judgement(organ.id)
    lines: list[tuple[str, float, bool]]
    if organ.acronym:
        lines = [(organ.acronym, LABEL_SIZE, True)]
        lines += [(t, NAME_SIZE, False) for t in wrap(organ.name, MAX_TEXT, NAME_SIZE)]
    else:
        lines = [(t, LABEL_SIZE, True) for t in wrap(organ.name, MAX_TEXT, LABEL_SIZE, bold=True)]
    parts = [organ.nation or "", _years(organ, snap.params.include_planned)]
    if snap.overlay is not None and organ.id in snap.overlay.removed_models:
        parts.append("removed by the scenario")
    elif judged.status is Status.DORMANT:
        parts.append("dormant")
    if not judged.certain and judged.present:
        parts.append("possible")
    footer = " · ".join(p for p in parts if p)
    widths = [text_width(t, s, b) for t, s, b in lines] + [text_width(footer, FOOT_SIZE, True)]
    width = max(MIN_BOX, max(widths) + 2 * PAD_X)
    height = 2 * PAD_Y + sum(LINE[s] for _, s, _ in lines) + (LINE[FOOT_SIZE] if footer else 0)
    return _Box(organ, lines, footer, round(width, 1), round(height, 1), not judged.certain)


def _is_side(organ: Organ) -> bool:
    return organ.level in SIDE_LEVELS or organ.nature in SIDE_NATURES


def _assign_rows(boxes: dict[str, _Box], edges: Sequence[Edge]) -> list[tuple[Level | None, int]]:
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


# ----------------------------------------------------------------------------------------- the chart


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
    for organ_id, organ in _ghosts(snap).items():
        if organ.level in wanted_levels and organ.nature in wanted_natures:
            organs[organ_id] = organ
    boxes = {i: _box(o, snap) for i, o in sorted(organs.items())}
    level_layers = _assign_rows(boxes, all_edges)

    # Geometry: header above, level labels to the left, legend below.
    header = _header(snap, kinds, highlight, title, len(boxes), len(edges))
    label_width = max([text_width(lv.value.capitalize(), 11, True) for lv, _ in level_layers if lv] + [0])
    origin = (MARGIN + label_width + 14, header.bottom + 26)
    nodes = [Node(i, b.width, b.height, b.layer, b.region, key=_order_key(b.organ)) for i, b in sorted(boxes.items())]
    links = [Link(e.id or "", e.source, e.target) for e in edges]
    layout = layered_layout(nodes, links, origin)
    chart_right = origin[0] + layout.width
    chart_bottom = origin[1] + layout.height
    band_left = layout.region_left.get(1)

    legend = _legend(kinds, edges, snap, highlight, boxes, id_prefix)
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
        f'aria-label="{_attr(header.title)}" font-family="{_attr(FONT_FAMILY)}" '
        f'data-alliance="{_attr(snap.params.alliance or "")}" data-as-of="{snap.params.as_of or ""}" '
        f'data-condition="{snap.params.condition.value if snap.params.condition else ""}">',
        tag("title", header.title, id=title_id),
        tag("desc", _description(snap, boxes, edges, kinds, highlight), id=desc_id),
        _defs(id_prefix),
        tag("rect", x=0, y=0, width=width, height=height, fill="#fff"),
    )
    c.add(*header.render(MARGIN))
    c.add(*_level_bands(layout, level_layers, boxes, width, MARGIN))
    if band_left is not None:
        c.add(*_band_column(layout, band_left, width, chart_bottom))
    c.add('<g class="edges" fill="none">')
    for e in edges:
        c.add(_edge_path(e, layout, snap, boxes, id_prefix))
    c.add("</g>")
    free: dict[tuple[str, str], Route] = {}
    if highlight is not None:
        c.add(*_highlight_hops(highlight, layout, edges, free))
    c.add('<g class="organs">')
    for i, b in boxes.items():
        c.add(_organ_group(b, layout.nodes[i], snap, id_prefix))
    c.add("</g>")
    c.add(*_edge_tags(edges, layout, snap, width))
    if highlight is not None:
        c.add(*_highlight_marks(highlight, layout, boxes, edges, free, width))
    c.add(legend_svg)
    c.add("</svg>")
    return "\n".join(c.parts) + "\n"


BAND_TITLE = "Staff · working · parliamentary · civil society"


def _order_key(organ: Organ) -> str:
    # First ordering before the sweeps: national organs grouped by nation, combined ones between.
    nation = {"US": "0", None: "1"}.get(organ.nation, "2")
    return f"{nation}{organ.id}"


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------------------- header


@dataclass
class _Header:
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


def _header(
    snap: Snapshot,
    kinds: frozenset[EdgeKind],
    highlight: Highlight | None,
    title: str | None,
    n_organs: int,
    n_edges: int,
) -> _Header:
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
    bits.append("source: Finnegan (2009)")
    subtitle = " · ".join(bits)
    caption = highlight.caption if highlight else None
    widths = [text_width(text, 17, True), text_width(subtitle, 11)]
    if caption:
        widths.append(text_width(caption, 11, True))
    return _Header(text, subtitle, caption, max(widths), 76 if caption else 58)


def _description(
    snap: Snapshot,
    boxes: dict[str, _Box],
    edges: Sequence[Edge],
    kinds: frozenset[EdgeKind],
    highlight: Highlight | None,
) -> str:
    by_kind = Counter(e.kind.value for e in edges)
    by_level = Counter(b.organ.level.value for b in boxes.values())
    levels = ", ".join(f"{by_level[lv.value]} {lv.value}" for lv in Level if by_level[lv.value])
    kinds_text = ", ".join(f"{by_kind[k.value]} {k.value}" for k in EdgeKind if k in kinds) or "none"
    text = f"Organisation chart: {len(boxes)} organs ({levels}); edges: {kinds_text}."
    dormant = sorted(_label(b.organ) for b in boxes.values() if b.organ.status is Status.DORMANT)
    planned = sorted(_label(b.organ) for b in boxes.values() if b.organ.status is Status.PLANNED)
    if dormant:
        text += f" Dormant: {', '.join(dormant)}."
    if planned:
        text += f" Planned: {', '.join(planned)}."
    if highlight and highlight.caption:
        text += f" {highlight.caption}."
    return text


# ----------------------------------------------------------------------------------------- defs


def _defs(p: str) -> str:
    out = ["<defs>"]
    for kind, style in EDGE_STYLES.items():
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


# ----------------------------------------------------------------------------------------- rows and band


def _level_bands(
    layout: Layout, level_layers: list[tuple[Level | None, int]], boxes: dict[str, _Box], width: float, x: float
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


def _band_column(layout: Layout, band_left: float, width: float, bottom: float) -> list[str]:
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


# ----------------------------------------------------------------------------------------- organs


def _ghosts(snap: Snapshot) -> dict[str, Organ]:
    """The organs a scenario removed that the data would show in the snapshot's year."""
    ov = snap.overlay
    if ov is None:
        return {}
    p = snap.params
    found = {}
    for organ_id, organ in ov.removed_models.items():
        if p.alliance is not None and organ.alliance not in (p.alliance, None):
            continue
        floor = treaty_floor(organ.alliance, snap.alliances)
        if life_judgement(organ.life, p.as_of, floor, p.include_planned).present:
            found[organ_id] = organ
    return found


def _organ_group(b: _Box, node: Node, snap: Snapshot, p: str) -> str:
    o = b.organ
    ghost = snap.overlay is not None and o.id in snap.overlay.removed_models
    judged = snap.judgement(o.id)
    status = judged.status if snap.params.as_of is not None else o.status
    existence = judged.existence.value if judged.existence is not None else "absent"
    fill, stroke = NATURE_COLOURS[o.nature]
    dash = None
    text_fill = TEXT
    if status is Status.DORMANT:
        fill, stroke, text_fill = f"url(#{p}-hatch)", MUTED, "#495057"
    elif status is Status.PLANNED:
        fill, dash = "#ffffff", "6 4"
    elif status is Status.PROPOSED:
        fill, stroke, dash = "#f8f0fc", PROPOSED_COLOUR, "5 3"  # a scenario's proposal, never the paper's fact
    elif ghost:
        fill, stroke, dash, text_fill = "#f8f9fa", "#ced4da", "1 3", "#adb5bd"  # removed by the scenario
    elif not judged.certain:
        dash = POSSIBLE_DASH  # possible in the year: dotted outline, the reason in the title
    left, top = node.left, node.y
    out = [
        f'<g class="organ status-{status.value} existence-{existence}{" uncertain" if b.uncertain else ""}'
        f'{" ghost" if ghost else ""}" '
        f'data-id="{o.id}" data-existence="{existence}" data-rule="{judged.rule}" '
        f'data-nature="{o.nature.value}" data-level="{o.level.value}" data-type="{o.type.value}" '
        f'data-status="{status.value}" data-uncertain="{str(b.uncertain).lower()}" data-label="{_attr(_label(o))}">',
        tag("title", _organ_title(o, snap)),
        tag(
            "rect",
            class_="organ-box",
            x=left,
            y=top,
            width=b.width,
            height=b.height,
            rx=5,
            fill=fill,
            stroke=stroke,
            stroke_width=1.6 if o.status is Status.PLANNED else 1.2,
            stroke_dasharray=dash,
        ),
    ]
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
                fill=text_fill,
            )
        )
    if b.footer:
        y += LINE[FOOT_SIZE]
        marks = []
        if status is Status.DORMANT:
            marks.append("mark-dormant")
        if status is Status.PLANNED:
            marks.append("mark-planned")
        if b.uncertain and status is not Status.PLANNED:
            marks.append("mark-uncertain")
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
    years = _years(o, snap.params.include_planned)
    if years:
        bits.append(years)
    if judged.existence is not None and snap.params.as_of is not None:
        bits.append(f"{judged.existence.value} in {snap.params.as_of}: {RULES.get(judged.rule, judged.rule)}")
    if judged.status is not Status.ACTIVE:
        bits.append(judged.status.value)
    return f"{name} — {', '.join(bits)}. “{o.first_quote}”"


# ----------------------------------------------------------------------------------------- edges


def _edge_path(e: Edge, layout: Layout, snap: Snapshot, boxes: dict[str, _Box], p: str) -> str:
    style = EDGE_STYLES[e.kind]
    route = layout.routes[e.id or ""]
    judged = snap.judge_edge(e)
    e_status = judged.status if snap.params.as_of is not None else e.status
    existence = judged.existence.value if judged.existence is not None else "absent"
    muted = e_status not in (Status.ACTIVE, Status.UNKNOWN, Status.PROPOSED)
    possible = not judged.certain and e_status is not Status.PROPOSED
    colour = "#adb5bd" if muted else (PROPOSED_COLOUR if e_status is Status.PROPOSED else style.colour)
    marker = f"url(#{p}-m-{e.kind.value}{'-muted' if muted else ''})"
    src, tgt = boxes[e.source].organ, boxes[e.target].organ
    cond = "" if e.condition.value == "any" else f", {e.condition.value}"
    life = e.life
    years = f", {life.start.edtf}–{life.end.edtf}" if (life.start.known or life.end.known) else ""
    status = "" if e_status is Status.ACTIVE else f", {e_status.value}"
    sure = ""
    if snap.params.as_of is not None and judged.existence is not None:
        sure = f" {judged.existence.value} in {snap.params.as_of}: {RULES.get(judged.rule, judged.rule)}."
    title = (
        f"{_label(src)} → {_label(tgt)}: {e.kind.value} ({e.mode.value}{cond}{years}{status}).{sure} “{e.first_quote}”"
    )
    return (
        f'<path class="edge kind-{e.kind.value} status-{e_status.value} existence-{existence}" '
        f'data-edge-id="{_attr(e.id or "")}" data-existence="{existence}" '
        f'data-kind="{e.kind.value}" data-mode="{e.mode.value}" data-condition="{e.condition.value}" '
        f'data-status="{e_status.value}" data-source="{e.source}" data-target="{e.target}" '
        f'd="{route.d}" stroke="{colour}" stroke-width="{num(style.width)}"'
        + (f' stroke-dasharray="{style.dash}"' if style.dash else "")
        + (' stroke-linecap="round"' if e.kind is EdgeKind.COORDINATION else "")
        + (' opacity="0.8"' if muted else (' opacity="0.5"' if possible else ""))
        + f' marker-end="{marker}"'
        + (f' marker-start="{marker}"' if style.both_ends or e.kind in UNDIRECTED_KINDS else "")
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


def _edge_tags(edges: Sequence[Edge], layout: Layout, snap: Snapshot, width: float) -> list[str]:
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
            f'<g class="edge-tag" data-edge-id="{_attr(e.id or "")}">'
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


# ----------------------------------------------------------------------------------------- highlight drawing


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


def _highlight_hops(
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


def _highlight_marks(
    h: Highlight,
    layout: Layout,
    boxes: dict[str, _Box],
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


# ----------------------------------------------------------------------------------------- legend


@dataclass
class _Legend:
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


def _legend(
    kinds: frozenset[EdgeKind],
    edges: Sequence[Edge],
    snap: Snapshot,
    highlight: Highlight | None,
    boxes: dict[str, _Box],
    p: str,
) -> _Legend:
    natures = []
    for nature, (fill, stroke) in NATURE_COLOURS.items():
        natures.append((tag("rect", x=0, y=2, width=22, height=13, rx=3, fill=fill, stroke=stroke), 22.0, nature.value))
    kinds_items = []
    for kind in EdgeKind:
        if kind not in kinds:
            continue
        s = EDGE_STYLES[kind]
        line = (
            f'<path d="M2,8 H38" stroke="{s.colour}" stroke-width="{num(s.width)}" fill="none"'
            + (f' stroke-dasharray="{s.dash}"' if s.dash else "")
            + (' stroke-linecap="round"' if kind is EdgeKind.COORDINATION else "")
            + f' marker-end="url(#{p}-m-{kind.value})"'
            + (f' marker-start="url(#{p}-m-{kind.value})"' if s.both_ends else "")
            + "/>"
        )
        kinds_items.append((line, 40.0, s.caption))
    marks = [
        (
            tag("rect", x=0, y=2, width=22, height=13, rx=3, fill=f"url(#{p}-hatch)", stroke=MUTED),
            22.0,
            "dormant (hatched, grey; dormant edges grey)",
        ),
        (
            tag("rect", x=0, y=2, width=22, height=13, rx=3, fill="#fff", stroke="#495057", stroke_dasharray="6 4"),
            22.0,
            "planned (dashed outline)",
        ),
        (
            tag(
                "rect",
                x=0,
                y=2,
                width=22,
                height=13,
                rx=3,
                fill="#fff",
                stroke="#495057",
                stroke_dasharray=POSSIBLE_DASH,
            ),
            22.0,
            "possible in the year, not certain (dotted outline; faded edge); the reason on hover",
        ),
        (tag("text", "[1994..]", x=0, y=12, font_size=8, fill="#495057"), 40.0, "years as EDTF: a bound, not a date"),
        (
            tag(
                "rect",
                x=0,
                y=2,
                width=22,
                height=13,
                rx=3,
                fill="#f8f0fc",
                stroke=PROPOSED_COLOUR,
                stroke_dasharray="5 3",
            ),
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
    sections = [("Nature", natures), ("Edges", kinds_items), ("Marks", marks)]
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
            items.append(
                (
                    tag(
                        "rect",
                        x=1,
                        y=2,
                        width=22,
                        height=13,
                        rx=3,
                        fill="none",
                        stroke=REACH_COLOUR,
                        stroke_width=2.2,
                        stroke_dasharray="5 3",
                    ),
                    24.0,
                    "reached from the civilian side",
                )
            )
        if highlight.unreached:
            items.append(
                (
                    tag(
                        "rect",
                        x=1,
                        y=2,
                        width=22,
                        height=13,
                        rx=3,
                        fill="none",
                        stroke=GAP_COLOUR,
                        stroke_width=2.5,
                        stroke_dasharray="6 3",
                    ),
                    24.0,
                    "not reached",
                )
            )
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
    return _Legend(sections)
