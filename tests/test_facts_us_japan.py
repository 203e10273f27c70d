"""U.S.-Japan, "a secretariat alliance": the paper's facts, checked against the loaded data."""

from __future__ import annotations

from app.questions import compare, linkage
from app.store.base import Store
from graph_schema.vocabulary import EdgeKind, Nature, OrganType, Role, Status
from tests.helpers import AUTH, AUTH_COORD, members_of, snap


def test_scc_two_plus_two_membership_changes_in_1990(store: Store) -> None:
    """'composed of the U.S. Secretaries of State and Defense and their Japanese counterparts' ... 'wherein the U.S.
    representatives were the U.S. Ambassador and Commander-in-Chief, U.S. Pacific Command (CINCPAC)' ... 'It was not
    until 1990 that this body was elevated to the cabinet level on the U.S. side.'"""
    scc = store.organ("us-japan.scc")
    assert scc.established == 1960 and "two-plus-two" in scc.aliases
    before, after = (
        members_of(snap(store, "us-japan", 1985), "us-japan.scc"),
        members_of(snap(store, "us-japan", 1995), "us-japan.scc"),
    )
    us_before = {m for m in before if m.startswith("us.")}
    us_after = {m for m in after if m.startswith("us.")}
    assert us_before == {"us.ambassador-to-japan", "us.cincpac"}
    assert us_after == {"us.secretary-of-state", "us.secretary-of-defense"}


def test_scc_final_decision_body(store: Store) -> None:
    """'the senior working-level venue to prepare and negotiate issues for the SCC, the final decision making body'."""
    s = snap(store, "us-japan", 2009)
    deciders = {
        o.id for o in s.organs() if o.alliance == "us-japan" and any(r.role is Role.DECISION_MAKING for r in o.roles)
    }
    assert deciders == {"us-japan.scc"}


def test_ssc_and_sdc_dormant(store: Store) -> None:
    """'there has not been a formal meeting of the SSC in at least eight years' ... 'like the SSC, this group has lain
    dormant'."""
    assert store.organ("us-japan.ssc").status is Status.DORMANT
    assert store.organ("us-japan.sdc").status is Status.DORMANT


def test_sdc_1976_ssc_members_plus_dg_operations(store: Store) -> None:
    """'The SDC dates from 1976' ... 'comprised of the members of the SSC (i.e., Assistant Secretary-level) with the
    addition of the Director General for Operations from the Ministry of Defense'."""
    assert store.organ("us-japan.sdc").established == 1976
    assert "us-japan.sdc" not in snap(store, "us-japan", 1975).graph
    members = members_of(snap(store, "us-japan", 2009), "us-japan.sdc")
    assert "us-japan.ssc" in members
    assert any(store.organ(m).name.startswith("Director General for Operations") for m in members)


def test_no_authority_reaches_the_forces(store: Store) -> None:
    """'the U.S.-Japan alliance has no "combined" structures; i.e., there is no mechanism by which to exercise any
    overarching military authority' — the SCC reaches no operational commander by authority alone."""
    for year in (1965, 1985, 2000, 2009):
        assert not linkage(snap(store, "us-japan", year), AUTH)["linked"], year


def test_coordination_reaches_the_forces_from_1997(store: Store) -> None:
    """'The resulting Guidelines ... established two bilateral coordination measures under the supervision of the
    SCC.' Coordination, not authority, is what reaches the militaries, and only from 1997."""
    assert not linkage(snap(store, "us-japan", 1996), AUTH_COORD)["linked"]
    result = linkage(snap(store, "us-japan", 2009), AUTH_COORD)
    assert result["linked"]
    kinds_used = {e["kind"] for path in result["witnesses"] for e in path["edges"]}
    assert EdgeKind.COORDINATION.value in kinds_used
    assert result["witnesses"][0]["organs"][0]["id"] == "us-japan.scc"


def test_break_says_coordination_closes_the_gap(store: Store) -> None:
    """The secretariat alliance 'essentially stops at the mid bureaucratic level ... not extending in any meaningful,
    formal way into the operational militaries'."""
    brk = linkage(snap(store, "us-japan", 2009), AUTH)["break"]
    closers = {c["add_kind"] for c in brk["closing_kinds"] if c["linked"]}
    assert closers == {"coordination"}
    reached = {o["id"] for o in brk["civilian_reach"]}
    assert "us-japan.scc" in reached
    assert not any(store.organ(i).nature is Nature.MILITARY and store.organ(i).type is OrganType.FORCE for i in reached)


def test_bjocc_directive_2005_usfj_only(store: Store) -> None:
    """'the founding directive simply called on United States Forces Japan to "establish" a center for "shared use;"
    there was no directive for Japanese forces to actually show up.'"""
    s = snap(store, "us-japan", 2009)
    touching = {e.source for e in s.edges() if e.target == "us-japan.bjocc"} | {
        e.target for e in s.edges() if e.source == "us-japan.bjocc"
    }
    assert "us.usfj" in touching
    assert not any(t.startswith("japan.") for t in touching)


def test_dpri_begun_2003(store: Store) -> None:
    """'The Defense Policy Review Initiative (DPRI), a bilateral dialogue begun in 2003'."""
    dpri = store.organ("us-japan.dpri")
    assert dpri.established == 2003 and dpri.type is OrganType.DIALOGUE


def test_self_defense_forces_evolved_1954(store: Store) -> None:
    """'The National Police Reserve (founded in 1950) and the subsequently established National Safety Agency (1952)
    ... in 1954 evolved into the Japanese Self-Defense Force (JSDF) and Japan Defense Agency, respectively.'"""
    jsdf, jda = store.organ("japan.jsdf"), store.organ("japan.defense-agency")
    assert (jsdf.established, jda.established) == (1954, 1954)
    assert jsdf.predecessors == ["japan.national-police-reserve"] and jda.predecessors == [
        "japan.national-safety-agency"
    ]
    assert (
        store.organ("japan.national-police-reserve").established == 1950
        and store.organ("japan.national-safety-agency").established == 1952
    )


def test_ministry_of_defense_year_not_invented(store: Store) -> None:
    """'For most of the alliance's history, the Japanese Ministry of Defense did not exist, its predecessor being the
    Japan Defense Agency' — the paper gives no year for the change, so none is stored."""
    assert store.organ("japan.ministry-of-defense").established is None
    assert store.organ("japan.defense-agency").ended is None


def test_no_combined_command_in_figure_4(store: Store) -> None:
    """'Unlike the NATO alliance or the U.S.-ROK alliance, the U.S.-Japan alliance has no "combined" structures'."""
    rows = {r["alliance"]: r for r in compare(store)["rows"]}
    assert rows["us-japan"]["has_combined_command"] is False
    assert rows["nato"]["has_combined_command"] and rows["us-rok"]["has_combined_command"]
    assert rows["us-japan"]["coordination_only_linkage"] is True
    assert rows["us-japan"]["has_military_committee"] is False


def test_treaty_years_1951_and_1960(store: Store) -> None:
    """'Japan (1951/1960)'."""
    assert store.alliance("us-japan").treaty_years == [1951, 1960]
