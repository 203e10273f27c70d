"""GET /organs (search) and /organs/{id} (one organ, its edges in and out, its sources)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import StoreDep
from app.api.params import AsOf, PathId, TableFormat
from app.api.render import ERRORS, TABLE, respond
from app.api.routes.alliances import ORGAN_COLUMNS
from app.questions.common import edge_data, organ_data
from graph_schema.vocabulary import Level, Nature

router = APIRouter(tags=["organs"])


@router.get("/organs", summary="Search organs by acronym, name or alias (case-insensitive)", responses=TABLE)
def search_organs(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Text found in acronym, name or an alias.")] = None,
    alliance: Annotated[str | None, Query(max_length=40)] = None,
    nature: Nature | None = None,
    level: Level | None = None,
    as_of: AsOf = None,
    format: TableFormat = "json",
) -> Any:
    organs = [organ_data(o) for o in store.search(q, alliance, nature, level, as_of)]
    return respond(organs, format, columns=ORGAN_COLUMNS)


@router.get("/organs/{organ_id}", summary="One organ, its edges in and out, and its sources", responses=ERRORS)
def get_organ(store: StoreDep, organ_id: PathId) -> Any:
    organ = store.organ(organ_id)
    incoming, outgoing = store.edges_of(organ_id)
    return {
        **organ_data(organ),
        "edges_in": [edge_data(e) for e in incoming],
        "edges_out": [edge_data(e) for e in outgoing],
    }
