"""The OpenAPI schema says what the API does (CONTRACT.md §2): a response model for every route and
every media type it serves, the closed value sets as enums, readable operation ids, and the error
body as a model. (Schemathesis, in test_fuzz.py, checks the answers against it.)"""

from __future__ import annotations

import keyword
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import app
from app.questions.centrality import METRICS
from app.questions.export import FORMATS
from graph_schema.vocabulary import ALLIANCE_IDS, EdgeKind, Level, Nature

SCHEMA: dict[str, Any] = app.openapi()
COMPONENTS = SCHEMA["components"]["schemas"]
OPERATIONS = [
    (path, method, op) for path, item in SCHEMA["paths"].items() for method, op in item.items() if isinstance(op, dict)
]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _parameter(path: str, name: str) -> dict[str, Any]:
    (param,) = [p for p in SCHEMA["paths"][path]["get"]["parameters"] if p["name"] == name]
    return param


def _values(schema: dict[str, Any]) -> list[str]:
    """The enum a parameter's schema allows (through anyOf/null and array items)."""
    for option in schema.get("anyOf", [schema]):
        option = _resolve(option)
        if option.get("type") == "array":
            option = _resolve(option["items"])
        if "enum" in option:
            return list(option["enum"])
    raise AssertionError(f"no enum in {schema}")


def test_operation_ids_are_the_route_names() -> None:
    ids = [op["operationId"] for _, _, op in OPERATIONS]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert operation_id.isidentifier() and not keyword.iskeyword(operation_id)
        assert not operation_id.endswith("_get"), operation_id
    assert {"get_paths", "get_export", "get_linkage", "get_export_graphml", "get_paths_csv", "health"} <= set(ids)


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_declares_its_answers(path: str, method: str, op: dict[str, Any]) -> None:
    ok = op["responses"]["200"]
    assert ok.get("content"), f"{path}: 200 declares no media type"
    for media, content in ok["content"].items():
        schema = content.get("schema")
        assert schema, f"{path}: {media} has no schema"
        if media == "application/json":
            body = schema["items"] if schema.get("type") == "array" else schema
            # One model, or (POST /scenarios/evaluate: the question asked decides) one of several.
            assert all("$ref" in b for b in body.get("anyOf", [body])), f"{path}: the JSON answer has no model"
        else:
            assert schema == {"type": "string"}, (path, media, schema)
    errors = {code: r for code, r in op["responses"].items() if code[0] in "45"}
    if op.get("parameters") or path.startswith("/neo4j/") or path == "/health":
        assert errors, f"{path}: no error answer declared"
    if op.get("parameters"):
        assert "422" in errors, f"{path}: takes parameters but declares no 422"
    for code, response in errors.items():
        (media,) = response["content"]
        assert media == "application/json", (path, code, media)
        model = _resolve(response["content"][media]["schema"])
        assert "error" in model["required"], (path, code)


def _reached(node: Any, found: set[str]) -> set[str]:
    """The components ``node`` refers to, directly or through others."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in found:
                found.add(name)
                _reached(COMPONENTS[name], found)
        for value in node.values():
            _reached(value, found)
    elif isinstance(node, list):
        for value in node:
            _reached(value, found)
    return found


REQUEST_MODELS = _reached([op.get("requestBody", {}) for _, _, op in OPERATIONS], set())


def test_every_model_keeps_fields_it_does_not_declare() -> None:
    """extra="allow" at every level: fields added to an answer reach clients before a model names them.
    (The one request body, POST /scenarios/evaluate's, and the models it is made of refuse unknown
    fields: a request is checked.)"""
    assert {"EvaluateRequest", "Scenario"} <= REQUEST_MODELS
    for name, schema in COMPONENTS.items():
        if schema.get("type") == "object" and name not in {"HTTPValidationError", "ValidationError", *REQUEST_MODELS}:
            assert schema.get("additionalProperties") is True, f"{name} would drop undeclared fields"


def test_the_error_body_documents_its_details() -> None:
    body = COMPONENTS["ErrorBody"]["properties"]
    assert {"error", "parameter", "id", "close_matches", "details"} <= set(body)
    detail = _resolve(body["details"]["anyOf"][0]["items"])
    assert set(detail["required"]) == {"parameter", "message"}


@pytest.mark.parametrize(
    ("path", "name", "values"),
    [
        ("/paths", "kinds", [k.value for k in EdgeKind]),
        ("/linkage", "condition", ["any", "armistice", "wartime", "peacetime"]),
        ("/centrality", "metric", list(METRICS)),
        ("/organs", "nature", [n.value for n in Nature]),
        ("/organs", "level", [lv.value for lv in Level]),
        ("/alliances/{alliance_id}/diagram.svg", "levels", [lv.value for lv in Level]),
        ("/alliances/{alliance_id}/diagram.svg", "natures", [n.value for n in Nature]),
    ],
)
def test_closed_value_sets_are_enums(path: str, name: str, values: list[str]) -> None:
    assert _values(_parameter(path, name)["schema"]) == values


def test_each_format_is_an_operation_of_its_own() -> None:
    """No operation of the schema chooses its media type by a parameter (a generated client parses the
    first one it declares, and crashed on every other): ``format`` is not in the schema, each format
    is a path of its own (``/export.graphml``, ``/timeline.csv``), and the routes still take
    ``format=`` as they always have."""
    for path, _, op in OPERATIONS:
        assert "format" not in {p["name"] for p in op.get("parameters", [])}, path
    paths = set(SCHEMA["paths"])
    assert {f"/export.{fmt}" for fmt in FORMATS if fmt != "json"} <= paths
    tables = [p for p, _, op in OPERATIONS if "text/csv" in op["responses"]["200"]["content"]]
    tables = [p for p in tables if not p.endswith(".csv")]
    assert tables and all(f"{p}.csv" in paths for p in tables), tables
    with TestClient(app) as client:
        assert client.get("/timeline?alliance=nato&format=csv").headers["content-type"].startswith("text/csv")
        assert client.get("/export?alliance=nato&format=gexf").text.startswith("<?xml")


@pytest.mark.parametrize(("path", "name"), [("/linkage", "kinds"), ("/linkage", "exclude"), ("/compare", "alliances")])
def test_comma_lists_are_arrays(path: str, name: str) -> None:
    schema = _parameter(path, name)["schema"]
    assert any(option.get("type") == "array" for option in schema["anyOf"])


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/organs?nature=civil", "nature: 'civil' is not accepted; allowed: civilian, military, parliamentary"),
        ("/organs?level=top", "level: 'top' is not accepted; allowed: political, strategic, operational"),
        ("/timeline?alliance=nato&format=xml", "format: 'xml' is not accepted; allowed: json, csv"),
        ("/export?format=pdf", "format: 'pdf' is not accepted; allowed: json, graphml, gexf"),
        (
            "/paths?source=nato.nac&target=nato.mc&kinds=authority&kinds=command",
            "kinds: 'command' is not accepted; a comma list of edge kinds; allowed: authority, advice",
        ),
        ("/linkage?alliance=nato&" + "&".join(["exclude=nato.mc"] * 51), "exclude: at most 50 values, got 51"),
    ],
)
def test_a_value_outside_the_set_is_a_friendly_422(url: str, message: str) -> None:
    with TestClient(app) as client:
        r = client.get(url)
    assert r.status_code == 422
    assert r.json()["error"].startswith(message), r.json()["error"]
    assert r.json()["parameter"] == message.split(":")[0]


def test_repeated_and_comma_lists_give_the_same_answer() -> None:
    with TestClient(app) as client:
        repeated = client.get(
            "/linkage?alliance=us-rok&kinds=authority&kinds=support&exclude=us-rok.cfc&exclude=us-rok.scm"
        )
        comma = client.get("/linkage?alliance=us-rok&kinds=authority,support&exclude=us-rok.cfc,us-rok.scm")
        compared = client.get("/compare?alliances=nato&alliances=us-japan,us-rok")
    assert repeated.status_code == comma.status_code == 200
    assert repeated.content == comma.content
    assert repeated.json()["exclude"] == ["us-rok.cfc", "us-rok.scm"]
    assert repeated.json()["kinds"] == ["authority", "support"]
    assert [row["alliance"] for row in compared.json()["rows"]] == ["nato", "us-japan", "us-rok"]


@pytest.mark.parametrize(
    ("path", "twin", "media"),
    [
        ("/paths?source=nato.nac&target=nato.saceur", "/paths.csv?source=nato.nac&target=nato.saceur", "text/csv"),
        ("/alliances?format=csv", "/alliances.csv", "text/csv"),
        ("/export?alliance=us-rok&format=graphml", "/export.graphml?alliance=us-rok", "application/xml"),
        ("/export?alliance=us-rok&format=cypher", "/export.cypher?alliance=us-rok", "text/plain"),
    ],
)
def test_a_twin_answers_as_its_format_parameter_does(path: str, twin: str, media: str) -> None:
    with TestClient(app) as client:
        a = client.get(path if "format=" in path else path + "&format=csv")
        b = client.get(twin)
    assert a.status_code == b.status_code == 200
    assert a.content == b.content
    assert b.headers["content-type"].split(";")[0] == media


# ------------------------------------------------------------------- schema and behaviour together (issue 29)


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_every_operation_declares_the_431_every_route_can_answer(path: str, method: str, op: dict[str, Any]) -> None:
    """SECURITY.md: a request line plus headers over 16 KB is answered 431, before any route."""
    assert "431" in op["responses"], f"{method.upper()} {path}"
    with TestClient(app) as client:
        r = client.request(method.upper(), path, headers={"X-Padding": "x" * 17_000})
    assert r.status_code == 431 and "too large" in r.json()["error"]


def test_compare_refuses_more_alliances_values_than_it_declares_even_empty_ones() -> None:
    """/compare declares at most MAX_ALLIANCES values of alliances (maxItems), counted as sent, none
    empty (minLength): eleven empty ones were answered as if none were sent, and an empty value, which
    a query cannot tell from values of other types, is refused as declared. Ten values, one a comma
    list, are within the maximum."""
    schema = _parameter("/compare", "alliances")["schema"]["anyOf"][0]
    declared = schema["maxItems"]
    assert schema["items"]["minLength"] == 1
    with TestClient(app) as client:
        within = client.get("/compare", params=[("alliances", "nato")] * declared)
        beyond = client.get("/compare", params=[("alliances", "nato")] * (declared + 1))
        empty = client.get("/compare", params=[("alliances", "")] * (declared + 1))
        none = client.get("/compare", params=[("alliances", "")])
        ten = [("alliances", "nato,us-rok")] + [("alliances", "nato")] * (declared - 1)
        listed = client.get("/compare", params=ten)
    assert within.status_code == 200 and [r["alliance"] for r in within.json()["rows"]] == ["nato"]
    assert beyond.status_code == 422 and beyond.json()["parameter"] == "alliances"
    assert f"at most {declared} values, got {declared + 1}" in beyond.json()["error"]
    assert (empty.status_code, none.status_code) == (422, 422)
    assert empty.json()["parameter"] == none.json()["parameter"] == "alliances"
    assert listed.status_code == 200 and [r["alliance"] for r in listed.json()["rows"]] == ["nato", "us-rok"]
    with TestClient(app) as client:  # one value naming every alliance, longer than any one id may be
        roster = client.get("/compare", params={"alliances": ",".join(ALLIANCE_IDS)})
    assert roster.status_code == 200 and [r["alliance"] for r in roster.json()["rows"]] == list(ALLIANCE_IDS)


def test_free_text_lists_declare_and_refuse_empty_values() -> None:
    """Every list of free text (ids, columns, sources) declares its values non-empty, and a request
    sending an empty one is refused naming the parameter (Schemathesis sent ``sources=`` for a value
    of another type, and it was answered)."""
    cases = [("/compare", "columns"), ("/linkage", "exclude"), ("/linkage", "sources"), ("/alliances", "sources")]
    with TestClient(app) as client:
        for path, name in cases:
            schema = _parameter(path, name)["schema"]["anyOf"][0]
            assert schema["items"].get("minLength") == 1 or "pattern" in schema["items"], (path, name)
            r = client.get(path, params={"alliance": "nato", name: ""})
            assert r.status_code == 422 and r.json()["parameter"] == name, (path, name, r.text[:200])


EVALUATE = SCHEMA["paths"]["/scenarios/evaluate"]["post"]


def test_evaluate_declares_its_scenario_as_the_scenario_model() -> None:
    """The request body's scenario is the typed model (graph_schema/scenario.py), with the fields a
    scenario file must have, not a free-form object a request could fill with anything."""
    body = _resolve(EVALUATE["requestBody"]["content"]["application/json"]["schema"])
    scenario = _resolve(body["properties"]["scenario"])
    assert {"id", "title", "alliance", "proposed_by", "rationale"} <= set(scenario["required"])
    assert _resolve(scenario["properties"]["add_edges"]["items"])["properties"]["kind"]


def test_evaluate_answers_a_schema_valid_scenario_and_refuses_what_the_schema_refuses() -> None:
    """An analyst's scenario as the schema writes it is answered; the types the schema refuses are
    refused (a 0 for a boolean, a year as text), which the free-form declaration let through."""
    scenario = {
        "id": "schema-typed",
        "title": "The SCM guides the ROK warfighter",
        "alliance": "us-rok",
        "proposed_by": "analyst",
        "rationale": "a schema test",
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
    ask = {"scenario": scenario, "question": "linkage", "as_of": 2013, "include_planned": True}
    with TestClient(app) as client:
        answered = client.post("/scenarios/evaluate", json=ask)
        refused = [
            client.post("/scenarios/evaluate", json=ask | {"include_planned": 0}),
            client.post("/scenarios/evaluate", json=ask | {"as_of": "2013"}),
            client.post("/scenarios/evaluate", json=ask | {"scenario": scenario | {"assumes_plans": 1}}),
            client.post("/scenarios/evaluate", json=ask | {"kinds": "authority, nonsense"}),
        ]
    assert answered.status_code == 200 and answered.json()["linked"] is True, answered.text[:300]
    assert [r.status_code for r in refused] == [422] * 4
    assert [r.json()["parameter"] for r in refused] == ["include_planned", "as_of", "scenario.assumes_plans", "kinds"]


@pytest.mark.parametrize("method", ["HEAD", "GET"])
def test_evaluate_answers_other_methods_405_naming_post(method: str) -> None:
    """HEAD /scenarios/evaluate was a 404 (read as the scenario "evaluate") where PUT or DELETE got 405."""
    with TestClient(app) as client:
        r = client.request(method, "/scenarios/evaluate")
        put = client.put("/scenarios/evaluate")
    assert (r.status_code, r.headers.get("allow")) == (405, "POST") == (put.status_code, put.headers.get("allow"))
