"""GEXF 1.3 export: valid against the GEXF 1.3 XSD, opened by Gephi with its timeline.

- A dynamic graph with integer years (``timeformat="integer"``, intervals). Every node and edge
  has a spell: its possible years (``app.export.records.life_range`` / ``edge_range``), written
  inclusive as GEXF spells are (``end`` is the last year held). A side the data leaves open runs to
  the horizon every answer of the API shares (``app.parse.YEAR_MIN`` / ``YEAR_MAX``, 1900 and
  2100: the years a snapshot may be asked for), so NATO, possible after its last attested year,
  is in Gephi's 2015 as in the API's; the graph's ``start`` / ``end`` (``timeline_bounds``) span
  every spell, so Gephi's timeline reaches those years and its year filter equals the default
  snapshot of any year the API answers. The meta description states the horizon. The stated years
  are the attributes ``certain_start`` / ``certain_end`` (the JSON export's convention: ``end`` is
  the first year no longer held).
- Parallel edges stay apart: Gephi merges edges with the same source, target and ``kind`` (its edge
  type), so each edge between the same two organs gets a distinct ``kind`` (``parallel_kinds``).
- Colours and sizes are the Neo4j Browser style's (``graph_schema.generate``): node colour by
  nature, diameter by level; edge colour and thickness by kind.
- Attribute ids are the field names (``nature``, ``not_before``, ...).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app import deadline
from app.export.records import (
    Column,
    YearRange,
    columns,
    edge_range,
    edge_records,
    flat_value,
    graph_data,
    life_range,
    organ_records,
)
from app.parse import YEAR_MAX, YEAR_MIN
from app.snapshot_view import Snapshot
from graph_schema.generate import EDGE_STROKES, LEVEL_DIAMETER_PX, NATURE_PALETTE
from graph_schema.models import Edge
from graph_schema.vocabulary import EdgeKind, Level, Nature

NS = "http://gexf.net/1.3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://gexf.net/1.3/gexf.xsd"
GEXF_TYPES = {"boolean": "boolean", "long": "long", "string": "string"}


def _tag(name: str) -> str:
    # Plain names: the root declares NS as the default namespace itself (ElementTree's
    # default_namespace option refuses unqualified attributes).
    return name


def parallel_kinds(edges: Sequence[Edge]) -> dict[str, str]:
    """Edge id -> its GEXF ``kind``, distinct among the edges joining the same two organs.

    The shortest of ``kind``, ``kind:mode``, ``kind:mode@condition`` and
    ``kind:mode@condition:from`` that tells apart every edge of a (source, target) pair, the edge
    id itself as a last resort.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> edges = default_store().edges().values()
    >>> sorted(parallel_kinds([e for e in edges if (e.source, e.target) == ("nato.mc", "nato.nac")]).values())
    ['advice', 'support']
    """
    labels: list[Callable[[Edge], str]] = [
        lambda e: e.kind.value,
        lambda e: f"{e.kind.value}:{e.mode.value}",
        lambda e: f"{e.kind.value}:{e.mode.value}@{e.condition.value}",
        lambda e: f"{e.kind.value}:{e.mode.value}@{e.condition.value}:{e.from_ if e.from_ is not None else '-'}",
        lambda e: e.id or "",
    ]
    pairs: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in edges:
        pairs[edge.source, edge.target].append(edge)
    out: dict[str, str] = {}
    for group in pairs.values():
        for label in labels:
            names = [label(e) for e in group]
            if len(set(names)) == len(names):
                break
        out.update((e.id or "", name) for e, name in zip(group, names, strict=True))
    return out


def spell(years: YearRange) -> tuple[int, int]:
    """The inclusive GEXF spell of ``years``: an open side runs to the API's horizon.

    Examples
    --------
    >>> spell(YearRange(1949, None, 1949, 2010)), spell(YearRange(None, 1978, None, None))
    ((1949, 2100), (1900, 1977))
    """
    first = years.start if years.start is not None else YEAR_MIN
    last = years.end - 1 if years.end is not None else YEAR_MAX
    return first, last


def timeline_bounds(ranges: Sequence[YearRange]) -> tuple[int, int] | None:
    """The years the timeline spans: the first and last year of any spell (the horizon when one
    is open on that side); None when there is nothing to draw."""
    spells = [spell(r) for r in ranges]
    if not spells:
        return None
    return min(first for first, _ in spells), max(last for _, last in spells)


def _rgb(hex_colour: str) -> dict[str, str]:
    value = hex_colour.lstrip("#")
    return {"r": str(int(value[0:2], 16)), "g": str(int(value[2:4], 16)), "b": str(int(value[4:6], 16))}


def _attributes(parent: ET.Element, domain: str, cols: Sequence[Column]) -> None:
    block = ET.SubElement(parent, _tag("attributes"), {"class": domain, "mode": "static"})
    for col in cols:
        ET.SubElement(block, _tag("attribute"), id=col.name, title=col.name, type=GEXF_TYPES[col.type])


def _attvalues(parent: ET.Element, cols: Sequence[Column], record: Mapping[str, Any]) -> None:
    block = ET.SubElement(parent, _tag("attvalues"))
    for col in cols:
        text = flat_value(record.get(col.name), col)
        if text is not None:
            ET.SubElement(block, _tag("attvalue"), {"for": col.name, "value": text})


def _spell(parent: ET.Element, years: YearRange) -> None:
    first, last = spell(years)
    spells = ET.SubElement(parent, _tag("spells"))
    ET.SubElement(spells, _tag("spell"), start=str(first), end=str(last))


def _with_certain(record: dict[str, Any], years: YearRange) -> dict[str, Any]:
    return {**record, "certain_start": years.certain_start, "certain_end": years.certain_end}


def gexf(snap: Snapshot) -> str:
    """The snapshot as a GEXF 1.3 document with a timeline."""
    organs = {o.id: o for o in snap.organs()}
    edges = {e.id or "": e for e in snap.edges()}
    organ_rows = organ_records(snap)
    edge_rows = edge_records(snap)
    lives = {row["id"]: life_range(snap, organs[row["id"]]) for row in organ_rows}
    spans = {row["id"]: edge_range(snap, edges[row["id"]]) for row in edge_rows}
    organ_rows = [_with_certain(row, lives[row["id"]]) for row in organ_rows]
    edge_rows = [_with_certain(row, spans[row["id"]]) for row in edge_rows]
    for row in (*organ_rows, *edge_rows):
        row["quote"] = row["sources"][0]["quote"] if row.get("sources") else None
    bounds = timeline_bounds([*lives.values(), *spans.values()])
    kinds = parallel_kinds(list(edges.values()))
    node_cols = columns(organ_rows, skip=["id"])
    edge_cols = columns(edge_rows, skip=["id", "source", "target"])

    root = ET.Element(
        _tag("gexf"), {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA_LOCATION, "version": "1.3"}
    )
    meta = ET.SubElement(root, _tag("meta"))
    ET.SubElement(meta, _tag("creator")).text = "alliance explorer (Finnegan 2009)"
    params = graph_data(snap)
    named = ", ".join(f"{k}={v}" for k, v in params.items() if v not in (None, [], False))
    ET.SubElement(meta, _tag("description")).text = (
        f"snapshot: {named or 'all alliances, all years'}; spells are the possible years, an open start or "
        f"end drawn to {YEAR_MIN} or {YEAR_MAX} (the years the API answers for); the stated years are "
        "certain_start and certain_end"
    )
    graph_attrs = {"defaultedgetype": "directed", "idtype": "string"}
    if bounds is not None:
        graph_attrs |= {
            "mode": "dynamic",
            "timeformat": "integer",
            "timerepresentation": "interval",
            "start": str(bounds[0]),
            "end": str(bounds[1]),
        }
    else:
        graph_attrs["mode"] = "static"
    graph = ET.SubElement(root, _tag("graph"), graph_attrs)
    _attributes(graph, "node", node_cols)
    _attributes(graph, "edge", edge_cols)

    nodes = ET.SubElement(graph, _tag("nodes"), count=str(len(organ_rows)))
    for row in deadline.checked(organ_rows, 512):
        node = ET.SubElement(nodes, _tag("node"), id=row["id"], label=row.get("acronym") or row["name"])
        _attvalues(node, node_cols, row)
        _spell(node, lives[row["id"]])
        ET.SubElement(node, _tag("color"), _rgb(NATURE_PALETTE[Nature(row["nature"])].fill))
        ET.SubElement(node, _tag("size"), value=str(LEVEL_DIAMETER_PX[Level(row["level"])]))

    links = ET.SubElement(graph, _tag("edges"), count=str(len(edge_rows)))
    for row in deadline.checked(edge_rows, 512):
        stroke = EDGE_STROKES[EdgeKind(row["kind"])]
        element = ET.SubElement(
            links,
            _tag("edge"),
            id=row["id"],
            source=row["source"],
            target=row["target"],
            kind=kinds[row["id"]],
            label=f"{row['kind']}:{row['mode']}",
        )
        _attvalues(element, edge_cols, row)
        _spell(element, spans[row["id"]])
        ET.SubElement(element, _tag("color"), _rgb(stroke.colour))
        ET.SubElement(element, _tag("thickness"), value=str(stroke.width_px))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
