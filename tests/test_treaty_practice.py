"""Treaty beside practice in GET /compare (CONTRACT.md §2 "Treaty codings beside practice"), on both stores:
each row sets a treaty coding (ATOP 5.1) beside the structure in the year, with the contract's verdict, the
sources of each side and its test in words; silence in practice is 'not reported', never 'no'."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.questions.codings import alliance_codings_data
from app.questions.compare import compare
from app.store.base import Store
from graph_schema.codings import Verdict
from graph_schema.vocabulary import ALLIANCE_IDS

PROVISIONS = ["organisations", "integrated-command", "military-contact", "subordination", "bases"]
VERDICTS = {v.value for v in Verdict}


def rows(client: TestClient, year: int, *alliances: str) -> dict[tuple[str, str], dict[str, Any]]:
    body = client.get("/compare", params={"alliances": ",".join(alliances), "as_of": year}).json()
    return {(r["alliance"], r["provision"]): r for r in body["treaty_practice"]}


@pytest.mark.parametrize("year", [1960, 1985, 2009])
def test_every_roster_alliance_has_every_row_with_verdict_and_both_sides_sources(client: TestClient, year: int) -> None:
    """Done when: 'for each roster alliance in 1960, 1985 and 2009, GET /compare ... give every
    treaty-beside-practice row with its verdict and both sides' sources'."""
    found = rows(client, year, *ALLIANCE_IDS)
    assert sorted(found) == sorted((a, p) for a in ALLIANCE_IDS for p in PROVISIONS)
    for (alliance, provision), row in found.items():
        assert row["verdict"] in VERDICTS and row["as_of"] == year
        assert row["treaty"]["source_ids"] == ["atop-5.1"]
        practice = row["practice"]
        if practice["status"] == "not reported":
            assert practice["source_ids"] == [] and "not reported" in practice["text"]
        else:
            assert practice["source_ids"], f"{alliance} {provision}: practice without its sources"
        if practice["status"] == "shown":
            assert all(i["existence_why"]["rule"] for i in practice["items"])
        assert row["test"]["treaty"] and row["test"]["practice"] and "reading" in row["test"]["reading"]
        assert row["verdict_text"]


def test_nato_treaty_codes_no_integrated_command_yet_practice_built_aco(client: TestClient) -> None:
    """Issue 26: 'NATO's treaty codes no integrated command (intcom 0), yet practice built SACEUR and ACO'; ACO
    'is the sole command with responsibility for NATO operations' (present tense, 2009)."""
    row = rows(client, 2009, "nato")[("nato", "integrated-command")]
    assert row["verdict"] == "practice only"
    assert [(v["variable"], v["value"], v["phase"]) for v in row["treaty"]["values"]] == [("intcom", 0, "3180.2")]
    assert [i["id"] for i in row["practice"]["items"]] == ["nato.aco"]
    assert row["practice"]["existence"] == "certain" and row["practice"]["source_ids"] == ["finnegan-2009"]


def test_us_rok_treaty_creates_no_organisation_yet_practice_built_the_scm_and_mcm(client: TestClient) -> None:
    """Issue 26: 'the U.S.–ROK treaty creates no organisation at all (organ1 0), yet practice built the SCM, MCM
    and CFC'."""
    for year in (1985, 2009):
        found = rows(client, year, "us-rok")
        organisations = found[("us-rok", "organisations")]
        assert organisations["verdict"] == "practice only"
        assert {"us-rok.scm", "us-rok.mcm"} <= {i["id"] for i in organisations["practice"]["items"]}
        command = found[("us-rok", "integrated-command")]
        assert command["verdict"] == "practice only"
        assert [i["id"] for i in command["practice"]["items"]] == ["us-rok.cfc"]


def test_us_rok_bases_both_treaty_base_3_and_us_forces_in_korea(client: TestClient) -> None:
    """ATOP 3240 'stationing is non-reciprocal (base 3)'; the paper's 'U.S. forces' in Korea (alias 'U.S. forces
    in Korea', attested 1978 and 1992, so certain in 1985)."""
    row = rows(client, 1985, "us-rok")[("us-rok", "bases")]
    assert row["verdict"] == "both"
    assert row["treaty"]["values"][0]["value"] == 3
    assert [i["id"] for i in row["practice"]["items"]] == ["us.forces-korea"]
    assert row["practice"]["existence"] == "certain"


def test_us_uk_is_not_coded_by_atop(client: TestClient) -> None:
    """Issue 26 item 3: '`us-uk` says "not coded by ATOP"' — silence, not absence."""
    found = rows(client, 2009, "us-uk")
    assert {r["verdict"] for r in found.values()} == {"not coded"}
    assert all(r["treaty"]["why"].startswith("not coded by ATOP") for r in found.values())


def test_us_thailand_in_1960_not_coded_with_the_seato_phase_as_context(client: TestClient) -> None:
    """The Manila Pact's first phase (SEATO, 1954-1977) 'is context shown with U.S.–Thailand, not a claim about
    it': in 1960 U.S.-Thailand's own phase (from 1977-06-30) is not in effect, so not coded, SEATO shown."""
    row = rows(client, 1960, "us-thailand")[("us-thailand", "organisations")]
    assert row["verdict"] == "not coded"
    assert "31 December 1960" in row["treaty"]["why"]
    assert [c["phase"].split(" (")[0] for c in row["treaty"]["context"]] == ["ATOP 3260.1"]
    later = rows(client, 1985, "us-thailand")[("us-thailand", "organisations")]
    assert later["verdict"] != "not coded" and later["treaty"]["values"][0]["phase"] == "3260.2"


def test_anzus_council_coded_but_not_reported_in_practice(client: TestClient) -> None:
    """ATOP 3215 codes organ1 2 (a named organisation); the paper names no ANZUS body ('these alliances offer
    little as a point of comparison'): 'treaty; practice not reported', never 'treaty only'."""
    row = rows(client, 2009, "anzus")[("anzus", "organisations")]
    assert row["verdict"] == "treaty; practice not reported"
    assert row["practice"]["status"] == "not reported"


def test_no_standing_military_structure_is_a_stated_absence_in_2009_only(client: TestClient) -> None:
    """'For all practical purposes, there is no standing military structure for the U.S. alliances with
    Thailand or the Philippines, or with ANZUS for that matter' (line 40; present tense: 2009). In 1985 the paper
    says nothing of them: not reported."""
    for alliance in ("anzus", "us-philippines", "us-thailand"):
        now = rows(client, 2009, alliance)[(alliance, "military-contact")]
        assert now["verdict"] == "neither" and now["practice"]["status"] == "stated absent"
        said = now["practice"]["statements"][0]
        assert "no standing military structure" in said["quote"] and said["line"] == 40
        before = rows(client, 1985, alliance)[(alliance, "military-contact")]
        assert before["practice"]["status"] == "not reported"


def test_us_japan_no_combined_structures_stated_absent(client: TestClient) -> None:
    """'the U.S.-Japan alliance has no “combined” structures; i.e., there is no mechanism by which to exercise
    any overarching military authority' (2009): integrated command and subordination stated absent."""
    found = rows(client, 2009, "us-japan")
    for provision in ("integrated-command", "subordination"):
        row = found[("us-japan", provision)]
        assert row["verdict"] == "neither" and row["practice"]["status"] == "stated absent"
        assert "no “combined” structures" in row["practice"]["statements"][0]["quote"]


def test_compare_csv_has_the_rows(client: TestClient) -> None:
    """Every list as CSV: each alliance's line carries each provision's verdict, both sides and their sources."""
    text = client.get("/compare", params={"alliances": "nato,us-uk", "as_of": 2009, "format": "csv"}).text
    by_alliance = {r["alliance"]: r for r in csv.DictReader(io.StringIO(text))}
    assert by_alliance["nato"]["treaty_practice.integrated-command"] == "practice only"
    assert by_alliance["nato"]["treaty_practice.integrated-command.sources"] == "atop-5.1; finnegan-2009"
    assert by_alliance["us-uk"]["treaty_practice.bases"] == "not coded"


def test_compare_treaty_true_is_the_treaty_table_alone(client: TestClient) -> None:
    """``treaty=true`` (the compare question's own parameter): the CSV twin is one row per alliance and provision,
    each with the verdict the JSON answer gives and the sources of both sides; the JSON answer stays whole."""
    asked = {"alliances": "nato,us-uk", "as_of": 1985, "treaty": "true"}
    body = client.get("/compare", params=asked).json()
    assert body["treaty_only"] is True and [r["alliance"] for r in body["rows"]] == ["nato", "us-uk"]
    found = list(csv.DictReader(io.StringIO(client.get("/compare.csv", params=asked).text)))
    assert [(r["alliance"], r["provision"]) for r in found] == [
        (a, p) for a in ("nato", "us-uk") for p in [row["provision"] for row in body["treaty_practice"][:5]]
    ]
    verdicts = {(r["alliance"], r["provision"]): r["verdict"] for r in body["treaty_practice"]}
    assert all(r["verdict"] == verdicts[(r["alliance"], r["provision"])] for r in found)
    assert {r["sources"] for r in found if r["alliance"] == "us-uk"} == {"atop-5.1"}  # not coded: ATOP's silence


@pytest.mark.parametrize("year", [1960, 1985, 2009])
def test_cli_compare_gives_the_rows(capsys: pytest.CaptureFixture[str], year: int) -> None:
    """Done when: 'the CLI give[s] every treaty-beside-practice row with its verdict and both sides' sources'."""
    alliances = ",".join(ALLIANCE_IDS)
    assert main(["compare", "--alliances", alliances, "--as-of", str(year), "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert len(body["treaty_practice"]) == len(ALLIANCE_IDS) * len(PROVISIONS)
    verdicts = {(r["alliance"], r["provision"]): r["verdict"] for r in body["treaty_practice"]}
    assert main(["compare", "--alliances", alliances, "--as-of", str(year)]) == 0
    table = capsys.readouterr().out.split("Treaty beside practice")[1]
    lines = [line.split() for line in table.splitlines()[3:]]
    for alliance in ALLIANCE_IDS:
        for provision in PROVISIONS:
            line = next(w for w in lines if w[:2] == [alliance, provision])
            assert " ".join(line[2:]).startswith(verdicts[(alliance, provision)])
            assert "atop-5.1" in line  # the sources column names both sides' sources


def test_cli_codings_members_disputed_in_2009(capsys: pytest.CaptureFixture[str]) -> None:
    """`alliances codings` mirrors GET /alliances/{id}: NATO's members in 2009, 26 (the paper) against 28 (ATOP),
    disputed, each with what it counts; and the phases' values with their meanings."""
    assert main(["codings", "--alliance", "NATO", "--as-of", "2009"]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith("NATO in 2009: members disputed: finnegan-2009: 26 (member states, as the paper counts")
    assert "atop-5.1: 28 (the states in ATOP's alliance 3180 (phase 3180.2) on 31 December 2009" in first
    organ1 = next(line for line in out.splitlines() if line.startswith("organ1 "))
    assert "3: a stand-alone organisation with a permanent bureaucracy" in organ1
    assert main(["codings", "--alliance", "us-uk"]) == 0
    assert "not coded by ATOP" in capsys.readouterr().out
    assert main(["codings", "--alliance", "nato", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["record"], r["variable"], r["value"]) for r in rows} >= {
        ("3180.2", "base", "3"),
        ("3180.1", "base", "0"),
    }


def test_the_docs_write_out_every_test_and_verdict() -> None:
    """'Each row's test is written out in words in the answer and the docs': docs/treaty-practice.md holds each
    provision's treaty and practice test, and each verdict's words, as the answers give them."""
    from pathlib import Path

    from app.questions.treaty import PROVISIONS as DEFINED
    from app.questions.treaty import VERDICT_WORDS

    doc = (Path(__file__).resolve().parents[1] / "docs" / "treaty-practice.md").read_text("utf-8")
    for provision in DEFINED:
        assert f"- treaty: {provision.treaty_test}\n" in doc, provision.key
        assert f"- practice: {provision.practice_test}\n" in doc, provision.key
    for verdict, words in VERDICT_WORDS.items():
        assert f"| `{verdict.value}` | {words} |" in doc, verdict


def test_counting_the_paper_alone_leaves_the_codings_out_and_says_so(store: Store) -> None:
    """Done when: '`sources=finnegan-2009` leaves the codings out and says so' — compare has no treaty rows and
    a note naming atop-5.1; the alliance has no codings, a note, and the paper's 26 alone in 2009 (single)."""
    paper = store.sourced(("finnegan-2009",))
    result = compare(paper, ["nato", "us-rok"], 2009)
    assert result["treaty_practice"] == []
    assert result["treaty_practice_note"] is not None and "atop-5.1 not counted" in result["treaty_practice_note"]
    data = alliance_codings_data(paper, "nato", 2009)
    assert data["codings"] == [] and data["codings_note"] == [
        "atop-5.1 is not counted (sources=): its treaty codings are left out"
    ]
    members = data["members_by_year"]
    assert [(v["source_id"], v["count"]) for v in members["in_year"]] == [("finnegan-2009", 26)]
    assert members["agreement"] == "single"


def test_counting_atop_alone_reports_no_practice(store: Store) -> None:
    """With ATOP alone counted, the paper's structure and statements are not counted: every practice side is 'not
    reported' (the dataset is never evidence of practice), and NATO's members in 2009 are ATOP's 28 alone."""
    atop = store.sourced(("atop-5.1",))
    found = compare(atop, ["nato", "anzus"], 2009)["treaty_practice"]
    assert {r["practice"]["status"] for r in found} == {"not reported"}
    assert {r["treaty"]["source_ids"][0] for r in found} == {"atop-5.1"}
    members = alliance_codings_data(atop, "nato", 2009)["members_by_year"]
    assert [(v["source_id"], v["count"]) for v in members["in_year"]] == [("atop-5.1", 28)]


def test_sources_finnegan_2009_leaves_the_codings_out_and_says_so(client: TestClient) -> None:
    """Done when: '`sources=finnegan-2009` leaves the codings out and says so', in GET /compare and GET
    /alliances/{id}; an unknown source is a 404 naming it with close matches."""
    body = client.get("/compare", params={"alliances": "nato,us-uk", "as_of": 2009, "sources": "finnegan-2009"}).json()
    assert body["treaty_practice"] == [] and body["counted_sources"] == ["finnegan-2009"]
    assert body["treaty_practice_note"] == (
        "atop-5.1 not counted (sources=): the treaty codings are left out of the comparison"
    )
    nato = client.get("/alliances/nato", params={"as_of": 2009, "sources": "finnegan-2009"}).json()
    assert nato["codings"] == [] and nato["codings_note"] == [
        "atop-5.1 is not counted (sources=): its treaty codings are left out"
    ]
    assert nato["members_by_year"]["agreement"] == "single"
    both = client.get("/compare", params={"alliances": "nato", "sources": "finnegan-2009,atop-5.1"}).json()
    assert len(both["treaty_practice"]) == len(PROVISIONS)
    unknown = client.get("/compare", params={"sources": "atop"})
    assert unknown.status_code == 404 and "atop-5.1" in unknown.json()["close_matches"]


def test_cli_sources_option(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI mirrors it: `--sources finnegan-2009` leaves the codings out of compare and codings, and says so."""
    assert main(["compare", "--alliances", "nato", "--treaty", "--sources", "finnegan-2009"]) == 0
    assert "atop-5.1 not counted (sources=)" in capsys.readouterr().out
    assert main(["codings", "--alliance", "nato", "--as-of", "2009", "--sources", "finnegan-2009"]) == 0
    out = capsys.readouterr().out
    assert "members single: finnegan-2009: 26" in out and "atop-5.1 is not counted" in out
