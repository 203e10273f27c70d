"""GET /organs (search) and /organs/{id} (one organ, its edges in and out, its sources)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app import schemas
from app.api.deps import StoreDep
from app.api.params import AsOf, IncludePlanned, PathId, TableFormat
from app.api.render import ERRORS, respond, table_route
from app.api.routes.alliances import ORGAN_COLUMNS
from app.questions.common import edge_data, organ_data, organ_row
from app.snapshot import SnapshotParams
from graph_schema.vocabulary import Level, Nature

router = APIRouter(tags=["organs"])


@table_route(
    router,
    "/organs",
    response_model=list[schemas.OrganOut],
    summary="Search organs by acronym, name or alias (case-insensitive)",
)
def search_organs(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Text found in acronym, name or an alias.")] = None,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    nature: Nature | None = None,
    level: Level | None = None,
    as_of: AsOf = None,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    snap = store.snapshot(SnapshotParams(as_of=as_of))
    organs = [organ_data(o, snap) for o in store.search(q, alliance, nature, level, as_of)]
    return respond(organs, format, lambda d: [organ_row(o) for o in d], ORGAN_COLUMNS)


@router.get(
    "/organs/{organ_id}",
    summary="One organ, its edges in and out, and its sources",
    response_model=schemas.OrganDetail,
    responses=ERRORS,
)
def get_organ(store: StoreDep, organ_id: PathId, as_of: AsOf = None, include_planned: IncludePlanned = False) -> Any:
    """The organ with how sure the paper is of it (in ``as_of``, or over its whole life), and its
    edges, each judged likewise."""
    organ_id = store.resolve_organ(organ_id, "organ_id")
    organ = store.organ(organ_id)
    incoming, outgoing = store.edges_of(organ_id)
    snap = store.snapshot(SnapshotParams(as_of=as_of, include_planned=include_planned))
    return JSONResponse(
        {
            **organ_data(organ, snap),
            "as_of": as_of,
            "edges_in": [edge_data(e, snap) for e in incoming],
            "edges_out": [edge_data(e, snap) for e in outgoing],
        }
    )
