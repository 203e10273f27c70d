"""The Python API for notebooks (``app.notebook``, ``app.frames``): every question as a DataFrame, sweeps,
answers that show themselves in Jupyter.

Promises checked: every question of the registry has a frame, and it is its CSV twin's table (the
same columns and rows as ``GET /NAME.csv``), so a new question has one for free; a sweep's frame puts
each combination before its answer's rows; an answer's HTML marks each chain's certainty; a chart is
SVG. And the paper's facts, each quoting its line.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from app.notebook import CERTAIN, POSSIBLE, Answer, ask, chart, sweep
from app.questions.registry import QUESTIONS
from app.store.base import Store

ROUTED = [q for q in QUESTIONS.values() if q.route]


def _params(example: dict[str, Any]) -> dict[str, Any]:
    """A descriptor's example as the API's query string takes it (lists as comma lists)."""
    return {k: ",".join(v) if isinstance(v, list) else v for k, v in example.items()}


@pytest.mark.parametrize("name", [q.name for q in ROUTED])
def test_every_questions_frame_is_its_csv_twin(name: str, embedded: Store, client: TestClient) -> None:
    question = QUESTIONS[name]
    answer = ask(name, on=embedded, **dict(question.example))
    frame = answer.to_frame()
    response = client.get(f"/{name}.csv", params=_params(dict(question.example)))
    assert response.status_code == 200, response.text
    csv = pd.read_csv(io.StringIO(response.text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(csv.columns)
    assert len(frame) == len(csv) > 0


def test_the_organs_question_has_a_frame_too(embedded: Store) -> None:
    """No route of its own (POST /scenarios/evaluate asks it), a frame all the same: CFC among the
    U.S.-ROK organs of 1985, certain ('In 1978 ... the current Combined Forces Command (CFC) was
    established', paper line 243), with the rule and quote that decided it."""
    frame = ask("organs", on=embedded, alliance="us-rok", as_of=1985).to_frame()
    cfc = frame.set_index("id").loc["us-rok.cfc"]
    assert cfc.existence == "certain" and cfc.existence_rule and cfc.existence_quote


def test_japan_not_linked_the_gap_stated(embedded: Store) -> None:
    """Paper line 196: 'the U.S.-Japan alliance has no “combined” structures; i.e., there is no
    mechanism by which to exercise any overarching military authority'."""
    answer = ask("linkage", on=embedded, alliance="us-japan", as_of=2009)
    assert answer["linked"] is False
    assert answer.to_frame()[["linked", "cause"]].to_dict("records") == [{"linked": False, "cause": "stated"}]
    assert "line 196" in (answer.words or "")
    assert "line 196" in answer._repr_html_()


def test_a_chain_shows_its_certainty_marks(embedded: Store) -> None:
    """NATO in 2009 (the paper's present tense): 'the very active and close linkage of the NAC to the MC
    and to the Strategic Commanders' (line 280), certain. The U.S.-ROK chain of 1985 is possible only:
    the SCM was founded 'to issue unified guidance to the military forces defending the country'
    (line 240), naming no recipient before 2009."""
    nato = ask("linkage", on=embedded, alliance="nato", as_of=2009)._repr_html_()
    assert "NAC -&gt; SACEUR" in nato and CERTAIN in nato and POSSIBLE not in nato
    rok = ask("linkage", on=embedded, alliance="us-rok", as_of=1985)
    html = rok._repr_html_()
    assert "SCM -&gt; Commander CFC" in html and POSSIBLE in html and CERTAIN not in html
    assert "rests_on" in html and "us-rok.scm:authority:guidance:us-rok.commander-cfc" in html


def test_sweep_frame_combination_first(embedded: Store) -> None:
    """'In 1978 ... CFC was established and supplanted UNC as the "warfighter."' (line 243)."""
    result = sweep("linkage", on=embedded, alliances=["us-rok", "us-japan"], years=[1975, 1985])
    frame = result.to_frame()
    assert list(frame.columns[:6]) == ["question", "alliance", "as_of", "condition", "existence", "scenario"]
    assert len(result) == 4
    rok = frame[frame.alliance == "us-rok"]
    assert set(rok[rok.as_of == 1975].to) == {"us-rok.commander-unc", "us-rok.unc"}
    assert set(rok[rok.as_of == 1985].to) == {"us-rok.commander-cfc", "us-rok.cfc"}
    japan = frame[frame.alliance == "us-japan"]
    assert len(japan) == 2 and not japan.linked.any()  # one row per combination when not linked
    assert "4 combinations" in result._repr_html_()


def test_a_scenario_is_shown_as_its_proposers(embedded: Store) -> None:
    """A scenario's words say whose proposal it is (never the paper's own claim)."""
    scenario = next(s for s in embedded.scenarios().values() if s.alliance == "us-rok")
    answer = ask("linkage", on=embedded, alliance="us-rok", as_of=2013, include_planned=True, scenario=scenario.id)
    assert answer["scenario"]["id"] == scenario.id
    assert answer["scenario"]["proposed_by"] == scenario.proposed_by


def test_chart_inline_as_svg(embedded: Store) -> None:
    svg = chart("us-rok", 1985, on=embedded, highlight=["SCM", "Commander CFC"])._repr_svg_()
    assert svg.startswith("<svg") and 'data-id="us-rok.cfc"' in svg and "highlight-hop" in svg


@pytest.mark.parametrize(
    ("question", "params", "parameter"),
    [
        ("linkage", {"alliance": "nato", "as_of": 1800}, "as_of"),
        ("paths", {"source": "nato.nac"}, "target"),
        ("centrality", {"alliance": "nato", "metric": "fame"}, "metric"),
    ],
)
def test_bad_parameters_named(embedded: Store, question: str, params: dict[str, Any], parameter: str) -> None:
    from app.errors import BadParameter

    with pytest.raises(BadParameter) as err:
        ask(question, on=embedded, **params)
    assert err.value.parameter == parameter


def test_answer_is_the_routes(embedded: Store, client: TestClient) -> None:
    answer = ask("paths", on=embedded, source="NAC", target="SACEUR", as_of=2009)
    assert isinstance(answer, Answer)
    response = client.get("/paths", params={"source": "NAC", "target": "SACEUR", "as_of": 2009})
    assert response.json() == answer.data


def test_readme_notebook_example_runs() -> None:
    """The README's 'Notebooks and DataFrames' block runs as written and says what the paper says:
    'the U.S.-Japan alliance has no “combined” structures' (line 196)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = text.split("### Notebooks and DataFrames", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert "line 196" in namespace["answer"].words
    frame = namespace["frame"]
    assert not frame[frame.alliance == "us-japan"].linked.any()
    assert 'data-id="us-rok.cfc"' in namespace["picture"].svg


@pytest.mark.parametrize(
    ("question", "params"),
    [
        ("linkage", {"alliance": "us-japan", "as_of": 2009}),
        ("linkage", {"alliance": "us-rok", "as_of": 1985}),
        ("paths", {"source": "NAC", "target": "SACEUR", "as_of": 2009}),
        ("timeline", {"alliance": "us-rok"}),
    ],
)
def test_every_quote_of_an_answer_is_the_papers_at_its_line(
    embedded: Store, question: str, params: dict[str, Any]
) -> None:
    """An answer's quotes as a frame (``Answer.quotes()``): each is verbatim in the paper, beginning on
    the line it names (the contract: 'each quote carries its line in the paper's text')."""
    from pathlib import Path

    paper = Path(__file__).resolve().parent.parent / "seeds" / "source" / "finnegan-2009.txt"
    lines = paper.read_text(encoding="utf-8").splitlines()
    quotes = ask(question, on=embedded, **params).quotes()
    assert len(quotes) > 0
    for row in quotes.itertuples():
        assert row.quote[:40] in lines[int(row.line) - 1], (row.about, row.line, row.quote)
    if question == "linkage" and params["alliance"] == "us-japan":
        assert 196 in set(quotes[quotes.about == "break"].line)
