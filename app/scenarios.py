"""Scenarios: read and check scenario files, and lay a scenario over the data (CONTRACT.md §2 "Scenarios").

A scenario file (``scenarios/*.yaml``, or one an analyst passes with ``--scenario-file``, or the JSON
``POST /scenarios/evaluate`` takes) is read by the seeds' own reader and checked like a seed: the
vocabulary (``graph_schema.scenario``), every quote verbatim in the paper, and against the data: a
removal of an unknown id, an edge to nothing, an added id that exists already — each an error with
file, line and field, all of them in one run.

``overlay`` applies a scenario to the data's organs and edges in memory and returns new mappings;
nothing stored changes. The snapshot rules (``app.snapshot``) then judge what it added or changed
as ``proposed``: at most possible, never certain, and shown as the paper's or the analyst's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.config import default_paper_path, default_seeds_dir
from app.errors import BadParameter
from app.paper import Paper
from app.problems import SeedError, SeedProblem
from app.seed_checks import raw_quotes
from app.seeds import SeedLoader
from app.yaml_lines import LineMap, field_path, walk
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.scenario import Scenario

EVALUATE_MAX_BYTES = 64 * 1024  # the largest scenario POST /scenarios/evaluate reads


@dataclass(frozen=True)
class Overlay:
    """The data with a scenario laid over it: every organ and edge, and what the scenario did."""

    scenario: Scenario
    organs: dict[str, Organ]
    edges: dict[str, Edge]
    proposed: dict[str, str] = field(default_factory=dict)
    """Id of each organ or edge the scenario adds or changes -> who proposes it (paper, analyst)."""
    removed_organs: list[str] = field(default_factory=list)
    removed_edges: list[str] = field(default_factory=list)
    changed_edges: list[str] = field(default_factory=list)
    removed_models: dict[str, Organ] = field(default_factory=dict)
    """The organs it removed, as the data has them: a chart draws them as ghosts."""
    not_applied: list[dict[str, str]] = field(default_factory=list)
    """Parts it could not apply (``part``, ``id``, ``reason``): an edge whose ends no counted source
    claims, or a change to an edge none claims (CONTRACT.md §2 "Scenarios apply after sources")."""


def resolve_edge_id(edge_id: str, edges: Mapping[str, Edge]) -> str | None:
    """An edge id as given, or the current id of an edge named by its old id (with years)."""
    if edge_id in edges:
        return edge_id
    return next((e.id for e in edges.values() if e.legacy_id == edge_id), None)


def problems_against(
    scenario: Scenario, organs: Mapping[str, Organ], edges: Mapping[str, Edge], alliances: Mapping[str, Alliance]
) -> list[tuple[tuple[str | int, ...], str]]:
    """What in ``scenario`` the data contradicts, each with the path of the field it concerns."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    if alliances and scenario.alliance not in alliances:
        found.append((("alliance",), f"alliance {scenario.alliance!r} is not in the roster"))
    added = {o.id for o in scenario.add_organs}
    for i, organ in enumerate(scenario.add_organs):
        if organ.id in organs:
            found.append((("add_organs", i, "id"), f"organ {organ.id!r} exists already; change it or remove it"))
        if organ.part_of is not None and organ.part_of not in organs and organ.part_of not in added:
            found.append((("add_organs", i, "part_of"), _unknown("organ", organ.part_of, organs)))
    removed = set(scenario.remove_organs)
    for i, organ_id in enumerate(scenario.remove_organs):
        if organ_id not in organs:
            found.append((("remove_organs", i), _unknown("organ", organ_id, organs)))
    for i, edge in enumerate(scenario.add_edges):
        for end in ("source", "target"):
            organ_id = getattr(edge, end)
            if (organ_id not in organs and organ_id not in added) or organ_id in removed:
                reason = "is removed by this scenario" if organ_id in removed else "does not exist"
                found.append((("add_edges", i, end), f"edge to nothing: organ {organ_id!r} {reason}"))
        if edge.id in edges:
            found.append((("add_edges", i), f"edge {edge.id!r} exists already; use change_edges"))
    for i, edge_id in enumerate(scenario.remove_edges):
        if resolve_edge_id(edge_id, edges) is None:
            found.append((("remove_edges", i), _unknown("edge", edge_id, edges)))
    for i, change in enumerate(scenario.change_edges):
        if resolve_edge_id(change.id, edges) is None:
            found.append((("change_edges", i, "id"), _unknown("edge", change.id, edges)))
    return found


def _unknown(what: str, thing_id: str, known: Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(thing_id, list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"unknown {what} {thing_id!r}{hint}"


def overlay(scenario: Scenario, organs: Mapping[str, Organ], edges: Mapping[str, Edge]) -> Overlay:
    """The data's organs and edges with ``scenario`` applied (in memory; nothing stored changes).

    Removing an organ removes its parts and every edge that touches them; a changed edge keeps its
    id; what is added or changed is recorded in ``proposed`` with whose proposal it is.
    """
    from app.snapshot import parts_of

    whose = scenario.proposed_by
    gone = parts_of(organs, scenario.remove_organs)
    new_organs = {i: o for i, o in organs.items() if i not in gone}
    proposed: dict[str, str] = {}
    for organ in scenario.add_organs:
        new_organs[organ.id] = organ
        proposed[organ.id] = whose
    removed_edges: set[str] = {i for i in (resolve_edge_id(e, edges) for e in scenario.remove_edges) if i is not None}
    new_edges: dict[str, Edge] = {}
    for edge_id, edge in edges.items():
        if edge_id in removed_edges or edge.source in gone or edge.target in gone:
            removed_edges.add(edge_id)
            continue
        new_edges[edge_id] = edge
    changed: list[str] = []
    skipped: list[dict[str, str]] = []
    for k, change in enumerate(scenario.change_edges):
        found = resolve_edge_id(change.id, edges)
        if found is None or found not in new_edges:
            if found is None:
                skipped.append(
                    {"part": f"change_edges[{k}]", "id": change.id, "reason": "no counted source claims this edge"}
                )
            continue
        edge_id = found
        updates = change.model_dump(exclude_unset=True, exclude={"id", "sources"})
        data = new_edges[edge_id].model_dump(by_alias=True)
        data.update({k: v for k, v in updates.items() if v is not None})
        if change.sources:
            data["sources"] = [s.model_dump() for s in change.sources] + data["sources"]
        data["id"] = edge_id  # a changed edge keeps its id
        new_edges[edge_id] = Edge.model_validate(data)
        proposed[edge_id] = whose
        changed.append(edge_id)
    for k, edge in enumerate(scenario.add_edges):
        assert edge.id is not None
        missing = [end for end in (edge.source, edge.target) if end not in new_organs]
        if missing:
            reason = f"no counted source claims its end {', '.join(missing)}, and the scenario does not add it"
            skipped.append({"part": f"add_edges[{k}]", "id": edge.id, "reason": reason})
            continue
        new_edges[edge.id] = edge
        proposed[edge.id] = whose
    return Overlay(
        scenario=scenario,
        organs=new_organs,
        edges=new_edges,
        proposed=proposed,
        removed_organs=sorted(gone),
        removed_edges=sorted(removed_edges),
        changed_edges=changed,
        removed_models={i: organs[i] for i in sorted(gone)},
        not_applied=skipped,
    )


# ------------------------------------------------------------------------------------------- reading


def _check(
    loader: SeedLoader,
    file: str,
    raw: Any,
    organs: Mapping[str, Organ],
    edges: Mapping[str, Edge],
    alliances: Mapping[str, Alliance],
) -> Scenario | None:
    """Validate one parsed scenario against the vocabulary, the paper and the data; record problems."""
    if not isinstance(raw, LineMap):
        loader.problem(file, 1, "", "a scenario is a mapping with id, title, alliance, proposed_by, rationale, ...")
        return None
    scenario: Scenario | None = None
    failed: list[tuple[str | int, ...]] = []
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            failed.append(tuple(error["loc"]))
            loader.validation_problem(file, "scenario", raw, error)
    if loader.paper is not None:
        for loc, quote in raw_quotes(raw):
            if any(bad[: len(loc)] == loc for bad in failed):
                continue
            if not loader.paper.contains(quote):
                line, _, _ = walk(raw, loc)
                loader.problem(file, line, "scenario." + field_path(loc), loader.quote_message(quote))
    if scenario is None:
        return None
    for loc, message in problems_against(scenario, organs, edges, alliances):
        line, _, _ = walk(raw, loc)
        loader.problem(file, line, "scenario." + field_path(loc), message)
    return scenario


def _data(dataset: Any) -> tuple[Mapping[str, Organ], Mapping[str, Edge], Mapping[str, Alliance]]:
    return dataset.organs, dataset.edges, dataset.alliances


def read_scenario(path: Path, dataset: Any, paper: Paper | None = None, text: str | None = None) -> Scenario:
    """One scenario file (an analyst's, say), checked against ``dataset``; raises SeedError with every problem."""
    loader = SeedLoader(paper or _default_paper())
    file, raw = loader.read_file(path, text, scenario=True)
    scenario = None
    if raw is None and not loader.problems:
        loader.problem(file, None, "", "the file is empty")
    elif raw is not None:
        scenario = _check(loader, file, raw, *_data(dataset))
    if loader.problems or scenario is None:
        raise SeedError(sorted(loader.problems, key=lambda p: p.line or 0), kind="scenario")
    return scenario


def check_scenario_data(payload: Any, store: Any) -> Scenario:
    """A scenario sent whole (``POST /scenarios/evaluate``), checked like a file against the store's
    data; its problems are one 422 naming the first field and listing them all. Nothing is stored."""
    # JSON is YAML: read it with the seeds' reader, so fields are named the same way as in files.
    text = json.dumps(payload, indent=1)
    try:
        return _check_text(text, store)
    except SeedError as err:
        first, *rest = err.problems
        more = "".join(f"; {p.field}: {p.message}" for p in rest)
        raise BadParameter(first.field or "scenario", first.message + more) from None


def _check_text(text: str, store: Any) -> Scenario:
    loader = SeedLoader(_default_paper())
    file, raw = loader.read_file(Path("<request>"), text, scenario=True)
    scenario = None if raw is None else _check(loader, file, raw, store.organs(), store.edges(), store.alliances())
    if raw is None and not loader.problems:
        loader.problem(file, None, "scenario", "give a scenario object")
    if loader.problems or scenario is None:
        raise SeedError(loader.problems)
    return scenario


def load_scenarios(directory: Path, dataset: Any, paper: Paper | None = None) -> dict[str, Scenario]:
    """Every ``*.yaml`` scenario in ``directory`` (sorted), checked; SeedError with every problem of the run."""
    loader = SeedLoader(paper or _default_paper())
    found: dict[str, Scenario] = {}
    where: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        file, raw = loader.read_file(path, scenario=True)
        if raw is None:
            continue
        scenario = _check(loader, file, raw, *_data(dataset))
        if scenario is None:
            continue
        if scenario.id in found:
            loader.problem(
                file, raw.key_lines.get("id", 1), "scenario.id", f"duplicate scenario id, first in {where[scenario.id]}"
            )
            continue
        found[scenario.id], where[scenario.id] = scenario, file
    if loader.problems:
        raise SeedError(sorted(loader.problems, key=lambda p: (p.file, p.line or 0)), kind="scenario")
    return found


def _default_paper() -> Paper:
    return Paper.from_file(default_paper_path(default_seeds_dir()))


__all__ = [
    "Overlay",
    "SeedError",
    "SeedProblem",
    "check_scenario_data",
    "load_scenarios",
    "overlay",
    "read_scenario",
]
