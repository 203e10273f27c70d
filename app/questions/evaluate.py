"""``evaluate``: ask one question of a scenario that is not installed (``POST /scenarios/evaluate``).

The scenario arrives whole and is checked like a file; the question is one of the question
functions, with the same parameters as its GET route. Nothing is stored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.parse import (
    MAX_EXCLUDE,
    YEAR_MAX,
    YEAR_MIN,
    parse_condition_param,
    parse_exclude,
    parse_existence,
    parse_kinds,
)
from app.questions.centrality import METRICS, centrality
from app.questions.common import LIMIT_CAP, MAX_HOPS_CAP, organ_data
from app.questions.linkage import linkage
from app.questions.paths import paths
from app.questions.timeline import snapshot_diff
from app.snapshot import SnapshotParams
from app.store.base import Store
from graph_schema.scenario import Scenario
from graph_schema.vocabulary import CONDITION_SYNONYMS, Condition, EdgeKind, Existence

Question = Literal["linkage", "paths", "centrality", "organs", "diff"]


def _one_of(values: list[str], repeat: int = 1) -> str:
    """A pattern for one of ``values``, or a comma list of up to ``repeat`` of them (no spaces)."""
    one = "(?:" + "|".join(values) + ")"
    return f"^{one}$" if repeat == 1 else f"^{one}(?:,{one}){{0,{repeat - 1}}}$"


KINDS_PATTERN = _one_of([k.value for k in EdgeKind], repeat=20)
CONDITION_PATTERN = _one_of([c.value for c in Condition] + list(CONDITION_SYNONYMS))
EXISTENCE_PATTERN = _one_of([e.value for e in Existence])
# Up to MAX_EXCLUDE ids (or names) between commas, as the GET routes take at most MAX_EXCLUDE values.
EXCLUDE_PATTERN = f"^[^,]*(?:,[^,]*){{0,{MAX_EXCLUDE - 1}}}$"
# What a question needs that one field alone cannot say: paths needs both ends.
PATHS_NEED_ENDS: dict[str, Any] = {
    "if": {"properties": {"question": {"const": "paths"}}},
    "then": {
        "required": ["source", "target"],
        "properties": {"source": {"type": "string", "minLength": 1}, "target": {"type": "string", "minLength": 1}},
    },
}


class EvaluateRequest(BaseModel):
    """A scenario sent whole, and the question to ask of it (the parameters of the question's GET route).

    Read as its schema says (``strict``): no value is coerced from another JSON type, and each text
    parameter is declared with the values it takes, so a request the schema accepts is answered
    (or refused for what no schema can say: a quote not in the paper, an id not in the data).
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [PATHS_NEED_ENDS]})

    scenario: Scenario = Field(
        description="A scenario, as a scenarios/*.yaml file writes it (GET /scenarios/{id}); its quotes must be"
        " verbatim in the paper and its ids those of the data, which the schema cannot say."
    )
    question: Question = Field(
        description="linkage, paths, centrality, organs (of the alliance), or diff (data vs scenario)."
    )
    alliance: str | None = Field(default=None, max_length=40, description="Default: the scenario's alliance.")
    as_of: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    condition: str | None = Field(default=None, pattern=CONDITION_PATTERN, description="Default: every condition.")
    include_planned: bool = False
    existence: str | None = Field(default=None, pattern=EXISTENCE_PATTERN, description="Default: possible.")
    exclude: str | None = Field(
        default=None,
        max_length=5000,
        pattern=EXCLUDE_PATTERN,
        description=f"A comma list of at most {MAX_EXCLUDE} organ ids (or names) removed for a what-if.",
    )
    kinds: str | None = Field(
        default=None, pattern=KINDS_PATTERN, description="A comma list of edge kinds (no spaces); default authority."
    )
    source: str | None = Field(default=None, max_length=100, description="paths: where the paths start.")
    target: str | None = Field(default=None, max_length=100, description="paths: where the paths end.")
    max_hops: int = Field(default=6, ge=1, le=MAX_HOPS_CAP)
    limit: int = Field(default=10, ge=1, le=LIMIT_CAP)
    metric: str = Field(default="betweenness", pattern="^(" + "|".join(METRICS) + ")$")

    @classmethod
    def read(cls, body: bytes | str) -> EvaluateRequest:
        """The request read as its JSON Schema says: no JSON type taken for another (``0`` is no
        boolean, ``"1900"`` no year), as pydantic's strict mode reads, except that a number with no
        fraction (``1900.0``) is an integer, as JSON Schema counts it. Raises ``ValidationError``, or
        ``ValueError`` for a body that is not JSON (or nests deeper than Python reads)."""
        import json

        try:
            return cls.model_validate_json(json.dumps(_integral(json.loads(body))), strict=True)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None


def _integral(value: Any) -> Any:
    """``value`` with every float that has no fraction as an int (JSON Schema's integers), in place."""
    todo = [value]
    while todo:
        node = todo.pop()
        keys = range(len(node)) if isinstance(node, list) else list(node) if isinstance(node, dict) else ()
        for key in keys:
            item = node[key]
            if isinstance(item, float) and item.is_integer():
                node[key] = int(item)
            elif isinstance(item, list | dict):
                todo.append(item)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def evaluate(store: Store, scenario: Scenario, ask: EvaluateRequest) -> dict[str, Any]:
    """The answer to ``ask`` with ``scenario`` laid over the store's data (in memory)."""
    alliance = ask.alliance or scenario.alliance
    store.alliance(alliance)
    params = SnapshotParams(
        alliance,
        ask.as_of,
        parse_condition_param(ask.condition),
        ask.include_planned,
        parse_exclude(ask.exclude, store, scenario),
        parse_existence(ask.existence),
    )
    snap = store.scenario_snapshot(params, scenario)
    kinds = parse_kinds(ask.kinds)
    if ask.question == "linkage":
        return linkage(snap, kinds)
    if ask.question == "paths":
        from app.errors import BadParameter

        if not ask.source or not ask.target:
            raise BadParameter("source" if not ask.source else "target", "paths needs source and target")
        source, target = (
            store.resolve_organ(ask.source, "source", scenario),
            store.resolve_organ(ask.target, "target", scenario),
        )
        return paths(snap, source, target, kinds, ask.max_hops, ask.limit)
    if ask.question == "centrality":
        return centrality(snap, ask.metric, kinds)
    if ask.question == "organs":
        from app.questions.common import scenario_data

        organs = [organ_data(o, snap) for o in sorted(snap.organs(), key=lambda o: o.id)]
        return {"alliance": alliance, "as_of": ask.as_of, "scenario": scenario_data(snap), "organs": organs}
    return snapshot_diff(store.snapshot(params), snap, {"as_of": ask.as_of, "scenario": scenario.id})
