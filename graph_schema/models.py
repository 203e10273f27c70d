"""Typed models of the vocabulary: Alliance, Organ, Edge, Indicator and Source, as the seed files write them.

Everything else that describes the data — the JSON Schema of the seed files, the Neo4j
constraints and indexes, the Neo4j Browser style — is generated from these classes by
``graph_schema.generate``; nothing is kept by hand in a second place.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

import edtf
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from graph_schema.codings import TreatyPhase
from graph_schema.life import Life, Span, StatusPeriod, Year, legacy_life
from graph_schema.vocabulary import (
    ALLIANCE_IDS,
    MEASURES,
    NATION_SCOPES,
    PAIR_SCOPES,
    QUALIFIER_BOUNDS,
    Bound,
    Condition,
    EdgeKind,
    Level,
    Measure,
    Mode,
    Nature,
    OrganType,
    Qualifier,
    Role,
    Status,
    Unit,
    parse_condition,
)

_SCOPES = "|".join(re.escape(s) for s in (*ALLIANCE_IDS, *NATION_SCOPES))
ORGAN_ID_PATTERN = rf"^({_SCOPES})\.[a-z0-9]+(-[a-z0-9]+)*$"
NATION_PATTERN = r"^[A-Z]{2,3}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class Source(_Model):
    """A verbatim quote that supports an organ, an edge or an alliance fact, from the text of the
    source (``graph_schema.sources``) whose ``source_id`` it carries: the paper's, unless an analyst's
    source claims it. The field keeps its name ``sources`` everywhere: the quotes."""

    quote: str = Field(min_length=8, description="Verbatim text of its source (whitespace-insensitive).")
    note: str | None = Field(default=None, description="How the quote supports the claim, if not plain.")
    source_id: SkipJsonSchema[str | None] = Field(
        default=None, description="The source whose text holds the quote (filled by the loader)."
    )


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

    @property
    def first_quote(self) -> str | None:
        """The first quote, or None for what an analyst's scenario adds without quotes."""
        return self.sources[0].quote if self.sources else None


class LinedSource(Source):
    """A quote and the line of its source's text where it begins (the paper's: ``seeds/source/finnegan-2009.txt``)."""

    line: int | None = Field(
        default=None, ge=1, description="Line of the source's text where the quote begins (filled by the loader)."
    )


class Claim(_Model):
    """One source's claim on an organ or edge: its own life, status periods and quotes.

    The loader makes one claim per source that writes the organ's or edge's id (the seeds are the
    paper's claims); ``app.combine`` pools the counted sources' claims into the life the snapshot
    rules judge ("combine, then judge", CONTRACT.md §2 "Sources"). Structural fields are not part of
    a claim: they are the same in every source.
    """

    source_id: str = Field(description="The source that makes the claim.")
    life: Life = Field(default_factory=Life)
    status_periods: list[StatusPeriod] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list, description="The claim's quotes, from its source's text.")
    note: str | None = Field(default=None, description="The source's own note on its claim (an analyst's why).")


class Membership(_Model):
    """A membership count of an alliance, with the year when the paper gives one.

    Derived from the alliance's ``members`` indicators (``Alliance.members``); never written in a seed.
    """

    count: int = Field(ge=1)
    year: Year | None = None
    note: str | None = None
    sources: list[LinedSource] = Field(min_length=1)


# ------------------------------------------------------------------------------------ indicators

# A year, or an EDTF (ISO 8601-2) interval such as the paper's academic year "2007/2008".
INTERVAL_PATTERN = r"^[^/\s]+/[^/\s]+$"
_PAIRS = "|".join(re.escape(s) for s in PAIR_SCOPES)
_ALLIANCES = "|".join(re.escape(s) for s in ALLIANCE_IDS)
SCOPE_PATTERN = rf"^(({_ALLIANCES})|({_PAIRS})|({_SCOPES})\.[a-z0-9]+(-[a-z0-9]+)*)$"


@functools.lru_cache(maxsize=256)
def interval_years(text: str) -> tuple[int, int]:
    """The first and last year of an EDTF interval (``2007/2008`` -> (2007, 2008)), checked with ``edtf``.

    Raises ValueError for text that is not an EDTF interval with both ends known and in order.
    Cached: the grammar is slow to run, and answers sort by these years.

    >>> interval_years("2007/2008")
    (2007, 2008)
    """
    try:
        parsed = edtf.parse_edtf(text)
    except Exception:  # the library raises its own EDTFParseException, and TypeError on open ends
        raise ValueError(f"year {text!r} is neither a year nor an EDTF interval such as 2007/2008") from None
    if not isinstance(parsed, edtf.Interval):
        raise ValueError(f"year {text!r} is an EDTF date but not an interval; write a year as a number")
    try:
        first, last = parsed.lower_strict().tm_year, parsed.upper_strict().tm_year
    except Exception:
        raise ValueError(f"year {text!r}: an interval needs both ends") from None
    if first > last:
        raise ValueError(f"year {text!r}: interval out of order ({first} is after {last})")
    return first, last


def _bare_quotes_schema(schema: dict[str, Any]) -> None:
    # The seeds may write a bare string for a quote (see _coerce_sources): the schema says so too.
    sources = schema.get("properties", {}).get("sources")
    if sources and "items" in sources:
        sources["items"] = {"anyOf": [sources["items"], {"type": "string", "minLength": 8}]}


class Indicator(_Model):
    """One benchmark figure the paper gives beyond structure: travellers, trade, students, jobs,
    member counts, the ROK's share of CFC's personnel, the Atlantic Treaty Association's associations.

    ``value`` is the number as printed (in the measure's unit: people, U.S. dollars, percent, ...),
    ``qualifier`` the paper's hedge on it ("near $300 billion" is value 300000000000, qualifier
    ``near``), ``year`` a year or an EDTF interval, null where the paper gives none, and ``scope``
    what the figure covers: the alliance itself, a pair the paper compares (``us-eu``), or an organ
    (``us-rok.cfc``), with the paper's caveat on it in ``scope_note``.
    """

    model_config = ConfigDict(json_schema_extra=_bare_quotes_schema)

    alliance: str | None = Field(
        default=None,
        json_schema_extra={"enum": [*ALLIANCE_IDS, None]},
        description="The alliance whose record carries it (implied when written inside the alliance).",
    )
    measure: Measure
    value: int | float = Field(ge=0, description="The figure as a plain number in the unit, e.g. 600000000000.")
    unit: Unit | None = Field(default=None, description="The measure's unit; filled from the measure when omitted.")
    year: Year | Annotated[str, Field(pattern=INTERVAL_PATTERN)] | None = Field(
        default=None, description="A year, or an EDTF interval such as 2007/2008; null where the paper gives none."
    )
    qualifier: Qualifier | None = Field(default=None, description="The paper's hedge: over, near, some, ...")
    scope: str = Field(
        pattern=SCOPE_PATTERN,
        description="An alliance id, a pair such as us-eu, or an organ id such as us-rok.cfc.",
    )
    scope_note: str | None = Field(default=None, description="The paper's caveat on what the figure covers.")
    note: str | None = None
    sources: list[LinedSource] = Field(min_length=1, description="At least one verbatim quote.")
    source_id: SkipJsonSchema[str | None] = Field(default=None, description="The source that gives the figure.")

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)

    @field_validator("scope", mode="before")
    @classmethod
    def _scope_shape(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.match(SCOPE_PATTERN, value):
            raise ValueError(
                f"scope {value!r} is neither an alliance id, a pair ({', '.join(PAIR_SCOPES)}) nor an organ id"
            )
        return value

    @field_validator("year", mode="before")
    @classmethod
    def _year_text(cls, value: Any) -> Any:
        # Checked here, before the union is tried, so a bad interval gets one plain message.
        if isinstance(value, str):
            if value.strip().isdigit():
                return int(value)
            interval_years(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        unit = MEASURES[self.measure].unit
        if self.unit is None:
            self.unit = unit
        elif self.unit is not unit:
            raise ValueError(
                f"unit {self.unit.value!r} does not fit measure {self.measure.value!r} (its unit: {unit.value})"
            )
        if self.unit is not Unit.PERCENT and self.unit is not Unit.USD and self.value != int(self.value):
            raise ValueError(f"value {self.value} must be a whole number of {self.unit.value}")
        if isinstance(self.value, float) and self.value == int(self.value):
            self.value = int(self.value)
        if self.measure is Measure.MEMBERS and isinstance(self.year, str):
            raise ValueError(f"year {self.year!r}: a member count is dated by one year")
        if self.alliance is not None and self.alliance not in ALLIANCE_IDS:
            raise ValueError(f"unknown alliance {self.alliance!r}; allowed: {', '.join(ALLIANCE_IDS)}")
        head = self.scope.split(".", 1)[0]
        if self.alliance is not None and head in ALLIANCE_IDS and head != self.alliance:
            raise ValueError(f"scope {self.scope!r} belongs to another alliance than {self.alliance!r}")
        return self

    @property
    def id(self) -> str:
        """Stable and unique: scope, measure and year (``us-rok:students-in-us:2007-2008``)."""
        base = f"{self.scope}:{self.measure.value}"
        return base if self.year is None else f"{base}:{str(self.year).replace('/', '-')}"

    @property
    def years(self) -> tuple[int, int] | None:
        """First and last year the figure covers, or None when the paper gives no year."""
        if self.year is None:
            return None
        if isinstance(self.year, int):
            return self.year, self.year
        return interval_years(self.year)

    @property
    def bound(self) -> Bound:
        """What the qualifier says of the true figure: exact, at least (lower), just under (upper), about."""
        return Bound.EXACT if self.qualifier is None else QUALIFIER_BOUNDS[self.qualifier]


class SeedIndicator(Indicator):
    """An indicator in a seed file's top-level ``indicators`` list: it names its alliance."""

    alliance: str = Field(
        json_schema_extra={"enum": list(ALLIANCE_IDS)}, description="The alliance whose record carries it."
    )


class Event(_Sourced):
    """A dated happening the paper reports that is not an organ or edge (a summit, a review)."""

    year: Year
    what: str


class Absence(_Sourced):
    """Something the paper says does not exist, scoped as it words it (alliance, kinds, years, condition).

    A linkage question whose chain is missing within this scope reports the gap as *stated*, with
    these quotes; outside it, a missing chain is only "not reported".
    """

    what: str = Field(description="What is absent, in the paper's words.")
    kinds: list[EdgeKind] = Field(min_length=1, description="The edge kinds whose chain the paper says is absent.")
    condition: Condition = Condition.ANY
    years: Span = Field(description="When the paper says so (its present tense attests 2009).")
    source_id: SkipJsonSchema[str | None] = Field(default=None, description="The source that states it.")


class Alliance(_Sourced):
    id: str = Field(pattern=r"^[a-z]+(-[a-z]+)*$", json_schema_extra={"enum": list(ALLIANCE_IDS)})
    name: str
    aliases: list[str] = Field(default_factory=list)
    treaty_years: list[Year] = Field(min_length=1)
    standing_structure: bool | None = Field(
        default=None, description="False where the paper says there is none; null where it is silent."
    )
    events: list[Event] = Field(default_factory=list)
    absences: list[Absence] = Field(default_factory=list, description="Gaps in the structure the paper states.")
    indicators: list[Indicator] = Field(
        default_factory=list, description="The paper's benchmarks beyond structure (seeds/indicators.yaml)."
    )
    notes: str | None = None
    codings: SkipJsonSchema[list[TreatyPhase]] = Field(
        default_factory=list,
        description="Its treaty phases as dataset sources code them (graph_schema.codings), each a claim of its "
        "source or context shown with it; read from the dataset by the loader, never written in a seed.",
    )

    @field_validator("id")
    @classmethod
    def _known_alliance(cls, value: str) -> str:
        if value not in ALLIANCE_IDS:
            raise ValueError(f"unknown alliance id {value!r}; allowed: {', '.join(ALLIANCE_IDS)}")
        return value

    @model_validator(mode="after")
    def _own_indicators(self) -> Alliance:
        for indicator in self.indicators:
            if indicator.alliance is None:
                indicator.alliance = self.id
            elif indicator.alliance != self.id:
                raise ValueError(f"indicator {indicator.id} names alliance {indicator.alliance!r}, not {self.id!r}")
        return self

    @property
    def members(self) -> list[Membership]:
        """The member counts, in the order written: its ``members`` indicators."""
        return [
            Membership(
                count=int(i.value),
                year=i.year if isinstance(i.year, int) else None,
                note=i.note,
                sources=i.sources,
            )
            for i in self.indicators
            if i.measure is Measure.MEMBERS
        ]


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
    life: Life = Field(default_factory=Life, description="When it exists, as the paper gives it (graph_schema.life).")
    status_periods: list[StatusPeriod] = Field(
        default_factory=list, description="Active, dormant or planned periods; none written = active while it exists."
    )
    part_of: str | None = Field(
        default=None, pattern=ORGAN_ID_PATTERN, description="The organ this is a part of (a command's commander post)."
    )
    location: str | None = None
    predecessors: list[str] = Field(default_factory=list, description="Ids of organs this one grew out of.")
    cadence: list[Cadence] = Field(default_factory=list)
    notes: str | None = None
    claims: SkipJsonSchema[list[Claim]] = Field(
        default_factory=list,
        exclude=True,
        description="One claim per source that claims it (made by the loader; answers show them with their judgement).",
    )

    @model_validator(mode="before")
    @classmethod
    def _legacy_years(cls, value: Any) -> Any:
        if isinstance(value, dict) and any(k in value for k in _LEGACY_ORGAN):
            value = dict(value)
            legacy_life(value, "established", "ended")
        return value

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
        if self.part_of == self.id:
            raise ValueError("an organ cannot be a part of itself")
        _periods_inside(self.life, self.status_periods)
        return self

    # The flat fields of the contract's first version, derived from the life (answers still carry them).
    @property
    def established(self) -> int | None:
        return self.life.start.year

    @property
    def ended(self) -> int | None:
        return self.life.end.year

    @property
    def not_before(self) -> int | None:
        return None if self.life.start.dated else self.life.start.low

    @property
    def planned_start(self) -> int | None:
        return self.life.planned_start.year if self.life.planned_start else None

    @property
    def planned_end(self) -> int | None:
        return self.life.planned_end.year if self.life.planned_end else None

    @property
    def status(self) -> Status:
        """The status of its last period: planned for a plan, dormant when it lies dormant now."""
        if self.life.only_planned:
            return Status.PLANNED
        return last_status(self.status_periods)


def _periods_inside(life: Life, periods: list[StatusPeriod]) -> None:
    """A status period lies inside the life: it cannot start before the life can or end after it must."""
    low, high = life.start.low, life.end.high
    for i, period in enumerate(periods):
        p_low = period.start.low if period.start.known else period.first_attested
        p_high = period.end.high if period.end.known else period.last_attested
        if low is not None and p_low is not None and p_low < low:
            raise ValueError(f"status_periods[{i}] ({period.status.value}) starts at {p_low}, before the life ({low})")
        if high is not None and p_high is not None and p_high > high:
            raise ValueError(f"status_periods[{i}] ({period.status.value}) runs to {p_high}, past the end ({high})")


_LEGACY_ORGAN = ("established", "ended", "not_before", "planned_start", "planned_end", "status")
_LEGACY_EDGE = ("from", "from_", "to", "not_before", "status")


def last_status(periods: list[StatusPeriod]) -> Status:
    """The status of the last of ``periods`` (active when none is written)."""
    if not periods:
        return Status.ACTIVE
    last = max(periods, key=lambda p: (p.last_attested or p.start.low or 0, p.start.high or 0))
    return last.status


class Edge(_Sourced):
    """A typed, directed relationship with its own life; coordination is mutual."""

    id: str | None = Field(default=None, description="Derived from the endpoints when omitted.")
    source: str = Field(
        pattern=ORGAN_ID_PATTERN,
        description="; ".join(f"{k.value}: {k.row.source_role}" for k in EdgeKind if not k.mutual) + ".",
    )
    target: str = Field(pattern=ORGAN_ID_PATTERN)
    kind: EdgeKind
    mode: Mode
    condition: Condition = Condition.ANY
    life: Life = Field(default_factory=Life, description="When it holds, as the paper gives it (graph_schema.life).")
    status_periods: list[StatusPeriod] = Field(default_factory=list)
    note: str | None = None
    claims: SkipJsonSchema[list[Claim]] = Field(
        default_factory=list,
        exclude=True,
        description="One claim per source that claims it (made by the loader; answers show them with their judgement).",
    )

    @model_validator(mode="before")
    @classmethod
    def _legacy_years(cls, value: Any) -> Any:
        if isinstance(value, dict) and any(k in value for k in _LEGACY_EDGE):
            value = dict(value)
            if "from_" in value:
                value["from"] = value.pop("from_")
            legacy_life(value, "from", "to")
        return value

    @field_validator("condition", mode="before")
    @classmethod
    def _synonyms(cls, value: Any) -> Any:
        return parse_condition(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Edge:
        if self.source == self.target:
            raise ValueError("an edge cannot join an organ to itself")
        _periods_inside(self.life, self.status_periods)
        if self.id is None:
            self.id = edge_id(self)
        return self

    # The flat fields of the contract's first version, derived from the life.
    @property
    def from_(self) -> int | None:
        return self.life.start.year

    @property
    def to(self) -> int | None:
        return self.life.end.year

    @property
    def not_before(self) -> int | None:
        return None if self.life.start.dated else self.life.start.low

    @property
    def status(self) -> Status:
        if self.life.only_planned:
            return Status.PLANNED
        return last_status(self.status_periods)

    @property
    def legacy_id(self) -> str:
        """The id this edge had before ids lost their years (still resolved by the stores)."""
        start = self.from_ if self.from_ is not None else "-"
        return f"{self.source}>{self.kind.value}:{self.mode.value}>{self.target}@{self.condition.value}:{start}"


def edge_id(edge: Edge) -> str:
    """The stable id of an edge: endpoints, kind, mode, and its condition unless ``any``.

    No years, so re-dating an edge keeps its id; only NMTOKEN characters, so it is a valid XML id.

    >>> e = Edge(source="nato.nac", target="nato.mc", kind="authority", mode="oversight", sources=["quote here"])
    >>> e.id
    'nato.nac:authority:oversight:nato.mc'
    """
    base = f"{edge.source}:{edge.kind.value}:{edge.mode.value}:{edge.target}"
    return base if edge.condition is Condition.ANY else f"{base}:{edge.condition.value}"


class SeedFile(_Model):
    """One YAML file under seeds/: any of the four lists."""

    alliances: list[Alliance] = Field(default_factory=list)
    organs: list[Organ] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    indicators: list[SeedIndicator] = Field(default_factory=list)
