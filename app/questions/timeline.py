"""``timeline`` and ``diff``: how an alliance's structure changed over the years."""

from __future__ import annotations

from typing import Any

from app.questions.common import edge_data, organ_brief, params_data
from app.questions.linkage import linkage
from app.snapshot import SnapshotParams
from app.store.base import Store
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import Condition, EdgeKind, Status

EVENT_ORDER = {
    "treaty": 0,
    "event": 1,
    "founded": 2,
    "appears": 3,
    "gained": 4,
    "lost": 5,
    "ended": 6,
    "planned-founding": 7,
    "planned-gain": 8,
    "planned-end": 9,
    "dormant": 10,
}


def alliance_scope(store: Store, alliance_id: str) -> tuple[dict[str, Organ], list[Edge]]:
    """An alliance's organs and edges over all years, conditions and plans: the timeless snapshot."""
    organs = store.organs()
    snap = store.snapshot(SnapshotParams(alliance=alliance_id, include_planned=True))
    edges = sorted(snap.edges(), key=lambda e: e.id or "")
    return {i: organs[i] for i in sorted(snap.graph.nodes)}, edges


def _organ_event(year: int | None, event: str, organ: Organ, planned: bool = False) -> dict[str, Any]:
    return {
        "year": year,
        "event": event,
        "planned": planned,
        "organ": organ.id,
        "edge": None,
        "what": organ.name + (f" ({organ.acronym})" if organ.acronym else ""),
        "quote": organ.sources[0].quote,
    }


def _edge_event(year: int | None, event: str, edge: Edge, organs: dict[str, Organ]) -> dict[str, Any]:
    s, t = organs[edge.source], organs[edge.target]
    cond = "" if edge.condition is Condition.ANY else f" [{edge.condition.value}]"
    what = f"{s.acronym or s.name} -{edge.kind.value}:{edge.mode.value}-> {t.acronym or t.name}{cond}"
    return {
        "year": year,
        "event": event,
        "planned": edge.status is Status.PLANNED,
        "organ": None,
        "edge": edge.id,
        "what": what,
        "quote": edge.sources[0].quote,
    }


def timeline(store: Store, alliance_id: str) -> dict[str, Any]:
    """Dated events of an alliance: treaty years, organs founded, ended and planned, edges gained
    and lost, and the roster's dated events. Events without a year (dormancy) come last.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> [e["what"] for e in timeline(default_store(), "us-rok")["events"] if e["year"] == 1978][:2]
    ['Combined Forces Command (CFC)', 'Commander CFC']
    """
    alliance = store.alliance(alliance_id)
    organs, edges = alliance_scope(store, alliance_id)
    events: list[dict[str, Any]] = [
        {
            "year": y,
            "event": "treaty",
            "planned": False,
            "organ": None,
            "edge": None,
            "what": f"{alliance.name} treaty",
            "quote": alliance.sources[0].quote,
        }
        for y in alliance.treaty_years
    ]
    for ev in alliance.events:
        events.append(
            {
                "year": ev.year,
                "event": "event",
                "planned": "Planned" in ev.what,
                "organ": None,
                "edge": None,
                "what": ev.what,
                "quote": ev.sources[0].quote,
            }
        )
    for organ in organs.values():
        if organ.established is not None:
            events.append(_organ_event(organ.established, "founded", organ))
        elif organ.not_before is not None:
            events.append(_organ_event(organ.not_before, "appears", organ))
        if organ.ended is not None:
            events.append(_organ_event(organ.ended, "ended", organ))
        if organ.status is Status.PLANNED:
            events.append(_organ_event(organ.planned_start, "planned-founding", organ, planned=True))
        if organ.planned_end is not None:
            events.append(_organ_event(organ.planned_end, "planned-end", organ, planned=True))
        if organ.status is Status.DORMANT:
            events.append(_organ_event(None, "dormant", organ))
    for edge in edges:
        planned = edge.status is Status.PLANNED
        if edge.from_ is not None:
            events.append(_edge_event(edge.from_, "planned-gain" if planned else "gained", edge, organs))
        if edge.to is not None:
            events.append(_edge_event(edge.to, "lost", edge, organs))
    events.sort(key=lambda e: (e["year"] is None, e["year"] or 0, EVENT_ORDER[e["event"]], e["what"]))
    return {"alliance": alliance_id, "events": events}


def diff(
    store: Store,
    alliance_id: str,
    year_from: int,
    year_to: int,
    condition: Condition | None = None,
    include_planned: bool = False,
) -> dict[str, Any]:
    """What changed in an alliance's structure between two years: organs and edges added and
    removed, and the civil-military linkage (by authority) in each year.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> d = diff(default_store(), "us-rok", 1975, 1985)
    >>> "us-rok.cfc" in [o["id"] for o in d["organs_added"]]
    True
    """
    store.alliance(alliance_id)
    before = store.snapshot(SnapshotParams(alliance_id, year_from, condition, include_planned))
    after = store.snapshot(SnapshotParams(alliance_id, year_to, condition, include_planned))
    b_nodes, a_nodes = set(before.graph.nodes), set(after.graph.nodes)
    b_edges = {d["edge"].id: d["edge"] for _, _, d in before.graph.edges(data=True)}
    a_edges = {d["edge"].id: d["edge"] for _, _, d in after.graph.edges(data=True)}
    authority = frozenset({EdgeKind.AUTHORITY})
    lb, la = linkage(before, authority), linkage(after, authority)
    return {
        "alliance": alliance_id,
        "from": year_from,
        "to": year_to,
        **{k: v for k, v in params_data(after.params).items() if k in ("condition", "include_planned")},
        "organs_added": [organ_brief(after.organ(n)) for n in sorted(a_nodes - b_nodes)],
        "organs_removed": [organ_brief(before.organ(n)) for n in sorted(b_nodes - a_nodes)],
        "edges_added": [edge_data(a_edges[i]) for i in sorted(a_edges.keys() - b_edges.keys())],
        "edges_removed": [edge_data(b_edges[i]) for i in sorted(b_edges.keys() - a_edges.keys())],
        "linkage": {
            "before": {
                "linked": lb["linked"],
                "hops": lb["shortest_hops"],
                "commanders": [o["id"] for o in lb["operational_commanders"]],
            },
            "after": {
                "linked": la["linked"],
                "hops": la["shortest_hops"],
                "commanders": [o["id"] for o in la["operational_commanders"]],
            },
        },
    }


def diff_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for change, key in (("added", "organs_added"), ("removed", "organs_removed")):
        rows += [{"change": change, "what": "organ", "id": o["id"], "detail": o["name"]} for o in result[key]]
    for change, key in (("added", "edges_added"), ("removed", "edges_removed")):
        rows += [
            {"change": change, "what": "edge", "id": e["id"], "detail": f"{e['kind']}:{e['mode']} [{e['condition']}]"}
            for e in result[key]
        ]
    return rows


def timeline_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: e[k] for k in ("year", "event", "planned", "what", "organ", "edge", "quote")} for e in result["events"]]
