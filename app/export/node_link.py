"""JSON export: a node-link document, the shape ``networkx.node_link_graph(d)`` loads as it is.

``directed`` and ``multigraph`` are true; ``graph`` holds the snapshot parameters; ``nodes`` are
the organs and ``edges`` the edges, as every other answer writes them (``id``, ``source``,
``target`` and the rest), each edge with its id again as ``key`` (the multigraph key).
"""

from __future__ import annotations

from typing import Any

from app.export.records import edge_records, graph_data, organ_records
from app.snapshot_view import Snapshot


def node_link(snap: Snapshot) -> dict[str, Any]:
    """The snapshot as a node-link document.

    Examples
    --------
    >>> import networkx as nx
    >>> from app.api.deps import default_store
    >>> from app.snapshot import SnapshotParams
    >>> g = nx.node_link_graph(node_link(default_store().snapshot(SnapshotParams(alliance="us-rok"))))
    >>> g.is_directed(), g.is_multigraph(), g.graph["alliance"], g.nodes["us-rok.cfc"]["acronym"]
    (True, True, 'us-rok', 'CFC')
    """
    edges = [{**e, "key": e["id"]} for e in edge_records(snap)]
    return {
        "directed": True,
        "multigraph": True,
        "graph": graph_data(snap),
        "nodes": organ_records(snap),
        "edges": edges,
    }
