"""GET /paths, /linkage, /centrality, /compare, /timeline, /diff, /export: the analysts' questions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.api.deps import StoreDep
from app.api.params import (
    YEAR_MAX,
    YEAR_MIN,
    AsOf,
    ConditionParam,
    ExcludeParam,
    IncludePlanned,
    KindsParam,
    TableFormat,
    parse_alliances,
    parse_condition_param,
    parse_kinds,
    snapshot_for,
)
from app.api.render import EXPORT, TABLE, respond
from app.questions import centrality, compare, diff, export, linkage, paths, timeline
from app.questions.centrality import METRICS, centrality_rows
from app.questions.common import LIMIT_CAP, MAX_HOPS_CAP
from app.questions.compare import FIGURE_4, PAPER_YEAR, compare_rows
from app.questions.export import FORMATS
from app.questions.linkage import linkage_rows
from app.questions.paths import path_rows
from app.questions.timeline import diff_rows, timeline_rows

router = APIRouter(tags=["questions"])

AllianceParam = Annotated[str, Query(max_length=40, description="An alliance id, e.g. nato, us-rok, us-japan.")]
Year = Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX)]


@router.get(
    "/paths",
    summary="Is source connected to target by the allowed edge kinds? The paths, shortest first",
    responses=TABLE,
)
def get_paths(
    store: StoreDep,
    source: Annotated[str, Query(max_length=100)],
    target: Annotated[str, Query(max_length=100)],
    kinds: KindsParam = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    exclude: ExcludeParam = None,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS_CAP)] = 6,
    limit: Annotated[int, Query(ge=1, le=LIMIT_CAP)] = 10,
    format: TableFormat = "json",
) -> Any:
    source, target = store.resolve_organ(source, "source"), store.resolve_organ(target, "target")
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, exclude)
    result = paths(snap, source, target, parse_kinds(kinds), max_hops, limit)
    return respond(result, format, path_rows)


@router.get("/linkage", summary="Does a civilian body link to the operational commander?", responses=TABLE)
def get_linkage(
    store: StoreDep,
    alliance: AllianceParam,
    kinds: KindsParam = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    exclude: ExcludeParam = None,
    format: TableFormat = "json",
) -> Any:
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, exclude)
    return respond(linkage(snap, parse_kinds(kinds)), format, linkage_rows)


@router.get("/centrality", summary="Organs ranked by a centrality measure, and articulation organs", responses=TABLE)
def get_centrality(
    store: StoreDep,
    alliance: AllianceParam,
    metric: Annotated[
        str, Query(pattern="^(" + "|".join(METRICS) + ")$", description=f"One of {', '.join(METRICS)}.")
    ] = "betweenness",
    kinds: KindsParam = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    exclude: ExcludeParam = None,
    format: TableFormat = "json",
) -> Any:
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, exclude)
    return respond(centrality(snap, metric, parse_kinds(kinds)), format, centrality_rows)


@router.get("/compare", summary="The side-by-side table of structures (figure 4, computed)", responses=TABLE)
def get_compare(
    store: StoreDep,
    alliances: Annotated[
        str | None,
        Query(max_length=200, pattern=r"^[^,]+(,[^,]+){0,9}$", description="Comma list; default nato,us-rok,us-japan."),
    ] = None,
    as_of: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = PAPER_YEAR,
    format: TableFormat = "json",
) -> Any:
    ids = parse_alliances(alliances, store, list(FIGURE_4))
    return respond(compare(store, ids, as_of), format, compare_rows)


@router.get("/timeline", summary="Dated events: organs founded, ended, planned; edges gained and lost", responses=TABLE)
def get_timeline(store: StoreDep, alliance: AllianceParam, format: TableFormat = "json") -> Any:
    return respond(timeline(store, store.resolve_alliance(alliance)), format, timeline_rows)


@router.get("/diff", summary="What changed in an alliance's structure between two years", responses=TABLE)
def get_diff(
    store: StoreDep,
    alliance: AllianceParam,
    year_from: Annotated[int, Query(alias="from", ge=YEAR_MIN, le=YEAR_MAX)],
    year_to: Annotated[int, Query(alias="to", ge=YEAR_MIN, le=YEAR_MAX)],
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    format: TableFormat = "json",
) -> Any:
    result = diff(
        store, store.resolve_alliance(alliance), year_from, year_to, parse_condition_param(condition), include_planned
    )
    return respond(result, format, diff_rows)


@router.get("/export", summary="A snapshot as json, graphml, gexf (time spells), cypher or csv", responses=EXPORT)
def get_export(
    store: StoreDep,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    format: Annotated[str, Query(pattern=f"^({'|'.join(FORMATS)})$")] = "json",
) -> Response:
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, None)
    content, media = export(snap, format)
    return Response(content, media_type=media)
