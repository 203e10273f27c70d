"""The embedded store: the seeds loaded into a networkx graph in memory; no database needed."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import networkx as nx

from app.seeds import Dataset, load_seeds
from app.snapshot import Snapshot, SnapshotParams, build_graph, snapshot_of
from app.store.base import Store
from graph_schema.models import Alliance, Edge, Organ

SNAPSHOT_CACHE_SIZE = 512


class EmbeddedStore(Store):
    """Serves a validated ``Dataset`` from memory; snapshots are cached views of one graph."""

    backend = "embedded"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.graph: nx.MultiDiGraph = build_graph(dataset.organs.values(), dataset.edges.values(), dataset.alliances)
        self._snapshots: OrderedDict[SnapshotParams, Snapshot] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_seeds(cls, seeds_dir: Path | None = None, paper_path: Path | None = None) -> EmbeddedStore:
        return cls(load_seeds(seeds_dir, paper_path))

    def replace(self, dataset: Dataset) -> dict[str, Any]:
        graph = build_graph(dataset.organs.values(), dataset.edges.values(), dataset.alliances)
        with self._lock:
            self.dataset, self.graph = dataset, graph
            self._snapshots.clear()
        return {"organs": len(dataset.organs), "edges": len(dataset.edges)}

    def alliances(self) -> dict[str, Alliance]:
        return self.dataset.alliances

    def organs(self) -> dict[str, Organ]:
        return self.dataset.organs

    def edges(self) -> dict[str, Edge]:
        return self.dataset.edges

    def snapshot(self, params: SnapshotParams) -> Snapshot:
        if params.scenario is not None:
            return self.scenario_snapshot(params)
        # Snapshots are immutable views; the same question asked twice reuses the same one (and its
        # cached traversal graphs).
        with self._lock:
            cached = self._snapshots.get(params)
            if cached is not None:
                self._snapshots.move_to_end(params)
                return cached
            snap = snapshot_of(self.graph, params, self.dataset.alliances)
            self._snapshots[params] = snap
            if len(self._snapshots) > SNAPSHOT_CACHE_SIZE:
                self._snapshots.popitem(last=False)
            return snap

    def health(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "state": "ok",
            "organs": self.graph.number_of_nodes(),
            "edges": self.graph.number_of_edges(),
            "alliances": len(self.dataset.alliances),
        }
