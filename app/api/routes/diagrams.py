"""GET /alliances/{id}/diagram.svg: an alliance's organisation chart in a year, as SVG."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import StoreDep
from app.api.params import (
    AsOf,
    ConditionParam,
    DrawnKindsParam,
    ExcludeParam,
    HighlightKindsParam,
    IncludePlanned,
    LevelsParam,
    NaturesParam,
    PathId,
    parse_enum_list,
    parse_kinds,
    snapshot_for,
)
from app.api.render import ERRORS
from app.diagram import diagram_svg, highlight_ids, resolve_highlight
from app.snapshot import ALL_KINDS
from graph_schema.vocabulary import Level, Nature

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
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "The chart, as SVG"},
        **ERRORS,
    },
)
def get_diagram(
    store: StoreDep,
    alliance_id: PathId,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    kinds: DrawnKindsParam = None,
    include_planned: IncludePlanned = False,
    exclude: ExcludeParam = None,
    highlight: HighlightParam = None,
    levels: LevelsParam = None,
    natures: NaturesParam = None,
    connected_only: Annotated[bool, Query(description="Leave out organs no drawn edge touches.")] = False,
    highlight_kinds: HighlightKindsParam = None,
) -> Response:
    store.alliance(alliance_id)
    named = highlight_ids(highlight)
    if named:
        # Repeated ids are refused (check_organs), so a highlight cannot inflate the chart.
        store.check_organs(named, "highlight")
    snap = snapshot_for(store, alliance_id, as_of, condition, include_planned, exclude)
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
