"""GET /scenarios, /scenarios/{id}, and POST /scenarios/evaluate (a question of a scenario sent whole)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from app.api.deps import StoreDep
from app.api.params import TableFormat
from app.api.render import ERRORS, TABLE, respond
from app.errors import BadParameter
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


@router.get(
    "/scenarios",
    summary="The scenarios questions can be asked of (the paper's recommendations, analysts')",
    responses=TABLE,
)
def list_scenarios(store: StoreDep, format: TableFormat = "json") -> Any:
    data = [scenario_summary(s) for s in store.scenarios().values()]
    return respond(data, format, lambda d: [{**r, "sources": " | ".join(r["sources"])} for r in d], SCENARIO_COLUMNS)


@router.get(
    "/scenarios/{scenario_id}", summary="One scenario, whole: what it adds, removes and changes", responses=ERRORS
)
def get_scenario(store: StoreDep, scenario_id: str) -> Any:
    return store.scenario(scenario_id).model_dump(mode="json", by_alias=True, exclude_none=True)


@router.post(
    "/scenarios/evaluate",
    summary="Ask a question of a scenario sent as JSON, without storing anything",
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": EvaluateRequest.model_json_schema()}},
        }
    },
)
async def evaluate_scenario(request: Request, store: StoreDep) -> Any:
    body = await request.body()
    if len(body) > EVALUATE_MAX_BYTES:
        raise BadParameter("body", f"at most {EVALUATE_MAX_BYTES} bytes, got {len(body)}")
    try:
        ask = EvaluateRequest.model_validate_json(body)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise BadParameter(where, str(first["msg"])) from None
    scenario = await run_in_threadpool(check_scenario_data, ask.scenario, store)
    return await run_in_threadpool(evaluate, store, scenario, ask)
