"""GraphML 1.0 export: valid against the GraphML XSD, read whole by networkx, python-igraph,
rustworkx and JGraphT's validating importer.

- One ``<key>`` per attribute and domain (``for="graph|node|edge"``, ids ``graph.<name>``,
  ``node.<name>``, ``edge.<name>``), each with one ``attr.type`` for all its values
  (``app.export.records.columns``); a null is no ``<data>`` at all; booleans are ``true``/``false``;
  lists and objects are their JSON text.
- Node ids are organ ids (valid NMTOKENs). An edge's own id (``a>authority:opcon>b@armistice:1978``)
  is not an NMTOKEN, so it is the edge's ``id`` attribute and the ``<edge>`` element has no id
  (GraphML makes it optional): a stand-in element id would shadow the real one in the readers
  that copy element ids into the same attribute (rustworkx overwrites ``id`` with it).
- Node and edge attributes are exactly the JSON export's fields (the node id being the element's
  id, and ``source``/``target`` the edge's ends); the graph's are the snapshot parameters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from app import deadline
from app.export.records import Column, columns, edge_records, flat_value, graph_data, organ_records
from app.snapshot_view import Snapshot

NS = "http://graphml.graphdrawing.org/xmlns"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"


def _tag(name: str) -> str:
    # Plain names: the root declares NS as the default namespace itself (ElementTree's
    # default_namespace option refuses unqualified attributes).
    return name


def _data(parent: ET.Element, domain: str, cols: Sequence[Column], record: Mapping[str, Any]) -> None:
    for col in cols:
        text = flat_value(record.get(col.name), col)
        if text is not None:
            ET.SubElement(parent, _tag("data"), key=f"{domain}.{col.name}").text = text


def graphml(snap: Snapshot) -> str:
    """The snapshot as a GraphML document."""
    organs = organ_records(snap)
    edges = edge_records(snap)
    params = graph_data(snap)
    graph_cols = columns([params])
    node_cols = columns(organs, skip=["id"])
    edge_cols = columns(edges, skip=["source", "target"])

    root = ET.Element(_tag("graphml"), {"xmlns": NS, "xmlns:xsi": XSI, "xsi:schemaLocation": SCHEMA_LOCATION})
    for domain, cols in (("graph", graph_cols), ("node", node_cols), ("edge", edge_cols)):
        for col in cols:
            ET.SubElement(
                root,
                _tag("key"),
                {"id": f"{domain}.{col.name}", "for": domain, "attr.name": col.name, "attr.type": col.type},
            )
    graph = ET.SubElement(root, _tag("graph"), id="G", edgedefault="directed")
    _data(graph, "graph", graph_cols, params)
    for organ in deadline.checked(organs, 512):
        node = ET.SubElement(graph, _tag("node"), id=organ["id"])
        _data(node, "node", node_cols, organ)
    for edge in deadline.checked(edges, 512):
        element = ET.SubElement(graph, _tag("edge"), source=edge["source"], target=edge["target"])
        _data(element, "edge", edge_cols, edge)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
