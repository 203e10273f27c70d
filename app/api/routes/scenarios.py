"""GET /scenarios, /scenarios/{id}, and POST /scenarios/evaluate (a question of a scenario sent whole)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import schemas
from app.api.deps import StoreDep
from app.api.params import TableFormat
from app.api.render import ERRORS, respond, table_route
from app.errors import BadParameter
from app.questions.evaluate import ANSWER as EVALUATE_ANSWER
from app.questions.evaluate import EvaluateRequest, evaluate
from app.scenarios import EVALUATE_MAX_BYTES, check_scenario_data
from graph_schema.scenario import Scenario

router = APIRouter(tags=["scenarios"])

SCENARIO_COLUMNS = ["id", "alliance", "title", "proposed_by", "assumes_plans", "sources"]


def scenario_summary(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "alliance": scenario.alliance,
        "title": scenario.title,
        "proposed_by": scenario.proposed_by,
        "assumes_plans": scenario.assumes_plans,
        "sources": [s.quote for s in scenario.sources],
    }


@table_route(
    router,
    "/scenarios",
    response_model=list[schemas.ScenarioSummary],
    summary="The scenarios a question can name: the paper's recommendations and analysts'",
)
def list_scenarios(store: StoreDep, format: TableFormat = schemas.TableFormat.JSON) -> Any:
    data = [scenario_summary(s) for s in store.scenarios().values()]
    return respond(data, format, lambda d: [{**r, "sources": " | ".join(r["sources"])} for r in d], SCENARIO_COLUMNS)


def evaluate_body_cap(request: Request) -> None:
    """Refuse a body over the cap before it is read (it must say its length)."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise BadParameter("body", "send the scenario with a Content-Length")
    if int(length) > EVALUATE_MAX_BYTES:
        raise BadParameter("body", f"a scenario to evaluate is at most {EVALUATE_MAX_BYTES} bytes")


async def evaluate_body_strict(request: Request) -> None:
    """Read the body as its schema says (``EvaluateRequest.read``): FastAPI's own reading coerces JSON
    types (``0`` as false, ``"1900"`` as a year), which would answer what the schema refuses."""
    from fastapi.exceptions import RequestValidationError
    from pydantic import ValidationError

    try:
        EvaluateRequest.read(await request.body())
    except ValueError as err:  # not JSON at all: FastAPI's own reading answers it (400)
        if not isinstance(err, ValidationError):
            return
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in err.errors(include_url=False, include_context=True)]
        ) from None


@router.post(
    "/scenarios/evaluate",
    summary="Ask a question of a scenario sent as JSON, without storing anything",
    response_model=EVALUATE_ANSWER,
    responses={**ERRORS, 400: ERRORS[422] | {"description": "The body is not JSON"}},
    dependencies=[Depends(evaluate_body_cap), Depends(evaluate_body_strict)],
)
def evaluate_scenario(ask: EvaluateRequest, store: StoreDep) -> Any:
    """The scenario is checked like a file (vocabulary, quotes verbatim in the paper, ids against the
    data: an unknown id is a 404, any other problem a 422 naming the field), then the question is
    answered of the data with it laid over, in memory."""
    scenario = check_scenario_data(ask.scenario.model_dump(mode="json", by_alias=True, exclude_unset=True), store)
    return JSONResponse(evaluate(store, scenario, ask))


# Declared after POST /scenarios/evaluate, so that path's Allow header names POST; and before
# GET /scenarios/{scenario_id}, which would take "evaluate" for a scenario's id (a reserved one).
@router.get("/scenarios/evaluate", include_in_schema=False)
def evaluate_takes_post_only() -> None:
    """GET (and HEAD) /scenarios/evaluate: 405 naming POST, as every other method but POST gets."""
    raise StarletteHTTPException(405, headers={"Allow": "POST"})


@router.get(
    "/scenarios/{scenario_id}",
    summary="One scenario, whole: what it adds, removes and changes",
    response_model=schemas.ScenarioOut,
    responses=ERRORS,
)
def get_scenario(store: StoreDep, scenario_id: str) -> Any:
    return JSONResponse(store.scenario(scenario_id).model_dump(mode="json", by_alias=True, exclude_none=True))
