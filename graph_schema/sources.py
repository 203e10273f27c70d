"""Sources: the documents and datasets the data rests on, and whose each claim is (CONTRACT.md §2 "Sources").

A source is the paper (``finnegan-2009``: the seeds are its claims), a dataset of coded values (a
``locator`` per value and a ``coverage``: outside it the dataset is silent), or an analyst's own
document, added as a folder beside the seeds. A text source carries its text, against which every
quote of its claims is checked verbatim; its ``date`` sets what its present tense attests (the
paper's, February 2009: 2009). Claims themselves are written in the seed vocabulary
(``graph_schema.models``); the loader stamps each with the id of the source it comes from
(``stamp``), so a pooled life still says whose each point, bound and attested year is.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph_schema.life import Life, StatusPeriod
from graph_schema.locator import Locator
from graph_schema.models import (
    ALLIANCE_IDS,
    ORGAN_ID_PATTERN,
    Absence,
    Edge,
    Organ,
    RoleSpell,
    SeedIndicator,
    Source,
    _coerce_sources,
)
from graph_schema.vocabulary import (
    PAPER_ID,
    Condition,
    EdgeKind,
    Level,
    Mode,
    Nature,
    OrganType,
    SourceKind,
    parse_condition,
)

__all__ = [
    "EDGE_STRUCTURE",
    "ORGAN_STRUCTURE",
    "PAPER_ID",
    "SOURCE_ID_PATTERN",
    "ClaimsFile",
    "Coverage",
    "EdgeClaim",
    "Locator",
    "OrganClaim",
    "SeedAbsence",
    "SourceRecord",
    "stamp",
]

SOURCE_ID_PATTERN = r"^[a-z0-9]+([.-][a-z0-9]+)*$"
_DATE = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class Coverage(_Model):
    """The years a dataset codes (inclusive); outside them it is silent, never evidence of absence."""

    # Not the seeds' Year (1900-2100): a dataset may code the nineteenth century (ATOP: 1815-2018).
    first: int = Field(ge=1000, le=2100)
    last: int = Field(ge=1000, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Coverage:
        if self.last < self.first:
            raise ValueError(f"coverage out of order: first {self.first} is after last {self.last}")
        return self


class SourceRecord(_Model):
    """One source: who wrote it, when, how to cite it, and its text (or, for a dataset, its coverage)."""

    id: str = Field(pattern=SOURCE_ID_PATTERN, max_length=80, description="Stable id, e.g. finnegan-2009.")
    kind: SourceKind
    title: str = Field(min_length=3, max_length=300)
    authors: list[str] = Field(min_length=1, description="As the source names them (an analyst: their own name).")
    date: str = Field(description="When it was written or released: YYYY, YYYY-MM or YYYY-MM-DD (EDTF).")
    citation: str = Field(min_length=3, description="How to cite it.")
    text: str | None = Field(
        default=None, description="paper/analyst: the file (beside the record) holding its text, quoted verbatim."
    )
    coverage: Coverage | None = Field(default=None, description="dataset: the years it codes.")
    files: list[str] = Field(default_factory=list, description="dataset: the files its locators name.")
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_text(cls, value: Any) -> Any:
        # YAML reads 2009-02-01 as a date and 2009 as a number; both mean the text written.
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("date")
    @classmethod
    def _edtf_date(cls, value: str) -> str:
        if not _DATE.match(value.strip()):
            raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        from edtf import parse_edtf  # the well-kept EDTF grammar checks what the pattern lets through

        try:
            parse_edtf(value.strip())
        except Exception:
            raise ValueError(f"date {value!r} is not a valid EDTF date") from None
        return value.strip()

    @model_validator(mode="after")
    def _text_or_coverage(self) -> SourceRecord:
        if self.kind is SourceKind.DATASET:
            if self.coverage is None:
                raise ValueError("a dataset source needs its coverage (the years it codes)")
            if self.text is not None:
                raise ValueError("a dataset source has locators per value, not a text")
        else:
            if not self.text:
                raise ValueError(f"a {self.kind.value} source needs its text (the file its quotes are checked against)")
            if self.coverage is not None:
                raise ValueError(f"coverage is for datasets, not a {self.kind.value} source")
        if self.kind is SourceKind.PAPER and self.id != PAPER_ID:
            raise ValueError(f"the one paper source is {PAPER_ID!r}; an analyst's own document is kind analyst")
        if self.kind is not SourceKind.PAPER and self.id == PAPER_ID:
            raise ValueError(f"{PAPER_ID!r} is the paper's id; give this source its own id")
        return self

    @property
    def present_year(self) -> int:
        """The year its present tense attests: the year of its date."""
        return int(self.date[:4])

    @property
    def is_text(self) -> bool:
        return self.kind is not SourceKind.DATASET

    def in_coverage(self, year: int) -> bool:
        """Whether a dataset codes ``year`` (a text source: always, it says what it says)."""
        return self.coverage is None or self.coverage.first <= year <= self.coverage.last


def stamp(model: Any, source_id: str) -> None:
    """Set ``source_id`` on every part of ``model`` that carries one and has none yet, in place:
    quotes, points, bounds, attested years, periods, gaps, absences, indicators, locators.

    Walks pydantic models, lists and dicts; a claim's own ``source_id`` is never overwritten.
    """
    todo = [model]
    while todo:
        node = todo.pop()
        if isinstance(node, BaseModel):
            if "source_id" in type(node).model_fields and getattr(node, "source_id", None) is None:
                setattr(node, "source_id", source_id)  # noqa: B010 - every model with the field, whatever its class
            todo.extend(getattr(node, name) for name in type(node).model_fields if name != "claims")
        elif isinstance(node, list | tuple):
            todo.extend(node)
        elif isinstance(node, dict):
            todo.extend(node.values())


# ------------------------------------------------------------------------------------ an analyst's claims file
# The claims of a source folder (docs/sources.md): in the seed vocabulary, where a claim on an id
# another source already has writes only what this source says of it.

ORGAN_STRUCTURE: tuple[str, ...] = (
    "type",
    "alliance",
    "nation",
    "nature",
    "level",
    "part_of",
    "roles",
    "name",
    "acronym",
    "aliases",
)
"""Fields of an organ every source must give alike (written or left out): a different reading is a different id."""
EDGE_STRUCTURE: tuple[str, ...] = ("source", "target", "kind", "mode", "condition")
"""Fields of an edge every source must give alike (its id is made of them)."""


class OrganClaim(_Model):
    """A source's claim on an organ another source already has: its own dating and quotes.

    The structural fields (``ORGAN_STRUCTURE``) may be left out; written, they must be the other
    sources' (the loader names both files when they differ).
    """

    id: str = Field(pattern=ORGAN_ID_PATTERN)
    life: Life = Field(default_factory=Life)
    status_periods: list[StatusPeriod] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1, description="The claim's quotes, verbatim from its source's text.")
    note: str | None = Field(default=None, description="How the source's words support the claim, if not plain.")
    acronym: str | None = None
    name: str | None = None
    aliases: list[str] | None = None
    type: OrganType | None = None
    alliance: str | None = None
    nation: str | None = None
    nature: Nature | None = None
    level: Level | None = None
    roles: list[RoleSpell] | None = None
    part_of: str | None = None

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)

    @field_validator("roles", mode="before")
    @classmethod
    def _bare_roles(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"role": v} if isinstance(v, str) else v for v in value]
        return value


class EdgeClaim(_Model):
    """A source's claim on an edge another source already has, named by its ``id`` (or by the
    fields it is made of, which must then be the other sources')."""

    id: str | None = Field(default=None, description="The edge's id, as the other source has it.")
    source: str | None = Field(default=None, pattern=ORGAN_ID_PATTERN)
    target: str | None = Field(default=None, pattern=ORGAN_ID_PATTERN)
    kind: EdgeKind | None = None
    mode: Mode | None = None
    condition: Condition | None = None
    life: Life = Field(default_factory=Life)
    status_periods: list[StatusPeriod] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1, description="The claim's quotes, verbatim from its source's text.")
    note: str | None = None

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)

    @field_validator("condition", mode="before")
    @classmethod
    def _synonyms(cls, value: Any) -> Any:
        return parse_condition(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _named(self) -> EdgeClaim:
        if self.id is None and None in (self.source, self.target, self.kind, self.mode):
            raise ValueError("a claim on an edge names it by id, or by source, target, kind and mode")
        return self

    @property
    def derived_id(self) -> str | None:
        """The id its structural fields make (None when they are left out)."""
        if None in (self.source, self.target, self.kind, self.mode):
            return None
        base = f"{self.source}:{self.kind.value}:{self.mode.value}:{self.target}"  # type: ignore[union-attr]
        condition = self.condition or Condition.ANY
        return base if condition is Condition.ANY else f"{base}:{condition.value}"


class SeedAbsence(Absence):
    """A stated absence in a claims file: it names the alliance it concerns (the seeds write theirs
    inside the alliance record)."""

    alliance: str = Field(json_schema_extra={"enum": list(ALLIANCE_IDS)})

    @field_validator("alliance")
    @classmethod
    def _known_alliance(cls, value: str) -> str:
        if value not in ALLIANCE_IDS:
            raise ValueError(f"unknown alliance id {value!r}; allowed: {', '.join(ALLIANCE_IDS)}")
        return value


class ClaimsFile(_Model):
    """One YAML claims file of a source folder. Organs and edges are whole (``Organ``, ``Edge``) for
    a new id, claims (``OrganClaim``, ``EdgeClaim``) on an id another source has."""

    organs: list[Organ | OrganClaim] = Field(default_factory=list)
    edges: list[Edge | EdgeClaim] = Field(default_factory=list)
    indicators: list[SeedIndicator] = Field(default_factory=list)
    absences: list[SeedAbsence] = Field(default_factory=list)
