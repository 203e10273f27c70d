"""The rules of CONTRACT.md §2 "Sources", one test per rule, on small sources written for the test.

"Combine, then judge": the counted sources' claims on one organ or edge are pooled into one life
(``app.combine``), the rules of "Time and certainty" judge it (``app.snapshot``), then ``agreement``
says whether the sources agree in the year. Each test builds the smallest claims that exercise one
rule: ``paper`` stands for the paper's claim (its quotes are the paper's), ``note`` for an analyst's
invented note, whose quotes are its own words.
"""

from __future__ import annotations

from typing import Any

from app.combine import combine, combine_data, pool_point
from app.snapshot import Judge, SnapshotParams, possible_range_of, thing_judgement
from app.snapshot_view import build_graph, snapshot_of
from graph_schema.life import Bound, Life, Point, StatusPeriod
from graph_schema.models import Alliance, Claim, Edge, Organ
from graph_schema.sources import stamp
from graph_schema.vocabulary import Agreement, Existence, Status

SCM_1969 = "In 1969 the United States and South Korea established a consultative system"
SCM_PRESENT = "the SCM clearly does not require the fairly rigid consultative structure"
CFC_1978 = "In 1978, in recognition of the development of South Korean forces, the current Combined Forces Command"
CFC_PRESENT = "Every aspect of the command is integrated."
PLAN_2012 = "by agreement, CFC will be deactivated in 2012"
NOTE_2015 = "The note says the SCM met again in 2015."
NOTE_2016 = "The note says the CFC still stood in 2016."
NOTE_ENDED = "The note says the body was wound up in 2005."
DORMANT = "this group has lain dormant"
NOTE_MET = "The note says it met in 2009."
NOTE_PAUSE = "The note says the body did not exist from 2008 to 2010."

ALLIANCES = {
    "us-rok": Alliance(id="us-rok", name="U.S.-ROK", treaty_years=[1954], sources=["Republic of Korea (1954)"]),
}
C, P = Existence.CERTAIN, Existence.POSSIBLE


def claim(source_id: str, **life: Any) -> Claim:
    """``source_id``'s claim with the life written; its quotes are those of its attested years."""
    periods = life.pop("status_periods", [])
    quotes = [a["quote"] for a in life.get("attested", [])] or ["a quote long enough"]
    made = Claim(
        source_id=source_id,
        life=Life.model_validate(life),
        status_periods=[StatusPeriod.model_validate(p) for p in periods],
        sources=[{"quote": q} for q in quotes],
    )
    stamp(made, source_id)
    return made


def organ(organ_id: str, *claims: Claim) -> Organ:
    """An organ of the U.S.-ROK alliance claimed by ``claims``, pooled as the loader pools them."""
    bare = Organ(
        id=organ_id,
        name=organ_id,
        type="mechanism",
        alliance="us-rok",
        nature="civilian",
        level="political",
        sources=["a quote long enough"],
    )
    return combine(bare, list(claims))


def judged(thing: Organ, year: int | None, planned: bool = False) -> Any:
    return thing_judgement(thing, year, 1954, planned)


def test_one_source_is_judged_as_before_and_is_single() -> None:
    """With one counted source every answer is what the life rules give its own life; agreement single."""
    scm = organ("us-rok.scm", claim("paper", start={"year": 1969, "quote": SCM_1969}))
    j = judged(scm, 1969)
    assert (j.existence, j.rule, j.agreement) == (C, "dated", Agreement.SINGLE)
    assert j.source_id == "paper"
    assert j.claims == ()  # one source: its claim's judgement is the thing's own


def test_silence_neither_widens_nor_narrows_a_life() -> None:
    """A note silent on the SCM's start and end leaves the paper's: 'In 1969 ... established'; still
    absent in 1968, and the pooled start is the paper's own point."""
    scm = organ(
        "us-rok.scm",
        claim("paper", start={"year": 1969, "quote": SCM_1969}, attested=[{"year": 2009, "quote": SCM_PRESENT}]),
        claim("note", attested=[{"year": 2015, "quote": NOTE_2015}]),
    )
    assert scm.life.start.year == 1969 and scm.life.start.source_id == "paper"
    assert not scm.life.end.known
    assert judged(scm, 1968).rule == "before-start"
    assert judged(scm, 1975).existence is C
    assert judged(scm, 2020).rule == "open-end"  # the note states no end: nothing is narrowed
    assert judged(scm, 1975).agreement is Agreement.AGREED  # silence is never disagreement
    # Nor does it widen the years an export spells or the store's candidate query reads: from 1969,
    # not from the treaty's 1954 the note's silent start alone would leave open.
    assert possible_range_of(scm, 1954) == (1969, None)


def test_attested_years_of_two_sources_bridge_the_years_between() -> None:
    """The paper's present tense ('the SCM clearly does not require ...', 2009) and the note's 2015
    together place the SCM in 2012, which neither places alone."""
    paper = claim("paper", start={"year": 1969, "quote": SCM_1969}, attested=[{"year": 2009, "quote": SCM_PRESENT}])
    note = claim("note", attested=[{"year": 2015, "quote": NOTE_2015}])
    alone = organ("us-rok.scm", paper)
    both = organ("us-rok.scm", paper, note)
    assert (judged(alone, 2012).existence, judged(alone, 2012).rule) == (P, "open-end")
    j = judged(both, 2012)
    assert (j.existence, j.agreement) == (C, Agreement.AGREED)
    assert {sid: c.existence for sid, c in j.claims} == {"paper": P, "note": P}


def test_a_stated_end_against_a_later_attestation_is_disputed_and_never_certain() -> None:
    """The note says the body was wound up (end 2005); the paper's present tense places it in 2009:
    disputed in 2009, kept possible, each source's judgement in its claim."""
    body = organ(
        "us-rok.scm",
        claim("paper", start={"year": 1969, "quote": SCM_1969}, attested=[{"year": 2009, "quote": SCM_PRESENT}]),
        claim("note", end={"year": 2005, "quote": NOTE_ENDED}),
    )
    j = judged(body, 2009)
    assert (j.existence, j.rule, j.agreement) == (P, "disputed", Agreement.DISPUTED)
    assert (j.quote, j.source_id) == (NOTE_ENDED, "note")
    mine = dict(j.claims)
    assert (mine["paper"].existence, mine["paper"].rule) == (C, "attested")
    assert (mine["note"].existence, mine["note"].rule) == (None, "after-end")
    assert judged(body, 1990).agreement is Agreement.AGREED
    assert judged(body, None).agreement is Agreement.DISPUTED  # without a year: some year is disputed
    # The years it can be in: from the paper's 1969 to the 2009 the paper places it in (kept, disputed);
    # not after, where neither places it and the note's end excludes it.
    assert possible_range_of(body, 1954) == (1969, 2010)
    assert judged(body, 2010).present is False


def test_existence_certain_never_counts_a_disputed_thing() -> None:
    body = organ(
        "us-rok.scm",
        claim("paper", start={"year": 1969, "quote": SCM_1969}, attested=[{"year": 2009, "quote": SCM_PRESENT}]),
        claim("note", end={"year": 2005, "quote": NOTE_ENDED}),
    )
    graph = build_graph([body], [])
    certain = snapshot_of(graph, SnapshotParams(as_of=2009, existence=Existence.CERTAIN), ALLIANCES)
    possible = snapshot_of(graph, SnapshotParams(as_of=2009), ALLIANCES)
    assert list(certain.graph.nodes) == []
    assert possible.judgement("us-rok.scm").agreement is Agreement.DISPUTED


def test_a_stated_gap_of_one_source_disputes_a_year_another_places() -> None:
    body = organ(
        "us-rok.scm",
        claim("paper", start={"year": 1969, "quote": SCM_1969}, attested=[{"year": 2009, "quote": SCM_PRESENT}]),
        claim(
            "note", gaps=[{"start": {"year": 2008, "quote": NOTE_PAUSE}, "end": {"year": 2011, "quote": NOTE_PAUSE}}]
        ),
    )
    assert (judged(body, 2009).existence, judged(body, 2009).rule) == (P, "disputed")
    assert judged(body, 2010).rule == "in-gap"  # no source places 2010: the stated gap holds, undisputed
    assert judged(body, 2010).agreement is Agreement.AGREED


def test_a_plan_never_excludes_what_a_source_places() -> None:
    """'by agreement, CFC will be deactivated in 2012': with plans asked for, a note that places CFC
    in 2016 keeps it there, certain, and the plan disputes nothing."""
    cfc = organ(
        "us-rok.cfc",
        claim(
            "paper",
            start={"year": 1978, "quote": CFC_1978},
            attested=[{"year": 2009, "quote": CFC_PRESENT}],
            planned_end={"year": 2012, "quote": PLAN_2012},
        ),
        claim("note", attested=[{"year": 2016, "quote": NOTE_2016}]),
    )
    j = judged(cfc, 2016, planned=True)
    assert (j.existence, j.rule, j.agreement) == (C, "attested", Agreement.AGREED)
    alone = organ("us-rok.cfc", cfc.claims[0])
    assert judged(alone, 2016, planned=True).rule == "after-planned-end"


def test_bounds_stated_by_several_are_intersected() -> None:
    """One source bounds the start from below, another from above: the pooled start lies in both."""
    low = Point(not_before=Bound(year=1990, quote="not before 1990, says one"), source_id="one")
    high = Point(not_after=Bound(year=1995, quote="not after 1995, says two"), source_id="two")
    pooled, conflict = pool_point([low, high])
    assert (pooled.low, pooled.high, conflict) == (1990, 1995, None)
    dated = Point(year=1993, quote="it began in 1993, says three", source_id="three")
    pooled, conflict = pool_point([low, high, dated])
    assert (pooled.year, pooled.source_id, conflict) == (1993, "three", None)


def test_stated_points_that_leave_no_year_conflict_and_dispute_the_years_between() -> None:
    body = organ(
        "us-rok.scm",
        claim("paper", start={"year": 1976, "quote": "The SDC dates from 1976"}),
        claim("note", start={"year": 1978, "quote": "The note dates it from 1978."}),
    )
    assert body.life.start.edtf == "[1976..1978]"
    j = judged(body, 1977)
    assert (j.existence, j.agreement) == (P, Agreement.DISPUTED)
    assert judged(body, 1978).agreement is Agreement.AGREED
    # Bounds that conflict without any source placing the thing dispute the years between them too.
    loose = organ(
        "us-rok.scm",
        claim("paper", start={"not_before": {"year": 1990, "quote": "not before 1990, says one"}}),
        claim("note", start={"not_after": {"year": 1985, "quote": "not after 1985, says two"}}),
    )
    assert judged(loose, 1987).agreement is Agreement.DISPUTED
    assert not loose.life.start.known  # the hull of the two is open on both sides


def test_conflicting_status_periods_give_status_unknown_with_each_sources_period() -> None:
    """The SDC 'has, when active, been ...' and 'like the SSC, this group has lain dormant': a note
    calling it active in 2009 against the paper's dormant makes its 2009 status unknown."""
    sdc = organ(
        "us-rok.scm",
        claim(
            "paper",
            start={"year": 1976, "quote": "The SDC dates from 1976"},
            attested=[{"year": 2009, "quote": DORMANT}],
            status_periods=[
                {"status": "dormant", "attested": [{"year": 2009, "quote": "this group has lain dormant"}]}
            ],
        ),
        claim(
            "note",
            attested=[{"year": 2009, "quote": NOTE_MET}],
            status_periods=[
                {"status": "active", "attested": [{"year": 2009, "quote": "The note says it met in 2009."}]}
            ],
        ),
    )
    j = judged(sdc, 2009)
    assert (j.existence, j.status, j.status_rule) == (C, Status.UNKNOWN, "status-disputed")
    assert {sid: c.status for sid, c in j.claims} == {"paper": Status.DORMANT, "note": Status.ACTIVE}


def test_relative_bounds_resolve_against_the_combined_life() -> None:
    """'This mechanism was complemented later by the establishment of the MCM': not before the SCM's
    start. A note dating the SCM's start later moves the MCM's bound with it when both are counted."""
    later = "This mechanism was complemented later by the establishment of the Military Committee Meeting (MCM)"
    scm = organ(
        "us-rok.scm",
        claim("paper", start={"not_before": {"year": 1960, "quote": "not before 1960, says the paper"}}),
        claim("note", start={"year": 1969, "quote": SCM_1969}),
    )
    mcm_claim = claim("paper", start={"not_before": {"relative_to": "us-rok.scm", "year": 1960, "quote": later}})
    mcm = organ("us-rok.mcm", mcm_claim)
    organs, _ = combine_data({"us-rok.scm": scm, "us-rok.mcm": mcm}, {}, None)
    assert organs["us-rok.mcm"].life.start.low == 1969
    paper_only, _ = combine_data({"us-rok.scm": scm, "us-rok.mcm": mcm}, {}, frozenset({"paper"}))
    assert paper_only["us-rok.mcm"].life.start.low == 1960


def test_what_no_counted_source_claims_is_left_out_with_its_edges() -> None:
    scm = organ("us-rok.scm", claim("paper", start={"year": 1969, "quote": SCM_1969}))
    mcm = organ("us-rok.mcm", claim("note", attested=[{"year": 2015, "quote": NOTE_2015}]))
    edge = Edge(
        source="us-rok.scm", target="us-rok.mcm", kind="authority", mode="guidance", sources=["a quote long enough"]
    )
    edge = edge.model_copy(update={"claims": [claim("paper", attested=[{"year": 2009, "quote": SCM_PRESENT}])]})
    organs, edges = combine_data({scm.id: scm, mcm.id: mcm}, {edge.id or "": edge}, frozenset({"paper"}))
    assert list(organs) == ["us-rok.scm"] and edges == {}
    judge = Judge(SnapshotParams(as_of=2009), organs, ALLIANCES)
    assert judge.organ("us-rok.scm").agreement is Agreement.SINGLE


# ------------------------------------------------------------------------------------------- chains

NO_MECHANISM = "there is no mechanism by which to exercise any overarching military authority"
SCC_PRESENT = "At the political level of the alliance management structure stands the Japan-U.S. Security"
NOTE_DIRECTS = "The note says the SCC directed U.S. Forces Japan in 2009."


def _japan(edge_source: str) -> tuple[Any, dict[str, Alliance]]:
    """The paper's stated absence ('the U.S.-Japan alliance has no "combined" structures; i.e., there
    is no mechanism by which to exercise any overarching military authority', present tense: 2009)
    beside an authority edge from the SCC to USFJ that ``edge_source`` claims."""
    from graph_schema.models import Absence

    absence = Absence(
        what="a mechanism to exercise overarching military authority",
        kinds=["authority"],
        years={"attested": [{"year": 2009, "quote": NO_MECHANISM}]},
        sources=[NO_MECHANISM],
    )
    stamp(absence, "paper")
    japan = Alliance(
        id="us-japan",
        name="U.S.-Japan",
        treaty_years=[1951, 1960],
        sources=["Japan (1951/1960)"],
        absences=[absence],
    )
    scc = Organ(
        id="us-japan.scc",
        name="SCC",
        type="council",
        alliance="us-japan",
        nature="civilian",
        level="political",
        roles=["decision-making"],
        sources=[SCC_PRESENT],
    )
    usfj = Organ(
        id="us-japan.usfj",
        name="USFJ",
        type="command",
        alliance="us-japan",
        nature="military",
        level="operational",
        roles=["operational-command"],
        sources=["United States Forces Japan to “establish” a center"],
    )
    present = claim("paper", attested=[{"year": 2009, "quote": SCC_PRESENT}])
    edge = Edge(
        source="us-japan.scc", target="us-japan.usfj", kind="authority", mode="direction", sources=[NOTE_DIRECTS]
    )
    organs = [combine(scc, [present]), combine(usfj, [present])]
    edges = [combine(edge, [claim(edge_source, attested=[{"year": 2009, "quote": NOTE_DIRECTS}])])]
    return build_graph(organs, edges), {"us-japan": japan}


def test_a_stated_absence_disputes_another_sources_contradicting_chain() -> None:
    """The paper states no overarching military authority in 2009; a note's authority chain from the
    SCC to USFJ in 2009 is kept, possible and disputed, and the answer quotes the paper's words."""
    from app.questions.linkage import linkage

    graph, alliances = _japan("note")
    snap = snapshot_of(graph, SnapshotParams(alliance="us-japan", as_of=2009), alliances)
    answer = linkage(snap)
    assert answer["linked"] and not answer["certain"]
    chain = answer["witnesses"][0]
    assert (chain["agreement"], chain["certain"], chain["source_ids"]) == ("disputed", False, ["paper", "note"])
    assert chain["disputed_by"][0]["quotes"][0]["quote"] == NO_MECHANISM
    assert answer["dispute"]["absences"][0]["source_id"] == "paper"
    assert chain["edges"][0]["sources"][0]["quote"] == NOTE_DIRECTS
    certain = linkage(snapshot_of(graph, SnapshotParams(alliance="us-japan", as_of=2009, existence=C), alliances))
    assert not certain["linked"] and certain["break"]["cause"] == "only-possible"


def test_a_sources_absence_does_not_dispute_its_own_chain() -> None:
    from app.questions.linkage import linkage

    graph, alliances = _japan("paper")
    answer = linkage(snapshot_of(graph, SnapshotParams(alliance="us-japan", as_of=2009), alliances))
    assert answer["certain"] and answer["dispute"] is None
    assert answer["witnesses"][0]["agreement"] == "single"
