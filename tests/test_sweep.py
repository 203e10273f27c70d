"""The sweep (``app.sweep.sweep``): one question over alliances, years, conditions, existence and scenarios.

Promises checked: a row's answer is the answer the REST route gives for the same parameters (it
asks through the registry as the route does); one row per combination, in axis order, each naming
its combination; an axis the question does not take, or a parameter the API refuses, is refused
naming it. Facts of the paper checked through the sweep, each quoting its line.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.errors import BadParameter, UnknownId
from app.store.base import Store
from app.sweep import sweep


def _commanders(answer: dict[str, Any]) -> set[str]:
    """The operational commanders the answer's chains reach."""
    return {w["organs"][-1]["id"] for w in answer["witnesses"]}


def test_a_row_is_the_routes_answer(store: Store, client: TestClient) -> None:
    """Every combination answers what GET /linkage answers for the same parameters, on both stores."""
    rows = sweep(
        store,
        "linkage",
        alliances=["us-rok", "us-japan"],
        years=[1975, 2009],
        conditions=[None, "wartime"],
        existences=["possible", "certain"],
        kinds=["authority", "coordination"],
    )
    assert len(rows) == 2 * 2 * 2 * 2
    for row in rows:
        params: dict[str, Any] = {"alliance": row["alliance"], "as_of": row["as_of"], "existence": row["existence"]}
        if row["condition"] is not None:
            params["condition"] = row["condition"]
        params["kinds"] = "authority,coordination"
        response = client.get("/linkage", params=params)
        assert response.status_code == 200, response.text
        assert json.loads(json.dumps(row["answer"])) == response.json(), row


def test_rows_in_axis_order_each_naming_its_combination(embedded: Store) -> None:
    rows = sweep(embedded, "centrality", alliances=["nato", "us-rok"], years=[1990, 2009], metric="degree")
    assert [(r["alliance"], r["as_of"]) for r in rows] == [
        ("nato", 1990),
        ("nato", 2009),
        ("us-rok", 1990),
        ("us-rok", 2009),
    ]
    assert {r["question"] for r in rows} == {"centrality"}
    assert all(r["answer"]["metric"] == "degree" for r in rows)
    assert all(r["answer"]["as_of"] == r["as_of"] for r in rows)


def test_unc_then_cfc_the_warfighter(embedded: Store) -> None:
    """Paper line 243: 'In 1978 ... the current Combined Forces Command (CFC) was established and
    supplanted UNC as the "warfighter."' A sweep over the years reaches the Commander UNC before
    1978 and the Commander CFC after."""
    rows = sweep(embedded, "linkage", alliances="us-rok", years=range(1970, 1990, 5))
    reached = {r["as_of"]: _commanders(r["answer"]) for r in rows}
    assert all("us-rok.commander-unc" in reached[y] and "us-rok.commander-cfc" not in reached[y] for y in (1970, 1975))
    assert all("us-rok.commander-cfc" in reached[y] and "us-rok.commander-unc" not in reached[y] for y in (1980, 1985))


def test_japan_not_linked_by_authority_in_any_year(embedded: Store) -> None:
    """Paper line 196: 'the U.S.-Japan alliance has no “combined” structures; i.e., there is no
    mechanism by which to exercise any overarching military authority'. By authority, no year from
    the 1960 treaty to 2009 links the SCC to the forces, and the paper states the gap."""
    rows = sweep(embedded, "linkage", alliances="us-japan", years=range(1960, 2010, 7))
    assert rows and not any(r["answer"]["linked"] for r in rows)
    assert rows[-1]["answer"]["break"]["stated"] is True


def test_scenarios_axis(embedded: Store) -> None:
    """The CFC-goes plan: 'by agreement, CFC will be deactivated in 2012' (paper line 257). Excluding CFC
    in 2009 is asked with the data and with each scenario; each row's answer names its scenario."""
    scenarios = [None, *sorted(s for s, sc in embedded.scenarios().items() if sc.alliance == "us-rok")]
    assert len(scenarios) > 1
    rows = sweep(embedded, "linkage", alliances="us-rok", years=2009, scenarios=scenarios, exclude=["us-rok.cfc"])
    assert [r["scenario"] for r in rows] == scenarios
    for row in rows:
        assert row["answer"]["exclude"] == ["us-rok.cfc"]
        assert (row["answer"]["scenario"] or {}).get("id") == row["scenario"]


def test_compare_takes_the_alliances_whole(embedded: Store) -> None:
    """Compare takes no alliance of a snapshot: the sweep's alliances are its columns, one row per year."""
    rows = sweep(embedded, "compare", alliances=["nato", "us-rok"], years=[1990, 2009])
    assert [r["as_of"] for r in rows] == [1990, 2009]
    assert all([c["alliance"] for c in r["answer"]["rows"]] == ["nato", "us-rok"] for r in rows)


@pytest.mark.parametrize(
    ("question", "axes", "parameter"),
    [
        ("timeline", {"alliances": "nato", "years": [2000]}, "as_of"),
        ("linkage", {"alliances": "nato", "years": [1800]}, "as_of"),
        ("linkage", {"alliances": "nato", "years": [2000], "conditions": ["sometimes"]}, "condition"),
        ("linkage", {"alliances": "nato", "years": [2000], "metric": "degree"}, "metric"),
        ("centrality", {"alliances": "nato", "years": [2000], "metric": "fame"}, "metric"),
        ("nonsense", {"alliances": "nato", "years": [2000]}, "question"),
    ],
)
def test_refused_naming_the_parameter(embedded: Store, question: str, axes: dict[str, Any], parameter: str) -> None:
    with pytest.raises(BadParameter) as err:
        sweep(embedded, question, **axes)
    assert err.value.parameter == parameter


def test_unknown_alliance_names_it(embedded: Store) -> None:
    with pytest.raises(UnknownId, match="atlantis"):
        sweep(embedded, "linkage", alliances=["nato", "atlantis"], years=[2000])


def test_sources_axis() -> None:
    """Sources side by side (CONTRACT.md §2 Sources): the paper's present tense attests 2009; the invented
    tour note (examples/sources/tour-note, an analyst's) attests 2015, so NAC -> SACEUR is certain in 2012
    with both counted and possible with the paper alone. Each row names the selection it counted."""
    from pathlib import Path

    from app.notebook import store

    with_note = store(sources_dir=Path(__file__).resolve().parent.parent / "examples" / "sources")
    rows = sweep(
        with_note, "linkage", alliances="nato", years=2012, sources=["finnegan-2009", "finnegan-2009,tour-note"]
    )
    assert [r["sources"] for r in rows] == [["finnegan-2009"], ["finnegan-2009", "tour-note"]]
    assert [r["answer"]["counted_sources"] for r in rows] == [["finnegan-2009"], ["finnegan-2009", "tour-note"]]
    assert [r["answer"]["certain"] for r in rows] == [False, True]
