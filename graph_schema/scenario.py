"""Scenarios: a named overlay on the data — what if it were built differently? (CONTRACT.md §2 "Scenarios").

A scenario adds organs and edges (each ``proposed``, never certain), removes organs or edges, and
changes edges (kind, mode, condition, years; a changed edge keeps its id). It is in the same
vocabulary as the seeds: added organs and edges are ``Organ`` and ``Edge`` items. Whose proposal it
is, is said once: ``proposed_by: paper`` (one of the paper's own recommendations: every added thing
rests on verbatim quotes) or ``proposed_by: analyst`` (an analyst's own: every added thing carries
a ``note`` saying why, and is never shown as the paper's).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from graph_schema.life import Life
from graph_schema.models import ALLIANCE_IDS, ORGAN_ID_PATTERN, Edge, Organ, Source, _coerce_sources, _Model
from graph_schema.vocabulary import Condition, EdgeKind, Mode, parse_condition

SCENARIO_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RESERVED_IDS = ("evaluate",)  # /scenarios/evaluate is the route that evaluates a scenario sent whole
ProposedBy = Literal["paper", "analyst"]


class ProposedOrgan(Organ):
    """An organ a scenario adds; quotes where it comes from the paper, else a note."""

    sources: list[Source] = Field(default_factory=list)
    note: str | None = Field(default=None, description="Why the analyst proposes it (required without quotes).")


class ProposedEdge(Edge):
    """An edge a scenario adds; quotes where it comes from the paper, else a note."""

    sources: list[Source] = Field(default_factory=list)


class EdgeChange(_Model):
    """A change to an existing edge: only the fields given change; its id stays the same."""

    id: str = Field(description="The edge's id (an old id with years resolves too).")
    kind: EdgeKind | None = None
    mode: Mode | None = None
    condition: Condition | None = None
    life: Life | None = None
    note: str | None = None
    sources: list[Source] = Field(default_factory=list)

    @field_validator("condition", mode="before")
    @classmethod
    def _synonyms(cls, value: Any) -> Any:
        return parse_condition(value) if isinstance(value, str) else value

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)


def _note() -> dict[str, Any]:
    return {"required": ["note"], "properties": {"note": {"type": "string", "minLength": 1}}}


def _quoted() -> dict[str, Any]:
    return {"required": ["sources"], "properties": {"sources": {"type": "array", "minItems": 1}}}


# Whose proposal it is, as JSON Schema states it (``Scenario._whose`` checks it): a proposal of the
# paper rests on quotes, as a whole and in every added organ and edge; an analyst's explains every
# added organ (``note`` or ``notes``) and edge (``note``).
WHOSE_SCHEMA: dict[str, Any] = {
    "if": {"properties": {"proposed_by": {"const": "paper"}}},
    "then": {
        **_quoted(),
        "properties": {
            **_quoted()["properties"],
            "add_organs": {"items": _quoted()},
            "add_edges": {"items": _quoted()},
        },
    },
    "else": {
        "properties": {
            "add_organs": {
                "items": {
                    "anyOf": [
                        _note(),
                        {"required": ["notes"], "properties": {"notes": {"type": "string", "minLength": 1}}},
                    ]
                }
            },
            "add_edges": {"items": _note()},
        }
    },
}


class Scenario(_Model):
    """One what-if: organs and edges added, removed or changed, over one alliance's structure."""

    model_config = ConfigDict(json_schema_extra={"allOf": [WHOSE_SCHEMA]})

    id: str = Field(pattern=SCENARIO_ID_PATTERN, max_length=80, json_schema_extra={"not": {"enum": list(RESERVED_IDS)}})
    title: str = Field(min_length=3, max_length=200)
    alliance: str = Field(json_schema_extra={"enum": list(ALLIANCE_IDS)})
    proposed_by: ProposedBy = Field(description="paper: one of the paper's recommendations; analyst: an analyst's own.")
    rationale: str = Field(min_length=3)
    assumes_plans: bool = Field(
        default=False, description="Built on the plans the paper reports: applying it counts them (include_planned)."
    )
    sources: list[Source] = Field(default_factory=list, description="The quotes the scenario as a whole rests on.")
    add_organs: list[ProposedOrgan] = Field(default_factory=list)
    add_edges: list[ProposedEdge] = Field(default_factory=list)
    remove_organs: list[str] = Field(default_factory=list)
    remove_edges: list[str] = Field(default_factory=list)
    change_edges: list[EdgeChange] = Field(default_factory=list)

    @field_validator("sources", mode="before")
    @classmethod
    def _bare_quotes(cls, value: Any) -> Any:
        return _coerce_sources(value)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"{value!r} is reserved (POST /scenarios/{value} is a route); choose another id")
        return value

    @field_validator("alliance")
    @classmethod
    def _known_alliance(cls, value: str) -> str:
        if value not in ALLIANCE_IDS:
            raise ValueError(f"unknown alliance id {value!r}; allowed: {', '.join(ALLIANCE_IDS)}")
        return value

    @field_validator("remove_organs")
    @classmethod
    def _organ_ids(cls, value: list[str]) -> list[str]:
        import re

        for organ_id in value:
            if not re.match(ORGAN_ID_PATTERN, organ_id):
                raise ValueError(f"not an organ id: {organ_id!r}")
        return value

    @model_validator(mode="after")
    def _whose(self) -> Scenario:
        if self.proposed_by == "paper" and not self.sources:
            raise ValueError("a scenario of the paper's recommendations needs the quotes it rests on (sources)")
        items: list[tuple[str, int, ProposedOrgan | ProposedEdge]] = [
            ("add_organs", i, o) for i, o in enumerate(self.add_organs)
        ] + [("add_edges", i, e) for i, e in enumerate(self.add_edges)]
        for group, i, item in items:
            note = item.notes if isinstance(item, ProposedOrgan) and item.note is None else item.note
            if self.proposed_by == "paper" and not item.sources:
                raise ValueError(f"{group}[{i}]: a proposal of the paper needs its quotes (sources)")
            if self.proposed_by == "analyst" and not note:
                raise ValueError(f"{group}[{i}]: an analyst's proposal needs a note saying why")
        return self
