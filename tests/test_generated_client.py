"""A client generated from the app's OpenAPI schema reads every answer whole, typed.

openapi-python-client (the dev extra) generates a package from ``/openapi.json`` of a live uvicorn
into a temporary folder, with the project's generator settings (``docs/openapi-python-client.yaml``);
the test imports it and calls every operation the schema has, each in the one media type it declares
first (a generated client reads no other: a route's CSV is its ``.csv`` twin). A JSON answer must
come back as the declared model (a list of them for a list), holding every field the server sent;
text answers as ``str``; XML and SVG as bytes. Errors come back as the ``ErrorBody`` model.
Without the generator the test fails, saying what to install.
"""

from __future__ import annotations

import builtins
import importlib
import json
import keyword
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from app.questions.registry import QUESTIONS
from tests.live_server import ROOT, live_server

CONFIG = ROOT / "docs" / "openapi-python-client.yaml"
PACKAGE = "alliance_explorer_client"
API_KEY = "generated-client-test-key"
BIN = Path(sys.executable).parent

# Arguments for the operations that need some (required parameters, or a reason to pick values),
# given the generated models (for the enums); every other operation is called with none. The
# python names are the generator's (``from_``, ``format_``). A question's come from its descriptor's
# example (``app.questions.registry``), converted to the client's types by ``_example``.
ARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "get_alliance": lambda m: {"alliance_id": "us-rok"},
    "alliance_organs": lambda m: {"alliance_id": "us-rok", "as_of": 1985, "condition": m.QueryCondition.PEACETIME},
    "search_organs": lambda m: {"q": "command", "nature": m.Nature.MILITARY},
    "get_organ": lambda m: {"organ_id": "us-rok.cfc"},
    "get_export": lambda m: {"alliance": "us-rok", "as_of": 1985},
    "get_diagram": lambda m: {
        "alliance_id": "us-rok",
        "as_of": 1985,
        "levels": [m.Level.POLITICAL, m.Level.OPERATIONAL],
    },
    "explorer_asset": lambda m: {"name": "app.js"},
    "get_scenario": lambda m: {"scenario_id": "rok-post-2012-linkage"},
    "get_source": lambda m: {"source_id": "finnegan-2009"},
    "evaluate_scenario": lambda m: {
        "body": m.EvaluateRequest.from_dict(
            {"scenario": EVALUATED, "question": "linkage", "as_of": 2013, "include_planned": True}
        )
    },
    "reload_seeds": lambda m: {"x_api_key": API_KEY},
}
QUESTION_OPERATIONS = {f"get_{name}": q for name, q in QUESTIONS.items() if q.route}
# An analyst's scenario sent whole to POST /scenarios/evaluate: the SCM guiding the planned ROK warfighter.
EVALUATED = {
    "id": "client-test",
    "title": "SCM guidance to the ROK warfighter",
    "alliance": "us-rok",
    "proposed_by": "analyst",
    "rationale": "a generated client's test",
    "add_edges": [
        {
            "source": "us-rok.scm",
            "target": "us-rok.rok-warfighter",
            "kind": "authority",
            "mode": "guidance",
            "note": "the analyst's",
        }
    ],
}
# A twin (``get_paths_csv``, ``get_export_graphml``) takes its JSON operation's arguments.
TWIN_SUFFIXES = ("_csv", "_graphml", "_gexf", "_cypher")


def _python_name(name: str) -> str:
    """A parameter's name in the generated client: a Python keyword or builtin gains ``_``."""
    return name + "_" if keyword.iskeyword(name) or hasattr(builtins, name) else name


def _enum(schema: dict[str, Any], models: Any) -> Any:
    """The generated enum class a parameter's schema names (directly, in anyOf, or as array items)."""
    for option in schema.get("anyOf", [schema]):
        option = option.get("items", option)
        if "$ref" in option:
            return getattr(models, option["$ref"].rsplit("/", 1)[-1])
    return None


def _example(example: dict[str, Any], op: dict[str, Any], models: Any) -> dict[str, Any]:
    """A question's example arguments (as the API names them) as the generated client takes them."""
    schemas = {p["name"]: p["schema"] for p in op.get("parameters", [])}
    args = {}
    for name, value in example.items():
        enum = _enum(schemas[name], models)
        if enum is not None:
            value = [enum(v) for v in value] if isinstance(value, list) else enum(value)
        args[_python_name(name)] = value
    return args


def _args(operation_id: str, op: dict[str, Any], models: Any) -> dict[str, Any]:
    for suffix in ("", *TWIN_SUFFIXES):
        base = operation_id.removesuffix(suffix) if suffix else operation_id
        if suffix and not operation_id.endswith(suffix):
            continue
        if base in QUESTION_OPERATIONS:
            return _example(dict(QUESTION_OPERATIONS[base].example), op, models)
        if base in ARGS:
            return ARGS[base](models)
    return {}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real app under uvicorn on a free port, embedded store, with the reload route's key set."""
    with live_server(ALLIANCE_API_KEY=API_KEY) as base:
        yield base


@pytest.fixture(scope="module")
def schema(server: str) -> dict[str, Any]:
    return httpx.get(f"{server}/openapi.json", timeout=10).json()


@pytest.fixture(scope="module")
def client_package(
    server: str, schema: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    generator = BIN / "openapi-python-client"
    if not generator.exists():
        pytest.fail(f"openapi-python-client is not installed at {generator} (pip install -e '.[dev]')", pytrace=False)
    work = tmp_path_factory.mktemp("generated-client")
    (work / "openapi.json").write_text(json.dumps(schema), encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            "openapi.json",
            "--output-path",
            PACKAGE,
            "--meta",
            "none",
            "--config",
            str(CONFIG),
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # A warning means a piece of the API was left out of the client.
    assert "Warning" not in output and "WARNING" not in output, output
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        shutil.rmtree(work, ignore_errors=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operation id, method, path, operation) for every operation of the schema."""
    return [
        (op["operationId"], method, path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    ]


def _module(package: ModuleType, op: dict[str, Any], operation_id: str) -> ModuleType:
    tag = op["tags"][0].replace(" ", "_")
    return importlib.import_module(f"{package.__name__}.api.{tag}.{operation_id}")


def _expected(package: ModuleType, schema: dict[str, Any], op: dict[str, Any]) -> tuple[str, Any]:
    """The first media type the operation declares for 200, and the Python type a client gives it."""
    media, content = next(iter(op["responses"]["200"]["content"].items()))
    body = content.get("schema", {})
    if media == "application/json":
        if "$ref" in body:
            return media, getattr(package.models, body["$ref"].rsplit("/", 1)[-1])
        assert body.get("type") == "array" and "$ref" in body["items"], f"untyped JSON answer: {body}"
        return media, [getattr(package.models, body["items"]["$ref"].rsplit("/", 1)[-1])]
    return media, str if media.startswith("text/") else bytes


def test_every_operation_answers_typed_in_its_media_type(
    server: str, schema: dict[str, Any], client_package: ModuleType
) -> None:
    package = client_package
    client = package.Client(base_url=server, raise_on_unexpected_status=True, timeout=httpx.Timeout(60))
    operations = _operations(schema)
    assert len(operations) >= 30
    called = []
    for operation_id, method, path, op in operations:
        module = _module(package, op, operation_id)
        media, expected = _expected(package, schema, op)
        response = module.sync_detailed(client=client, **_args(operation_id, op, package.models))
        where = f"{method.upper()} {path} ({operation_id})"
        assert response.status_code == 200, (where, response.content[:300])
        served = response.headers["content-type"].split(";")[0].strip()
        assert served == media, f"{where} serves {served}, declares {media}"
        parsed = response.parsed
        raw = response.content
        if isinstance(expected, list):
            assert isinstance(parsed, list) and parsed, where
            assert all(isinstance(item, expected[0]) for item in parsed), (where, type(parsed[0]))
            assert [item.to_dict() for item in parsed] == json.loads(raw), f"{where}: the models lost a field"
        elif expected in (str, bytes):
            assert isinstance(parsed, str | bytes) and parsed, where
            text = parsed if isinstance(parsed, str) else parsed.decode("utf-8")
            assert text == raw.decode("utf-8"), where
        else:
            assert isinstance(parsed, expected), (where, type(parsed))
            assert parsed.to_dict() == json.loads(raw), f"{where}: the model lost a field"
        called.append(operation_id)
    assert {"get_paths", "get_paths_csv", "get_export_graphml", "get_diagram", "reload_seeds"} <= set(called)
    # Every question of the registry, with its descriptor's example, and its CSV twin.
    assert {*QUESTION_OPERATIONS, *(f"{name}_csv" for name in QUESTION_OPERATIONS)} <= set(called)


def test_every_media_type_an_operation_serves_has_an_operation_of_its_own(schema: dict[str, Any]) -> None:
    """A client reads an operation's first media type only; each other one is a twin's first."""
    firsts = {}
    for _, _, path, op in _operations(schema):
        content = op["responses"]["200"].get("content")
        assert content, f"{path}: no media type declared for 200"
        firsts[path] = next(iter(content))
    for _, _, path, op in _operations(schema):
        for media in list(op["responses"]["200"]["content"])[1:]:
            if path == "/web/{name}":  # two text types: a client reads both as text
                assert media.startswith("text/")
                continue
            twins = [p for p, first in firsts.items() if p.startswith(path + ".") and first == media]
            assert twins, f"{path}: {media} has no operation of its own"


def test_a_named_value_set_parameter_is_repeated_or_a_comma_list(server: str) -> None:
    """Generated clients send lists as repeated parameters; people write comma lists: both work."""
    repeated = httpx.get(
        f"{server}/linkage", params=[("alliance", "us-japan"), ("kinds", "authority"), ("kinds", "coordination")]
    )
    comma = httpx.get(f"{server}/linkage", params={"alliance": "us-japan", "kinds": "authority,coordination"})
    assert repeated.status_code == comma.status_code == 200
    assert repeated.content == comma.content
    assert repeated.json()["linked"] is True  # the SCC reaches the JSDF once coordination is allowed


def test_errors_come_back_as_the_error_model(server: str, client_package: ModuleType) -> None:
    package = client_package
    client = package.Client(base_url=server)
    get_organ = importlib.import_module(f"{PACKAGE}.api.organs.get_organ")
    missing = get_organ.sync(client=client, organ_id="us-rok.cfcc")
    assert isinstance(missing, package.models.ErrorBody)
    assert missing.id == "us-rok.cfcc" and "us-rok.cfc" in missing.close_matches
    get_paths_csv = importlib.import_module(f"{PACKAGE}.api.questions.get_paths_csv")
    bad = get_paths_csv.sync(client=client, source="nato.nac", target="nato.mc", max_hops=99)
    assert isinstance(bad, package.models.ErrorBody) and bad.parameter == "max_hops"
    assert bad.details and isinstance(bad.details[0], package.models.ErrorDetail)
