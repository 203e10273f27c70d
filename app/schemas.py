"""The response models of the API: what every route answers, as the OpenAPI schema declares it.

They describe the answers; they never shape them. Routes build their answers as plain data in
``app.questions`` and return them as they are (``JSONResponse``), so a field added to an answer
reaches clients at once: every model accepts fields it does not declare (``extra="allow"``), at
every level, and a generated client keeps them (``additional_properties``). Declare a new field
here to give it a type in the schema.

Closed value sets are the vocabulary's enums (``graph_schema.vocabulary``), so the schema and the
data cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.questions.centrality import METRICS
from app.questions.export import FORMATS
from app.schemas_codings import AllianceCodings, CompareTreaty
from app.schemas_codings import CodingsAnswer as CodingsAnswer  # served from here with the other answers
from graph_schema.vocabulary import (
    CONDITION_SYNONYMS,
    BreakCause,
    Condition,
    EdgeKind,
    Existence,
    Level,
    Mode,
    Nature,
    OrganType,
    Role,
    Status,
)

# ------------------------------------------------------------------------------ query value sets


class TableFormat(StrEnum):
    """How a table is answered: JSON, or CSV."""

    JSON = "json"
    CSV = "csv"


# Built from the questions' own tables, so a format or metric added there is accepted here.
ExportFormat = StrEnum("ExportFormat", {name.upper(): name for name in FORMATS})  # type: ignore[misc]
ExportFormat.__doc__ = "The formats of /export."
Metric = StrEnum("Metric", {name.upper(): name for name in METRICS})  # type: ignore[misc]
Metric.__doc__ = "A centrality measure."
QueryCondition = StrEnum(  # type: ignore[misc]
    "QueryCondition", {c.upper(): c for c in [*(c.value for c in Condition), *CONDITION_SYNONYMS]}
)
QueryCondition.__doc__ = "A condition: any, armistice (peacetime is a synonym) or wartime."


def media_type(fmt: str) -> str:
    """The media type an export format is served as, without its parameters (``; charset=...``)."""
    return FORMATS[fmt].split(";")[0].strip()


# ----------------------------------------------------------------------------------- the answers


class Open(BaseModel):
    """Base of every answer model: undeclared fields are kept, never dropped."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Source(Open):
    quote: str = Field(description="Verbatim text of the paper.")
    note: str | None = None


class Membership(Open):
    count: int
    year: int | None = None
    note: str | None = None
    sources: list[Source] = []


class AllianceEvent(Open):
    year: int
    what: str
    sources: list[Source] = []


class AllianceOut(Open, AllianceCodings):
    """An alliance of the roster."""

    id: str
    name: str
    aliases: list[str] = []
    treaty_years: list[int]
    standing_structure: bool | None = None
    members: list[Membership] = []
    events: list[AllianceEvent] = []
    notes: str | None = None
    organs: int = Field(description="How many organs the alliance has (its own, all years).")
    sources: list[Source] = []
    counted_sources: list[str] = Field(default=[], description="The sources counted (sources=; default all loaded).")


class RoleSpell(Open):
    role: Role
    from_: int | None = Field(default=None, alias="from")
    to: int | None = None
    condition: Condition = Condition.ANY


class Cadence(Open):
    session: str
    frequency: str


class Why(Open):
    """The rule that decided an existence or status, in words, with its quote and the quote's line."""

    rule: str
    text: str
    quote: str | None = None
    line: int | None = None
    because: str | None = Field(default=None, description="The organ a weakest-link or part-of rule follows.")


class Judged(Open):
    """How sure the paper is of a thing in the snapshot's year (absent when ``existence`` is null)."""

    existence: Existence | None = None
    existence_why: Why | None = None
    status: Status | None = None
    status_why: Why | None = None
    proposed_by: Literal["paper", "analyst"] | None = Field(
        default=None, description="For what a scenario adds or changes: whose proposal it is."
    )


class OrganOut(Judged):
    """An organ: its life as the paper gives it (``life``, with EDTF), the flat year fields derived
    from it, and, in a year's answer, its existence and status in that year with their reasons."""

    id: str
    acronym: str | None = None
    name: str
    aliases: list[str] = []
    type: OrganType
    alliance: str | None = None
    nation: str | None = None
    nature: Nature
    level: Level
    roles: list[RoleSpell] = []
    established: int | None = None
    ended: int | None = None
    not_before: int | None = None
    not_after: int | None = None
    planned_start: int | None = None
    planned_end: int | None = None
    start_edtf: str | None = None
    end_edtf: str | None = None
    life: dict[str, Any] = Field(
        default_factory=dict, description="start, end, attested, plans, gaps (graph_schema.life)."
    )
    status_periods: list[dict[str, Any]] = []
    part_of: str | None = None
    location: str | None = None
    predecessors: list[str] = []
    cadence: list[Cadence] = []
    notes: str | None = None
    sources: list[Source] = []


class EdgeOut(Judged):
    """A typed, directed relationship with its own life (it holds on start <= year < end)."""

    id: str
    legacy_id: str | None = Field(default=None, description="Its id before ids lost their years (still resolved).")
    source: str
    target: str
    kind: EdgeKind
    mode: Mode
    condition: Condition = Condition.ANY
    from_: int | None = Field(default=None, alias="from")
    to: int | None = None
    not_before: int | None = None
    not_after: int | None = None
    start_edtf: str | None = None
    end_edtf: str | None = None
    life: dict[str, Any] = Field(default_factory=dict)
    status_periods: list[dict[str, Any]] = []
    note: str | None = None
    sources: list[Source] = []


class OrganDetail(OrganOut):
    """One organ with its edges in and out."""

    as_of: int | None = None
    edges_in: list[EdgeOut]
    edges_out: list[EdgeOut]
    counted_sources: list[str] = Field(default=[], description="The sources counted (sources=; default all loaded).")


class OrganBrief(Open):
    id: str
    acronym: str | None = None
    name: str
    nature: Nature
    level: Level
    existence: Existence | None = None
    status: Status | None = None
    proposed_by: Literal["paper", "analyst"] | None = None


class Hop(EdgeOut):
    """One step of a path: the edge, its first quote, and the way it was walked."""

    quote: str | None = None
    line: int | None = None
    walked: Literal["source->target", "target->source"]


class RestsOn(Open):
    organs: list[str] = []
    edges: list[str] = []


class Path(Open):
    hops: int
    certain: bool = Field(description="Every organ and edge on it is certain in the year.")
    condition: Condition = Field(description="The one condition the chain holds under (any, armistice, wartime).")
    rests_on: RestsOn = Field(description="The possible (or proposed) organs and edges the chain needs.")
    organs: list[OrganBrief]
    kinds: list[EdgeKind]
    edges: list[Hop]


class ScenarioEcho(Open):
    """The scenario an answer was asked of: whose proposal, whether it applied, what it changed."""

    id: str | None = None
    title: str | None = None
    alliance: str | None = None
    proposed_by: Literal["paper", "analyst"] | None = None
    applied: bool
    note: str | None = None
    proposed: list[str] = []
    removed_organs: list[str] = []
    removed_edges: list[str] = []
    changed_edges: list[str] = []


class SnapshotEcho(Open):
    """The snapshot an answer was computed on, as asked."""

    alliance: str | None = None
    as_of: int | None = None
    condition: Condition | None = None
    include_planned: bool = False
    existence: Existence = Existence.POSSIBLE
    exclude: list[str] = []
    scenario: ScenarioEcho | None = None


class QuestionEcho(SnapshotEcho):
    kinds: list[EdgeKind] = []


class PathsAnswer(QuestionEcho):
    source: str
    target: str
    max_hops: int
    limit: int
    absent: list[str] = Field(description="Source or target not alive in the snapshot.")
    absent_why: dict[str, Why] = {}
    removed: list[str] = []
    connected: bool
    certain: bool = Field(default=False, description="A chain of certain organs and edges connects them.")
    shortest_hops: int | None = None
    paths: list[Path]


class ReachedOrgan(OrganBrief):
    hops: int


class ClosingKind(Open):
    add_kind: EdgeKind
    linked: bool
    witness: Path | None = None


class QuoteLine(Open):
    quote: str
    line: int | None = None


class ChainBreak(Open):
    """Where the chain from the civilian side fails to reach a commander, why, and what would close it."""

    cause: BreakCause = Field(description="stated, not-reported, excluded, only-possible or before-treaty.")
    stated: bool = Field(description="The paper states the gap (then quotes has its words); else it is not reported.")
    quotes: list[QuoteLine] = []
    what: str | None = None
    reason: str
    civilian_reach: list[ReachedOrgan] = []
    furthest_hops: int | None = None
    commander_side: list[ReachedOrgan] = []
    closing_kinds: list[ClosingKind] = []
    kinds: list[EdgeKind] = []


class LinkageAnswer(QuestionEcho):
    linked: bool
    certain: bool = Field(description="A chain the paper places whole in the year exists.")
    shortest_hops: int | None = None
    removed: list[str] = []
    removed_edges: int = 0
    civilian_bodies: list[OrganBrief]
    civilian_rule: str
    operational_commanders: list[OrganBrief]
    commander_rule: str
    seat_rule: str | None = Field(
        default=None, description="With membership among the kinds: a body is linked to what sits on it."
    )
    witnesses: list[Path]
    break_: ChainBreak | None = Field(default=None, alias="break")


class RankedOrgan(OrganBrief):
    rank: int
    score: float


class ArticulationOrgan(OrganBrief):
    parts_after_removal: int
    parts_before: int


class CentralityAnswer(QuestionEcho):
    metric: Metric
    metric_note: str
    ranking: list[RankedOrgan]
    articulation: list[ArticulationOrgan]


class CompareCell(Open):
    """How sure the paper is of one verdict of a compare row (issue 24): never a bare "no" for silence."""

    value: Literal["certain", "possible", "not-reported", "stated-absent", "no"] = Field(
        description="certain, possible, not-reported (not the same as none), stated-absent (the paper says "
        "there is none), or no (only for coordination_only_linkage, where an authority chain exists)"
    )
    text: str = Field(description="The cell as tables, the page and figure 4 show it.")
    why: str
    quotes: list[dict[str, Any]] = []


class CompareRow(Open):
    """One column of figure 4: the structure of one alliance in one year."""

    alliance: str
    name: str
    treaty_years: list[int]
    standing_structure: bool | None = None
    as_of: int | None = None
    organs: int
    national_organs_linked: int
    by_nature: dict[str, int]
    by_level: dict[str, int]
    decision_bodies: list[str]
    military_committee: list[str]
    has_military_committee: bool
    combined_command: list[str]
    has_combined_command: bool
    linkage_by_authority: bool
    linkage_by_authority_hops: int | None = None
    linkage_by_authority_chain: str | None = None
    linkage_with_coordination: bool
    linkage_with_coordination_hops: int | None = None
    coordination_only_linkage: bool
    coordination_links: int
    single_points_of_failure: list[str]
    dormant_organs: list[str]
    meeting_cadence: list[str]
    cells: dict[str, CompareCell] = Field(
        default={},
        description="How sure the paper is of each yes/no verdict (has_military_committee, has_combined_command, "
        "linkage_by_authority, linkage_with_coordination, coordination_only_linkage), judged on what it leaves "
        "possible whatever existence counts; the booleans say what was found at the existence asked.",
    )


class CompareAnswer(Open, CompareTreaty):
    as_of: int | None = None
    rows: list[CompareRow]


class TimelineEvent(Open):
    year: int | None = None
    edtf: str = ""
    when: str = Field(default="", description="The year or bound in words: in 1978, by 2001, not before 1969.")
    line: int | None = None
    event: str = Field(description="treaty, founded, appears, gained, lost, ended, dormant, ...")
    planned: bool
    organ: str | None = None
    edge: str | None = None
    what: str
    quote: str | None = None


class TimelineAnswer(Open):
    alliance: str
    events: list[TimelineEvent]


class LinkageSummary(Open):
    linked: bool
    certain: bool = False
    hops: int | None = None
    cause: str | None = Field(default=None, description="When not linked, the break's cause (as /linkage gives it).")
    commanders: list[str] = []


class LinkageChange(Open):
    before: LinkageSummary
    after: LinkageSummary


class DiffAnswer(Open):
    alliance: str
    from_: int | None = Field(default=None, alias="from")
    to: int | None = None
    as_of: int | None = None
    scenario: str | None = None
    condition: Condition | None = None
    include_planned: bool = False
    existence: Existence | None = None
    organs_added: list[OrganBrief]
    organs_removed: list[OrganBrief]
    edges_added: list[EdgeOut]
    edges_removed: list[EdgeOut]
    linkage: LinkageChange
    changed: list[dict[str, Any]] = Field(default=[], description="Organs and edges whose existence or status changed.")


class IndicatorOut(Open):
    """One of the paper's benchmarks beyond structure, with its year, hedge, scope and quotes."""

    id: str
    alliance: str
    measure: str
    value: float
    unit: str | None = None
    qualifier: str | None = Field(default=None, description="The paper's hedge: over, near, some, approximately, ...")
    year: int | str | None = Field(default=None, description="A year or an EDTF interval such as 2007/2008.")
    scope: str | None = None
    scope_note: str | None = None
    label: str | None = None
    year_label: str | None = None
    bound: str | None = None
    sources: list[Source] = []


class IndicatorsAnswer(Open):
    alliance: str | None = None
    measure: str | None = None
    count: int
    indicators: list[IndicatorOut]


class EdgeKindOut(Open):
    """One row of the table of edge kinds (graph_schema/edge_kinds.py)."""

    kind: EdgeKind
    mutual: bool = Field(description="Walked both ways by every path question.")
    direction: str = Field(description="source → target in words, or mutual.")
    source_role: str | None = None
    target_role: str | None = None
    meaning: str
    caption: str = Field(description="The chart legend's words.")
    chart_colour: str
    chart_width: float
    chart_dash: str | None = None
    chart_marker: str
    neo4j_type: str = Field(description="The Neo4j relationship type.")
    browser_colour: str
    browser_width_px: int


class SourceOut(Open):
    """A source the data rests on (CONTRACT.md §2 "Sources") and how much it claims."""

    id: str
    kind: str = Field(description="paper, dataset or analyst")
    title: str
    authors: list[str]
    date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD; its year is what a text's present tense attests")
    present_year: int | None = None
    citation: str
    coverage: dict[str, int] | None = Field(default=None, description="A dataset's years (first, last)")
    note: str | None = None
    organs: int = 0
    edges: int = 0
    indicators: int = 0
    absences: int = 0


class SourceDetail(SourceOut):
    claims: dict[str, list[str]] = Field(description="The ids of the organs and edges it claims")


class ScenarioSummary(Open):
    id: str
    alliance: str
    title: str
    proposed_by: Literal["paper", "analyst"]
    assumes_plans: bool = False
    sources: list[str] = []


class ScenarioOut(Open):
    """A scenario whole (graph_schema.scenario.Scenario)."""

    id: str
    title: str
    alliance: str
    proposed_by: Literal["paper", "analyst"]
    rationale: str
    assumes_plans: bool = False
    sources: list[Source] = []
    add_organs: list[dict[str, Any]] = []
    add_edges: list[dict[str, Any]] = []
    remove_organs: list[str] = []
    remove_edges: list[str] = []
    change_edges: list[dict[str, Any]] = []


class GraphExport(Open):
    """The JSON export of a snapshot: its organs and edges, every property."""

    organs: list[dict[str, Any]] | None = None
    edges: list[dict[str, Any]] | None = None


class Health(Open):
    backend: str = Field(description="embedded or neo4j")
    state: str
    organs: int | None = None
    edges: int | None = None
    alliances: int | None = None


class Reloaded(Open):
    reloaded: bool
    backend: str
    organs: int | None = None
    edges: int | None = None


# ------------------------------------------------------------------------------------- errors


class ErrorDetail(Open):
    parameter: str
    message: str


class ErrorBody(Open):
    """Every error answer: a human message, and what it concerns when known."""

    error: str = Field(description="What went wrong, for a human.")
    parameter: str | None = Field(default=None, description="422: the parameter at fault.")
    id: str | None = Field(default=None, description="404: the unknown id.")
    close_matches: list[str] | None = Field(default=None, description="404: ids close to the unknown one.")
    details: list[ErrorDetail] | None = Field(default=None, description="422: every problem with the request.")
    problems: list[str] | None = Field(default=None, description="Reload: every problem found in the seeds.")


class HealthDown(ErrorBody):
    """/health when the store cannot be reached."""

    backend: str
    state: str
