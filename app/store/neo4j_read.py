"""What the Neo4j store reads: the queries, one consistent read of a load's models, a snapshot's candidates.

Every query reads one generation, the one ``(:Meta)`` points at (``app.store.neo4j_load``); the store
(``app.store.neo4j_store``) runs them in its read transactions and caches what they return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import ValidationError

from app.cache import ByteLRU, snapshot_bytes, snapshot_growth
from app.combine import with_claims
from app.dataset import Dataset
from app.errors import StoreUnavailable
from app.paper import Paper, register_texts
from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot, build_graph
from app.store.neo4j_load import ALL_REL_TYPES, META_ID
from graph_schema.generate import REL_TYPES
from graph_schema.models import Alliance, Claim, Edge, Organ
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import Condition, EdgeKind

SNAPSHOT_CACHE_BYTES = 256 * 2**20  # the default bound (ALLIANCE_SNAPSHOT_CACHE_MB sets the API's)
T = TypeVar("T")

# Every query reads one generation, the one (:Meta) points at (app.store.neo4j_load): a killed
# load's leftovers, or the old generation while it is being deleted, are never served.
_META = "OPTIONAL MATCH (m:Meta {id: $meta}) RETURN m.checksum AS version, m.gen AS gen"
_ALLIANCES = "MATCH (a:Alliance) WHERE a.gen = $gen AND a.doc IS NOT NULL RETURN a.doc AS doc ORDER BY a.seq, a.id"
_ORGANS = (
    "MATCH (o:Organ) WHERE o.gen = $gen AND o.doc IS NOT NULL RETURN o.doc AS doc, o.claims AS claims "
    "ORDER BY o.seq, o.id"
)
_EDGES = (
    f"MATCH (s:Organ)-[r:{ALL_REL_TYPES}]->(t:Organ) WHERE s.gen = $gen AND r.gen = $gen AND r.doc IS NOT NULL "
    "RETURN r.doc AS doc, r.claims AS claims, s.id AS source, t.id AS target ORDER BY r.seq, r.id"
)
_SOURCES = (
    "MATCH (s:Source) WHERE s.gen = $gen AND s.doc IS NOT NULL RETURN s.doc AS doc, s.text AS text ORDER BY s.seq, s.id"
)
COUNTS = (
    "CALL { MATCH (a:Alliance) WHERE a.gen = $gen RETURN count(a) AS alliances } "
    "CALL { MATCH (o:Organ) WHERE o.gen = $gen RETURN count(o) AS organs } "
    f"CALL {{ MATCH (o:Organ)-[r:{ALL_REL_TYPES}]->(:Organ) WHERE o.gen = $gen AND r.gen = $gen "
    "RETURN count(r) AS edges } "
    "RETURN alliances, organs, edges"
)

# The candidate organs of a snapshot: the alliance's scope (app.snapshot_view.alliance_scope, read on the
# timeless graph: any relationship, either direction, any year) and the year within the possible
# range the loader precomputed (app.snapshot.possible_range). The life rules themselves (certain,
# possible, absent, plans, parts, exclusions) are applied in Python by app.snapshot_view.snapshot_of.
_SNAPSHOT_ORGANS = f"""
MATCH (o:Organ)
WHERE o.gen = $gen AND o.doc IS NOT NULL
  AND ($alliance IS NULL
       OR o.alliance = $alliance
       OR (o.alliance IS NULL AND EXISTS {{ MATCH (o)-[:{ALL_REL_TYPES}]-(:Organ {{alliance: $alliance}}) }}))
  AND ($year IS NULL OR ((o.possible_from IS NULL OR o.possible_from <= $year)
                         AND (o.possible_to IS NULL OR $year < o.possible_to)))
RETURN o.id AS id
"""


@lru_cache(maxsize=64)
def snapshot_edges_query(kinds: frozenset[EdgeKind]) -> str:
    """The candidate edges of a snapshot: between its candidate organs, in their stored direction, of
    ``kinds`` only, under the condition, the year in their possible range (``app.snapshot``).

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
  AND ($condition IS NULL OR r.condition IN ['{Condition.ANY.value}', $condition])
  AND ($year IS NULL OR ((r.possible_from IS NULL OR r.possible_from <= $year)
                         AND (r.possible_to IS NULL OR $year < r.possible_to)))
RETURN r.id AS id, s.id AS source, t.id AS target
"""


@dataclass
class LoadData:
    """One consistent read of the database: the models at one load checksum, and the sources."""

    version: str | None
    alliances: dict[str, Alliance]
    organs: dict[str, Organ]
    edges: dict[str, Edge]
    snapshots: ByteLRU[tuple[SnapshotParams, frozenset[EdgeKind]], Snapshot] = field(
        default_factory=lambda: ByteLRU(SNAPSHOT_CACHE_BYTES, snapshot_bytes, snapshot_growth)
    )
    _graph: Any = field(default=None, repr=False)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    texts: dict[str, Paper] = field(default_factory=dict, repr=False)
    _views: dict[tuple[str, ...], tuple[Dataset, Any]] = field(default_factory=dict, repr=False)

    def graph(self) -> Any:
        """The full timeless graph of these models (built on first use, for ``_select_locally``)."""
        if self._graph is None:
            self._graph = build_graph(self.organs.values(), self.edges.values(), self.alliances)
        return self._graph

    def view(self, sources: tuple[str, ...] | None) -> tuple[Dataset, Any]:
        """The models as ``sources`` have them (``Dataset.counted``: the same pooling as the embedded
        store's) and their timeless graph; all loaded when None."""
        if sources is None:
            whole = Dataset(self.alliances, self.organs, self.edges, sources=self.sources, texts=self.texts)
            return whole, self.graph()
        found = self._views.get(sources)
        if found is None:
            whole = Dataset(self.alliances, self.organs, self.edges, sources=self.sources, texts=self.texts)
            counted = whole.counted(frozenset(sources))
            found = self._views[sources] = (counted, build_graph(counted.organs.values(), counted.edges.values()))
        return found


def read_all(tx: Any, cache_bytes: int) -> LoadData | None:
    """Every model of the live generation, and its sources (their texts registered for the lines of
    their quotes); None when a load switched generations meanwhile."""
    version, gen = read_meta(tx)
    try:
        alliances = [Alliance.model_validate_json(r["doc"]) for r in tx.run(_ALLIANCES, gen=gen)]
        records, texts = {}, {}
        for r in tx.run(_SOURCES, gen=gen):
            record = SourceRecord.model_validate_json(r["doc"])
            records[record.id] = record
            if r["text"] is not None:
                texts[record.id] = Paper(r["text"])
        organs = [claimed(Organ.model_validate_json(r["doc"]), r["claims"]) for r in tx.run(_ORGANS, gen=gen)]
        edges = []
        for r in tx.run(_EDGES, gen=gen):
            edge = claimed(Edge.model_validate_json(r["doc"]), r["claims"])
            check_direction(edge, r["source"], r["target"])
            edges.append(edge)
    except ValidationError as err:
        raise StoreUnavailable(
            "the data in Neo4j does not match this version's vocabulary; reload it with 'alliances load'"
            f" ({err.error_count()} problem(s))"
        ) from err
    if read_meta(tx) != (version, gen):
        return None
    register_texts(texts)
    return LoadData(
        version,
        {a.id: a for a in alliances},
        {o.id: o for o in organs},
        {e.id or "": e for e in edges},
        ByteLRU(cache_bytes, snapshot_bytes, snapshot_growth),
        sources=records,
        texts=texts,
    )


def select(tx: Any, params: SnapshotParams, kinds: frozenset[EdgeKind]) -> tuple[str | None, set[str], list[Any]]:
    """The load checksum, organ ids and (edge id, source, target) rows of a snapshot, in one transaction.

    The checksum is None when a load switched generations during the transaction (the rows may be
    of a generation being deleted): the caller asks again.
    """
    version, gen = read_meta(tx)
    common = {"year": params.as_of, "gen": gen}
    organ_ids = [r["id"] for r in tx.run(_SNAPSHOT_ORGANS, alliance=params.alliance, **common)]
    condition = params.condition.value if params.condition is not None else None
    edge_rows = [
        (r["id"], r["source"], r["target"])
        for r in tx.run(snapshot_edges_query(kinds), organs=organ_ids, condition=condition, **common)
    ]
    if read_meta(tx) != (version, gen):
        return None, set(), []
    return version, set(organ_ids), edge_rows


def read_meta(tx: Any) -> tuple[str | None, int | None]:
    """(checksum, generation) of the live load; (None, None) before any load."""
    record = tx.run(_META, meta=META_ID).single()
    version, gen = record["version"], record["gen"]
    if version is not None and gen is None:
        raise StoreUnavailable(
            "the data in Neo4j was loaded before load generations existed; reload it with 'alliances load'"
        )
    return version, gen


def claimed(thing: T, claims: str | None) -> T:
    """A model read back with the claims the loader wrote beside it, pooled as the loader pooled them."""
    if not claims:
        return thing
    return with_claims(thing, [Claim.model_validate(c) for c in json.loads(claims)])  # type: ignore[type-var]


def check_direction(edge: Edge, source: str, target: str) -> None:
    # The relationship's direction is the edge's direction; a mismatch means the database was edited
    # by hand, and answering from it would silently reverse authority.
    if (edge.source, edge.target) != (source, target):
        raise StoreUnavailable(
            f"edge {edge.id} runs {source} -> {target} in Neo4j but {edge.source} -> {edge.target} in its doc;"
            " reload with 'alliances load --prune'"
        )
