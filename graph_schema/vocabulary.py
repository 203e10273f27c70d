"""The closed value sets of the vocabulary (CONTRACT.md section 1): the one place they are spelt."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

# The edge kinds are a table of their own (direction, looks, words): re-exported here with the other sets.
from graph_schema.edge_kinds import UNDIRECTED_KINDS as UNDIRECTED_KINDS
from graph_schema.edge_kinds import EdgeKind as EdgeKind


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
    PRIMACY = "primacy"
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


# ------------------------------------------------------------------------------------ indicators
# CONTRACT.md section 2 "Indicators": the paper's benchmarks beyond structure (travellers, trade,
# students, jobs, member counts, ...). Each measure has one unit, so that values of one measure can
# be set side by side; the hedge the paper puts on a figure is its qualifier.


class Unit(_Str):
    PEOPLE = "people"
    USD = "usd"
    PERCENT = "percent"
    RANK = "rank"
    COUNTRIES = "countries"
    NATIONS = "nations"
    ASSOCIATIONS = "associations"
    BODIES = "bodies"


class Measure(_Str):
    TRAVELLERS = "travellers"
    MERCHANDISE_TRADE = "merchandise-trade"
    TRADE_WITH_SERVICES = "trade-with-services"
    TWO_WAY_TRADE = "two-way-trade"
    STUDENTS_IN_US = "students-in-us"
    STUDENTS_IN_US_SHARE = "students-in-us-share"
    STUDENT_SOURCE_RANK = "student-source-rank"
    ALLIES_IN_TOP_25_SOURCES = "allies-in-top-25-sources"
    VISA_STUDENTS_SHARE = "visa-students-share"
    US_STUDENTS_ABROAD = "us-students-abroad"
    US_STUDENTS_ABROAD_SHARE = "us-students-abroad-share"
    ALLIES_IN_TOP_20_DESTINATIONS = "allies-in-top-20-destinations"
    JOBS_IN_US = "jobs-in-us"
    JOBS_IN_PARTNER = "jobs-in-partner"
    MEMBERS = "members"
    COMBINED_COMMAND_SHARE = "combined-command-share"
    ASSOCIATIONS = "associations"
    STAFF = "staff"
    COMMITTEES = "committees"


class MeasureInfo(NamedTuple):
    """What a measure counts, in words for a table heading, and its one unit."""

    label: str
    unit: Unit


MEASURES: dict[Measure, MeasureInfo] = {
    Measure.TRAVELLERS: MeasureInfo("Travellers between the United States and the partner", Unit.PEOPLE),
    Measure.MERCHANDISE_TRADE: MeasureInfo("Merchandise trade volume with the United States", Unit.USD),
    Measure.TRADE_WITH_SERVICES: MeasureInfo("Trade volume with commercial services figured in", Unit.USD),
    Measure.TWO_WAY_TRADE: MeasureInfo("Two-way trade with the United States", Unit.USD),
    Measure.STUDENTS_IN_US: MeasureInfo("University students in the United States from the partner", Unit.PEOPLE),
    Measure.STUDENTS_IN_US_SHARE: MeasureInfo(
        "Share of the foreign university student population in the United States", Unit.PERCENT
    ),
    Measure.STUDENT_SOURCE_RANK: MeasureInfo("Rank as a source of foreign students in the United States", Unit.RANK),
    Measure.ALLIES_IN_TOP_25_SOURCES: MeasureInfo(
        "Allies among the top 25 sources of foreign students in the United States", Unit.COUNTRIES
    ),
    Measure.VISA_STUDENTS_SHARE: MeasureInfo(
        "Share of all F-1 and M-1 student-visa holders in the United States", Unit.PERCENT
    ),
    Measure.US_STUDENTS_ABROAD: MeasureInfo("American students abroad in the partner", Unit.PEOPLE),
    Measure.US_STUDENTS_ABROAD_SHARE: MeasureInfo("Share of all American students abroad", Unit.PERCENT),
    Measure.ALLIES_IN_TOP_20_DESTINATIONS: MeasureInfo(
        "Allies among the top 20 destinations of American students abroad", Unit.COUNTRIES
    ),
    Measure.JOBS_IN_US: MeasureInfo("Americans employed by the partner's companies in the United States", Unit.PEOPLE),
    Measure.JOBS_IN_PARTNER: MeasureInfo("Jobs U.S. companies provide in the partner country", Unit.PEOPLE),
    Measure.MEMBERS: MeasureInfo("Member states", Unit.NATIONS),
    Measure.COMBINED_COMMAND_SHARE: MeasureInfo("Partner's share of the combined command's personnel", Unit.PERCENT),
    Measure.ASSOCIATIONS: MeasureInfo("Associations of the Atlantic Treaty Association", Unit.ASSOCIATIONS),
    Measure.STAFF: MeasureInfo("Civilian staff members", Unit.PEOPLE),
    Measure.COMMITTEES: MeasureInfo("Committees, boards, task forces, groups and working groups", Unit.BODIES),
}


class Qualifier(_Str):
    """The paper's hedge on a figure, as it words it ("near $300 billion"); none for a bare figure."""

    OVER = "over"
    MORE_THAN = "more-than"
    APPROACHES = "approaches"
    NEAR = "near"
    NEARLY = "nearly"
    SOME = "some"
    APPROXIMATELY = "approximately"
    ROUGHLY = "roughly"


class Bound(_Str):
    """What a qualifier says of the true figure against the value printed."""

    EXACT = "exact"  # no hedge
    LOWER = "lower"  # over, more than: at least the value
    UPPER = "upper"  # approaches, nearly: just under the value
    APPROXIMATE = "approximate"  # near, some, approximately, roughly: about the value


QUALIFIER_BOUNDS: dict[Qualifier, Bound] = {
    Qualifier.OVER: Bound.LOWER,
    Qualifier.MORE_THAN: Bound.LOWER,
    Qualifier.APPROACHES: Bound.UPPER,
    Qualifier.NEARLY: Bound.UPPER,
    Qualifier.NEAR: Bound.APPROXIMATE,
    Qualifier.SOME: Bound.APPROXIMATE,
    Qualifier.APPROXIMATELY: Bound.APPROXIMATE,
    Qualifier.ROUGHLY: Bound.APPROXIMATE,
}


def qualifier_words(qualifier: Qualifier | None) -> str:
    """The qualifier as the paper writes it before a figure ("more than"); empty for none."""
    return "" if qualifier is None else qualifier.value.replace("-", " ")


# Scopes of an indicator that are neither an alliance nor an organ: the pairs the paper compares.
PAIR_SCOPES: dict[str, str] = {"us-eu": "U.S.-EU", "us-europe": "U.S.-Europe"}


# ------------------------------------------------------------------------------------ sources
# CONTRACT.md section 2 "Sources": every claim says whose it is.


class SourceKind(_Str):
    """What a source is: a text (the paper, an analyst's document) or a dataset of coded values."""

    PAPER = "paper"
    DATASET = "dataset"
    ANALYST = "analyst"


class Agreement(_Str):
    """Whether the counted sources that claim a thing agree on it in a year (CONTRACT.md §2)."""

    SINGLE = "single"  # one counted source claims it
    AGREED = "agreed"  # several do, and none contradicts another in the year
    DISPUTED = "disputed"  # one places it in the year, another's stated life or absence excludes it


PAPER_ID = "finnegan-2009"
"""The id of the paper the seeds are the claims of (Finnegan, February 2009)."""
