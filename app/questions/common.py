"""Plain-data forms of organs, edges and snapshot parameters, shared by every question."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.errors import BadParameter
from app.paper import quote_line
from app.snapshot import RULES, Judgement, SnapshotParams
from app.snapshot_view import Snapshot
from graph_schema.life import Life
from graph_schema.models import Edge, Organ, Source
from graph_schema.vocabulary import EdgeKind

MAX_HOPS_CAP = 12
LIMIT_CAP = 100


def why(rule: str, quote: str | None, because: str | None = None) -> dict[str, Any]:
    """The rule that decided an existence or status, in words, with its quote and the quote's line."""
    data: dict[str, Any] = {"rule": rule, "text": RULES.get(rule, rule), "quote": quote, "line": None}
    if quote is not None:
        data["line"] = quote_line(quote)
    if because is not None:
        data["because"] = because
    return data


def judgement_data(judged: Judgement) -> dict[str, Any]:
    """``existence`` and ``status`` in the snapshot's year, each with the rule and quote behind it;
    what a scenario proposes also says whose proposal it is (``proposed_by``: paper or analyst)."""
    data = {
        "existence": judged.existence.value if judged.existence is not None else None,
        "existence_why": why(judged.rule, judged.quote, judged.because),
        "status": judged.status.value,
        "status_why": why(judged.status_rule, judged.status_quote),
    }
    if judged.proposed_by is not None:
        data["proposed_by"] = judged.proposed_by
    return data


def scenario_data(snap: Snapshot) -> dict[str, Any] | None:
    """The scenario an answer was asked of: who proposes it, whether it applied, what it changed."""
    if snap.params.scenario is None and snap.overlay is None:
        return None
    ov = snap.overlay
    if ov is None:
        return {"id": snap.params.scenario, "applied": False, "note": snap.scenario_note}
    sc = ov.scenario
    return {
        "id": sc.id,
        "title": sc.title,
        "alliance": sc.alliance,
        "proposed_by": sc.proposed_by,
        "applied": True,
        "assumes_plans": sc.assumes_plans,
        "note": (
            "what the scenario adds or changes is proposed, never certain; "
            + (
                "these are the paper's own recommendations"
                if sc.proposed_by == "paper"
                else "an analyst's, not the paper's"
            )
        ),
        "proposed": sorted(ov.proposed),
        "removed_organs": ov.removed_organs,
        "removed_edges": ov.removed_edges,
        "changed_edges": ov.changed_edges,
    }


def snapshot_data(snap: Snapshot, kinds: Iterable[EdgeKind] | None = None) -> dict[str, Any]:
    """What a question was asked of: the snapshot's parameters, and the scenario laid over it."""
    return {**params_data(snap.params, kinds), "scenario": scenario_data(snap)}


def life_data(life: Life) -> dict[str, Any]:
    """The life as JSON, each start and end with its EDTF expression and each quote with its line."""
    data = life.model_dump(mode="json", by_alias=True)
    for name, point in (("start", life.start), ("end", life.end)):
        data[name]["edtf"] = point.edtf or None  # null: the paper gives neither a year nor a bound
    _add_lines(data)
    return data


def _add_lines(node: Any) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            node["line"] = quote_line(node["quote"])
        for value in node.values():
            _add_lines(value)
    elif isinstance(node, list):
        for value in node:
            _add_lines(value)


def _legacy_views(thing: Organ | Edge) -> dict[str, Any]:
    """The flat fields of the contract's first version, derived from the life."""
    life = thing.life
    views: dict[str, Any] = {
        "start_edtf": life.start.edtf or None,
        "end_edtf": life.end.edtf or None,
        "not_before": thing.not_before,
        "not_after": None if life.start.dated else life.start.high,
        "planned_end": life.planned_end.low if life.planned_end else None,
        "status": thing.status.value,
    }
    if isinstance(thing, Organ):
        views.update(established=thing.established, ended=thing.ended, planned_start=thing.planned_start)
    else:
        views.update({"from": thing.from_, "to": thing.to})
    return views


def organ_data(organ: Organ, snap: Snapshot | None = None) -> dict[str, Any]:
    """An organ as JSON-ready data; with a snapshot, also how sure the paper is of it in its year."""
    data = organ.model_dump(mode="json", by_alias=True)
    data["life"] = life_data(organ.life)
    _add_lines(data["status_periods"])
    data.update(_legacy_views(organ))
    if snap is not None:
        data.update(judgement_data(snap.judgement(organ.id)))
    data["sources"] = sources_data(organ.sources)  # identity first, evidence last, for people reading JSON
    return data


def organ_row(data: dict[str, Any]) -> dict[str, Any]:
    """An ``organ_data`` dict flattened for CSV and tables: the rule and quote behind its existence."""
    why_ = data.get("existence_why") or {}
    status_why = data.get("status_why") or {}
    return {
        **data,
        "existence_rule": why_.get("rule"),
        "existence_quote": why_.get("quote"),
        "status_rule": status_why.get("rule"),
    }


def sources_data(sources: Iterable[Source]) -> list[dict[str, Any]]:
    return [{**s.model_dump(mode="json"), "line": quote_line(s.quote)} for s in sources]


def organ_brief(organ: Organ, snap: Snapshot | None = None) -> dict[str, Any]:
    data = {
        "id": organ.id,
        "acronym": organ.acronym,
        "name": organ.name,
        "nature": organ.nature.value,
        "level": organ.level.value,
    }
    if snap is not None:
        judged = snap.judgement(organ.id)
        data["existence"] = judged.existence.value if judged.existence is not None else None
        data["status"] = judged.status.value
        if judged.proposed_by is not None:
            data["proposed_by"] = judged.proposed_by
    return data


def edge_data(edge: Edge, snap: Snapshot | None = None) -> dict[str, Any]:
    """An edge as JSON-ready data; with a snapshot, also how sure the paper is of it in its year."""
    data = edge.model_dump(mode="json", by_alias=True, exclude_none=False)
    data["life"] = life_data(edge.life)
    _add_lines(data["status_periods"])
    data.update(_legacy_views(edge))
    data["legacy_id"] = edge.legacy_id
    if snap is not None:
        data.update(judgement_data(snap.judge_edge(edge)))
    data["sources"] = sources_data(edge.sources)
    return data


def hop_data(edge: Edge, reverse: bool, snap: Snapshot | None = None) -> dict[str, Any]:
    """One step of a path: the edge, and whether it was walked against its written direction
    (only a mutual kind, ``UNDIRECTED_KINDS``, can be)."""
    data = edge_data(edge, snap)
    data["quote"] = edge.first_quote
    data["line"] = quote_line(edge.first_quote)
    data["walked"] = "target->source" if reverse else "source->target"
    return data


def params_data(params: SnapshotParams, kinds: Iterable[EdgeKind] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "alliance": params.alliance,
        "as_of": params.as_of,
        "condition": params.condition.value if params.condition else None,
        "include_planned": params.include_planned,
        "existence": params.existence.value,
        "exclude": sorted(params.exclude),
    }
    if kinds is not None:
        data["kinds"] = kind_list(kinds)
    return data


def kind_list(kinds: Iterable[EdgeKind]) -> list[str]:
    order = list(EdgeKind)
    return [k.value for k in sorted(set(kinds), key=order.index)]


def check_cap(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadParameter(name, f"must be between {low} and {high}, got {value}")
    return value
