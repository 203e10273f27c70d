"""Each rule of CONTRACT.md §2 "Sources", on both stores, with two small sources written for the test.

``paper`` is the paper's claim (its quotes are the paper's words), ``note`` an analyst's invented note
(its quotes are the note's own). The small dataset below is loaded into each store as a load writes it
(Neo4j: ``(:Source)`` nodes, each organ's and relationship's ``claims``), and each rule is asked of
both: silence neither widens nor narrows a life; attested years of two sources bridge; a stated end
against a later attestation is disputed; a stated absence disputes a contradicting chain; a plan
never excludes a placement; a scenario part whose ends no counted source claims is not applied.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.combine import with_claims
from app.dataset import Dataset
from app.paper import Paper
from app.questions.linkage import linkage
from app.snapshot import SnapshotParams
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from graph_schema.life import Life
from graph_schema.models import Absence, Alliance, Claim, Edge, Organ
from graph_schema.scenario import Scenario
from graph_schema.sources import SourceRecord, stamp
from graph_schema.vocabulary import PAPER_ID, Agreement, Existence
from tests.conftest import NEO4J_TEST_DATABASE, NEO4J_TEST_URI, STORES

SCM_1969 = "In 1969 the United States and South Korea established a consultative system"
SCM_PRESENT = "the SCM clearly does not require the fairly rigid consultative structure"
MCM_PRESENT = "develop combined guidance through the interaction of the SCM and MCM"
CFC_1978 = "In 1978, in recognition of the development of South Korean forces, the current Combined Forces Command"
CFC_PRESENT = "Every aspect of the command is integrated."
PLAN_2012 = "by agreement, CFC will be deactivated in 2012"
NO_MECHANISM = "there is no mechanism by which to exercise any overarching military authority"
SCC_PRESENT = "At the political level of the alliance management structure stands the Japan-U.S. Security"
NOTE = """A NOTE INVENTED FOR THE TEST, NOT A REAL DOCUMENT.
The note says the SCM met again in 2015.
The note says the MCM was wound up in 2005.
The note says the CFC still stood in 2016.
The note says the SCC directed U.S. Forces Japan in 2009.
"""
NOTE_SCM, NOTE_MCM = "The note says the SCM met again in 2015.", "The note says the MCM was wound up in 2005."
NOTE_CFC, NOTE_SCC = (
    "The note says the CFC still stood in 2016.",
    "The note says the SCC directed U.S. Forces Japan in 2009.",
)
P, C = Existence.POSSIBLE, Existence.CERTAIN
ONLY_PAPER = (PAPER_ID,)


def _claim(source_id: str, quotes: list[str], **life: Any) -> Claim:
    made = Claim(source_id=source_id, life=Life.model_validate(life), sources=[{"quote": q} for q in quotes])
    stamp(made, source_id)
    return made


def _organ(organ_id: str, kind: str, nature: str, roles: list[str], *claims: Claim) -> Organ:
    alliance = organ_id.split(".")[0]
    bare = Organ(
        id=organ_id,
        name=organ_id,
        type=kind,
        alliance=alliance,
        nature=nature,
        level="political" if nature == "civilian" else "operational",
        roles=roles,
        sources=claims[0].sources,
    )
    return with_claims(bare, list(claims))


def _edge(source: str, target: str, *claims: Claim) -> Edge:
    bare = Edge(source=source, target=target, kind="authority", mode="direction", sources=claims[0].sources)
    return with_claims(bare, list(claims))


def small_dataset() -> Dataset:
    absence = Absence(
        what="a mechanism to exercise overarching military authority",
        kinds=["authority"],
        years={"attested": [{"year": 2009, "quote": NO_MECHANISM}]},
        sources=[NO_MECHANISM],
    )
    alliances = {
        "us-rok": Alliance(id="us-rok", name="U.S.-ROK", treaty_years=[1954], sources=["Republic of Korea (1954)"]),
        "us-japan": Alliance(
            id="us-japan",
            name="U.S.-Japan",
            treaty_years=[1951, 1960],
            sources=["Japan (1951/1960)"],
            absences=[absence],
        ),
    }
    for alliance in alliances.values():
        stamp(alliance, PAPER_ID)
    civilian = ["decision-making"]
    commander = ["operational-command"]
    organs = [
        _organ(
            "us-rok.scm",
            "mechanism",
            "civilian",
            civilian,
            _claim(
                PAPER_ID,
                [SCM_1969],
                start={"year": 1969, "quote": SCM_1969},
                attested=[{"year": 2009, "quote": SCM_PRESENT}],
            ),
            _claim("note", [NOTE_SCM], attested=[{"year": 2015, "quote": NOTE_SCM}]),
        ),
        _organ(
            "us-rok.mcm",
            "committee",
            "military",
            [],
            _claim(PAPER_ID, [MCM_PRESENT], attested=[{"year": 2009, "quote": MCM_PRESENT}]),
            _claim("note", [NOTE_MCM], end={"year": 2005, "quote": NOTE_MCM}),
        ),
        _organ(
            "us-rok.cfc",
            "command",
            "military",
            commander,
            _claim(
                PAPER_ID,
                [CFC_1978],
                start={"year": 1978, "quote": CFC_1978},
                attested=[{"year": 2009, "quote": CFC_PRESENT}],
                planned_end={"year": 2012, "quote": PLAN_2012},
            ),
            _claim("note", [NOTE_CFC], attested=[{"year": 2016, "quote": NOTE_CFC}]),
        ),
        _organ(
            "us-japan.scc",
            "council",
            "civilian",
            civilian,
            _claim(PAPER_ID, [SCC_PRESENT], attested=[{"year": 2009, "quote": SCC_PRESENT}]),
        ),
        _organ(
            "us-japan.usfj",
            "command",
            "military",
            commander,
            _claim(PAPER_ID, [SCC_PRESENT], attested=[{"year": 2009, "quote": SCC_PRESENT}]),
        ),
        _organ(
            "us-japan.ncc",
            "council",
            "civilian",
            [],
            _claim("note", [NOTE_SCC], attested=[{"year": 2009, "quote": NOTE_SCC}]),
        ),
    ]
    edges = [
        _edge(
            "us-rok.scm", "us-rok.cfc", _claim(PAPER_ID, [SCM_PRESENT], attested=[{"year": 2009, "quote": SCM_PRESENT}])
        ),
        _edge(
            "us-japan.scc", "us-japan.usfj", _claim("note", [NOTE_SCC], attested=[{"year": 2009, "quote": NOTE_SCC}])
        ),
    ]
    paper = SourceRecord(
        id=PAPER_ID,
        kind="paper",
        title="The paper",
        authors=["Michael Finnegan"],
        date="2009-02",
        citation="The paper",
        text="finnegan-2009.txt",
    )
    note = SourceRecord(
        id="note",
        kind="analyst",
        title="A note invented for the test",
        authors=["A. Tester"],
        date="2026-01",
        citation="Invented for tests/test_sources_rules_stores.py",
        text="note.txt",
    )
    return Dataset(
        alliances=alliances,
        organs={o.id: o for o in organs},
        edges={e.id or "": e for e in edges},
        sources={PAPER_ID: paper, "note": note},
        texts={"note": Paper(NOTE)},
    )


SCENARIO = Scenario.model_validate(
    {
        "id": "test-reach-the-ncc",
        "title": "The SCC directs the council only the note names",
        "alliance": "us-japan",
        "proposed_by": "analyst",
        "rationale": "A test of a scenario part whose ends the paper alone does not claim.",
        "add_edges": [
            {
                "source": "us-japan.scc",
                "target": "us-japan.ncc",
                "kind": "authority",
                "mode": "direction",
                "note": "test",
            }
        ],
    }
)


@pytest.fixture(scope="module", params=STORES)
def rules(request: pytest.FixtureRequest) -> Iterator[Store]:
    data = small_dataset()
    store: Store
    if request.param == "embedded":
        store = EmbeddedStore(data)
        store.set_scenarios({SCENARIO.id: SCENARIO})
        yield store
        return
    from app.store.neo4j_load import load
    from app.store.neo4j_store import Neo4jStore

    driver = request.getfixturevalue("neo4j_driver")
    request.getfixturevalue("neo4j_loaded")
    seeds: EmbeddedStore = request.getfixturevalue("embedded")
    shared = request.getfixturevalue("neo4j_store")
    counts = load(driver, data, database=NEO4J_TEST_DATABASE, prune=True)
    store = Neo4jStore(driver, NEO4J_TEST_DATABASE, NEO4J_TEST_URI)
    store.follow(counts["bookmarks"])
    store.set_scenarios({SCENARIO.id: SCENARIO})
    try:
        yield store
    finally:
        load(driver, seeds.dataset, database=NEO4J_TEST_DATABASE, prune=True)
        shared.invalidate()


def judged(store: Store, thing: str, year: int, **params: Any) -> Any:
    snap = store.snapshot(SnapshotParams(alliance=thing.split(".")[0], as_of=year, **params))
    return snap.judgement(thing)


def test_the_store_reads_back_each_claim(rules: Store) -> None:
    assert list(rules.sources()) == [PAPER_ID, "note"]
    assert [c.source_id for c in rules.organs()["us-rok.scm"].claims] == [PAPER_ID, "note"]
    assert rules.organs() == small_dataset().organs


def test_silence_neither_widens_nor_narrows_a_life(rules: Store) -> None:
    """The note is silent on the SCM's start: 'In 1969 ... established' still bounds it."""
    assert judged(rules, "us-rok.scm", 1968).rule == "before-start"
    assert judged(rules, "us-rok.scm", 1969).existence is C
    assert judged(rules, "us-rok.scm", 2030).rule == "open-end"


def test_attested_years_of_two_sources_bridge(rules: Store) -> None:
    """The paper's present tense (2009) and the note's 2015 place the SCM in 2012; the paper alone
    leaves 2012 possible ('open-end')."""
    both = judged(rules, "us-rok.scm", 2012)
    assert (both.existence, both.agreement) == (C, Agreement.AGREED)
    alone = judged(rules, "us-rok.scm", 2012, sources=ONLY_PAPER)
    assert (alone.existence, alone.rule, alone.agreement) == (P, "open-end", Agreement.SINGLE)


def test_a_stated_end_against_a_later_attestation_is_disputed(rules: Store) -> None:
    """'develop combined guidance through the interaction of the SCM and MCM' (2009) against the
    note's end of 2005: disputed in 2009, possible, never certain; agreed before 2005."""
    j = judged(rules, "us-rok.mcm", 2009)
    assert (j.existence, j.rule, j.agreement, j.source_id) == (P, "disputed", Agreement.DISPUTED, "note")
    assert {sid: c.rule for sid, c in j.claims} == {PAPER_ID: "attested", "note": "after-end"}
    certain = rules.snapshot(SnapshotParams(alliance="us-rok", as_of=2009, existence=C))
    assert "us-rok.mcm" not in certain.graph
    assert judged(rules, "us-rok.mcm", 2000).agreement is Agreement.AGREED


def test_a_stated_absence_disputes_a_contradicting_chain(rules: Store) -> None:
    """'there is no mechanism by which to exercise any overarching military authority' (the paper,
    2009) disputes the note's SCC -> USFJ authority in 2009: the chain is kept, possible, and quoted."""
    answer = linkage(rules.snapshot(SnapshotParams(alliance="us-japan", as_of=2009)))
    chain = answer["witnesses"][0]
    assert answer["linked"] and not answer["certain"]
    assert (chain["agreement"], chain["certain"]) == ("disputed", False)
    assert answer["dispute"]["absences"][0]["quotes"][0] == {"quote": NO_MECHANISM, "line": 196, "source_id": PAPER_ID}
    assert chain["edges"][0]["quote"] == NOTE_SCC and chain["edges"][0]["line"] == 5
    alone = linkage(rules.snapshot(SnapshotParams(alliance="us-japan", as_of=2009, sources=ONLY_PAPER)))
    assert not alone["linked"] and alone["break"]["cause"] == "stated"


def test_a_plan_never_excludes_a_placement(rules: Store) -> None:
    """'by agreement, CFC will be deactivated in 2012': with plans asked for, the note's 2016 keeps
    CFC there, certain; the paper alone counts the plan."""
    j = judged(rules, "us-rok.cfc", 2016, include_planned=True)
    assert (j.existence, j.rule, j.agreement) == (C, "attested", Agreement.AGREED)
    alone = judged(rules, "us-rok.cfc", 2016, include_planned=True, sources=ONLY_PAPER)
    assert (alone.existence, alone.rule) == (None, "after-planned-end")


def test_a_scenario_part_whose_ends_no_counted_source_claims_is_not_applied(rules: Store) -> None:
    both = rules.snapshot(SnapshotParams(alliance="us-japan", as_of=2009, scenario=SCENARIO.id))
    assert both.overlay is not None and both.overlay.not_applied == []
    alone = rules.snapshot(SnapshotParams(alliance="us-japan", as_of=2009, scenario=SCENARIO.id, sources=ONLY_PAPER))
    assert alone.overlay is not None
    assert [(p["part"], p["id"]) for p in alone.overlay.not_applied] == [
        ("add_edges[0]", "us-japan.scc:authority:direction:us-japan.ncc")
    ]
    assert "us-japan.ncc" in alone.overlay.not_applied[0]["reason"]
