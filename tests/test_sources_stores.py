"""Sources on both stores: the invented tour note beside the paper (CONTRACT.md §2 "Sources").

``examples/sources/tour-note`` is an invented note (its title and text say so): it attests the NAC,
SACEUR, ACO and the NAC's oversight of SACEUR in 2015, and dates the Security Subcommittee's end
2005. Loaded with the seeds into each store, the same questions must give the same answers on both,
``sources=finnegan-2009`` must give back the paper's answers, the note's later year must bridge the
paper's present tense (2009), and the SSC must be disputed where the paper's present tense places it.
"""

from __future__ import annotations

import pytest

from app.questions.common import organ_data
from app.questions.linkage import linkage
from app.questions.paths import paths
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from graph_schema.vocabulary import PAPER_ID, Agreement, Existence

PAPER = (PAPER_ID,)
DISSOLVED = "the Security Subcommittee of the U.S.-Japan alliance was formally dissolved in 2005"
SSC_PRESENT = "However, like the SSC, this group has lain dormant"


def test_both_sources_are_listed_the_paper_first(noted: Store) -> None:
    """The paper first, then by id: the shipped dataset atop-5.1 (treaty codings) and the note."""
    assert list(noted.sources()) == [PAPER_ID, "atop-5.1", "tour-note"]
    assert noted.sources()["tour-note"].kind.value == "analyst"


def test_a_later_attested_year_bridges_to_the_papers(noted: Store) -> None:
    """The paper's present tense places the NAC's oversight of SACEUR in 2009 only ("It has
    'effective political authority and powers of decision' and oversees both the political and
    military processes of the alliance"); the note's 2015 makes the years between certain."""
    both = linkage(noted.snapshot(SnapshotParams(alliance="nato", as_of=2012)))
    alone = linkage(noted.snapshot(SnapshotParams(alliance="nato", as_of=2012, sources=PAPER)))
    assert both["certain"] and not alone["certain"]
    chain = both["witnesses"][0]
    assert [o["id"] for o in chain["organs"]] == ["nato.nac", "nato.saceur"]
    assert (chain["agreement"], chain["source_ids"]) == ("agreed", [PAPER_ID, "tour-note"])
    assert both["counted_sources"] == [PAPER_ID, "atop-5.1", "tour-note"] and alone["counted_sources"] == [PAPER_ID]


def test_the_paper_alone_gives_back_the_papers_answers(noted: Store, embedded: EmbeddedStore) -> None:
    """``sources=finnegan-2009`` over the paper and the note answers as the paper alone does (the
    shipped data in the embedded store, the paper alone counted there too, since the shipped dataset
    atop-5.1 is a source of its own: both stores answer alike, which the suite checks elsewhere)."""
    store = embedded
    for alliance, year in (("nato", 2012), ("us-japan", 2009), ("us-japan", 2003), ("us-rok", 1985)):
        asked = SnapshotParams(alliance=alliance, as_of=year, sources=PAPER)
        assert linkage(noted.snapshot(asked)) == linkage(store.snapshot(asked))
    asked = SnapshotParams(alliance="nato", as_of=2015, sources=PAPER)
    assert paths(noted.snapshot(asked), "nato.nac", "nato.saceur", ALL_KINDS) == paths(
        store.snapshot(asked), "nato.nac", "nato.saceur", ALL_KINDS
    )


def test_a_stated_end_against_the_papers_present_tense_is_disputed_with_both_quotes(noted: Store) -> None:
    """'However, like the SSC, this group has lain dormant' (2009) against the note's invented
    dissolution in 2005: the SSC is kept possible and disputed in 2009, each claim with its quote."""
    snap = noted.snapshot(SnapshotParams(alliance="us-japan", as_of=2009))
    judged = snap.judgement("us-japan.ssc")
    assert (judged.existence, judged.rule, judged.agreement) == (Existence.POSSIBLE, "disputed", Agreement.DISPUTED)
    data = organ_data(snap.organ("us-japan.ssc"), snap)
    assert data["existence_why"]["quote"] == DISSOLVED and data["existence_why"]["source_id"] == "tour-note"
    claims = {c["source_id"]: c for c in data["claims"]}
    assert claims[PAPER_ID]["existence"] == "certain" and claims["tour-note"]["existence"] is None
    assert claims["tour-note"]["source_kind"] == "analyst" and "invented" in claims["tour-note"]["source_title"]
    paper_quotes = [a["quote"] for a in claims[PAPER_ID]["life"]["attested"]]
    assert SSC_PRESENT in paper_quotes and claims["tour-note"]["life"]["end"]["quote"] == DISSOLVED
    assert claims["tour-note"]["life"]["end"]["line"] is not None  # its line in the note's own text
    earlier = noted.snapshot(SnapshotParams(alliance="us-japan", as_of=2003)).judgement("us-japan.ssc")
    assert earlier.agreement is Agreement.AGREED and earlier.certain


def test_existence_certain_never_counts_a_disputed_thing(noted: Store) -> None:
    certain = noted.snapshot(SnapshotParams(alliance="us-japan", as_of=2009, existence=Existence.CERTAIN))
    assert "us-japan.ssc" not in certain.graph
    possible = noted.snapshot(SnapshotParams(alliance="us-japan", as_of=2009))
    assert "us-japan.ssc" in possible.graph


def test_an_unknown_source_is_named_with_close_matches(noted: Store) -> None:
    from app.errors import UnknownId

    with pytest.raises(UnknownId) as err:
        noted.snapshot(SnapshotParams(alliance="nato", as_of=2009, sources=("tour-notes",)))
    assert err.value.value == "tour-notes" and err.value.close_matches == ["tour-note"]


def test_a_selection_of_the_note_alone_holds_only_what_it_claims(noted: Store) -> None:
    """The note claims four organs and an edge; counted alone, NATO's structure is those of them
    that are NATO's, and the U.S.-ROK's is empty, not an error."""
    nato = noted.snapshot(SnapshotParams(alliance="nato", as_of=2015, sources=("tour-note",)))
    assert sorted(nato.graph.nodes) == ["nato.aco", "nato.nac", "nato.saceur"]
    assert nato.judgement("nato.nac").agreement is Agreement.SINGLE
    rok = noted.snapshot(SnapshotParams(alliance="us-rok", as_of=2009, sources=("tour-note",)))
    assert rok.graph.number_of_nodes() == 0
    view = noted.sourced(("tour-note",))
    assert set(view.organs()) == {"nato.nac", "nato.saceur", "nato.aco", "us-japan.ssc"}
    assert view.counted_sources() == ("tour-note",)


def test_compare_cells_say_which_sources_they_rest_on(noted: Store) -> None:
    """Figure 4's civil-military cell for NATO in 2012: certain with the note's 2015 (both sources,
    agreed), possible with the paper alone (its present tense attests 2009 only)."""
    from app.questions.compare import compare

    both = compare(noted, ["nato"], 2012)["rows"][0]["cells"]["linkage_by_authority"]
    assert (both["value"], both["source_ids"], both["agreement"]) == ("certain", [PAPER_ID, "tour-note"], "agreed")
    alone = compare(noted.sourced(PAPER), ["nato"], 2012)["rows"][0]["cells"]["linkage_by_authority"]
    assert (alone["value"], alone["source_ids"], alone["agreement"]) == ("possible", [PAPER_ID], "single")


def test_the_chart_names_each_elements_sources_and_marks_the_disputed_one(noted: Store) -> None:
    """U.S.-Japan in 2009 with the note counted: the SSC ('like the SSC, this group has lain dormant')
    is outlined as disputed, its title names both sources and what each says; the paper alone draws
    the chart as it always was."""
    import xml.etree.ElementTree as ET

    from app.diagram import diagram_svg

    svg = diagram_svg(noted.snapshot(SnapshotParams(alliance="us-japan", as_of=2009)))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    ssc = next(g for g in root.iter(f"{ns}g") if g.get("data-id") == "us-japan.ssc")
    assert ssc.get("data-agreement") == "disputed" and ssc.get("data-sources") == f"{PAPER_ID} tour-note"
    assert "disputed" in (ssc.get("class") or "").split()
    assert any(r.get("class") == "disputed-mark" for r in ssc.iter(f"{ns}rect"))
    title = ssc.findtext(f"{ns}title") or ""
    assert "tour-note (analyst: An invented note" in title and f"Disputed in 2009: {PAPER_ID}: certain" in title
    assert "sources: finnegan-2009 (paper), tour-note (analyst)" in svg
    alone = diagram_svg(noted.snapshot(SnapshotParams(alliance="us-japan", as_of=2009, sources=PAPER)))
    assert "data-sources" not in alone and "disputed" not in alone and "source: Finnegan (2009)" in alone
