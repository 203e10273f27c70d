"""The REST contract (CONTRACT.md §2) through the real HTTP stack: endpoints, CSV twins and errors."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.questions.centrality import METRICS
from app.store.base import Store
from app.store.embedded import EmbeddedStore


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_health_names_backend_and_counts(client: TestClient, store: Store, embedded: EmbeddedStore) -> None:
    """'backend in use, its state, organ and edge counts' (CONTRACT.md §2): the store asked, and as
    many organs and edges as the seeds hold (Neo4j is loaded from the same seeds)."""
    body = client.get("/health").json()
    assert body["state"] == "ok" and body["backend"] == store.backend
    assert (body["organs"], body["edges"]) == (len(embedded.dataset.organs), len(embedded.dataset.edges))


def test_alliances_roster_json_and_csv(client: TestClient) -> None:
    """'America has seven treaty alliances'; every list has a CSV twin."""
    roster = client.get("/alliances").json()
    assert len(roster) == 7
    rows = _csv(client.get("/alliances?format=csv").text)
    assert [r["id"] for r in rows] == [a["id"] for a in roster]
    assert {r["id"]: r["standing_structure"] for r in rows}["anzus"] == "False"


def test_unknown_alliance_is_404_with_close_matches(client: TestClient) -> None:
    r = client.get("/alliances/natoo")
    assert r.status_code == 404
    assert r.json()["close_matches"][0] == "nato" and "natoo" in r.json()["error"]


def test_alliance_organs_in_a_year(client: TestClient) -> None:
    """'In 1978 ... the current Combined Forces Command (CFC) was established' — not in the 1975 list, in 1985's."""
    ids_1975 = {o["id"] for o in client.get("/alliances/us-rok/organs?as_of=1975").json()}
    ids_1985 = {o["id"] for o in client.get("/alliances/us-rok/organs?as_of=1985").json()}
    assert "us-rok.cfc" not in ids_1975 and "us-rok.cfc" in ids_1985
    assert "us-rok.unc" in ids_1975


def test_planned_only_when_asked(client: TestClient) -> None:
    """'CFC will be deactivated in 2012' is a plan: CFC is listed in 2013 unless plans are included."""
    plain = {o["id"] for o in client.get("/alliances/us-rok/organs?as_of=2013").json()}
    planned = {o["id"] for o in client.get("/alliances/us-rok/organs?as_of=2013&include_planned=true").json()}
    assert "us-rok.cfc" in plain and "us-rok.rok-warfighter" not in plain
    assert "us-rok.cfc" not in planned and "us-rok.rok-warfighter" in planned


def test_search_matches_acronym_name_alias_case_insensitively(client: TestClient) -> None:
    by_acronym = {o["id"] for o in client.get("/organs?q=scc").json()}
    by_alias = {o["id"] for o in client.get("/organs?q=TWO-PLUS-TWO").json()}
    by_name = {o["id"] for o in client.get("/organs?q=security consultative committee").json()}
    assert "us-japan.scc" in by_acronym & by_alias & by_name
    civilian = client.get("/organs?alliance=nato&nature=civilian&level=political").json()
    assert {o["nature"] for o in civilian} == {"civilian"} and {o["level"] for o in civilian} == {"political"}


def test_organ_with_edges_and_sources(client: TestClient) -> None:
    body = client.get("/organs/nato.mc").json()
    assert body["name"] == "Military Committee"
    assert any(e["target"] == "nato.saceur" for e in body["edges_out"])
    assert any(e["source"] == "nato.nac" for e in body["edges_in"])
    assert body["sources"][0]["quote"]


def test_unknown_organ_404_names_it(client: TestClient) -> None:
    r = client.get("/organs/nato.nacc")
    assert r.status_code == 404 and "nato.nacc" in r.json()["error"] and "nato.nac" in r.json()["close_matches"]


def test_paths_respect_direction_and_coordination_both_ways(client: TestClient) -> None:
    """Authority runs superior to subordinate only; coordination is mutual. ('the very active and close linkage of
    the NAC to the MC and to the Strategic Commanders': the NAC reaches SACEUR in one hop.)"""
    down = client.get("/paths?source=nato.nac&target=nato.saceur").json()
    up = client.get("/paths?source=nato.saceur&target=nato.nac").json()
    assert down["connected"] and down["shortest_hops"] == 1 and not up["connected"]
    hop = down["paths"][0]["edges"][0]
    assert {"kind", "mode", "condition", "from", "to", "quote"} <= hop.keys()
    both = client.get("/paths?source=nato.eapc&target=nato.nac&kinds=coordination").json()
    back = client.get("/paths?source=nato.nac&target=nato.eapc&kinds=coordination").json()
    assert both["connected"] and back["connected"]


def test_paths_csv_one_row_per_hop(client: TestClient) -> None:
    rows = _csv(client.get("/paths?source=nato.nac&target=nato.aco&format=csv&limit=1").text)
    assert [(r["source"], r["target"]) for r in rows] == [("nato.nac", "nato.saceur"), ("nato.saceur", "nato.aco")]


def test_linkage_japan_authority_versus_coordination(client: TestClient) -> None:
    """US–Japan's SCC reaches no operational commander by authority alone yet does once coordination is allowed."""
    alone = client.get("/linkage?alliance=us-japan&as_of=2009").json()
    coord = client.get("/linkage?alliance=us-japan&as_of=2009&kinds=authority,coordination").json()
    assert alone["linked"] is False and alone["break"]["closing_kinds"]
    assert coord["linked"] is True and coord["witnesses"]


def test_linkage_what_if_excluding_the_mcm(client: TestClient) -> None:
    """Excluding an organ is a what-if: the stored data is untouched. The SCM reaches Commander CFC directly as well
    as through the MCM ('the strong linkages of the SCM to the MCM and to the respective operational commanders'), so
    excluding the MCM leaves the chain; excluding the SCM, the only civilian body, breaks it."""
    r = client.get("/linkage?alliance=us-rok&as_of=2009&exclude=us-rok.mcm").json()
    assert r["linked"] is True and r["exclude"] == ["us-rok.mcm"]
    r = client.get("/linkage?alliance=us-rok&as_of=2009&exclude=us-rok.scm").json()
    assert r["linked"] is False and r["exclude"] == ["us-rok.scm"]
    assert client.get("/linkage?alliance=us-rok&as_of=2009").json()["linked"] is True


def test_centrality_ranks_and_articulation(client: TestClient) -> None:
    body = client.get("/centrality?alliance=us-rok&as_of=2009&metric=betweenness").json()
    assert body["ranking"][0]["id"] == "us-rok.commander-cfc"
    # The SCM reaches Commander CFC directly and through the MCM, so the MCM is not a cut vertex; CFC's commander is.
    articulation = {a["id"] for a in body["articulation"]}
    assert "us-rok.commander-cfc" in articulation and "us-rok.mcm" not in articulation


# 'As for civilian leadership, the NAC is the highest decision making body within NATO ... It has
# "effective political authority and powers of decision" and oversees both the political and
# military processes of the alliance.' (line 72): by authority, nothing directs the NAC, and no organ
# directs more organs than it does.
def _nac_highest(ranking: list[dict[str, Any]]) -> bool:
    return ranking[0]["id"] == "nato.nac"


def _nac_undirected(ranking: list[dict[str, Any]]) -> bool:
    return next(r["score"] for r in ranking if r["id"] == "nato.nac") == min(r["score"] for r in ranking)


NAC_FACTS = {
    "degree": _nac_highest,
    "out_degree": _nac_highest,
    "in_degree": _nac_undirected,
    "closeness": _nac_undirected,
    "pagerank": _nac_undirected,
}


@pytest.mark.parametrize("metric", [m for m in METRICS if m != "betweenness"])
def test_every_metric_ranks_every_organ_of_the_year(client: TestClient, metric: str) -> None:
    """'organs ranked by degree, in_degree, out_degree, betweenness, closeness, pagerank, eigenvector;
    plus articulation' (CONTRACT.md §2): every organ of NATO's 2009 structure ranked once, best
    first, the articulation organs whatever the metric; and the NAC's place as the paper gives it."""
    body = client.get(f"/centrality?alliance=nato&as_of=2009&metric={metric}").json()
    organs = {o["id"] for o in client.get("/alliances/nato/organs?as_of=2009").json()}
    ranking = body["ranking"]
    assert body["metric"] == metric and body["metric_note"]
    assert sorted(r["id"] for r in ranking) == sorted(organs)
    assert [r["score"] for r in ranking] == sorted((r["score"] for r in ranking), reverse=True)
    # Equal scores share a rank, the next is counted on (1, 2, 2, 4).
    assert all(r["rank"] == 1 + sum(o["score"] > r["score"] for o in ranking) for r in ranking)
    betweenness = client.get("/centrality?alliance=nato&as_of=2009").json()
    assert body["articulation"] == betweenness["articulation"]
    if metric in NAC_FACTS:
        assert NAC_FACTS[metric](ranking), [(r["id"], r["score"]) for r in ranking[:3]]


def test_compare_json_and_csv(client: TestClient) -> None:
    """The CSV's verdicts say how sure the paper is: NATO's ACO and the U.S.-ROK CFC are placed in 2009; for the
    U.S.-Japan alliance the paper states it: 'the U.S.-Japan alliance has no “combined” structures' (line 196)."""
    body = client.get("/compare").json()
    assert [r["alliance"] for r in body["rows"]] == ["nato", "us-rok", "us-japan"]
    assert [r["has_combined_command"] for r in body["rows"]] == [True, True, False]
    rows = _csv(client.get("/compare?format=csv").text)
    assert {r["alliance"]: r["has_combined_command"] for r in rows} == {
        "nato": "yes (certain)",
        "us-rok": "yes (certain)",
        "us-japan": "no (stated by the paper, line 196)",
    }


def test_timeline_and_diff(client: TestClient) -> None:
    events = client.get("/timeline?alliance=us-rok").json()["events"]
    assert any(e["year"] == 1994 and e["event"] == "lost" for e in events)
    assert any(e["year"] == 2012 and e["planned"] for e in events)
    d = client.get("/diff?alliance=us-rok&from=1993&to=1995&condition=peacetime").json()
    assert any(e["source"] == "rok.nca" for e in d["edges_added"])


@pytest.mark.parametrize(
    "fmt, marker",
    [
        ("json", '"nodes"'),
        ("graphml", "<graphml"),
        ("gexf", 'mode="dynamic"'),
        ("cypher", "CREATE (o:Organ"),
        ("csv", "id,element,source,target"),
    ],
)
def test_export_formats(client: TestClient, fmt: str, marker: str) -> None:
    """Each format holds the U.S.-ROK structure: CFC ('In 1978 ... the current Combined Forces
    Command (CFC) was established', line 243), and no organ of NATO."""
    r = client.get(f"/export?alliance=us-rok&format={fmt}")
    assert r.status_code == 200 and marker in r.text
    assert "us-rok.cfc" in r.text and "nato.nac" not in r.text


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/linkage?alliance=nato&kinds=command", "kinds"),
        ("/linkage?alliance=nato&condition=siege", "condition"),
        ("/linkage?alliance=nato&as_of=1800", "as_of"),
        ("/paths?source=nato.nac&target=nato.mc&max_hops=99", "max_hops"),
        ("/paths?source=nato.nac&target=nato.mc&limit=0", "limit"),
        ("/centrality?alliance=nato&metric=fame", "metric"),
        ("/export?alliance=nato&format=pdf", "format"),
        ("/paths?source=nato.nac", "target"),
        # The schema's maxItems counts the values as sent, empty ones too.
        ("/compare?" + "&".join(["columns="] * 11), "columns"),
        ("/linkage?alliance=nato&" + "&".join(["kinds="] * 21), "kinds"),
        ("/compare?columns=nato@1800", "columns"),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(client: TestClient, url: str, parameter: str) -> None:
    r = client.get(url)
    assert r.status_code == 422
    assert r.json()["parameter"] == parameter and parameter in r.json()["error"]


def test_exclude_unknown_organ_is_404(client: TestClient) -> None:
    r = client.get("/linkage?alliance=us-rok&exclude=us-rok.cfcc")
    assert r.status_code == 404 and "us-rok.cfc" in r.json()["close_matches"]


def test_openapi_served(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/health",
        "/alliances",
        "/alliances/{alliance_id}/organs",
        "/organs",
        "/organs/{organ_id}",
        "/paths",
        "/linkage",
        "/centrality",
        "/compare",
        "/timeline",
        "/diff",
        "/export",
    ):
        assert p in paths
