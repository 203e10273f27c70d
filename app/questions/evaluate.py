"""``evaluate``: ask one question of a scenario that is not installed (``POST /scenarios/evaluate``).

The scenario arrives whole and is checked like a file; the question is one of the question
functions, with the same parameters as its GET route. Nothing is stored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.parse import YEAR_MAX, YEAR_MIN, parse_condition_param, parse_exclude, parse_existence, parse_kinds
from app.questions.centrality import METRICS, centrality
from app.questions.common import LIMIT_CAP, MAX_HOPS_CAP, organ_data
from app.questions.linkage import linkage
from app.questions.paths import paths
from app.questions.timeline import snapshot_diff
from app.snapshot import SnapshotParams
from app.store.base import Store
from graph_schema.scenario import Scenario

Question = Literal["linkage", "paths", "centrality", "organs", "diff"]


class EvaluateRequest(BaseModel):
    """A scenario sent whole, and the question to ask of it (the parameters of the question's GET route)."""

    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] = Field(
        description="A scenario, as a scenarios/*.yaml file writes it (GET /scenarios/{id})."
    )
    question: Question = Field(
        description="linkage, paths, centrality, organs (of the alliance), or diff (data vs scenario)."
    )
    alliance: str | None = Field(default=None, max_length=40, description="Default: the scenario's alliance.")
    as_of: int | None = Field(default=None, ge=YEAR_MIN, le=YEAR_MAX)
    condition: str | None = Field(default=None, max_length=20)
    include_planned: bool = False
    existence: str | None = Field(default=None, max_length=20)
    exclude: str | None = Field(default=None, max_length=5000)
    kinds: str | None = Field(default=None, max_length=200)
    source: str | None = Field(default=None, max_length=100)
    target: str | None = Field(default=None, max_length=100)
    max_hops: int = Field(default=6, ge=1, le=MAX_HOPS_CAP)
    limit: int = Field(default=10, ge=1, le=LIMIT_CAP)
    metric: str = Field(default="betweenness", pattern="^(" + "|".join(METRICS) + ")$")


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
