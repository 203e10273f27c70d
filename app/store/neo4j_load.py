"""Load the validated seeds into Neo4j: schema first, then everything in one write transaction.

``load()`` is the library call, ``load_command()`` the ``alliances load`` command around it.

What a load does, in order:

1. Applies the constraints and indexes of ``graph_schema/generated/constraints.cypher`` (each
   ``IF NOT EXISTS``, so idempotent). Neo4j refuses schema commands in a transaction that also
   writes data, so they run first, each in its own auto-commit transaction.
2. In ONE managed write transaction: reads what the database holds, MERGEs every alliance, organ
   and edge by id and SETs its full property set (so a property the seeds dropped disappears),
   optionally prunes what the seeds no longer hold, and writes ``(:Meta {id: 'load'})`` with a
   checksum of the resulting content. A failure anywhere (a lost connection, a progress callback
   that raises) rolls the whole load back: the database is exactly as before.

Graph shape (what Cypher and Neo4j Browser see):

- ``(:Alliance)``: ``id``, ``name``, ``aliases``, ``treaty_years``, ``standing_structure``,
  ``quote`` (first source quote), ``seq`` and ``doc``.
- ``(:Organ:<Nature>:<Level>)``, labels from ``graph_schema.generate.organ_labels`` (e.g.
  ``:Organ:Civilian:Political``; the Browser style sizes nodes by the level label): the flat
  fields of the vocabulary (``id``, ``name``, ``acronym``,
  ``aliases``, ``aliases_text`` for the fulltext index, ``type``, ``alliance``, ``nation``,
  ``nature``, ``level``, ``roles``, ``status``, ``established``, ``ended``, ``not_before``,
  ``planned_start``, ``planned_end``, ``part_of``), the life (``life_props``: ``possible_from``,
  ``possible_to`` — the candidate range the Neo4j store selects by, the rules themselves staying in
  ``app.snapshot`` —, ``certain_from``, ``certain_to``, ``attested``, ``start_edtf``, ``end_edtf``,
  ``planned``), ``quote``, ``seq`` and ``doc``.
- ``-[:AUTHORITY|ADVICE|COORDINATION|SUPPORT|MEMBERSHIP]->`` (``REL_TYPES``), written
  source -> target as the seeds write them: ``id``, ``kind``, ``mode``, ``condition``, ``from``,
  ``to``, ``not_before``, ``status``, the life properties as for organs, ``quote``, ``seq`` and ``doc``.

``doc`` is the model's full JSON (``model_dump_json(by_alias=True)``): the Neo4j store rebuilds
exactly the same pydantic objects from it, so both stores answer alike. ``seq`` is the item's
position in the seeds, so the Neo4j store lists things in the embedded store's order (graph
algorithms and exports follow insertion order). Null fields are simply absent, as Neo4j stores no
nulls.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from app.progress import stderr_progress
from app.seeds import Dataset
from app.snapshot import certain_range, edge_floor, possible_range, treaty_floor
from graph_schema.generate import GENERATED, LEVEL_LABELS, NATURE_LABELS, REL_TYPES, organ_labels
from graph_schema.life import Life
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


def apply_schema(driver: Any, database: str, bookmark_manager: Any = None) -> int:
    """Create the constraints and indexes (idempotent); returns how many statements ran.

    Each runs in its own auto-commit transaction: Neo4j does not allow schema and data writes in
    one transaction.
    """
    statements = schema_statements()
    with driver.session(database=database, bookmark_manager=bookmark_manager) as session:
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
            "quote": alliance.first_quote,
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
            "part_of": organ.part_of,
            **life_props(organ.life, treaty_floor(organ.alliance, alliances)),
            "quote": organ.first_quote,
            "seq": seq,
            "doc": organ.model_dump_json(by_alias=True),
        }
    )


def life_props(life: Life, floor: int | None) -> dict[str, Any]:
    """The life as properties Cypher can select on and Browser users can read: the possible range
    (``app.snapshot.possible_range``: what the store's candidate query filters by), the certain
    range, attested years, and start and end as EDTF. The full life stays in ``doc``."""
    first, stop = possible_range(life, floor)
    certain_from, certain_to = certain_range(life)
    attested = sorted({y for a in life.attested for y in range(a.year, a.last + 1)})
    return {
        "possible_from": first,
        "possible_to": stop,
        "certain_from": certain_from,
        "certain_to": certain_to,
        "attested": attested or None,
        "start_edtf": life.start.edtf or None,
        "end_edtf": life.end.edtf or None,
        "planned": life.only_planned or None,
    }


def edge_props(edge: Edge, seq: int, floor: int | None = None) -> dict[str, Any]:
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
            **life_props(edge.life, floor),
            "quote": edge.first_quote,
            "seq": seq,
            "doc": edge.model_dump_json(by_alias=True),
        }
    )


# ------------------------------------------------------------------------------------------- queries

_EXISTING_ALLIANCES = "MATCH (a:Alliance) RETURN a.id AS id, properties(a) AS props"
_EXISTING_ORGANS = "MATCH (o:Organ) RETURN o.id AS id, labels(o) AS labels, properties(o) AS props"
_EXISTING_EDGES = (
    f"MATCH (s:Organ)-[r:{ALL_REL_TYPES}]->(t:Organ) "
    "RETURN elementId(r) AS element, r.id AS id, type(r) AS type, s.id AS source, t.id AS target, "
    "properties(r) AS props"
)
_DELETE_RELS = "MATCH ()-[r]->() WHERE elementId(r) IN $elements DELETE r"
_UPSERT_ALLIANCES = "UNWIND $rows AS row MERGE (a:Alliance {id: row.id}) SET a = row.props RETURN count(a) AS n"


def _upsert_organs_query(nature: Nature, level: Level) -> str:
    # One query per (nature, level): labels cannot be parameters, and these come from the closed
    # vocabulary (graph_schema.generate.organ_labels, the labels the Browser style selects on). The
    # other nature and level labels are removed in case an organ changed nature or level.
    wanted = organ_labels(nature, level)
    others = "".join(f":{label}" for label in (*NATURE_LABELS.values(), *LEVEL_LABELS.values()) if label not in wanted)
    return (
        "UNWIND $rows AS row MERGE (o:Organ {id: row.id}) SET o = row.props "
        f"REMOVE o{others} SET o:{':'.join(wanted)} RETURN count(o) AS n"
    )


def _upsert_edges_query(rel_type: str) -> str:
    # One query per relationship type, from the closed REL_TYPES mapping. MATCH on both endpoints
    # (the seeds were validated: every endpoint is an organ of this very load).
    return (
        "UNWIND $rows AS row "
        "MATCH (s:Organ {id: row.source}) "
        "MATCH (t:Organ {id: row.target}) "
        f"MERGE (s)-[r:{rel_type} {{id: row.id}}]->(t) SET r = row.props RETURN count(r) AS n"
    )


_UPSERT_ORGANS = {(nature, level): _upsert_organs_query(nature, level) for nature in Nature for level in Level}
_UPSERT_EDGES = {kind: _upsert_edges_query(rel) for kind, rel in REL_TYPES.items()}
_PRUNE_EDGES = (
    f"MATCH (:Organ)-[r:{ALL_REL_TYPES}]->(:Organ) WHERE r.id IS NULL OR NOT r.id IN $ids DELETE r RETURN count(r) AS n"
)
_PRUNE_ORGANS = "MATCH (o:Organ) WHERE o.id IS NULL OR NOT o.id IN $ids DETACH DELETE o RETURN count(o) AS n"
_PRUNE_ALLIANCES = "MATCH (a:Alliance) WHERE a.id IS NULL OR NOT a.id IN $ids DETACH DELETE a RETURN count(a) AS n"
_WRITE_META = (
    "MERGE (m:Meta {id: $id}) SET m.checksum = $checksum, m.alliances = $alliances, m.organs = $organs, "
    "m.edges = $edges"
)
_CHECKSUM_NODES = "MATCH (n) WHERE NOT n:Meta RETURN labels(n) AS labels, properties(n) AS props"
_CHECKSUM_RELS = (
    "MATCH (a)-[r]->(b) WHERE NOT a:Meta AND NOT b:Meta "
    "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props"
)


def content_checksum(tx: Any) -> str:
    """A sha256 over every node (labels, properties) and relationship (type, endpoint ids,
    properties) of the database except the ``:Meta`` bookkeeping node; order-independent.

    Two databases with the same checksum hold the same graph, so the store can tell whether its
    cache is current, and the tests whether a load changed anything.
    """
    items = [node_item(rec["labels"], rec["props"]) for rec in tx.run(_CHECKSUM_NODES)]
    items += [rel_item(rec["type"], rec["source"], rec["target"], rec["props"]) for rec in tx.run(_CHECKSUM_RELS)]
    return checksum_of(items)


def node_item(labels: Sequence[str], props: Mapping[str, Any]) -> str:
    """One node as ``content_checksum`` counts it (also for content not yet in a database)."""
    return json.dumps({"labels": sorted(labels), "props": props}, sort_keys=True, default=str)


def rel_item(rel_type: str, source: str, target: str, props: Mapping[str, Any]) -> str:
    """One relationship as ``content_checksum`` counts it."""
    return json.dumps(
        {"type": rel_type, "source": source, "target": target, "props": props}, sort_keys=True, default=str
    )


def checksum_of(items: Iterable[str]) -> str:
    """The sha256 of ``node_item``/``rel_item`` strings, whatever their order."""
    digest = hashlib.sha256()
    for item in sorted(items):
        digest.update(item.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def dataset_checksum(dataset: Dataset) -> str:
    """What ``content_checksum`` reads from a database that holds exactly ``dataset`` (a pruned load),
    computed from the seeds alone.

    The embedded store's data version is this, so both stores name the same data with the same
    version (the ``ETag`` of an answer), and a test checks it against a real load.
    """
    items = [
        json.dumps({"labels": ["Alliance"], "props": alliance_props(a, i)}, sort_keys=True, default=str)
        for i, a in enumerate(dataset.alliances.values())
    ]
    items += [
        json.dumps(
            {"labels": sorted(organ_labels(o.nature, o.level)), "props": organ_props(o, dataset.alliances, i)},
            sort_keys=True,
            default=str,
        )
        for i, o in enumerate(dataset.organs.values())
    ]
    items += [
        json.dumps(
            {
                "type": REL_TYPES[e.kind],
                "source": e.source,
                "target": e.target,
                "props": edge_props(e, i, edge_floor(e, dataset.organs, dataset.alliances)),
            },
            sort_keys=True,
            default=str,
        )
        for i, e in enumerate(dataset.edges.values())
    ]
    digest = hashlib.sha256()
    for item in sorted(items):
        digest.update(item.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield list(rows[i : i + size])


# ------------------------------------------------------------------------------------------- the load


def load(
    driver: Any,
    dataset: Dataset,
    *,
    database: str,
    prune: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
    bookmark_manager: Any = None,
) -> dict[str, Any]:
    """Write ``dataset`` into Neo4j: schema first, then all data in one write transaction.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver.
    dataset : Dataset
        Validated seeds (``app.seeds.load_seeds``).
    database : str
        The database to write to.
    prune : bool
        Also delete organs, edges and alliances whose ids the seeds no longer hold.
    batch_size : int
        Rows per ``UNWIND`` statement.
    progress : callable, optional
        ``progress(done, total, what)`` after each batch. If it raises, the load is rolled back.
    bookmark_manager : neo4j.BookmarkManager, optional
        The load's sessions use it, so every later session on the same manager (a ``Neo4jStore``
        built with it) reads at or after this load, on a cluster too.

    Returns
    -------
    dict
        ``alliances``, ``organs``, ``edges`` (as loaded), ``created``, ``updated``, ``unchanged``,
        ``pruned``, ``stale`` (in the database but not the seeds, kept without ``prune``),
        ``schema_statements``, ``checksum``, ``seconds``, and ``bookmarks``: the raw bookmark
        strings of the committed load. A session opened with them
        (``driver.session(bookmarks=neo4j.Bookmarks.from_raw_values(...))``, or
        ``Neo4jStore.follow``) waits until its server has applied the load, so a read that follows a
        load never predates it, whichever cluster member answers.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    alliance_rows = [alliance_props(a, i) for i, a in enumerate(dataset.alliances.values())]
    organ_rows: dict[tuple[Nature, Level], list[dict[str, Any]]] = defaultdict(list)
    for i, organ in enumerate(dataset.organs.values()):
        row = {"id": organ.id, "props": organ_props(organ, dataset.alliances, i)}
        organ_rows[organ.nature, organ.level].append(row)
    edge_rows: dict[EdgeKind, list[dict[str, Any]]] = defaultdict(list)

    def floor(edge: Edge) -> int | None:
        return edge_floor(edge, dataset.organs, dataset.alliances)

    for i, edge in enumerate(dataset.edges.values()):
        edge_rows[edge.kind].append(
            {
                "id": edge.id,
                "source": edge.source,
                "target": edge.target,
                "props": edge_props(edge, i, floor(edge)),
            }
        )
    total = len(alliance_rows) + len(dataset.organs) + len(dataset.edges)

    schema_count = apply_schema(driver, database, bookmark_manager)

    def work(tx: Any) -> dict[str, Any]:
        done = 0

        def step(n: int, what: str) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total, what)

        existing_alliances = {r["id"]: r["props"] for r in tx.run(_EXISTING_ALLIANCES)}
        existing_organs = {r["id"]: (set(r["labels"]), r["props"]) for r in tx.run(_EXISTING_ORGANS)}
        existing_edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in tx.run(_EXISTING_EDGES):
            existing_edges[r["id"]].append(dict(r))

        created = updated = unchanged = 0
        for row in alliance_rows:
            old = existing_alliances.get(row["id"])
            created += old is None
            updated += old is not None and old != row
            unchanged += old == row
        for (nature, level), rows in organ_rows.items():
            want_labels = set(organ_labels(nature, level))
            for row in rows:
                old_organ = existing_organs.get(row["id"])
                same = old_organ is not None and old_organ == (want_labels, row["props"])
                created += old_organ is None
                updated += old_organ is not None and not same
                unchanged += same
        # An edge id found with another type or other endpoints (or twice) is deleted first, so the
        # MERGE below cannot leave a second relationship carrying the same id.
        misplaced: list[str] = []
        for kind, rows in edge_rows.items():
            for row in rows:
                olds = existing_edges.get(row["id"], [])
                fits = [
                    o
                    for o in olds
                    if (o["type"], o["source"], o["target"]) == (REL_TYPES[kind], row["source"], row["target"])
                ]
                if len(olds) != len(fits) or len(fits) > 1:
                    misplaced += [o["element"] for o in olds]
                    fits = []
                created += not olds
                updated += bool(olds) and not (fits and fits[0]["props"] == row["props"])
                unchanged += bool(fits) and fits[0]["props"] == row["props"]
        if misplaced:
            tx.run(_DELETE_RELS, elements=misplaced).consume()

        for batch in _batches(alliance_rows, batch_size):
            tx.run(_UPSERT_ALLIANCES, rows=[{"id": r["id"], "props": r} for r in batch]).consume()
            step(len(batch), "alliances")
        for key, query in _UPSERT_ORGANS.items():
            for batch in _batches(organ_rows.get(key, []), batch_size):
                tx.run(query, rows=batch).consume()
                step(len(batch), "organs")
        for kind in EdgeKind:
            for batch in _batches(edge_rows.get(kind, []), batch_size):
                written = tx.run(_UPSERT_EDGES[kind], rows=batch).single(strict=True)["n"]
                if written != len(batch):  # cannot happen with validated seeds; never load half an edge list
                    raise RuntimeError(f"{len(batch) - written} {REL_TYPES[kind]} edge(s) lost an endpoint")
                step(len(batch), "edges")

        seed_alliances, seed_organs, seed_edges = set(dataset.alliances), set(dataset.organs), set(dataset.edges)
        stale = (
            len(existing_alliances.keys() - seed_alliances)
            + len(existing_organs.keys() - seed_organs)
            + len(existing_edges.keys() - seed_edges)
        )
        pruned = 0
        if prune:
            pruned += tx.run(_PRUNE_EDGES, ids=sorted(seed_edges)).single(strict=True)["n"]
            pruned += tx.run(_PRUNE_ORGANS, ids=sorted(seed_organs)).single(strict=True)["n"]
            pruned += tx.run(_PRUNE_ALLIANCES, ids=sorted(seed_alliances)).single(strict=True)["n"]
            stale = 0

        checksum = content_checksum(tx)
        counts = {
            "alliances": len(dataset.alliances),
            "organs": len(dataset.organs),
            "edges": len(dataset.edges),
        }
        tx.run(_WRITE_META, id=META_ID, checksum=checksum, **counts).consume()
        return {
            **counts,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "pruned": pruned,
            "stale": stale,
            "checksum": checksum,
        }

    with driver.session(database=database, bookmark_manager=bookmark_manager) as session:
        result: dict[str, Any] = session.execute_write(work)
        bookmarks = session.last_bookmarks()
    result["schema_statements"] = schema_count
    result["bookmarks"] = sorted(bookmarks.raw_values)
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


# ------------------------------------------------------------------------------------------- the command


def open_driver(uri: str, user: str, password: str, timeout: float, trusted_ca: Path | None = None) -> Any:
    """A driver whose every wait (connect, pool, retries) is bounded by about ``timeout`` seconds.

    TLS is chosen by the URI scheme: ``neo4j+s://`` / ``bolt+s://`` verify the server's certificate
    against the system's CAs (Aura), ``+ssc`` encrypts but accepts a self-signed certificate.
    ``trusted_ca`` (``NEO4J_TRUSTED_CA``), a PEM file, encrypts a plain ``neo4j://`` / ``bolt://``
    URI and verifies the server against that CA: a cluster with a private CA.

    The driver retries a failed transaction after waiting 1, 2, 4... s, for as long as its retry
    budget (counted from the first failure) is not spent; a connection attempt is bounded by the
    connection timeout (TCP) and the acquisition timeout (the Bolt handshake). Giving each a third
    of ``timeout`` bounds the worst case, a server that accepts connections but never answers, at
    two attempts and one back-off: ``2 * timeout / 3 + 1`` s (4.3 s for the default 5); a refused
    port fails in about 3 s.
    """
    import neo4j

    tls: dict[str, Any] = {}
    if trusted_ca is not None:
        if "+s" in uri.split("://", 1)[0]:
            raise ValueError(
                "NEO4J_TRUSTED_CA needs a neo4j:// or bolt:// URI; the +s and +ssc schemes choose their own trust"
            )
        tls = {"encrypted": True, "trusted_certificates": neo4j.TrustCustomCAs(str(trusted_ca))}
    return neo4j.GraphDatabase.driver(
        uri,
        auth=(user, password),
        **tls,
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
    batch_size = getattr(args, "batch_size", 500)
    if batch_size < 1:
        print(f"load: --batch-size must be at least 1, got {batch_size}", file=sys.stderr)
        return 1
    from app.redact import one_line, redact_uri

    print(
        f"loading {len(dataset.organs)} organs and {len(dataset.edges)} edges into {redact_uri(uri)}", file=sys.stderr
    )
    driver = open_driver(
        uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_timeout_seconds, settings.neo4j_trusted_ca
    )
    try:
        driver.verify_connectivity()
        counts = load(
            driver,
            dataset,
            database=settings.neo4j_database,
            prune=bool(getattr(args, "prune", False)),
            batch_size=batch_size,
            progress=stderr_progress(),
        )
    except (DriverError, Neo4jError, OSError) as err:
        print(f"load: Neo4j at {redact_uri(uri)} failed, nothing was written: {one_line(err)}", file=sys.stderr)
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
