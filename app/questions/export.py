"""``export``: a snapshot as JSON, GraphML, GEXF (with time spells), Cypher or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx

from app.errors import BadParameter
from app.questions.common import edge_data, organ_data, params_data
from app.snapshot import Snapshot, possible_range, treaty_floor
from graph_schema.generate import NATURE_LABELS, REL_TYPES

FORMATS = {
    "json": "application/json",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "cypher": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}

EDGE_COLUMNS = ("id", "source", "target", "kind", "mode", "condition", "from", "to", "not_before", "status", "quote")


def _flat_graph(snap: Snapshot, spells: bool) -> nx.MultiDiGraph:
    """Scalar attributes only (GraphML and GEXF take no lists); with ``spells``, each organ and edge
    carries ``start``/``end`` years (end = last year alive) so Gephi's timeline plays the history."""
    g = nx.MultiDiGraph(name=f"alliance explorer: {snap.params.alliance or 'all alliances'}")
    if spells:
        g.graph["mode"] = "dynamic"
    for organ in snap.organs():
        judged = snap.judgement(organ.id)
        attrs: dict[str, Any] = {
            "label": organ.acronym or organ.name,
            "name": organ.name,
            "acronym": organ.acronym or "",
            "type": organ.type.value,
            "alliance": organ.alliance or "",
            "nation": organ.nation or "",
            "nature": organ.nature.value,
            "level": organ.level.value,
            "status": judged.status.value,
            "existence": judged.existence.value if judged.existence else "",
            "quote": organ.first_quote,
        }
        if spells:
            first, stop = possible_range(organ.life, treaty_floor(organ.alliance, snap.alliances))
            if first is not None:
                attrs["start"] = first
            if stop is not None:
                attrs["end"] = stop - 1
        g.add_node(organ.id, **attrs)
    for edge in snap.edges():
        e_attrs: dict[str, Any] = {
            "id": edge.id,
            "kind": edge.kind.value,
            "mode": edge.mode.value,
            "condition": edge.condition.value,
            "status": edge.status.value,
            "quote": edge.first_quote,
            "label": f"{edge.kind.value}:{edge.mode.value}",
        }
        if spells:
            first, stop = possible_range(edge.life, None)
            if first is not None:
                e_attrs["start"] = first
            if stop is not None:
                e_attrs["end"] = stop - 1
        else:
            e_attrs.update({"from": edge.from_ if edge.from_ is not None else "", "to": edge.to or ""})
        g.add_edge(edge.source, edge.target, key=edge.id, **e_attrs)
    return g


def _cypher(snap: Snapshot) -> str:
    # Output for a person to paste into Neo4j Browser; values are JSON-quoted literals, never
    # executed by the explorer itself.
    lines = ["// Alliance explorer export: " + json.dumps(params_data(snap.params))]
    for organ in sorted(snap.organs(), key=lambda o: o.id):
        label = NATURE_LABELS[organ.nature]
        props: dict[str, Any] = {
            "id": organ.id,
            "name": organ.name,
            "acronym": organ.acronym,
            "type": organ.type.value,
            "alliance": organ.alliance,
            "nation": organ.nation,
            "nature": organ.nature.value,
            "level": organ.level.value,
            "status": organ.status.value,
        }
        body = ", ".join(f"{k}: {json.dumps(v)}" for k, v in props.items() if v is not None)
        lines.append(f"MERGE (o:Organ:{label} {{id: {json.dumps(organ.id)}}}) SET o += {{{body}}};")
    for edge in sorted(snap.edges(), key=lambda e: e.id or ""):
        props = {
            "id": edge.id,
            "mode": edge.mode.value,
            "condition": edge.condition.value,
            "from": edge.from_,
            "to": edge.to,
            "status": edge.status.value,
            "quote": edge.first_quote,
        }
        body = ", ".join(f"`{k}`: {json.dumps(v)}" for k, v in props.items() if v is not None)
        lines.append(
            f"MATCH (a:Organ {{id: {json.dumps(edge.source)}}}), (b:Organ {{id: {json.dumps(edge.target)}}}) "
            f"MERGE (a)-[r:{REL_TYPES[edge.kind]} {{id: {json.dumps(edge.id)}}}]->(b) SET r += {{{body}}};"
        )
    return "\n".join(lines) + "\n"


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
        data = {
            **params_data(snap.params),
            "organs": [organ_data(o, snap) for o in sorted(snap.organs(), key=lambda o: o.id)],
            "edges": [edge_data(e) for e in sorted(snap.edges(), key=lambda e: e.id or "")],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n", FORMATS[fmt]
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat_graph(snap, spells=False))) + "\n", FORMATS[fmt]
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(_flat_graph(snap, spells=True))) + "\n", FORMATS[fmt]
    if fmt == "cypher":
        return _cypher(snap), FORMATS[fmt]
    rows = []
    for e in sorted(snap.edges(), key=lambda e: e.id or ""):
        d = edge_data(e)
        d["quote"] = e.first_quote
        rows.append(d)
    return rows_to_csv(rows, EDGE_COLUMNS), FORMATS[fmt]
