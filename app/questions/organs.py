"""``organs`` and ``organ``: search the organs, or show one, each judged in the year asked.

Both take ``existence`` as every question that takes ``as_of`` does (CONTRACT.md §1 "Scope of
``existence``"): ``certain`` keeps only what the paper places in the year (without a year, what it
places in some year), the default ``possible`` also what its bounds leave possible, and every organ
and edge listed says which it is and why.
"""

from __future__ import annotations

from typing import Any

from app.questions.common import edge_data, organ_data
from app.snapshot import SnapshotParams
from app.store.base import Store
from graph_schema.vocabulary import Existence, Level, Nature


def organs(
    store: Store,
    q: str | None = None,
    alliance: str | None = None,
    nature: Nature | None = None,
    level: Level | None = None,
    as_of: int | None = None,
    existence: Existence = Existence.POSSIBLE,
) -> list[dict[str, Any]]:
    """Organs whose acronym, name or an alias contains ``q``, of ``alliance``, alive in ``as_of``
    at the ``existence`` asked, each with its existence and status in that year and why.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> found = organs(default_store(), alliance="nato", as_of=1950, existence=Existence.CERTAIN)
    >>> "nato.eapc" in [o["id"] for o in found]
    False
    """
    snap = store.snapshot(SnapshotParams(as_of=as_of))
    found = store.search(q, alliance, nature, level, as_of, existence)
    return [organ_data(o, snap) for o in found]


def organ(
    store: Store,
    organ_id: str,
    as_of: int | None = None,
    include_planned: bool = False,
    existence: Existence = Existence.POSSIBLE,
) -> dict[str, Any]:
    """One organ with how sure the paper is of it (in ``as_of``, or over its whole life), and its
    edges in and out, each judged likewise; with ``existence=certain`` only the edges the paper
    places in the year are listed (by default every edge of every year, absent ones with
    ``existence`` null)."""
    organ_id = store.resolve_organ(organ_id, "organ_id")
    incoming, outgoing = store.edges_of(organ_id)
    snap = store.snapshot(SnapshotParams(as_of=as_of, include_planned=include_planned))

    def listed(edges: list[Any]) -> list[dict[str, Any]]:
        data = [edge_data(e, snap) for e in edges]
        if existence is Existence.CERTAIN:
            data = [d for d in data if d["existence"] == Existence.CERTAIN.value]
        return data

    return {
        **organ_data(store.organ(organ_id), snap),
        "as_of": as_of,
        "edges_in": listed(incoming),
        "edges_out": listed(outgoing),
        "counted_sources": list(store.counted_sources()),
    }
