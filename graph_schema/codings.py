"""Treaty codings: what a dataset source (ATOP 5.1) codes of an alliance's treaty, as claims of it.

CONTRACT.md §2 "Sources", "Values" and "Treaty codings beside practice". A dataset that codes
alliances gives, per treaty **phase**, the values of its coded variables (``CodedValue``: the value,
its meaning in words and its ``Locator``: file, record, variable) and the phase's **members**, each
with the dates it entered and left (``MemberSpell``). These are claims of the dataset about the
alliance as a treaty; they are never evidence for or against an organ or edge of the structure.

A dated value holds in year Y when it is in effect on 31 December of Y (``in_effect``); outside the
dataset's coverage it is silent. The meanings below are a summary in our words of the variables of
ATOP 5.1 (Leeds et al., codebook version 5.1, 2022; ``seeds/source/atop-5.1/README.md``), not the
codebook's own wording.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from graph_schema.locator import Locator

__all__ = [
    "MEMBER_VARIABLES",
    "PHASE_VARIABLES",
    "VARIABLES",
    "CodedValue",
    "MemberSpell",
    "TreatyPhase",
    "Variable",
    "Verdict",
    "in_effect",
    "meaning",
    "year_end",
]

NO_PROVISION = "the agreement has no such provision"


@dataclass(frozen=True)
class Variable:
    """One coded variable: what it codes, and the meaning of each value it takes."""

    name: str
    codes: str
    values: dict[int, str]

    def meaning(self, value: int) -> str | None:
        """The value's meaning in words; None for a value the variable does not take."""
        return self.values.get(value)


def _provision(name: str, codes: str, **values: str) -> Variable:
    return Variable(name, codes, {0: NO_PROVISION, **{int(k[1:]): v for k, v in values.items()}})


# The variables of an alliance phase (alliance_phases.csv), in the file's order.
PHASE_VARIABLES: tuple[Variable, ...] = (
    Variable(
        "bilateral",
        "whether the phase is between two states",
        {0: "more than two members", 1: "two members (bilateral)"},
    ),
    _provision(
        "defense",
        "a promise of active support if a partner is attacked",
        v1="some member promises active support if a partner is attacked",
    ),
    _provision(
        "offense",
        "a promise of support not precipitated by an attack",
        v1="some member promises support not precipitated by an attack",
    ),
    _provision(
        "consul",
        "a promise of consultation in a militarised crisis, with the aim of coordinating policy",
        v1="some member promises consultation in a militarised crisis",
    ),
    _provision("active", "a promise of any active military support", v1="some member promises active military support"),
    _provision(
        "milcon",
        "required contact among the members' military planners",
        v1="only in hostilities",
        v2="in peacetime too",
        v3="a common defence policy",
    ),
    _provision(
        "milaid",
        "military aid",
        v1="general",
        v2="grants or loans",
        v3="training or technology",
        v4="grants or loans, and training or technology",
    ),
    _provision("intcom", "an integrated command", v1="an integrated command that exists in peace and war alike"),
    _provision(
        "subord",
        "subordination of one party's forces to another's in conflict",
        v1="a named state commands",
        v2="who commands depends on conditions",
    ),
    _provision(
        "organ1",
        "an organisation the agreement creates",
        v1="regularly scheduled meetings of officials",
        v2="a named organisation with regular meetings",
        v3="a stand-alone organisation with a permanent bureaucracy",
    ),
    Variable(
        "orgpurp1",
        "the purpose of that organisation",
        {
            0: "no organisation",
            1: "military cooperation",
            2: "economic",
            3: "political consultation",
            4: "military, economic and political together",
            5: "settling disputes among members",
        },
    ),
    _provision(
        "organ2",
        "a second organisation the agreement creates",
        v1="regularly scheduled meetings of officials",
        v2="a named organisation with regular meetings",
        v3="a stand-alone organisation with a permanent bureaucracy",
    ),
    Variable(
        "orgpurp2",
        "the purpose of the second organisation",
        {
            0: "no second organisation",
            1: "military cooperation",
            2: "economic",
            3: "political consultation",
            4: "military, economic and political together",
            5: "settling disputes among members",
        },
    ),
    _provision(
        "base",
        "troop placements",
        v1="joint placements on neutral ground",
        v2="all members may station troops with each other",
        v3="some members station troops with others, not reciprocally",
    ),
    _provision("contrib", "each ally's contribution or how costs are shared", v1="the agreement details them"),
    _provision("asymm", "obligations that differ between members", v1="obligations differ between members"),
    Variable(
        "milinst",
        "military institutionalisation (Leeds and Anac 2005), summarising provisions such as peacetime military "
        "contact, integrated command, organisations and troop placements",
        {0: "low", 1: "moderate", 2: "high"},
    ),
    Variable(
        "formal",
        "formal institutionalisation (Leeds and Anac 2005), as the institutionalisation file codes it",
        {
            1: "coded 1 (the README gives no words per value; here the treaties that create no organisation)",
            2: "coded 2 (the README gives no words per value; here the treaties that create an organisation)",
        },
    ),
)

# A member's own obligations (members.csv): the promises of the phase, member by member.
MEMBER_VARIABLES: tuple[Variable, ...] = (
    _provision(
        "defense",
        "this member's promise of active support if a partner is attacked",
        v1="it promises active support if a partner is attacked",
    ),
    _provision(
        "offense",
        "this member's promise of support not precipitated by an attack",
        v1="it promises support not precipitated by an attack",
    ),
    _provision(
        "consul",
        "this member's promise of consultation in a militarised crisis, with the aim of coordinating policy",
        v1="it promises consultation in a militarised crisis",
    ),
    _provision(
        "active", "this member's promise of any active military support", v1="it promises active military support"
    ),
)

VARIABLES: dict[str, Variable] = {v.name: v for v in PHASE_VARIABLES}


def meaning(variable: Variable, value: int) -> str:
    """``variable``'s value in words: "organ1 2: a named organisation with regular meetings"."""
    words = variable.meaning(value)
    if words is None:
        raise ValueError(f"{variable.name} takes {sorted(variable.values)}, not {value}")
    return words


def year_end(year: int) -> dt.date:
    """31 December of ``year``: the day a dated value must be in effect to hold in the year."""
    return dt.date(year, 12, 31)


def in_effect(begin: dt.date, end: dt.date | None, year: int) -> bool:
    """Whether a dated value (a phase, a membership) holds in ``year``: in effect on 31 December of
    the year (CONTRACT.md §2 "Values"). ``end`` is the first day it no longer holds; None: not ended.

    >>> in_effect(dt.date(2008, 7, 9), None, 2008), in_effect(dt.date(1990, 10, 3), None, 1989)
    (True, False)
    >>> in_effect(dt.date(1951, 9, 1), dt.date(1986, 9, 17), 1986)
    False
    """
    day = year_end(year)
    return begin <= day and (end is None or day < end)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodedValue(_Model):
    """One value a dataset codes: the variable, the value, its meaning in words, and where it is."""

    variable: str
    value: int
    codes: str = Field(description="What the variable codes, in words.")
    meaning: str = Field(description="What this value means, in words (a summary, not the codebook's wording).")
    locator: Locator


class MemberSpell(_Model):
    """A state's membership of one phase: when it entered and left, and its own obligations."""

    member: str
    cow_code: int = Field(description="The Correlates of War state code.")
    entered: dt.date
    left: dt.date | None = Field(default=None, description="The day it left; null: had not left when coverage ends.")
    obligations: list[CodedValue] = Field(default_factory=list)
    locator: Locator

    def in_year(self, year: int) -> bool:
        """A member in ``year`` by the 31 December rule."""
        return in_effect(self.entered, self.left, year)


class TreatyPhase(_Model):
    """One phase of an alliance's treaty as a dataset codes it: a claim of ``source_id`` about
    ``alliance``, or context shown with ``context_for`` when the dataset's phase is not the roster
    alliance itself (the Manila Pact's SEATO phase beside U.S.-Thailand)."""

    source_id: str
    source_label: str | None = Field(default=None, description="The source's short name (ATOP).")
    alliance: str | None = Field(default=None, description="The roster alliance it is a claim about.")
    context_for: str | None = Field(
        default=None, description="The roster alliance it is shown with as context only (no claim about it)."
    )
    dataset_id: str = Field(description="The dataset's own id of the alliance (ATOP's atopid).")
    phase: int = Field(ge=0, description="The phase (0: a one-phase alliance).")
    record: str = Field(description="The phase's own key (ATOP's atopidphase, e.g. 3180.2).")
    begin: dt.date
    end: dt.date | None = Field(default=None, description="The day it ended; null: in effect when coverage ends.")
    values: list[CodedValue] = Field(default_factory=list)
    members: list[MemberSpell] = Field(default_factory=list)
    locator: Locator
    coverage_first: int | None = Field(default=None, description="The first year its source codes.")
    coverage_last: int | None = Field(default=None, description="The last year its source codes; silent after.")
    note: str | None = None

    def covers(self, year: int) -> bool:
        """Whether its source codes ``year`` at all (outside its coverage it is silent)."""
        first = self.coverage_first if self.coverage_first is not None else year
        last = self.coverage_last if self.coverage_last is not None else year
        return first <= year <= last

    def in_year(self, year: int) -> bool:
        """In effect in ``year`` by the 31 December rule, within its source's coverage."""
        return self.covers(year) and in_effect(self.begin, self.end, year)

    def value(self, variable: str) -> CodedValue | None:
        return next((v for v in self.values if v.variable == variable), None)

    def members_in(self, year: int) -> list[MemberSpell]:
        return [m for m in self.members if m.in_year(year)] if self.covers(year) else []


class Verdict(StrEnum):
    """A treaty coding beside the structure in practice, in a year (CONTRACT.md §2)."""

    BOTH = "both"  # the treaty provides it and the structure shows it
    PRACTICE_ONLY = "practice only"  # the structure shows what the treaty does not provide
    TREATY_ONLY = "treaty only"  # the treaty provides it; the source of practice states it absent
    TREATY_NOT_REPORTED = "treaty; practice not reported"  # the treaty provides it; practice is silent
    NEITHER = "neither"  # the treaty does not provide it and the structure does not show it
    NOT_CODED = "not coded"  # the dataset does not code the alliance in the year: silence, not absence
