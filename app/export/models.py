"""The JSON export's answer models (``GET /export``): the node-link payload as the OpenAPI schema declares it."""

from __future__ import annotations

from app.schemas import EdgeOut, Open, OrganOut
from graph_schema.vocabulary import Existence

__all__ = ["ExportEdge", "ExportOrgan", "ExportSnapshot", "ExportYears", "GraphExport"]


class ExportYears(Open):
    """The years an exported organ or edge may (``possible_*``) and surely (``certain_*``) exist; null: open or none."""

    possible_start: int | None = None
    possible_end: int | None = None
    certain_start: int | None = None
    certain_end: int | None = None


class ExportOrgan(OrganOut, ExportYears):
    """An organ of the JSON export (a node): every property, judged in the snapshot's year."""


class ExportEdge(EdgeOut, ExportYears):
    """An edge of the JSON export: every property, and ``key`` (its id; parallel edges stay apart)."""

    key: str | None = None


class ExportSnapshot(Open):
    """The snapshot an export holds (the export's ``graph``: also its condition, plans, exclude)."""

    alliance: str | None = None
    as_of: int | None = None
    existence: Existence = Existence.POSSIBLE


class GraphExport(Open):
    """The JSON export of a snapshot, as ``networkx.node_link_graph(data, edges="edges")`` reads it:
    its organs as ``nodes`` and its edges, every property."""

    directed: bool
    multigraph: bool
    graph: ExportSnapshot
    nodes: list[ExportOrgan]
    edges: list[ExportEdge]
