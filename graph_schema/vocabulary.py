"""The closed value sets of the vocabulary (CONTRACT.md section 1): the one place they are spelt."""

from __future__ import annotations

from enum import StrEnum


class _Str(StrEnum):
    """A closed value set; members compare and print as their values."""


class Nature(_Str):
    CIVILIAN = "civilian"
    MILITARY = "military"
    PARLIAMENTARY = "parliamentary"
    NON_GOVERNMENTAL = "non-governmental"


class Level(_Str):
    POLITICAL = "political"
    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    COMPONENT = "component"
    WORKING = "working"
    SUPPORT = "support"
    CIVIL_SOCIETY = "civil-society"


# Top of an organisation chart first: the order charts and tables sort levels in.
LEVEL_ORDER: tuple[Level, ...] = tuple(Level)


class OrganType(_Str):
    COUNCIL = "council"
    COMMITTEE = "committee"
    COMMAND = "command"
    HEADQUARTERS = "headquarters"
    STAFF = "staff"
    MECHANISM = "mechanism"
    DIALOGUE = "dialogue"
    POST = "post"
    MINISTRY = "ministry"
    AGENCY = "agency"
    FORCE = "force"
    ASSEMBLY = "assembly"
    ASSOCIATION = "association"
    COMMISSION = "commission"
    FOUNDATION = "foundation"
    PROGRAM = "program"


class Role(_Str):
    DECISION_MAKING = "decision-making"
    ADVISORY = "advisory"
    OPERATIONAL_COMMAND = "operational-command"
    SUPPORTING_COMMAND = "supporting-command"
    COORDINATION = "coordination"
    STAFF_SUPPORT = "staff-support"
    CONSENSUS_BUILDING = "consensus-building"
    CONSULTATION = "consultation"
    PLANNING = "planning"
    TRANSFORMATION = "transformation"
    POLITICAL_CONTROL = "political-control"
    EXCHANGE = "exchange"


class EdgeKind(_Str):
    AUTHORITY = "authority"
    ADVICE = "advice"
    COORDINATION = "coordination"
    SUPPORT = "support"
    MEMBERSHIP = "membership"


# Kinds that are mutual: traversed both ways by every path question.
UNDIRECTED_KINDS: frozenset[EdgeKind] = frozenset({EdgeKind.COORDINATION})


class Mode(_Str):
    OVERSIGHT = "oversight"
    GUIDANCE = "guidance"
    DIRECTION = "direction"
    SUPERVISION = "supervision"
    COMMAND = "command"
    OPCOM = "opcom"
    OPCON = "opcon"
    DECISION = "decision"
    DIRECTIVE = "directive"
    RECOMMENDATION = "recommendation"
    PREPARATION = "preparation"
    CONSULTATION = "consultation"
    EXCHANGE = "exchange"
    PLANNING = "planning"
    AD_HOC = "ad-hoc"
    COLLOCATION = "collocation"
    STAFF_SUPPORT = "staff-support"
    ASSISTANCE = "assistance"
    SUPPORTING_COMMAND = "supporting-command"
    HOST = "host"
    CHAIR = "chair"
    MEMBER = "member"
    REPRESENTED = "represented"
    HEADS = "heads"
    SUCCESSION = "succession"


class Condition(_Str):
    ANY = "any"
    ARMISTICE = "armistice"
    WARTIME = "wartime"


# Accepted everywhere a condition is read; CONTRACT.md: "`peacetime` is accepted everywhere as a
# synonym of `armistice`".
CONDITION_SYNONYMS: dict[str, Condition] = {"peacetime": Condition.ARMISTICE}


def parse_condition(value: str) -> Condition:
    """Read a condition, accepting the synonyms; raise ValueError naming the allowed values."""
    key = value.strip().lower()
    if key in CONDITION_SYNONYMS:
        return CONDITION_SYNONYMS[key]
    try:
        return Condition(key)
    except ValueError:
        allowed = ", ".join([c.value for c in Condition] + list(CONDITION_SYNONYMS))
        raise ValueError(f"unknown condition {value!r}; allowed: {allowed}") from None


class Status(_Str):
    """What a thing is doing in a year: written as periods (active, dormant, planned); ``proposed``
    marks what a scenario adds, ``unknown`` a year that no period certainly covers."""

    ACTIVE = "active"
    DORMANT = "dormant"
    PLANNED = "planned"
    PROPOSED = "proposed"
    UNKNOWN = "unknown"


class Existence(_Str):
    """How sure the paper is that a thing exists in a year (CONTRACT.md §1 "Time and certainty")."""

    CERTAIN = "certain"
    POSSIBLE = "possible"


class BreakCause(_Str):
    """Why a linkage chain is missing."""

    STATED = "stated"
    NOT_REPORTED = "not-reported"
    EXCLUDED = "excluded"
    ONLY_POSSIBLE = "only-possible"
    BEFORE_TREATY = "before-treaty"


ALLIANCE_IDS: tuple[str, ...] = (
    "nato",
    "us-japan",
    "us-rok",
    "us-philippines",
    "anzus",
    "us-thailand",
    "us-uk",
)
NATION_SCOPES: dict[str, str] = {"us": "US", "rok": "ROK", "japan": "JP"}
