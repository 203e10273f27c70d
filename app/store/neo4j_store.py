"""The Neo4j store: alliances, organs, edges and year-snapshots read from a database ``alliances load`` filled.

How it computes things
----------------------
``snapshot(params)`` selects in Cypher, in one read transaction: the organs alive in the year (the
precomputed ``start`` property is ``app.snapshot.organ_start``; the end is ``ended``, or the planned
end when plans are asked for), planned ones only with ``include_planned``, the alliance's scope (its
own organs plus national organs that ever have a relationship with one of them, either direction,
any year: ``app.snapshot.alliance_scope``), minus the excluded ids; then the relationships between
those organs that hold in the year under the condition. The rows come back as ids, and the snapshot
is built from the store's cached models with ``app.snapshot.build_graph``, in the seeds' order
(``seq``), so it is the very object the embedded store would hand out.

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
Models, and snapshots per (params, kinds), are cached; snapshots in a cache bounded by bytes
(``ALLIANCE_SNAPSHOT_CACHE_MB``, ``app.cache``). The loader writes each load as a new generation and
switches ``(:Meta {id: 'load'})`` to it (its ``gen`` and a ``checksum`` of its content) in one final
transaction; every query here reads only the generation Meta points at. ``current_version()``
reads Meta at most once per ``META_TTL`` (1 s) and drops every cache when it changed: a reload shows
within a second, and a burst of requests costs one tiny query per second, not one per request.
Neo4j reads are read-committed, so a query that runs while a load switches could start on one
generation and end after it is being deleted: each read transaction reads Meta again at its end
and is retried when it moved. Changes made by hand in Cypher, bypassing the loader, are not seen
until the next load.

Failure
-------
Every read runs in ``session.execute_read`` (so ``neo4j://`` routing URIs to clusters and Aura work).
Connection, pool and retry waits are bounded by ``neo4j_timeout_seconds``; an unreachable server or
a failing query raises ``app.errors.StoreUnavailable`` (HTTP 503) within a few seconds, and nothing
broken is cached: the next call tries again, and the driver reconnects when Neo4j is back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import ValidationError

from app.cache import ByteLRU, snapshot_bytes, snapshot_growth
from app.config import Settings
from app.errors import StoreUnavailable
from app.seeds import Dataset
from app.snapshot import ALL_KINDS, Snapshot, SnapshotParams, build_graph
from app.store.base import Store
from app.store.neo4j_load import ALL_REL_TYPES, META_ID, load, open_driver
from graph_schema.generate import REL_TYPES
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import Condition, EdgeKind, Status

META_TTL = 1.0  # seconds between two checks of the load checksum
SNAPSHOT_CACHE_BYTES = 256 * 2**20

T = TypeVar("T")

_META = "OPTIONAL MATCH (m:Meta {id: $meta}) RETURN m.checksum AS version, m.gen AS gen"
_ALLIANCES = "MATCH (a:Alliance) WHERE a.gen = $gen AND a.doc IS NOT NULL RETURN a.doc AS doc ORDER BY a.seq, a.id"
_ORGANS = "MATCH (o:Organ) WHERE o.gen = $gen AND o.doc IS NOT NULL RETURN o.doc AS doc ORDER BY o.seq, o.id"
_EDGES = (
    f"MATCH (s:Organ)-[r:{ALL_REL_TYPES}]->(t:Organ) WHERE s.gen = $gen AND r.gen = $gen AND r.doc IS NOT NULL "
    "RETURN r.doc AS doc, s.id AS source, t.id AS target ORDER BY r.seq, r.id"
)
_COUNTS = (
    "CALL { MATCH (a:Alliance) WHERE a.gen = $gen RETURN count(a) AS alliances } "
    "CALL { MATCH (o:Organ) WHERE o.gen = $gen RETURN count(o) AS organs } "
    f"CALL {{ MATCH (o:Organ)-[r:{ALL_REL_TYPES}]->(:Organ) WHERE o.gen = $gen AND r.gen = $gen "
    "RETURN count(r) AS edges } "
    "RETURN alliances, organs, edges"
)

# The organs of a snapshot: the life rule of app.snapshot.organ_alive, the scope of
# app.snapshot.alliance_scope (read on the timeless graph: any relationship, either direction, any
# year) and the what-if exclusions.
_SNAPSHOT_ORGANS = f"""
MATCH (o:Organ)
WHERE o.gen = $gen AND o.doc IS NOT NULL
  AND ($alliance IS NULL
       OR o.alliance = $alliance
       OR (o.alliance IS NULL AND EXISTS {{ MATCH (o)-[:{ALL_REL_TYPES}]-(:Organ {{alliance: $alliance}}) }}))
  AND NOT o.id IN $exclude
  AND ($planned OR o.status <> '{Status.PLANNED.value}')
WITH o,
     CASE WHEN $planned AND o.planned_end IS NOT NULL AND (o.ended IS NULL OR o.planned_end < o.ended)
          THEN o.planned_end ELSE o.ended END AS end
WHERE $year IS NULL OR ((o.start IS NULL OR o.start <= $year) AND (end IS NULL OR $year < end))
RETURN o.id AS id
"""


@lru_cache(maxsize=64)
def snapshot_edges_query(kinds: frozenset[EdgeKind]) -> str:
    """The edges of a snapshot: between its organs, in their stored direction, of ``kinds`` only,
    alive in the year under the condition (``app.snapshot.edge_alive``).

    The relationship types are spelt from the closed ``EdgeKind`` vocabulary, never from input.

    Examples
    --------
    >>> "[r:AUTHORITY|COORDINATION]->" in snapshot_edges_query(frozenset({EdgeKind.COORDINATION, EdgeKind.AUTHORITY}))
    True
    """
    types = "|".join(REL_TYPES[kind] for kind in EdgeKind if kind in kinds)
    if not types:
        raise ValueError("at least one edge kind is needed")
    return f"""
MATCH (s:Organ)-[r:{types}]->(t:Organ)
WHERE s.id IN $organs AND s.gen = $gen AND t.id IN $organs AND t.gen = $gen AND r.doc IS NOT NULL
  AND ($planned OR r.status <> '{Status.PLANNED.value}')
  AND ($condition IS NULL OR r.condition IN ['{Condition.ANY.value}', $condition])
WITH s, r, t, coalesce(r.from, r.not_before) AS start
WHERE $year IS NULL OR ((start IS NULL OR start <= $year) AND (r.to IS NULL OR $year < r.to))
RETURN r.id AS id, s.id AS source, t.id AS target
"""


@dataclass
class _Data:
    """One consistent read of the database: the models at one load checksum."""

    version: str | None
    gen: int | None
    alliances: dict[str, Alliance]
    organs: dict[str, Organ]
    edges: dict[str, Edge]
    snapshots: ByteLRU[tuple[SnapshotParams, frozenset[EdgeKind]], Snapshot] = field(
        default_factory=lambda: ByteLRU(SNAPSHOT_CACHE_BYTES, snapshot_bytes, snapshot_growth)
    )


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
        snapshot_cache_bytes: int = SNAPSHOT_CACHE_BYTES,
    ) -> None:
        self._snapshot_cache_bytes = snapshot_cache_bytes
        self._driver = driver
        self.database = database
        self.uri = uri
        self._query_timeout = query_timeout
        self._meta_ttl = meta_ttl
        self._lock = threading.Lock()
        self._data: _Data | None = None
        self._checked_at = float("-inf")

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        """A store on ``NEO4J_URI``; nothing is contacted until the first call."""
        if not settings.neo4j_uri:
            raise ValueError("NEO4J_URI is not set")
        try:
            driver = open_driver(
                settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_timeout_seconds
            )
        except ValueError as err:  # neo4j's ConfigurationError is one: a malformed URI
            raise StoreUnavailable(f"Neo4j URI {settings.neo4j_uri!r} cannot be used: {err}") from err
        return cls(
            driver,
            settings.neo4j_database,
            settings.neo4j_uri,
            query_timeout=settings.neo4j_timeout_seconds,
            snapshot_cache_bytes=int(settings.alliance_snapshot_cache_mb * 2**20),
        )

    # ------------------------------------------------------------------------------ plumbing

    def _unavailable(self, err: BaseException) -> StoreUnavailable:
        reason = " ".join(str(err).split()) or type(err).__name__
        return StoreUnavailable(f"Neo4j at {self.uri or 'the configured URI'} is unavailable: {reason}")

    def _read(self, work: Callable[[Any], T]) -> T:
        """Run ``work(tx)`` in a read transaction; any driver or server failure -> StoreUnavailable."""
        from neo4j import unit_of_work
        from neo4j.exceptions import DriverError, Neo4jError

        # The server aborts a read that runs longer than the timeout, so a pathological query
        # cannot hold a request (and a pool connection) for long.
        bounded = unit_of_work(timeout=self._query_timeout)(work)
        try:
            with self._driver.session(database=self.database, default_access_mode="READ") as session:
                result: T = session.execute_read(bounded)
                return result
        except (DriverError, Neo4jError, OSError) as err:
            raise self._unavailable(err) from err

    def _load_all(self, tx: Any) -> _Data | None:
        """Every model of the live generation; None when a load switched generations meanwhile."""
        version, gen = _read_meta(tx)
        try:
            alliances = [Alliance.model_validate_json(r["doc"]) for r in tx.run(_ALLIANCES, gen=gen)]
            organs = [Organ.model_validate_json(r["doc"]) for r in tx.run(_ORGANS, gen=gen)]
            edges = []
            for r in tx.run(_EDGES, gen=gen):
                edge = Edge.model_validate_json(r["doc"])
                _check_direction(edge, r["source"], r["target"])
                edges.append(edge)
        except ValidationError as err:
            raise StoreUnavailable(
                "the data in Neo4j does not match this version's vocabulary; reload it with 'alliances load'"
                f" ({err.error_count()} problem(s))"
            ) from err
        if _read_meta(tx) != (version, gen):
            return None
        return _Data(
            version,
            gen,
            {a.id: a for a in alliances},
            {o.id: o for o in organs},
            {e.id or "": e for e in edges},
            ByteLRU(self._snapshot_cache_bytes, snapshot_bytes, snapshot_growth),
        )

    def current_version(self) -> str | None:
        """The live load's checksum (None before any load): the data version answers are cached
        under. Read from Neo4j at most once per ``META_TTL``; a new load is seen within that."""
        return self._current().version

    def version(self) -> str | None:
        return self.current_version()

    def known_version(self) -> str | None:
        with self._lock:
            data = self._data
            if data is not None and time.monotonic() - self._checked_at < self._meta_ttl:
                return data.version
        return None

    def _current(self) -> _Data:
        """The cached models, re-read when the live generation changed (checked at most every META_TTL s)."""
        now = time.monotonic()
        with self._lock:
            data = self._data
            if data is not None and now - self._checked_at < self._meta_ttl:
                return data
        meta = self._read(_read_meta)
        if data is None or (data.version, data.gen) != meta:
            for _ in range(3):
                fresh = self._read(self._load_all)
                if fresh is not None:
                    break
            else:
                raise StoreUnavailable("Neo4j is being reloaded; try again")
            data = fresh
        with self._lock:
            if self._data is None or (self._data.version, self._data.gen) != (data.version, data.gen):
                self._data = data
            self._checked_at = now
            return self._data

    def invalidate(self) -> None:
        """Forget every cached model and snapshot (the next call re-reads Neo4j)."""
        with self._lock:
            self._data = None
            self._checked_at = float("-inf")

    # ------------------------------------------------------------------------------ the Store interface

    def alliances(self) -> dict[str, Alliance]:
        return self._current().alliances

    def organs(self) -> dict[str, Organ]:
        return self._current().organs

    def edges(self) -> dict[str, Edge]:
        return self._current().edges

    def snapshot(self, params: SnapshotParams, kinds: Iterable[EdgeKind] | None = None) -> Snapshot:
        """The organs and edges alive under ``params``, selected in Cypher (see the module docstring).

        ``kinds`` narrows the relationship types fetched (all kinds by default, as the questions
        choose theirs on the snapshot).
        """
        wanted = ALL_KINDS if kinds is None else frozenset(EdgeKind(k) for k in kinds)
        key = (params, wanted)
        for _ in range(2):
            data = self._current()
            cached = data.snapshots.get(key)
            if cached is not None:
                return cached
            version, organ_ids, edge_rows = self._read(lambda tx: _select(tx, params, wanted))
            if (
                version != data.version
                or not organ_ids <= data.organs.keys()
                or not all(row[0] in data.edges for row in edge_rows)
            ):
                # A load landed between the checksum check and this query (or someone wrote to the
                # graph by hand, bypassing the checksum): re-read the models, then ask again.
                self.invalidate()
                continue
            snap = self._build(data, params, organ_ids, edge_rows)
            data.snapshots.put(key, snap)
            return snap
        raise StoreUnavailable("Neo4j is being reloaded; try again")

    def _build(
        self, data: _Data, params: SnapshotParams, organ_ids: set[str], edge_rows: list[tuple[str, str, str]]
    ) -> Snapshot:
        edge_ids = set()
        for edge_id, source, target in edge_rows:
            _check_direction(data.edges[edge_id], source, target)
            edge_ids.add(edge_id)
        # Filtering the cached, seed-ordered dicts keeps the embedded store's insertion order, which
        # graph algorithms and exports follow.
        organs = [o for i, o in data.organs.items() if i in organ_ids]
        edges = [e for i, e in data.edges.items() if i in edge_ids]
        return Snapshot(params=params, graph=build_graph(organs, edges, data.alliances), alliances=data.alliances)

    def health(self) -> dict[str, Any]:
        """Backend, state "ok", database, alliance/organ/edge counts and whether a load happened.

        Counted afresh on every call (no cache), so it really probes Neo4j. When Neo4j cannot be
        reached it raises StoreUnavailable like every other method; the /health route answers
        that with 503 and ``state: "unavailable"`` and the reason.
        """

        def work(tx: Any) -> dict[str, Any]:
            version, gen = _read_meta(tx)
            counts = tx.run(_COUNTS, gen=gen).single()
            return {
                "alliances": counts["alliances"],
                "organs": counts["organs"],
                "edges": counts["edges"],
                "loaded": version is not None,
            }

        return {"backend": self.backend, "state": "ok", "database": self.database, **self._read(work)}

    def replace(self, dataset: Dataset) -> dict[str, Any]:
        """Load ``dataset`` in place of what Neo4j holds (``--prune``), in one transaction."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            counts = load(self._driver, dataset, database=self.database, prune=True)
        except (DriverError, Neo4jError, OSError) as err:
            raise self._unavailable(err) from err
        finally:
            self.invalidate()
        return counts

    def close(self) -> None:
        self._driver.close()


def _select(tx: Any, params: SnapshotParams, kinds: frozenset[EdgeKind]) -> tuple[str | None, set[str], list[Any]]:
    """The load checksum, organ ids and (edge id, source, target) rows of a snapshot, in one transaction.

    The checksum is None when a load switched generations during the transaction (the rows may be
    of a generation being deleted): the caller asks again.
    """
    version, gen = _read_meta(tx)
    common = {
        "year": params.as_of,
        "planned": params.include_planned,
        "gen": gen,
    }
    organ_ids = [
        r["id"] for r in tx.run(_SNAPSHOT_ORGANS, alliance=params.alliance, exclude=sorted(params.exclude), **common)
    ]
    condition = params.condition.value if params.condition is not None else None
    edge_rows = [
        (r["id"], r["source"], r["target"])
        for r in tx.run(snapshot_edges_query(kinds), organs=organ_ids, condition=condition, **common)
    ]
    if _read_meta(tx) != (version, gen):
        return None, set(), []
    return version, set(organ_ids), edge_rows


def _read_meta(tx: Any) -> tuple[str | None, int | None]:
    """(checksum, generation) of the live load, (None, None) before any load."""
    record = tx.run(_META, meta=META_ID).single()
    version, gen = record["version"], record["gen"]
    if version is not None and gen is None:
        raise StoreUnavailable(
            "the data in Neo4j was loaded before load generations existed; reload it with 'alliances load'"
        )
    return version, gen


def _check_direction(edge: Edge, source: str, target: str) -> None:
    # The relationship's direction is the edge's direction; a mismatch means the database was edited
    # by hand, and answering from it would silently reverse authority.
    if (edge.source, edge.target) != (source, target):
        raise StoreUnavailable(
            f"edge {edge.id} runs {source} -> {target} in Neo4j but {edge.source} -> {edge.target} in its doc;"
            " reload with 'alliances load --prune'"
        )
