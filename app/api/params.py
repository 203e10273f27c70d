"""Parsing and checking of the query parameters shared by several routes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from annotated_types import MaxLen
from fastapi import Path, Query
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from app.api import schemas
from app.parse import MAX_EXCLUDE, YEAR_MAX, YEAR_MIN, parse_condition_param, parse_exclude, parse_existence
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot
from app.store.base import Store
from graph_schema.scenario import SCENARIO_ID_PATTERN
from graph_schema.vocabulary import EdgeKind, Existence

MAX_ID_LENGTH = 200  # an id in a path; no id of the vocabulary comes close

# The closed value sets are enums in the OpenAPI schema (app.api.schemas), so the schema says exactly
# what is accepted; a mismatch is a 422 whose message names the parameter and lists the allowed
# values (app.main). The comma-list parameters are arrays in the schema: repeated parameters, as
# generated clients send them (``kinds=authority&kinds=advice``), and each value may itself be a
# comma list (``kinds=authority,advice``), as people type them.
PARAMETER_HINTS = {
    "kinds": "a comma list of edge kinds",
    "highlight_kinds": "a comma list of edge kinds",
    "levels": "a comma list of levels",
    "natures": "a comma list of natures",
    "exclude": "a comma list of organ ids",
    "alliances": "a comma list of alliance ids",
    "scenario": "a scenario id (lower-case words joined by hyphens); GET /scenarios lists them",
}


def split_commas(value: Any, cap: int | None = None) -> Any:
    """A query list as sent (repeated, or comma lists, or both) as one list of its non-empty items.

    ``cap`` bounds the values sent, empty ones included: the schema declares at most ``cap`` of them
    (``maxItems``), and a request sending more is refused as the schema says, not read as fewer.
    """
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return value
    if cap is not None and len(items) > cap:
        # As pydantic's own MaxLen says it, so the 422 reads the same (app.main._reason).
        raise PydanticCustomError(
            "too_long",
            "at most {max_length} values, got {actual_length}",
            {"max_length": cap, "actual_length": len(items)},
        )
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            out.extend(p.strip() for p in item.split(",") if p.strip())
        else:
            out.append(item)
    return out


def comma_list(cap: int) -> BeforeValidator:
    """The validator of a list of vocabulary values of at most ``cap`` values (``split_commas``);
    declare the same ``MaxLen(cap)`` on its list, so the schema says it. (A value of the vocabulary
    holds no comma, so what the schema accepts splits into as many values as were sent.)"""
    return BeforeValidator(lambda value: split_commas(value, cap))


# A list of free text (ids, names, columns) is checked as sent, the values and their number as the
# schema declares them (``maxItems``, ``maxLength``), and only then split at its commas: a value may
# be a comma list, and splitting first would refuse a request the schema accepts (ten values, one
# holding a comma, are eleven ids) or accept one it refuses.
COMMAS_AFTER = AfterValidator(split_commas)


Id = Annotated[str, StringConstraints(max_length=100)]
PathId = Annotated[str, Path(max_length=MAX_ID_LENGTH)]
AsOf = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX, description="Year of the snapshot; all years if omitted.")]
ConditionParam = Annotated[
    schemas.QueryCondition | None,
    Query(description="any, armistice (or its synonym peacetime) or wartime; all if omitted."),
]
KindsParam = Annotated[
    Annotated[list[EdgeKind], MaxLen(20)] | None,
    comma_list(20),
    Query(description="Edge kinds (repeat the parameter, or a comma list); default authority."),
]
# The diagram's lists: the same closed sets, declared in the schema exactly as accepted.
ExcludeParam = Annotated[
    Annotated[list[Id], MaxLen(MAX_EXCLUDE)] | None,
    COMMAS_AFTER,
    Query(
        description=f"Organ ids removed for a what-if (repeat the parameter, at most {MAX_EXCLUDE} times; each"
        " value may be a comma list).",
    ),
]
IncludePlanned = Annotated[bool, Query(description="Count planned organs and edges (e.g. CFC's 2012 deactivation).")]
ScenarioParam = Annotated[
    str | None,
    Query(
        max_length=80,
        pattern=SCENARIO_ID_PATTERN,
        description="A scenario's id (GET /scenarios): ask the question of the data with the scenario laid over it.",
    ),
]
ExistenceParam = Annotated[
    Existence,
    Query(
        description="possible (default): what the paper places in the year and what it leaves possible, each "
        "marked; certain: only what the paper places in the year.",
    ),
]
TableFormat = Annotated[schemas.TableFormat, Query(description="json, or csv for the table.")]


def snapshot_for(
    store: Store,
    alliance: str | None,
    as_of: int | None,
    condition: str | None = None,
    include_planned: bool = False,
    exclude: str | Iterable[str] | None = None,
    existence: str | None = None,
    scenario: str | None = None,
) -> Snapshot:
    """The snapshot a request (or a CLI command) asks for, its text parameters checked: an unknown
    alliance, scenario or excluded organ is a 404 naming it, a bad condition or existence a 422.
    Alliances and organs may be named as ``Store.resolve_alliance`` / ``resolve_organ`` accept
    (acronym, alias, case)."""
    if alliance is not None:
        alliance = store.resolve_alliance(alliance)
    if scenario is not None:
        store.scenario(scenario)
    params = SnapshotParams(
        alliance,
        as_of,
        parse_condition_param(condition),
        include_planned,
        parse_exclude(exclude, store, scenario),
        parse_existence(existence),
        scenario,
    )
    return store.snapshot(params)
