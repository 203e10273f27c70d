"""The command line takes what the API takes (issue 28 item 6): every parameter of a question's route (and
of the export, the chart, the search and the indicators) is an option of its command, with help.

Derived, so it cannot drift: the API's parameters are read from the OpenAPI schema, the commands'
options from the CLI's parser; a question's route and command both come from the registry. Then what
the CLI gained beside it: ``diff --scenario --as-of`` and ``compare --columns`` answer as the API does.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli import build_parser, main
from app.main import app
from app.questions.registry import QUESTIONS

SCHEMA = app.openapi()
# A route beside the questions, and the command that mirrors it.
MIRRORS = {
    "/export": "export",
    "/alliances/{alliance_id}/diagram.svg": "diagram",
    "/organs": "organs",
    "/indicators": "indicators",
}
ROUTES = {f"/{q.name}": q.name for q in QUESTIONS.values() if q.route and q.command} | MIRRORS
# An API name the CLI spells otherwise: the path's alliance is --alliance.
SPELLED = {"alliance_id": "alliance"}


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


COMMANDS = _commands()


def _options(command: str) -> dict[str, argparse.Action]:
    """A command's options by every name a user may know them by: flags, and the dest for positionals."""
    names: dict[str, argparse.Action] = {}
    for action in COMMANDS[command]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        for flag in action.option_strings:
            names[flag.lstrip("-").replace("-", "_")] = action
        if not action.option_strings:
            names[action.dest] = action
    return names


def test_every_question_route_has_its_command() -> None:
    assert {path for path in ROUTES} <= set(SCHEMA["paths"])
    assert {"paths", "linkage", "centrality", "compare", "timeline", "diff"} <= set(ROUTES.values())


@pytest.mark.parametrize(("path", "command"), sorted(ROUTES.items()))
def test_every_api_parameter_is_an_option_with_help(path: str, command: str) -> None:
    options = _options(command)
    for parameter in SCHEMA["paths"][path]["get"].get("parameters", []):
        name = SPELLED.get(parameter["name"], parameter["name"])
        assert name in options, f"{path} takes {parameter['name']}; alliances {command} has no option for it"
        assert (options[name].help or "").strip(), f"alliances {command}: {name} has no help"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_option_has_help(command: str) -> None:
    """timeline, diff, export, paths --max-hops/--limit, compare --as-of ... and every other."""
    for action in COMMANDS[command]._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        assert (action.help or "").strip(), f"alliances {command} {'/'.join(action.option_strings) or action.dest}"


def _cli_json(argv: list[str]) -> Any:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*argv, "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_diff_of_a_scenario_in_a_year_as_the_api() -> None:
    """'the strong linkages of the SCM to the MCM and to the respective operational commanders must be
    maintained' (paper line 282), as the scenario rok-post-2012-linkage, against the data in 2013:
    it adds the SCM's guidance to the ROK warfighter; the CLI answers what GET /diff answers."""
    argv = [
        "diff",
        "--alliance",
        "us-rok",
        "--as-of",
        "2013",
        "--include-planned",
        "--scenario",
        "rok-post-2012-linkage",
    ]
    answer = _cli_json(argv)
    with TestClient(app) as client:
        api = client.get(
            "/diff",
            params={"alliance": "us-rok", "as_of": 2013, "include_planned": True, "scenario": "rok-post-2012-linkage"},
        ).json()
    assert answer == api
    assert "us-rok.scm:authority:guidance:us-rok.rok-warfighter" in {e["id"] for e in answer["edges_added"]}


def test_compare_columns_of_years_and_scenarios_as_the_api() -> None:
    """'In 1978 ... the current Combined Forces Command (CFC) was established and supplanted UNC as the
    "warfighter."' (paper line 243): the U.S.-ROK combined command is UNC in 1975, CFC in 1985; a third
    column lays the paper's recommendation over the 2012 plan."""
    columns = "us-rok@1975,us-rok@1985,us-rok@2013+planned~rok-post-2012-linkage"
    answer = _cli_json(["compare", "--columns", columns])
    with TestClient(app) as client:
        assert answer == client.get("/compare", params={"columns": columns}).json()
    rows = answer["rows"]
    assert [(r["as_of"], r["scenario"]) for r in rows] == [(1975, None), (1985, None), (2013, "rok-post-2012-linkage")]
    assert [r["combined_command"] for r in rows[:2]] == [["UNC"], ["CFC"]]
