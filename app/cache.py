"""Caches bounded by bytes, not by count: a 100k-organ snapshot weighs hundreds of MB, a seed one a few.

``ByteLRU`` keeps entries until their estimated sizes add up to ``max_bytes``, then drops the least
recently used. Sizes are estimates (``size_of(value)``), re-taken when an entry may have grown: a
snapshot caches its traversal graphs and memos after it was first stored, so ``get`` re-measures an
entry whose ``grown(value)`` token changed since it was last measured (cheap to check; the
measurement itself runs only then), and so does ``put`` for the previous newest entry, which its
caller has just been working on. What may go unmeasured at any time is the growth of one entry.

``snapshot_bytes`` is the estimate for ``app.snapshot_view.Snapshot``; its constants are per-object costs
measured with ``tracemalloc`` on CPython 3.11 (see ``bench/results``, "memory" section): a node of a
networkx graph with its adjacency dicts, an arc with its attribute dict, an id in a view's node set.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Per-object costs, measured (tracemalloc) on the seeds and on synthetic 10k-organ structures.
VIEW_NODE_BYTES = 120  # an organ id in a snapshot view's node set (dict key) and its filter share
GRAPH_NODE_BYTES = 700  # a node of a built (Multi)DiGraph: node, succ and pred dicts, attribute dict
GRAPH_ARC_BYTES = 550  # an arc: succ and pred entries, its attribute dict (and key dict, multigraphs)
MEMO_ITEM_BYTES = 150  # one item of a memoised dict/set/list (ids, small tuples)
JUDGEMENT_BYTES = 200  # one entry of a snapshot's judgements (its key, and the Judgement it names)
ENTRY_BYTES = 400  # the entry itself: key, OrderedDict node, the Snapshot object


class ByteLRU(Generic[K, V]):
    """A thread-safe LRU map bounded by the sum of its entries' estimated sizes.

    The most recently used entry is never evicted, even when it alone outweighs the bound (a
    100k-organ snapshot with its traversal graphs weighs more than the default 256 MiB): evicting
    it would make every question about it build it again. Everything else goes first, so what is
    held is at most the bound, or that one entry.
    """

    def __init__(
        self,
        max_bytes: int,
        size_of: Callable[[V], int],
        grown: Callable[[V], Hashable] | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._grown = grown
        self._entries: OrderedDict[K, tuple[V, int, Hashable]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        """The estimated bytes held now (at most ``max_bytes``, or the newest entry's alone)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, size, token = entry
            self._entries.move_to_end(key)
            if self._grown is not None:
                now = self._grown(value)
                if now != token:
                    new_size = self._size_of(value)
                    self._entries[key] = (value, new_size, now)
                    self._bytes += new_size - size
                    self._evict()
            return value

    def put(self, key: K, value: V) -> None:
        size = self._size_of(value)
        token = self._grown(value) if self._grown is not None else None
        with self._lock:
            # The newest entry is the one most likely to have grown since it was stored (its caller
            # went on to build traversal graphs on it): measure it again.
            self._remeasure_newest()
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if self.max_bytes <= 0:  # the cache is off
                return
            self._entries[key] = (value, size, token)
            self._bytes += size
            self._evict()

    def _remeasure_newest(self) -> None:
        if self._grown is None or not self._entries:
            return
        key = next(reversed(self._entries))
        value, size, token = self._entries[key]
        now = self._grown(value)
        if now != token:
            new_size = self._size_of(value)
            self._entries[key] = (value, new_size, now)
            self._bytes += new_size - size

    def set_max_bytes(self, max_bytes: int) -> None:
        with self._lock:
            self.max_bytes = max_bytes
            self._evict()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _evict(self) -> None:
        # Oldest first, never the newest (see the class docstring).
        while self._bytes > self.max_bytes and len(self._entries) > 1:
            _, (_, size, _) = self._entries.popitem(last=False)
            self._bytes -= size
        if self.max_bytes <= 0:
            self._entries.clear()
            self._bytes = 0


# ------------------------------------------------------------------------------------- snapshot sizes


def _container_items(value: Any) -> int:
    if isinstance(value, dict | set | frozenset | list | tuple):
        return len(value) + sum(_container_items(v) for v in value.values()) if isinstance(value, dict) else len(value)
    return 1


def snapshot_growth(snap: Any) -> Hashable:
    """What changes when a snapshot caches more: how many traversal graphs and memos it holds."""
    return (len(snap._traversal), len(snap._memo))


def graph_bytes(g: Any) -> int:
    """Estimated bytes of a built networkx graph: its nodes and arcs."""
    return GRAPH_NODE_BYTES * len(g._node) + GRAPH_ARC_BYTES * sum(len(n) for n in g._adj.values())


def snapshot_bytes(snap: Any) -> int:
    """Estimated bytes a cached ``Snapshot`` holds beyond the store's own graph.

    A view (the embedded store) holds its node set; a built graph (the Neo4j store) holds its nodes
    and arcs. Either holds a judgement per organ and edge, its traversal graphs (one per set of
    kinds asked) and memos. Measured against ``tracemalloc`` on the seeds and on a synthetic
    10k-organ structure, the estimate is 1.4-1.9x what the snapshot really holds: a bound in these
    units is kept in real memory.
    """
    total = ENTRY_BYTES + JUDGEMENT_BYTES * len(snap.judgements)
    source = getattr(snap, "_source", None)
    total += VIEW_NODE_BYTES * len(source.alive) if source is not None else graph_bytes(snap.graph)
    for t in list(snap._traversal.values()):
        total += graph_bytes(t)
    for value in list(snap._memo.values()):
        total += MEMO_ITEM_BYTES * _container_items(value)
    return total


def scenario_snapshot_bytes(snap: Any) -> int:
    """``snapshot_bytes`` plus the graph a scenario's overlay built for it alone."""
    source = getattr(snap, "_source", None)
    return snapshot_bytes(snap) + (graph_bytes(source.base) if source is not None else 0)
