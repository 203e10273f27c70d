"""U.S.-ROK, the "SCM system": the paper's facts, checked against the loaded data, by year and condition."""

from __future__ import annotations

from app.questions import diff, linkage
from app.questions.linkage import operational_commanders
from app.store.base import Store
from graph_schema.vocabulary import Condition, EdgeKind, Status
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
    is printed, so established stays null with the bound 1969."""
    mcm = store.organ("us-rok.mcm")
    assert mcm.established is None and mcm.not_before == 1969
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
    (OPCON) of only those forward deployed ROK forces' ... 'In 1994, "peacetime OPCON" was withdrawn from Commander
    CFC'."""
    assert store.organ("us-rok.cfc").established == 1978
    assert _commands(store, 1985, ARMISTICE) == {"us-rok.commander-cfc"}
    assert _commands(store, 1993, ARMISTICE) == {"us-rok.commander-cfc"}
    assert _commands(store, 1994, ARMISTICE) == {"rok.nca"}
    assert _commands(store, 2000, ARMISTICE) == {"rok.nca"}


def test_peacetime_is_armistice(store: Store) -> None:
    """CONTRACT.md: '`peacetime` is accepted everywhere as a synonym of `armistice`'."""
    from app.api.params import parse_condition_param

    assert parse_condition_param("peacetime") is ARMISTICE


def test_wartime_opcon_after_rok_decision(store: Store) -> None:
    """'In wartime, following resurgence of North Korean aggression and only after ROK national command authority
    decision, the Commander CFC was by mutual agreement to be given OPCON over designated ROK forces.'"""
    for year in (1985, 2000, 2009):
        assert "us-rok.commander-cfc" in _commands(store, year, WARTIME)
    [decision] = edges_between(snap(store, "us-rok", 2000, WARTIME), "rok.nca", "us-rok.commander-cfc")
    assert (decision.kind, decision.condition) == (EdgeKind.AUTHORITY, WARTIME)
    assert not edges_between(snap(store, "us-rok", 2000, ARMISTICE), "rok.nca", "us-rok.commander-cfc")


def test_guidance_to_commander_cfc_same_in_armistice_and_war(store: Store) -> None:
    """'develop combined guidance through the interaction of the SCM and MCM, and issue that guidance to the Commander
    CFC' ... 'This process would be the same if hostilities were to reemerge.'"""
    for condition in (ARMISTICE, WARTIME):
        result = linkage(snap(store, "us-rok", 2009, condition), AUTH)
        chain = [o["id"] for o in result["witnesses"][0]["organs"]]
        assert chain == ["us-rok.scm", "us-rok.mcm", "us-rok.commander-cfc"]


def test_deputy_is_korean_and_ground_component_from_1992(store: Store) -> None:
    """'in 1992 the ROK Deputy Commander of CFC was designated the commander of all ground forces' ... 'the Ground
    Component Command is led by a ROK General'."""
    assert not edges_between(
        snap(store, "us-rok", 1991), "us-rok.deputy-commander-cfc", "us-rok.ground-component-command"
    )
    [edge] = edges_between(
        snap(store, "us-rok", 1992), "us-rok.deputy-commander-cfc", "us-rok.ground-component-command"
    )
    assert edge.kind is EdgeKind.AUTHORITY and edge.from_ == 1992


def test_component_commanders_exercise_wartime_authorities(store: Store) -> None:
    """'The Commander CFC would exercise his wartime authorities through combined component commanders responsible
    for ground, air, naval, marine, and special operations.'"""
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
    """After CFC's planned deactivation the paper reports no authority from the SCM/MCM to the ROK warfighter; it only
    urges that 'the strong linkages of the SCM to the MCM and to the respective operational commanders must be
    maintained'. So the chain breaks below the MCM."""
    result = linkage(snap(store, "us-rok", 2013, include_planned=True), AUTH)
    assert not result["linked"]
    assert [o["id"] for o in result["operational_commanders"]] == ["us-rok.rok-warfighter"]
    assert {o["id"] for o in result["break"]["civilian_reach"]} == {"us-rok.scm", "us-rok.mcm"}


def test_diff_1975_1985_shows_cfc_arriving(store: Store) -> None:
    """'In 1978 ... the current Combined Forces Command (CFC) was established and supplanted UNC as the warfighter.'"""
    d = diff(store, "us-rok", 1975, 1985)
    assert "us-rok.cfc" in {o["id"] for o in d["organs_added"]}
    removed = {e["id"] for e in d["edges_removed"]}
    assert any(i.startswith("us-rok.commander-unc>authority:opcom>rok.forces") for i in removed)
    assert d["linkage"]["before"]["commanders"] == ["us-rok.commander-unc", "us-rok.unc"]


def test_treaty_year_1954(store: Store) -> None:
    """'Republic of Korea (1954)'."""
    assert store.alliance("us-rok").treaty_years == [1954]
