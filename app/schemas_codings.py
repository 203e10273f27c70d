"""The response models of the treaty codings (CONTRACT.md §2 "Treaty codings beside practice"):
an alliance's ``codings`` and ``members_by_year`` (``GET /alliances/{id}``) and the
treaty-beside-practice rows of ``GET /compare``. Part of ``app.schemas`` (which imports them),
in a module of their own to keep each under its size.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_schema.codings import Verdict
from graph_schema.vocabulary import Agreement, Existence


class Open(BaseModel):
    """As ``app.schemas.Open``: undeclared fields are kept, never dropped."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Locator(Open):
    """Where a dataset value is: its file, record and variable."""

    file: str
    record: str
    variable: str
    source_id: str | None = None


class CodedValue(Open):
    """A value a dataset codes, with its meaning in words and its locator."""

    variable: str
    value: int
    codes: str = Field(description="What the variable codes, in words.")
    meaning: str = Field(description="What this value means, in words (a summary, not the codebook's wording).")
    locator: Locator


class TreatySide(Open):
    """What the treaty coding provides in the year: provides, no provision, or not coded (with why)."""

    status: Literal["provides", "no provision", "not coded"]
    source_ids: list[str]
    values: list[CodedValue] = []
    why: str | None = None
    text: str | None = None


class PracticeSide(Open):
    """What the structure shows in the year: shown (with the organs and edges it rests on), stated
    absent (with the statements), or not reported (silence, never no)."""

    status: Literal["shown", "stated absent", "not reported"]
    existence: Existence | None = None
    source_ids: list[str]
    text: str


class TreatyTest(Open):
    treaty: str = Field(description="What counts as the treaty providing it, in words.")
    practice: str = Field(description="What counts as the structure showing it, in words.")
    reading: str


class TreatyPracticeRow(Open):
    """One provision of a treaty coding beside the structure of one alliance in one year."""

    alliance: str
    as_of: int | None = None
    provision: str
    label: str
    variables: list[str]
    verdict: Verdict
    verdict_text: str
    treaty: TreatySide
    practice: PracticeSide
    test: TreatyTest


class MemberSpell(Open):
    member: str
    cow_code: int
    entered: str
    left: str | None = None
    obligations: list[CodedValue] = []
    locator: Locator


class TreatyPhase(Open):
    """One phase of the alliance's treaty as a dataset source codes it: a claim of that source, or
    context shown with the alliance (``role``)."""

    source_id: str
    role: Literal["claim", "context"]
    label: str
    dataset_id: str
    phase: int
    record: str
    begin: str
    end: str | None = None
    values: list[CodedValue] = []
    members: list[MemberSpell] = []
    locator: Locator
    in_effect: bool | None = Field(default=None, description="With as_of: in effect on 31 December of the year.")
    note: str | None = None


class MembersByYear(Open):
    """Members by year from each source that gives them; with as_of, each one's figure in the year."""

    as_of: int | None = None
    rule: str
    by_source: list[dict[str, Any]]
    in_year: list[dict[str, Any]] = []
    agreement: Agreement | None = None
    disputed: bool | None = None


class AllianceCodings(Open):
    """What ``GET /alliances/{id}`` and ``alliances codings`` give of an alliance's treaty codings."""

    codings: list[TreatyPhase] = Field(
        default=[], description="GET /alliances/{id}: each treaty phase a counted dataset source codes (or context)."
    )
    codings_note: list[str] = Field(
        default=[], description="Coding sources left out (sources=), or that do not code the alliance (silence)."
    )
    members_by_year: MembersByYear | None = None


class CodingsAnswer(AllianceCodings):
    """``alliances codings``: an alliance's treaty codings and members by year (as ``GET /alliances/{id}``)."""

    alliance: str
    as_of: int | None = None
    counted_sources: list[str] = []


class CompareTreaty(Open):
    """The treaty-beside-practice part of ``GET /compare``'s answer."""

    treaty_practice: list[TreatyPracticeRow] = Field(
        default=[], description="Treaty codings beside practice, per alliance and provision, each with its verdict."
    )
    treaty_practice_note: str | None = Field(
        default=None, description="Says so when a coding source is loaded but not counted (sources=)."
    )
    treaty_only: bool = Field(
        default=False,
        description="treaty=true: the table (CSV, terminal) lists the treaty-beside-practice rows only, one per "
        "alliance and provision; the JSON answer is whole.",
    )
