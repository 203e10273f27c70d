"""The embedded store: the seeds loaded into a networkx graph in memory; no database needed."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path
from typing import Any

import networkx as nx

from app.cache import ByteLRU, snapshot_bytes, snapshot_growth
from app.seeds import Dataset, load_seeds
from app.snapshot import Snapshot, SnapshotParams, build_graph, snapshot_of
from app.store.base import Store
from graph_schema.models import Alliance, Edge, Organ

SNAPSHOT_CACHE_BYTES = 256 * 2**20
# Data versions unique in the process, so two embedded stores (a test's variant and the seeds) never
# share one: answers cached under a version belong to exactly one dataset.
_GENERATIONS = itertools.count(1)


class EmbeddedStore(Store):
    """Serves a validated ``Dataset`` from memory; snapshots are cached views of one graph."""

    backend = "embedded"

    def __init__(self, dataset: Dataset, snapshot_cache_bytes: int = SNAPSHOT_CACHE_BYTES) -> None:
        self.dataset = dataset
        self.graph: nx.MultiDiGraph = build_graph(dataset.organs.values(), dataset.edges.values(), dataset.alliances)
        self._version = f"embedded-{next(_GENERATIONS)}"
        self._snapshots: ByteLRU[SnapshotParams, Snapshot] = ByteLRU(
            snapshot_cache_bytes, snapshot_bytes, snapshot_growth
        )
        self._lock = threading.Lock()

    @classmethod
    def from_seeds(
        cls, seeds_dir: Path | None = None, paper_path: Path | None = None, snapshot_cache_bytes: int | None = None
    ) -> EmbeddedStore:
        dataset = load_seeds(seeds_dir, paper_path)
        return cls(dataset) if snapshot_cache_bytes is None else cls(dataset, snapshot_cache_bytes)

    def replace(self, dataset: Dataset) -> dict[str, Any]:
        graph = build_graph(dataset.organs.values(), dataset.edges.values(), dataset.alliances)
        with self._lock:
            # One swap under the lock: data, graph and version change together, and the old
            # version's cached snapshots and answers can no longer be reached.
            self.dataset, self.graph = dataset, graph
            self._version = f"embedded-{next(_GENERATIONS)}"
            self._snapshots.clear()
        return {"organs": len(dataset.organs), "edges": len(dataset.edges)}

    def version(self) -> str:
        return self._version

    def known_version(self) -> str:
        return self._version

    def alliances(self) -> dict[str, Alliance]:
        return self.dataset.alliances

    def organs(self) -> dict[str, Organ]:
        return self.dataset.organs

    def edges(self) -> dict[str, Edge]:
        return self.dataset.edges

    def snapshot(self, params: SnapshotParams) -> Snapshot:
        # Snapshots are immutable views; the same question asked twice reuses the same one (and its
        # cached traversal graphs).
        with self._lock:
            cached = self._snapshots.get(params)
            if cached is not None:
                return cached
            snap = snapshot_of(self.graph, params, self.dataset.alliances)
            self._snapshots.put(params, snap)
            return snap

    def health(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "state": "ok",
            "organs": self.graph.number_of_nodes(),
            "edges": self.graph.number_of_edges(),
            "alliances": len(self.dataset.alliances),
        }
