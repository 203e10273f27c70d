"""GET /indicators: the paper's benchmarks beyond structure, every one with its year, hedge and quote."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app import schemas
from app.api.params import CountedStoreDep, TableFormat
from app.api.render import respond, table_route
from app.questions.indicators import INDICATOR_COLUMNS, indicator_rows, indicators
from graph_schema.vocabulary import Measure

router = APIRouter(tags=["indicators"])


@table_route(
    router,
    "/indicators",
    response_model=schemas.IndicatorsAnswer,
    summary="The paper's indicators (travellers, trade, students, jobs, members, ...), filtered",
)
def list_indicators(
    store: CountedStoreDep,
    alliance: Annotated[str | None, Query(max_length=40, description="An alliance id, e.g. nato.")] = None,
    measure: Annotated[Measure | None, Query(description="One measure, e.g. merchandise-trade.")] = None,
    format: TableFormat = schemas.TableFormat.JSON,
) -> Any:
    return respond(indicators(store, alliance, measure), format, indicator_rows, INDICATOR_COLUMNS)
