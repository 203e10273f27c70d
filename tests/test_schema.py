"""One vocabulary: the committed generated files match the models."""

from __future__ import annotations

import json

from graph_schema.generate import GENERATED, constraints_cypher, drift
from graph_schema.vocabulary import EdgeKind


def test_generated_files_do_not_drift() -> None:
    """Run `python -m graph_schema.generate` after changing graph_schema/models.py."""
    assert drift() == []


def test_schema_lists_the_vocabulary() -> None:
    schema = json.loads((GENERATED / "seed.schema.json").read_text(encoding="utf-8"))
    kinds = schema["$defs"]["EdgeKind"]["enum"]
    assert kinds == [k.value for k in EdgeKind]


def test_constraints_make_ids_unique_per_load_generation() -> None:
    """Unique within a load generation: a load writes the next one beside the live one."""
    text = constraints_cypher()
    assert "REQUIRE (o.id, o.gen) IS UNIQUE" in text and "REQUIRE (a.id, a.gen) IS UNIQUE" in text
    assert "REQUIRE o.id IS UNIQUE" not in text and "ON (o.gen)" in text


def test_schema_checks_the_indicators_as_the_models_do() -> None:
    """seeds/indicators.yaml is valid under the generated JSON Schema, whose closed sets are the vocabulary's."""
    from pathlib import Path

    import jsonschema
    import yaml

    from graph_schema.vocabulary import Measure, Qualifier

    schema = json.loads((GENERATED / "seed.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["Qualifier"]["enum"] == [q.value for q in Qualifier]
    assert schema["$defs"]["Measure"]["enum"] == [m.value for m in Measure]
    validator = jsonschema.Draft202012Validator(schema)
    seeds = yaml.safe_load((Path(__file__).resolve().parents[1] / "seeds" / "indicators.yaml").read_text("utf-8"))
    assert list(validator.iter_errors(seeds)) == []
    hedged = {**seeds["indicators"][0], "qualifier": "about"}
    errors = list(validator.iter_errors({"indicators": [hedged]}))
    assert [list(e.absolute_path) for e in errors] == [["indicators", 0, "qualifier"]]
