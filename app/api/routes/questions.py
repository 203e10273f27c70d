"""GET /paths, /linkage, /centrality, /compare, /timeline, /diff, /export: the analysts' questions."""

from __future__ import annotations

from typing import Annotated, Any

from annotated_types import MaxLen
from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import StringConstraints

from app.api import schemas
from app.api.deps import StoreDep
from app.api.params import (
    COMMAS_AFTER,
    AsOf,
    ConditionParam,
    ExcludeParam,
    ExistenceParam,
    IncludePlanned,
    KindsParam,
    ScenarioParam,
    TableFormat,
    snapshot_for,
)
from app.api.render import ERRORS, EXPORT, fixed_endpoint, media_response, respond, table_route
from app.parse import (
    MAX_ALLIANCES,
    YEAR_MAX,
    YEAR_MIN,
    parse_alliances,
    parse_condition_param,
    parse_existence,
    parse_kinds,
)
from app.questions import centrality, compare, diff, export, linkage, paths, timeline
from app.questions.centrality import centrality_rows
from app.questions.common import LIMIT_CAP, MAX_HOPS_CAP
from app.questions.compare import COLUMN_SYNTAX, FIGURE_4, PAPER_YEAR, compare_rows, parse_column
from app.questions.export import FORMAT_NOTES, FORMATS, counts_plans
from app.questions.linkage import linkage_rows
from app.questions.paths import path_rows
from app.questions.timeline import diff_rows, snapshot_diff, timeline_rows
from graph_schema.vocabulary import Existence

router = APIRouter(tags=["questions"])

AllianceParam = Annotated[str, Query(max_length=40, description="An alliance id, e.g. nato, us-rok, us-japan.")]
Year = Annotated[int, Query(ge=YEAR_MIN, le=YEAR_MAX)]
DEFAULT_METRIC = schemas.Metric("betweenness")
JSON_EXPORT = schemas.ExportFormat("json")


@table_route(
    router,
    "/paths",
    response_model=schemas.PathsAnswer,
    summary="Is source connected to target by the allowed edge kinds? The paths, shortest first",
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
    existence: ExistenceParam = Existence.POSSIBLE,
    scenario: ScenarioParam = None,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS_CAP)] = 6,
    limit: Annotated[int, Query(ge=1, le=LIMIT_CAP)] = 10,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, exclude, existence, scenario)
    source, target = store.resolve_organ(source, "source", scenario), store.resolve_organ(target, "target", scenario)
    result = paths(snap, source, target, parse_kinds(kinds), max_hops, limit)
    return respond(result, format, path_rows)


@table_route(
    router,
    "/linkage",
    response_model=schemas.LinkageAnswer,
    summary="Does a civilian body link to the operational commander?",
)
def get_linkage(
    store: StoreDep,
    alliance: AllianceParam,
    kinds: KindsParam = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    exclude: ExcludeParam = None,
    existence: ExistenceParam = Existence.POSSIBLE,
    scenario: ScenarioParam = None,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, exclude, existence, scenario)
    return respond(linkage(snap, parse_kinds(kinds)), format, linkage_rows)


@table_route(
    router,
    "/centrality",
    response_model=schemas.CentralityAnswer,
    summary="Organs ranked by a centrality measure, and articulation organs",
)
def get_centrality(
    store: StoreDep,
    alliance: AllianceParam,
    metric: Annotated[schemas.Metric, Query(description="The centrality measure.")] = DEFAULT_METRIC,
    kinds: KindsParam = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    exclude: ExcludeParam = None,
    existence: ExistenceParam = Existence.POSSIBLE,
    scenario: ScenarioParam = None,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    snap = snapshot_for(store, alliance, as_of, condition, include_planned, exclude, existence, scenario)
    return respond(centrality(snap, metric, parse_kinds(kinds)), format, centrality_rows)


@table_route(
    router,
    "/compare",
    response_model=schemas.CompareAnswer,
    summary="The side-by-side table of structures (figure 4, computed)",
)
def get_compare(
    store: StoreDep,
    alliances: Annotated[
        Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=40)]], MaxLen(MAX_ALLIANCES)] | None,
        COMMAS_AFTER,
        Query(
            description="Alliance ids (repeat the parameter, or a comma list); none given: nato,us-rok,us-japan.",
        ),
    ] = None,
    as_of: Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX)] = PAPER_YEAR,
    existence: ExistenceParam = Existence.POSSIBLE,
    columns: Annotated[
        Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=120)]], MaxLen(MAX_ALLIANCES)] | None,
        COMMAS_AFTER,
        Query(
            description="Columns instead of alliances, each " + COLUMN_SYNTAX + "; the data and scenarios side by side."
        ),
    ] = None,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    ids = parse_alliances(alliances, store, list(FIGURE_4))
    cols = [parse_column(c, store, as_of) for c in columns] if columns else None
    return respond(compare(store, ids, as_of, parse_existence(existence), cols), format, compare_rows)


@table_route(
    router,
    "/timeline",
    response_model=schemas.TimelineAnswer,
    summary="Dated events: organs founded, ended, planned; edges gained and lost",
)
def get_timeline(store: StoreDep, alliance: AllianceParam, format: TableFormat = schemas.TableFormat.JSON) -> Any:
    return respond(timeline(store, store.resolve_alliance(alliance)), format, timeline_rows)


@table_route(
    router,
    "/diff",
    response_model=schemas.DiffAnswer,
    summary="What changed in an alliance's structure between two years",
)
def get_diff(
    store: StoreDep,
    alliance: AllianceParam,
    year_from: Annotated[int | None, Query(alias="from", ge=YEAR_MIN, le=YEAR_MAX)] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=YEAR_MIN, le=YEAR_MAX)] = None,
    as_of: AsOf = None,
    scenario: ScenarioParam = None,
    condition: ConditionParam = None,
    include_planned: IncludePlanned = False,
    existence: ExistenceParam = Existence.POSSIBLE,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    """Between two years (``from``, default the alliance's first treaty year; ``to``, default the
    paper's year, 2009), or, with ``scenario``, between the data and the scenario in ``as_of``
    (default ``to``, else all years)."""
    alliance = store.resolve_alliance(alliance)
    if scenario is not None:
        year = as_of if as_of is not None else year_to
        before = snapshot_for(store, alliance, year, condition, include_planned, existence=existence)
        after = snapshot_for(store, alliance, year, condition, include_planned, existence=existence, scenario=scenario)
        result = snapshot_diff(before, after, {"as_of": year, "scenario": scenario})
        return respond(result, format, diff_rows)
    if year_from is None:
        year_from = as_of if as_of is not None else min(store.alliance(alliance).treaty_years)
    if year_to is None:
        year_to = PAPER_YEAR
    result = diff(
        store,
        alliance,
        year_from,
        year_to,
        parse_condition_param(condition),
        include_planned,
        parse_existence(existence),
    )
    return respond(result, format, diff_rows)


def get_export(
    store: StoreDep,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    as_of: AsOf = None,
    condition: ConditionParam = None,
    include_planned: Annotated[
        bool | None,
        Query(
            description="Count planned organs and edges; by default only the cypher export does, as `alliances load` "
            "writes them"
        ),
    ] = None,
    existence: ExistenceParam = Existence.POSSIBLE,
    scenario: ScenarioParam = None,
    format: Annotated[schemas.ExportFormat, Query(description="The format.")] = JSON_EXPORT,
) -> Response:
    planned = counts_plans(format, include_planned)
    snap = snapshot_for(store, alliance, as_of, condition, planned, None, existence, scenario)
    content, media = export(snap, format)
    return Response(content, media_type=media)


EXPORT_SUMMARY = "A snapshot as json, graphml, gexf (time spells), cypher or csv"
router.add_api_route(
    "/export",
    get_export,
    methods=["GET"],
    response_model=schemas.GraphExport,
    summary=EXPORT_SUMMARY,
    description="\n\n".join(f"- `{fmt}`: {note}" for fmt, note in FORMAT_NOTES.items()),
    responses=EXPORT,
)
for _fmt in FORMATS:
    if _fmt == "json":
        continue
    router.add_api_route(
        f"/export.{_fmt}",
        fixed_endpoint(get_export, format=_fmt),
        methods=["GET"],
        name=f"get_export_{_fmt.replace('-', '_')}",
        summary=f"A snapshot as {_fmt}",
        description=FORMAT_NOTES[_fmt],
        response_class=media_response(schemas.media_type(_fmt)),
        responses={200: {"content": {schemas.media_type(_fmt): {"schema": {"type": "string"}}}}, **ERRORS},
    )
