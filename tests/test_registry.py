"""One descriptor per question, one snapshot query (issue 23): every shell serves every question alike.

The promises checked: each question of the registry is a REST route with its CSV twin, a command,
and (where declared) a question of ``POST /scenarios/evaluate``, and says the same thing in each;
every parameter of the snapshot query is taken by every question's route, command and evaluate body
(less what the question declares it does not take) and is part of the answer cache's key; the
README lists every question and command.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.answers import AnswerCache, query_key
from app.cli import build_parser, main
from app.errors import BadParameter, UnknownId
from app.main import app
from app.query import SnapshotQuery, checked, cli_of
from app.questions.evaluate import EVALUATED, REQUEST
from app.questions.registry import QUESTIONS
from app.store.base import Store

SCHEMA = app.openapi()
ROUTED = [q for q in QUESTIONS.values() if q.route]
COMMANDS = [q for q in QUESTIONS.values() if q.command]
README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _parameters(path: str) -> set[str]:
    return {p["name"] for p in SCHEMA["paths"][path]["get"].get("parameters", [])}


def _argv(example: dict[str, Any], name: str) -> list[str]:
    """A question's example as command-line arguments (positional ones first, as declared)."""
    question = QUESTIONS[name]
    positional = [p.name for p in question.params if cli_of(p.field).positional]
    argv = [str(example[p]) for p in positional]
    for key, value in example.items():
        if key in positional:
            continue
        argv += [f"--{key.replace('_', '-')}", ",".join(value) if isinstance(value, list) else str(value)]
    return argv


def _cli_json(argv: list[str]) -> Any:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0, argv
    return json.loads(out.getvalue())


@pytest.mark.parametrize("question", ROUTED, ids=[q.name for q in ROUTED])
def test_every_question_is_a_route_with_its_csv_twin_and_model(question: Any) -> None:
    path = f"/{question.name}"
    assert {path, f"{path}.csv"} <= set(SCHEMA["paths"])
    ok = SCHEMA["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": f"#/components/schemas/{question.model.__name__}"}
    assert SCHEMA["paths"][path]["get"]["summary"] == question.summary


@pytest.mark.parametrize("question", ROUTED, ids=[q.name for q in ROUTED])
def test_every_snapshot_parameter_reaches_every_question(question: Any) -> None:
    """The snapshot query's fields are the route's parameters (less those it declares it does not
    take), its command's options and the evaluate body's fields: a field added to SnapshotQuery is
    asked everywhere at once."""
    taken = set(question.snapshot_parameters())
    assert taken <= _parameters(f"/{question.name}")
    assert taken <= _parameters(f"/{question.name}.csv")
    assert not (set(SnapshotQuery.model_fields) - taken) & _parameters(f"/{question.name}")
    options = {a.dest for a in _subparser(question.name)._actions}
    assert taken <= options
    assert set(SnapshotQuery.model_fields) - {"scenario"} <= set(REQUEST.model_fields)


def _subparser(name: str) -> Any:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sub.choices[name]


def test_the_answer_cache_keys_on_every_parameter_of_every_question() -> None:
    """The cache replays an answer only for the same path and query: every parameter is in its key,
    whatever its name, and every question's route and twin is cached (app.api.answers)."""
    url = "&".join(f"{name}=x" for name in SnapshotQuery.model_fields)
    assert [k for k, _ in query_key(url.encode())] == sorted(SnapshotQuery.model_fields)
    (cache,) = [m for m in app.user_middleware if m.cls is AnswerCache]
    for question in ROUTED:
        assert {f"/{question.name}", f"/{question.name}.csv"} <= set(cache.kwargs["paths"])


def test_the_readme_lists_every_question_and_command() -> None:
    for question in ROUTED:
        assert f"`GET /{question.name}?" in README and question.readme in README
    for question in COMMANDS:
        assert f"| `alliances {question.name}" in README
    assert "`POST /scenarios/evaluate`" in README and all(f"`{name}`" in README for name in EVALUATED)


# ------------------------------------------------------------------ the same answer from every shell


def test_rest_and_cli_give_the_same_answer_to_each_question(client: TestClient) -> None:
    """Each question asked with its descriptor's example: the route's JSON and the command's
    ``--format json`` are the same answer, and the CSV twin has the rows of ``format=csv``."""
    for question in ROUTED:
        example = dict(question.example)
        rest = client.get(f"/{question.name}", params=example)
        assert rest.status_code == 200, (question.name, rest.text[:300])
        if question.command:
            argv = [question.name, *_argv(example, question.name), "--format", "json"]
            assert _cli_json(argv) == rest.json(), question.name
        twin = client.get(f"/{question.name}.csv", params=example)
        assert twin.text == client.get(f"/{question.name}", params={**example, "format": "csv"}).text


def test_linkage_by_evaluate_of_another_alliance_s_scenario_is_the_route_s_answer(client: TestClient) -> None:
    """'on another alliance's question it changes nothing' (CONTRACT.md §1, Scenarios): the U.S.-ROK
    recommendation sent to evaluate, asked of NATO in 2009, gives the route's chains (NAC -> SACEUR:
    'the very active and close linkage of the NAC to the MC and to the Strategic Commanders')."""
    scenario = client.get("/scenarios/rok-post-2012-linkage").json()
    body = {"scenario": {**scenario, "id": "sent"}, "question": "linkage", "alliance": "nato", "as_of": 2009}
    sent = client.post("/scenarios/evaluate", json=body).json()
    routed = client.get("/linkage", params={"alliance": "nato", "as_of": 2009}).json()
    assert sent["witnesses"] == routed["witnesses"] and sent["linked"] is routed["linked"] is True
    assert [o["id"] for o in routed["witnesses"][0]["organs"]] == ["nato.nac", "nato.saceur"]


def test_evaluate_asks_for_what_a_question_needs(client: TestClient) -> None:
    scenario = client.get("/scenarios/rok-post-2012-linkage").json()
    r = client.post("/scenarios/evaluate", json={"scenario": {**scenario, "id": "sent"}, "question": "paths"})
    assert r.status_code == 422
    assert r.json() == {"error": "source: paths needs source and target", "parameter": "source"}


# ------------------------------------------------------------------ the snapshot query


def test_the_snapshot_query_resolves_names_as_the_paper_writes_them(store: Store) -> None:
    """'Allied Command Operations (ACO), led by the Supreme Allied Commander Europe (SACEUR)': NATO
    and ACO named by alias and acronym resolve to their ids."""
    params = SnapshotQuery(alliance="NATO", as_of=2009, condition="peacetime", exclude=["ACO"]).params(store)
    assert (params.alliance, params.as_of, params.condition, params.exclude) == (
        "nato",
        2009,
        "armistice",
        frozenset({"nato.aco"}),
    )


def test_the_snapshot_query_refuses_what_it_cannot_resolve(store: Store) -> None:
    with pytest.raises(UnknownId) as unknown:
        SnapshotQuery(alliance="natoo").params(store)
    assert unknown.value.status == 404 and "natoo" in unknown.value.message
    with pytest.raises(UnknownId) as scenario:
        SnapshotQuery(scenario="nope").params(store)
    assert "nope" in scenario.value.message
    with pytest.raises(BadParameter) as bad:
        checked(SnapshotQuery, {"condition": "siege"})
    assert bad.value.status == 422 and bad.value.message.startswith("condition: 'siege' is not accepted")


def test_the_declared_column_pattern_is_what_compare_accepts() -> None:
    """The schema's pattern for an item of /compare's ``columns`` takes the documented syntax (a comma
    list of columns too), and refuses what the question refuses (a year outside 1900-2100, a scenario
    id in capitals, columns not between commas, no column at all)."""
    import re

    from app.questions.compare import COLUMN_PATTERN, COLUMN_SYNTAX

    example = COLUMN_SYNTAX.split("e.g. ", 1)[1]
    for good in (example, "nato@2009", " us-rok@2013+planned ", "NATO", "nato@2009, us-rok+planned,"):
        assert re.match(COLUMN_PATTERN, good), good
    for bad in ("nato@1800", "nato~ROK-PLAN", "@2009", "nato+planned+planned", "nato@2009 us-rok", "nato,@2009"):
        assert not re.match(COLUMN_PATTERN, bad), bad
    for bad in ("", " , "):  # no column at all
        assert not re.match(COLUMN_PATTERN, bad), bad
