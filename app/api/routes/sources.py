"""GET /sources and /sources/{id}: the documents and datasets the data rests on (CONTRACT.md §2 "Sources").

The page builds its sources control from ``GET /sources``; every question takes ``sources=ID,ID`` to
count only some of them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app import schemas
from app.api.deps import StoreDep
from app.api.params import TableFormat
from app.api.render import ERRORS, respond, table_route
from app.questions.sources import SOURCE_COLUMNS, source, source_rows, sources

router = APIRouter(tags=["sources"])


@table_route(
    router,
    "/sources",
    response_model=list[schemas.SourceOut],
    summary="The sources the data rests on (the paper, datasets, analysts' own), with what each claims",
)
def list_sources(store: StoreDep, format: TableFormat = schemas.TableFormat.JSON) -> Any:
    return respond(sources(store), format, source_rows, list(SOURCE_COLUMNS))


@router.get(
    "/sources/{source_id}",
    response_model=schemas.SourceDetail,
    summary="One source: its record, its counts, and the organs and edges it claims",
    responses=ERRORS,
)
def get_source(source_id: str, store: StoreDep) -> Any:
    return respond(source(store, source_id))
