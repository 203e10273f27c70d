"""ATOP 5.1's codings of the roster, as its README (seeds/source/atop-5.1/README.md and the shared folder's)
gives them, on both stores; and the rules the contract sets for a dataset's values (CONTRACT.md §2
"Values", "Treaty codings beside practice"): the 31 December rule, silence outside coverage, a context
phase that is no claim, codings never evidence for or against an organ or edge."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.questions.codings import members_by_year
from app.seeds import load_seeds
from app.snapshot import SnapshotParams
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from graph_schema.codings import TreatyPhase

ATOP = Path(__file__).resolve().parents[1] / "seeds" / "source" / "atop-5.1"


def phases(store: Store, alliance: str) -> dict[str, TreatyPhase]:
    return {p.record: p for p in store.alliance(alliance).codings}


def value(phase: TreatyPhase, variable: str) -> int:
    coded = phase.value(variable)
    assert coded is not None, f"{phase.record} has no {variable}"
    return coded.value


def atop_count(store: Store, alliance: str, year: int) -> int | None:
    found = members_by_year(store.alliance(alliance), year)
    return next((v["count"] for v in found["in_year"] if v["source_id"] == "atop-5.1"), None)


# ------------------------------------------------------------------------------------ the files


def test_the_csv_files_are_the_shared_ones_unmodified() -> None:
    """Our README gives the SHA-256 of each file as copied from ../shared/sources/atop-5.1/; the files still
    have them (nobody edited the dataset's values)."""
    readme = (ATOP / "README.md").read_text("utf-8")
    for name in ("alliance_phases.csv", "members.csv"):
        stated = re.search(rf"`{re.escape(name)}` \| `([0-9a-f]{{64}})`", readme)
        assert stated is not None, f"the README gives no digest for {name}"
        assert hashlib.sha256((ATOP / name).read_bytes()).hexdigest() == stated.group(1)


def test_the_source_record_is_a_dataset_to_2018_with_its_citation(store: Store) -> None:
    """'coverage to 2018' and the README's citation: Leeds, Ritter, Mitchell and Long (2002), codebook 5.1."""
    nato = store.alliance("nato").codings
    assert {(p.source_id, p.coverage_last) for p in nato} == {("atop-5.1", 2018)}
    record = (ATOP / "source.yaml").read_text("utf-8")
    assert "kind: dataset" in record
    assert "International Interactions 28 (2002): 237–260" in record
    assert "version 5.1" in record and "August 9, 2022" in record


# ------------------------------------------------------------------------------------ the README's facts


def test_nato_phase_2_from_1951_06_19_raises_organ1_and_adds_base(store: Store) -> None:
    """'3180, phases 1 (1949-04-04 to 1951-06-19) and 2 (from 1951-06-19) | phase 2 raises the organisation to a
    stand-alone one with a permanent bureaucracy (organ1 2 → 3) and adds the stationing of forces (base 0 → 3)'."""
    nato = phases(store, "nato")
    one, two = nato["3180.1"], nato["3180.2"]
    assert (one.begin, one.end) == (dt.date(1949, 4, 4), dt.date(1951, 6, 19))
    assert (two.begin, two.end) == (dt.date(1951, 6, 19), None)
    assert (value(one, "organ1"), value(two, "organ1")) == (2, 3)
    assert (value(one, "base"), value(two, "base")) == (0, 3)
    organ1 = two.value("organ1")
    assert organ1 is not None
    assert organ1.meaning == "a stand-alone organisation with a permanent bureaucracy"
    assert (organ1.locator.file, organ1.locator.record, organ1.locator.variable) == (
        "alliance_phases.csv",
        "atopid 3180, phase 3180.2",
        "organ1",
    )
    assert not one.in_year(1951) and two.in_year(1951)  # in effect on 31 December 1951


def test_us_rok_treaty_creates_no_organisation(store: Store) -> None:
    """'3240 (from 1953-10-01) | the treaty creates no organisation (organ1 0); stationing is non-reciprocal
    (base 3)'."""
    rok = phases(store, "us-rok")["3240"]
    assert rok.begin == dt.date(1953, 10, 1)
    assert (value(rok, "organ1"), value(rok, "base")) == (0, 3)
    organ1 = rok.value("organ1")
    assert organ1 is not None and organ1.meaning == "the agreement has no such provision"


def test_new_zealand_leaves_anzus_on_1986_09_17(store: Store) -> None:
    """'anzus | 3215 | New Zealand leaves on 1986-09-17': a member in 1985, not in 1986 (31 December rule)."""
    nz = next(m for m in phases(store, "anzus")["3215"].members if m.member == "New Zealand")
    assert (nz.entered, nz.left) == (dt.date(1951, 9, 1), dt.date(1986, 9, 17))
    assert (atop_count(store, "anzus", 1985), atop_count(store, "anzus", 1986)) == (3, 2)


def test_japan_own_defense_obligation_is_0_in_both_treaties(store: Store) -> None:
    """'us-japan | 3220 (1951 pact, to 1960-01-19) and 3375 (1960 treaty) | Japan's own defense obligation is
    0 in both (members.csv)'; the United States' is 1."""
    japan = phases(store, "us-japan")
    assert (japan["3220"].end, japan["3375"].begin) == (dt.date(1960, 1, 19), dt.date(1960, 1, 19))
    for record in ("3220", "3375"):
        own = {m.member: {o.variable: o.value for o in m.obligations} for m in japan[record].members}
        assert own["Japan"]["defense"] == 0
        assert own["United States"]["defense"] == 1
    assert [p.record for p in japan.values() if p.in_year(1960)] == ["3375"]


def test_nato_atop_members_16_in_1990_and_28_in_2009(store: Store) -> None:
    """'Albania and Croatia enter NATO on 2008-07-09, so ATOP's NATO has 28 members in 2009'; by the 31 December
    rule 16 in 1990 (the German Federal Republic leaves and Germany enters on 1990-10-03)."""
    assert atop_count(store, "nato", 1990) == 16
    assert atop_count(store, "nato", 2009) == 28
    assert atop_count(store, "nato", 2007) == 26
    assert atop_count(store, "nato", 2008) == 28  # entered 2008-07-09: in effect on 31 December 2008
    members_1990 = members_by_year(store.alliance("nato"), 1990)["in_year"][0]["members"]
    assert "Germany" in members_1990 and "German Federal Republic" not in members_1990


def test_atop_is_silent_after_2018(store: Store) -> None:
    """'ATOP is silent after 2018': no member count in 2019, and the answer says why (silence, not an end)."""
    found = members_by_year(store.alliance("nato"), 2019)
    assert found["in_year"] == [] or all(v["source_id"] != "atop-5.1" for v in found["in_year"])
    assert [s["source_id"] for s in found["silent"]] == ["atop-5.1"]
    assert "silent" in found["silent"][0]["counts"]
    assert not phases(store, "nato")["3180.2"].in_year(2019)


def test_seato_phase_is_context_for_us_thailand_not_a_claim(store: Store) -> None:
    """'phase 1 (1954-09-08 to 1977-06-30) is the Manila Pact/SEATO with up to eight members (Pakistan leaves in
    1972, France in 1974); ... phase 1 is context for U.S.–Thailand, not a claim about it (roster_id blank)'."""
    thai = phases(store, "us-thailand")
    seato, own = thai["3260.1"], thai["3260.2"]
    assert (seato.alliance, seato.context_for) == (None, "us-thailand")
    assert (own.alliance, own.begin) == ("us-thailand", dt.date(1977, 6, 30))
    assert len(seato.members) == 8
    left = {m.member: m.left for m in seato.members}
    assert left["Pakistan"] == dt.date(1972, 11, 8) and left["France"] == dt.date(1974, 6, 30)
    found = members_by_year(store.alliance("us-thailand"), 1960)
    assert found["in_year"] == []  # SEATO's eight are not a count of U.S.-Thailand's members
    assert "context only" in found["silent"][0]["counts"]
    assert atop_count(store, "us-thailand", 1978) == 2


def test_us_uk_is_not_coded_by_atop(store: Store) -> None:
    """'us-uk | none | ATOP codes no bilateral U.S.–UK alliance after 1945 ... ATOP is silent here, which is not
    a statement that no alliance exists'."""
    assert store.alliance("us-uk").codings == []
    assert members_by_year(store.alliance("us-uk"), 2009)["in_year"] == []


# ------------------------------------------------------------------------------------ members by year, answered


def test_nato_members_in_2009_disputed_26_against_28(client: TestClient) -> None:
    """CONTRACT.md §2 "Values": 'the paper's "26" NATO members — present tense, so 2009 — beside ATOP's member
    list in 2009' are disputed, both shown with their sources and what each counts."""
    body = client.get("/alliances/nato", params={"as_of": 2009}).json()
    members = body["members_by_year"]
    assert members["agreement"] == "disputed" and members["disputed"] is True
    paper, atop = members["in_year"]
    assert (paper["source_id"], paper["count"], paper["year"]) == ("finnegan-2009", 26, 2009)
    assert any("has since grown to 26" in q["quote"] for q in paper["quotes"])
    assert (atop["source_id"], atop["count"], atop["on"]) == ("atop-5.1", 28, "2009-12-31")
    assert {"Albania", "Croatia"} <= set(atop["members"])
    assert "as the paper counts them" in paper["counts"] and "31 December 2009" in atop["counts"]
    assert {loc["file"] for loc in atop["locators"]} == {"members.csv"}


def test_nato_members_in_1949_agree_12(client: TestClient) -> None:
    """'Its original membership of 12' (1949) and ATOP's twelve founding members of phase 3180.1 agree."""
    members = client.get("/alliances/nato", params={"as_of": 1949}).json()["members_by_year"]
    assert [(v["source_id"], v["count"]) for v in members["in_year"]] == [("finnegan-2009", 12), ("atop-5.1", 12)]
    assert members["agreement"] == "agreed"


def test_alliance_answer_carries_codings_with_meanings_and_locators(client: TestClient) -> None:
    """GET /alliances/{id} carries 'codings (per treaty phase, each value with its meaning in words and its
    locator)'; with as_of each phase says whether it is in effect; us-uk says 'not coded by ATOP'."""
    body = client.get("/alliances/nato", params={"as_of": 1950}).json()
    assert [(p["record"], p["role"], p["in_effect"]) for p in body["codings"]] == [
        ("3180.1", "claim", True),
        ("3180.2", "claim", False),
    ]
    intcom = next(v for v in body["codings"][1]["values"] if v["variable"] == "intcom")
    assert (intcom["value"], intcom["meaning"]) == (0, "the agreement has no such provision")
    assert intcom["locator"] == {
        "file": "alliance_phases.csv",
        "record": "atopid 3180, phase 3180.2",
        "variable": "intcom",
        "source_id": "atop-5.1",
    }
    thai = client.get("/alliances/us-thailand").json()
    assert [(p["record"], p["role"]) for p in thai["codings"]] == [("3260.1", "context"), ("3260.2", "claim")]
    uk = client.get("/alliances/us-uk").json()
    assert uk["codings"] == [] and any(n.startswith("not coded by ATOP") for n in uk["codings_note"])


# ------------------------------------------------------------------------------------ never evidence


def test_codings_never_change_an_organ_or_edge(embedded: EmbeddedStore, tmp_path: Path) -> None:
    """CONTRACT.md §2: 'Dataset sources that code alliances (ATOP) are never evidence for or against an organ or
    edge and never make one disputed': the seeds loaded without the dataset judge every organ and edge alike."""
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    bare = tmp_path / "seeds"
    shutil.copytree(seeds, bare, ignore=shutil.ignore_patterns("atop-5.1"))
    without = EmbeddedStore(load_seeds(bare))
    assert without.alliance("nato").codings == [] and embedded.alliance("nato").codings
    for alliance in ("nato", "us-rok", "us-japan"):
        for year in (1960, 1985, 2009):
            params = SnapshotParams(alliance, year)
            a, b = embedded.snapshot(params), without.snapshot(params)
            judged_a = {o.id: (a.judgement(o.id).existence, a.judgement(o.id).agreement) for o in a.organs()}
            judged_b = {o.id: (b.judgement(o.id).existence, b.judgement(o.id).agreement) for o in b.organs()}
            assert judged_a == judged_b
            assert {e.id for e in a.edges()} == {e.id for e in b.edges()}


@pytest.mark.parametrize("year", [1960, 1985, 2009])
def test_the_31_december_rule_for_phases(store: Store, year: int) -> None:
    """'A dated value (a membership, a treaty phase) holds in year Y when it is in effect on 31 December of Y':
    exactly one of U.S.-Japan's two treaties holds in each year from 1951, the 1951 pact through 1959."""
    japan = phases(store, "us-japan")
    live = [p.record for p in japan.values() if p.in_year(year)]
    assert live == (["3220"] if year < 1960 else ["3375"])


def test_indicators_set_the_papers_member_counts_beside_atops(client: TestClient) -> None:
    """CONTRACT.md §2 "Values" in GET /indicators too: the paper's 26 members (2009) is disputed by ATOP's 28 in
    2009, its original 12 (1949) agreed by ATOP's twelve; each claim names its source."""
    found = client.get("/indicators", params={"measure": "members", "alliance": "nato"}).json()["indicators"]
    by_year = {i["year"]: i for i in found}
    assert by_year[2009]["agreement"] == "disputed"
    assert [(c["source_id"], c["value"]) for c in by_year[2009]["claims"]] == [("finnegan-2009", 26), ("atop-5.1", 28)]
    assert "31 December 2009" in by_year[2009]["claims"][1]["counts"]
    assert by_year[1949]["agreement"] == "agreed"


def test_atop_is_listed_among_the_sources_claiming_treaty_phases_not_organs(store: Store) -> None:
    """CONTRACT.md §2: 'Shipped sources: finnegan-2009 ... and atop-5.1 (the treaty codings ..., coverage to 2018)';
    it codes eight phases of the roster's alliances (SEATO's, context only, is no claim) and claims no organ or
    edge."""
    from app.questions.sources import sources

    listed = {s["id"]: s for s in sources(store)}
    assert list(listed) == ["finnegan-2009", "atop-5.1"]
    atop = listed["atop-5.1"]
    assert (atop["kind"], atop["coverage"], atop["date"]) == ("dataset", {"first": 1815, "last": 2018}, "2022-08-09")
    assert (atop["treaty_phases"], atop["organs"], atop["edges"]) == (8, 0, 0)
