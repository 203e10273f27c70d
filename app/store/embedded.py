"""The embedded store: the seeds loaded into a networkx graph in memory; no database needed."""

from __future__ import annotations

import copy
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx

from app.cache import ByteLRU, snapshot_bytes, snapshot_growth
from app.dataset import Dataset
from app.paper import register_texts
from app.seeds import load_seeds
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot, build_graph, snapshot_of, with_sources
from app.store.base import Data, Store
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.sources import SourceRecord

SNAPSHOT_CACHE_BYTES = 256 * 2**20  # the default bound (ALLIANCE_SNAPSHOT_CACHE_MB sets the API's)


def _snapshot_cache(max_bytes: int = SNAPSHOT_CACHE_BYTES) -> ByteLRU[SnapshotParams, Snapshot]:
    return ByteLRU(max_bytes, snapshot_bytes, snapshot_growth)


@dataclass
class _State:
    """One version of the data: the dataset, its graph, and the snapshots cut from it; for a set of
    counted sources other than all loaded, the data as they have it and its graph (``views``)."""

    dataset: Dataset
    graph: nx.MultiDiGraph
    snapshots: ByteLRU[SnapshotParams, Snapshot] = field(default_factory=_snapshot_cache)
    checksum: str | None = None
    views: dict[tuple[str, ...], tuple[Dataset, nx.MultiDiGraph]] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset: Dataset, cache_bytes: int = SNAPSHOT_CACHE_BYTES) -> _State:
        register_texts(dataset.texts)
        graph = build_graph(dataset.organs.values(), dataset.edges.values(), dataset.alliances)
        return cls(dataset, graph, _snapshot_cache(cache_bytes))

    def view(self, sources: tuple[str, ...] | None) -> tuple[Dataset, nx.MultiDiGraph]:
        """The data as ``sources`` have it, and its timeless graph (all loaded when None)."""
        if sources is None:
            return self.dataset, self.graph
        found = self.views.get(sources)
        if found is None:
            data = self.dataset.counted(frozenset(sources))
            found = self.views[sources] = (data, build_graph(data.organs.values(), data.edges.values()))
        return found


class EmbeddedStore(Store):
    """Serves a validated ``Dataset`` from memory; snapshots are cached views of one graph.

    ``replace`` swaps the whole state (dataset, graph, snapshot cache) at once; a ``pinned()`` view
    keeps the state it was taken from, so a request that started before a reload finishes on the
    old data.
    """

    backend = "embedded"

    def __init__(self, dataset: Dataset, snapshot_cache_bytes: int = SNAPSHOT_CACHE_BYTES) -> None:
        self._state = _State.of(dataset, snapshot_cache_bytes)
        self._lock = threading.Lock()
        self._origin: EmbeddedStore | None = None

    @classmethod
    def from_seeds(
        cls, seeds_dir: Path | None = None, paper_path: Path | None = None, sources_dirs: Sequence[Path] = ()
    ) -> EmbeddedStore:
        return cls(load_seeds(seeds_dir, paper_path, sources_dirs))

    @property
    def dataset(self) -> Dataset:
        return self._state.dataset

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self._state.graph

    def set_snapshot_cache_bytes(self, max_bytes: int) -> None:
        """Bound the snapshot cache (estimated bytes, ``app.cache``) from now on, reloads included."""
        self._state.snapshots.set_max_bytes(max_bytes)

    def replace(self, dataset: Dataset) -> dict[str, Any]:
        state = _State.of(dataset, self._state.snapshots.max_bytes)
        origin = self._origin or self
        with origin._lock:
            origin._state = state
        return {"organs": len(dataset.organs), "edges": len(dataset.edges)}

    def version(self) -> str:
        """The checksum a pruned load of this dataset writes into Neo4j (``dataset_checksum``),
        computed on first use."""
        state = self._state
        if state.checksum is None:
            from app.store.neo4j_checksum import dataset_checksum

            state.checksum = dataset_checksum(state.dataset)
        return state.checksum

    def pinned(self) -> EmbeddedStore:
        view = copy.copy(self)  # the same state, lock and cache; only the state reference is its own
        view._origin = self._origin or self
        return view

    def alliances(self) -> dict[str, Alliance]:
        return self._state.dataset.alliances

    def organs(self) -> dict[str, Organ]:
        return self._state.dataset.organs

    def edges(self) -> dict[str, Edge]:
        return self._state.dataset.edges

    def sources(self) -> dict[str, SourceRecord]:
        return self._state.dataset.sources

    def counted_data(self, sources: tuple[str, ...] | None) -> Data:
        with self._lock:
            data, _ = self._state.view(sources)
        return data.alliances, data.organs, data.edges

    def snapshot(self, params: SnapshotParams) -> Snapshot:
        if params.sources is not None:
            params = replace(params, sources=self.resolve_sources(params.sources))
        if params.scenario is not None:
            return self.scenario_snapshot(params)
        # Snapshots are immutable views; the same question asked twice reuses the same one (and its
        # cached traversal graphs).
        state = self._state
        with self._lock:
            cached = state.snapshots.get(params)
            if cached is not None:
                return cached
            data, graph = state.view(params.sources)
            snap = with_sources(
                snapshot_of(graph, params, data.alliances), params.sources or data.source_ids, data.sources
            )
            state.snapshots.put(params, snap)
            return snap

    def health(self) -> dict[str, Any]:
        state = self._state
        return {
            "backend": self.backend,
            "state": "ok",
            "organs": state.graph.number_of_nodes(),
            "edges": state.graph.number_of_edges(),
            "alliances": len(state.dataset.alliances),
        }
