"""Load the validated seeds into Neo4j: schema first, then a new generation in batches, switched to at once.

``load()`` is the library call; ``app.store.load_command`` is the ``alliances load`` command around
it. The schema is ``app.store.neo4j_schema``'s, the properties ``app.store.neo4j_props``', the
digests and checksums ``app.store.neo4j_checksum``'s, the driver ``app.store.neo4j_driver``'s.

What a load does, in order:

1. Applies the constraints and indexes of ``graph_schema/generated/constraints.cypher`` (each
   ``IF NOT EXISTS``, so idempotent). Neo4j refuses schema commands in a transaction that also
   writes data, so they run first, each in its own auto-commit transaction.
2. Drops what a killed load left behind (any generation but the live one), and reads the live
   generation's ids and digests (to count created / updated / unchanged / stale).
3. Writes every alliance, organ and edge into a NEW generation (``gen`` on every node and
   relationship), in batches, each batch its own transaction: no transaction holds more than
   ``batch_size`` rows (default 2,000), so a load of any size fits the default 1 GiB heap. Readers
   are still served the live generation; ids are unique per generation (``(id, gen)``
   constraints). Without ``prune`` what the seeds no longer hold is carried into it.
4. In ONE small transaction, checks that the new generation holds every row and that no other load
   switched meanwhile, and points ``(:Meta {id: 'load'})`` at it (``gen``, a ``checksum`` of its
   content, counts). This is the load's commit point: readers move to the new graph at once.
5. Deletes the old generation, in batches.

A failure before step 4 (a lost connection, a progress callback that raises, a SIGKILL) leaves the
old generation served exactly; the partial new one is deleted at once when the loader can, else by
the next load (step 2). The store (``app.store.neo4j_store``) reads only the generation ``:Meta``
points at. Two loads at once never mix: the later one's step 2 deletes the earlier one's partial
generation, whose step 4 then refuses to switch (it fails with a one-line reason).

Graph shape (what Cypher and Neo4j Browser see):

- ``(:Alliance)``: ``id``, ``name``, ``aliases``, ``treaty_years``, ``standing_structure``,
  ``quote`` (first source quote), ``seq`` and ``doc``.
- ``(:Organ:<Nature>:<Level>)``, labels from ``graph_schema.generate.organ_labels`` (e.g.
  ``:Organ:Civilian:Political``; the Browser style sizes nodes by the level label): the flat
  fields of the vocabulary (``id``, ``name``, ``acronym``,
  ``aliases``, ``aliases_text`` for the fulltext index, ``type``, ``alliance``, ``nation``,
  ``nature``, ``level``, ``roles``, ``role_spells`` (each role with its condition and years,
  ``role|condition|from|to``), ``status``, ``established``, ``ended``, ``not_before``,
  ``planned_start``, ``planned_end``, ``part_of``), the life (``life_props``: ``possible_from``,
  ``possible_to`` — the candidate range the Neo4j store selects by, the rules themselves staying in
  ``app.snapshot`` —, ``certain_from``, ``certain_to``, ``attested``, ``start_edtf``, ``end_edtf``,
  ``planned``), ``quote``, ``seq`` and ``doc``.
- one relationship type per edge kind (``REL_TYPES``: ``-[:AUTHORITY]->``, ``-[:COORDINATION]->``, …),
  written source -> target as the seeds write them: ``id``, ``kind``, ``mode``, ``condition``, ``from``,
  ``to``, ``not_before``, ``status``, the life properties as for organs, ``quote``, ``seq`` and ``doc``.

``doc`` is the model's full JSON (``model_dump_json(by_alias=True)``): the Neo4j store rebuilds
exactly the same pydantic objects from it, so both stores answer alike. ``seq`` is the item's
position in the seeds, so the Neo4j store lists things in the embedded store's order (graph
algorithms and exports follow insertion order). Null fields are simply absent, as Neo4j stores no
nulls.

Every node and relationship also carries ``gen`` (its generation) and ``digest`` (the sha256 of its
labels or type, endpoints and properties, which tells an unchanged item from an updated one without
reading its ``doc`` back); neither is content, and the checksum leaves both out.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from app.dataset import Dataset
from app.snapshot import edge_floor
from app.store.neo4j_checksum import (
    alliance_row,
    checksum_of_digests,
    content_props,
    dataset_source_rows,
    edge_row,
    item_digest,
    node_item,
    organ_row,
    rel_item,
)
from app.store.neo4j_schema import apply_schema
from graph_schema.generate import LEVEL_LABELS, NATURE_LABELS, REL_TYPES, organ_labels
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import EdgeKind, Level, Nature

META_ID = "load"
# The relationship types of the vocabulary as one Cypher alternation; built from the closed
# EdgeKind set only, never from input.
ALL_REL_TYPES = "|".join(REL_TYPES[kind] for kind in EdgeKind)

T = TypeVar("T")
_NODE_LABEL = {"alliances": "Alliance", "sources": "Source"}
Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: called after each batch; ``what`` names the step."""


# ------------------------------------------------------------------------------------------- generations

LEGACY = -1
"""The generation of data loaded before generations existed (nodes without ``gen``)."""
EXPORT_GENERATION = 1
"""The generation the Cypher export writes (``app.export.cypher``): the first of an empty database."""
DEFAULT_BATCH_SIZE = 2000
DROP_BATCH = 1000  # nodes (and 10x as many relationships) per transaction when a generation is dropped
_KNOWN_ORGAN_LABELS = frozenset({"Organ", *NATURE_LABELS.values(), *LEVEL_LABELS.values()})


def _new_generation(live: int) -> int:
    # Microseconds since the epoch: increasing from one load to the next, and distinct for two
    # loads started at once, so one never writes into the other's generation.
    return max(time.time_ns() // 1000, live + 1)


def _in_gen(var: str, gen: int) -> str:
    # An equality the organ_gen index (and the (id, gen) constraints) serve; legacy data has no gen.
    return f"{var}.gen IS NULL" if gen == LEGACY else f"{var}.gen = $gen"


# ------------------------------------------------------------------------------------------- queries

_LIVE = "OPTIONAL MATCH (m:Meta {id: $meta}) RETURN m.gen AS gen"
# The live generation's ids and digests, to count created / updated / unchanged (legacy data has no
# digest: its labels or type, endpoints and properties come back instead, to digest here).
_EXISTING = {
    "alliances": "MATCH (a:Alliance) WHERE {a} RETURN a.id AS id, a.digest AS digest, "
    "CASE WHEN a.digest IS NULL THEN properties(a) END AS props",
    "sources": "MATCH (a:Source) WHERE {a} RETURN a.id AS id, a.digest AS digest, "
    "CASE WHEN a.digest IS NULL THEN properties(a) END AS props",
    "organs": "MATCH (o:Organ) WHERE {o} RETURN o.id AS id, o.digest AS digest, "
    "CASE WHEN o.digest IS NULL THEN labels(o) END AS labels, "
    "CASE WHEN o.digest IS NULL THEN properties(o) END AS props",
    "edges": f"MATCH (s:Organ)-[r:{ALL_REL_TYPES}]->(t:Organ) WHERE {{s}} RETURN r.id AS id, r.digest AS digest, "
    "CASE WHEN r.digest IS NULL THEN type(r) END AS type, s.id AS source, t.id AS target, "
    "CASE WHEN r.digest IS NULL THEN properties(r) END AS props",
}
# What a load without --prune carries over from the live generation: the items the seeds no longer hold.
_STALE = {
    "alliances": "MATCH (a:Alliance) WHERE {a} AND a.id IN $ids RETURN a.id AS id, properties(a) AS props",
    "sources": "MATCH (a:Source) WHERE {a} AND a.id IN $ids RETURN a.id AS id, properties(a) AS props",
    "organs": "MATCH (o:Organ) WHERE {o} AND o.id IN $ids RETURN o.id AS id, labels(o) AS labels, "
    "properties(o) AS props",
    "edges": f"MATCH (s:Organ)-[r:{ALL_REL_TYPES}]->(t:Organ) WHERE {{s}} AND r.id IN $ids "
    "RETURN r.id AS id, type(r) AS type, s.id AS source, t.id AS target, properties(r) AS props",
}
_CREATE_ALLIANCES = "UNWIND $rows AS row CREATE (a:Alliance) SET a = row.props, a.gen = $gen RETURN count(a) AS n"
_CREATE_SOURCES = "UNWIND $rows AS row CREATE (a:Source) SET a = row.props, a.gen = $gen RETURN count(a) AS n"


def _create_organs_query(labels: Sequence[str]) -> str:
    # One query per label set: labels cannot be parameters; these come from the closed vocabulary
    # (graph_schema.generate.organ_labels, the labels the Browser style selects on).
    bad = set(labels) - _KNOWN_ORGAN_LABELS
    if bad or "Organ" not in labels:
        raise ValueError(f"not organ labels of the vocabulary: {sorted(bad) or labels}")
    return f"UNWIND $rows AS row CREATE (o:{':'.join(labels)}) SET o = row.props, o.gen = $gen RETURN count(o) AS n"


def _create_edges_query(rel_type: str) -> str:
    # One query per relationship type, from the closed REL_TYPES mapping; both endpoints are organs
    # of the same new generation, found through the (id, gen) uniqueness constraint's index.
    return (
        "UNWIND $rows AS row "
        "MATCH (s:Organ {id: row.source, gen: $gen}) "
        "MATCH (t:Organ {id: row.target, gen: $gen}) "
        f"CREATE (s)-[r:{rel_type}]->(t) SET r = row.props, r.gen = $gen RETURN count(r) AS n"
    )


_CREATE_ORGANS = {
    (nature, level): _create_organs_query(organ_labels(nature, level)) for nature in Nature for level in Level
}
_CREATE_EDGES = {kind: _create_edges_query(rel) for kind, rel in REL_TYPES.items()}
_COUNT_GEN = (
    "CALL { MATCH (a:Alliance) WHERE a.gen = $gen RETURN count(a) AS alliances } "
    "CALL { MATCH (s:Source) WHERE s.gen = $gen RETURN count(s) AS sources } "
    "CALL { MATCH (o:Organ) WHERE o.gen = $gen RETURN count(o) AS organs } "
    f"CALL {{ MATCH (o:Organ)-[r:{ALL_REL_TYPES}]->() WHERE o.gen = $gen AND r.gen = $gen RETURN count(r) AS edges }} "
    "RETURN alliances, sources, organs, edges"
)
# The switch takes Meta's write lock first, so two loads switching at once are serialised and the
# second sees the first's generation.
_LOCK_META = "MERGE (m:Meta {id: $id}) SET m.switching = $gen RETURN m.gen AS gen"
_WRITE_META = (
    "MERGE (m:Meta {id: $id}) SET m.gen = $gen, m.checksum = $checksum, m.alliances = $alliances, "
    "m.sources = $sources, m.organs = $organs, m.edges = $edges REMOVE m.switching"
)
_CHECKSUM_NODES = (
    "CALL { MATCH (n:Alliance) WHERE {n} RETURN n UNION MATCH (n:Source) WHERE {n} RETURN n "
    "UNION MATCH (n:Organ) WHERE {n} RETURN n } "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
_COUNT_NODES = (
    "CALL { MATCH (n:Alliance) WHERE {n} RETURN count(n) AS a } "
    "CALL { MATCH (n:Source) WHERE {n} RETURN count(n) AS s } "
    "CALL { MATCH (n:Organ) WHERE {n} RETURN count(n) AS o } "
    "RETURN a + s + o AS n"
)
_COUNT_RELS = "MATCH (a)-[r]->() WHERE (a:Organ OR a:Alliance) AND {r} RETURN count(r) AS n"
_CHECKSUM_RELS = (
    "MATCH (a)-[r]->(b) WHERE (a:Organ OR a:Alliance) AND {r} "
    "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props"
)


def _gen_query(query: str, gen: int) -> str:
    """``query`` with each placeholder ``{x}`` (one letter: a variable) replaced by "x is of ``gen``"."""
    return re.sub(r"\{([a-z])\}", lambda m: _in_gen(m.group(1), gen), query)


def _drop_queries(where: str) -> list[str]:
    # Relationships first, then the nodes, each in server-side batches of their own transactions, so
    # dropping a generation of any size needs no more heap than a batch. ``where`` is on ``n``.
    return [
        f"MATCH (n:Organ)-[r]->() WHERE {where} CALL {{ WITH r DELETE r }} IN TRANSACTIONS OF {DROP_BATCH * 10} ROWS",
        f"MATCH (n:Organ) WHERE {where} CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {DROP_BATCH} ROWS",
        f"MATCH (n:Alliance) WHERE {where} CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {DROP_BATCH} ROWS",
        f"MATCH (n:Source) WHERE {where} CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {DROP_BATCH} ROWS",
    ]


def drop_generation(
    driver: Any, database: str, *, gen: int | None = None, keep: int | None = None, bookmark_manager: Any = None
) -> None:
    """Delete generation ``gen`` (through the organ_gen index), or every generation but ``keep``
    (a killed load's leftovers: a scan), in batches of small transactions."""
    if keep is not None:
        where = "coalesce(n.gen, -1) <> $keep"
    elif gen is not None:
        where = _in_gen("n", gen)
    else:
        raise ValueError("drop_generation needs gen or keep")
    with driver.session(database=database, bookmark_manager=bookmark_manager) as session:
        for query in _drop_queries(where):
            session.run(query, gen=gen, keep=keep).consume()


def live_generation(tx: Any) -> int:
    """The generation readers are served: ``(:Meta).gen``, or ``LEGACY`` before generations."""
    gen = tx.run(_LIVE, meta=META_ID).single()["gen"]
    return LEGACY if gen is None else int(gen)


def content_checksum(tx: Any, gen: int | None = None) -> str:
    """A sha256 over every node (labels, properties) and relationship (type, endpoint ids,
    properties) of the live generation (or of ``gen``), bookkeeping (``gen``, ``digest``) aside;
    order-independent.

    Two databases with the same checksum serve the same graph, so the store can tell whether its
    cache is current, and the tests whether a load changed anything. The loader computes the same
    sum from the rows it writes, without reading them back.
    """
    gen = live_generation(tx) if gen is None else gen
    digests = [
        item_digest(node_item(rec["labels"], rec["props"])) for rec in tx.run(_gen_query(_CHECKSUM_NODES, gen), gen=gen)
    ]
    digests += [
        item_digest(rel_item(rec["type"], rec["source"], rec["target"], rec["props"]))
        for rec in tx.run(_gen_query(_CHECKSUM_RELS, gen), gen=gen)
    ]
    return checksum_of_digests(digests)


def served_state(tx: Any) -> dict[str, Any]:
    """What readers are served: the live generation's node and relationship counts and checksum."""
    gen = live_generation(tx)
    nodes = tx.run(_gen_query(_COUNT_NODES, gen), gen=gen).single()["n"]
    rels = tx.run(_gen_query(_COUNT_RELS, gen), gen=gen).single()["n"]
    return {"nodes": nodes, "rels": rels, "checksum": content_checksum(tx, gen)}


def _batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class LoadAborted(RuntimeError):
    """The new generation is not whole (rows went missing) or not the one to switch to; nothing was
    switched, readers are still served the old generation, and this load's rows are dropped."""


class ConcurrentLoad(LoadAborted):
    """Another load switched readers while this one was writing; this one's generation is dropped."""


# ------------------------------------------------------------------------------------------- the load


def load(
    driver: Any,
    dataset: Dataset,
    *,
    database: str,
    prune: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    bookmark_manager: Any = None,
) -> dict[str, Any]:
    """Write ``dataset`` into Neo4j as a new generation, then switch readers to it at once.

    All or nothing, in any heap: every batch of ``batch_size`` rows is its own transaction, writing
    the next generation (``gen``) beside the live one, which readers keep being served. One last,
    small transaction points ``(:Meta {id: 'load'})`` at the new generation with its checksum and
    counts (after checking that it holds every row and that no other load switched meanwhile); only
    then is the old generation deleted, in batches. A failure before the switch (a lost connection,
    a progress callback that raises, a SIGKILL) leaves the old generation served exactly; the
    partial new one is deleted at once when the loader can, else by the next load.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver.
    dataset : Dataset
        Validated seeds (``app.seeds.load_seeds``).
    database : str
        The database to write to.
    prune : bool
        Drop organs, edges and alliances whose ids the seeds no longer hold (without it they are
        carried into the new generation, and counted as ``stale``).
    batch_size : int
        Rows per ``UNWIND`` statement, each statement its own transaction.
    progress : callable, optional
        ``progress(done, total, what)`` after each batch. If it raises, the load is abandoned.
    bookmark_manager : neo4j.BookmarkManager, optional
        The load's sessions use it (else one of their own), so each batch is causally after the one
        before, and every later session on the same manager (a ``Neo4jStore`` built with it) reads
        at or after this load, on a cluster too.

    Returns
    -------
    dict
        ``alliances``, ``organs``, ``edges`` (as loaded), ``created``, ``updated``, ``unchanged``,
        ``pruned``, ``stale`` (in the database but not the seeds, kept without ``prune``),
        ``schema_statements``, ``checksum``, ``generation``, ``batches`` (write transactions of
        rows), ``old_generation_dropped``, ``seconds``, and ``bookmarks``: the raw bookmark strings
        of the committed load. A session opened with them
        (``driver.session(bookmarks=neo4j.Bookmarks.from_raw_values(...))``, or
        ``Neo4jStore.follow``) waits until its server has applied the load, so a read that follows a
        load never predates it, whichever cluster member answers.
    """
    import neo4j
    from neo4j.exceptions import DriverError, Neo4jError

    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    manager = bookmark_manager or neo4j.GraphDatabase.bookmark_manager()
    schema_count = apply_schema(driver, database, manager)

    def session() -> Any:
        return driver.session(database=database, bookmark_manager=manager)

    with session() as s:
        live = s.execute_read(live_generation)
    # A killed load's leftovers (any generation but the live one) go first.
    drop_generation(driver, database, keep=live, bookmark_manager=manager)

    def digests_of(tx: Any, name: str) -> dict[str, bytes | None]:
        found: dict[str, bytes | None] = {}
        for r in tx.run(_gen_query(_EXISTING[name], live), gen=live):
            if r["digest"] is not None:
                found[r["id"]] = bytes.fromhex(r["digest"])
            elif name in ("alliances", "sources"):
                found[r["id"]] = item_digest(node_item([_NODE_LABEL[name]], r["props"]))
            elif name == "organs":
                found[r["id"]] = item_digest(node_item(r["labels"], r["props"]))
            else:
                found[r["id"]] = item_digest(rel_item(r["type"], r["source"], r["target"], r["props"]))
        return found

    with session() as s:
        old = {name: s.execute_read(digests_of, name) for name in ("alliances", "sources", "organs", "edges")}
        stale_ids = {
            "alliances": sorted(old["alliances"].keys() - dataset.alliances.keys()),
            "sources": sorted(old["sources"].keys() - dataset.sources.keys()),
            "organs": sorted(old["organs"].keys() - dataset.organs.keys()),
            "edges": sorted(old["edges"].keys() - dataset.edges.keys()),
        }
        stale = sum(len(ids) for ids in stale_ids.values())
        carried: dict[str, list[dict[str, Any]]] = {"alliances": [], "sources": [], "organs": [], "edges": []}
        if not prune and stale:
            for name, ids in stale_ids.items():
                if ids:
                    query = _gen_query(_STALE[name], live)
                    carried[name] = s.execute_read(
                        lambda tx, q=query, i=ids: [dict(r) for r in tx.run(q, gen=live, ids=i)]
                    )

    gen = _new_generation(live)
    digests: list[bytes] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    total = len(dataset.alliances) + len(dataset.sources) + len(dataset.organs) + len(dataset.edges)
    total += sum(map(len, carried.values()))
    done = batches = 0

    def tally(before: Mapping[str, bytes | None], item_id: str, digest: bytes) -> None:
        if item_id not in before:
            counts["created"] += 1
        elif before[item_id] == digest:
            counts["unchanged"] += 1
        else:
            counts["updated"] += 1

    def write(s: Any, query: str, rows: Sequence[dict[str, Any]], what: str) -> None:
        nonlocal done, batches

        def work(tx: Any) -> int:
            n: int = tx.run(query, rows=list(rows), gen=gen).single(strict=True)["n"]
            return n

        written = s.execute_write(work)
        if written != len(rows):  # cannot happen with validated seeds; never switch to half a batch
            raise LoadAborted(f"{len(rows) - written} of {len(rows)} {what} were not written; nothing was switched")
        done += len(rows)
        batches += 1
        if progress is not None:
            progress(done, total, what)

    bookmarks: list[str] = []
    try:
        with session() as s:
            # Alliances, then organs by label set, then edges by kind; rows are built batch by batch,
            # so a load never holds every row's properties at once.
            rows = []
            for i, alliance in enumerate(dataset.alliances.values()):
                row, digest = alliance_row(alliance, i)
                tally(old["alliances"], alliance.id, digest)
                digests.append(digest)
                rows.append(row)
            for r in carried["alliances"]:
                props = content_props(r["props"])
                digest = item_digest(node_item(["Alliance"], props))
                digests.append(digest)
                rows.append({"props": {**props, "digest": digest.hex()}})
            for batch in _batches(rows, batch_size):
                write(s, _CREATE_ALLIANCES, batch, "alliances")
            rows = []
            for source_id, (row, digest) in zip(dataset.sources, dataset_source_rows(dataset), strict=True):
                tally(old["sources"], source_id, digest)
                digests.append(digest)
                rows.append(row)
            for r in carried["sources"]:
                props = content_props(r["props"])
                digest = item_digest(node_item(["Source"], props))
                digests.append(digest)
                rows.append({"props": {**props, "digest": digest.hex()}})
            for batch in _batches(rows, batch_size):
                write(s, _CREATE_SOURCES, batch, "sources")

            seq = {organ_id: i for i, organ_id in enumerate(dataset.organs)}
            by_labels: dict[tuple[Nature, Level], list[Organ]] = defaultdict(list)
            for organ in dataset.organs.values():
                by_labels[organ.nature, organ.level].append(organ)
            for key, organs in by_labels.items():
                for organ_chunk in _batches(organs, batch_size):
                    rows = []
                    for organ in organ_chunk:
                        row, digest = organ_row(organ, dataset.alliances, seq[organ.id])
                        tally(old["organs"], organ.id, digest)
                        digests.append(digest)
                        rows.append(row)
                    write(s, _CREATE_ORGANS[key], rows, "organs")
            carried_organs: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for r in carried["organs"]:
                # Their labels as they are, within the vocabulary's (Organ first).
                labels = ("Organ", *sorted(set(r["labels"]) & _KNOWN_ORGAN_LABELS - {"Organ"}))
                props = content_props(r["props"])
                digest = item_digest(node_item(labels, props))
                digests.append(digest)
                carried_organs[labels].append({"props": {**props, "digest": digest.hex()}})
            for labels, rows in carried_organs.items():
                query = _create_organs_query(labels)
                for batch in _batches(rows, batch_size):
                    write(s, query, batch, "organs")

            eseq = {edge_id: i for i, edge_id in enumerate(dataset.edges)}
            by_kind: dict[EdgeKind, list[Edge]] = defaultdict(list)
            for edge in dataset.edges.values():
                by_kind[edge.kind].append(edge)
            for kind in EdgeKind:
                for edge_chunk in _batches(by_kind.get(kind, []), batch_size):
                    rows = []
                    for edge in edge_chunk:
                        row, digest = edge_row(
                            edge, eseq[edge.id or ""], edge_floor(edge, dataset.organs, dataset.alliances)
                        )
                        tally(old["edges"], edge.id or "", digest)
                        digests.append(digest)
                        rows.append(row)
                    write(s, _CREATE_EDGES[kind], rows, "edges")
            kind_of = {rel: kind for kind, rel in REL_TYPES.items()}
            carried_edges: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)
            for r in carried["edges"]:
                props = content_props(r["props"])
                digest = item_digest(rel_item(r["type"], r["source"], r["target"], props))
                digests.append(digest)
                carried_edges[kind_of[r["type"]]].append(
                    {"source": r["source"], "target": r["target"], "props": {**props, "digest": digest.hex()}}
                )
            for kind, rows in carried_edges.items():
                for batch in _batches(rows, batch_size):
                    write(s, _CREATE_EDGES[kind], batch, "edges")

            checksum = checksum_of_digests(digests)
            expected = {
                "alliances": len(dataset.alliances) + len(carried["alliances"]),
                "sources": len(dataset.sources) + len(carried["sources"]),
                "organs": len(dataset.organs) + len(carried["organs"]),
                "edges": len(dataset.edges) + len(carried["edges"]),
            }

            def switch(tx: Any) -> None:
                # The one transaction readers notice: Meta points at the new generation, once it
                # holds every row and no other load switched first.
                now = tx.run(_LOCK_META, id=META_ID, gen=gen).single()["gen"]
                if (LEGACY if now is None else int(now)) != live:
                    raise ConcurrentLoad("another load finished while this one was writing; nothing was switched")
                found = dict(tx.run(_COUNT_GEN, gen=gen).single(strict=True))
                if found != expected:
                    raise LoadAborted(f"the new generation holds {found}, not {expected}; nothing was switched")
                tx.run(_WRITE_META, id=META_ID, gen=gen, checksum=checksum, **expected).consume()

            s.execute_write(switch)
            bookmarks = sorted(s.last_bookmarks().raw_values)
    except BaseException:
        # Not switched: readers never saw the new generation. Drop it now if Neo4j lets us; if not,
        # the next load drops it.
        with contextlib.suppress(Exception):  # the original failure is the one to report
            drop_generation(driver, database, gen=gen, bookmark_manager=manager)
        raise

    # Switched: the old generation is no longer read (a reader that started on it sees Meta change
    # at the end of its transaction and reads again); delete it in batches. The load has happened
    # whether or not this succeeds: what is left, the next load drops.
    old_dropped = True
    try:
        drop_generation(driver, database, gen=live, bookmark_manager=manager)
    except (DriverError, Neo4jError, OSError):
        old_dropped = False
    return {
        "alliances": len(dataset.alliances),
        "sources": len(dataset.sources),
        "organs": len(dataset.organs),
        "edges": len(dataset.edges),
        **counts,
        "pruned": stale if prune else 0,
        "stale": 0 if prune else stale,
        "checksum": checksum,
        "generation": gen,
        "batches": batches,
        "old_generation_dropped": old_dropped,
        "schema_statements": schema_count,
        "bookmarks": bookmarks,
        "seconds": round(time.perf_counter() - started, 3),
    }
