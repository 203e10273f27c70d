"""Parsing and checking of the parameter values every shell shares (REST routes, the CLI, ``evaluate``).

Plain values in, vocabulary values out, a ``BadParameter`` naming the parameter otherwise; no web
framework here (the routes' FastAPI declarations are ``app.api.params``').
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from annotated_types import MaxLen, MinLen
from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from app.errors import BadParameter
from app.snapshot import DEFAULT_KINDS
from app.store.base import Store
from graph_schema.scenario import Scenario
from graph_schema.vocabulary import Condition, EdgeKind, Existence, parse_condition

MAX_EXCLUDE = 50
MAX_ALLIANCES = 10
MAX_SOURCES = 20  # sources counted at once (sources=ID,ID)
YEAR_MIN, YEAR_MAX = 1900, 2100


def split_commas(value: Any) -> Any:
    """A query list as sent (repeated, or comma lists, or both) as one list of its non-empty items."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return value
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            out.extend(p.strip() for p in item.split(",") if p.strip())
        else:
            out.append(item)
    return out


def at_most(cap: int) -> Callable[[Any], Any]:
    """A validator refusing more than ``cap`` values as sent (empty ones too: the schema's
    ``maxItems`` counts what is sent, before ``split_commas`` drops the empty ones)."""

    def check(value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > cap:
            raise PydanticCustomError(
                "too_long",
                "List should have at most {max_length} items after validation, not {actual_length}",
                {"field_type": "List", "max_length": cap, "actual_length": len(value)},
            )
        return value

    return check


def comma_list(item: Any, cap: int) -> Any:
    """The type of a list parameter: at most ``cap`` items of ``item``, sent as repeated values or
    comma lists (``split_commas``), or None.

    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(comma_list(str, 3)).validate_python(["a,b", "c"])
    ['a', 'b', 'c']
    """
    # Before-validators run last-declared first: the count as sent is checked, then the lists split.
    # (A class's or a route's annotation writes the same out: mypy takes no call in an annotation.)
    items = Annotated[list[item], MaxLen(cap)]
    return Annotated[items | None, BeforeValidator(split_commas), BeforeValidator(at_most(cap))]


def ids_between_commas(longest: int, cap: int) -> StringConstraints:
    """The constraints of one value of a free-text list: an id of at most ``longest`` characters, or
    a comma list of at most ``cap`` of them (``nato,us-rok,us-japan`` in one value, as people type
    it), never empty; declared in the schema as it is checked."""
    part = f"[^,]{{0,{longest}}}"
    return StringConstraints(min_length=1, max_length=cap * (longest + 1), pattern=rf"^{part}(,{part}){{0,{cap - 1}}}$")


def text_list(item: Any, cap: int) -> Any:
    """The type of a list parameter of free text (ids, names, columns): at most ``cap`` values of
    ``item`` as sent, each value checked as the schema declares it (its ``maxLength``, its
    ``pattern``), and only then split at its commas (``split_commas``), or None.

    A value of the vocabulary holds no comma, so ``comma_list`` may split first; free text may, and
    splitting first would refuse what the schema accepts (ten values, one holding a comma, are
    eleven ids, past ``maxItems``) and accept what it refuses (a value over its ``maxLength`` cut
    into short ones). An empty value is refused (``minLength`` 1): a query cannot tell it from
    values of other types (Schemathesis sends ``sources=`` as a schema-violating request), so it is
    declared and refused rather than read as none. What the values name is counted once each where
    it is used (``parse_alliances``, ``parse_exclude``): no more than there are alliances or organs,
    however they were written.

    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(text_list(str, 2)).validate_python(["a,b", "c"])
    ['a', 'b', 'c']
    """
    items = Annotated[list[Annotated[item, MinLen(1)]], MaxLen(cap)]
    return Annotated[items | None, AfterValidator(split_commas)]


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
