"""The properties of the Neo4j graph's nodes and relationships, from the vocabulary's models.

What each holds is the graph shape ``app.store.neo4j_load`` describes; the life as the ranges the
store's queries select by is computed by ``app.snapshot``'s rules, never here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.snapshot import certain_range, possible_range_of, treaty_floor
from graph_schema.models import Alliance, Claim, Edge, Organ, RoleSpell
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import SourceKind

ALIASES_SEPARATOR = " | "


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
            "role_spells": [role_spell(spell) for spell in organ.roles] or None,
            "status": organ.status.value,
            "established": organ.established,
            "ended": organ.ended,
            "not_before": organ.not_before,
            "planned_start": organ.planned_start,
            "planned_end": organ.planned_end,
            "part_of": organ.part_of,
            **life_props(organ, treaty_floor(organ.alliance, alliances)),
            **claims_props(organ),
            "quote": organ.first_quote,
            "seq": seq,
            "doc": doc_of(organ),
        }
    )


def role_spell(spell: RoleSpell) -> str:
    """A role with its condition and years as one string Cypher can split (Neo4j lists hold no
    maps or nulls): ``role|condition|from|to``, an open year left empty. The Browser guide's
    ``$year`` queries ask it who holds a role in a year (``app.snapshot.role_held``).

    >>> role_spell(RoleSpell(role="operational-command", to=1978))
    'operational-command|any||1978'
    """
    years = ("" if y is None else str(y) for y in (spell.from_, spell.to))
    return "|".join((spell.role.value, spell.condition.value, *years))


def claims_props(thing: Organ | Edge) -> dict[str, Any]:
    """Whose claims a thing rests on: ``source_ids`` (a list Cypher can filter by) and ``claims``
    (each source's own life, periods and quotes, as JSON; the store pools them as the loader did)."""
    if not thing.claims:
        return {}
    return {
        "source_ids": [c.source_id for c in thing.claims],
        "claims": json.dumps([c.model_dump(mode="json", by_alias=True) for c in thing.claims]),
    }


def doc_of(thing: Organ | Edge) -> str:
    """The model's JSON, with its first claim's life, periods and quotes when several sources claim it
    (a pooled life need not read as one source's; the store pools the ``claims`` again)."""
    if len(thing.claims) > 1:
        first: Claim = thing.claims[0]
        update = {"life": first.life, "status_periods": first.status_periods, "sources": first.sources}
        return thing.model_copy(update=update).model_dump_json(by_alias=True)
    return thing.model_dump_json(by_alias=True)


def source_props(record: SourceRecord, text: str | None, seq: int) -> dict[str, Any]:
    """The properties of a ``(:Source)`` node: the record, and an analyst's text itself (the store
    reads the lines of its quotes from it; the paper's text ships with the explorer)."""
    return _clean(
        {
            "id": record.id,
            "kind": record.kind.value,
            "title": record.title,
            "authors": list(record.authors),
            "date": record.date,
            "citation": record.citation,
            "coverage_first": record.coverage.first if record.coverage else None,
            "coverage_last": record.coverage.last if record.coverage else None,
            "text": text if record.kind is SourceKind.ANALYST else None,
            "seq": seq,
            "doc": record.model_dump_json(),
        }
    )


def life_props(thing: Organ | Edge, floor: int | None) -> dict[str, Any]:
    """The life as properties Cypher can select on and Browser users can read: the possible range
    (``app.snapshot.possible_range_of``: what the store's candidate query filters by, the pooled
    life's widened to every year a claim places the thing), the certain range, attested years, and
    start and end as EDTF. The full life stays in ``doc`` and ``claims``."""
    life = thing.life
    first, stop = possible_range_of(thing, floor)
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
            **life_props(edge, floor),
            **claims_props(edge),
            "quote": edge.first_quote,
            "seq": seq,
            "doc": doc_of(edge),
        }
    )
