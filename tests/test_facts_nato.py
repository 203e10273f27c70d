"""NATO, "a defense conglomerate": the paper's facts, checked against the loaded data."""

from __future__ import annotations

from app.questions import linkage, paths
from app.questions.linkage import civilian_bodies
from app.store.base import Store
from graph_schema.vocabulary import EdgeKind, Existence, Nature, Role, Status
from tests.helpers import AUTH, edges_between, members_of, snap


def test_nac_highest_body_chaired_by_secretary_general(store: Store) -> None:
    """'the NAC is the highest decision making body within NATO' ... 'Chaired by the NATO Secretary General'."""
    s = snap(store, "nato", 2009)
    nac = s.organ("nato.nac")
    assert nac.nature is Nature.CIVILIAN
    assert any(r.role is Role.DECISION_MAKING for r in nac.roles)
    chair = [e for e in s.edges([EdgeKind.MEMBERSHIP]) if e.target == "nato.nac" and e.mode.value == "chair"]
    assert [e.source for e in chair] == ["nato.secretary-general"]


def test_only_nac_dpc_npg_decide(store: Store) -> None:
    """'These two civilian committees are the only bodies, other than the NAC proper, empowered to make
    decisions for the alliance.'"""
    s = snap(store, "nato", 2009)
    deciders = {
        o.id for o in s.organs() if o.alliance == "nato" and any(r.role is Role.DECISION_MAKING for r in o.roles)
    }
    assert deciders == {"nato.nac", "nato.dpc", "nato.npg"}
    assert {o.id for o in civilian_bodies(s)} == deciders


def test_nac_meets_semi_annually_and_weekly(store: Store) -> None:
    """'it operates at both the ministerial level (semi-annually) and a more operational Permanent
    Representative level (weekly)'."""
    cadence = {(c.session, c.frequency) for c in store.organ("nato.nac").cadence}
    assert cadence == {("ministerial", "semi-annually"), ("Permanent Representative", "weekly")}


def test_military_committee_weekly_and_chiefs_three_times_a_year(store: Store) -> None:
    """'The MC meets weekly ...' 'it also meets at the higher Chiefs of Defense level on average three times a year'."""
    mc = store.organ("nato.mc")
    assert mc.nature is Nature.MILITARY
    frequencies = {c.frequency for c in mc.cadence}
    assert frequencies == {"weekly", "on average three times a year"}
    assert members_of(snap(store, "nato", 2009), "nato.mc") == {
        "nato.military-representatives",
        "nato.chiefs-of-defense",
    }


def test_dpc_guides_military_authorities(store: Store) -> None:
    """The DPC 'provides guidance to NATO's military authorities' — plural: the MC ('the senior military authority
    in NATO') and the Strategic Commanders."""
    s = snap(store, "nato", 2009)
    guided = {e.target for e in s.edges([EdgeKind.AUTHORITY]) if e.source == "nato.dpc" and e.mode.value == "guidance"}
    assert guided == {"nato.mc", "nato.saceur", "nato.act"}


def test_mc_advises_and_supports_the_nac(store: Store) -> None:
    """'NAC duties are also supported by the Military Committee (MC)' ... 'to provide direction and advice'."""
    kinds = {e.kind for e in edges_between(snap(store, "nato", 2009), "nato.mc", "nato.nac")}
    assert kinds == {EdgeKind.ADVICE, EdgeKind.SUPPORT}


def test_civil_military_linkage_nac_mc_strategic_commanders(store: Store) -> None:
    """'the very active and close linkage of the NAC to the MC and to the Strategic Commanders (the operational
    force)' and 'Beneath the NAC and the MC lie the strategic, operational, and tactical forces led by the Strategic
    Commanders': the NAC reaches SACEUR directly and through the MC, so the MC is not the only link."""
    s = snap(store, "nato", 2009)
    result = linkage(s, AUTH)
    assert result["linked"] and result["shortest_hops"] == 1
    assert ["nato.nac", "nato.saceur"] in [[o["id"] for o in w["organs"]] for w in result["witnesses"]]
    via_mc = paths(s, "nato.nac", "nato.saceur", {EdgeKind.AUTHORITY})
    assert ["nato.nac", "nato.mc", "nato.saceur"] in [[o["id"] for o in p["organs"]] for p in via_mc["paths"]]
    assert linkage(snap(store, "nato", 2009, exclude=frozenset({"nato.mc"})), AUTH)["linked"]
    for commander in ("nato.saceur", "nato.act"):
        assert edges_between(s, "nato.nac", commander, EdgeKind.AUTHORITY), commander


def test_aco_led_by_saceur_commands_the_jfcs(store: Store) -> None:
    """'ACO, led by the Supreme Allied Commander Europe (SACEUR)' ... 'Subordinate to ACO are the operational forces
    of the two JFCs in Brüssel, the Netherlands, and Naples, Italy as well as the less robust Joint Force
    Headquarters in Lisbon'."""
    s = snap(store, "nato", 2009)
    assert edges_between(s, "nato.saceur", "nato.aco", EdgeKind.AUTHORITY)
    below = {e.target for e in s.edges([EdgeKind.AUTHORITY]) if e.source == "nato.aco"}
    assert {"nato.jfc-brussel", "nato.jfc-naples", "nato.jfhq-lisbon"} <= below


def test_brussel_printed_as_is_with_usual_name_as_alias(store: Store) -> None:
    """The paper prints 'Brüssel, the Netherlands'; the seat is kept as printed, the usual name an alias."""
    jfc = store.organ("nato.jfc-brussel")
    assert jfc.location == "Brüssel, the Netherlands"
    assert "JFC Brunssum" in jfc.aliases
    assert [o.id for o in store.search("brunssum")] == ["nato.jfc-brussel"]


def test_aco_current_structure_after_prague_2002(store: Store) -> None:
    """'The current structure of ACO is the result of combining several geographical commands after the Prague
    Summit of 2002' — it dates ACO's current structure, not ACO: ACO has no start year or bound (possible in
    1995), while the JFCs of the current structure are not before 2002."""
    aco = store.organ("nato.aco")
    assert aco.established is None and aco.not_before is None
    assert snap(store, "nato", 1995).judgement("nato.aco").existence.value == "possible"
    assert "nato.jfc-brussel" not in snap(store, "nato", 1995).graph
    assert "nato.jfc-brussel" in snap(store, "nato", 2002).graph


def test_component_commands_under_standing_jfcs(store: Store) -> None:
    """'The two standing JFCs have air, land and naval Component Commands'."""
    s = snap(store, "nato", 2009)
    for jfc in ("nato.jfc-brussel", "nato.jfc-naples"):
        below = {e.target for e in s.edges([EdgeKind.AUTHORITY]) if e.source == jfc}
        assert {"nato.air-component-command", "nato.land-component-command", "nato.naval-component-command"} <= below
    assert not edges_between(s, "nato.jfhq-lisbon", "nato.air-component-command")


def test_act_collocated_with_us_joint_forces_command(store: Store) -> None:
    """'Headquartered in the United States, it is collocated with the U.S. Joint Forces Command (JFC)'."""
    s = snap(store, "nato", 2009)
    [edge] = edges_between(s, "nato.act", "us.jfcom")
    assert edge.kind is EdgeKind.COORDINATION and edge.mode.value == "collocation"
    assert store.organ("nato.act").location == "United States"


def test_parliamentary_assembly_1955_and_ata_1954(store: Store) -> None:
    """'Created in 1955, the NATO-Parliamentary Assembly (PA) (formerly the North Atlantic Assembly)' ...
    'The Atlantic Treaty Association, a non-governmental entity created in 1954'."""
    pa, ata = store.organ("nato.pa"), store.organ("nato.ata")
    assert (pa.established, pa.nature) == (1955, Nature.PARLIAMENTARY)
    assert "North Atlantic Assembly" in pa.aliases
    assert (ata.established, ata.nature) == (1954, Nature.NON_GOVERNMENTAL)
    assert "nato.pa" not in snap(store, "nato", 1954).graph
    assert "nato.pa" in snap(store, "nato", 1955).graph


def test_ata_network_of_national_associations(store: Store) -> None:
    """'a network of 26 national associations in NATO member countries (e.g., the Atlantic Council of the United
    States), 15 associate member national associations ... and one observer member national association (Israel)'."""
    assert members_of(snap(store, "nato", 2009), "nato.ata") == {
        "nato.national-associations",
        "nato.associate-associations",
        "nato.observer-association",
        "us.atlantic-council",
    }


def test_membership_12_grew_to_26(store: Store) -> None:
    """'The military alliance was formed with the signing of the North Atlantic Treaty of April 4, 1949' ...
    'membership of 12 has since grown to 26' — present perfect, the paper's date: 26 in 2009 (the year NATO reached
    26 is not given)."""
    nato = store.alliance("nato")
    assert nato.treaty_years == [1949]
    assert [(m.count, m.year) for m in nato.members] == [(12, 1949), (26, 2009)]


def test_no_year_invented_for_npg(store: Store) -> None:
    """'the effort of the Nuclear Planning Group that began in earnest with the 1962 Athens conference' dates an
    effort, not a founding: the NPG's years stay null; it is possible before 2009, certain in it (present tense)."""
    npg = store.organ("nato.npg")
    assert npg.established is None and npg.not_before is None
    assert 1962 not in {a.year for a in npg.life.attested}
    assert snap(store, "nato", 1960).judgement("nato.npg").existence is Existence.POSSIBLE
    assert snap(store, "nato", 2009).judgement("nato.npg").existence is Existence.CERTAIN


def test_international_staff_supports_nac_and_committees(store: Store) -> None:
    """'the International Staff—made up of some 5,500 civilian staff members worldwide to support the NAC and the
    committee structure'."""
    s = snap(store, "nato", 2009)
    supported = {e.target for e in s.edges([EdgeKind.SUPPORT]) if e.source == "nato.international-staff"}
    assert supported == {"nato.nac", "nato.committees"}


def test_partner_councils_consult_with_nac(store: Store) -> None:
    """'additional consultations with partner countries such as the Euro-Atlantic Partnership Council and
    NATO-Russia Permanent Joint Council'."""
    s = snap(store, "nato", 2009)
    for council in ("nato.eapc", "nato.nato-russia-pjc"):
        [edge] = edges_between(s, council, "nato.nac")
        assert edge.kind is EdgeKind.COORDINATION
    result = paths(s, "nato.nac", "nato.eapc", {EdgeKind.COORDINATION})
    assert result["connected"], "coordination is mutual, so it is walked both ways"


def test_every_nato_organ_is_active(store: Store) -> None:
    """The paper reports no dormant or planned NATO body."""
    assert {o.status for o in store.organs().values() if o.alliance == "nato"} == {Status.ACTIVE}


def test_ata_and_assembly_support_the_alliance(store: Store) -> None:
    """'On a more informal level, the alliance is supported by both parliamentary and non-governmental entities.'
    The ATA is not an island: it supports the NAC, which stands for 'NATO proper', as the NATO-PA does."""
    s = snap(store, "nato", 2009)
    supporters = {e.source for e in s.edges([EdgeKind.SUPPORT]) if e.target == "nato.nac"}
    assert {"nato.ata", "nato.pa"} <= supporters


def test_jfcs_and_components_not_before_aco(store: Store) -> None:
    """'Subordinate to ACO are the operational forces of the two JFCs' and 'The two standing JFCs have air, land and
    naval Component Commands' — ACO's current structure dates from 'after the Prague Summit of 2002', so neither
    the JFCs nor their components are there before 2002."""
    for organ in ("nato.jfc-brussel", "nato.jfc-naples", "nato.jfhq-lisbon", "nato.land-component-command"):
        assert store.organ(organ).established is None and store.organ(organ).not_before == 2002, organ
        assert organ not in snap(store, "nato", 1995).graph, organ
        assert organ in snap(store, "nato", 2009).graph, organ


def test_saceur_is_acos_commander_post(store: Store) -> None:
    """'Allied Command Operations (ACO), led by the Supreme Allied Commander Europe (SACEUR)': the post is a part of
    ACO, no surer than it: possible in 1985 (the paper's present tense attests 2009 only), certain in 2009."""
    assert store.organ("nato.saceur").part_of == "nato.aco"
    assert snap(store, "nato", 1985).judgement("nato.saceur").existence.value == "possible"
    assert snap(store, "nato", 2009).judgement("nato.saceur").certain


def test_isaf_after_the_first_four_decades(store: Store) -> None:
    """'In the first four decades of its existence, the allies' military structure was aimed at securing Western
    Europe from Soviet invasion. With the end of the Cold War ...' 'The alliance eventually acted in these areas
    (e.g., the International Security Assistant Force (ISAF) deployment in Afghanistan)' — not before 1989."""
    isaf = store.organ("nato.isaf")
    assert isaf.established is None and isaf.not_before == 1989
    assert "nato.isaf" not in snap(store, "nato", 1950).graph
    assert "nato.isaf" not in snap(store, "nato", 1985).graph


def test_nac_lisbon_conference_attests_1952(store: Store) -> None:
    """'The North Atlantic Council (NAC)'s 1952 Lisbon conference ... was the political and bureaucratic turning
    point' — the NAC is placed in 1952, and by the present tense in 2009; the Treaty (1949) only bounds it."""
    nac = store.organ("nato.nac")
    assert {a.year for a in nac.life.attested} == {1952, 2009}
    assert nac.established is None and nac.not_before == 1949
