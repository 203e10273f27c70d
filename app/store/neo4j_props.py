"""The properties of the Neo4j graph's nodes and relationships, from the vocabulary's models.

What each holds is the graph shape ``app.store.neo4j_load`` describes; the life as the ranges the
store's queries select by is computed by ``app.snapshot``'s rules, never here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.snapshot import certain_range, possible_range, treaty_floor
from graph_schema.life import Life
from graph_schema.models import Alliance, Edge, Organ, RoleSpell

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
            **life_props(organ.life, treaty_floor(organ.alliance, alliances)),
            "quote": organ.first_quote,
            "seq": seq,
            "doc": organ.model_dump_json(by_alias=True),
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
