"""Plain-data forms of organs, edges and snapshot parameters, shared by every question."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.errors import BadParameter
from app.paper import quote_line
from app.snapshot import RULES, Judgement, SnapshotParams
from app.snapshot_view import Snapshot
from graph_schema.life import Life
from graph_schema.models import Claim, Edge, Organ, Source
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import EdgeKind

MAX_HOPS_CAP = 12
LIMIT_CAP = 100


def why(rule: str, quote: str | None, because: str | None = None, source_id: str | None = None) -> dict[str, Any]:
    """The rule that decided an existence or status, in words, with its quote, the source whose
    quote it is, and the quote's line in that source's text."""
    data: dict[str, Any] = {"rule": rule, "text": RULES.get(rule, rule), "quote": quote, "line": None}
    if quote is not None:
        data["line"] = quote_line(quote, source_id)
        data["source_id"] = source_id
    if because is not None:
        data["because"] = because
    return data


def judgement_data(judged: Judgement) -> dict[str, Any]:
    """``existence`` and ``status`` in the snapshot's year, each with the rule and quote behind it;
    what a scenario proposes also says whose proposal it is (``proposed_by``: paper or analyst);
    what sources claim, whether they agree in the year (``agreement``: single, agreed, disputed)."""
    data = {
        "existence": judged.existence.value if judged.existence is not None else None,
        "existence_why": why(judged.rule, judged.quote, judged.because, judged.source_id),
        "status": judged.status.value,
        "status_why": why(judged.status_rule, judged.status_quote, source_id=judged.status_source),
    }
    if judged.proposed_by is not None:
        data["proposed_by"] = judged.proposed_by
    data["agreement"] = judged.agreement.value if judged.agreement is not None else None
    return data


def claims_data(
    thing: Organ | Edge, judged: Judgement | None = None, records: Mapping[str, SourceRecord] | None = None
) -> list[dict[str, Any]]:
    """Each counted source's claim on ``thing``: its source (id, and with ``records`` its kind and
    title, so an analyst's is shown as theirs), its own life and status periods, its quotes (each
    with its line in that source's text) and, in a snapshot, its own judgement of the year
    (CONTRACT.md §2 "claims")."""
    own = dict(judged.claims) if judged is not None else {}
    if judged is not None and not own and len(thing.claims) == 1:
        own = {thing.claims[0].source_id: judged}  # one source: its judgement is the thing's
    return [
        _claim_data(claim, own.get(claim.source_id), (records or {}).get(claim.source_id)) for claim in thing.claims
    ]


def _claim_data(claim: Claim, judged: Judgement | None, record: SourceRecord | None) -> dict[str, Any]:
    data: dict[str, Any] = {"source_id": claim.source_id}
    if record is not None:
        data["source_kind"], data["source_title"] = record.kind.value, record.title
    data["life"] = life_data(claim.life)
    status_periods = [p.model_dump(mode="json", by_alias=True) for p in claim.status_periods]
    _add_lines(status_periods)
    data["status_periods"] = status_periods
    if judged is not None:
        for key, value in judgement_data(judged).items():
            if key != "agreement":
                data[key] = value
    if claim.note is not None:
        data["note"] = claim.note
    data["sources"] = sources_data(claim.sources)
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
        "not_applied": ov.not_applied,
    }


def snapshot_data(snap: Snapshot, kinds: Iterable[EdgeKind] | None = None) -> dict[str, Any]:
    """What a question was asked of: the snapshot's parameters, the scenario laid over it, and the
    sources it counts (``counted_sources``, CONTRACT.md §2)."""
    counted = list(snap.counted or snap.params.sources or ())
    return {**params_data(snap.params, kinds), "scenario": scenario_data(snap), "counted_sources": counted}


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
            node["line"] = quote_line(node["quote"], node.get("source_id"))
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
    judged = snap.judgement(organ.id) if snap is not None else None
    if judged is not None:
        data.update(judgement_data(judged))
    data["source_ids"] = source_ids(organ)
    data["claims"] = claims_data(organ, judged, snap.sources if snap is not None else None)
    data["sources"] = sources_data(organ.sources)  # identity first, evidence last, for people reading JSON
    return data


def source_ids(thing: Organ | Edge) -> list[str]:
    """The sources that claim ``thing`` (among those counted), in source order."""
    return [claim.source_id for claim in thing.claims]


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
    """Quotes as data, each with its source and its line in that source's text."""
    return [{**s.model_dump(mode="json"), "line": quote_line(s.quote, s.source_id)} for s in sources]


def organ_brief(organ: Organ, snap: Snapshot | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
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
        data["agreement"] = judged.agreement.value if judged.agreement is not None else None
    data["source_ids"] = source_ids(organ)
    return data


def edge_data(edge: Edge, snap: Snapshot | None = None) -> dict[str, Any]:
    """An edge as JSON-ready data; with a snapshot, also how sure the paper is of it in its year."""
    data = edge.model_dump(mode="json", by_alias=True, exclude_none=False)
    data["life"] = life_data(edge.life)
    _add_lines(data["status_periods"])
    data.update(_legacy_views(edge))
    data["legacy_id"] = edge.legacy_id
    judged = snap.judge_edge(edge) if snap is not None else None
    if judged is not None:
        data.update(judgement_data(judged))
    data["source_ids"] = source_ids(edge)
    data["claims"] = claims_data(edge, judged, snap.sources if snap is not None else None)
    data["sources"] = sources_data(edge.sources)
    return data


def hop_data(edge: Edge, reverse: bool, snap: Snapshot | None = None) -> dict[str, Any]:
    """One step of a path: the edge, and whether it was walked against its written direction
    (only a mutual kind, ``UNDIRECTED_KINDS``, can be)."""
    data = edge_data(edge, snap)
    data["quote"] = edge.first_quote
    data["line"] = quote_line(edge.first_quote, edge.sources[0].source_id if edge.sources else None)
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
