"""``export``: a snapshot as JSON, GraphML, GEXF (with time spells), Cypher or CSV.

Each format is one module of ``app.export`` (see there for what each client reads); this is the
question the API and the CLI call.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from app.errors import BadParameter
from app.export.cypher import cypher
from app.export.gexf import gexf
from app.export.graphml import graphml
from app.export.node_link import node_link
from app.export.table import table
from app.parse import YEAR_MAX, YEAR_MIN
from app.snapshot_view import Snapshot

FORMATS = {
    "json": "application/json",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "cypher": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


# What each format holds, for the OpenAPI description of /export and its twins (and the docs).
FORMAT_NOTES = {
    "json": "a node-link document (networkx.node_link_graph loads it): every field of every organ and edge",
    "graphml": "GraphML 1.0: every field as a typed attribute (lists and objects as JSON text)",
    "gexf": (
        "GEXF 1.3 for Gephi's timeline: each spell is the organ's or edge's possible years, an open start or "
        f"end drawn to {YEAR_MIN} or {YEAR_MAX} (the years this API answers for), so Gephi's year filter "
        "equals the snapshot of that year; the stated years are the certain_start and certain_end attributes"
    ),
    "cypher": (
        "the Cypher that builds, in an empty Neo4j, the graph `alliances load` builds (cypher-shell -f); "
        "it counts plans unless include_planned=false, as the loader does, so the whole export is the "
        "loaded graph, with its data version (the ETag) in (:Meta {id: 'load'}).checksum"
    ),
    "csv": (
        "one table, one row per organ (element=organ) and per edge (element=edge), with every field of the "
        "JSON export: existence and status with the rule, text, quote and line behind each, the possible and "
        "certain years, the first quote and its line, every quote in sources; lists and objects as JSON text, "
        "a null as an empty cell; fields to come (such as claims and agreement) become further columns"
    ),
}
# Plans are data to the loader (status planned, applied when a question counts them), so the export
# that rebuilds the loaded graph counts them unless asked not to; every other format is a snapshot
# as the questions see it, plans left out unless asked for.
PLANS_BY_DEFAULT = frozenset({"cypher"})


def counts_plans(fmt: str, include_planned: bool | None) -> bool:
    """Whether an export in ``fmt`` counts plans: as asked, else only the Cypher export.

    >>> counts_plans("cypher", None), counts_plans("cypher", False), counts_plans("csv", None)
    (True, False, False)
    """
    return fmt in PLANS_BY_DEFAULT if include_planned is None else include_planned


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
    return table(snap), FORMATS[fmt]
