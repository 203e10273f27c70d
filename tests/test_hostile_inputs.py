"""Hostile input: YAML that explodes, files too large, huge ids, HEAD, and every route of the schema.

The route tests are written over the app's own OpenAPI schema and route table, so a route added
later (scenarios, acronym lookup, ...) is under them without a change here; each runs on both
stores, and checks no 5xx, a JSON error for every 4xx, and the data unchanged.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.api.deps import set_store
from app.main import app, create_app
from app.problems import SeedError
from app.seeds import load_seeds
from app.store.base import Store
from app.store.embedded import EmbeddedStore
from tests.test_security import checksum

REPO = Path(__file__).resolve().parent.parent
PAPER = REPO / "seeds" / "source" / "finnegan-2009.txt"


def alias_bomb(depth: int = 9, width: int = 9) -> str:
    """``width`` aliases of ``width`` aliases ..., ``depth`` deep: width**depth nodes from a few hundred bytes."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, depth + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def merge_bomb(depth: int = 9, width: int = 9) -> str:
    """The same explosion through ``<<`` merge keys."""
    lines = ["m0: &m0 {" + ", ".join(f"k{j}: v" for j in range(width)) + "}"]
    for i in range(1, depth + 1):
        lines.append(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * width) + "]}")
    return "\n".join(lines) + "\n"


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    return seeds


def problems_of(seeds: Path) -> list[str]:
    with pytest.raises(SeedError) as err:
        load_seeds(seeds, PAPER)
    return [str(p) for p in err.value.problems]


# ------------------------------------------------------------------------------------------- YAML


def test_the_480_byte_alias_bomb_is_refused_with_file_and_line(seeds_copy: Path) -> None:
    bomb = alias_bomb()
    assert len(bomb.encode()) < 600
    (seeds_copy / "bomb.yaml").write_text(bomb, encoding="utf-8")
    problems = problems_of(seeds_copy)
    assert len(problems) == 1
    # The line and the key of the costliest alias: the last level, a9, repeats all the others.
    assert re.match(r".*bomb\.yaml:10: a9: refused YAML: YAML aliases expand this file to \d+ nodes", problems[0])
    assert "alias bomb" in problems[0]


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_a_merge_key_bomb_and_a_recursive_alias_are_refused(
    seeds_copy: Path, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.yaml_lines

    if parser == "python":  # the reader's fallback where PyYAML is built without libyaml
        monkeypatch.setattr(app.yaml_lines, "_LOADERS", [app.yaml_lines._LineLoader])
    else:
        assert app.yaml_lines._LOADERS[0] is not app.yaml_lines._LineLoader, "PyYAML without libyaml"
    (seeds_copy / "merge.yaml").write_text(merge_bomb(), encoding="utf-8")
    (seeds_copy / "loop.yaml").write_text("organs: &x\n  - *x\n", encoding="utf-8")
    (seeds_copy / "deep.yaml").write_text("organs: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    problems = problems_of(seeds_copy)
    assert any("merge.yaml:" in p and "alias bomb" in p for p in problems), problems
    assert any("loop.yaml:1:" in p and "refers to a node that contains it" in p for p in problems), problems
    deep = [p for p in problems if "deep.yaml" in p]
    assert len(deep) == 1 and ("nested too deeply" in deep[0] or "maximum nesting depth" in deep[0]), deep


def test_aliases_within_the_bound_still_load(seeds_copy: Path) -> None:
    """A modest alias (one organ's sources shared by another) is plain YAML, and stays allowed."""
    text = (seeds_copy / "nations.yaml").read_text(encoding="utf-8")
    assert "sources:" in text
    reused = text.replace("sources:", "sources: &shared", 1)
    (seeds_copy / "nations.yaml").write_text(reused, encoding="utf-8")
    assert load_seeds(seeds_copy, PAPER).organs


def test_a_repeated_key_in_a_mapping_shared_by_aliases_is_reported_once(seeds_copy: Path) -> None:
    (seeds_copy / "dup.yaml").write_text(
        "x: &m {a: 1, a: 2}\nedges: [*m, *m, *m, *m]\n",
        encoding="utf-8",
    )
    duplicates = [p for p in problems_of(seeds_copy) if "duplicate key" in p]
    assert len(duplicates) == 1 and "dup.yaml:1" in duplicates[0]


def test_an_item_that_is_a_list_is_named_in_words(seeds_copy: Path) -> None:
    (seeds_copy / "odd.yaml").write_text("organs:\n  - [a, b]\n", encoding="utf-8")
    problem = next(p for p in problems_of(seeds_copy) if "odd.yaml" in p)
    assert "must be a mapping (key: value lines), not a list" in problem
    assert "_Line" not in problem


@pytest.mark.parametrize("how", ["validate", "load", "start-up", "reload"])
def test_the_bomb_is_refused_everywhere_seeds_are_read(
    seeds_copy: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (seeds_copy / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    if how in ("validate", "load"):
        env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NEO4J_")}
        env["NEO4J_URI"] = "bolt://127.0.0.1:1"
        r = subprocess.run(
            [sys.executable, "-m", "app.cli", how, "--seeds", str(seeds_copy), "--paper", str(PAPER)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 1 and "bomb.yaml:" in r.stderr and "alias bomb" in r.stderr, r.stderr
        return
    monkeypatch.setenv("ALLIANCE_SEEDS_DIR", str(seeds_copy))
    monkeypatch.setenv("ALLIANCE_PAPER", str(PAPER))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    if how == "start-up":
        from app.api.deps import default_store
        from app.defaults import default_dataset

        set_store(None)
        default_store.cache_clear()
        default_dataset.cache_clear()
        try:
            with pytest.raises(RuntimeError, match="seeds are invalid"), TestClient(create_app()):
                pass
        finally:
            default_store.cache_clear()
            default_dataset.cache_clear()
            set_store(None)
        return
    store = EmbeddedStore(load_seeds(REPO / "seeds", PAPER))
    before = checksum(store)
    set_store(store)
    monkeypatch.setenv("ALLIANCE_API_KEY", "k3y-for-the-test")
    try:
        with TestClient(app) as c:
            r = c.post("/admin/reload", headers={"X-API-Key": "k3y-for-the-test"})
    finally:
        set_store(None)
    assert r.status_code == 422 and any("alias bomb" in p for p in r.json()["problems"])
    assert checksum(store) == before


def test_a_seed_file_over_the_size_cap_is_refused_unread(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_MAX_SEED_BYTES", "30000")
    big = seeds_copy / "us-japan.yaml"
    assert big.stat().st_size > 30000
    problems = problems_of(seeds_copy)
    assert [p for p in problems if "us-japan.yaml" in p] == [
        f"{big}: the seed file is {big.stat().st_size} bytes, over the limit of 30000 bytes (ALLIANCE_MAX_SEED_BYTES)"
    ]


def test_the_default_cap_leaves_room_for_the_seeds() -> None:
    from app.config import Settings

    largest = max(p.stat().st_size for p in (REPO / "seeds").glob("*.yaml"))
    assert Settings().alliance_max_seed_bytes >= 10 * largest


def test_read_yaml_is_the_reader_for_scenario_files_too(tmp_path: Path) -> None:
    """The shared reader takes its cap and the setting to name from its caller (scenario files)."""
    from app.yaml_lines import read_yaml

    scenario = tmp_path / "what-if.yaml"
    scenario.write_text(alias_bomb(), encoding="utf-8")
    with pytest.raises(SeedError, match=r"what-if\.yaml:\d+: scenario\.a\d: refused YAML"):
        read_yaml(scenario, 1_000_000, "scenario file", "ALLIANCE_MAX_SCENARIO_BYTES")
    scenario.write_text("name: x\n" * 1000, encoding="utf-8")
    with pytest.raises(SeedError, match=r"the scenario file is 8000 bytes, over .*ALLIANCE_MAX_SCENARIO_BYTES"):
        read_yaml(scenario, 1000, "scenario file", "ALLIANCE_MAX_SCENARIO_BYTES")


# An analyst's scenario file, into which each refused case is written.
SCENARIO = """\
id: what-if
title: The SCM guides the ROK warfighter itself
alliance: us-rok
proposed_by: analyst
rationale: >-
  A test of refused files: instead of guidance through the MCM,
  the SCM guides the ROK warfighter.
add_edges:
  - source: us-rok.scm
    target: us-rok.rok-warfighter
    kind: authority
    mode: guidance
    life:
      start: {not_before: {year: 2012, quote: "by agreement, CFC will be deactivated in 2012"}}
    note: the analyst's
"""
SCENARIO_LINES = SCENARIO.splitlines()
YEAR_LINE = next(i for i, line in enumerate(SCENARIO_LINES, 1) if "year: 2012" in line)  # add_edges[0]'s bound
KIND_LINE = next(i for i, line in enumerate(SCENARIO_LINES, 1) if "kind: authority" in line)  # add_edges[0].kind
RATIONALE_LINE = next(i for i, line in enumerate(SCENARIO_LINES, 1) if "instead of guidance" in line)


def _refused_scenarios() -> list[tuple[str, bytes, int | None, str]]:
    """(case, the file's bytes, the line its problem must name, the field), each case of issue 29 item 5."""
    bomb = "\n".join("  " + line for line in alias_bomb().splitlines())
    lines_before_bomb = len(SCENARIO_LINES) + 1
    deep = "[" * 2000 + "]" * 2000
    return [
        ("alias bomb", f"{SCENARIO}what_if:\n{bomb}\n".encode(), lines_before_bomb + 10, "scenario.what_if.a9"),
        (
            "bad UTF-8",
            SCENARIO.encode().replace(b"instead of guidance", b"instead of gu\xffidance"),
            RATIONALE_LINE,
            "scenario.rationale",
        ),
        (
            "malformed YAML",
            SCENARIO.replace("kind: authority", "kind: [authority", 1).encode(),
            KIND_LINE + 1,  # where the parser finds the list unclosed; the message names the line it opened on
            "scenario.add_edges[0].kind[0]",
        ),
        ("deep nesting", f"{SCENARIO}deep: {deep}\n".encode(), len(SCENARIO_LINES) + 1, "scenario.deep[0][0]"),
        (
            "a number too long to read",
            SCENARIO.replace("year: 2012", "year: " + "9" * 400_000, 1).encode(),
            YEAR_LINE,
            "scenario.add_edges[0].life.start.not_before.year",
        ),
        ("oversized", (SCENARIO + "#" + "x" * 1_000_000 + "\n").encode(), None, ""),
    ]


REFUSED_SCENARIOS = _refused_scenarios()


@pytest.mark.parametrize(("case", "content", "line", "field"), REFUSED_SCENARIOS, ids=[c[0] for c in REFUSED_SCENARIOS])
def test_a_refused_scenario_file_is_named_with_its_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, content: bytes, line: int | None, field: str
) -> None:
    """``--scenario-file``: every refusal names the scenario file, the line and the field it is about (a
    file refused unread for its size, the limit it passed), and never sends the analyst to the seeds."""
    from app.cli import main

    path = tmp_path / "what-if.yaml"
    path.write_bytes(content)
    assert main(["linkage", "--alliance", "us-rok", "--scenario-file", str(path)]) == 1
    err = capsys.readouterr().err
    problem, summary = err.strip().splitlines()
    assert "seeds" not in err and "alliances validate" not in err, err
    assert summary == f"alliances: the scenario file {path} is invalid (1 problem(s), each on a line above)"
    if line is None:
        assert problem.startswith(f"{path}: the scenario file is ") and "ALLIANCE_MAX_SCENARIO_BYTES" in problem
    else:
        assert problem.startswith(f"{path}:{line}: {field}"), (case, problem)
    if case == "malformed YAML":
        assert f"(begun on line {KIND_LINE})" in problem


def test_a_million_digit_integer_in_a_seed_is_named_with_file_line_and_field(seeds_copy: Path) -> None:
    """Issue 29: it stopped validation with "ValueError: Exceeds the limit (4300 digits)" and no place."""
    extra = seeds_copy / "zz-extra.yaml"
    extra.write_text("organs:\n  - id: nato.extra\n    established: " + "1" * 1_000_000 + "\n", encoding="utf-8")
    problems = problems_of(seeds_copy)
    assert [p for p in problems if "zz-extra.yaml" in p] == [
        f"{extra}:3: organs[0].established: refused YAML: a number of 1000000 digits, longer than any value here"
        " can be (at most 4300)"
    ]


# ------------------------------------------------------------------------------------------- routes


def _flat(routes: list[Any]) -> Iterator[Any]:
    """The app's routes, those of included routers too (FastAPI keeps an included router whole)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _flat(inner.routes)
        else:
            yield route


POST_ONLY = {"/admin/reload", "/scenarios/evaluate"}  # a GET route of its own there only answers 405


def get_routes() -> list[str]:
    """Every GET route of the app, in the schema or not (the page, its assets)."""
    paths = {
        route.path
        for route in _flat(app.routes)
        if "GET" in (getattr(route, "methods", None) or set())
        and not route.path.startswith(("/docs", "/redoc"))
        and route.path not in POST_ONLY
    }
    assert {"/", "/health", "/organs/{organ_id}"} <= paths
    return sorted(paths)


PATH_VALUES = {"alliance_id": "nato", "organ_id": "nato.nac", "name": "app.js"}


def fill(path: str, values: dict[str, str] = PATH_VALUES) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "x"), path)


@pytest.mark.parametrize("path", get_routes())
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    url = fill(path)
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code != 405, url
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.headers.get("content-length") == got.headers.get("content-length")
    assert head.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", sorted(POST_ONLY))
def test_post_only_routes_still_refuse_head(client: TestClient, path: str) -> None:
    assert (client.head(path).status_code, client.head(path).headers.get("allow")) == (405, "POST")


@pytest.mark.parametrize("path", [p for p in get_routes() if "{" in p])
def test_a_60_kb_path_id_is_refused_without_being_echoed(client: TestClient, path: str) -> None:
    huge = "n" * 60_000  # httpx refuses URLs over 64 KB; the server caps a request head at 16 KB anyway
    for name in re.findall(r"\{(\w+)", path):
        r = client.get(fill(path, {**PATH_VALUES, name: huge}))
        assert r.status_code in (404, 422, 431), (path, name)
        assert len(r.content) < 2_000 and huge[:300] not in r.text, (path, name, len(r.content))
        assert "error" in r.json()


def test_long_ids_within_the_cap_are_echoed_cut(client: TestClient) -> None:
    r = client.get("/organs/" + "o" * 190)
    assert r.status_code == 404 and len(r.json()["id"]) <= 101 and r.json()["id"].endswith("…")


def test_repeated_highlight_ids_are_refused(client: TestClient) -> None:
    r = client.get("/alliances/nato/diagram.svg", params={"highlight": ",".join(["nato.nac", "nato.mc"] * 50)})
    assert r.status_code == 422 and r.json()["parameter"] == "highlight"


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = app.openapi()
    return schema


def _query_params(operation: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def _string_schema(param: dict[str, Any]) -> dict[str, Any] | None:
    """The string schema of a parameter (first string branch of an anyOf), or None."""
    schema = param.get("schema", {})
    for branch in [schema, *schema.get("anyOf", [])]:
        if branch.get("type") == "string":
            return dict(branch)
    return None


def test_the_diagram_declares_its_lists_as_accepted() -> None:
    """kinds, highlight_kinds, levels and natures are declared as the server reads them: lists of
    the closed value sets (arrays of enums), so a schema-valid value is never refused."""
    schema = _schema()
    op = schema["paths"]["/alliances/{alliance_id}/diagram.svg"]["get"]
    declared = {p["name"]: p.get("schema", {}) for p in _query_params(op)}
    for name in ("kinds", "highlight_kinds", "levels", "natures"):
        branches = [declared[name], *declared[name].get("anyOf", [])]
        arrays = [b for b in branches if b.get("type") == "array"]
        assert arrays, name
        items = arrays[0]["items"]
        if "$ref" in items:
            items = schema["components"]["schemas"][items["$ref"].rsplit("/", 1)[1]]
        assert items.get("enum"), name


@pytest.mark.parametrize(
    ("parameter", "good"),
    [
        ("kinds", "authority, advice"),
        ("highlight_kinds", "coordination"),
        ("levels", "political"),
        ("natures", "military"),
    ],
)
def test_diagram_lists_accept_what_the_schema_says_and_name_themselves(
    client: TestClient, parameter: str, good: str
) -> None:
    params = {parameter: good}
    if parameter == "highlight_kinds":
        params["highlight"] = "linkage"
    assert client.get("/alliances/nato/diagram.svg", params=params).status_code == 200
    bad = client.get("/alliances/nato/diagram.svg", params={**params, parameter: "foo"})
    assert bad.status_code == 422 and bad.json()["parameter"] == parameter


# Values a hostile or careless client sends; each route must answer them with a clear 4xx or an answer.
HOSTILE = [
    "nato.nac' OR 1=1 //",
    "x}) MATCH (n) DETACH DELETE n //",
    "<script>alert(1)</script>",
    "\u202enato\x00",
    "../../../../etc/passwd",
    "a" * 5000,
    "",
    " , ,",
]
NUMBERS = ["-1", "1e309", "9" * 40, "NaN", "0x10", "true"]
VALID = {
    "alliance": "nato",
    "alliance_id": "nato",
    "organ_id": "nato.nac",
    "source": "nato.nac",
    "target": "nato.saceur",
    "from": "1990",
    "to": "2009",
    "name": "app.js",
}


def _operations(method: str) -> list[tuple[str, dict[str, Any]]]:
    ops = []
    for path, item in sorted(_schema()["paths"].items()):
        if method in item and path != "/admin/reload":
            ops.append((path, item[method]))
    return ops


class Tally:
    """Figures of a run: requests sent, 5xx seen, slowest answer."""

    def __init__(self) -> None:
        self.sent = 0
        self.server_errors: list[str] = []

    def check(self, what: str, r: Any) -> None:
        self.sent += 1
        if r.status_code >= 500 and r.status_code != 503:
            self.server_errors.append(f"{what}: {r.status_code} {r.text[:200]}")
        elif r.status_code >= 400:
            assert "error" in r.json(), what


@pytest.fixture()
def tally(store: Store) -> Iterator[Tally]:
    t = Tally()
    before = checksum(store)
    yield t
    print(f"\n{store.backend}: {t.sent} hostile requests, {len(t.server_errors)} 5xx, data unchanged")
    assert checksum(store) == before, "data changed"


@pytest.mark.parametrize(("path", "operation"), _operations("get"), ids=[p for p, _ in _operations("get")])
def test_hostile_values_in_every_parameter_of_every_get_route(
    client: TestClient, tally: Tally, path: str, operation: dict[str, Any]
) -> None:
    params = [p for p in operation.get("parameters", []) if p["in"] in ("query", "path")]
    base = {p["name"]: VALID.get(p["name"], "x") for p in params if p.get("required") or p["in"] == "path"}
    for param in params:
        for value in [*HOSTILE, *NUMBERS]:
            values = {**base, param["name"]: value}
            url = fill(path, {k: quote(v, safe="") or "%20" for k, v in values.items()})
            query = {k: v for k, v in values.items() if "{" + k + "}" not in path}
            r = client.get(url, params=query)
            tally.check(f"GET {url[:80]} {param['name']}={value[:20]!r}", r)
    assert tally.server_errors == []


HOSTILE_BODIES: list[Any] = [
    None,
    "not json",
    [],
    {},
    {"a": "b" * 100_000},
    json.loads("[" * 500 + "]" * 500),
    {"scenario": {"exclude": ["nato.nac"] * 1000}},
    {"id": "nato.nac' OR 1=1 //", "organs": [{"id": "<script>"}]},
]


def test_hostile_bodies_on_every_other_route(client: TestClient, tally: Tally) -> None:
    """Every route taking a body (POST/PUT/PATCH) but the key-guarded reload: garbage, huge and deep
    bodies get a clear 4xx, never a 5xx."""
    for method in ("post", "put", "patch"):
        for path, _operation in _operations(method):
            url = fill(path, VALID)
            for body in HOSTILE_BODIES:
                if isinstance(body, str):
                    r = client.request(method.upper(), url, content=body, headers={"content-type": "application/json"})
                else:
                    r = client.request(method.upper(), url, json=body)
                tally.check(f"{method.upper()} {url} {str(body)[:30]}", r)
    assert tally.server_errors == []
