"""The README's endpoint list and command list, generated from the app and the CLI themselves.

Each route of the OpenAPI schema is a row of the endpoint table, its query parameters read from the
schema; a question's words come from its descriptor (``app.questions.registry``), every other
route's from ``ROUTE_WORDS`` below (a route without words stops the generation, naming it). Each
command of ``alliances`` is a row of the command table, its help and options read from the parser.
``scripts/readme_tour.py`` writes both between their markers (and ``--check`` finds them stale).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import build_parser
from app.main import app
from app.questions.evaluate import EVALUATED
from app.questions.registry import QUESTIONS

WRITTEN = "(written by python scripts/readme_tour.py; do not edit)"
ENDPOINTS = (f"<!-- endpoints:start {WRITTEN} -->", "<!-- endpoints:end -->")
COMMANDS = (f"<!-- commands:start {WRITTEN} -->", "<!-- commands:end -->")

# The words of every route that is not a question, by method and path.
ROUTE_WORDS = {
    ("GET", "/health"): "backend in use, its state, organ and edge counts",
    ("GET", "/alliances"): "the roster: treaty years, standing structure or not, membership, and the paper's "
    "indicators",
    ("GET", "/alliances/{alliance_id}"): "one alliance of the roster, with its treaty `codings` (ATOP 5.1: each "
    "phase's values with their meaning and locator) and `members_by_year` from each source (`as_of`: the paper's "
    "count beside ATOP's list, `disputed` where they differ); `sources=finnegan-2009` leaves the codings out and "
    "says so",
    ("GET", "/alliances/{alliance_id}/organs"): "an alliance's organs in a year (its own, plus national organs one "
    "edge away)",
    ("GET", "/organs"): "search by acronym, name or alias (case-insensitive)",
    ("GET", "/organs/{organ_id}"): "one organ, its edges in and out, its quotes",
    ("GET", "/edge-kinds"): "the table of edge kinds: direction, meaning, how the chart and the Neo4j Browser draw "
    "each (the page's checkboxes)",
    ("GET", "/indicators"): "the paper's benchmarks beyond structure (travellers, trade, students, jobs, members, …), "
    "each with its qualifier, year, scope and quote",
    ("GET", "/export"): "`json` (a node-link document: `networkx.node_link_graph(d)`), `graphml` (networkx, igraph, "
    "rustworkx, JGraphT), `gexf` 1.3 (Gephi, with its timeline to the API's horizon), `cypher` (by default builds "
    "what `alliances load` builds, plans included; `cypher-shell -f`), `csv` (one row per organ and per edge, every "
    "field)",
    ("GET", "/sources"): "the sources the data rests on (the paper, datasets, analysts' own), each with the counts of "
    "what it claims; `sources=ID,ID` on every question picks which count",
    ("GET", "/sources/{source_id}"): "one source: its record and the organs and edges it claims",
    ("GET", "/scenarios"): "the scenarios: the paper's recommendations and analysts' own what-ifs (`scenarios/*.yaml`)",
    ("GET", "/scenarios/{scenario_id}"): "one scenario, whole: what it adds, removes and changes",
    ("POST", "/scenarios/evaluate"): "a question ("
    + ", ".join(f"`{name}`" for name in EVALUATED)
    + ") of a scenario sent whole as JSON (the typed `Scenario` of the schema; read as the schema says, `0` is no"
    " boolean), with the question's parameters; nothing is stored",
    ("POST", "/admin/reload"): "reload the seeds and `ALLIANCE_SOURCES_DIR`'s source folders (only with "
    "`ALLIANCE_API_KEY` set; see SECURITY.md)",
    ("GET", "/alliances/{alliance_id}/diagram.svg"): "the organisation chart, with a path or the linkage drawn over it",
    ("GET", "/neo4j/style.grass"): "the Neo4j Browser style",
    ("GET", "/neo4j/guide.html"): "the Neo4j Browser guide",
    ("GET", "/"): "the explorer page",
    ("GET", "/web/{name}"): "the explorer page's script and style sheet",
}


def _twin(path: str, paths: set[str]) -> bool:
    """A CSV or export-format twin of another route (``/paths.csv``, ``/export.gexf``)."""
    base, dot, _ = path.rpartition(".")
    return bool(dot) and base in paths and not path.endswith(".svg")


def endpoint_rows() -> list[tuple[str, str]]:
    """(the route with its query parameters, its words) for every operation of the schema."""
    schema = app.openapi()
    paths = set(schema["paths"])
    rows = []
    for path, item in schema["paths"].items():
        if _twin(path, paths):
            continue
        for method, op in item.items():
            names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query" and p["name"] != "format"]
            names.sort(key=lambda name: name != "alliance")  # the alliance first, as it is asked
            question = QUESTIONS.get(path.lstrip("/"))
            if question is not None and question.route and method == "get":
                words = question.readme
            else:
                found = ROUTE_WORDS.get((method.upper(), path))
                if found is None:
                    raise SystemExit(f"no README words for {method.upper()} {path}: add them to ROUTE_WORDS")
                words = found
            twins = sorted(p for p in paths if _twin(p, paths) and p.rpartition(".")[0] == path)
            if twins and method == "get":
                words += "; also " + ", ".join(f"`{t}`" for t in twins)
            query = "?" + "&".join(names) if names else ""
            rows.append((f"`{method.upper()} {path}{query}`", words))
    return rows


def render_endpoints() -> str:
    lines = [ENDPOINTS[0], "", "| endpoint | answers |", "|---|---|"]
    lines += [f"| {route} | {words} |" for route, words in endpoint_rows()]
    return "\n".join([*lines, "", ENDPOINTS[1]])


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, list[str], argparse.ArgumentParser, str]]:
    """(name, aliases, parser, help) of every command, in the order they are declared."""
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {c.dest: c.help or "" for c in sub._choices_actions}
    seen: dict[int, Any] = {}
    for name, command in sub.choices.items():
        if id(command) in seen:
            seen[id(command)][1].append(name)
        else:
            seen[id(command)] = (name, [], command, helps.get(name, ""))
    return list(seen.values())


def _usage(name: str, command: argparse.ArgumentParser) -> tuple[str, str]:
    """``paths SOURCE TARGET`` and its options (``--kinds``, ...; ``-h`` left out), long forms."""
    actions = [a for a in command._actions if a.dest != "help"]
    positional = [a.dest.upper() for a in actions if not a.option_strings]
    flags = [max(a.option_strings, key=len) for a in actions if a.option_strings]
    return " ".join([name, *positional]), " ".join(f"`{f}`" for f in flags)


def render_commands() -> str:
    lines = [COMMANDS[0], "", "| command | does | options |", "|---|---|---|"]
    for name, aliases, command, text in _commands(build_parser()):
        usage, options = _usage(name, command)
        also = " (or " + ", ".join(f"`{a}`" for a in aliases) + ")" if aliases else ""
        lines.append(f"| `alliances {usage}`{also} | {text} | {options} |")
    return "\n".join([*lines, "", COMMANDS[1]])


def rewritten(text: str) -> str:
    """``text`` (the README) with both lists written anew between their markers."""
    for (start, end), render in ((ENDPOINTS, render_endpoints), (COMMANDS, render_commands)):
        head, found, rest = text.partition(start)
        if not found:
            raise SystemExit(f"README.md has no {start}")
        _, _, tail = rest.partition(end)
        text = head + render() + tail
    return text
