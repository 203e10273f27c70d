"""Parsing and checking of the query parameters shared by several routes."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import Path, Query

from app.errors import BadParameter
from app.snapshot import DEFAULT_KINDS, Snapshot, SnapshotParams
from app.store.base import Store
from graph_schema.vocabulary import CONDITION_SYNONYMS, Condition, EdgeKind, Level, Nature, parse_condition

MAX_EXCLUDE = 50
MAX_ID_LENGTH = 200  # an id in a path; no id of the vocabulary comes close
YEAR_MIN, YEAR_MAX = 1900, 2100

# The closed value sets are written into the OpenAPI schema as patterns, so the schema says exactly
# what is accepted (and a fuzzer's valid request is never refused); the friendly "allowed: ..."
# message for a mismatch comes from PATTERN_HINTS in app.main.
_KIND = "(" + "|".join(k.value for k in EdgeKind) + ")"
KINDS_PATTERN = rf"^\s*{_KIND}\s*(,\s*{_KIND}\s*)*$"
CONDITION_PATTERN = "^(" + "|".join([c.value for c in Condition] + list(CONDITION_SYNONYMS)) + ")$"
EXCLUDE_PATTERN = rf"^[^,]*(,[^,]*){{0,{MAX_EXCLUDE - 1}}}$"


def _comma_list_pattern(enum: type[StrEnum]) -> str:
    one = "(" + "|".join(v.value for v in enum) + ")"
    return rf"^\s*{one}\s*(,\s*{one}\s*)*$"


LEVELS_PATTERN = _comma_list_pattern(Level)
NATURES_PATTERN = _comma_list_pattern(Nature)

PATTERN_HINTS = {
    "kinds": "a comma list of edge kinds; allowed: " + ", ".join(k.value for k in EdgeKind),
    "highlight_kinds": "a comma list of edge kinds; allowed: " + ", ".join(k.value for k in EdgeKind),
    "levels": "a comma list of levels; allowed: " + ", ".join(v.value for v in Level),
    "natures": "a comma list of natures; allowed: " + ", ".join(v.value for v in Nature),
    "condition": "allowed: " + ", ".join([c.value for c in Condition] + list(CONDITION_SYNONYMS)),
    "exclude": f"a comma list of at most {MAX_EXCLUDE} organ ids",
    "format": "not an allowed format for this endpoint",
    "alliances": "a comma list of at most 10 alliance ids",
    "metric": "allowed: degree, in_degree, out_degree, betweenness, closeness, pagerank, eigenvector",
}

PathId = Annotated[str, Path(max_length=MAX_ID_LENGTH)]
AsOf = Annotated[int | None, Query(ge=YEAR_MIN, le=YEAR_MAX, description="Year of the snapshot; all years if omitted.")]
ConditionParam = Annotated[
    str | None,
    Query(pattern=CONDITION_PATTERN, description="any, armistice (or peacetime) or wartime; all if omitted."),
]
KindsParam = Annotated[
    str | None, Query(max_length=200, pattern=KINDS_PATTERN, description="Comma list of edge kinds; default authority.")
]
# The diagram's lists: the same closed sets, declared in the schema exactly as accepted.
DrawnKindsParam = Annotated[
    str | None,
    Query(max_length=200, pattern=KINDS_PATTERN, description="Comma list of edge kinds drawn; default: all kinds."),
]
HighlightKindsParam = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=KINDS_PATTERN,
        description="Edge kinds the highlight's question walks; default: the kinds drawn.",
    ),
]
LevelsParam = Annotated[
    str | None, Query(max_length=200, pattern=LEVELS_PATTERN, description="Comma list of levels drawn; default all.")
]
NaturesParam = Annotated[
    str | None, Query(max_length=200, pattern=NATURES_PATTERN, description="Comma list of natures drawn; default all.")
]
ExcludeParam = Annotated[
    str | None,
    Query(max_length=5000, pattern=EXCLUDE_PATTERN, description="Comma list of organ ids removed for a what-if."),
]
IncludePlanned = Annotated[bool, Query(description="Count planned organs and edges (e.g. CFC's 2012 deactivation).")]
TableFormat = Annotated[str, Query(pattern="^(json|csv)$", description="json, or csv for the table.")]


E = TypeVar("E", bound=StrEnum)


def parse_enum_list(value: str | None, enum: type[E], parameter: str) -> list[E] | None:
    """A comma list of vocabulary values, or None when empty; 422 naming the parameter if unknown."""
    if value is None or not value.strip():
        return None
    out: list[E] = []
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        try:
            out.append(enum(name))
        except ValueError:
            allowed = ", ".join(v.value for v in enum)
            raise BadParameter(parameter, f"unknown value {part.strip()!r}; allowed: {allowed}") from None
    return out or None


def parse_kinds(
    value: str | None, default: frozenset[EdgeKind] = DEFAULT_KINDS, parameter: str = "kinds"
) -> frozenset[EdgeKind]:
    kinds = parse_enum_list(value, EdgeKind, parameter)
    return frozenset(kinds) if kinds else default


def parse_condition_param(value: str | None) -> Condition | None:
    if value is None or not value.strip():
        return None
    try:
        return parse_condition(value)
    except ValueError as err:
        raise BadParameter("condition", str(err)) from None


def parse_exclude(value: str | None, store: Store) -> frozenset[str]:
    if value is None or not value.strip():
        return frozenset()
    ids = [p.strip() for p in value.split(",") if p.strip()]
    if len(ids) > MAX_EXCLUDE:
        raise BadParameter("exclude", f"at most {MAX_EXCLUDE} organ ids, got {len(ids)}")
    store.check_organs(sorted(set(ids)), "exclude")
    return frozenset(ids)


def parse_id_list(value: str, parameter: str, known: dict, cap: int = 10) -> list[str]:
    ids = [p.strip() for p in value.split(",") if p.strip()]
    if not ids:
        raise BadParameter(parameter, "give at least one id")
    if len(ids) > cap:
        raise BadParameter(parameter, f"at most {cap} ids, got {len(ids)}")
    return ids


def snapshot_for(
    store: Store,
    alliance: str | None,
    as_of: int | None,
    condition: str | None = None,
    include_planned: bool = False,
    exclude: str | None = None,
) -> Snapshot:
    """The snapshot a request (or a CLI command) asks for, its text parameters checked: an unknown
    alliance or excluded organ is a 404 naming it, a bad condition a 422."""
    if alliance is not None:
        store.alliance(alliance)
    params = SnapshotParams(
        alliance, as_of, parse_condition_param(condition), include_planned, parse_exclude(exclude, store)
    )
    return store.snapshot(params)
