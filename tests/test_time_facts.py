"""The paper's facts in time, asked over the REST API on both stores: what is certain, possible and absent in
chosen years for each alliance, status by year (dormancy), parts, plans, and stated versus unreported breaks.

Each table row is a reading of the paper's words recorded in seeds/README.md; "absent" means the organ is not in
the year's snapshot at all. CONTRACT.md §1 "Time and certainty" gives the rules these readings produce.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

YEARS = (1950, 1970, 1985, 1995, 2009, 2015)
C, P, A = "certain", "possible", "absent"


def _get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, (url, params, r.text)
    return r.json()


def _organs(client: TestClient, alliance: str, year: int, **params: Any) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in _get(client, f"/alliances/{alliance}/organs", as_of=year, **params)}


def _existence_table(client: TestClient, alliance: str, organs: list[str]) -> dict[str, tuple[str, ...]]:
    """For each organ, its existence in each of YEARS: certain, possible or absent."""
    shown = {year: _organs(client, alliance, year) for year in YEARS}
    return {o: tuple(shown[y][o]["existence"] if o in shown[y] else A for y in YEARS) for o in organs}


def _organ(client: TestClient, organ_id: str, year: int | None = None, **params: Any) -> dict[str, Any]:
    if year is None:
        return _get(client, f"/organs/{organ_id}", **params)
    return _get(client, f"/organs/{organ_id}", as_of=year, **params)


def _edge(organ: dict[str, Any], target: str, **match: str) -> dict[str, Any]:
    """The one outgoing edge of ``organ`` to ``target`` matching ``match`` (kind, mode, condition)."""
    found = [e for e in organ["edges_out"] if e["target"] == target and all(e.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (organ["id"], target, match, [e["id"] for e in organ["edges_out"]])
    return found[0]


# ------------------------------------------------------------------------------------------------ NATO


def test_nato_certain_possible_absent_by_year(client: TestClient) -> None:
    """NATO: 'the NAC is the highest decision making body within NATO and the only structure specifically
    directed by the Treaty' (1949 bounds it) and 'The North Atlantic Council (NAC)'s 1952 Lisbon conference'
    (attests 1952); 'Created in 1955, the NATO-Parliamentary Assembly'; 'The Atlantic Treaty Association ...
    created in 1954'; 'The current structure of ACO is the result of combining several geographical commands after
    the Prague Summit of 2002'; 'Subordinate to ACO are the operational forces of the two JFCs'; 'ACO, led by the
    Supreme Allied Commander Europe (SACEUR)'; 'In the first four decades of its existence ...' before ISAF; the
    MC and the partner councils only in the present tense; SHAPE only in 'Eisenhower's time', never placed."""
    expected = {
        "nato.nac": (P, C, C, C, C, P),
        "nato.mc": (P, P, P, P, C, P),
        "nato.dpc": (P, P, P, P, C, P),
        "nato.pa": (A, C, C, C, C, P),
        "nato.ata": (A, C, C, C, C, P),
        "nato.aco": (P, P, P, P, C, P),
        "nato.saceur": (P, P, P, P, C, P),
        "nato.jfc-naples": (A, A, A, A, C, P),
        "nato.land-component-command": (A, A, A, A, C, P),
        "nato.isaf": (A, A, A, P, C, P),
        "nato.eapc": (P, P, P, P, C, P),
        "nato.nato-russia-pjc": (P, P, P, P, C, P),
        "nato.shape": (P, P, P, P, P, P),
        "nato.national-associations": (A, P, P, P, C, P),
    }
    assert _existence_table(client, "nato", list(expected)) == expected


def test_nato_existence_certain_keeps_only_what_the_paper_places(client: TestClient) -> None:
    """With existence=certain, NATO in 1985 is what the paper dates or attests then: the NAC (attested from 1952),
    the Parliamentary Assembly (1955) and the ATA (1954) — not the MC, which only the present tense places."""
    certain = _organs(client, "nato", 1985, existence="certain")
    assert {"nato.nac", "nato.pa", "nato.ata"} <= set(certain)
    assert "nato.mc" not in certain and "nato.dpc" not in certain
    assert all(o["existence"] == C for o in certain.values())
    assert "nato.mc" in _organs(client, "nato", 1985)


def test_nato_linkage_possible_before_2009(client: TestClient) -> None:
    """The paper describes NATO's operational commanders ('ACO, led by the Supreme Allied Commander Europe
    (SACEUR)') in its present tense, and dates only ACO's current structure ('after the Prague Summit of 2002'):
    in 1985 and 2002 the chain is possible, not certain; asked for certainty only, the break is 'only-possible';
    in 2009 it is certain ('the very active and close linkage of the NAC to the MC and to the Strategic
    Commanders')."""
    early = _get(client, "/linkage", alliance="nato", as_of=1985)
    assert early["linked"] is True and early["certain"] is False
    assert {"nato.saceur"} <= set(early["witnesses"][0]["rests_on"]["organs"])
    mid = _get(client, "/linkage", alliance="nato", as_of=2002)
    assert mid["linked"] is True and mid["certain"] is False
    only_certain = _get(client, "/linkage", alliance="nato", as_of=2002, existence="certain")
    assert only_certain["linked"] is False and only_certain["break"]["cause"] == "only-possible"
    now = _get(client, "/linkage", alliance="nato", as_of=2009)
    assert now["linked"] is True and now["certain"] is True


def test_nato_timeless_existence(client: TestClient) -> None:
    """Without a year, a thing is certain when some year of its life is: the MC ('The MC meets weekly') is, and so
    is SHAPE, which existed in 'Eisenhower's time at the Supreme Allied Headquarters (SHAPE) until the early 1960s'
    — yet no single year of SHAPE's is placed, so in any year it is only possible."""
    assert _organ(client, "nato.mc")["existence"] == C
    assert _organ(client, "nato.shape")["existence"] == C
    assert _organ(client, "nato.shape", 1955)["existence"] == P


def test_nato_excluding_aco_removes_saceur(client: TestClient) -> None:
    """'Allied Command Operations (ACO), led by the Supreme Allied Commander Europe (SACEUR)': SACEUR is a part of
    ACO, so excluding ACO removes it too."""
    assert _organ(client, "nato.saceur")["part_of"] == "nato.aco"
    result = _get(client, "/linkage", alliance="nato", as_of=2009, exclude="nato.aco")
    removed = {o["id"] if isinstance(o, dict) else o for o in result["removed"]}
    assert {"nato.aco", "nato.saceur"} <= removed


# ---------------------------------------------------------------------------------------------- U.S.-ROK


def test_us_rok_certain_possible_absent_by_year(client: TestClient) -> None:
    """U.S.-ROK: 'the United Nations Command (UNC), established in 1950' (a dated start before the 1954 treaty) and
    'potentially UNC' forces in 1992; 'In 1969 ... the Security Consultative Meeting (SCM)'; 'complemented later by
    the establishment of the Military Committee Meeting (MCM)' (no year; present tense in 2009); 'In 1978 ... the
    current Combined Forces Command (CFC) was established'; 'in 1992 the ROK Deputy Commander of CFC was
    designated'; 'combined component commanders' with no year; 'by agreement, CFC will be deactivated in 2012' (a
    plan: CFC stays possible after 2009 unless plans are asked for)."""
    expected = {
        "us-rok.unc": (C, C, C, P, P, P),
        "us-rok.commander-unc": (C, C, P, P, P, P),
        "us-rok.scm": (A, C, C, C, C, P),
        "us-rok.mcm": (A, P, P, P, C, P),
        "us-rok.cfc": (A, A, C, C, C, P),
        "us-rok.commander-cfc": (A, A, C, C, C, P),
        "us-rok.deputy-commander-cfc": (A, A, P, C, C, P),
        "us-rok.ground-component-command": (A, A, P, P, C, P),
    }
    assert _existence_table(client, "us-rok", list(expected)) == expected


def test_us_rok_guidance_chain_as_sure_as_the_paper(client: TestClient) -> None:
    """The SCM was founded in 1969 'to issue unified guidance to the military forces defending the country' (L240),
    naming no recipient; the only one the paper names is in its present tense: 'issue that guidance to the
    Commander CFC' (L255, 2009). So SCM -> Commander UNC is a reading, possible at most, and SCM -> Commander CFC is
    possible from 1978 (the post) and certain only in 2009 (issue 24, item 1)."""
    for year, commander in ((1970, "us-rok.commander-unc"), (1985, "us-rok.commander-cfc")):
        result = _get(client, "/linkage", alliance="us-rok", as_of=year)
        assert result["linked"] is True and result["certain"] is False, year
        assert commander in {o["id"] for w in result["witnesses"] for o in w["organs"]}, year
        certain = _get(client, "/linkage", alliance="us-rok", as_of=year, existence="certain")
        assert certain["linked"] is False and certain["break"]["cause"] == "only-possible", year
    today = _get(client, "/linkage", alliance="us-rok", as_of=2009)
    assert today["certain"] is True and today["witnesses"][0]["organs"][-1]["id"] == "us-rok.commander-cfc"
    for year in range(1969, 1978):
        unc = _edge(_organ(client, "us-rok.scm", year), "us-rok.commander-unc", kind="authority")
        assert unc["existence"] == P, year
    assert _edge(_organ(client, "us-rok.scm", 1978), "us-rok.commander-unc", kind="authority")["existence"] is None
    assert _edge(_organ(client, "us-rok.scm", 1985), "us-rok.commander-cfc", kind="authority")["existence"] == P
    assert _edge(_organ(client, "us-rok.scm", 2009), "us-rok.commander-cfc", kind="authority")["existence"] == C


def test_us_rok_opcon_of_forward_forces_ends_in_1994(client: TestClient) -> None:
    """'the Commander CFC was given Operational Control (OPCON) of only those forward deployed ROK forces that were
    needed to ensure maintenance of the Armistice Agreement' ... 'In 1994, "peacetime OPCON" was withdrawn from
    Commander CFC, and the ROK has since maintained full operational control of its own forces'."""
    before = _organ(client, "us-rok.commander-cfc", 1985)
    assert _edge(before, "rok.forward-deployed-forces", mode="opcon", condition="armistice")["existence"] == C
    after = _organ(client, "us-rok.commander-cfc", 1995)
    assert _edge(after, "rok.forward-deployed-forces", mode="opcon", condition="armistice")["existence"] is None
    nca = _organ(client, "rok.nca", 2000)
    assert _edge(nca, "rok.forces", mode="opcon", condition="armistice")["existence"] == C


def test_us_rok_parts_go_with_cfc(client: TestClient) -> None:
    """'While the Commander remains American, his deputy is a Korean General of equal rank. Throughout the command,
    this pattern is repeated ... a staff section': the commander, deputy and staff are parts of CFC, removed with
    it; removing the commander post alone removes only it."""
    whole = _get(client, "/linkage", alliance="us-rok", as_of=2009, exclude="us-rok.cfc")
    removed = {o["id"] if isinstance(o, dict) else o for o in whole["removed"]}
    assert removed == {"us-rok.cfc", "us-rok.commander-cfc", "us-rok.deputy-commander-cfc", "us-rok.cfc-staff"}
    assert whole["linked"] is False and whole["break"]["cause"] == "excluded"
    part = _get(client, "/linkage", alliance="us-rok", as_of=2009, exclude="us-rok.commander-cfc")
    assert {o["id"] if isinstance(o, dict) else o for o in part["removed"]} == {"us-rok.commander-cfc"}


def test_us_rok_2012_plan_is_possible_at_most_and_not_a_stated_break(client: TestClient) -> None:
    """'CFC will be deactivated in 2012 and replaced by an operational structure that puts a ROK commander in place
    as the warfighter—the supported commander—and establishes the U.S. commander in Korea as a supporting
    commander.' A plan: shown only when asked for, with status planned, never certain; the paper reports no
    authority to the new warfighter and does not say the chain ends, so the break is 'not reported'."""
    plain = _organs(client, "us-rok", 2015)
    assert "us-rok.rok-warfighter" not in plain and plain["us-rok.cfc"]["existence"] == P
    planned = _organs(client, "us-rok", 2015, include_planned="true")
    assert "us-rok.cfc" not in planned
    warfighter = planned["us-rok.rok-warfighter"]
    assert (warfighter["existence"], warfighter["status"]) == (P, "planned")
    result = _get(client, "/linkage", alliance="us-rok", as_of=2015, include_planned="true")
    assert result["linked"] is False
    assert result["break"]["stated"] is False and result["break"]["cause"] == "not-reported"


def test_us_rok_before_the_treaty_only_the_dated_unc(client: TestClient) -> None:
    """'Republic of Korea (1954)', but 'the United Nations Command (UNC), established in 1950': a dated start wins
    over the treaty floor, and the undated organs are not there in 1950."""
    shown = _organs(client, "us-rok", 1950)
    assert shown["us-rok.unc"]["existence"] == C
    assert not {"us-rok.scm", "us-rok.mcm", "us-rok.cfc"} & set(shown)


# -------------------------------------------------------------------------------------------- U.S.-Japan


def test_us_japan_certain_possible_absent_by_year(client: TestClient) -> None:
    """U.S.-Japan: the SCC 'per an Agreed Minute to the 1960 Treaty'; the SSC, a subcommittee of the SCC that had
    'become bloated' before 'the mid-1990s'; 'The SDC dates from 1976'; the 'mini-SSC' instituted 'In the mid-1990s'
    and 'then-active' in 1996-1997 (not placed since); 'The Defense Policy Review Initiative (DPRI), a bilateral
    dialogue begun in 2003'; the Guidelines' measures of 1997."""
    expected = {
        "us-japan.scc": (A, C, C, C, C, P),
        "us-japan.ssc": (A, P, P, P, C, P),
        "us-japan.sdc": (A, A, C, C, C, P),
        "us-japan.mini-ssc": (A, A, A, P, P, P),
        "us-japan.bcm": (A, A, A, A, C, P),
        "us-japan.dpri": (A, A, A, A, C, P),
    }
    assert _existence_table(client, "us-japan", list(expected)) == expected


def test_japan_defense_agency_gives_way_to_the_ministry(client: TestClient) -> None:
    """'in 1954 evolved into the Japanese Self-Defense Force (JSDF) and Japan Defense Agency' and 'For most of the
    alliance's history, the Japanese Ministry of Defense did not exist, its predecessor being the Japan Defense
    Agency': the Agency is certain from 1954 until 'most' of the alliance's history has passed (1980), the Ministry
    possible from 1981 and certain in 2009 (present tense); in 2009 the Agency is gone."""
    agency = {year: _organ(client, "japan.defense-agency", year)["existence"] for year in (1970, 1985, 2009)}
    ministry = {year: _organ(client, "japan.ministry-of-defense", year)["existence"] for year in (1970, 1985, 2009)}
    assert agency == {1970: C, 1985: P, 2009: None}
    assert ministry == {1970: None, 1985: P, 2009: C}


def test_us_japan_scc_makeup_by_year(client: TestClient) -> None:
    """'the U.S. representatives were the U.S. Ambassador and Commander-in-Chief, U.S. Pacific Command (CINCPAC)'
    in 1960; 'It was not until 1990 that this body was elevated to the cabinet level on the U.S. side'; today
    'composed of the U.S. Secretaries of State and Defense'. The makeup 'evolved', so the original members are
    possible, not certain, between 1960 and 1990, and gone by 1990."""
    ambassador = {
        y: _edge(_organ(client, "us.ambassador-to-japan", y), "us-japan.scc")["existence"] for y in (1960, 1985, 1995)
    }
    assert ambassador == {1960: C, 1985: P, 1995: None}
    state = {
        y: _edge(_organ(client, "us.secretary-of-state", y), "us-japan.scc")["existence"] for y in (1985, 1995, 2009)
    }
    assert state == {1985: None, 1995: C, 2009: C}


def test_us_japan_dormancy_by_year(client: TestClient) -> None:
    """'The SDC dates from 1976 and has, when active, been somewhat focused on issues related to planning' ... 'the
    SDC produced the 1979 and 1997 Defense Guidelines' ... 'like the SSC, this group has lain dormant'; 'there has
    not been a formal meeting of the SSC in at least eight years' (dormant by 2001); 'the then-active mini-SSC' of
    the 1996-1997 revision. Dormancy does not lower existence: the SDC is certain in every year from 1976."""
    sdc = {year: _organs(client, "us-japan", year)["us-japan.sdc"] for year in (1979, 1985, 1997, 2009)}
    assert {y: o["status"] for y, o in sdc.items()} == {
        1979: "active",
        1985: "unknown",
        1997: "active",
        2009: "dormant",
    }
    assert {o["existence"] for o in sdc.values()} == {C}
    ssc = {year: _organs(client, "us-japan", year)["us-japan.ssc"]["status"] for year in (1985, 2001, 2005, 2009)}
    assert ssc == {1985: "unknown", 2001: "dormant", 2005: "dormant", 2009: "dormant"}
    mini = {year: _organs(client, "us-japan", year)["us-japan.mini-ssc"] for year in (1996, 1997, 2009)}
    assert (mini[1996]["existence"], mini[1996]["status"]) == (C, "active")
    assert (mini[1997]["existence"], mini[1997]["status"]) == (C, "active")
    assert (mini[2009]["existence"], mini[2009]["status"]) == (P, "unknown")


def test_us_japan_no_authority_gap_stated_in_2009_only(client: TestClient) -> None:
    """'the U.S.-Japan alliance has no "combined" structures; i.e., there is no mechanism by which to exercise any
    overarching military authority' — stated in the present tense: in 2009 the missing authority chain is a gap the
    paper states, with its words; in 1985 the paper says nothing either way ('not reported')."""
    now = _get(client, "/linkage", alliance="us-japan", as_of=2009)
    assert now["linked"] is False
    assert now["break"]["stated"] is True and now["break"]["cause"] == "stated"
    assert any(
        "no mechanism by which to exercise any overarching military authority" in q["quote"]
        for q in now["break"]["quotes"]
    )
    then = _get(client, "/linkage", alliance="us-japan", as_of=1985)
    assert then["linked"] is False
    assert then["break"]["stated"] is False and then["break"]["cause"] == "not-reported"


def test_us_japan_bcm_holds_in_contingencies(client: TestClient) -> None:
    """'It is through this mechanism that the two governments will ostensibly coordinate their "respective
    activities in case of an armed attack against Japan and in situations in areas surrounding Japan."' — a
    contingency arrangement, condition wartime; 'the two military forces are charged to "prepare a bilateral
    coordination center"' (present tense) makes the forces' part certain in 2009."""
    for force in ("us.forces-japan", "japan.jsdf"):
        edge = _edge(_organ(client, force, 2009), "us-japan.bcm", kind="coordination")
        assert (edge["condition"], edge["existence"]) == ("wartime", C), force


# -------------------------------------------------------------------------------------------- the others


def test_alliances_without_a_standing_structure_have_no_organs_in_any_year(client: TestClient) -> None:
    """'For all practical purposes, there is no standing military structure for the U.S. alliances with Thailand or
    the Philippines, or with ANZUS for that matter'; the U.S.-UK treaty 'is focused wholly on cooperation in the area
    of atomic weapons'."""
    for alliance in ("us-philippines", "anzus", "us-thailand", "us-uk"):
        for year in YEARS:
            assert _get(client, f"/alliances/{alliance}/organs", as_of=year) == [], (alliance, year)


def test_every_reason_quotes_the_paper_with_its_line(client: TestClient) -> None:
    """CONTRACT.md §1: each existence and status carries the rule that decided it and its quote, each quote
    its line in the paper; each start and end its EDTF. The MCM 'was complemented later by the establishment
    of the Military Committee Meeting (MCM)' (line 240): not before the SCM's 1969, so [1969..]."""
    mcm = next(o for o in _get(client, "/alliances/us-rok/organs", as_of=1985) if o["id"] == "us-rok.mcm")
    assert mcm["existence"] == "possible" and mcm["existence_why"]["rule"] == "bounded"
    assert "complemented later" in mcm["existence_why"]["quote"] and mcm["existence_why"]["line"] == 240
    assert mcm["life"]["start"]["edtf"] == "[1969..]" and mcm["start_edtf"] == "[1969..]"
    assert all(s["line"] for s in mcm["sources"])
    japan = _get(client, "/linkage", alliance="us-japan", as_of=2009)
    assert japan["break"]["stated"] is True
    assert {q["line"] for q in japan["break"]["quotes"]} >= {196}
