"""GET /edge-kinds: the table of edge kinds, as the explorer page and scripts read it.

The page builds its kind checkboxes from this answer, so a kind added to the table
(``graph_schema/edge_kinds.py``) reaches the page with no edit to it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app import schemas
from app.api.params import TableFormat
from app.api.render import respond, table_route
from graph_schema.edge_kinds import kind_table

router = APIRouter(tags=["vocabulary"])


@table_route(
    router,
    "/edge-kinds",
    response_model=list[schemas.EdgeKindOut],
    summary="The edge kinds: direction, meaning, and how the chart and the Neo4j Browser draw each",
)
def list_edge_kinds(format: TableFormat = schemas.TableFormat.JSON) -> Any:
    return respond(kind_table(), format)
