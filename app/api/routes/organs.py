"""GET /organs (search) and /organs/{id} (one organ, its edges in and out, its sources)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app import schemas
from app.api.params import AsOf, CountedStoreDep, ExistenceParam, IncludePlanned, PathId, TableFormat
from app.api.render import ERRORS, respond, table_route
from app.api.routes.alliances import ORGAN_COLUMNS
from app.parse import parse_existence
from app.questions.common import organ_row
from app.questions.organs import organ, organs
from graph_schema.vocabulary import Existence, Level, Nature

router = APIRouter(tags=["organs"])


@table_route(
    router,
    "/organs",
    response_model=list[schemas.OrganOut],
    summary="Search organs by acronym, name or alias (case-insensitive)",
)
def search_organs(
    store: CountedStoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Text found in acronym, name or an alias.")] = None,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    nature: Nature | None = None,
    level: Level | None = None,
    as_of: AsOf = None,
    existence: ExistenceParam = Existence.POSSIBLE,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    found = organs(store, q, alliance, nature, level, as_of, parse_existence(existence))
    return respond(found, format, lambda d: [organ_row(o) for o in d], ORGAN_COLUMNS)


@router.get(
    "/organs/{organ_id}",
    summary="One organ, its edges in and out, and its sources",
    response_model=schemas.OrganDetail,
    responses=ERRORS,
)
def get_organ(
    store: CountedStoreDep,
    organ_id: PathId,
    as_of: AsOf = None,
    include_planned: IncludePlanned = False,
    existence: ExistenceParam = Existence.POSSIBLE,
) -> Any:
    """The organ with how sure the paper is of it (in ``as_of``, or over its whole life), and its
    edges, each judged likewise (``existence=certain``: only the edges the paper places in the year)."""
    return JSONResponse(organ(store, organ_id, as_of, include_planned, parse_existence(existence)))
