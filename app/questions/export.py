"""``export``: a snapshot as JSON, GraphML, GEXF (with time spells), Cypher or CSV.

Each format is one module of ``app.export`` (see there for what each client reads); this is the
question the API and the CLI call.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app import deadline
from app.errors import BadParameter
from app.export.cypher import cypher
from app.export.gexf import gexf
from app.export.graphml import graphml
from app.export.node_link import node_link
from app.questions.common import edge_data
from app.snapshot_view import Snapshot

FORMATS = {
    "json": "application/json",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "cypher": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}

EDGE_COLUMNS = ("id", "source", "target", "kind", "mode", "condition", "from", "to", "not_before", "status", "quote")


def rows_to_csv(rows: list[dict[str, Any]], columns: list[str] | tuple[str, ...] | None = None) -> str:
    """Rows as CSV text (header first); lists are joined with '; '."""
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v) for k, v in row.items()}
        )
    return out.getvalue()


def export(snap: Snapshot, fmt: str = "json") -> tuple[str, str]:
    """The snapshot in ``fmt``; returns (content, media type).

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> from app.snapshot import SnapshotParams
    >>> text, media = export(default_store().snapshot(SnapshotParams(alliance="us-rok")), "gexf")
    >>> 'mode="dynamic"' in text, media
    (True, 'application/xml')
    """
    if fmt not in FORMATS:
        raise BadParameter("format", f"unknown export format {fmt!r}; allowed: {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(node_link(snap), indent=2, ensure_ascii=False) + "\n", FORMATS[fmt]
    if fmt == "graphml":
        return graphml(snap), FORMATS[fmt]
    if fmt == "gexf":
        return gexf(snap), FORMATS[fmt]
    if fmt == "cypher":
        return cypher(snap), FORMATS[fmt]
    rows = []
    for e in deadline.checked(sorted(snap.edges(), key=lambda e: e.id or ""), 512):
        d = edge_data(e)
        d["quote"] = e.first_quote  # None for what an analyst's scenario adds without a quote
        rows.append(d)
    return rows_to_csv(rows, EDGE_COLUMNS), FORMATS[fmt]
