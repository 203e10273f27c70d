"""U.S.-ROK, the "SCM system": the paper's facts, checked against the loaded data, by year and condition."""

from __future__ import annotations

from app.questions import diff, linkage
from app.questions.linkage import operational_commanders
from app.snapshot import SnapshotParams
from app.store.base import Store
from graph_schema.vocabulary import Condition, EdgeKind, Existence, Status
from tests.helpers import AUTH, edges_between, members_of, snap

ARMISTICE, WARTIME = Condition.ARMISTICE, Condition.WARTIME


def _commands(store: Store, year: int, condition: Condition, target: str = "rok.forces") -> set[str]:
    """Who holds authority over ``target`` in a year under a condition."""
    s = snap(store, "us-rok", year, condition)
    return {e.source for e in s.edges([EdgeKind.AUTHORITY]) if e.target == target}


def test_scm_1969_chaired_by_defense_heads(store: Store) -> None:
    """'In 1969 the United States and South Korea established a consultative system known as the Security
    Consultative Meeting (SCM), chaired by the respective Secretary and Minister of Defense and representing their
    Presidents'."""
    assert store.organ("us-rok.scm").established == 1969
    assert "us-rok.scm" not in snap(store, "us-rok", 1968).graph
    s = snap(store, "us-rok", 1970)
    chairs = {e.source for e in s.edges([EdgeKind.MEMBERSHIP]) if e.target == "us-rok.scm" and e.mode.value == "chair"}
    assert chairs == {"us.secretary-of-defense", "rok.minister-of-defense"}
    assert {"us.president", "rok.president"} <= members_of(s, "us-rok.scm")


def test_mcm_later_than_scm_year_not_given(store: Store) -> None:
    """'This mechanism was complemented later by the establishment of the Military Committee Meeting (MCM)' — no year
    is printed, so the start is bounded by the SCM's (1969), written relative to it."""
    mcm = store.organ("us-rok.mcm")
    assert mcm.established is None and mcm.not_before == 1969
    assert mcm.life.start.not_before is not None and mcm.life.start.not_before.relative_to == "us-rok.scm"
    assert members_of(snap(store, "us-rok", 2000), "us-rok.mcm") == {"us.cjcs", "rok.cjcs"}


def test_mcm_recommends_to_scm_and_national_command_authorities(store: Store) -> None:
    """'provide combined recommendations to the SCM and the respective national command authorities'."""
    s = snap(store, "us-rok", 2000)
    advised = {e.target for e in s.edges([EdgeKind.ADVICE]) if e.source == "us-rok.mcm"}
    assert advised == {"us-rok.scm", "us.nca", "rok.nca"}


def test_unc_warfighter_before_1978_with_opcom(store: Store) -> None:
    """'ROK forces put under the Operational Command (OPCOM) of the Commander UNC' until CFC 'supplanted UNC as the
    warfighter' in 1978."""
    assert store.organ("us-rok.unc").established == 1950
    assert _commands(store, 1975, ARMISTICE) == {"us-rok.commander-unc"}
    assert _commands(store, 1975, WARTIME) == {"us-rok.commander-unc"}
    [opcom] = edges_between(snap(store, "us-rok", 1975), "us-rok.commander-unc", "rok.forces")
    assert opcom.mode.value == "opcom"
    assert {o.id for o in operational_commanders(snap(store, "us-rok", 1975))} == {"us-rok.unc", "us-rok.commander-unc"}
    assert {o.id for o in operational_commanders(snap(store, "us-rok", 1978))} == {"us-rok.cfc", "us-rok.commander-cfc"}


def test_cfc_1978_opcon_of_forward_forces_in_armistice_until_1994(store: Store) -> None:
    """'For peacetime, or more accurately for the period of armistice, the Commander CFC was given Operational Control
    (OPCON) of only those forward deployed ROK forces that were needed to ensure maintenance of the Armistice
    Agreement.' ... 'In 1994, "peacetime OPCON" was withdrawn from Commander CFC, and the ROK has since maintained
    full operational control of its own forces'."""
    forward = "rok.forward-deployed-forces"
    assert store.organ("us-rok.cfc").established == 1978
    assert _commands(store, 1985, ARMISTICE, forward) == {"us-rok.commander-cfc"}
    assert _commands(store, 1993, ARMISTICE, forward) == {"us-rok.commander-cfc"}
    assert _commands(store, 1994, ARMISTICE, forward) == set()
    # Only the forward deployed forces: the paper does not say who controlled the rest from 1978 to 1994.
    assert _commands(store, 1985, ARMISTICE) == set()
    assert _commands(store, 1994, ARMISTICE) == {"rok.nca"}
    assert _commands(store, 2000, ARMISTICE) == {"rok.nca"}


def test_dmz_authority_over_us_forces_has_no_stated_end(store: Store) -> None:
    """'This allowed him to exercise necessary but limited (in the case of the ROK) authority over all forces—U.S. and
    ROK—required to control the Demilitarized Zone (DMZ).' The 1994 withdrawal concerns the ROK's forces ('the ROK has
    since maintained full operational control of its own forces'), so the U.S. side is given no end."""
    [edge] = edges_between(snap(store, "us-rok", 1985, ARMISTICE), "us-rok.commander-cfc", "us.forces-korea")
    assert edge.from_ == 1978 and edge.to is None and not edge.life.end.known


def test_peacetime_is_armistice(store: Store) -> None:
    """CONTRACT.md: '`peacetime` is accepted everywhere as a synonym of `armistice`'."""
    from app.parse import parse_condition_param

    assert parse_condition_param("peacetime") is ARMISTICE


def test_wartime_opcon_after_rok_decision(store: Store) -> None:
    """'In wartime, following resurgence of North Korean aggression and only after ROK national command authority
    decision, the Commander CFC was by mutual agreement to be given OPCON over designated ROK forces.'"""
    for year in (1985, 2000, 2009):
        assert "us-rok.commander-cfc" in _commands(store, year, WARTIME, "rok.designated-forces")
    [decision] = edges_between(snap(store, "us-rok", 2000, WARTIME), "rok.nca", "us-rok.commander-cfc")
    assert (decision.kind, decision.condition) == (EdgeKind.AUTHORITY, WARTIME)
    assert not edges_between(snap(store, "us-rok", 2000, ARMISTICE), "rok.nca", "us-rok.commander-cfc")


def test_guidance_to_commander_cfc_same_in_armistice_and_war(store: Store) -> None:
    """'develop combined guidance through the interaction of the SCM and MCM, and issue that guidance to the Commander
    CFC' ... 'This process would be the same if hostilities were to reemerge.' ... 'the strong linkages of the SCM to
    the MCM and to the respective operational commanders': the SCM reaches Commander CFC directly and through the
    MCM, in armistice and war."""
    for condition in (ARMISTICE, WARTIME):
        s = snap(store, "us-rok", 2009, condition)
        result = linkage(s, AUTH)
        assert [o["id"] for o in result["witnesses"][0]["organs"]] == ["us-rok.scm", "us-rok.commander-cfc"]
        assert edges_between(s, "us-rok.mcm", "us-rok.commander-cfc", EdgeKind.AUTHORITY)


def test_scm_guidance_to_unc_then_cfc_settled_alike(store: Store) -> None:
    """'to provide a mechanism for the two sovereign states to issue unified guidance to the military forces defending
    the country' (1969) and 'CFC ... supplanted UNC as the "warfighter"' (1978): the SCM's guidance goes to Commander
    UNC from 1969 to 1978 and to Commander CFC from 1978, both drawn the same way."""
    assert edges_between(snap(store, "us-rok", 1970), "us-rok.scm", "us-rok.commander-unc", EdgeKind.AUTHORITY)
    assert not edges_between(snap(store, "us-rok", 1970), "us-rok.scm", "us-rok.commander-cfc")
    s = snap(store, "us-rok", 1985)
    assert edges_between(s, "us-rok.scm", "us-rok.commander-cfc", EdgeKind.AUTHORITY)
    assert not edges_between(s, "us-rok.scm", "us-rok.commander-unc")


def test_commander_unc_from_1950_a_part_of_the_unc(store: Store) -> None:
    """'the United Nations Command (UNC), established in 1950 to defeat North Korean aggression and led by a four-star
    U.S. General'."""
    commander = store.organ("us-rok.commander-unc")
    assert commander.established == 1950 and commander.part_of == "us-rok.unc"
    assert "us-rok.commander-unc" in snap(store, "us-rok", 1950).graph


def test_cfc_posts_and_staff_are_parts_of_cfc(store: Store) -> None:
    """'While the Commander remains American, his deputy is a Korean General of equal rank. Throughout the command,
    this pattern is repeated: an American officer leads a staff section'."""
    for post in ("us-rok.commander-cfc", "us-rok.deputy-commander-cfc", "us-rok.cfc-staff"):
        assert store.organ(post).part_of == "us-rok.cfc", post


def test_deputy_designated_commander_of_all_ground_forces_in_1992(store: Store) -> None:
    """'in 1992 the ROK Deputy Commander of CFC was designated the commander of all ground forces—U.S., ROK and
    potentially UNC—that would be employed in the defense of Korea': the ground forces, not all ROK forces and not
    all U.S. forces, in wartime; certain in 1992 by the paper's own year. The Ground Component Command 'is led by a
    ROK General' only in the present tense, so the designation is not read as command of it (issue 24, item 5)."""
    ground = "us-rok.ground-forces"
    assert not edges_between(snap(store, "us-rok", 1991), "us-rok.deputy-commander-cfc", ground)
    s = store.snapshot(SnapshotParams("us-rok", 1992, existence=Existence.CERTAIN))
    [edge] = edges_between(s, "us-rok.deputy-commander-cfc", ground)
    assert edge.kind is EdgeKind.AUTHORITY and edge.from_ == 1992 and edge.condition is WARTIME
    deputy_reaches = {
        e.target for e in snap(store, "us-rok", 1992).edges() if e.source == "us-rok.deputy-commander-cfc"
    }
    assert "rok.forces" not in deputy_reaches and "us.forces-korea" not in deputy_reaches
    assert not edges_between(
        snap(store, "us-rok", 2009), "us-rok.deputy-commander-cfc", "us-rok.ground-component-command"
    )
    assert edges_between(snap(store, "us-rok", 2009, WARTIME), "us-rok.ground-component-command", ground)


def test_component_commanders_exercise_wartime_authorities(store: Store) -> None:
    """'The Commander CFC would exercise his wartime authorities through combined component commanders responsible
    for ground, air, naval, marine, and special operations.' The paper gives the component commands no year (1992
    dates only the deputy's designation): bounded by CFC's founding, not dated."""
    war = {
        e.target
        for e in snap(store, "us-rok", 2000, WARTIME).edges([EdgeKind.AUTHORITY])
        if e.source == "us-rok.commander-cfc"
    }
    components = {
        "us-rok.ground-component-command",
        "us-rok.air-component-command",
        "us-rok.naval-component-command",
        "us-rok.marine-component-command",
        "us-rok.special-operations-component-command",
    }
    assert components <= war
    peace = {
        e.target
        for e in snap(store, "us-rok", 2000, ARMISTICE).edges([EdgeKind.AUTHORITY])
        if e.source == "us-rok.commander-cfc"
    }
    assert not components & peace
    for component in components:
        organ = store.organ(component)
        assert organ.established is None and organ.not_before == 1978, component


def test_cfc_deactivation_2012_is_a_plan(store: Store) -> None:
    """'by agreement, CFC will be deactivated in 2012' — a plan, not an end: CFC stays unless plans are asked for."""
    cfc = store.organ("us-rok.cfc")
    assert cfc.ended is None and cfc.planned_end == 2012
    assert "us-rok.cfc" in snap(store, "us-rok", 2013).graph
    assert "us-rok.cfc" not in snap(store, "us-rok", 2013, include_planned=True).graph


def test_planned_rok_warfighter_supported_by_us_commander(store: Store) -> None:
    """'puts a ROK commander in place as the warfighter—the supported commander—and establishes the U.S. commander
    in Korea as a supporting commander'."""
    assert store.organ("us-rok.rok-warfighter").status is Status.PLANNED
    assert "us-rok.rok-warfighter" not in snap(store, "us-rok", 2013).graph
    s = snap(store, "us-rok", 2013, include_planned=True)
    [edge] = edges_between(s, "us-rok.us-supporting-commander", "us-rok.rok-warfighter")
    assert (edge.kind, edge.status) == (EdgeKind.SUPPORT, Status.PLANNED)


def test_what_breaks_if_cfc_goes(store: Store) -> None:
    """After CFC's planned deactivation the paper reports no authority from the SCM/MCM to the ROK warfighter, but it
    does not say the chain ends: it urges that 'the strong linkages of the SCM to the MCM and to the respective
    operational commanders must be maintained'. So linkage is false and the gap is 'not reported', never stated."""
    result = linkage(snap(store, "us-rok", 2013, include_planned=True), AUTH)
    assert not result["linked"]
    assert [o["id"] for o in result["operational_commanders"]] == ["us-rok.rok-warfighter"]
    assert result["break"]["stated"] is False
    assert result["break"]["cause"] == "not-reported"
    assert not store.alliance("us-rok").absences


def test_diff_1975_1985_shows_cfc_arriving(store: Store) -> None:
    """'In 1978 ... the current Combined Forces Command (CFC) was established and supplanted UNC as the warfighter.'"""
    d = diff(store, "us-rok", 1975, 1985)
    assert "us-rok.cfc" in {o["id"] for o in d["organs_added"]}
    removed = {e["id"] for e in d["edges_removed"]}
    assert "us-rok.commander-unc:authority:opcom:rok.forces" in removed
    assert d["linkage"]["before"]["commanders"] == ["us-rok.commander-unc", "us-rok.unc"]


def test_treaty_year_1954(store: Store) -> None:
    """'Republic of Korea (1954)'."""
    assert store.alliance("us-rok").treaty_years == [1954]


def test_two_member_group(store: Store) -> None:
    """'in the smaller U.S.-ROK two-member group'."""
    assert [m.count for m in store.alliance("us-rok").members] == [2]
