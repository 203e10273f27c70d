"""Load the validated seeds into Neo4j: schema first, then a new generation in batches, switched to at once.

``load()`` is the library call, ``load_command()`` the ``alliances load`` command around it.

What a load does, in order:

1. Applies the constraints and indexes of ``graph_schema/generated/constraints.cypher`` (each
   ``IF NOT EXISTS``, so idempotent). Neo4j refuses schema commands in a transaction that also
   writes data, so they run first, each in its own auto-commit transaction.
2. Drops what a killed load left behind (any generation but the live one), and reads the live
   generation's ids and digests (to count created / updated / unchanged / stale).
3. Writes every alliance, organ and edge into a NEW generation (``gen`` on every node and
   relationship), in batches, each batch its own transaction: no transaction holds more than
   ``batch_size`` rows, so a load of any size fits the default 1 GiB heap. Readers are still served
   the live generation; ids are unique per generation (``(id, gen)`` constraints).
4. In ONE small transaction, checks the new generation holds every row and that no other load
   switched meanwhile, and points ``(:Meta {id: 'load'})`` at it (``gen``, a ``checksum`` of its
   content, counts). This is the load's commit point: readers move to the new graph at once.
5. Deletes the old generation, in batches.

A failure before step 4 (a lost connection, a progress callback that raises, a SIGKILL) leaves the
old generation served exactly; the partial new one is deleted at once when the loader can, else by
the next load (step 2). The store reads only the generation ``:Meta`` points at.

Graph shape (what Cypher and Neo4j Browser see):

- ``(:Alliance)``: ``id``, ``name``, ``aliases``, ``treaty_years``, ``standing_structure``,
  ``quote`` (first source quote), ``seq`` and ``doc``.
- ``(:Organ:<Nature>:<Level>)``, labels from ``graph_schema.generate.organ_labels`` (e.g.
  ``:Organ:Civilian:Political``; the Browser style sizes nodes by the level label): the flat
  fields of the vocabulary (``id``, ``name``, ``acronym``,
  ``aliases``, ``aliases_text`` for the fulltext index, ``type``, ``alliance``, ``nation``,
  ``nature``, ``level``, ``roles``, ``status``, ``established``, ``ended``, ``not_before``,
  ``planned_start``, ``planned_end``), ``start`` = ``app.snapshot.organ_start`` precomputed so the
  Cypher snapshot applies the very same life rule, ``quote``, ``seq`` and ``doc``.
- ``-[:AUTHORITY|ADVICE|COORDINATION|SUPPORT|MEMBERSHIP]->`` (``REL_TYPES``), written
  source -> target as the seeds write them: ``id``, ``kind``, ``mode``, ``condition``, ``from``,
  ``to``, ``not_before``, ``status``, ``quote``, ``seq`` and ``doc``.

Every node and relationship also carries ``gen`` (its generation) and ``digest`` (a sha256 of its
labels or type, endpoints and properties, which tells an unchanged item from an updated one
without reading its ``doc`` back); neither is content, and the checksum leaves both out.

``doc`` is the model's full JSON (``model_dump_json(by_alias=True)``): the Neo4j store rebuilds
exactly the same pydantic objects from it, so both stores answer alike. ``seq`` is the item's
position in the seeds, so the Neo4j store lists things in the embedded store's order (graph
algorithms and exports follow insertion order). Null fields are simply absent, as Neo4j stores no
nulls.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from app.seeds import Dataset
from app.snapshot import organ_start
from graph_schema.generate import GENERATED, REL_TYPES, organ_labels
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import EdgeKind, Level, Nature

CONSTRAINTS_FILE = GENERATED / "constraints.cypher"
META_ID = "load"
SCHEMA_WAIT_SECONDS = 60
# The relationship types of the vocabulary as one Cypher alternation; built from the closed
# EdgeKind set only, never from input.
ALL_REL_TYPES = "|".join(REL_TYPES[kind] for kind in EdgeKind)
ALIASES_SEPARATOR = " | "

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: called after each batch; ``what`` names the step."""


# ------------------------------------------------------------------------------------------- schema


def schema_statements(path: Path = CONSTRAINTS_FILE) -> list[str]:
    """The statements of the generated constraints file, comments dropped, one per ``;``.

    Examples
    --------
    >>> stmts = schema_statements()
    >>> stmts[0].startswith("CREATE CONSTRAINT organ_id IF NOT EXISTS")
    True
    >>> all(" IF NOT EXISTS " in s for s in stmts)
    True
    """
    text = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")
    )
    return [stmt.strip() for stmt in text.split(";") if stmt.strip()]


_LEGACY_CONSTRAINTS = (
    "SHOW CONSTRAINTS YIELD name, properties WHERE name IN ['organ_id', 'alliance_id'] AND properties = ['id'] "
    "RETURN name"
)


def apply_schema(driver: Any, database: str) -> int:
    """Create the constraints and indexes (idempotent); returns how many statements ran.

    Each runs in its own auto-commit transaction: Neo4j does not allow schema and data writes in
    one transaction.
    """
    statements = schema_statements()
    with driver.session(database=database) as session:
        # Before generations, ids were unique on their own; two generations hold the same ids.
        legacy = session.run(_LEGACY_CONSTRAINTS).value("name")
        for name in legacy:
            session.run(f"DROP CONSTRAINT {name} IF EXISTS").consume()
        for stmt in statements:
            session.run(stmt).consume()
        # A new index fills in the background; wait, so that the first load's MERGEs and the first
        # fulltext searches use it rather than racing it.
        session.run("CALL db.awaitIndexes($seconds)", seconds=SCHEMA_WAIT_SECONDS).consume()
    return len(statements)


# ------------------------------------------------------------------------------------------- rows


def _clean(props: Mapping[str, Any]) -> dict[str, Any]:
    # Neo4j stores no nulls: an absent property is the null. Dropping them here makes the row equal
    # to what properties(n) returns, which is how a reload tells "unchanged" from "updated".
    return {k: v for k, v in props.items() if v is not None}


def alliance_props(alliance: Alliance, seq: int) -> dict[str, Any]:
    """The properties of an ``(:Alliance)`` node."""
    return _clean(
        {
            "id": alliance.id,
            "name": alliance.name,
            "aliases": list(alliance.aliases),
            "treaty_years": list(alliance.treaty_years),
            "standing_structure": alliance.standing_structure,
            "quote": alliance.sources[0].quote,
            "seq": seq,
            "doc": alliance.model_dump_json(by_alias=True),
        }
    )


def organ_props(organ: Organ, alliances: Mapping[str, Alliance], seq: int) -> dict[str, Any]:
    """The properties of an ``(:Organ)`` node; ``start`` is the snapshot's life rule, precomputed."""
    return _clean(
        {
            "id": organ.id,
            "name": organ.name,
            "acronym": organ.acronym,
            "aliases": list(organ.aliases),
            "aliases_text": ALIASES_SEPARATOR.join(organ.aliases),
            "type": organ.type.value,
            "alliance": organ.alliance,
            "nation": organ.nation,
            "nature": organ.nature.value,
            "level": organ.level.value,
            "roles": sorted({spell.role.value for spell in organ.roles}),
            "status": organ.status.value,
            "established": organ.established,
            "ended": organ.ended,
            "not_before": organ.not_before,
            "planned_start": organ.planned_start,
            "planned_end": organ.planned_end,
            "start": organ_start(organ, alliances),
            "quote": organ.sources[0].quote,
            "seq": seq,
            "doc": organ.model_dump_json(by_alias=True),
        }
    )


def edge_props(edge: Edge, seq: int) -> dict[str, Any]:
    """The properties of a relationship; its type and direction carry kind, source and target."""
    return _clean(
        {
            "id": edge.id,
            "kind": edge.kind.value,
            "mode": edge.mode.value,
            "condition": edge.condition.value,
            "from": edge.from_,
            "to": edge.to,
            "not_before": edge.not_before,
            "status": edge.status.value,
            "quote": edge.sources[0].quote,
            "seq": seq,
            "doc": edge.model_dump_json(by_alias=True),
        }
    )


# ------------------------------------------------------------------------------------------- queries

LEGACY = -1
"""The generation of data loaded before generations existed (nodes without ``gen``)."""
DEFAULT_BATCH_SIZE = 2000
DROP_BATCH = 1000  # organs (or 10x as many relationships) per transaction when a generation is dropped

_LIVE = "OPTIONAL MATCH (m:Meta {id: $meta}) RETURN m.gen AS gen, m.checksum AS checksum"
_EXISTING_ALLIANCES = "MATCH (a:Alliance) WHERE coalesce(a.gen, -1) = $gen RETURN a.id AS id, a.digest AS digest"
_EXISTING_ORGANS = "MATCH (o:Organ) WHERE coalesce(o.gen, -1) = $gen RETURN o.id AS id, o.digest AS digest"
_EXISTING_EDGES = (
    f"MATCH (:Organ)-[r:{ALL_REL_TYPES}]->(:Organ) WHERE coalesce(r.gen, -1) = $gen "
    "RETURN r.id AS id, r.digest AS digest"
)
_STALE_ALLIANCES = (
    "MATCH (a:Alliance) WHERE coalesce(a.gen, -1) = $gen AND a.id IN $ids RETURN a.id AS id, properties(a) AS props"
)
_STALE_ORGANS = (
    "MATCH (o:Organ) WHERE coalesce(o.gen, -1) = $gen AND o.id IN $ids RETURN o.id AS id, properties(o) AS props"
)
_STALE_EDGES = (
    f"MATCH (s:Organ)-[r:{ALL_REL_TYPES}]->(t:Organ) WHERE coalesce(r.gen, -1) = $gen AND r.id IN $ids "
    "RETURN r.id AS id, type(r) AS type, s.id AS source, t.id AS target, properties(r) AS props"
)
_CREATE_ALLIANCES = "UNWIND $rows AS row CREATE (a:Alliance) SET a = row.props, a.gen = $gen RETURN count(a) AS n"


def _create_organs_query(labels: Sequence[str]) -> str:
    # One query per label set: labels cannot be parameters; these come from the closed vocabulary
    # (graph_schema.generate.organ_labels, the labels the Browser style selects on).
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
_CREATE_ORGANS_PLAIN = _create_organs_query(("Organ",))
_CREATE_EDGES = {kind: _create_edges_query(rel) for kind, rel in REL_TYPES.items()}
_UPSERT_EDGES = _CREATE_EDGES  # the name bench/neo4j.py measured before generations
_COUNT_GEN = (
    "CALL { MATCH (a:Alliance) WHERE a.gen = $gen RETURN count(a) AS alliances } "
    "CALL { MATCH (o:Organ) WHERE o.gen = $gen RETURN count(o) AS organs } "
    f"CALL {{ MATCH (o:Organ)-[r:{ALL_REL_TYPES}]->() WHERE o.gen = $gen AND r.gen = $gen RETURN count(r) AS edges }} "
    "RETURN alliances, organs, edges"
)
_WRITE_META = (
    "MERGE (m:Meta {id: $id}) SET m.gen = $gen, m.checksum = $checksum, m.alliances = $alliances, "
    "m.organs = $organs, m.edges = $edges"
)
# Dropping a generation: relationships first, then the nodes, each in server-side batches of their
# own transactions (so neither needs the heap of a whole generation). One generation is found
# through the organ_gen index; "every generation but the live one" (a killed load's leftovers, rare)
# by a scan.
_ONE_GEN = {"rel": "o.gen = $gen", "node": "n.gen = $gen"}
_LEGACY_GEN = {"rel": "o.gen IS NULL", "node": "n.gen IS NULL"}
_ALL_BUT = {"rel": "coalesce(o.gen, -1) <> $keep", "node": "coalesce(n.gen, -1) <> $keep"}


def _drop_queries(where: Mapping[str, str]) -> tuple[str, str]:
    return (
        f"MATCH (o:Organ)-[r]->() WHERE {where['rel']} "
        f"CALL {{ WITH r DELETE r }} IN TRANSACTIONS OF {DROP_BATCH * 10} ROWS",
        f"MATCH (n) WHERE (n:Organ OR n:Alliance) AND {where['node']} "
        f"CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF {DROP_BATCH} ROWS",
    )


_CHECKSUM_NODES = (
    "MATCH (n) WHERE (n:Organ OR n:Alliance) AND coalesce(n.gen, -1) = $gen "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
_CHECKSUM_RELS = (
    "MATCH (a)-[r]->(b) WHERE (a:Organ OR a:Alliance) AND coalesce(r.gen, -1) = $gen "
    "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props"
)
BOOKKEEPING = ("gen", "digest")
"""Properties a load adds to every node and relationship, outside the content (and its checksum)."""


def _node_item(labels: Iterable[str], props: Mapping[str, Any]) -> bytes:
    item = {"labels": sorted(labels), "props": {k: v for k, v in props.items() if k not in BOOKKEEPING}}
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode("utf-8")).digest()


def _rel_item(rel_type: str, source: str, target: str, props: Mapping[str, Any]) -> bytes:
    item = {
        "type": rel_type,
        "source": source,
        "target": target,
        "props": {k: v for k, v in props.items() if k not in BOOKKEEPING},
    }
    return hashlib.sha256(json.dumps(item, sort_keys=True, default=str).encode("utf-8")).digest()


def _checksum(items: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for item in sorted(items):
        digest.update(item)
    return digest.hexdigest()


def live_generation(tx: Any) -> int:
    """The generation readers are pointed at: ``(:Meta).gen``, or ``LEGACY`` before generations."""
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
    items = [_node_item(rec["labels"], rec["props"]) for rec in tx.run(_CHECKSUM_NODES, gen=gen)]
    items += [
        _rel_item(rec["type"], rec["source"], rec["target"], rec["props"]) for rec in tx.run(_CHECKSUM_RELS, gen=gen)
    ]
    return _checksum(items)


def served_state(tx: Any) -> dict[str, Any]:
    """What readers are served: the live generation's node and relationship counts and checksum."""
    gen = live_generation(tx)
    nodes = tx.run(
        "MATCH (n) WHERE (n:Organ OR n:Alliance) AND coalesce(n.gen, -1) = $gen RETURN count(n) AS n", gen=gen
    ).single()["n"]
    rels = tx.run(
        "MATCH (a)-[r]->() WHERE (a:Organ OR a:Alliance) AND coalesce(r.gen, -1) = $gen RETURN count(r) AS n",
        gen=gen,
    ).single()["n"]
    return {"nodes": nodes, "rels": rels, "checksum": content_checksum(tx, gen)}


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def drop_generation(driver: Any, database: str, gen: int | None = None, keep: int | None = None) -> None:
    """Delete generation ``gen`` (or every generation but ``keep``), in batches of small transactions."""
    if keep is not None:
        where = _ALL_BUT
    elif gen == LEGACY:
        where = _LEGACY_GEN
    elif gen is not None:
        where = _ONE_GEN
    else:
        raise ValueError("drop_generation needs gen or keep")
    with driver.session(database=database) as session:
        for query in _drop_queries(where):
            session.run(query, gen=gen, keep=keep).consume()


class ConcurrentLoad(RuntimeError):
    """Another load switched readers while this one was writing; this one's generation is dropped."""


# ------------------------------------------------------------------------------------------- the load


def _new_generation(live: int) -> int:
    # Microseconds since the epoch: increasing from one load to the next, and distinct for two
    # loads started at once, so one never writes into the other's generation.
    return max(time.time_ns() // 1000, live + 1)


def load(
    driver: Any,
    dataset: Dataset,
    *,
    database: str,
    prune: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write ``dataset`` into Neo4j as a new generation, then switch readers to it at once.

    All or nothing, in any heap: every batch of ``batch_size`` rows is its own transaction, writing
    the next generation (``gen``) beside the live one, which readers keep being served. One last,
    small transaction points ``(:Meta {id: 'load'})`` at the new generation with its checksum and
    counts (after checking that it holds every row); only then is the old generation deleted, in
    batches. A failure before the switch (a lost connection, a progress callback that raises, a
    SIGKILL) leaves the old generation served exactly; the partial new one is deleted at once when
    the loader can, else by the next load.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver.
    dataset : Dataset
        Validated seeds (``app.seeds.load_seeds``).
    database : str
        The database to write to.
    prune : bool
        Drop organs, edges and alliances whose ids the seeds no longer hold (without it, they are
        carried into the new generation, and counted as ``stale``).
    batch_size : int
        Rows per ``UNWIND`` statement, each statement its own transaction.
    progress : callable, optional
        ``progress(done, total, what)`` after each batch. If it raises, the load is abandoned.

    Returns
    -------
    dict
        ``alliances``, ``organs``, ``edges`` (as loaded), ``created``, ``updated``, ``unchanged``,
        ``pruned``, ``stale``, ``schema_statements``, ``checksum``, ``generation``, ``batches``
        (transactions written) and ``seconds``.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    schema_count = apply_schema(driver, database)

    with driver.session(database=database) as session:
        live = session.execute_read(live_generation)
        # A killed load's leftovers (any generation but the live one) go first.
        drop_generation(driver, database, keep=live)

        def existing(query: str) -> dict[str, str | None]:
            return session.execute_read(lambda tx: {r["id"]: r["digest"] for r in tx.run(query, gen=live)})

        old_alliances = existing(_EXISTING_ALLIANCES)
        old_organs = existing(_EXISTING_ORGANS)
        old_edges = existing(_EXISTING_EDGES)
        stale_alliances = sorted(old_alliances.keys() - dataset.alliances.keys())
        stale_organs = sorted(old_organs.keys() - dataset.organs.keys())
        stale_edges = sorted(old_edges.keys() - dataset.edges.keys())
        stale = len(stale_alliances) + len(stale_organs) + len(stale_edges)
        carried: dict[str, list[dict[str, Any]]] = {"alliances": [], "organs": [], "edges": []}
        if not prune and stale:
            for name, query, ids in (
                ("alliances", _STALE_ALLIANCES, stale_alliances),
                ("organs", _STALE_ORGANS, stale_organs),
                ("edges", _STALE_EDGES, stale_edges),
            ):
                carried[name] = session.execute_read(
                    lambda tx, q=query, i=ids: [dict(r) for r in tx.run(q, gen=live, ids=i)]
                )

    gen = _new_generation(live)
    items: list[bytes] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    total = (
        len(dataset.alliances) + len(dataset.organs) + len(dataset.edges) + sum(len(rows) for rows in carried.values())
    )
    done = 0
    batches = 0

    def tally(old: Mapping[str, str | None], item_id: str, digest: str) -> None:
        if item_id not in old:
            counts["created"] += 1
        elif old[item_id] == digest:
            counts["unchanged"] += 1
        else:
            counts["updated"] += 1

    def write(query: str, rows: list[dict[str, Any]], what: str) -> None:
        nonlocal done, batches

        def work(tx: Any) -> int:
            n: int = tx.run(query, rows=rows, gen=gen).single(strict=True)["n"]
            return n

        with driver.session(database=database) as session:
            written = session.execute_write(work)
        if written != len(rows):  # cannot happen with validated seeds; never switch to half a batch
            raise RuntimeError(f"{len(rows) - written} of {len(rows)} {what} were not written")
        done += len(rows)
        batches += 1
        if progress is not None:
            progress(done, total, what)

    try:
        # Alliances.
        alliance_rows = []
        for i, a in enumerate(dataset.alliances.values()):
            props = alliance_props(a, i)
            h = _node_item(["Alliance"], props)
            items.append(h)
            props["digest"] = h.hex()
            tally(old_alliances, a.id, props["digest"])
            alliance_rows.append({"props": props})
        for r in carried["alliances"]:
            props = {k: v for k, v in r["props"].items() if k not in BOOKKEEPING}
            h = _node_item(["Alliance"], props)
            items.append(h)
            alliance_rows.append({"props": {**props, "digest": h.hex()}})
        for batch in _batches(alliance_rows, batch_size):
            write(_CREATE_ALLIANCES, list(batch), "alliances")

        # Organs, by label set; rows are built batch by batch (a 100k-organ load never holds every
        # row's JSON at once).
        seq = {organ_id: i for i, organ_id in enumerate(dataset.organs)}
        by_labels: dict[tuple[Nature, Level], list[Organ]] = defaultdict(list)
        for organ in dataset.organs.values():
            by_labels[organ.nature, organ.level].append(organ)
        for (nature, level), organs in by_labels.items():
            labels = organ_labels(nature, level)
            for chunk in _batches(organs, batch_size):
                rows = []
                for organ in chunk:
                    props = organ_props(organ, dataset.alliances, seq[organ.id])
                    h = _node_item(labels, props)
                    items.append(h)
                    props["digest"] = h.hex()
                    tally(old_organs, organ.id, props["digest"])
                    rows.append({"props": props})
                write(_CREATE_ORGANS[nature, level], rows, "organs")
        carried_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in carried["organs"]:
            props = {k: v for k, v in r["props"].items() if k not in BOOKKEEPING}
            try:
                key = (Nature(str(props.get("nature"))), Level(str(props.get("level"))))
                labels, query = organ_labels(*key), _CREATE_ORGANS[key]
            except ValueError:
                labels, query = ("Organ",), _CREATE_ORGANS_PLAIN
            h = _node_item(labels, props)
            items.append(h)
            carried_rows[query].append({"props": {**props, "digest": h.hex()}})
        for query, rows in carried_rows.items():
            for batch in _batches(rows, batch_size):
                write(query, list(batch), "organs")

        # Edges, by kind.
        eseq = {edge_id: i for i, edge_id in enumerate(dataset.edges)}
        by_kind: dict[EdgeKind, list[Edge]] = defaultdict(list)
        for edge in dataset.edges.values():
            by_kind[edge.kind].append(edge)
        for kind in EdgeKind:
            for chunk in _batches(by_kind.get(kind, []), batch_size):
                rows = []
                for edge in chunk:
                    props = edge_props(edge, eseq[edge.id or ""])
                    h = _rel_item(REL_TYPES[kind], edge.source, edge.target, props)
                    items.append(h)
                    props["digest"] = h.hex()
                    tally(old_edges, edge.id or "", props["digest"])
                    rows.append({"source": edge.source, "target": edge.target, "props": props})
                write(_CREATE_EDGES[kind], rows, "edges")
        rel_kinds = {rel: kind for kind, rel in REL_TYPES.items()}
        carried_edges: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)
        for r in carried["edges"]:
            props = {k: v for k, v in r["props"].items() if k not in BOOKKEEPING}
            h = _rel_item(r["type"], r["source"], r["target"], props)
            items.append(h)
            carried_edges[rel_kinds[r["type"]]].append(
                {"source": r["source"], "target": r["target"], "props": {**props, "digest": h.hex()}}
            )
        for kind, rows in carried_edges.items():
            for batch in _batches(rows, batch_size):
                write(_CREATE_EDGES[kind], list(batch), "edges")

        checksum = _checksum(items)
        expected = {
            "alliances": len(dataset.alliances) + len(carried["alliances"]),
            "organs": len(dataset.organs) + len(carried["organs"]),
            "edges": len(dataset.edges) + len(carried["edges"]),
        }

        def switch(tx: Any) -> None:
            # The one transaction readers notice: Meta points at the new generation, once it holds
            # every row and no other load switched first.
            if live_generation(tx) != live:
                raise ConcurrentLoad("another load finished while this one was writing; nothing was switched")
            found = dict(tx.run(_COUNT_GEN, gen=gen).single(strict=True))
            if found != expected:
                raise RuntimeError(f"the new generation holds {found}, not {expected}; nothing was switched")
            tx.run(_WRITE_META, id=META_ID, gen=gen, checksum=checksum, **expected).consume()

        with driver.session(database=database) as session:
            session.execute_write(switch)
    except BaseException:
        # Not switched: readers never saw the new generation. Drop it now if Neo4j lets us; if not,
        # the next load drops it.
        with contextlib.suppress(Exception):  # the original failure is the one to report
            drop_generation(driver, database, gen=gen)
        raise

    # Switched: the old generation is no longer read (a reader that started on it sees Meta change
    # at the end of its transaction and reads again); delete it in batches. The load has happened
    # whether or not this succeeds: what is left, the next load drops.
    from neo4j.exceptions import DriverError, Neo4jError

    old_dropped = True
    try:
        drop_generation(driver, database, gen=live)
    except (DriverError, Neo4jError, OSError):
        old_dropped = False
    return {
        "alliances": len(dataset.alliances),
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
        "seconds": round(time.perf_counter() - started, 3),
    }


# ------------------------------------------------------------------------------------------- the command


def progress_bar(done: int, total: int, what: str = "", width: int = 30) -> str:
    """A one-line text progress bar.

    Examples
    --------
    >>> progress_bar(50, 200, "organs", width=10)
    '[##........]  50/200 organs'
    >>> progress_bar(0, 0, width=4)
    '[####] 0/0'
    """
    filled = width if total <= 0 else round(width * done / total)
    digits = len(str(total))
    return f"[{'#' * filled}{'.' * (width - filled)}] {done:>{digits}}/{total}" + (f" {what}" if what else "")


def _stderr_progress() -> Progress:
    interactive = sys.stderr.isatty()
    last = {"what": ""}

    def show(done: int, total: int, what: str) -> None:
        if interactive:
            end = "\n" if done >= total else ""
            print("\r" + progress_bar(done, total, what), end=end, file=sys.stderr, flush=True)
        elif what != last["what"] or done >= total:
            # A log file gets one line per step, not a line per batch.
            print(progress_bar(done, total, what), file=sys.stderr, flush=True)
        last["what"] = what

    return show


def open_driver(uri: str, user: str, password: str, timeout: float) -> Any:
    """A driver whose every wait (connect, pool, retries) is bounded by about ``timeout`` seconds.

    The driver retries a failed transaction after waiting 1, 2, 4... s, for as long as its retry
    budget (counted from the first failure) is not spent; a connection attempt is bounded by the
    connection timeout (TCP) and the acquisition timeout (the Bolt handshake). Giving each a third
    of ``timeout`` bounds the worst case, a server that accepts connections but never answers, at
    two attempts and one back-off: ``2 * timeout / 3 + 1`` s (4.3 s for the default 5); a refused
    port fails in about 3 s.
    """
    import neo4j

    return neo4j.GraphDatabase.driver(
        uri,
        auth=(user, password),
        connection_timeout=timeout / 3,
        connection_acquisition_timeout=timeout / 3,
        max_transaction_retry_time=timeout / 3,
        # The queries are fixed and tested; on an empty database the server would still warn that
        # :Meta "does not exist" on every check, flooding the log.
        notifications_min_severity="OFF",
    )


def load_command(args: Any) -> int:
    """``alliances load``: validate the seeds, then load them into the Neo4j of the environment.

    Reads ``NEO4J_URI`` (default ``bolt://127.0.0.1:7687``, the local server of ``neo4j_local``),
    ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``. Exit codes: 0 loaded; 1 invalid seeds
    (the database is not touched), or Neo4j unreachable or failing (one line on stderr).
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from app.config import get_settings
    from app.seeds import SeedError, load_seeds

    try:
        dataset = load_seeds(args.seeds, args.paper)
    except SeedError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(f"load: {len(err.problems)} problem(s) in the seeds; Neo4j was not touched", file=sys.stderr)
        return 1

    settings = get_settings()
    uri = settings.neo4j_uri or "bolt://127.0.0.1:7687"
    batch_size = getattr(args, "batch_size", DEFAULT_BATCH_SIZE)
    if batch_size < 1:
        print(f"load: --batch-size must be at least 1, got {batch_size}", file=sys.stderr)
        return 1
    print(f"loading {len(dataset.organs)} organs and {len(dataset.edges)} edges into {uri}", file=sys.stderr)
    driver = open_driver(uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_timeout_seconds)
    try:
        driver.verify_connectivity()
        counts = load(
            driver,
            dataset,
            database=settings.neo4j_database,
            prune=bool(getattr(args, "prune", False)),
            batch_size=batch_size,
            progress=_stderr_progress(),
        )
    except (DriverError, Neo4jError, OSError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        print(f"load: Neo4j at {uri} failed, nothing was written: {reason}", file=sys.stderr)
        return 1
    finally:
        driver.close()
    print(
        f"loaded {counts['alliances']} alliances, {counts['organs']} organs, {counts['edges']} edges "
        f"in {counts['seconds']:.2f} s: created {counts['created']}, updated {counts['updated']}, "
        f"unchanged {counts['unchanged']}, pruned {counts['pruned']}"
        + (f"; {counts['stale']} not in the seeds kept (use --prune to remove)" if counts["stale"] else "")
    )
    return 0
