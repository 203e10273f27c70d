"""Cypher export: a script that builds, in an empty Neo4j, the graph ``alliances load`` builds.

It is the loader's own work written out (``app.store.neo4j_load``): its schema statements first
(``graph_schema/generated/constraints.cypher``), then its very ``UNWIND ... CREATE`` statements,
writing generation ``EXPORT_GENERATION`` (1), with the rows inlined as Cypher literals instead of
parameters, so the script runs in ``cypher-shell``
(``cypher-shell -f export.cypher``) or in Neo4j Browser, as a few statements (one per batch of
alliances, of organs of one nature and level, of edges of one kind) rather than one per item:

- ``(:Alliance)`` nodes with ``alliance_props``;
- ``(:Source)`` nodes of the sources the snapshot counts, with ``source_props`` (an analyst's text
  in it), organs and relationships naming theirs in ``source_ids`` and ``claims``;
- ``(:Organ:<Nature>:<Level>)`` nodes with ``organ_props`` (an organ's alliance is its
  ``alliance`` property, as in the loader);
- relationships typed by kind with ``edge_props``;
- ``(:Meta {id: 'load'})`` pointing readers at that generation, with the loader's content checksum
  and counts, last: until it runs, a database the loader filled goes on serving its own generation
  (the next ``alliances load`` deletes whatever generation is not served).

For a snapshot of everything (all alliances, all years, plans included: the default of
``GET /export?format=cypher`` and ``alliances export --format cypher``) the result is equal,
property for property and checksum for checksum, to what ``alliances load`` writes (only the
generation's number differs: a load numbers its own), and its header names that checksum, the
data version the API sends as its ``ETag``; for a narrower snapshot it is that snapshot's part of
it, numbered (``seq``) in the same order, with its own checksum.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from app import deadline
from app.paper import text_of
from app.questions.common import params_data
from app.snapshot import SnapshotParams, edge_floor
from app.snapshot_view import Snapshot
from app.store.neo4j_checksum import alliance_row, checksum_of_digests, edge_row, organ_row, source_row
from app.store.neo4j_load import (
    _CREATE_ALLIANCES,
    _CREATE_EDGES,
    _CREATE_ORGANS,
    _CREATE_SOURCES,
    _WRITE_META,
    EXPORT_GENERATION,
    META_ID,
)
from app.store.neo4j_schema import SCHEMA_WAIT_SECONDS, schema_statements

BATCH_SIZE = 200
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def literal(value: Any, indent: str = "") -> str:
    """A Python value as a Cypher literal (strings JSON-quoted, which Cypher reads alike).

    Examples
    --------
    >>> literal({"id": "us-rok.cfc", "from": 1978, "aliases": ["CFC"], "ok": True, "gone": None})
    '{id: "us-rok.cfc", `from`: 1978, aliases: ["CFC"], ok: true, gone: null}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        if indent:  # a list of rows: one per line
            return "[\n" + ",\n".join(indent + literal(v) for v in value) + "\n]"
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


_KEYWORDS = {"from", "to", "end", "start", "order", "type", "where", "return", "match", "with", "in", "is"}


def _key(name: str) -> str:
    if _NAME.fullmatch(name) and name.lower() not in _KEYWORDS:
        return name
    return "`" + name.replace("`", "``") + "`"


def inline(query: str, params: Mapping[str, Any]) -> str:
    """``query`` with each ``$name`` replaced by the literal of ``params[name]``."""
    return _PARAM.sub(lambda m: literal(params[m.group(1)], indent="  "), query)


def _batches(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH_SIZE):
        yield rows[i : i + BATCH_SIZE]


def cypher(snap: Snapshot) -> str:
    """The Cypher script that builds the snapshot's graph as the loader would."""
    organs = snap.organs()  # the store's order, as the loader numbers them
    edges = [d["edge"] for *_, d in sorted(snap.graph.edges(data=True), key=lambda t: t[2]["seq"])]
    wanted = {o.alliance for o in organs} | {snap.params.alliance}
    alliances = [a for a in snap.alliances.values() if snap.params.alliance is None or a.id in wanted]

    alliance_rows: list[dict[str, Any]] = []
    digests: list[bytes] = []
    for seq, alliance in enumerate(alliances):
        row, digest = alliance_row(alliance, seq)
        alliance_rows.append(row)
        digests.append(digest)
    source_rows: list[dict[str, Any]] = []
    for seq, (source_id, record) in enumerate(snap.sources.items()):
        text = text_of(source_id)
        row, digest = source_row(record, text.text if text is not None else None, seq)
        source_rows.append(row)
        digests.append(digest)
    organ_rows: dict[Any, list[dict[str, Any]]] = {}
    for seq, organ in enumerate(deadline.checked(organs, 512)):
        row, digest = organ_row(organ, snap.alliances, seq)
        organ_rows.setdefault((organ.nature, organ.level), []).append(row)
        digests.append(digest)
    edge_rows: dict[Any, list[dict[str, Any]]] = {}
    every = snap.judge.organs if snap.judge is not None else {o.id: o for o in organs}
    for seq, edge in enumerate(deadline.checked(edges, 512)):
        row, digest = edge_row(edge, seq, edge_floor(edge, every, snap.alliances))
        edge_rows.setdefault(edge.kind, []).append(row)
        digests.append(digest)
    gen = {"gen": EXPORT_GENERATION}

    checksum = checksum_of_digests(digests)
    whole = snap.params == SnapshotParams(include_planned=True)
    builds = (
        f"the graph `alliances load` builds, data version {checksum} (the API's ETag)"
        if whole
        else f"this snapshot's part of the graph `alliances load` builds (its own checksum {checksum})"
    )
    out = [
        "// Alliance explorer export: "
        + json.dumps({**params_data(snap.params), "counted_sources": list(snap.counted)}),
        f"// Builds {builds}; run it into an empty database:",
        "//   cypher-shell -a bolt://HOST:PORT -u neo4j -p PASSWORD -f THIS_FILE",
        "",
        "// The schema first (Neo4j runs schema and data in separate transactions).",
        *(stmt + ";" for stmt in schema_statements()),
        f"CALL db.awaitIndexes({SCHEMA_WAIT_SECONDS});",
        "",
        f"// {len(alliance_rows)} alliances, {len(source_rows)} sources, {len(organs)} organs, {len(edges)} edges.",
    ]
    for batch in _batches(alliance_rows):
        out.append(inline(_CREATE_ALLIANCES, {"rows": batch, **gen}) + ";")
    for batch in _batches(source_rows):
        out.append(inline(_CREATE_SOURCES, {"rows": batch, **gen}) + ";")
    for key, query in _CREATE_ORGANS.items():
        for batch in _batches(organ_rows.get(key, [])):
            out.append(inline(query, {"rows": batch, **gen}) + ";")
    for kind, query in _CREATE_EDGES.items():
        for batch in _batches(edge_rows.get(kind, [])):
            out.append(inline(query, {"rows": batch, **gen}) + ";")
    meta = {
        "id": META_ID,
        **gen,
        "checksum": checksum,
        "alliances": len(alliance_rows),
        "sources": len(source_rows),
        "organs": len(organs),
        "edges": len(edges),
    }
    out += [
        "",
        "// The loader's bookkeeping: the generation readers are served, and what it holds.",
        inline(_WRITE_META, meta) + ";",
    ]
    return "\n".join(out) + "\n"
