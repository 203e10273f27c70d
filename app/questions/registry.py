"""The question registry: one descriptor per question, from which every shell serves it.

A ``Question`` holds what the shells need and nothing they decide: the plain function, its CSV
rows, its answer model, its own parameters beyond the snapshot query's (``app.query.Param``), which
snapshot parameters it takes, its summary and help, its answer in words for a terminal, and an
example. From ``QUESTIONS`` follow:

- ``GET /NAME`` and its CSV twin ``GET /NAME.csv`` (``app.api.routes.questions``), the route's
  parameters the snapshot query's and the question's own, its answer model in the OpenAPI schema;
- ``alliances NAME`` with ``--format table|json|csv`` (``app.cli_questions``);
- ``POST /scenarios/evaluate``'s ``question`` and its body (``app.questions.evaluate``);
- the README's endpoint and command lists (``scripts/readme_tour.py``), and the arguments the
  generated-client test calls each route with (``tests/test_generated_client.py``).

A new question is its function (a plain function over a snapshot, or over ``Asked`` for one that
reads the store), its descriptor here and its tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import BaseModel, StringConstraints

from app import schemas
from app.parse import (
    MAX_ALLIANCES,
    YEAR_MAX,
    YEAR_MIN,
    comma_list,
    ids_between_commas,
    parse_alliances,
    parse_kinds,
    text_list,
)
from app.query import Cli, Param, SnapshotQuery, param, snapshot_fields
from app.questions.centrality import METRICS, centrality, centrality_rows
from app.questions.codings import alliance_codings_data, codings_rows, codings_sheet, codings_summary
from app.questions.common import LIMIT_CAP, MAX_HOPS_CAP, organ_data, organ_row, scenario_data
from app.questions.compare import (
    COLUMN_PATTERN,
    COLUMN_SYNTAX,
    FIGURE_4,
    PAPER_YEAR,
    compare,
    compare_rows,
    parse_column,
)
from app.questions.explain import (
    alliance_label,
    compare_sheet,
    compare_words,
    diff_summary,
    linkage_summary,
    no_organs,
    nothing_changed,
    organ_label,
    paths_summary,
)
from app.questions.linkage import linkage, linkage_rows
from app.questions.paths import path_rows, paths
from app.questions.timeline import diff, diff_rows, snapshot_diff, timeline, timeline_rows
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot
from app.store.base import Store
from graph_schema.models import Alliance
from graph_schema.scenario import Scenario
from graph_schema.vocabulary import EdgeKind

Answer = dict[str, Any]


@dataclass(frozen=True)
class Asked:
    """What a question is asked of: the store, the snapshot query resolved against it, and a
    scenario sent whole (``POST /scenarios/evaluate``) when there is one."""

    store: Store
    params: SnapshotParams
    scenario: Scenario | None = None

    def snapshot(self, params: SnapshotParams | None = None) -> Snapshot:
        """The snapshot of ``params`` (default: the query's), with the sent scenario laid over it."""
        params = params if params is not None else self.params
        if self.scenario is not None:
            return self.store.scenario_snapshot(params, self.scenario)
        return self.store.snapshot(params)

    @property
    def scenario_id(self) -> str | None:
        """The scenario asked about: the one sent whole, or the query's."""
        return self.scenario.id if self.scenario is not None else self.params.scenario

    def alliance(self) -> Alliance | None:
        return self.store.alliance(self.params.alliance) if self.params.alliance is not None else None


Words = Callable[[Answer, Asked], "str | None"]
# A note under a sheet: a line, or a table of its own under its heading.
Note = str | tuple[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Question:
    """One question, declared once (see the module's docstring).

    ``function`` takes a ``Snapshot`` (``asks="snapshot"``: the query's, a scenario laid over it
    when one is sent) or an ``Asked`` (``asks="store"``: a question over several snapshots or the
    store), then its own parameters by name, resolved. ``alliance`` says whether the snapshot's
    alliance is ``required``, ``optional`` or not taken; ``without`` names the other snapshot
    parameters it does not take (every parameter the snapshot query gains is taken by default),
    ``defaults`` and ``descriptions`` its own for them. For a terminal: ``words`` (the answer in
    words, before its table), ``empty`` (why there are no rows), ``show_table`` (whether the rows
    say more than the words), ``sheet`` (rows and notes of its own instead of ``rows``; a note is a
    line, or a table under its heading).
    """

    name: str
    function: Callable[..., Answer]
    rows: Callable[[Answer], list[dict[str, Any]]]
    model: type[BaseModel]
    summary: str
    help: str
    readme: str
    asks: Literal["snapshot", "store"] = "snapshot"
    params: tuple[Param, ...] = ()
    alliance: Literal["required", "optional", "none"] = "required"
    without: frozenset[str] = frozenset()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    descriptions: Mapping[str, str | None] = field(default_factory=dict)
    doc: str | None = None
    words: Words | None = None
    empty: Words | None = None
    show_table: Callable[[Answer], bool] | None = None
    sheet: Callable[[Answer], tuple[list[dict[str, Any]], list[Note]]] | None = None
    columns: list[str] | None = None
    route: bool = True
    command: bool = True
    evaluate: bool = True
    evaluate_note: str | None = None
    example: Mapping[str, Any] = field(default_factory=dict)

    def snapshot_without(self) -> frozenset[str]:
        """The snapshot parameters this question does not take."""
        return self.without | ({"alliance"} if self.alliance == "none" else set())

    def snapshot_parameters(self) -> list[str]:
        return list(snapshot_fields(self.snapshot_without()))

    def ask(
        self, store: Store, query: SnapshotQuery, values: Mapping[str, Any], scenario: Scenario | None = None
    ) -> tuple[Answer, Asked]:
        """The answer to this question, asked with ``query`` and its own parameters' ``values``
        (checked; absent ones take their defaults), and what it was asked of. The query is resolved
        first, then its own parameters against the store as the counted sources have it (an unknown
        organ is a 404 naming the parameter; what the scenario adds is known by its ids)."""
        params = query.params(store, scenario)
        store = store.sourced(params.sources)  # lookups and snapshots count only the counted sources
        asked = Asked(store, params, scenario)
        of = scenario if scenario is not None else query.scenario
        own = {}
        for p in self.params:
            value = values.get(p.name, p.field.get_default(call_default_factory=True))
            own[p.name] = p.resolve(store, value, query, of) if p.resolve is not None else value
        subject: Any = asked.snapshot() if self.asks == "snapshot" else asked
        return self.function(subject, **own), asked


# ------------------------------------------------------------------------------- parameters


def _organ(parameter: str) -> Callable[[Store, Any, SnapshotQuery, Any], str]:
    def resolve(store: Store, value: Any, _: SnapshotQuery, scenario: str | Scenario | None) -> str:
        return store.resolve_organ(value, parameter, scenario)

    return resolve


def _organ_param(name: str, role: str) -> Param:
    return param(
        name,
        str,
        max_length=100,
        cli=Cli(f"the {role} organ: an id, or its acronym, name or alias (NAC, saceur, ...)", positional=True),
        resolve=_organ(name),
    )


KINDS = param(
    "kinds",
    comma_list(EdgeKind, 20),
    None,
    description="Edge kinds (repeat the parameter, or a comma list); default authority.",
    cli=Cli("comma list of edge kinds (default authority)"),
    resolve=lambda store, value, query, scenario: parse_kinds(value),
)


def _id_list(longest: int, pattern: str | None = None) -> Any:
    """A free-text list of at most MAX_ALLIANCES values, each an id of at most ``longest`` characters
    or a comma list of them; with ``pattern``, each value matches it instead (as long as that many)."""
    if pattern is None:
        return text_list(Annotated[str, ids_between_commas(longest, MAX_ALLIANCES)], MAX_ALLIANCES)
    value = StringConstraints(max_length=MAX_ALLIANCES * (longest + 1), pattern=pattern)
    return text_list(Annotated[str, value], MAX_ALLIANCES)


def _columns(store: Store, value: Any, query: SnapshotQuery, _: Any) -> Any:
    """The columns asked for, each once (in the order first asked)."""
    return [parse_column(c, store, query.as_of) for c in dict.fromkeys(value)] if value else None


def _year(name: str, alias: str, help: str) -> Param:
    return param(name, int | None, None, alias=alias, ge=YEAR_MIN, le=YEAR_MAX, cli=Cli(help, flag=f"--{alias}"))


# ------------------------------------------------------------------------ functions over Asked


def _compare(asked: Asked, alliances: list[str], columns: list[Any] | None, treaty: bool = False) -> Answer:
    answer = compare(asked.store, alliances, asked.params.as_of, asked.params.existence, columns)
    return {**answer, "treaty_only": treaty}


def _codings(asked: Asked) -> Answer:
    """An alliance's treaty codings and members by year from each counted source (as ``GET /alliances/{id}``)."""
    alliance, as_of = str(asked.params.alliance), asked.params.as_of
    data = alliance_codings_data(asked.store, alliance, as_of)
    return {"alliance": alliance, "as_of": as_of, **data, "counted_sources": list(asked.store.counted_sources())}


def _codings_words(answer: Answer, asked: Asked) -> str:
    """The members by year in words, then why codings are missing (a source left out, an alliance not coded)."""
    alliance = asked.alliance()
    name = alliance_label(alliance) if alliance is not None else answer["alliance"]
    return "\n".join([codings_summary(answer, name), *(f"  {note}" for note in answer["codings_note"])])


def _timeline(asked: Asked) -> Answer:
    return timeline(asked.store, str(asked.params.alliance))


def _diff(asked: Asked, year_from: int | None, year_to: int | None) -> Answer:
    """Between two years, or, with a scenario, between the data and the scenario in one year."""
    store, params = asked.store, asked.params
    alliance = str(params.alliance)
    if asked.scenario_id is not None:
        year = params.as_of if params.as_of is not None else year_to
        in_year = replace(params, as_of=year)
        before = store.snapshot(replace(in_year, scenario=None))
        return snapshot_diff(before, asked.snapshot(in_year), {"as_of": year, "scenario": asked.scenario_id})
    if year_from is None:
        year_from = params.as_of if params.as_of is not None else min(store.alliance(alliance).treaty_years)
    if year_to is None:
        year_to = PAPER_YEAR
    return diff(store, alliance, year_from, year_to, params.condition, params.include_planned, params.existence)


def alliance_organs(snap: Snapshot) -> Answer:
    """The organs of the snapshot's alliance, each judged in its year (a scenario's marked)."""
    organs = [organ_data(o, snap) for o in sorted(snap.organs(), key=lambda o: o.id)]
    return {
        "alliance": snap.params.alliance,
        "as_of": snap.params.as_of,
        "scenario": scenario_data(snap),
        "organs": organs,
    }


def labeller(store: Store, snap: Snapshot | None = None) -> Callable[[str], str]:
    """Organ ids as a person reads them: 'NAC (nato.nac)'; with a snapshot, what its scenario adds too."""
    organs = snap.judge.organs if snap is not None and snap.judge is not None else store.organs()

    def label(organ_id: str) -> str:
        organ = organs.get(organ_id)
        return organ_label({"id": organ_id, "acronym": organ.acronym, "name": organ.name}) if organ else organ_id

    return label


# ------------------------------------------------------------------------------- the questions

PATHS = Question(
    name="paths",
    function=paths,
    rows=path_rows,
    model=schemas.PathsAnswer,
    summary="Is source connected to target by the allowed edge kinds? The paths, shortest first",
    help="is SOURCE connected to TARGET, and how (shortest first)",
    readme="`connected` and the paths, shortest first, each edge with kind, mode, years and quote",
    params=(
        _organ_param("source", "first"),
        _organ_param("target", "last"),
        KINDS,
        param("max_hops", int, 6, ge=1, le=MAX_HOPS_CAP, cli=Cli(f"longest path listed (1..{MAX_HOPS_CAP})")),
        param("limit", int, 10, ge=1, le=LIMIT_CAP, cli=Cli(f"most paths listed (1..{LIMIT_CAP})")),
    ),
    alliance="optional",
    words=lambda answer, asked: paths_summary(answer, labeller(asked.store, asked.snapshot()), asked.alliance()),
    show_table=lambda answer: bool(answer["paths"]),
    example={"source": "nato.nac", "target": "nato.saceur", "kinds": ["authority", "advice"]},
)

LINKAGE = Question(
    name="linkage",
    function=linkage,
    rows=linkage_rows,
    model=schemas.LinkageAnswer,
    summary="Does a civilian body link to the operational commander?",
    help="does a civilian body link to the operational commander?",
    readme="civil–military linkage: the bodies and commanders considered, witness paths, or where the chain "
    "breaks and which kinds would close it",
    params=(KINDS,),
    words=lambda answer, asked: linkage_summary(answer, asked.alliance()),
    # Not linked: the words say why; a table row repeating it would say less.
    show_table=lambda answer: bool(answer["linked"]),
    example={"alliance": "us-japan", "kinds": ["authority"], "as_of": 2009},
)

CENTRALITY = Question(
    name="centrality",
    function=centrality,
    rows=centrality_rows,
    model=schemas.CentralityAnswer,
    summary="Organs ranked by a centrality measure, and articulation organs",
    help="organs ranked by a centrality measure, and articulation organs",
    readme=", ".join(f"`{m}`" for m in METRICS) + ", plus articulation organs",
    params=(
        param(
            "metric",
            schemas.Metric,
            schemas.Metric("betweenness"),
            description="The centrality measure.",
            cli=Cli("the centrality measure", choices=True),
            resolve=lambda store, value, query, scenario: str(value),
        ),
        KINDS,
    ),
    words=lambda answer, asked: f"{answer['metric']}: {answer['metric_note']}",
    empty=lambda answer, asked: no_organs(asked.alliance(), asked.params.as_of),
    example={"alliance": "us-rok", "metric": "pagerank", "exclude": ["us-rok.cfc"]},
)

COMPARE = Question(
    name="compare",
    function=_compare,
    asks="store",
    rows=compare_rows,
    model=schemas.CompareAnswer,
    summary="The side-by-side table of structures (figure 4, computed)",
    help="the side-by-side table of structures (figure 4, computed)",
    readme="figure 4, computed (default: NATO, U.S.–ROK, U.S.–Japan in 2009), each verdict a cell saying how sure "
    "the paper is, every indicator side by side with its year, and `treaty_practice`: each treaty coding beside "
    "the structure in the year, with its verdict and both sides' sources "
    "([`docs/treaty-practice.md`](docs/treaty-practice.md); `treaty=true`: those rows alone as the table)",
    params=(
        param(
            "alliances",
            _id_list(40),
            None,
            description="Alliance ids (repeat the parameter, or a comma list); default nato,us-rok,us-japan.",
            cli=Cli("comma list (default nato,us-rok,us-japan)"),
            resolve=lambda store, value, query, scenario: parse_alliances(value, store, list(FIGURE_4)),
        ),
        param(
            "columns",
            _id_list(120, COLUMN_PATTERN),
            None,
            description="Columns instead of alliances, each "
            + COLUMN_SYNTAX
            + "; the data and scenarios side by side.",
            cli=Cli("comma list of columns instead of alliances, each " + COLUMN_SYNTAX.replace("%", "%%")),
            resolve=_columns,
        ),
        param(
            "treaty",
            bool,
            False,
            description="The table (CSV) lists only the treaty-beside-practice rows, one per alliance and provision: "
            "the verdict, each side in words and the sources of both; the JSON answer is whole.",
            cli=Cli("as a table or CSV, only the treaty-beside-practice rows (ATOP 5.1's codings beside practice)"),
        ),
    ),
    alliance="none",
    without=frozenset({"condition", "include_planned", "exclude", "scenario"}),
    defaults={"as_of": PAPER_YEAR},
    descriptions={"as_of": f"Year of the comparison (default {PAPER_YEAR}, the paper's year)."},
    sheet=compare_sheet,
    words=lambda answer, asked: compare_words(answer),
    empty=lambda answer, asked: "(no treaty coding counted)",
    evaluate=False,
    example={"alliances": ["nato", "us-rok"], "as_of": 1990},
)

CODINGS = Question(
    name="codings",
    function=_codings,
    asks="store",
    rows=codings_rows,
    model=schemas.CodingsAnswer,
    summary="An alliance's treaty codings and members by year from each source (as GET /alliances/{id})",
    help="an alliance's treaty codings (ATOP 5.1) and its members by year from each source",
    readme="an alliance's treaty codings (each phase's coded values with their meanings and locators) and its "
    "members by year from each source, `disputed` where they differ (the 31 December rule)",
    without=frozenset({"condition", "include_planned", "exclude", "existence", "scenario"}),
    descriptions={
        "as_of": "The year: each source's member figure in it (a dated value holds when in effect on 31 "
        "December of the year)."
    },
    words=_codings_words,
    sheet=lambda answer: (codings_sheet(answer), []),
    empty=lambda answer, asked: "(no treaty phase of a counted source)",
    route=False,  # GET /alliances/{id} carries it, with the record
    evaluate=False,
    example={"alliance": "nato", "as_of": 2009},
)

TIMELINE = Question(
    name="timeline",
    function=_timeline,
    asks="store",
    rows=timeline_rows,
    model=schemas.TimelineAnswer,
    summary="Dated events: organs founded, ended, planned; edges gained and lost",
    help="dated events of an alliance's structure",
    readme="dated events: organs founded, ended, planned; edges gained and lost",
    without=frozenset({"as_of", "condition", "include_planned", "exclude", "existence", "scenario"}),
    empty=lambda answer, asked: f"no dated event of {asked.params.alliance}",
    evaluate=False,
    example={"alliance": "us-rok"},
)

DIFF = Question(
    name="diff",
    function=_diff,
    asks="store",
    rows=diff_rows,
    model=schemas.DiffAnswer,
    summary="What changed in an alliance's structure between two years",
    help="what changed between two years, or between the data and a scenario in one year",
    readme="what changed between two years (organs and edges added, removed, or changed in existence or "
    "status), and the linkage in each; with `scenario&as_of`, the data against the scenario in that year",
    doc="""Between two years (``from``, default the alliance's first treaty year; ``to``, default the
    paper's year, 2009), or, with ``scenario``, between the data and the scenario in ``as_of``
    (default ``to``, else all years).""",
    params=(
        _year("year_from", "from", "the first year (default: the alliance's first treaty year, or --as-of)"),
        _year("year_to", "to", f"the second year (default {PAPER_YEAR}, the paper's year)"),
    ),
    without=frozenset({"exclude"}),
    words=lambda answer, asked: diff_summary(answer),
    empty=lambda answer, asked: nothing_changed(answer, asked.alliance()),
    evaluate_note="the data against the scenario",
    example={"alliance": "us-rok", "from": 1975, "to": 2000},
)

ORGANS = Question(
    name="organs",
    function=alliance_organs,
    rows=lambda answer: [organ_row(o) for o in answer["organs"]],
    model=schemas.OrgansAnswer,
    summary="The organs of the alliance",
    help="the organs of the alliance",
    readme="the organs of the alliance",
    route=False,
    command=False,
    evaluate_note="of the alliance",
)

QUESTIONS: dict[str, Question] = {
    q.name: q for q in (PATHS, LINKAGE, CENTRALITY, COMPARE, CODINGS, TIMELINE, DIFF, ORGANS)
}
