"""Typed models of the vocabulary: Alliance, Organ, Edge and Source, as the seed files write them.

Everything else that describes the data — the JSON Schema of the seed files, the Neo4j
constraints and indexes, the Neo4j Browser style — is generated from these classes by
``graph_schema.generate``; nothing is kept by hand in a second place.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph_schema.vocabulary import (
    ALLIANCE_IDS,
    NATION_SCOPES,
    Condition,
    EdgeKind,
    Level,
    Mode,
    Nature,
    OrganType,
    Role,
    Status,
    parse_condition,
)

Year = Annotated[int, Field(ge=1900, le=2100)]

_SCOPES = "|".join(re.escape(s) for s in (*ALLIANCE_IDS, *NATION_SCOPES))
ORGAN_ID_PATTERN = rf"^({_SCOPES})\.[a-z0-9]+(-[a-z0-9]+)*$"
NATION_PATTERN = r"^[A-Z]{2,3}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class Source(_Model):
    """A verbatim quote from the paper that supports an organ, an edge or an alliance fact."""

    quote: str = Field(min_length=8, description="Verbatim text of the paper (whitespace-insensitive).")
    note: str | None = Field(default=None, description="How the quote supports the claim, if not plain.")


def _coerce_sources(value: Any) -> Any:
    # Seeds may write a bare string for a quote with no note.
    if isinstance(value, list):
        return [{"quote": v} if isinstance(v, str) else v for v in value]
    return value


class _Sourced(_Model):
    sources: list[Source] = Field(min_length=1, description="At least one verbatim quote.")

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)


class Membership(_Model):
    """A membership count of an alliance, with the year when the paper gives one."""

    count: int = Field(ge=1)
    year: Year | None = None
    note: str | None = None
    sources: list[Source] = Field(min_length=1)

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)


class Event(_Sourced):
    """A dated happening the paper reports that is not an organ or edge (a summit, a review)."""

    year: Year
    what: str


class Alliance(_Sourced):
    id: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$", json_schema_extra={"enum": list(ALLIANCE_IDS)})
    name: str
    aliases: list[str] = Field(default_factory=list)
    treaty_years: list[Year] = Field(min_length=1)
    standing_structure: bool | None = Field(
        default=None, description="False where the paper says there is none; null where it is silent."
    )
    members: list[Membership] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("id")
    @classmethod
    def _known_alliance(cls, value: str) -> str:
        if value not in ALLIANCE_IDS:
            raise ValueError(f"unknown alliance id {value!r}; allowed: {', '.join(ALLIANCE_IDS)}")
        return value


class RoleSpell(_Model):
    """A role an organ holds, with the years (and condition) the paper gives for it."""

    role: Role
    from_: Year | None = Field(default=None, alias="from")
    to: Year | None = None
    condition: Condition = Condition.ANY

    @field_validator("condition", mode="before")
    @classmethod
    def _synonyms(cls, value: Any) -> Any:
        return parse_condition(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _years_in_order(self) -> RoleSpell:
        if self.from_ is not None and self.to is not None and self.from_ >= self.to:
            raise ValueError(f"role years out of order: from {self.from_} is not before to {self.to}")
        return self


class Cadence(_Model):
    """How often a body meets, at which level, as the paper gives it."""

    session: str = Field(description="The level or format of the meeting, e.g. 'ministerial'.")
    frequency: str = Field(description="As the paper words it, e.g. 'weekly', 'semi-annually'.")


class Organ(_Sourced):
    id: str = Field(pattern=ORGAN_ID_PATTERN, description="<scope>.<slug>; scope an alliance id or us/rok/japan.")
    acronym: str | None = None
    name: str
    aliases: list[str] = Field(default_factory=list)
    type: OrganType
    alliance: str | None = Field(default=None, json_schema_extra={"enum": [*ALLIANCE_IDS, None]})
    nation: str | None = Field(default=None, pattern=NATION_PATTERN)
    nature: Nature
    level: Level
    roles: list[RoleSpell] = Field(default_factory=list)
    established: Year | None = None
    ended: Year | None = None
    not_before: Year | None = Field(default=None, description="A lower bound on the start the paper implies.")
    planned_start: Year | None = Field(default=None, description="For a planned organ: the year the plan names.")
    planned_end: Year | None = Field(default=None, description="A plan the paper reports; a plan, not an end.")
    status: Status = Status.ACTIVE
    location: str | None = None
    predecessors: list[str] = Field(default_factory=list, description="Ids of organs this one grew out of.")
    cadence: list[Cadence] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("roles", mode="before")
    @classmethod
    def _bare_roles(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"role": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Organ:
        scope = self.id.split(".", 1)[0]
        if scope in NATION_SCOPES:
            if self.alliance is not None:
                raise ValueError(f"national organ {self.id} must have alliance null")
            if self.nation != NATION_SCOPES[scope]:
                raise ValueError(f"national organ {self.id} must have nation {NATION_SCOPES[scope]}")
        elif self.alliance != scope:
            raise ValueError(f"organ {self.id} must have alliance {scope!r} (its id's scope)")
        if self.alliance is not None and self.alliance not in ALLIANCE_IDS:
            raise ValueError(f"unknown alliance {self.alliance!r}")
        _ordered("established", self.established, "ended", self.ended)
        _ordered("not_before", self.not_before, "ended", self.ended)
        if self.not_before is not None and self.established is not None and self.not_before > self.established:
            raise ValueError(f"not_before {self.not_before} is after established {self.established}")
        _ordered("established", self.established, "planned_end", self.planned_end)
        if self.status is Status.PLANNED and self.established is not None:
            raise ValueError("a planned organ has no established year; use planned_start")
        if self.planned_start is not None and self.status is not Status.PLANNED:
            raise ValueError("planned_start is only for organs whose status is planned")
        return self


def _ordered(first_name: str, first: int | None, second_name: str, second: int | None) -> None:
    if first is not None and second is not None and first > second:
        raise ValueError(f"years out of order: {first_name} {first} is after {second_name} {second}")


class Edge(_Sourced):
    """A typed, directed relationship with its own life; coordination is mutual."""

    id: str | None = Field(default=None, description="Derived from the endpoints when omitted.")
    source: str = Field(
        pattern=ORGAN_ID_PATTERN,
        description="authority: superior; advice: adviser; support: supporter; membership: member.",
    )
    target: str = Field(pattern=ORGAN_ID_PATTERN)
    kind: EdgeKind
    mode: Mode
    condition: Condition = Condition.ANY
    from_: Year | None = Field(default=None, alias="from", description="First year the edge holds.")
    to: Year | None = Field(default=None, description="First year it no longer holds (from <= year < to).")
    not_before: Year | None = None
    status: Status = Status.ACTIVE
    note: str | None = None

    @field_validator("condition", mode="before")
    @classmethod
    def _synonyms(cls, value: Any) -> Any:
        return parse_condition(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Edge:
        if self.source == self.target:
            raise ValueError("an edge cannot join an organ to itself")
        if self.from_ is not None and self.to is not None and self.from_ >= self.to:
            raise ValueError(f"years out of order: from {self.from_} is not before to {self.to}")
        if self.not_before is not None and self.to is not None and self.not_before >= self.to:
            raise ValueError(f"years out of order: not_before {self.not_before} is not before to {self.to}")
        if self.id is None:
            self.id = edge_id(self)
        return self


def edge_id(edge: Edge) -> str:
    """The stable id of an edge: endpoints, kind, mode, condition and first year."""
    start = edge.from_ if edge.from_ is not None else "-"
    return f"{edge.source}>{edge.kind.value}:{edge.mode.value}>{edge.target}@{edge.condition.value}:{start}"


class SeedFile(_Model):
    """One YAML file under seeds/: any of the three lists."""

    alliances: list[Alliance] = Field(default_factory=list)
    organs: list[Organ] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
