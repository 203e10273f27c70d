"""Parsing and checking of the parameter values every shell shares (REST routes, the CLI, ``evaluate``).

Plain values in, vocabulary values out, a ``BadParameter`` naming the parameter otherwise; no web
framework here (the routes' FastAPI declarations are ``app.api.params``').
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

from app.errors import BadParameter
from app.snapshot import DEFAULT_KINDS
from app.store.base import Store
from graph_schema.scenario import Scenario
from graph_schema.vocabulary import Condition, EdgeKind, Existence, parse_condition

MAX_EXCLUDE = 50
MAX_ALLIANCES = 10
YEAR_MIN, YEAR_MAX = 1900, 2100


E = TypeVar("E", bound=StrEnum)


def _items(value: str | Iterable[str] | None) -> list[str]:
    """A comma list, or a list of values (each possibly a comma list), as its non-empty items."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else [p for v in value for p in str(v).split(",")]
    return [p.strip() for p in parts if p.strip()]


def parse_enum_list(value: str | Iterable[str] | None, enum: type[E], parameter: str) -> list[E] | None:
    """A comma list (or list) of vocabulary values, or None when empty; 422 naming the parameter if unknown."""
    out: list[E] = []
    for part in _items(value):
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
    value: str | Iterable[str] | None, default: frozenset[EdgeKind] = DEFAULT_KINDS, parameter: str = "kinds"
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


def parse_exclude(
    value: str | Iterable[str] | None, store: Store, scenario: str | Scenario | None = None
) -> frozenset[str]:
    """The organs ``exclude`` names, looked up in the data and, with a scenario, among what it adds."""
    ids = _items(value)
    if not ids:
        return frozenset()
    # No cap here on the ids: the API caps the values sent (at most MAX_EXCLUDE, each maybe a comma
    # list), and what they name can be no more than the organs there are.
    return frozenset(store.resolve_organs(sorted(set(ids)), "exclude", scenario))


def parse_alliances(value: str | Iterable[str] | None, store: Store, default: list[str]) -> list[str]:
    """A comma list of alliances (ids, or what ``Store.resolve_alliance`` accepts) as ids, each once
    (so no more than the roster holds, however many were named); none given (absent or empty) is
    ``default``."""
    if value is None or not _items(value):
        return list(default)
    return list(dict.fromkeys(store.resolve_alliance(a, "alliances") for a in _items(value)))


def parse_highlight(value: str | None, store: Store, scenario: str | None = None) -> str | None:
    """A diagram's highlight spec with the organs it names resolved to ids (``linkage`` as is);
    with a scenario, what it adds can be named too."""
    from app.diagram import highlight_ids

    named = highlight_ids(value)
    if not named or value is None:
        return value
    resolved = [store.resolve_organ(t, "highlight", scenario) for t in named]
    if len(set(resolved)) != len(resolved):
        # Refused, so a highlight cannot inflate the chart by repeating an organ.
        raise BadParameter("highlight", "an organ is repeated")
    ids = ",".join(resolved)
    return f"path:{ids}" if value.strip().startswith("path:") else ids


def parse_existence(value: str | None) -> Existence:
    if value is None or not value.strip():
        return Existence.POSSIBLE
    try:
        return Existence(value.strip().lower())
    except ValueError:
        raise BadParameter("existence", "allowed: " + ", ".join(e.value for e in Existence)) from None
