"""Fuzzing the contract with an analyst's source loaded (issue 29 item 7: sources join the fuzz).

Every operation of the schema (``GET /sources``, ``/sources/{source_id}`` and every ``sources=``
among them), with every check of Schemathesis (``tests.test_fuzz.conforms``), on both stores holding
the seeds and the invented tour note (``examples/sources/tour-note``), so ``sources=`` has an
analyst's source to count or leave out, and the answers claims of two sources to carry.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.api.deps import set_store
from app.store.base import Store
from tests.test_fuzz import conforms, schema

EXAMPLES_PER_OPERATION = 15


@pytest.fixture()
def serving_noted(noted: Store) -> Iterator[Store]:
    set_store(noted)
    yield noted
    set_store(None)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_with_an_analysts_source_conforms_to_its_schema(case: schemathesis.Case, serving_noted: Store) -> None:
    conforms(case, serving_noted)
