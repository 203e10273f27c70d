"""The snapshot query: the parameters that pick a snapshot, one object parsed once for every shell.

``SnapshotQuery`` holds what a question asks of the data (an alliance, a year, a condition, plans,
organs excluded, the existence asked for, a scenario) as the asker wrote it; ``params(store)``
resolves it against a store into the ``SnapshotParams`` every question is asked of (names to ids,
an unknown id a 404 naming it, a bad value a 422 naming the parameter). Each field declares its
type and constraints, its description and how it is given on the command line, once:

- the REST routes take it as a FastAPI dependency built from these fields
  (``app.api.params.snapshot_query``): each field one query parameter, described as here;
- the CLI fills it from options built from the same fields (``app.cli_questions``);
- ``POST /scenarios/evaluate`` takes it from JSON: its body is a ``SnapshotQuery`` with the
  question's own parameters beside (``app.questions.evaluate``).

``sources`` (CONTRACT.md §2 "Sources") picks which loaded sources count: resolved in ``params``
(an unknown id a 404 naming it, with close matches), it is ``SnapshotParams.sources``; a question
is asked of ``counted(store)``, the store as those sources have it (``Store.sourced``), so its
lookups, searches and snapshots count only them. The routes that take no snapshot but answer about
organs, alliances or indicators take this one field too (``app.api.params.CountedStoreDep``).

A field added here (and to ``params``, where it is resolved) is a parameter of every question's
route, command and evaluate body, and part of the answer cache's key (which keys on the request's
path and query, whatever their names: ``app.api.answers``).

A question's own parameters (``source``, ``kinds``, ``metric``, ...) are ``Param`` declarations of
the same shape, in its descriptor (``app.questions.registry``). The values are parsed by
``app.parse``, as every shell parses them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from annotated_types import MaxLen
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from app.errors import BadParameter
from app.parse import (
    MAX_EXCLUDE,
    MAX_SOURCES,
    YEAR_MAX,
    YEAR_MIN,
    ids_between_commas,
    parse_condition_param,
    parse_exclude,
    parse_existence,
    split_commas,
)
from app.schemas import QueryCondition
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot
from graph_schema.scenario import SCENARIO_ID_PATTERN
from graph_schema.vocabulary import Existence

if TYPE_CHECKING:
    from app.store.base import Store
    from graph_schema.scenario import Scenario

# How a bad value of a list parameter is explained (a 422's message, the CLI's one line).
PARAMETER_HINTS = {
    "kinds": "a comma list of edge kinds",
    "highlight_kinds": "a comma list of edge kinds",
    "levels": "a comma list of levels",
    "natures": "a comma list of natures",
    "exclude": "a comma list of organ ids",
    "alliances": "a comma list of alliance ids",
    "sources": "a comma list of source ids; GET /sources lists them",
    "scenario": "a scenario id (lower-case words joined by hyphens); GET /scenarios lists them",
}


# ------------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Cli:
    """How a parameter is given on the command line, beside its declaration for the API.

    ``help`` (default: the API's description), ``positional`` (``alliances paths SOURCE TARGET``),
    ``choices`` (argparse offers the enum's values: a value outside them is a usage error, exit 2;
    otherwise it is checked like the API's and refused in one line, exit 1), ``flag`` (default:
    ``--`` and the name with hyphens).
    """

    help: str | None = None
    positional: bool = False
    choices: bool = False
    flag: str | None = None


# (the store, the checked value, the query, the scenario asked of: its id, or one sent whole)
Resolver = Callable[["Store", Any, "SnapshotQuery", "str | Scenario | None"], Any]


@dataclass(frozen=True)
class Param:
    """One parameter a question takes beyond the snapshot's, declared once for every shell: its
    type with constraints and default (``field``: as a pydantic field, so the API, the CLI and the
    evaluate body check it alike), and how its checked value is resolved against the store before
    the question's function gets it (``resolve``: names to ids, what a scenario adds among them;
    default: as it is)."""

    name: str
    field: FieldInfo
    resolve: Resolver | None = None

    @property
    def required(self) -> bool:
        return self.field.is_required()


def param(
    name: str,
    annotation: Any,
    default: Any = PydanticUndefined,
    *,
    description: str | None = None,
    cli: Cli | None = None,
    resolve: Resolver | None = None,
    alias: str | None = None,
    **constraints: Any,
) -> Param:
    """A ``Param``: ``annotation`` (a type, with pydantic metadata), ``default`` (none: required),
    its ``description`` (the API's), ``cli`` (how the command line takes it), ``resolve``, an API
    ``alias`` (``from`` for ``year_from``) and pydantic ``constraints`` (``ge``, ``max_length``...)."""
    typed = Annotated[annotation, cli or Cli()]
    field = FieldInfo.from_annotated_attribute(
        typed, Field(default, description=description, alias=alias, **constraints)
    )
    return Param(name, field, resolve)


def cli_of(field: FieldInfo) -> Cli:
    """The ``Cli`` a field declares (in its metadata), or the default one."""
    return next((m for m in field.metadata if isinstance(m, Cli)), Cli())


def plain_metadata(field: FieldInfo) -> list[Any]:
    """A field's metadata for pydantic and FastAPI (its constraints and validators, not its ``Cli``)."""
    return [m for m in field.metadata if not isinstance(m, Cli)]


def choices_of(field: FieldInfo) -> list[str] | None:
    """The values of the enum a field takes (through ``| None``), or None."""
    annotation = field.annotation
    for option in getattr(annotation, "__args__", None) or (annotation,):
        if isinstance(option, type) and issubclass(option, Enum):
            return [str(v.value) for v in option]
    return None


def reason(error: Mapping[str, Any], parameter: str) -> str:
    """A friendly reason for one validation error: what was sent and what is accepted."""
    kind, ctx = error.get("type"), error.get("ctx") or {}
    hint = PARAMETER_HINTS.get(parameter)
    if kind == "enum":
        allowed = "allowed: " + _allowed(str(ctx.get("expected", "")))
        return f"{error.get('input')!r} is not accepted; " + (f"{hint}; {allowed}" if hint else allowed)
    if kind == "too_long" and hint:
        return f"at most {ctx.get('max_length')} values, got {ctx.get('actual_length')} ({hint})"
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


def _allowed(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    import re

    return ", ".join(re.findall(r"'([^']*)'", expected)) or expected


def error_parameter(error: Mapping[str, Any]) -> str:
    """The parameter a validation error is about: its location less "query"/"path"/"body" and a list
    item's index (``kinds.0`` -> ``kinds``)."""
    loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body") and not isinstance(p, int)]
    return ".".join(loc) or "request"


def checked(model: type[BaseModel], values: Mapping[str, Any]) -> Any:
    """``model`` validated from ``values`` (the CLI's options, by field name); the first problem a
    ``BadParameter`` naming the parameter as the API does, worded as the API's 422 words it."""
    values = {name: _as_values(model.model_fields.get(name), value) for name, value in values.items()}
    try:
        return model.model_validate(values)
    except ValidationError as err:
        first = err.errors()[0]
        parameter = error_parameter(first)
        field = model.model_fields.get(parameter)
        if field is not None and field.alias:
            parameter = field.alias
        raise BadParameter(parameter, reason(first, parameter)) from None


def _as_values(field: FieldInfo | None, value: Any) -> Any:
    """An option's text for a list field (``--exclude a,b``) as the values it lists, as if each were
    sent apart: the command line's spelling of a list, checked value by value as the API checks them."""
    if field is None or not isinstance(value, str):
        return value
    options = get_args(field.annotation) or (field.annotation,)
    if not any(get_origin(get_args(o)[0] if get_origin(o) is Annotated else o) is list for o in options):
        return value
    return [part.strip() for part in value.split(",") if part.strip()]


def params_model(name: str, params: Iterable[Param]) -> type[BaseModel]:
    """A pydantic model of ``params`` (filled by field name), to check them all at once."""
    fields: dict[str, Any] = {p.name: (p.field.annotation, p.field) for p in params}
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(populate_by_name=True, extra="forbid"), **fields)
    return model


# ------------------------------------------------------------------------------ the snapshot query

# A value of exclude or sources: an id, or a comma list of them, never empty (app.parse.text_list).
ExcludeIds = Annotated[str, ids_between_commas(100, MAX_EXCLUDE)]
SourceIds = Annotated[str, ids_between_commas(100, MAX_SOURCES)]


class SnapshotQuery(BaseModel):
    """The parameters that pick a snapshot, as asked: names not yet resolved (``params`` does)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alliance: Annotated[str | None, Cli("alliance id or alias (nato, us-rok, us-japan, NATO, ROK, ...)")] = Field(
        default=None, max_length=40, description="An alliance id, e.g. nato, us-rok, us-japan."
    )
    as_of: Annotated[int | None, Cli("year of the snapshot (all years if omitted)")] = Field(
        default=None, ge=YEAR_MIN, le=YEAR_MAX, description="Year of the snapshot; all years if omitted."
    )
    condition: Annotated[QueryCondition | None, Cli("any, armistice (or peacetime), wartime")] = Field(
        default=None, description="any, armistice (or its synonym peacetime) or wartime; all if omitted."
    )
    include_planned: Annotated[bool, Cli("count planned organs and edges")] = Field(
        default=False, description="Count planned organs and edges (e.g. CFC's 2012 deactivation)."
    )
    exclude: Annotated[
        Annotated[list[ExcludeIds], MaxLen(MAX_EXCLUDE)] | None,
        AfterValidator(split_commas),  # app.parse.text_list written out (mypy takes no call here)
        Cli("comma list of organ ids to remove (what-if)"),
    ] = Field(
        default=None,
        description=f"Organ ids removed for a what-if (repeat the parameter, at most {MAX_EXCLUDE} times; each"
        " value may be a comma list).",
    )
    existence: Annotated[
        Existence,
        Cli(
            "possible (default): count what the paper leaves possible too, marked; certain: only what it places",
            choices=True,
        ),
    ] = Field(
        default=Existence.POSSIBLE,
        description="possible (default): what the paper places in the year and what it leaves possible, each "
        "marked; certain: only what the paper places in the year.",
    )
    scenario: Annotated[
        str | None, Cli("a scenario's id (alliances scenarios lists them): ask of it laid over the data")
    ] = Field(
        default=None,
        max_length=80,
        pattern=SCENARIO_ID_PATTERN,
        description="A scenario's id (GET /scenarios): ask the question of the data with the scenario laid over it.",
    )

    sources: Annotated[
        Annotated[list[SourceIds], MaxLen(MAX_SOURCES)] | None,
        AfterValidator(split_commas),  # app.parse.text_list written out: values checked as sent, then split
        Cli("comma list of source ids to count (alliances sources lists them); default: every loaded source"),
    ] = Field(
        default=None,
        description=f"The sources counted (GET /sources lists them): repeat the parameter, at most {MAX_SOURCES} "
        "times, each value may be a comma list; default: every loaded source. An unknown id is a 404 naming it.",
    )

    def params(self, store: Store, sent: Scenario | None = None) -> SnapshotParams:
        """The snapshot this query asks for, resolved against ``store``: an unknown source, alliance,
        scenario or excluded organ is a 404 naming it, a bad condition a 422. Alliances and organs may be named
        as ``Store.resolve_alliance`` / ``resolve_organ`` accept (acronym, alias, case), and what the
        scenario adds (the query's, or one ``sent`` whole) by its ids too."""
        sources = store.resolve_sources(self.sources)
        alliance = store.resolve_alliance(self.alliance) if self.alliance is not None else None
        if self.scenario is not None:
            store.scenario(self.scenario)
        return SnapshotParams(
            alliance,
            self.as_of,
            parse_condition_param(self.condition),
            self.include_planned,
            parse_exclude(self.exclude, store, sent if sent is not None else self.scenario),
            parse_existence(self.existence),
            self.scenario,
            sources,
        )

    def counted(self, store: Store) -> Store:
        """``store`` as the counted sources have it (itself when all loaded count): an unknown id is a
        404 naming it."""
        return store.sourced(store.resolve_sources(self.sources))

    def snapshot(self, store: Store) -> Snapshot:
        """The snapshot itself (``store.snapshot(self.params(store))``)."""
        return store.snapshot(self.params(store))


def snapshot_fields(without: Iterable[str] = ()) -> dict[str, FieldInfo]:
    """The snapshot query's fields, in order, less ``without``."""
    skip = set(without)
    unknown = skip - set(SnapshotQuery.model_fields)
    if unknown:
        raise ValueError(f"not fields of the snapshot query: {sorted(unknown)}")
    return {name: f for name, f in SnapshotQuery.model_fields.items() if name not in skip}
