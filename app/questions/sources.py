"""``sources``: the documents and datasets the data rests on, and what each claims (CONTRACT.md §2 "Sources")."""

from __future__ import annotations

from typing import Any

from app.errors import UnknownId
from app.store.base import Store
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import PAPER_ID

SOURCE_COLUMNS = (
    "id",
    "kind",
    "title",
    "authors",
    "date",
    "citation",
    "coverage",
    "organs",
    "edges",
    "indicators",
    "absences",
    "treaty_phases",
)


def _counts(store: Store) -> dict[str, dict[str, int]]:
    """Per source: how many organs, edges, indicators and stated absences it claims, and how many
    treaty phases of the roster a dataset codes (ATOP 5.1; a phase shown only as context is no claim)."""
    empty = {"organs": 0, "edges": 0, "indicators": 0, "absences": 0, "treaty_phases": 0}
    counts = {sid: dict(empty) for sid in store.source_ids()}
    for name, things in (("organs", store.organs()), ("edges", store.edges())):
        for thing in things.values():
            for claim in thing.claims:
                counts.setdefault(claim.source_id, dict(empty))[name] += 1
    for alliance in store.alliances().values():
        for phase in alliance.codings:
            if phase.alliance is not None:
                counts.setdefault(phase.source_id, dict(empty))["treaty_phases"] += 1
        for name, facts in (("indicators", alliance.indicators), ("absences", alliance.absences)):
            for fact in facts:
                counts.setdefault(fact.source_id or PAPER_ID, dict(empty))[name] += 1
    return counts


def source_data(record: SourceRecord, counts: dict[str, int]) -> dict[str, Any]:
    """A source as JSON-ready data: its record, its present year, and how much it claims."""
    return {
        "id": record.id,
        "kind": record.kind.value,
        "title": record.title,
        "authors": list(record.authors),
        "date": record.date,
        "present_year": record.present_year if record.is_text else None,
        "citation": record.citation,
        "coverage": record.coverage.model_dump() if record.coverage else None,
        "note": record.note,
        **counts,
    }


def sources(store: Store) -> list[dict[str, Any]]:
    """Every loaded source, the paper first, with the counts of what it claims.

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> [(s["id"], s["kind"], s["present_year"]) for s in sources(default_store())]
    [('finnegan-2009', 'paper', 2009), ('atop-5.1', 'dataset', None)]
    """
    counts = _counts(store)
    return [source_data(record, counts.get(sid, {})) for sid, record in store.sources().items()]


def source(store: Store, source_id: str) -> dict[str, Any]:
    """One source: its record, its counts, and the ids of the organs and edges it claims (an
    analyst's shown as theirs). An unknown id is a 404 naming it with close matches."""
    records = store.sources()
    if source_id not in records:
        raise UnknownId("source", source_id, list(records))
    data = source_data(records[source_id], _counts(store).get(source_id, {}))
    data["claims"] = {
        "organs": sorted(i for i, o in store.organs().items() if any(c.source_id == source_id for c in o.claims)),
        "edges": sorted(i for i, e in store.edges().items() if any(c.source_id == source_id for c in e.claims)),
    }
    return data


def source_rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources as table rows: authors joined, coverage as ``first-last``."""
    rows = []
    for row in data:
        coverage = row["coverage"]
        rows.append(
            {
                **row,
                "authors": "; ".join(row["authors"]),
                "coverage": f"{coverage['first']}-{coverage['last']}" if coverage else None,
            }
        )
    return rows
