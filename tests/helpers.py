"""Small helpers for asserting the paper's facts against a store."""

from __future__ import annotations

from app.snapshot import Snapshot, SnapshotParams
from app.store.base import Store
from graph_schema.models import Edge
from graph_schema.vocabulary import Condition, EdgeKind

AUTH = frozenset({EdgeKind.AUTHORITY})
AUTH_COORD = frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})


def snap(
    store: Store,
    alliance: str | None,
    year: int | None = None,
    condition: Condition | None = None,
    include_planned: bool = False,
    exclude: frozenset[str] = frozenset(),
) -> Snapshot:
    return store.snapshot(SnapshotParams(alliance, year, condition, include_planned, exclude))


def edges_between(s: Snapshot, source: str, target: str, kind: EdgeKind | None = None) -> list[Edge]:
    return [e for e in s.edges() if e.source == source and e.target == target and (kind is None or e.kind is kind)]


def members_of(s: Snapshot, body: str) -> set[str]:
    return {e.source for e in s.edges([EdgeKind.MEMBERSHIP]) if e.target == body}
