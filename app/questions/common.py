"""Plain-data forms of organs, edges and snapshot parameters, shared by every question."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.errors import BadParameter
from app.snapshot import Snapshot, SnapshotParams
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import EdgeKind

MAX_HOPS_CAP = 12
LIMIT_CAP = 100


def organ_data(organ: Organ, snap: Snapshot | None = None) -> dict[str, Any]:
    """An organ as JSON-ready data; with a snapshot, also its effective years and uncertainty."""
    data = organ.model_dump(mode="json", by_alias=True)
    if snap is not None and organ.id in snap.graph:
        data.update(snap.node_info(organ.id))
    data["sources"] = data.pop("sources")  # identity first, evidence last, for people reading JSON
    return data


def organ_brief(organ: Organ) -> dict[str, Any]:
    return {
        "id": organ.id,
        "acronym": organ.acronym,
        "name": organ.name,
        "nature": organ.nature.value,
        "level": organ.level.value,
    }


def edge_data(edge: Edge) -> dict[str, Any]:
    data = edge.model_dump(mode="json", by_alias=True, exclude_none=False)
    data["sources"] = data.pop("sources")
    return data


def hop_data(edge: Edge, reverse: bool) -> dict[str, Any]:
    """One step of a path: the edge, and whether it was walked against its written direction
    (only coordination, which is mutual, can be)."""
    data = edge_data(edge)
    data["quote"] = edge.sources[0].quote
    data["walked"] = "target->source" if reverse else "source->target"
    return data


def params_data(params: SnapshotParams, kinds: Iterable[EdgeKind] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "alliance": params.alliance,
        "as_of": params.as_of,
        "condition": params.condition.value if params.condition else None,
        "include_planned": params.include_planned,
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
