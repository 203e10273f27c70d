"""U.S.-Japan, "a secretariat alliance": the paper's facts, checked against the loaded data."""

from __future__ import annotations

from app.questions import compare, linkage
from app.store.base import Store
from graph_schema.vocabulary import Condition, EdgeKind, Nature, OrganType, Role, Status
from tests.helpers import AUTH, AUTH_COORD, edges_between, members_of, snap


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


def test_ssc_dormant_by_2001_attested_2002_and_2009(store: Store) -> None:
    """'It is notable that there has not been a formal meeting of the SSC in at least eight years and the last
    official mention of it seems to have been in the 2002 SCC communiqué' — in 2009, 'at least eight years' means
    dormant from 2001 at the latest; the start lies after the SCC's and before the mini-SSC's ('it too became bloated
    ... In the mid-1990s ... instituted the "mini-SSC"')."""
    ssc = store.organ("us-japan.ssc")
    [dormant] = ssc.status_periods
    assert dormant.status is Status.DORMANT and dormant.start.high == 2001 and dormant.start.low is None
    assert {a.year for a in ssc.life.attested} == {2002, 2009}
    assert (ssc.life.start.low, ssc.life.start.high) == (1960, 1996)


def test_sdc_active_when_it_produced_the_guidelines(store: Store) -> None:
    """'The SDC dates from 1976 and has, when active, been somewhat focused on issues related to planning' ... 'the SDC
    produced the 1979 and 1997 Defense Guidelines' ... 'this group has lain dormant': active in 1979 and in 1997 (two
    periods), dormant in 2009 from 1998 at the earliest."""
    periods = store.organ("us-japan.sdc").status_periods
    active = sorted(a.year for p in periods if p.status is Status.ACTIVE for a in p.attested)
    assert active == [1979, 1997] and sum(p.status is Status.ACTIVE for p in periods) == 2
    [dormant] = [p for p in periods if p.status is Status.DORMANT]
    assert dormant.start.low == 1998 and [a.year for a in dormant.attested] == [2009]


def test_mini_ssc_mid_1990s_coordinated_in_place_of_the_sdc(store: Store) -> None:
    """'In the mid-1990s, then Deputy Assistant Secretary Kurt Campbell instituted the "mini-SSC" at his level to
    support the effort then underway to revitalize the alliance' ... 'in the guidelines revision of 1996-1997, much of
    the actual coordination occurred at the level of the then-active mini-SSC'."""
    mini = store.organ("us-japan.mini-ssc")
    assert (mini.life.start.low, mini.life.start.high) == (1994, 1996) and mini.established is None
    assert [(a.year, a.until) for a in mini.life.attested] == [(1996, 1997)]
    assert "us-japan.mini-ssc" not in snap(store, "us-japan", 1993).graph
    s = snap(store, "us-japan", 1997)
    touching = {e.target for e in s.edges() if e.source == "us-japan.mini-ssc"}
    assert "us-japan.sdc" not in touching and "us-japan.scc" in touching


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


def test_bcm_is_a_contingency_arrangement(store: Store) -> None:
    """'It is through this mechanism that the two governments will ostensibly coordinate their "respective activities
    in case of an armed attack against Japan and in situations in areas surrounding Japan."' — a contingency
    arrangement, so the forces' coordination through it holds under `wartime`, the paper's words in the note."""
    s = snap(store, "us-japan", 2009)
    into_bcm = [e for e in s.edges([EdgeKind.COORDINATION]) if e.target == "us-japan.bcm"]
    assert {e.source for e in into_bcm} == {"us.forces-japan", "japan.jsdf"}
    for edge in into_bcm:
        assert edge.condition is Condition.WARTIME and "armed attack against Japan" in (edge.note or "")


def test_2002_directive_went_to_the_ssc(store: Store) -> None:
    """'the last official mention of it seems to have been in the 2002 SCC communiqué where it was directed to report
    on consultations' ... 'While the SSC has not formally met for this purpose, the result of this directive was the
    Defense Policy Review Initiative process' — the 2002 direction is the SCC's to the SSC; the DPRI (2003) is its
    result."""
    [direction] = edges_between(snap(store, "us-japan", 2002), "us-japan.scc", "us-japan.ssc", EdgeKind.AUTHORITY)
    assert 2002 in {a.year for a in direction.life.attested}
    [directive] = edges_between(snap(store, "us-japan", 2009), "us-japan.scc", "us-japan.dpri", EdgeKind.AUTHORITY)
    assert directive.from_ == 2003 and "SSC" in (directive.note or "")


def test_no_overarching_military_authority_is_a_stated_absence(store: Store) -> None:
    """'the U.S.-Japan alliance has no "combined" structures; i.e., there is no mechanism by which to exercise any
    overarching military authority' — recorded as the paper's own statement, scoped to authority, present tense."""
    [absence] = store.alliance("us-japan").absences
    assert [k.value for k in absence.kinds] == ["authority"]
    assert [a.year for a in absence.years.attested] == [2009]
    assert any(
        "no mechanism by which to exercise any overarching military authority" in s.quote for s in absence.sources
    )


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
    Japan Defense Agency' — no year for the change. 'most' of 1951-2009 means more than half without it: the Ministry
    starts in 1981 at the earliest and exists in 2009 (present tense); the Agency ends when the Ministry starts."""
    mod, jda = store.organ("japan.ministry-of-defense"), store.organ("japan.defense-agency")
    assert mod.established is None and (mod.life.start.low, mod.life.start.high) == (1981, 2009)
    assert 2009 in {a.year for a in mod.life.attested}
    assert jda.ended is None and (jda.life.end.low, jda.life.end.high) == (1981, 2009)
    assert mod.predecessors == ["japan.defense-agency"]
    minister = store.organ("japan.minister-of-defense")
    assert minister.not_before == 1981
    assert not [e for e in snap(store, "us-japan", 1975).edges() if e.source == "japan.minister-of-defense"]


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
