"""Fuzzing the contract: Schemathesis generates requests from the app's OpenAPI schema.

Bounded (a fixed number of examples per operation, derandomised so CI is repeatable), on both
stores, with every check Schemathesis has: no 5xx; every status, media type, header and body as
declared (the 431 of an oversized head included); requests the schema refuses are refused (a list
parameter sent more often than its ``maxItems``, a boolean sent as ``0``); requests it accepts are
answered; wrong methods are 405 naming the allowed ones.

One operation gets a narrower form of "what the schema accepts is answered": ``POST
/scenarios/evaluate``. Its scenario is declared as the typed model, whose-proposal rules included,
but some of its rules are beyond JSON Schema: a quote must be verbatim in the paper, an id must be
(or must not yet be) in the data, a life's bounds must come in order. A schema-valid scenario may be
refused, then, but only by those: 404 naming an id, or 422 from a validator's rule or from the
checks against the paper and the data, never for its shape (issue 29 item 6).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import ValidationError
from schemathesis.config import SchemathesisConfig

from app.api.deps import set_store
from app.errors import BadParameter
from app.main import app
from app.questions.evaluate import EvaluateRequest
from app.scenarios import check_scenario_data
from app.store.base import Store

# What the app refuses beyond its schema (a 431 head, evaluate's rules), said once for the CLI and here.
CONFIG = SchemathesisConfig.from_path(str(Path(__file__).resolve().parent.parent / "schemathesis.toml"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)

EXAMPLES_PER_OPERATION = 30


@pytest.fixture()
def serving(store: Store) -> Iterator[Store]:
    set_store(store)
    yield store
    set_store(None)


def refused_only_beyond_the_schema(case: schemathesis.Case, body: dict[str, Any], store: Store) -> None:
    """A schema-valid scenario refused (422): by a validator's rule (pydantic ``value_error``) or by the
    checks against the paper and the data, with the very message those checks give."""
    try:
        ask = EvaluateRequest.read(json.dumps(case.body))
    except ValidationError as err:
        kinds = {e["type"] for e in err.errors()}
        assert kinds == {"value_error"}, (kinds, err.errors()[:3])  # a rule across fields, not a shape
        return
    with pytest.raises(BadParameter) as refused:
        check_scenario_data(ask.scenario.model_dump(mode="json", by_alias=True, exclude_unset=True), store)
    assert body["error"] == refused.value.message


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples every run: none replayed from an earlier run's failures
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, serving: Store) -> None:
    conforms(case, serving)


def conforms(case: schemathesis.Case, serving: Store) -> None:
    """Every check of Schemathesis on ``case`` answered by the app serving ``serving``."""
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    if response.status_code == 431:
        # The server's own limit on a request's head (SECURITY.md), met before any route.
        assert response.json()["error"].startswith("the request line and headers are too large")
    schema_valid = case.meta is not None and case.meta.generation.mode.is_positive
    if case.operation.label == "POST /scenarios/evaluate" and response.status_code == 422 and schema_valid:
        refused_only_beyond_the_schema(case, response.json(), serving)
    case.validate_response(response)
