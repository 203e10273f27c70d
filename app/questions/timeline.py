"""``timeline`` and ``diff``: how an alliance's structure changed over the years."""

from __future__ import annotations

from typing import Any

from app import deadline
from app.paper import quote_line
from app.questions.common import edge_data, judgement_data, organ_brief, params_data
from app.questions.linkage import linkage
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot
from app.store.base import Store
from graph_schema.life import Point
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import Condition, EdgeKind, Existence, Status

EVENT_ORDER = {
    "treaty": 0,
    "event": 1,
    "founded": 2,
    "appears": 3,
    "gained": 4,
    "active": 5,
    "lost": 6,
    "ended": 7,
    "planned-founding": 8,
    "planned-gain": 9,
    "planned-end": 10,
    "dormant": 11,
}


def alliance_scope(store: Store, alliance_id: str) -> tuple[dict[str, Organ], list[Edge]]:
    """An alliance's organs and edges over all years, conditions and plans: the timeless snapshot,
    and the national structure behind its national organs (``national_structure``)."""
    organs = store.organs()
    snap = store.snapshot(SnapshotParams(alliance=alliance_id, include_planned=True))
    scope = set(snap.graph.nodes)
    behind, national_edges = national_structure(store, scope)
    edges = sorted({e.id: e for e in [*snap.edges(), *national_edges]}.values(), key=lambda e: e.id or "")
    return {i: organs[i] for i in sorted(scope | behind)}, edges


def national_structure(store: Store, scope: set[str]) -> tuple[set[str], list[Edge]]:
    """The national organs behind an alliance's national organs, and the edges among them: those
    reached from its national organs through other national organs, by any edge or by succession
    (``predecessors``), in any year. The paper tells their history with the alliance's (issue 24,
    item 11): the U.S.-Japan timeline has the National Police Reserve (1950) and the National Safety
    Agency (1952), "formed for this purpose", the Japan Defense Agency (1954) the Ministry of Defense
    grew out of, and the ministries given "primacy" over its officials."""
    organs = store.organs()
    national = {i for i, o in organs.items() if o.alliance is None}
    links: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)

    inner = [e for e in store.edges().values() if e.source in national and e.target in national]
    for edge in inner:
        link(edge.source, edge.target)
    for organ_id in national:
        for before in organs[organ_id].predecessors:
            if before in national:
                link(organ_id, before)
    todo = [i for i in scope if i in national]
    found: set[str] = set(todo)
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found - scope, [e for e in inner if e.source in found and e.target in found]


def spelled(point: Point) -> str:
    """A start or end in words, as the paper bounds it: "in 1978", "by 2001", "not before 1969",
    "between 1994 and 1996"."""
    low, high = point.low, point.high
    if point.dated:
        return f"in {point.year}"
    if low is not None and high is not None:
        return f"in {low}" if low == high else f"between {low} and {high}"
    if high is not None:
        return f"by {high}"
    if low is not None:
        return f"not before {low}"
    return "in a year the paper does not give"


Said = tuple[str | None, str | None]
"""(quote, source_id): the words behind an event and the source whose words they are."""


def _point_said(point: Point) -> Said:
    if point.quote:
        return point.quote, point.source_id
    for bound in (point.not_before, point.not_after):
        if bound is not None and bound.quote:
            return bound.quote, bound.source_id
    return None, None


def _first_said(thing: Any) -> Said:
    return (thing.sources[0].quote, thing.sources[0].source_id) if thing.sources else (None, None)


def _event(
    point: Point, event: str, what: str, fallback: Said, organ: str | None = None, edge: str | None = None
) -> dict[str, Any]:
    quote, source_id = _point_said(point)
    if quote is None:
        quote, source_id = fallback
    return {
        "year": point.low if point.low is not None else point.high,
        "edtf": point.edtf,
        "when": spelled(point),
        "event": event,
        "planned": event.startswith("planned"),
        "organ": organ,
        "edge": edge,
        "what": what,
        "quote": quote,
        "source_id": source_id if quote is not None else None,
        "line": quote_line(quote, source_id),
    }


def _life_events(thing: Organ | Edge, what: str, fallback: Said, starts: tuple[str, str], ends: str) -> list[dict]:
    """The dated and bounded events of one organ's or edge's life: its start, end, plans and status periods."""
    ids = {"organ": thing.id} if isinstance(thing, Organ) else {"edge": thing.id}
    life, found = thing.life, []
    if life.start.known:
        found.append(_event(life.start, starts[0] if life.start.dated else starts[1], what, fallback, **ids))
    if life.end.known:
        found.append(_event(life.end, ends, what, fallback, **ids))
    if life.planned_start is not None:
        event = "planned-founding" if isinstance(thing, Organ) else "planned-gain"
        found.append(_event(life.planned_start, event, what, _point_said(life.planned_start), **ids))
    if life.planned_end is not None:
        found.append(_event(life.planned_end, "planned-end", what, _point_said(life.planned_end), **ids))
    for period in thing.status_periods:
        start = period.start
        if not start.known and period.attested:
            first = period.attested[0]
            start = Point(
                not_after={"year": period.first_attested, "quote": first.quote, "source_id": first.source_id}  # type: ignore[arg-type]
            )
        if start.known and period.status is not Status.PLANNED:
            found.append(_event(start, period.status.value, what, fallback, **ids))
        elif period.status is Status.DORMANT:
            found.append(_event(start, "dormant", what, fallback, **ids))
    return found


def timeline(store: Store, alliance_id: str) -> dict[str, Any]:
    """Dated and bounded events of an alliance: treaty years, organs founded (or bounded), ended and
    planned, edges gained and lost, status periods (a body going dormant), and the roster's dated
    events, each with its year, EDTF, the bound in words ("by 2001") and its quote. Events the paper
    gives no year for (a dormancy it does not date) come last.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> [e["what"] for e in timeline(default_store(), "us-rok")["events"] if e["year"] == 1978][:2]
    ['Combined Forces Command (CFC)', 'Commander CFC']
    """
    alliance = store.alliance(alliance_id)
    organs, edges = alliance_scope(store, alliance_id)
    events: list[dict[str, Any]] = []
    for y in alliance.treaty_years:
        events.append(
            _event(Point(year=y), "treaty", f"{alliance.name} treaty", _first_said(alliance))
            | {"quote": alliance.first_quote, "line": quote_line(alliance.first_quote)}
        )
    for ev in alliance.events:
        events.append(
            _event(Point(year=ev.year), "event", ev.what, _first_said(ev))
            | {"planned": "Planned" in ev.what, "quote": ev.first_quote, "line": quote_line(ev.first_quote)}
        )
    for organ in deadline.checked(organs.values(), 1024):
        what = organ.name + (f" ({organ.acronym})" if organ.acronym else "")
        events += _life_events(organ, what, _first_said(organ), ("founded", "appears"), "ended")
    for edge in deadline.checked(edges, 1024):
        s, t = organs[edge.source], organs[edge.target]
        cond = "" if edge.condition is Condition.ANY else f" [{edge.condition.value}]"
        what = f"{s.acronym or s.name} -{edge.kind.value}:{edge.mode.value}-> {t.acronym or t.name}{cond}"
        events += _life_events(edge, what, _first_said(edge), ("gained", "gained"), "lost")
    events.sort(key=lambda e: (e["year"] is None, e["year"] or 0, EVENT_ORDER[e["event"]], e["what"]))
    return {"alliance": alliance_id, "counted_sources": list(store.counted_sources()), "events": events}


def diff(
    store: Store,
    alliance_id: str,
    year_from: int,
    year_to: int,
    condition: Condition | None = None,
    include_planned: bool = False,
    existence: Existence = Existence.POSSIBLE,
) -> dict[str, Any]:
    """What changed in an alliance's structure between two years: organs and edges added and
    removed, and the civil-military linkage (by authority) in each year; ``existence=certain``
    compares only what the paper places in each year.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> d = diff(default_store(), "us-rok", 1975, 1985)
    >>> "us-rok.cfc" in [o["id"] for o in d["organs_added"]]
    True
    """
    store.alliance(alliance_id)
    before = store.snapshot(SnapshotParams(alliance_id, year_from, condition, include_planned, existence=existence))
    after = store.snapshot(SnapshotParams(alliance_id, year_to, condition, include_planned, existence=existence))
    return snapshot_diff(before, after, {"from": year_from, "to": year_to})


def snapshot_diff(before: Snapshot, after: Snapshot, labels: dict[str, Any]) -> dict[str, Any]:
    """What differs between two snapshots of one alliance: organs and edges added and removed, those
    whose existence or status changed (a body going dormant, something becoming certain), and the
    civil-military linkage by authority in each."""
    alliance_id = after.params.alliance
    b_nodes, a_nodes = set(before.graph.nodes), set(after.graph.nodes)
    b_edges = {d["edge"].id: d["edge"] for _, _, d in before.graph.edges(data=True)}
    a_edges = {d["edge"].id: d["edge"] for _, _, d in after.graph.edges(data=True)}
    authority = frozenset({EdgeKind.AUTHORITY})
    lb, la = linkage(before, authority), linkage(after, authority)
    changed = []
    for thing_id in deadline.checked([*sorted(b_nodes & a_nodes), *sorted(b_edges.keys() & a_edges.keys())], 4096):
        was, now = before.judgement(thing_id), after.judgement(thing_id)
        if (was.existence, was.status) != (now.existence, now.status):
            changed.append(
                {
                    "id": thing_id,
                    "what": "organ" if thing_id in a_nodes else "edge",
                    "before": judgement_data(was),
                    "after": judgement_data(now),
                }
            )
    return {
        "alliance": alliance_id,
        **labels,
        **{k: v for k, v in params_data(after.params).items() if k in ("condition", "include_planned", "existence")},
        "counted_sources": list(after.counted),
        "organs_added": [organ_brief(after.organ(n), after) for n in deadline.checked(sorted(a_nodes - b_nodes), 1024)],
        "organs_removed": [
            organ_brief(before.organ(n), before) for n in deadline.checked(sorted(b_nodes - a_nodes), 1024)
        ],
        "edges_added": [
            edge_data(a_edges[i], after) for i in deadline.checked(sorted(a_edges.keys() - b_edges.keys()), 1024)
        ],
        "edges_removed": [
            edge_data(b_edges[i], before) for i in deadline.checked(sorted(b_edges.keys() - a_edges.keys()), 1024)
        ],
        "changed": changed,
        "linkage": {
            "before": {
                "linked": lb["linked"],
                "certain": lb["certain"],
                "hops": lb["shortest_hops"],
                "cause": lb["break"]["cause"] if lb["break"] else None,
                "commanders": [o["id"] for o in lb["operational_commanders"]],
            },
            "after": {
                "linked": la["linked"],
                "certain": la["certain"],
                "hops": la["shortest_hops"],
                "cause": la["break"]["cause"] if la["break"] else None,
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
    for c in result.get("changed", []):
        b, a = c["before"], c["after"]
        detail = f"{b['existence']}/{b['status']} -> {a['existence']}/{a['status']}"
        rows.append({"change": "changed", "what": c["what"], "id": c["id"], "detail": detail})
    return rows


def timeline_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    keys = ("year", "edtf", "when", "event", "planned", "what", "organ", "edge", "quote", "line")
    return [{k: e[k] for k in keys} for e in result["events"]]
