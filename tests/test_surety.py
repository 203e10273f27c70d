"""Every answer as sure as the paper, and no surer (issue 24, the second outside audit): each finding pinned
by the paper's own words, over the REST API and the command line, on both stores.

The settlements are recorded finding by finding in seeds/README.md ("The second audit (issue 24)").
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.store.base import Store

C, P = "certain", "possible"
NOT_REPORTED = "not reported; the paper does not say there is none"


def _get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, (url, params, r.text)
    return r.json()


def _edges_out(client: TestClient, organ_id: str, year: int, **params: Any) -> dict[str, dict[str, Any]]:
    return {e["target"]: e for e in _get(client, f"/organs/{organ_id}", as_of=year, **params)["edges_out"]}


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


# ------------------------------------------------------------------------------------ 1. a reading labelled certain


def test_scm_guiding_the_commander_unc_is_a_reading_possible_at_most(client: TestClient) -> None:
    """L240 'to issue unified guidance to the military forces defending the country' names no recipient; the only
    one the paper names is in the present tense, L255 'issue that guidance to the Commander CFC'. So in 1975
    SCM -> Commander UNC is possible, never certain, and the linkage says so."""
    edge = _edges_out(client, "us-rok.scm", 1975)["us-rok.commander-unc"]
    assert edge["existence"] == P and edge["existence_why"]["rule"] == "bounded"
    assert not any("must be maintained" in s["quote"] for s in edge["sources"])  # L282 is a 2009 recommendation
    result = _get(client, "/linkage", alliance="us-rok", as_of=1975)
    assert result["linked"] is True and result["certain"] is False
    assert "us-rok.scm:authority:guidance:us-rok.commander-unc" in result["witnesses"][0]["rests_on"]["edges"]


def test_scm_guidance_to_commander_cfc_starts_with_no_borrowed_quote(client: TestClient) -> None:
    """SCM -> Commander CFC rests on L255 'issue that guidance to the Commander CFC' (present tense: 2009); its start is
    bounded by the post (1978), not dated by CFC's founding sentence: possible in 1985, certain in 2009."""
    early = _edges_out(client, "us-rok.scm", 1985)["us-rok.commander-cfc"]
    assert early["existence"] == P
    start = early["life"]["start"]
    assert start["year"] is None and start["not_before"]["year"] == 1978
    assert "issue that guidance to the Commander CFC" in start["not_before"]["quote"]
    assert _edges_out(client, "us-rok.scm", 2009)["us-rok.commander-cfc"]["existence"] == C


def test_unc_opcom_in_the_early_days_of_the_unc_not_pushed_past_the_treaty(client: TestClient) -> None:
    """L238 'In the early days of the UNC, ... ROK forces put under the Operational Command (OPCOM) of the Commander
    UNC', and the UNC was 'established in 1950': the OPCOM's start is bounded by 1950, so the 1954 treaty floor
    does not push it later; it is possible in 1950 and 1951 (no year is given), certain in 1977 (attested)."""
    for year in (1950, 1951, 1953, 1975):
        edge = _edges_out(client, "us-rok.commander-unc", year)["rok.forces"]
        assert edge["existence"] == P, year
    assert _edges_out(client, "us-rok.commander-unc", 1977)["rok.forces"]["existence"] == C
    assert _edges_out(client, "us-rok.commander-unc", 1949)["rok.forces"]["existence"] is None
    found = _get(client, "/paths", source="us-rok.commander-unc", target="rok.forces", as_of=1951)
    assert found["connected"] is True and found["paths"][0]["certain"] is False


def test_the_treaty_floor_still_bounds_open_starts(client: TestClient) -> None:
    """An open start still waits for the treaty: the MC, which only the present tense places ('The MC meets
    weekly'), is absent in 1948 and possible in 1949 (the North Atlantic Treaty 'of April 4, 1949')."""
    assert "nato.mc" not in {o["id"] for o in _get(client, "/alliances/nato/organs", as_of=1948)}
    mc = {o["id"]: o for o in _get(client, "/alliances/nato/organs", as_of=1949)}["nato.mc"]
    assert mc["existence"] == P


# ------------------------------------------------------------------------------------ 3. existence everywhere


def test_organ_search_honours_existence(client: TestClient) -> None:
    """The EAPC, the NATO-Russia Permanent Joint Council and ACT are attested only in the present tense (L113 'The
    process is supplemented by additional consultations with partner countries such as the Euro-Atlantic
    Partnership Council and NATO-Russia Permanent Joint Council'; L90): with existence=certain they are not
    NATO's in 1950; by default they are, marked possible."""
    partners = {"nato.eapc", "nato.nato-russia-pjc", "nato.act"}
    certain = _get(client, "/organs", alliance="nato", as_of=1950, existence="certain")
    assert partners.isdisjoint(o["id"] for o in certain)
    assert all(o["existence"] == C for o in certain)
    loose = {o["id"]: o for o in _get(client, "/organs", alliance="nato", as_of=1950)}
    assert all(loose[i]["existence"] == P for i in partners)
    today = {o["id"]: o for o in _get(client, "/organs", alliance="nato", as_of=2009, existence="certain")}
    assert partners <= set(today)


def test_one_organ_with_existence_certain_lists_only_certain_edges(client: TestClient) -> None:
    """L240: the SCM of 1969 'to issue unified guidance to the military forces defending the country' names no
    recipient, so in 1975 its guidance to the Commander UNC is only possible: not listed with existence=certain."""
    loose = _edges_out(client, "us-rok.scm", 1975)
    assert loose["us-rok.commander-unc"]["existence"] == P
    certain = _edges_out(client, "us-rok.scm", 1975, existence="certain")
    assert "us-rok.commander-unc" not in certain and all(e["existence"] == C for e in certain.values())


def test_diff_honours_existence(client: TestClient) -> None:
    """L243 'In 1994, "peacetime OPCON" was withdrawn from Commander CFC, and the ROK has since maintained full
    operational control of its own forces': both dated, so a diff of what is certain in 1993 and 1995 has them;
    the SCM's guidance to the Commander CFC, possible only before 2009, is in neither year's certain structure."""
    result = _get(client, "/diff", alliance="us-rok", **{"from": 1993, "to": 1995}, existence="certain")
    assert result["existence"] == C
    removed = {e["id"] for e in result["edges_removed"]}
    added = {e["id"] for e in result["edges_added"]}
    assert "us-rok.commander-cfc:authority:opcon:rok.forward-deployed-forces:armistice" in removed
    assert "rok.nca:authority:opcon:rok.forces:armistice" in added
    assert result["linkage"]["before"]["linked"] is False and result["linkage"]["before"]["cause"] == "only-possible"


def test_cli_organs_prints_existence(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's organs table says how sure the paper is of each organ in the year: in 1951 the UNC is
    'established in 1950' (certain), and existence=certain leaves out NATO's partner councils in 1950."""
    out = _cli(capsys, "organs", "--alliance", "us-rok", "--as-of", "1951")
    row = next(line for line in out.splitlines() if line.startswith("us-rok.unc "))
    assert " certain " in row and "dated" in row
    out = _cli(capsys, "organs", "--alliance", "nato", "--as-of", "1950", "--existence", "certain")
    assert "nato.eapc" not in out and NOT_REPORTED in out


# ------------------------------------------------------------------------------------ 6. scenario organs are ids


def test_scenario_organs_are_known_to_paths_and_exclude(client: TestClient) -> None:
    """A scenario applies after plans and before exclude: the nuclear consultation system the paper proposes (L278 'a
    system by which the United States would share information on nuclear planning and consult with the ROK') is
    an organ of that scenario's snapshot; so is the civil society support of L294."""
    found = _get(
        client,
        "/paths",
        source="us-rok.scm",
        target="us-rok.nuclear-consultation",
        scenario="rok-nuclear-consultation",
        kinds="coordination",
        as_of=2010,
    )
    assert found["connected"] is True
    body = {
        "scenario": client.get("/scenarios/rok-nuclear-consultation").json(),
        "question": "paths",
        "source": "us-rok.scm",
        "target": "us-rok.nuclear-consultation",
        "kinds": "coordination",
        "as_of": 2010,
    }
    posted = client.post("/scenarios/evaluate", json=body)
    assert posted.status_code == 200 and posted.json()["connected"] is True
    excluded = _get(
        client,
        "/linkage",
        alliance="us-rok",
        as_of=2010,
        scenario="rok-civil-society",
        exclude="us-rok.civil-society-supports",
        kinds="authority,support",
    )
    assert excluded["removed"] == ["us-rok.civil-society-supports"]
    r = client.get("/paths", params={"source": "us-rok.scm", "target": "us-rok.nuclear-consultation"})
    assert r.status_code == 404 and "us-rok.nuclear-consultation" in r.json()["error"]


# ------------------------------------------------------------------------------------ 7. the qualifier everywhere


def test_linkage_table_keeps_the_qualifier(capsys: pytest.CaptureFixture[str]) -> None:
    """The SCM was established 'In 1969': in 1955 the paper reports no civilian body of the U.S.-ROK alliance, which
    is not the same as none; the table says so as the JSON does."""
    out = _cli(capsys, "linkage", "--alliance", "us-rok", "--as-of", "1955")
    assert "the paper reports no civilian decision-making body of the alliance in 1955" in out
    assert NOT_REPORTED in out
    out = _cli(capsys, "linkage", "--alliance", "us-rok", "--as-of", "1955", "--format", "csv")
    assert "not reported is not the same as none" in out


def test_before_the_treaty_what_the_paper_dates_earlier_exists(capsys: pytest.CaptureFixture[str]) -> None:
    """L238: the UNC, 'established in 1950', precedes the 1954 treaty: in 1951 the linkage answer does not say that
    nothing of the alliance exists, it names the UNC's commanders and reports no civilian body."""
    out = _cli(capsys, "linkage", "--alliance", "us-rok", "--as-of", "1951")
    assert "treaty is of 1954" in out and "the paper reports no civilian decision-making body" in out
    assert "UNC" in out and "there is no linkage to find" not in out


# ------------------------------------------------------------------------------------ 2, 12. the recommendations


def test_the_papers_scenario_carries_the_whole_recommendation(client: TestClient) -> None:
    """L282: 'the strong linkages of the SCM to the MCM and to the respective operational commanders must be
    maintained. The two governments must continue the tradition of combined strategic guidance to our
    commanders.' The paper's scenario draws the SCM's guidance to both planned commanders, and the MCM's."""
    scenario = _get(client, "/scenarios/rok-post-2012-linkage")
    added = {(e["source"], e["target"]) for e in scenario["add_edges"]}
    commanders = ("us-rok.rok-warfighter", "us-rok.us-supporting-commander")
    assert {(body, c) for body in ("us-rok.scm", "us-rok.mcm") for c in commanders} <= added
    quoted = " ".join(s["quote"] for s in scenario["sources"])
    assert "must continue the tradition of combined strategic guidance to our commanders" in quoted


def test_the_analysts_scenario_claims_what_the_paper_does_not(client: TestClient) -> None:
    """The paper reports 'a bi-national command system with close integration of capabilities' (L290) and urges
    guidance (L282); the analyst's alternative removes that system and has the SCM direct the commanders, and
    says so: no claim of it is the paper's, and what it proposes is never certain."""
    scenario = _get(client, "/scenarios/analyst-scm-directs-commanders")
    assert scenario["proposed_by"] == "analyst"
    assert scenario["remove_organs"] == ["us-rok.binational-command-system"]
    assert all(e["mode"] == "direction" and e["note"] and not e["sources"] for e in scenario["add_edges"])
    paper = _get(client, "/scenarios/rok-post-2012-linkage")
    assert {(e["source"], e["target"], e["mode"]) for e in scenario["add_edges"]}.isdisjoint(
        (e["source"], e["target"], e["mode"]) for e in paper["add_edges"]
    )
    built = _get(
        client,
        "/linkage",
        alliance="us-rok",
        as_of=2013,
        include_planned="true",
        scenario="analyst-scm-directs-commanders",
        kinds="authority,coordination",
    )
    assert built["scenario"]["removed_organs"] == ["us-rok.binational-command-system"]
    assert built["linked"] is True and built["certain"] is False


def test_military_relations_after_cfc_are_a_scenario_of_the_paper(client: TestClient) -> None:
    """L282: 'they must analyze together, plan together, train together and exercise together if they are to be
    able to fight together': coordination between the planned ROK warfighter and U.S. supporting commander."""
    scenario = _get(client, "/scenarios/rok-post-2012-military-relations")
    assert scenario["proposed_by"] == "paper"
    [edge] = scenario["add_edges"]
    assert {edge["source"], edge["target"]} == {"us-rok.rok-warfighter", "us-rok.us-supporting-commander"}
    assert edge["kind"] == "coordination"
    found = _get(
        client,
        "/paths",
        source="us-rok.us-supporting-commander",
        target="us-rok.rok-warfighter",
        kinds="coordination",
        as_of=2013,
        include_planned="true",
        scenario="rok-post-2012-military-relations",
    )
    assert found["shortest_hops"] == 1 and found["paths"][0]["certain"] is False


# ------------------------------------------------------------------------------------ 4, 9, 10. compare's cells


def _rows(client: TestClient, **params: Any) -> dict[str, dict[str, Any]]:
    return {r["alliance"]: r for r in _get(client, "/compare", **params)["rows"]}


def test_compare_reports_silence_as_not_reported_never_no(client: TestClient) -> None:
    """L117: 'In the first four decades of its existence, the allies' military structure was aimed at securing
    Western Europe from Soviet invasion' — the paper never says NATO lacked a military committee, a combined
    command or a linkage in 1985; it describes them only in its present tense. So in 1985 (existence=certain)
    these cells are possible, not 'no'; and the U.S.-Japan cells, of which the paper says nothing for 1985, are
    'not reported'."""
    rows = _rows(client, as_of=1985, existence="certain")
    nato = rows["nato"]
    for measure in ("has_military_committee", "has_combined_command", "linkage_by_authority"):
        assert nato[measure] is False  # nothing certain is found
        assert nato["cells"][measure]["value"] == P and nato["cells"][measure]["text"].startswith("yes (possible")
    japan = rows["us-japan"]["cells"]
    assert japan["has_combined_command"]["value"] == "not-reported"
    assert all(
        c["value"] != "no" for r in rows.values() for m, c in r["cells"].items() if m != "coordination_only_linkage"
    )


def test_compare_marks_what_is_only_possible(client: TestClient) -> None:
    """With the default existence a possible 'yes' is marked possible: in 1985 NATO's MC ('The MC meets weekly', the
    present tense only) is 'MC (possible)', and the linkage 'yes (possible)'; in 2009 the same is certain."""
    then = _rows(client, as_of=1985)["nato"]
    assert then["military_committee"] == ["MC (possible)"] and then["has_military_committee"] is True
    assert then["cells"]["linkage_by_authority"]["text"].startswith("yes (possible), 1 hop")
    now = _rows(client, as_of=2009)["nato"]
    assert now["military_committee"] == ["MC"]
    assert now["cells"]["linkage_by_authority"]["text"] == "yes (certain), 1 hop: NAC -> SACEUR"


def test_compare_states_the_gap_the_paper_states(client: TestClient) -> None:
    """L196: 'the U.S.-Japan alliance has no “combined” structures; i.e., there is no mechanism by which to exercise
    any overarching military authority' (present tense: 2009): the combined command and the authority linkage are
    'no', stated by the paper, with its line."""
    japan = _rows(client, as_of=2009)["us-japan"]["cells"]
    for measure in ("has_combined_command", "linkage_by_authority"):
        assert japan[measure]["value"] == "stated-absent", measure
        assert japan[measure]["quotes"][0]["line"] == 196
        assert japan[measure]["text"] == "no (stated by the paper, line 196)"


def test_japan_coordination_only_linkage_is_possible_with_the_papers_caveat(client: TestClient) -> None:
    """L212: the coordination structure 'essentially stops at the mid bureaucratic level, a secretariat of sorts, not
    extending in any meaningful, formal way into the operational militaries'; L210 'the 1997 effort did not lead to
    combined or even mutual actions'. The 1997 measures 'under the supervision of the SCC' (L198) are kept, but the
    paper places that supervision only in 1997: in 2009 a coordination-only linkage is possible, not 'yes', and
    the cell carries the paper's own words on it."""
    cell = _rows(client, as_of=2009)["us-japan"]["cells"]["coordination_only_linkage"]
    assert cell["value"] == P and cell["text"].startswith("yes (possible)")
    quotes = " ".join(q["quote"] for q in cell["quotes"])
    assert "not extending in any meaningful, formal way into the operational militaries" in quotes


def test_mini_ssc_is_only_possible_after_the_revision(client: TestClient, store: Store) -> None:
    """L186: 'the then-active mini-SSC' (1996-1997) says only that it is no longer active; whether it lies dormant or
    has ended the paper does not say. So it has no dormant period, its status in 2009 is unknown, and compare
    lists it among 2009's single points of failure only as possible."""
    assert store.organ("us-japan.mini-ssc").status_periods[-1].status.value == "active"
    [mini] = [o for o in _get(client, "/alliances/us-japan/organs", as_of=2009) if o["id"] == "us-japan.mini-ssc"]
    assert mini["existence"] == P and mini["status"] == "unknown"
    japan = _rows(client, as_of=2009)["us-japan"]
    assert "mini-SSC (possible)" in japan["single_points_of_failure"]
    assert "mini-SSC" not in japan["dormant_organs"]
    events = _get(client, "/timeline", alliance="us-japan")["events"]
    assert not [e for e in events if e["organ"] == "us-japan.mini-ssc" and e["event"] == "dormant"]


def test_cli_compare_shows_the_mark(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI's compare table shows each verdict's mark: in 1985 NATO's linkage is 'yes (possible)' (the paper
    places the Strategic Commanders only in its present tense), never a bare 'no'."""
    out = _cli(capsys, "compare", "--as-of", "1985", "--existence", "certain")
    row = next(line for line in out.splitlines() if line.startswith("has_military_committee"))
    assert row.split()[1:4] == ["yes", "(possible)", "yes"]
    assert "not reported" in row


# ------------------------------------------------------------------------------------ 13. indicator years


def test_present_tense_figures_are_2009_as_present_tense_organs_are(client: TestClient) -> None:
    """L66 'Its original membership of 12 has since grown to 26' and L86 'The NAC itself has a standing dedicated
    staff—the International Staff—made up of some 5,500': the present tense attests 2009 for figures as it does
    for organs (the MC, 'The MC meets weekly', is certain in 2009); the hedge is kept. The services totals of
    L127 ('When commercial services are figured in ... would be near') compute on the 2006 figures: no year."""
    nato = _get(client, "/alliances/nato")
    assert [(m["count"], m["year"]) for m in nato["members"]] == [(12, 1949), (26, 2009)]
    staff = next(i for i in nato["indicators"] if i["measure"] == "staff")
    assert staff["year"] == 2009 and staff["qualifier"] == "some"
    [mc] = [o for o in _get(client, "/alliances/nato/organs", as_of=2009) if o["id"] == "nato.mc"]
    assert mc["existence"] == C and mc["existence_why"]["rule"] == "attested"
    services = next(i for i in nato["indicators"] if i["measure"] == "trade-with-services")
    assert services["year"] is None and services["qualifier"] == "approaches"


# ------------------------------------------------------------------------------------ 8. a seat links


def test_a_commanders_seat_on_a_civilian_body_links_them(client: TestClient) -> None:
    """L175: the SCC's original composition, 'per an Agreed Minute to the 1960 Treaty, wherein the U.S.
    representatives were the U.S. Ambassador and Commander-in-Chief, U.S. Pacific Command (CINCPAC)': an
    operational commander sat on the civilian body. Asked with membership, the seat links them (walked from the
    body to its member); by authority alone it does not; paths keep membership's direction (member -> body)."""
    seated = _get(client, "/linkage", alliance="us-japan", as_of=1960, kinds="authority,membership")
    assert seated["linked"] is True and seated["certain"] is True
    [hop] = seated["witnesses"][0]["edges"]
    assert hop["kind"] == "membership" and hop["walked"] == "target->source" and hop["line"] == 175
    assert seated["seat_rule"]
    assert _get(client, "/linkage", alliance="us-japan", as_of=1960)["linked"] is False
    found = _get(client, "/paths", source="us-japan.scc", target="us.cincpac", kinds="membership", as_of=1960)
    assert found["connected"] is False
    # 'It was not until 1990 that this body was elevated to the cabinet level on the U.S. side': gone by 1990.
    later = _get(client, "/linkage", alliance="us-japan", as_of=1990, kinds="authority,membership")
    assert later["linked"] is False and later["break"]["stated"] is False


# ------------------------------------------------------------------------------------ 11. ties the paper states


def test_japanese_defense_officials_under_the_primacy_of_mofa_and_mof(client: TestClient) -> None:
    """L163: defense officials 'were subordinated in a process that gave primacy to the Ministry of Foreign Affairs
    on the one hand, and the Ministry of Finance on the other' while the Japan Defense Agency stood for the
    Ministry of Defense: both ministries over the Agency, mode primacy, possible in its years (none is given)."""
    agency = {e["source"]: e for e in _get(client, "/organs/japan.defense-agency", as_of=1970)["edges_in"]}
    for ministry in ("japan.ministry-of-foreign-affairs", "japan.ministry-of-finance"):
        edge = agency[ministry]
        assert edge["kind"] == "authority" and edge["mode"] == "primacy"
        assert edge["existence"] == P and "gave primacy to" in edge["sources"][0]["quote"]
    gone = {e["source"]: e for e in _get(client, "/organs/japan.defense-agency", as_of=2009)["edges_in"]}
    assert gone["japan.ministry-of-finance"]["existence"] is None


def test_japans_national_forerunners_on_the_us_japan_timeline(client: TestClient) -> None:
    """L159: 'The National Police Reserve (founded in 1950) and the subsequently established National Safety Agency
    (1952) were formed for this purpose and in 1954 evolved into the Japanese Self-Defense Force (JSDF) and Japan
    Defense Agency, respectively': the U.S.-Japan timeline tells them, with their years and line."""
    events = _get(client, "/timeline", alliance="us-japan")["events"]
    founded = {(e["organ"], e["year"]) for e in events if e["event"] == "founded"}
    assert {
        ("japan.national-police-reserve", 1950),
        ("japan.national-safety-agency", 1952),
        ("japan.defense-agency", 1954),
        ("japan.jsdf", 1954),
    } <= founded
    ended = {(e["organ"], e["year"], e["line"]) for e in events if e["event"] == "ended"}
    assert ("japan.national-police-reserve", 1954, 159) in ended
    assert not any(
        e["organ"] == "japan.national-police-reserve" for e in _get(client, "/timeline", alliance="us-rok")["events"]
    )
