"""The Neo4j store: alliances, organs, edges and year-snapshots read from a database ``alliances load`` filled.

How it computes things
----------------------
``snapshot(params)`` selects candidates in Cypher, in one read transaction: the organs of the
alliance's scope (its own organs plus national organs that ever have a relationship with one of
them, either direction, any year: ``app.snapshot_view.alliance_scope``) whose possible range (precomputed
by the loader with ``app.snapshot.possible_range``) holds the year; then the relationships between
them under the condition whose possible range holds the year. The rows come back as ids; the
snapshot is built from the store's cached models, in the seeds' order (``seq``), by the same
``app.snapshot_view.snapshot_of`` the embedded store uses, which applies the life rules (certain,
possible, absent, plans, parts, ``existence``, exclusions). The rules are written once, in Python.

The questions (paths, linkage, centrality, compare, diff, export) then run on that snapshot's
networkx graph, not in Cypher. That is deliberate: the semantics of direction (authority runs
superior -> subordinate, coordination is walked both ways), the tie-breaks that order equal paths,
the witnesses and the break analysis are written once, in ``app.questions``, and every answer is
identical whichever store holds the data, which the shared suite checks. The year-snapshots are
small (tens to a few hundred organs), so moving them costs little; Cypher does what a database is
for: selecting by year, condition, plan and scope on indexed properties. The snapshot query still
keeps the graph's semantics: relationships are matched in their stored direction (source ->
target), their types come only from the closed ``EdgeKind`` vocabulary (``kinds`` narrows them),
and the tests check Cypher's own shortest authority paths against the questions'.

Caching and invalidation
------------------------
Models, and snapshots per (params, kinds), are cached; snapshots in a cache bounded by estimated
bytes (``ALLIANCE_SNAPSHOT_CACHE_MB``, ``app.cache``). The loader writes each load as a new
generation beside the live one, in batches, and switches ``(:Meta {id: 'load'})`` to it (its
``gen`` and a ``checksum`` of its content) in one final transaction; every query here reads only the
generation Meta points at, so what a killed load left (same ids, another generation) is never
served. The store reads the checksum at most once per ``META_TTL`` (1 s) and drops every cache when
it changed: a reload shows within a second, and a burst of requests costs one tiny query per
second, not one per request. Neo4j reads are read-committed, so a read that runs while a load
switches could start on one generation and end while it is being deleted: each read transaction
reads Meta again at its end and is asked again when it moved. Changes made by hand in Cypher,
bypassing the loader, are not seen until the next load.

Several processes (``alliances serve --workers N``, or API servers on several machines) over one
database each run this check on their own, so each moves to a new load within ``META_TTL`` of its
commit (plus, on a cluster, the time the member it reads from takes to apply it).

Versions: one answer, one load
------------------------------
``pinned()`` is a view fixed at the models of one checksum; the API takes one per request, so an
answer that asks several things (a lookup, then one snapshot per alliance) never mixes two loads,
and the checksum is its ``ETag``. When a load lands while the view is in use, the view's snapshot
query sees another checksum; it then cuts the snapshot from its own models in Python
(``app.snapshot_view.snapshot_of``, the rules the Cypher mirrors) rather than mix.

Routing and bookmarks
---------------------
Every read runs in ``session.execute_read`` in READ access mode: with a ``neo4j://`` (or
``neo4j+s://``) URI the driver routes it to a reader of the cluster or Aura instance; loads run in
write transactions, routed to the leader. All the store's sessions, and the loads it runs
(``replace``), share one ``neo4j.BookmarkManager``, so a read after a load in the same process is
causally after it: the reader waits until it has applied the load. A load made elsewhere in the
same process (``neo4j_load.load`` on another driver) passes its bookmarks with ``follow``.

Failure
-------
Connection, pool and retry waits are bounded by ``neo4j_timeout_seconds``; an unreachable server or
a failing query raises ``app.errors.StoreUnavailable`` (HTTP 503) within a few seconds, and nothing
broken is cached: the next call tries again, and the driver reconnects when Neo4j is back.

Those waits do not cover a server that accepted the query and then stops answering (frozen,
swapping, a half-open connection): the driver's only read deadline is the server's 120 s hint, and
the server's own query timeout cannot act while the server is frozen. So every read runs on the
store's own small pool of threads (``ReadGate``, ``app.store.neo4j_driver``) and the caller waits for
it at most ``read_deadline`` seconds (``2 * neo4j_timeout_seconds / 3 + 1``: 4.3 s for the default
5), counted from the arrival of the request (``app.deadline``) for all of a request's reads
together; then it answers 503, and the read given up on has its connection shut so that it ends
too (``app.store.neo4j_reads``, which also retries briefly, keeps the cause of the last failure and
keeps logins from tripping Neo4j's lock of the user). At most ``neo4j_max_pending_reads`` reads wait
on Neo4j at once, so a frozen server holds a bounded number of threads and connections; when they
are all held by reads already given up on, the next requests are answered 503 at once. They come
back by themselves when Neo4j answers again. Messages never carry the URI, the credentials or the
resolved address (``app.redact``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, TypeVar

from app import deadline
from app.config import Settings
from app.dataset import Dataset
from app.errors import StoreUnavailable
from app.redact import one_line
from app.snapshot import ALL_KINDS, SnapshotParams
from app.snapshot_view import Snapshot, build_graph, snapshot_of, with_sources
from app.store.base import Data, Store
from app.store.neo4j_driver import driver_from_settings, read_deadline_for, unavailable
from app.store.neo4j_load import LoadAborted, load
from app.store.neo4j_read import COUNTS, SNAPSHOT_CACHE_BYTES, LoadData, check_direction, read_all, read_meta, select
from app.store.neo4j_reads import Reads
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.scenario import Scenario
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import EdgeKind

META_TTL = 1.0  # seconds between two checks of the load checksum
MAX_PENDING_READS = 8
RELOAD_DEADLINE = 30.0  # seconds /admin/reload waits for Neo4j to commit the new seeds


T = TypeVar("T")


class Neo4jStore(Store):
    """Serves the graph from Neo4j; see the module docstring for what runs where and why."""

    backend = "neo4j"

    def __init__(
        self,
        driver: Any,
        database: str = "neo4j",
        uri: str = "",
        meta_ttl: float = META_TTL,
        query_timeout: float = 5.0,
        bookmark_manager: Any = None,
        read_deadline: float | None = None,
        max_pending_reads: int = MAX_PENDING_READS,
        snapshot_cache_bytes: int = SNAPSHOT_CACHE_BYTES,
    ) -> None:
        import neo4j

        self._driver = driver
        self.database = database
        self.uri = uri
        self._query_timeout = query_timeout
        self.read_deadline = read_deadline_for(query_timeout) if read_deadline is None else read_deadline
        self._meta_ttl = meta_ttl
        self._snapshot_cache_bytes = snapshot_cache_bytes
        self._lock = threading.Lock()
        self._data: LoadData | None = None
        self._checked_at = float("-inf")
        # Shared by every session of the store and by the loads it runs: reads are causally after
        # the last load this process made or followed.
        self.bookmark_manager = bookmark_manager or neo4j.GraphDatabase.bookmark_manager()
        self._reads = Reads(driver, database, self.bookmark_manager, query_timeout, max_pending_reads)
        self._gate = self._reads.gate

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        """A store on ``NEO4J_URI``; nothing is contacted until the first call."""
        if not settings.neo4j_uri:
            raise ValueError("NEO4J_URI is not set")
        driver = driver_from_settings(settings)
        return cls(
            driver,
            settings.neo4j_database,
            settings.neo4j_uri,
            query_timeout=settings.neo4j_timeout_seconds,
            max_pending_reads=settings.neo4j_max_pending_reads,
            snapshot_cache_bytes=int(settings.alliance_snapshot_cache_mb * 2**20),
        )

    # ------------------------------------------------------------------------------ plumbing

    def _time_left(self) -> float:
        """What is left of the request's time for the store (all its reads together)."""
        started = deadline.request_started()
        if started is None:
            return self.read_deadline
        return min(self.read_deadline, started + self.read_deadline - time.monotonic())

    def _read(self, work: Callable[[Any], T]) -> T:
        """Run ``work(tx)`` in a read transaction, waited for at most the time left (see the module
        docstring and ``app.store.neo4j_reads``); any driver or server failure, or no answer in time
        -> StoreUnavailable."""
        return self._reads.read(work, self._time_left(), deadline.request_started())

    def _load_all(self, tx: Any) -> LoadData | None:
        """Every model of the live generation; None when a load switched generations meanwhile."""
        return read_all(tx, self._snapshot_cache_bytes)

    def _current(self) -> LoadData:
        """The cached models, re-read when the load checksum changed (checked at most every META_TTL s)."""
        now = time.monotonic()
        with self._lock:
            data = self._data
            if data is not None and now - self._checked_at < self._meta_ttl:
                return data
        version, _ = self._read(read_meta)
        if data is None or data.version != version:
            for _ in range(3):
                fresh = self._read(self._load_all)
                if fresh is not None:
                    break
            else:
                raise StoreUnavailable("Neo4j is being reloaded; try again")
            data = fresh
        with self._lock:
            if self._data is None or self._data.version != data.version:
                self._data = data
            self._checked_at = now
            return self._data

    def _fresh(self) -> LoadData | None:
        """The cached models if checked within META_TTL, without any I/O; else None."""
        with self._lock:
            data = self._data
            if data is not None and time.monotonic() - self._checked_at < self._meta_ttl:
                return data
        return None

    def invalidate(self) -> None:
        """Forget every cached model and snapshot (the next call re-reads Neo4j)."""
        with self._lock:
            self._data = None
            self._checked_at = float("-inf")

    def follow(self, bookmarks: Iterable[str]) -> None:
        """Read at or after the transactions of ``bookmarks`` (a load's ``bookmarks``) from now on,
        and re-check the load checksum on the next call."""
        raw = list(bookmarks)
        if raw:
            self.bookmark_manager.update_bookmarks((), raw)
        self.invalidate()

    # ------------------------------------------------------------------------------ versions

    def version(self) -> str | None:
        return self._current().version

    def pinned(self) -> Store:
        return _Pinned(self, self._current())

    def pinned_if_cached(self) -> Store | None:
        data = self._fresh()
        return None if data is None else _Pinned(self, data)

    # ------------------------------------------------------------------------------ the Store interface

    def alliances(self) -> dict[str, Alliance]:
        return self._current().alliances

    def organs(self) -> dict[str, Organ]:
        return self._current().organs

    def edges(self) -> dict[str, Edge]:
        return self._current().edges

    def sources(self) -> dict[str, SourceRecord]:
        return self._current().sources

    def counted_data(self, sources: tuple[str, ...] | None) -> Data:
        counted, _ = self._current().view(sources)
        return counted.alliances, counted.organs, counted.edges

    def snapshot(self, params: SnapshotParams, kinds: Iterable[EdgeKind] | None = None) -> Snapshot:
        """The organs and edges alive under ``params``, selected in Cypher (see the module docstring).

        ``kinds`` narrows the relationship types fetched (all kinds by default, as the questions
        choose theirs on the snapshot).
        """
        if params.sources is not None:
            params = replace(params, sources=self.resolve_sources(params.sources))
        if params.scenario is not None:
            return self.scenario_snapshot(params)
        wanted = ALL_KINDS if kinds is None else frozenset(EdgeKind(k) for k in kinds)
        for _ in range(2):
            data = self._current()
            snap = self._snapshot_at(data, params, wanted)
            if snap is not None:
                return snap
            # A load landed between the checksum check and this query (or someone wrote to the
            # graph by hand, bypassing the checksum): re-read the models, then ask again.
            self.invalidate()
        raise StoreUnavailable("Neo4j is being reloaded; try again")

    def _snapshot_at(self, data: LoadData, params: SnapshotParams, wanted: frozenset[EdgeKind]) -> Snapshot | None:
        """The snapshot of ``data``'s version, from its cache or Cypher; None if the database has moved on."""
        key = (params, wanted)
        cached = data.snapshots.get(key)
        if cached is not None:
            return cached
        if params.sources is not None:
            # A subset of the loaded sources: their claims pooled in Python (``Dataset.counted``), the
            # snapshot cut from that, as the embedded store does; the models are this load's.
            return self._select_locally(data, params, wanted)
        version, organ_ids, edge_rows = self._read(lambda tx: select(tx, params, wanted))
        if (
            version != data.version
            or not organ_ids <= data.organs.keys()
            or not all(row[0] in data.edges for row in edge_rows)
        ):
            return None
        return self._keep(data, key, self._build(data, params, organ_ids, edge_rows))

    def _keep(self, data: LoadData, key: tuple[SnapshotParams, frozenset[EdgeKind]], snap: Snapshot) -> Snapshot:
        data.snapshots.put(key, snap)
        return snap

    def _select_locally(self, data: LoadData, params: SnapshotParams, wanted: frozenset[EdgeKind]) -> Snapshot:
        """The snapshot of ``data``'s version cut in Python, for a view whose version the database has
        left, or for a subset of the loaded sources."""
        counted, graph = data.view(params.sources)
        view = snapshot_of(graph, params, counted.alliances)
        organ_ids = set(view.graph.nodes)
        edge_rows = [(e.id or "", e.source, e.target) for e in view.edges(wanted)]
        return self._keep(data, (params, wanted), self._build(data, params, organ_ids, edge_rows))

    def _build(
        self, data: LoadData, params: SnapshotParams, organ_ids: set[str], edge_rows: list[tuple[str, str, str]]
    ) -> Snapshot:
        counted, _ = data.view(params.sources)
        edge_ids = set()
        for edge_id, source, target in edge_rows:
            check_direction(counted.edges[edge_id], source, target)
            edge_ids.add(edge_id)
        # Filtering the cached, seed-ordered dicts keeps the embedded store's insertion order, which
        # graph algorithms and exports follow.
        organs = [o for i, o in counted.organs.items() if i in organ_ids]
        edges = [e for i, e in counted.edges.items() if i in edge_ids]
        graph = build_graph(organs, edges)
        snap = snapshot_of(graph, params, counted.alliances, scope=organ_ids, organs=counted.organs)
        return with_sources(snap, params.sources or counted.source_ids, counted.sources)

    def health(self) -> dict[str, Any]:
        """Backend, state "ok", database, alliance/organ/edge counts and whether a load happened.

        Counted afresh on every call (no cache), so it really probes Neo4j. When Neo4j cannot be
        reached it raises StoreUnavailable like every other method; the /health route answers
        that with 503 and ``state: "unavailable"`` and the reason.
        """

        def work(tx: Any) -> dict[str, Any] | None:
            version, gen = read_meta(tx)
            counts = tx.run(COUNTS, gen=gen).single()
            if read_meta(tx) != (version, gen):  # counted while a load switched: count again
                return None
            return {
                "alliances": counts["alliances"],
                "organs": counts["organs"],
                "edges": counts["edges"],
                "loaded": version is not None,
            }

        for _ in range(3):
            counted = self._read(work)
            if counted is not None:
                return {"backend": self.backend, "state": "ok", "database": self.database, **counted}
        raise StoreUnavailable("Neo4j is being reloaded; try again")

    def replace(self, dataset: Dataset) -> dict[str, Any]:
        """Load ``dataset`` in place of what Neo4j holds (``--prune``): a new generation, switched to at once."""
        from neo4j.exceptions import DriverError, Neo4jError

        def write() -> dict[str, Any]:
            try:
                return load(
                    self._driver, dataset, database=self.database, prune=True, bookmark_manager=self.bookmark_manager
                )
            except (DriverError, Neo4jError, OSError) as err:
                raise unavailable(err) from None
            except LoadAborted as err:  # e.g. another load switched first: the old graph is still served
                raise StoreUnavailable(f"the reload was abandoned: {one_line(err)}") from None

        seconds = max(self.read_deadline, RELOAD_DEADLINE)
        try:
            counts = self._gate.run(write, seconds)
        except StoreUnavailable as err:
            if "did not answer within" in err.message:
                raise StoreUnavailable(
                    f"Neo4j did not confirm the reload within {seconds:.0f} s; it commits whole or not at all,"
                    " and may still commit: /health shows the counts"
                ) from None
            raise
        finally:
            self.invalidate()
        counts.pop("bookmarks", None)  # the store's bookmark manager holds them
        return counts

    def check(self) -> None:
        """Fail at once, without the driver's transaction retries, when Neo4j cannot be reached."""
        self._reads.verify(self._time_left())

    def close(self) -> None:
        self._driver.close()


class _Pinned(Store):
    """A Neo4j store fixed at one load checksum (``Neo4jStore.pinned``): every model and snapshot it
    hands out is of that version."""

    backend = "neo4j"

    def __init__(self, store: Neo4jStore, data: LoadData) -> None:
        self._store = store
        self._data = data

    def version(self) -> str | None:
        return self._data.version

    def scenarios(self) -> dict[str, Scenario]:
        return self._store.scenarios()

    def scenarios_token(self) -> str:
        return self._store.scenarios_token()

    def pinned(self) -> Store:
        return self

    def pinned_if_cached(self) -> Store | None:
        return self

    def alliances(self) -> dict[str, Alliance]:
        return self._data.alliances

    def organs(self) -> dict[str, Organ]:
        return self._data.organs

    def edges(self) -> dict[str, Edge]:
        return self._data.edges

    def sources(self) -> dict[str, SourceRecord]:
        return self._data.sources

    def counted_data(self, sources: tuple[str, ...] | None) -> Data:
        counted, _ = self._data.view(sources)
        return counted.alliances, counted.organs, counted.edges

    def snapshot(self, params: SnapshotParams, kinds: Iterable[EdgeKind] | None = None) -> Snapshot:
        if params.sources is not None:
            params = replace(params, sources=self.resolve_sources(params.sources))
        if params.scenario is not None:
            return self.scenario_snapshot(params)
        wanted = ALL_KINDS if kinds is None else frozenset(EdgeKind(k) for k in kinds)
        snap = self._store._snapshot_at(self._data, params, wanted)
        if snap is None:  # a load landed since this view was taken: answer from the view's own models
            snap = self._store._select_locally(self._data, params, wanted)
        return snap

    def health(self) -> dict[str, Any]:
        return self._store.health()

    def replace(self, dataset: Dataset) -> dict[str, Any]:
        return self._store.replace(dataset)
