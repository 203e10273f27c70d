"""Organisation charts of a year-snapshot as SVG, drawn in pure Python (no graphviz, no binary).

The entry points, kept here for the API, the CLI and the figures; the drawing lives in
``app/chart/``: ``draw`` (the whole chart), ``rows`` (layers, level bands, side band), ``boxes``
(organs), ``marks`` (certainty and scenario marks), ``edges`` (edges and their tags), ``header``
(title, caption, description), ``legend``, ``highlight`` (what to highlight) and
``highlight_marks`` (drawing it), over ``style``, ``layout``, ``svg`` and ``text``.

A highlight draws a path over the chart (a ``paths`` result, a linkage witness, or any list of
organ ids); when a linkage fails it draws the break instead: how far the civilian side reaches,
the commanders it does not reach, and the gap between them.

Examples
--------
>>> from app.api.deps import default_store
>>> from app.snapshot import SnapshotParams
>>> snap = default_store().snapshot(SnapshotParams(alliance="us-rok", as_of=1985))
>>> svg = diagram_svg(snap, highlight=["us-rok.scm", "us-rok.mcm", "us-rok.commander-cfc"])
>>> svg.startswith("<svg") and 'data-id="us-rok.cfc"' in svg and 'class="highlight-hop"' in svg
True
"""

from __future__ import annotations

from app.chart.draw import diagram_svg
from app.chart.highlight import Highlight, highlight_ids, resolve_highlight
from app.chart.rows import CHAIN_LEVELS
from app.chart.style import EDGE_STYLES, GAP_COLOUR, TEXT

__all__ = [
    "CHAIN_LEVELS",
    "EDGE_STYLES",
    "GAP_COLOUR",
    "TEXT",
    "Highlight",
    "diagram_svg",
    "highlight_ids",
    "resolve_highlight",
]
