"""The paper's benchmarks beyond structure (CONTRACT.md section 2, "Indicators"), on both stores.

One test per measure, each quoting the sentence it checks; then the promises about the paper's
hedges: a "near $300 billion" keeps its "near" in JSON (``qualifier``), in CSV (a ``qualifier``
column, and a label with the word), in the terminal table and in figure 4b; never a bare 300.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from app.cli import main
from app.figure_tables import indicators_svg
from app.questions.compare import compare
from app.questions.indicators import indicators
from app.store.base import Store
from graph_schema.models import Indicator
from graph_schema.vocabulary import Measure, Qualifier, Unit

# (alliance, scope) -> (value, qualifier, year) for one measure
Figures = dict[tuple[str, str], tuple[float, str | None, int | str | None]]


def figures(store: Store, measure: Measure) -> Figures:
    found: Figures = {}
    for alliance in store.alliances().values():
        for i in alliance.indicators:
            if i.measure is measure:
                key = (alliance.id, i.scope)
                assert key not in found or measure is Measure.MEMBERS, f"two {measure} figures for {key}"
                found[key] = (i.value, i.qualifier.value if i.qualifier else None, i.year)
    return found


def one(store: Store, alliance: str, measure: Measure, scope: str | None = None) -> Indicator:
    [found] = [
        i for i in store.alliance(alliance).indicators if i.measure is measure and (scope is None or i.scope == scope)
    ]
    return found


def quotes(indicator: Indicator) -> str:
    return " ".join(s.quote for s in indicator.sources)


# ------------------------------------------------------------------------------------ one per measure


def test_travellers_2007(store: Store) -> None:
    """'some 24 million travelers transited between the United States and Europe in 2007 (compared to 5.2
    million for Japan and 1.5 million for the ROK)' (line 127)."""
    assert figures(store, Measure.TRAVELLERS) == {
        ("nato", "us-europe"): (24_000_000, "some", 2007),
        ("us-japan", "us-japan"): (5_200_000, None, 2007),
        ("us-rok", "us-rok"): (1_500_000, None, 2007),
    }
    assert one(store, "nato", Measure.TRAVELLERS).unit is Unit.PEOPLE
    assert one(store, "nato", Measure.TRAVELLERS).sources[0].line == 127


def test_merchandise_trade_2006_with_the_eu_caveat(store: Store) -> None:
    """'merchandise trade volume between the United States and the EU (recognizing that this figure includes
    non-NATO countries) was over $600 billion in 2006 (compared to $208 billion in U.S.-Japan trade and $82
    billion in U.S.-ROK trade)' (line 127)."""
    assert figures(store, Measure.MERCHANDISE_TRADE) == {
        ("nato", "us-eu"): (600_000_000_000, "over", 2006),
        ("us-japan", "us-japan"): (208_000_000_000, None, 2006),
        ("us-rok", "us-rok"): (82_000_000_000, None, 2006),
    }
    eu = one(store, "nato", Measure.MERCHANDISE_TRADE)
    assert eu.unit is Unit.USD
    assert eu.scope_note == "this figure includes non-NATO countries"
    assert "this figure includes non-NATO countries" in quotes(eu)


def test_trade_with_services_has_no_year(store: Store) -> None:
    """'When commercial services are figured in, the U.S.-EU trade volume approaches $900 billion ... (again,
    by comparison, U.S.-Japan trade would be near $300 billion, and U.S.-ROK trade near $100 billion)'
    (line 127): no year is printed, so none is given."""
    assert figures(store, Measure.TRADE_WITH_SERVICES) == {
        ("nato", "us-eu"): (900_000_000_000, "approaches", None),
        ("us-japan", "us-japan"): (300_000_000_000, "near", None),
        ("us-rok", "us-rok"): (100_000_000_000, "near", None),
    }
    assert one(store, "nato", Measure.TRADE_WITH_SERVICES).scope_note == "this figure includes non-NATO countries"


def test_two_way_trade_us_japan(store: Store) -> None:
    """'The two partners represent the two largest national economies and enjoy significant economic
    integration with over $200 billion in two-way trade.' (line 214).
    Present tense: the paper's date, 2009, as for organs (issue 24, item 13)."""
    assert figures(store, Measure.TWO_WAY_TRADE) == {("us-japan", "us-japan"): (200_000_000_000, "over", 2009)}
    assert one(store, "us-japan", Measure.TWO_WAY_TRADE).sources[0].line == 214


def test_students_in_the_us_2007_2008(store: Store) -> None:
    """'in 2007/2008, the ROK was the third-largest single source of foreign students in the United States
    (behind India and China), with nearly 70,000 university students ... Japan ranked fourth, with some 34,000
    students (5.4 percent). While Europe as a whole sent approximately 84,000 students (14.2 percent)'."""
    assert figures(store, Measure.STUDENTS_IN_US) == {
        ("us-rok", "us-rok"): (70_000, "nearly", "2007/2008"),
        ("us-japan", "us-japan"): (34_000, "some", "2007/2008"),
        ("nato", "us-europe"): (84_000, "approximately", "2007/2008"),
    }
    assert one(store, "us-rok", Measure.STUDENTS_IN_US).years == (2007, 2008)


def test_share_of_foreign_university_students(store: Store) -> None:
    """'nearly 70,000 university students, or some 11.1 percent of the total foreign university student
    population. Japan ranked fourth, with some 34,000 students (5.4 percent). While Europe as a whole sent
    approximately 84,000 students (14.2 percent)': the hedge of a count is not carried onto its share."""
    assert figures(store, Measure.STUDENTS_IN_US_SHARE) == {
        ("us-rok", "us-rok"): (11.1, "some", "2007/2008"),
        ("us-japan", "us-japan"): (5.4, None, "2007/2008"),
        ("nato", "us-europe"): (14.2, None, "2007/2008"),
    }
    assert one(store, "us-rok", Measure.STUDENTS_IN_US_SHARE).unit is Unit.PERCENT


def test_rank_as_a_source_of_students(store: Store) -> None:
    """'the ROK was the third-largest single source of foreign students in the United States (behind India and
    China)' ... 'Japan ranked fourth'."""
    assert figures(store, Measure.STUDENT_SOURCE_RANK) == {
        ("us-rok", "us-rok"): (3, None, "2007/2008"),
        ("us-japan", "us-japan"): (4, None, "2007/2008"),
    }


def test_five_nato_allies_in_the_top_25(store: Store) -> None:
    """'only five NATO allies ranked in the top 25 [Canada (5), Turkey (8), Germany (12), UK (14) and France
    (18)]'."""
    assert figures(store, Measure.ALLIES_IN_TOP_25_SOURCES) == {("nato", "nato"): (5, None, "2007/2008")}
    assert "Canada (5)" in (one(store, "nato", Measure.ALLIES_IN_TOP_25_SOURCES).note or "")


def test_f1_m1_visa_shares_are_dated_by_footnote_24(store: Store) -> None:
    """'the Europeans fall to some 12.3 percent of total students, while the ROK alone makes up approximately
    14.4 percent and Japan 11.1 percent'; footnote 24: 'Statistics shown are for 2006/2007.' (line 139)."""
    assert figures(store, Measure.VISA_STUDENTS_SHARE) == {
        ("nato", "us-europe"): (12.3, "some", "2006/2007"),
        ("us-rok", "us-rok"): (14.4, "approximately", "2006/2007"),
        ("us-japan", "us-japan"): (11.1, None, "2006/2007"),
    }
    assert 139 in [s.line for s in one(store, "us-rok", Measure.VISA_STUDENTS_SHARE).sources]


def test_us_students_abroad(store: Store) -> None:
    """'Japan accounted for only 2.1 percent (5,012 students) and the ROK only 0.5 percent (1,312 students)'
    (line 141); the paper gives no count for Europe, and none is computed."""
    assert figures(store, Measure.US_STUDENTS_ABROAD) == {
        ("us-japan", "us-japan"): (5012, None, "2007/2008"),
        ("us-rok", "us-rok"): (1312, None, "2007/2008"),
    }


def test_share_of_us_students_abroad(store: Store) -> None:
    """'in 2007/2008, some 57.4 percent of the total 241,791 American students abroad were in Europe ... while
    Japan accounted for only 2.1 percent (5,012 students) and the ROK only 0.5 percent (1,312 students)'."""
    assert figures(store, Measure.US_STUDENTS_ABROAD_SHARE) == {
        ("nato", "us-europe"): (57.4, "some", "2007/2008"),
        ("us-japan", "us-japan"): (2.1, None, "2007/2008"),
        ("us-rok", "us-rok"): (0.5, None, "2007/2008"),
    }
    assert "241,791" in (one(store, "nato", Measure.US_STUDENTS_ABROAD_SHARE).note or "")


def test_nine_of_the_top_20_destinations(store: Store) -> None:
    """'(with NATO countries accounting for nine of the top 20 global destinations)'."""
    assert figures(store, Measure.ALLIES_IN_TOP_20_DESTINATIONS) == {("nato", "nato"): (9, None, "2007/2008")}


def test_jobs_in_the_us(store: Store) -> None:
    """'Japanese companies in the United States employ more than 600,000 Americans'.
    Present tense: the paper's date, 2009, as for organs (issue 24, item 13)."""
    assert figures(store, Measure.JOBS_IN_US) == {("us-japan", "us-japan"): (600_000, "more-than", 2009)}


def test_jobs_in_japan(store: Store) -> None:
    """'while their U.S. counterparts in Japan provide some 250,000 Japanese jobs'.
    Present tense: the paper's date, 2009, as for organs (issue 24, item 13)."""
    assert figures(store, Measure.JOBS_IN_PARTNER) == {("us-japan", "us-japan"): (250_000, "some", 2009)}


def test_members_12_then_26_and_the_two_member_group(store: Store) -> None:
    """'Its original membership of 12 has since grown to 26' and 'the smaller U.S.-ROK two-member group': present
    tense, so 2009, the paper's date, as for organs (issue 24, item 13); the year NATO reached 26 is not given.
    The alliances' ``members`` are these indicators."""
    nato = [(i.value, i.year) for i in store.alliance("nato").indicators if i.measure is Measure.MEMBERS]
    assert nato == [(12, 1949), (26, 2009)]
    assert [(m.count, m.year) for m in store.alliance("nato").members] == [(12, 1949), (26, 2009)]
    assert [(m.count, m.year) for m in store.alliance("us-rok").members] == [(2, 2009)]
    assert store.alliance("us-japan").members == []


def test_rok_share_of_cfc_personnel(store: Store) -> None:
    """'Korean officers and enlisted personnel accounting for roughly 50 percent of the combined command'
    (line 245): scoped to CFC, not to the alliance."""
    assert figures(store, Measure.COMBINED_COMMAND_SHARE) == {("us-rok", "us-rok.cfc"): (50, "roughly", None)}
    assert one(store, "us-rok", Measure.COMBINED_COMMAND_SHARE).sources[0].line == 245


def test_atlantic_treaty_associations(store: Store) -> None:
    """'a network of 26 national associations in NATO member countries ..., 15 associate member national
    associations in Partnership for Peace member countries, and one observer member national association
    (Israel)' (line 119): 'It carries out its missions through ...', present tense, so 2009."""
    assert figures(store, Measure.ASSOCIATIONS) == {
        ("nato", "nato.national-associations"): (26, None, 2009),
        ("nato", "nato.associate-associations"): (15, None, 2009),
        ("nato", "nato.observer-association"): (1, None, 2009),
    }


def test_international_staff_of_some_5500(store: Store) -> None:
    """'The NAC itself has a standing dedicated staff—the International Staff—made up of some 5,500 civilian staff
    members worldwide' (line 86): present tense, so 2009, the hedge kept."""
    assert figures(store, Measure.STAFF) == {("nato", "nato.international-staff"): (5500, "some", 2009)}


def test_more_than_35_committees(store: Store) -> None:
    """'they are backed up by more than 35 additional committees, boards, task forces, groups, and working
    groups' (line 86): present tense, so 2009, the hedge kept."""
    assert figures(store, Measure.COMMITTEES) == {("nato", "nato.committees"): (35, "more-than", 2009)}


def test_every_measure_is_tested_and_every_quote_has_its_line(store: Store) -> None:
    """Each measure of the vocabulary has the paper's figures, and every indicator quote its line."""
    found = {i.measure for a in store.alliances().values() for i in a.indicators}
    assert found == set(Measure)
    assert sum(len(a.indicators) for a in store.alliances().values()) == 39
    for alliance in store.alliances().values():
        for i in alliance.indicators:
            assert i.alliance == alliance.id
            assert all(s.line is not None for s in i.sources), i.id


# ------------------------------------------------------------------------------------ the hedges kept


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_near_300_billion_json_keeps_the_qualifier(client: TestClient) -> None:
    """'U.S.-Japan trade would be near $300 billion': the number and the word travel together."""
    body = client.get("/indicators", params={"alliance": "us-japan", "measure": "trade-with-services"}).json()
    [row] = body["indicators"]
    assert (row["value"], row["qualifier"], row["bound"]) == (300_000_000_000, "near", "approximate")
    assert row["label"] == "near $300 bn" and row["year"] is None and row["year_label"] == "no year given"
    assert row["sources"][0]["quote"].endswith("U.S.-ROK trade near $100 billion)") and row["sources"][0]["line"] == 127


def test_near_300_billion_csv_has_a_qualifier_column(client: TestClient) -> None:
    rows = {r["id"]: r for r in _csv(client.get("/indicators?format=csv").text)}
    assert len(rows) == 39
    japan = rows["us-japan:trade-with-services"]
    assert japan["qualifier"] == "near" and japan["label"] == "near $300 bn" and japan["value"] == "300000000000"
    assert rows["us-eu:merchandise-trade:2006"]["scope_note"] == "this figure includes non-NATO countries"
    # a bare figure has an empty qualifier, never a made-up one
    assert rows["us-japan:merchandise-trade:2006"]["qualifier"] == ""
    for row in rows.values():
        assert row["label"].startswith(row["qualifier"].replace("-", " ")), row


def test_compare_sets_every_indicator_side_by_side(client: TestClient) -> None:
    """/compare carries every indicator of the three alliances, by measure, whatever ``as_of`` is."""
    body = client.get("/compare", params={"as_of": 1960}).json()
    by_measure = {e["measure"]: e for e in body["indicators"]}
    assert set(by_measure) == {m.value for m in Measure}
    services = by_measure["trade-with-services"]["by_alliance"]
    assert [(f["label"], f["year_label"]) for f in services["us-japan"]] == [("near $300 bn", "no year given")]
    assert [f["year"] for f in by_measure["merchandise-trade"]["by_alliance"]["nato"]] == [2006]
    total = sum(len(fs) for e in body["indicators"] for fs in e["by_alliance"].values())
    assert total == 39
    rows = {r["alliance"]: r for r in _csv(client.get("/compare?format=csv").text)}
    assert rows["us-japan"]["trade-with-services"] == "near $300 bn, no year given"
    assert rows["us-japan"]["trade-with-services.qualifier"] == "near"
    assert rows["us-japan"]["trade-with-services.value"] == "300000000000"
    assert rows["nato"]["merchandise-trade"] == "over $600 bn, 2006 (U.S.-EU*)"
    assert rows["nato"]["merchandise-trade.scope_note"] == "this figure includes non-NATO countries"
    assert rows["nato"]["members.value"] == "12; 26" and rows["nato"]["members.year"] == "1949; 2009"


def test_alliance_records_carry_indicators_and_derived_members(client: TestClient) -> None:
    nato = client.get("/alliances/nato").json()
    assert [(m["count"], m["year"]) for m in nato["members"]] == [(12, 1949), (26, 2009)]
    assert {"count", "year", "note", "sources"} <= set(nato["members"][0])
    assert len(nato["indicators"]) == 16
    assert {i["measure"] for i in nato["indicators"]} >= {"travellers", "members", "associations"}
    roster = {r["id"]: r for r in _csv(client.get("/alliances?format=csv").text)}
    assert roster["nato"]["members"] == "12 (1949); 26 (2009)" and roster["us-rok"]["members"] == "2 (2009)"


def test_indicator_filters_and_errors(client: TestClient) -> None:
    assert client.get("/indicators").json()["count"] == 39
    assert client.get("/indicators?alliance=us-rok").json()["count"] == 11
    jobs = client.get("/indicators?measure=jobs-in-us").json()["indicators"]
    assert [j["label"] for j in jobs] == ["more than 600,000"]
    missing = client.get("/indicators?alliance=natoo")
    assert missing.status_code == 404 and "nato" in missing.json()["close_matches"]
    bad = client.get("/indicators?measure=gdp")
    assert bad.status_code == 422 and bad.json()["parameter"] == "measure"


def test_cli_compare_and_indicators_show_the_words(capsys: Any) -> None:
    assert main(["compare"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("trade-with-services"))
    assert "near $300 bn, no year given" in line and "approaches $900 bn" in line
    assert "* U.S.-EU (merchandise-trade): this figure includes non-NATO countries" in out
    assert main(["indicators", "--measure", "trade-with-services", "--format", "csv"]) == 0
    rows = _csv(capsys.readouterr().out)
    assert [(r["alliance"], r["qualifier"], r["label"]) for r in rows] == [
        ("nato", "approaches", "approaches $900 bn"),
        ("us-japan", "near", "near $300 bn"),
        ("us-rok", "near", "near $100 bn"),
    ]
    assert main(["indicators", "--measure", "gdp"]) == 1
    assert "measure" in capsys.readouterr().err


def test_no_hedged_figure_is_drawn_bare(store: Store) -> None:
    """In figure 4b every bar's label starts with the paper's word where it has one, and names the year."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(indicators_svg(compare(store)["indicators"]))
    bars = [g for g in root.iter(f"{ns}g") if g.get("class") == "indicator-bar"]
    assert len(bars) == 39
    for bar in bars:
        label = next(t.text or "" for t in bar.iter(f"{ns}text") if t.get("class") == "bar-label")
        qualifier = bar.get("data-qualifier") or ""
        if qualifier:
            assert label.startswith(Qualifier(qualifier).value.replace("-", " ") + " "), label
        year = bar.get("data-year") or "no year given"
        assert label.endswith(f", {year}"), label
    japan = next(b for b in bars if b.get("data-id") == "us-japan:trade-with-services")
    assert any(t.text == "near $300 bn, no year given" for t in japan.iter(f"{ns}text"))


def test_as_of_does_not_filter_indicators(store: Store) -> None:
    """Indicators carry their own years: a 1960 comparison still shows the 2007 travellers."""
    early, now = compare(store, as_of=1960)["indicators"], compare(store, as_of=2009)["indicators"]
    assert early == now
    assert indicators(store)["count"] == 39


def test_indicators_survive_the_neo4j_round_trip(embedded: Store, neo4j_store: Store) -> None:
    """The Neo4j store reads alliances back from each node's ``doc``: indicators, lines and derived members
    equal the embedded store's."""
    for alliance_id, alliance in embedded.alliances().items():
        stored = neo4j_store.alliance(alliance_id)
        assert stored.model_dump() == alliance.model_dump()
        assert stored.members == alliance.members
    assert indicators(neo4j_store) == indicators(embedded)
