"""Checksums of the graph's content: each node and relationship as an item and its digest, as a load writes them.

A database's ``content_checksum`` (``app.store.neo4j_load``) and a dataset's ``dataset_checksum``
(computed from the seeds alone) are the same sum over the same items, so both stores name the same
data with the same version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.dataset import Dataset
from app.snapshot import edge_floor
from app.store.neo4j_props import alliance_props, edge_props, organ_props, source_props
from graph_schema.generate import REL_TYPES, organ_labels
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.sources import SourceRecord

BOOKKEEPING = ("gen", "digest")
"""Properties a load adds to every node and relationship beside the content; the checksum leaves them out."""


def content_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """The properties as content: the bookkeeping (``BOOKKEEPING``) left out."""
    return {k: v for k, v in props.items() if k not in BOOKKEEPING}


def node_item(labels: Sequence[str], props: Mapping[str, Any]) -> str:
    """One node as ``content_checksum`` counts it (also for content not yet in a database)."""
    return json.dumps({"labels": sorted(labels), "props": content_props(props)}, sort_keys=True, default=str)


def rel_item(rel_type: str, source: str, target: str, props: Mapping[str, Any]) -> str:
    """One relationship as ``content_checksum`` counts it."""
    return json.dumps(
        {"type": rel_type, "source": source, "target": target, "props": content_props(props)},
        sort_keys=True,
        default=str,
    )


def item_digest(item: str) -> bytes:
    """The sha256 of one ``node_item``/``rel_item``: what a node's ``digest`` property holds (in hex)."""
    return hashlib.sha256(item.encode("utf-8")).digest()


def checksum_of_digests(digests: Iterable[bytes]) -> str:
    """The checksum of items given by their ``item_digest``, whatever their order."""
    total = hashlib.sha256()
    for digest in sorted(digests):
        total.update(digest)
    return total.hexdigest()


def alliance_row(alliance: Alliance, seq: int) -> tuple[dict[str, Any], bytes]:
    """An alliance as the loader writes it (``{"props": ...}``, its ``digest`` included) and its digest."""
    props = alliance_props(alliance, seq)
    digest = item_digest(node_item(["Alliance"], props))
    return {"props": {**props, "digest": digest.hex()}}, digest


def organ_row(organ: Organ, alliances: Mapping[str, Alliance], seq: int) -> tuple[dict[str, Any], bytes]:
    """An organ as the loader writes it (under ``_CREATE_ORGANS[nature, level]``) and its digest."""
    props = organ_props(organ, alliances, seq)
    digest = item_digest(node_item(organ_labels(organ.nature, organ.level), props))
    return {"props": {**props, "digest": digest.hex()}}, digest


def edge_row(edge: Edge, seq: int, floor: int | None) -> tuple[dict[str, Any], bytes]:
    """An edge as the loader writes it (``source``, ``target``, ``props``) and its digest."""
    props = edge_props(edge, seq, floor)
    digest = item_digest(rel_item(REL_TYPES[edge.kind], edge.source, edge.target, props))
    return {"source": edge.source, "target": edge.target, "props": {**props, "digest": digest.hex()}}, digest


def source_row(record: SourceRecord, text: str | None, seq: int) -> tuple[dict[str, Any], bytes]:
    """A source as the loader writes it (``(:Source)``, an analyst's text in it) and its digest."""
    props = source_props(record, text, seq)
    digest = item_digest(node_item(["Source"], props))
    return {"props": {**props, "digest": digest.hex()}}, digest


def dataset_source_rows(dataset: Dataset) -> list[tuple[dict[str, Any], bytes]]:
    """The ``(:Source)`` rows of a dataset, in its order (the paper first)."""
    rows = []
    for seq, (source_id, record) in enumerate(dataset.sources.items()):
        text = dataset.texts.get(source_id)
        rows.append(source_row(record, text.text if text is not None else None, seq))
    return rows


def dataset_checksum(dataset: Dataset) -> str:
    """What ``content_checksum`` reads from a database that holds exactly ``dataset`` (a pruned load),
    computed from the seeds alone.

    The embedded store's data version is this, so both stores name the same data with the same
    version (the ``ETag`` of an answer), and a test checks it against a real load.
    """
    digests = [alliance_row(a, i)[1] for i, a in enumerate(dataset.alliances.values())]
    digests += [digest for _, digest in dataset_source_rows(dataset)]
    digests += [organ_row(o, dataset.alliances, i)[1] for i, o in enumerate(dataset.organs.values())]
    digests += [
        edge_row(e, i, edge_floor(e, dataset.organs, dataset.alliances))[1]
        for i, e in enumerate(dataset.edges.values())
    ]
    return checksum_of_digests(digests)
