"""GET /alliances/{id}/diagram.svg: an alliance's organisation chart in a year, as SVG."""

from __future__ import annotations

from typing import Annotated

from annotated_types import MaxLen
from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BeforeValidator

from app.api.deps import StoreDep
from app.api.params import snapshot_query
from app.api.render import ERRORS, media_response
from app.diagram import diagram_svg, resolve_highlight
from app.parse import at_most, parse_enum_list, parse_highlight, parse_kinds, split_commas
from app.query import SnapshotQuery
from app.snapshot import ALL_KINDS
from graph_schema.vocabulary import EdgeKind, Level, Nature

router = APIRouter(tags=["diagrams"])

HighlightParam = Annotated[
    str | None,
    Query(
        max_length=2000,
        description=(
            "'linkage' (the civil-military linkage by the drawn kinds: witness, or the break), "
            "'path:SOURCE,TARGET' (the shortest path), or a comma list of organ ids forming a path."
        ),
    ),
]


@router.get(
    "/alliances/{alliance_id}/diagram.svg",
    summary="The organisation chart of an alliance in a year, as SVG (highlight a path or the linkage)",
    response_class=media_response("image/svg+xml"),
    responses={
        200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "The chart, as SVG"},
        **ERRORS,
    },
)
def get_diagram(
    store: StoreDep,
    query: Annotated[SnapshotQuery, snapshot_query("path")],
    kinds: Annotated[
        Annotated[list[EdgeKind], MaxLen(20)] | None,
        BeforeValidator(split_commas),
        BeforeValidator(at_most(20)),
        Query(description="Edge kinds drawn (repeat the parameter, or a comma list); default all."),
    ] = None,
    highlight: HighlightParam = None,
    levels: Annotated[
        Annotated[list[Level], MaxLen(20)] | None,
        BeforeValidator(split_commas),
        BeforeValidator(at_most(20)),
        Query(description="Levels drawn (repeat the parameter, or a comma list); default all."),
    ] = None,
    natures: Annotated[
        Annotated[list[Nature], MaxLen(20)] | None,
        BeforeValidator(split_commas),
        BeforeValidator(at_most(20)),
        Query(description="Natures drawn (repeat the parameter, or a comma list); default all."),
    ] = None,
    connected_only: Annotated[bool, Query(description="Leave out organs no drawn edge touches.")] = False,
    highlight_kinds: Annotated[
        Annotated[list[EdgeKind], MaxLen(20)] | None,
        BeforeValidator(split_commas),
        BeforeValidator(at_most(20)),
        Query(description="Edge kinds the highlight's question walks; default: the kinds drawn."),
    ] = None,
) -> Response:
    store.alliance(str(query.alliance))
    highlight = parse_highlight(highlight, store, query.scenario)
    snap = query.snapshot(store)
    drawn = parse_kinds(kinds, default=ALL_KINDS)
    svg = diagram_svg(
        snap,
        drawn,
        resolve_highlight(snap, highlight, parse_kinds(highlight_kinds, default=drawn, parameter="highlight_kinds")),
        levels=parse_enum_list(levels, Level, "levels"),
        natures=parse_enum_list(natures, Nature, "natures"),
        connected_only=connected_only,
    )
    return Response(svg, media_type="image/svg+xml")
