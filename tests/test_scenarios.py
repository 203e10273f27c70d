"""Scenarios (CONTRACT.md §2 "Scenarios", issue 12): what-if by addition, the paper's recommendations.

Every question test runs on both stores (the ``client`` fixture); a scenario is laid over the data in
memory, so the tests also check that nothing stored changes.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import main
from app.defaults import default_scenarios
from app.problems import SeedError
from app.scenarios import read_scenario
from app.store.base import Store

POST_2012 = {"alliance": "us-rok", "as_of": 2013, "include_planned": "true"}


def _get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text[:300]
    return r.json()


def _scenario(client: TestClient, scenario_id: str) -> dict[str, Any]:
    data: dict[str, Any] = _get(client, f"/scenarios/{scenario_id}")
    return data


def test_the_recommendation_turns_not_reported_into_a_chain(client: TestClient) -> None:
    """'the strong linkages of the SCM to the MCM and to the respective operational commanders must be
    maintained': after CFC's planned deactivation the paper reports no chain (not reported, not
    stated); with its recommendation laid over the data there is one, proposed, never certain."""
    plain = _get(client, "/linkage", **POST_2012)
    assert plain["linked"] is False and plain["break"]["cause"] == "not-reported" and plain["break"]["stated"] is False
    built = _get(client, "/linkage", scenario="rok-post-2012-linkage", **POST_2012)
    assert built["linked"] is True and built["certain"] is False
    chain = built["witnesses"][0]
    # The whole recommendation (issue 24, item 2): the SCM's own linkage to the commanders, and the MCM's.
    assert [o["id"] for o in chain["organs"]] == ["us-rok.scm", "us-rok.rok-warfighter"]
    for source, target in (
        ("us-rok.scm", "us-rok.us-supporting-commander"),
        ("us-rok.mcm", "us-rok.rok-warfighter"),
        ("us-rok.mcm", "us-rok.us-supporting-commander"),
    ):
        found = _get(client, "/paths", source=source, target=target, scenario="rok-post-2012-linkage", **POST_2012)
        assert found["shortest_hops"] == 1, (source, target)
    proposed = [e for e in chain["edges"] if e["status"] == "proposed"]
    assert proposed and all(e["proposed_by"] == "paper" and e["existence"] == "possible" for e in proposed)
    assert set(e["id"] for e in proposed) <= set(chain["rests_on"]["edges"])
    assert built["scenario"]["applied"] is True and built["scenario"]["proposed_by"] == "paper"


def test_an_analysts_scenario_is_shown_as_the_analysts(client: TestClient) -> None:
    built = _get(client, "/linkage", scenario="analyst-scm-directs-commanders", **POST_2012)
    assert built["linked"] is True and built["scenario"]["proposed_by"] == "analyst"
    edges = [e for w in built["witnesses"] for e in w["edges"] if e["status"] == "proposed"]
    assert edges and all(e["proposed_by"] == "analyst" and e["note"] for e in edges)
    assert not any(e["sources"] for e in edges)  # nothing of it is shown as the paper's words


def test_removing_the_scm_in_a_scenario_breaks_the_chain(client: TestClient) -> None:
    """POST /scenarios/evaluate: the recommendation, but without the SCM, links nothing."""
    recommended = _scenario(client, "rok-post-2012-linkage")
    scenario = recommended | {
        "id": "without-scm",
        "remove_organs": ["us-rok.scm"],
        "add_edges": [e for e in recommended["add_edges"] if e["source"] != "us-rok.scm"],
    }
    r = client.post(
        "/scenarios/evaluate",
        json={"scenario": scenario, "question": "linkage", "as_of": 2013, "include_planned": True},
    )
    assert r.status_code == 200, r.text[:300]
    answer = r.json()
    assert answer["linked"] is False and "us-rok.scm" in answer["scenario"]["removed_organs"]
    assert all(o["id"] != "us-rok.scm" for o in answer["civilian_bodies"])


def test_a_scenario_of_another_alliance_changes_nothing_and_says_so(client: TestClient) -> None:
    plain = _get(client, "/linkage", alliance="nato", as_of=2009)
    other = _get(client, "/linkage", alliance="nato", as_of=2009, scenario="rok-post-2012-linkage")
    assert other["witnesses"] == plain["witnesses"]
    assert other["scenario"]["applied"] is False and "us-rok" in other["scenario"]["note"]


def test_scenarios_listed_and_shown_unknown_is_404(client: TestClient) -> None:
    listed = {s["id"]: s for s in _get(client, "/scenarios")}
    assert {"rok-post-2012-linkage", "rok-nuclear-consultation", "rok-civil-society"} <= set(listed)
    assert (
        "japan-coordination-mechanism" in listed
        and listed["analyst-scm-directs-commanders"]["proposed_by"] == "analyst"
    )
    r = client.get("/scenarios/nope")
    assert r.status_code == 404 and "nope" in r.json()["error"]
    assert client.get("/linkage", params={"alliance": "us-rok", "scenario": "nope"}).status_code == 404


def test_the_paper_s_scenarios_quote_the_paper() -> None:
    """Each of the paper's recommendations rests on its verbatim quotes (checked when loaded), and so
    does every organ and edge it adds."""
    scenarios = default_scenarios()
    for scenario in scenarios.values():
        if scenario.proposed_by == "paper":
            assert scenario.sources
            assert all(item.sources for item in (*scenario.add_organs, *scenario.add_edges)), scenario.id


def test_the_chart_draws_proposed_parts_and_names_the_scenario(client: TestClient) -> None:
    r = client.get("/alliances/us-rok/diagram.svg", params={"as_of": 2013, "scenario": "rok-post-2012-linkage"})
    assert r.status_code == 200
    assert 'data-status="proposed"' in r.text and "scenario rok-post-2012-linkage" in r.text


def test_compare_sets_the_data_and_scenarios_side_by_side(client: TestClient) -> None:
    """U.S.-ROK 2013 with the plan, vs the paper's recommendation, vs NATO 2009."""
    columns = "us-rok@2013+planned,us-rok@2013~rok-post-2012-linkage,nato@2009"
    rows = _get(client, "/compare", columns=columns)["rows"]
    assert [r["column"] for r in rows] == columns.split(",")
    assert [r["linkage_by_authority"] for r in rows] == [False, True, True]
    assert rows[1]["scenario_proposed_by"] == "paper" and rows[1]["include_planned"] is True


def test_diff_compares_the_data_with_a_scenario_in_a_year(client: TestClient) -> None:
    d = _get(client, "/diff", alliance="us-rok", as_of=2013, scenario="rok-nuclear-consultation")
    assert [o["id"] for o in d["organs_added"]] == ["us-rok.nuclear-consultation"]
    assert d["organs_added"][0]["status"] == "proposed"


def test_asking_scenarios_changes_nothing_stored(client: TestClient, store: Store) -> None:
    """Counts and the data version (the load checksum, Neo4j included) before and after."""
    before = (store.health()["organs"], store.health()["edges"], store.pinned().version())
    for scenario in default_scenarios():
        _get(client, "/alliances/us-rok/organs", as_of=2013, scenario=scenario)
    client.post(
        "/scenarios/evaluate",
        json={"scenario": _scenario(client, "rok-civil-society") | {"id": "x"}, "question": "organs", "as_of": 2013},
    )
    assert (store.health()["organs"], store.health()["edges"], store.pinned().version()) == before


BAD = """\
id: bad-one
title: A scenario with every kind of fault
alliance: us-rok
proposed_by: analyst
rationale: tested
remove_organs: [us-rok.nope]
add_edges:
  - source: us-rok.scm
    target: us-rok.zzz
    kind: authority
    mode: guidance
    note: an analyst's
  - source: us-rok.scm
    target: us-rok.mcm
    kind: advice
    mode: recommendation
    note: with a quote the paper never wrote
    sources: ["The SCM rules everything forever and ever"]
"""


def test_a_bad_scenario_file_gets_every_error_in_one_run(tmp_path: Path) -> None:
    """A removal of an unknown id, an edge to nothing, a quote not in the paper: each named with file,
    line and field, all in one run."""
    from app.api.deps import default_store

    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(SeedError) as info:
        read_scenario(path, default_store().dataset)
    problems = {p.field: p for p in info.value.problems}
    assert {
        "scenario.remove_organs[0]",
        "scenario.add_edges[0].target",
        "scenario.add_edges[1].sources[0].quote",
    } <= set(problems), [str(p) for p in info.value.problems]
    assert (
        problems["scenario.remove_organs[0]"].line == 6
        and "us-rok.nope" in problems["scenario.remove_organs[0]"].message
    )
    assert problems["scenario.add_edges[0].target"].line == 9
    assert all(p.file.endswith("bad.yaml") for p in info.value.problems)


def test_an_analysts_file_from_the_command_line_is_checked_and_applied_not_installed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            id: mine
            title: The SCM guides the ROK warfighter itself
            alliance: us-rok
            proposed_by: analyst
            rationale: a test of --scenario-file
            add_edges:
              - {source: us-rok.scm, target: us-rok.rok-warfighter, kind: authority, mode: guidance, note: mine}
            """
        ),
        encoding="utf-8",
    )
    assert main(["scenarios", "--file", str(path)]) == 0
    assert "is valid (it is not installed)" in capsys.readouterr().out
    argv = ["linkage", "--alliance", "us-rok", "--as-of", "2013", "--include-planned", "--scenario-file", str(path)]
    assert main([*argv, "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["linked"] is True and answer["scenario"]["proposed_by"] == "analyst"
    assert not (Path(__file__).resolve().parent.parent / "scenarios" / "mine.yaml").exists()
    path.write_text(BAD, encoding="utf-8")
    assert main([*argv[:-1], str(path)]) == 1
    assert "us-rok.nope" in capsys.readouterr().err


def test_the_chart_draws_what_a_scenario_removes_as_a_ghost(client: TestClient, store: Store) -> None:
    """An organ a scenario removes is drawn faint and marked where the data has it, without edges."""
    from app.scenarios import check_scenario_data

    shipped = dict(store.scenarios())
    analyst = {
        "id": "without-mcm",
        "title": "Without the MCM",
        "alliance": "us-rok",
        "proposed_by": "analyst",
        "rationale": "a chart test",
        "remove_organs": ["us-rok.mcm"],
    }
    store.set_scenarios({**shipped, "without-mcm": check_scenario_data(analyst, store)})
    try:
        r = client.get("/alliances/us-rok/diagram.svg", params={"as_of": 2009, "scenario": "without-mcm"})
    finally:
        store.set_scenarios(shipped)
    assert r.status_code == 200
    assert 'data-id="us-rok.mcm"' in r.text and " ghost" in r.text and "removed by the scenario" in r.text
    assert 'data-source="us-rok.mcm"' not in r.text and 'data-target="us-rok.mcm"' not in r.text


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "cypher", "csv"])
def test_every_shipped_scenario_exports_in_every_format(client: TestClient, fmt: str) -> None:
    """Contract §2: "every question endpoint, the chart and the export accept `scenario=ID`" and "never a
    500": an edge an analyst's scenario adds without a quote exports with an empty quote, not an error."""
    for scenario in client.get("/scenarios").json():
        r = client.get("/export", params={"alliance": scenario["alliance"], "scenario": scenario["id"], "format": fmt})
        assert r.status_code == 200, (scenario["id"], r.text[:200])
        if fmt == "csv":
            lines = r.text.splitlines()
            assert len(lines) > 1 and lines[0].startswith("id,"), lines[:2]
