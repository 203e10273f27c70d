"""Layered layout for organisation charts: boxes in fixed layers, ordered and placed, links routed.

The caller decides which layer (row) each box sits in — for alliance charts, the organ's level —
and which region of the row (the main chain, or the side band beside it). This module then does
the rest of a Sugiyama-style layout:

1. links that skip layers get a dummy node in every layer between, so no line crosses a box;
2. nodes within a layer are ordered to reduce crossings (barycentre sweeps down and up, keeping
   the best order seen, then adjacent swaps), never mixing the two regions;
3. x positions: each layer is pulled towards its neighbours' positions by isotonic regression
   (pool adjacent violators) under minimum-separation constraints, so boxes never overlap;
4. y positions: layers stacked with a routing channel above each;
5. each link is routed as vertical stubs through layers and cubic curves across channels, with
   its own port on each box side, ordered so parallel links do not cross each other.

Everything is deterministic: the same input gives byte-identical output, so committed figures can
be checked against a fresh rendering.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.chart.svg import num as _n

NODE_GAP = 26.0  # horizontal room between two boxes of a layer
DUMMY_GAP = 12.0  # room beside a dummy (a line passing through the layer)
REGION_GAP = 56.0  # room between the main chain and the side band
CHANNEL = 46.0  # height of the routing channel above each layer
LOOP_STEP = 9.0  # extra channel height per link that joins two boxes of the same layer
MIN_LAYER_HEIGHT = 10.0
SWEEPS = 12
PLACEMENT_PASSES = 16


@dataclass
class Node:
    """A box (or, when ``dummy``, a point a long link passes through) in a layer and region."""

    id: str
    width: float
    height: float
    layer: int
    region: int = 0
    key: str = ""  # tie-break for the first ordering: the caller's notion of "reads well first"
    dummy: bool = False
    x: float = 0.0  # centre
    y: float = 0.0  # top

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass
class Link:
    """A directed line between two boxes; ``chain`` is filled with the dummies it passes through."""

    id: str
    source: str
    target: str
    chain: list[str] = field(default_factory=list)


@dataclass
class Route:
    """A routed link: an SVG path, and the middle of its first channel crossing (for a tag)."""

    d: str
    mid: tuple[float, float]


@dataclass
class Layout:
    """The placed chart: nodes (boxes and dummies), layer bands, routes, and the extent used."""

    nodes: dict[str, Node]
    layer_top: list[float]
    layer_height: list[float]
    channel_top: list[float]
    routes: dict[str, Route]
    width: float
    height: float
    region_left: dict[int, float]

    def boxes(self) -> list[Node]:
        return [n for n in self.nodes.values() if not n.dummy]


# ----------------------------------------------------------------------------------------- entry point


def layered_layout(nodes: Sequence[Node], links: Sequence[Link], origin: tuple[float, float] = (0.0, 0.0)) -> Layout:
    """Order, place and route ``nodes`` (with their fixed layers) and ``links``.

    Parameters
    ----------
    nodes : boxes with width, height, layer (0 at the top) and region (0 main, 1 side band).
    links : directed links between node ids; a link may go up, down, or along a layer.
    origin : top-left corner of the area the chart may use.

    Returns
    -------
    Layout with every node's centre x and top y, and a route per link id.

    Examples
    --------
    >>> lay = layered_layout([Node("a", 40, 20, 0), Node("b", 40, 20, 2)], [Link("ab", "a", "b")])
    >>> lay.nodes["b"].y > lay.nodes["a"].bottom, len(lay.boxes())
    (True, 2)
    """
    graph = _Graph(nodes, links)
    graph.order()
    graph.place_x()
    graph.place_y(origin[1])
    graph.shift_x(origin[0])
    routes = graph.route()
    width = max((n.right for n in graph.nodes.values()), default=origin[0]) - origin[0]
    height = (graph.layer_top[-1] + graph.layer_height[-1] - origin[1]) if graph.layer_top else 0.0
    return Layout(
        nodes=graph.nodes,
        layer_top=graph.layer_top,
        layer_height=graph.layer_height,
        channel_top=graph.channel_top,
        routes=routes,
        width=width,
        height=height,
        region_left=graph.region_left(),
    )


# ----------------------------------------------------------------------------------------- the work


class _Graph:
    def __init__(self, nodes: Sequence[Node], links: Sequence[Link]) -> None:
        self.nodes: dict[str, Node] = {n.id: n for n in nodes}
        self.links = list(links)
        self.n_layers = max((n.layer for n in nodes), default=-1) + 1
        self.layers: list[list[str]] = [[] for _ in range(self.n_layers)]
        # segments between adjacent layers, as (upper node, lower node), for ordering and crossings
        self.up: dict[str, list[str]] = defaultdict(list)  # node -> neighbours in the layer above
        self.down: dict[str, list[str]] = defaultdict(list)  # node -> neighbours in the layer below
        self.same: dict[str, list[str]] = defaultdict(list)  # node -> neighbours in its own layer
        self.layer_top: list[float] = []
        self.layer_height: list[float] = []
        self.channel_top: list[float] = []
        self._split_long_links()
        for node in sorted(self.nodes.values(), key=lambda n: (n.region, n.key, n.id)):
            self.layers[node.layer].append(node.id)

    def _split_long_links(self) -> None:
        for link in self.links:
            s, t = self.nodes[link.source], self.nodes[link.target]
            step = 1 if t.layer > s.layer else -1
            chain = [s.id]
            region = max(s.region, t.region)
            for layer in range(s.layer + step, t.layer, step):
                dummy = Node(f"{link.id}#{layer}", 0.0, 0.0, layer, region, key=s.key, dummy=True)
                self.nodes[dummy.id] = dummy
                chain.append(dummy.id)
            chain.append(t.id)
            link.chain = chain
            for a, b in itertools.pairwise(chain):
                la, lb = self.nodes[a].layer, self.nodes[b].layer
                if la == lb:
                    self.same[a].append(b)
                    self.same[b].append(a)
                    continue
                upper, lower = (a, b) if la < lb else (b, a)
                self.down[upper].append(lower)
                self.up[lower].append(upper)

    # --------------------------------------------------------------------------- ordering

    def order(self) -> None:
        best = [list(layer) for layer in self.layers]
        best_cross = self.cost()
        for sweep in range(SWEEPS):
            downward = sweep % 2 == 0
            span = range(self.n_layers) if downward else range(self.n_layers - 1, -1, -1)
            for i in span:
                self._sort_by_barycentre(i, self.up if downward else self.down)
            cross = self.cost()
            if cross < best_cross:
                best, best_cross = [list(layer) for layer in self.layers], cross
        self.layers = best
        self._transpose()

    def _sort_by_barycentre(self, i: int, neighbours: dict[str, list[str]]) -> None:
        # Positions are fractions of a layer's length, so layers of different sizes compare.
        upward = neighbours is self.up
        other = (
            self.layers[i - 1]
            if upward and i > 0
            else self.layers[i + 1]
            if not upward and i + 1 < self.n_layers
            else []
        )
        pos = {n: (k + 0.5) / len(other) for k, n in enumerate(other)}
        layer = self.layers[i]
        current = {n: (k + 0.5) / len(layer) for k, n in enumerate(layer)}

        def bary(n: str) -> float:
            near = [pos[m] for m in neighbours.get(n, ()) if m in pos]
            # Boxes joined within the layer pull each other close, so their loop stays short.
            near += [current[m] for m in self.same.get(n, ()) if m in current]
            if not near:
                return current[n]
            return sum(near) / len(near)

        layer.sort(key=lambda n: (self.nodes[n].region, bary(n), current[n]))

    def cost(self) -> float:
        """What ordering minimises: crossings, plus a little for every box a same-layer loop spans."""
        spans = 0
        for layer in self.layers:
            pos = {n: k for k, n in enumerate(layer)}
            spans += sum(abs(pos[a] - pos[b]) - 1 for a in layer for b in self.same.get(a, ()) if a < b)
        return self.crossings() + 0.5 * spans

    def crossings(self) -> int:
        return sum(self._crossings_between(i) for i in range(self.n_layers - 1))

    def _crossings_between(self, i: int) -> int:
        pos_a = {n: k for k, n in enumerate(self.layers[i])}
        pos_b = {n: k for k, n in enumerate(self.layers[i + 1])}
        segments = [(pos_a[a], pos_b[b]) for a in self.layers[i] for b in self.down.get(a, ()) if b in pos_b]
        count = 0
        for (a1, b1), (a2, b2) in itertools.combinations(segments, 2):
            if (a1 - a2) * (b1 - b2) < 0:
                count += 1
        return count

    def _transpose(self) -> None:
        # Swap neighbours of the same region while that lowers the crossings; bounded passes.
        for _ in range(4):
            improved = False
            for i in range(self.n_layers):
                layer = self.layers[i]
                for k in range(len(layer) - 1):
                    if self.nodes[layer[k]].region != self.nodes[layer[k + 1]].region:
                        continue
                    before = self._local_cost(i)
                    layer[k], layer[k + 1] = layer[k + 1], layer[k]
                    if self._local_cost(i) < before:
                        improved = True
                    else:
                        layer[k], layer[k + 1] = layer[k + 1], layer[k]
            if not improved:
                break

    def _local_cost(self, i: int) -> float:
        total: float = 0
        if i > 0:
            total += self._crossings_between(i - 1)
        if i < self.n_layers - 1:
            total += self._crossings_between(i)
        pos = {n: k for k, n in enumerate(self.layers[i])}
        total += 0.5 * sum(abs(pos[a] - pos[b]) - 1 for a in self.layers[i] for b in self.same.get(a, ()) if a < b)
        return total

    # --------------------------------------------------------------------------- x placement

    def _gap(self, a: Node, b: Node) -> float:
        gap = DUMMY_GAP if (a.dummy or b.dummy) else NODE_GAP
        return (a.width + b.width) / 2 + gap

    def place_x(self) -> None:
        # Start packed left to right, each region on its own.
        for layer in self.layers:
            x = {0: 0.0, 1: 0.0}
            for n in layer:
                node = self.nodes[n]
                node.x = x[node.region] + node.width / 2
                x[node.region] += node.width + (DUMMY_GAP if node.dummy else NODE_GAP)
        self._pin_band()
        for p in range(PLACEMENT_PASSES):
            downward = p % 2 == 0
            span = range(self.n_layers) if downward else range(self.n_layers - 1, -1, -1)
            for i in span:
                self._place_layer(i)
            self._pin_band()

    def _place_layer(self, i: int) -> None:
        for region in (0, 1):
            ids = [n for n in self.layers[i] if self.nodes[n].region == region]
            if not ids:
                continue
            wanted: list[float | None] = []
            weights = []
            for n in ids:
                node = self.nodes[n]
                # Each layer step minimises the one objective, the sum over links of (x_u - x_v)^2,
                # given the other layers: so the target is the mean of all neighbours above and
                # below, weighed by their number. Steps that each lower one objective cannot walk
                # the chart sideways, as alternating "follow the parents, then the children" does.
                # Only neighbours in the same region count (the band is pinned beside the chain),
                # and links within the layer shape the order only.
                near = [m for m in (*self.up.get(n, ()), *self.down.get(n, ())) if self.nodes[m].region == region]
                wanted.append(sum(self.nodes[m].x for m in near) / len(near) if near else None)
                # Lines through dummies should run straight; weigh them more.
                weights.append(len(near) * (2.0 if node.dummy else 1.0) if near else 0.05)
            nodes = [self.nodes[n] for n in ids]
            gaps = [self._gap(a, b) for a, b in itertools.pairwise(nodes)]
            desired = _fill_gaps(wanted, [n.x for n in nodes], gaps)
            for node, x in zip(nodes, _isotonic_with_gaps(desired, weights, gaps), strict=True):
                node.x = x

    def _pin_band(self) -> None:
        # The side band starts a fixed gap right of the widest main row; the main chain starts at 0.
        main = [n for n in self.nodes.values() if n.region == 0]
        band = [n for n in self.nodes.values() if n.region == 1]
        if main:
            shift = -min(n.left for n in main)
            for n in main:
                n.x += shift
        if band:
            start = (max(n.right for n in main) + REGION_GAP) if main else 0.0
            shift = start - min(n.left for n in band)
            for n in band:
                n.x += shift

    def region_left(self) -> dict[int, float]:
        lefts: dict[int, float] = {}
        for n in self.nodes.values():
            lefts[n.region] = min(lefts.get(n.region, n.left), n.left)
        return lefts

    def shift_x(self, x0: float) -> None:
        lowest = min((n.left for n in self.nodes.values()), default=0.0)
        for n in self.nodes.values():
            n.x += x0 - lowest

    # --------------------------------------------------------------------------- y placement

    def _loops(self) -> dict[int, list[Link]]:
        loops: dict[int, list[Link]] = defaultdict(list)
        for link in self.links:
            if len(link.chain) == 2 and self.nodes[link.source].layer == self.nodes[link.target].layer:
                loops[self.nodes[link.source].layer].append(link)
        return loops

    def place_y(self, y0: float) -> None:
        loops = self._loops()
        y = y0
        for i in range(self.n_layers):
            height = max([self.nodes[n].height for n in self.layers[i]] + [MIN_LAYER_HEIGHT])
            channel = CHANNEL + LOOP_STEP * min(len(loops.get(i, [])), 6)
            self.channel_top.append(y)
            y += channel
            self.layer_top.append(y)
            self.layer_height.append(height)
            for n in self.layers[i]:
                node = self.nodes[n]
                node.y = y + (height - node.height) / 2
            y += height

    # --------------------------------------------------------------------------- routing

    def route(self) -> dict[str, Route]:
        ports = self._ports()
        loop_height = self._loop_heights()
        routes: dict[str, Route] = {}
        for link in self.links:
            passages = self._passages(link, ports)
            routes[link.id] = _path(passages, loop_height.get(link.id))
        return routes

    def _loop_heights(self) -> dict[str, float]:
        heights: dict[str, float] = {}
        for layer, links in self._loops().items():
            room = self.layer_top[layer] - self.channel_top[layer]
            spans = sorted(links, key=lambda lk: (abs(self.nodes[lk.source].x - self.nodes[lk.target].x), lk.id))
            for k, link in enumerate(spans):
                # Wider loops fly higher so nested loops do not sit on each other.
                heights[link.id] = min(18.0 + LOOP_STEP * k, room * 1.2)
        return heights

    def _ports(self) -> dict[tuple[str, str, str], float]:
        """x of each link's attachment: key (link id, node id, 'top'|'bottom')."""
        sides: dict[tuple[str, str], list[tuple[float, int, str]]] = defaultdict(list)
        for rank, link in enumerate(self.links):
            for a, b in itertools.pairwise(link.chain):
                na, nb = self.nodes[a], self.nodes[b]
                if na.layer == nb.layer:
                    side_a = side_b = "top"
                elif na.layer < nb.layer:
                    side_a, side_b = "bottom", "top"
                else:
                    side_a, side_b = "top", "bottom"
                if not na.dummy:
                    sides[(a, side_a)].append((nb.x, rank, link.id))
                if not nb.dummy:
                    sides[(b, side_b)].append((na.x, rank, link.id))
        ports: dict[tuple[str, str, str], float] = {}
        for (node_id, side), entries in sides.items():
            node = self.nodes[node_id]
            entries.sort()
            usable = node.width * 0.8
            for k, (_, _, link_id) in enumerate(entries):
                offset = usable * ((k + 1) / (len(entries) + 1) - 0.5)
                ports[(link_id, node_id, side)] = node.x + offset
        return ports

    def _passages(self, link: Link, ports: dict[tuple[str, str, str], float]) -> list[tuple[float, float, float]]:
        """Vertical runs (x, y from, y to) in travel order; curves join consecutive runs."""
        passages: list[tuple[float, float, float]] = []
        chain = [self.nodes[n] for n in link.chain]
        for k, node in enumerate(chain):
            prev = chain[k - 1] if k > 0 else None
            nxt = chain[k + 1] if k + 1 < len(chain) else None
            top, bottom = self.layer_top[node.layer], self.layer_top[node.layer] + self.layer_height[node.layer]
            if node.dummy:
                assert prev is not None
                going_down = prev.layer < node.layer
                passages.append((node.x, top, bottom) if going_down else (node.x, bottom, top))
                continue
            if nxt is not None:  # leaving the source
                side = "top" if nxt.layer <= node.layer else "bottom"
                x = ports[(link.id, node.id, side)]
                passages.append((x, node.y, top) if side == "top" else (x, node.bottom, bottom))
            if prev is not None:  # arriving at the target
                side = "bottom" if prev.layer > node.layer else "top"
                x = ports[(link.id, node.id, side)]
                passages.append((x, top, node.y) if side == "top" else (x, bottom, node.bottom))
        return passages


def _fill_gaps(wanted: Sequence[float | None], current: Sequence[float], gaps: Sequence[float]) -> list[float]:
    """A box with nothing to pull it wants to sit just beside its nearest wanted neighbour, where
    packing would put it: exactly the gaps away, so it never pushes that neighbour aside (a push
    every pass would walk the whole chart sideways).

    >>> _fill_gaps([None, 100.0, None], [0, 0, 0], [30, 20])
    [70.0, 100.0, 120.0]
    """
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    known = [i for i, w in enumerate(wanted) if w is not None]
    if not known:
        return list(current)
    out: list[float] = []
    for i, w in enumerate(wanted):
        if w is not None:
            out.append(w)
        else:
            k = min(known, key=lambda j: (abs(j - i), j))
            out.append(float(wanted[k]) + offsets[i] - offsets[k])  # type: ignore[arg-type]
    return out


def _isotonic_with_gaps(desired: Sequence[float], weights: Sequence[float], gaps: Sequence[float]) -> list[float]:
    """Closest positions (weighted least squares) to ``desired`` with x[i+1] - x[i] >= gaps[i].

    Substituting y[i] = x[i] - offset[i] turns the gaps into y[i+1] >= y[i]: an isotonic
    regression, solved exactly by pooling adjacent violators.

    >>> _isotonic_with_gaps([0, 0, 0], [1, 1, 1], [10, 10])
    [-10.0, 0.0, 10.0]
    """
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    targets = [d - o for d, o in zip(desired, offsets, strict=True)]
    blocks: list[list[float]] = []  # [weighted mean, weight, count]
    for t, w in zip(targets, weights, strict=True):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    ys: list[float] = []
    for mean, _, count in blocks:
        ys.extend([mean] * int(count))
    return [y + o for y, o in zip(ys, offsets, strict=True)]


def _path(passages: Iterable[tuple[float, float, float]], loop: float | None) -> Route:
    runs = list(passages)
    x0, y0, y1 = runs[0]
    parts = [f"M{_n(x0)},{_n(y0)}"]
    if abs(y1 - y0) >= 0.5:
        parts.append(f"V{_n(y1)}")
    mid: tuple[float, float] | None = None
    for (xa, _, ya), (xb, yb, yc) in itertools.pairwise(runs):
        if loop is not None and abs(ya - yb) < 0.5:
            peak = ya - loop
            parts.append(f"C{_n(xa)},{_n(peak)} {_n(xb)},{_n(peak)} {_n(xb)},{_n(yb)}")
            here = ((xa + xb) / 2, ya - 0.75 * loop)
        else:
            ym = (ya + yb) / 2
            parts.append(f"C{_n(xa)},{_n(ym)} {_n(xb)},{_n(ym)} {_n(xb)},{_n(yb)}")
            here = ((xa + xb) / 2, ym)
        if mid is None:
            mid = here
        if abs(yc - yb) >= 0.5:
            parts.append(f"V{_n(yc)}")
    return Route(" ".join(parts), mid or (x0, (y0 + y1) / 2))
