"""One vocabulary: the committed generated files match the models."""

from __future__ import annotations

import json

from graph_schema.generate import GENERATED, constraints_cypher, drift


def test_generated_files_do_not_drift() -> None:
    """Run `python -m graph_schema.generate` after changing graph_schema/models.py."""
    assert drift() == []


def test_schema_lists_the_vocabulary() -> None:
    schema = json.loads((GENERATED / "seed.schema.json").read_text(encoding="utf-8"))
    kinds = schema["$defs"]["EdgeKind"]["enum"]
    assert kinds == ["authority", "advice", "coordination", "support", "membership"]


def test_constraints_make_ids_unique() -> None:
    """Unique within a load generation: a load writes the next one beside the live one."""
    text = constraints_cypher()
    assert "REQUIRE (o.id, o.gen) IS UNIQUE" in text and "REQUIRE (a.id, a.gen) IS UNIQUE" in text
