"""The validated seeds and sources as one ``Dataset`` (alliances, organs and edges by id, the sources
they rest on), its view for a set of counted sources, and its report for people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.combine import combine_alliances, combine_data
from app.paper import Paper
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import PAPER_ID, SourceKind

__all__ = ["NATIONAL", "Dataset", "validate_report"]

NATIONAL = "national"


@dataclass
class Dataset:
    """The validated seeds: alliances, organs and edges by id, and where each was defined."""

    alliances: dict[str, Alliance] = field(default_factory=dict)
    organs: dict[str, Organ] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    quotes: int = 0
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    """The loaded sources, the paper first (CONTRACT.md §2 "Sources")."""
    texts: dict[str, Paper] = field(default_factory=dict, repr=False)
    """The text of each text source, by id (quotes and their lines are read from it)."""
    _views: dict[frozenset[str], Dataset] = field(default_factory=dict, repr=False, compare=False)

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The ids of the loaded sources, the paper first (just the paper for data without records)."""
        return tuple(self.sources) or (PAPER_ID,)

    def counted(self, sources: frozenset[str] | None) -> Dataset:
        """The data as the ``sources`` counted have it (all loaded when None or all of them): each
        organ and edge their claims pooled (``app.combine``), what none of them claims left out, the
        roster's indicators and stated absences theirs. Kept per set."""
        if sources is None or sources >= frozenset(self.source_ids):
            return self
        view = self._views.get(sources)
        if view is None:
            organs, edges = combine_data(self.organs, self.edges, sources)
            view = Dataset(
                alliances=combine_alliances(self.alliances, sources),
                organs=organs,
                edges=edges,
                locations=self.locations,
                files=self.files,
                quotes=self.quotes,
                sources={k: v for k, v in self.sources.items() if k in sources},
                texts=self.texts,
            )
            self._views[sources] = view
        return view

    def claim_counts(self) -> dict[str, dict[str, Any]]:
        """Per source: how many organs, edges, indicators and stated absences it claims."""
        counts = {sid: {"organs": 0, "edges": 0, "indicators": 0, "absences": 0} for sid in self.source_ids}
        for name, things in (("organs", self.organs), ("edges", self.edges)):
            for thing in things.values():
                for claim in thing.claims:
                    counts.setdefault(claim.source_id, {"organs": 0, "edges": 0, "indicators": 0, "absences": 0})
                    counts[claim.source_id][name] += 1
        for alliance in self.alliances.values():
            for phase in alliance.codings:  # a dataset's treaty phases (claims; context is no claim)
                if phase.alliance is not None:
                    counts.setdefault(phase.source_id, {"organs": 0, "edges": 0, "indicators": 0, "absences": 0})
                    counts[phase.source_id]["treaty_phases"] = counts[phase.source_id].get("treaty_phases", 0) + 1
            for name, facts in (("indicators", alliance.indicators), ("absences", alliance.absences)):
                for fact in facts:
                    sid = fact.source_id or PAPER_ID
                    counts.setdefault(sid, {"organs": 0, "edges": 0, "indicators": 0, "absences": 0})
                    counts[sid][name] += 1
        return counts

    @property
    def quote_count(self) -> int:
        """The number of source quotes over all alliances (with members and events), organs and edges."""
        return self.quotes

    @property
    def indicator_count(self) -> int:
        """The number of indicators over all alliances."""
        return sum(len(a.indicators) for a in self.alliances.values())

    def edge_alliance(self, edge: Edge) -> str:
        """The alliance an edge is counted under: its source's, or its target's if the source is national."""
        for end in (edge.source, edge.target):
            organ = self.organs.get(end)
            if organ is not None and organ.alliance is not None:
                return organ.alliance
        return NATIONAL

    def counts_by_alliance(self) -> dict[str, dict[str, int]]:
        """Organs and edges per alliance id (roster order first), national ones under ``"national"``."""
        counts: dict[str, dict[str, int]] = {aid: {"organs": 0, "edges": 0} for aid in self.alliances}
        for organ in self.organs.values():
            counts.setdefault(organ.alliance or NATIONAL, {"organs": 0, "edges": 0})["organs"] += 1
        for edge in self.edges.values():
            counts.setdefault(self.edge_alliance(edge), {"organs": 0, "edges": 0})["edges"] += 1
        if NATIONAL in counts:  # national last, after every alliance
            counts[NATIONAL] = counts.pop(NATIONAL)
        return counts


def validate_report(dataset: Dataset) -> str:
    """A short text for people: organs and edges per alliance, then the totals and the quote count."""
    counts = dataset.counts_by_alliance()
    width = max([len("alliance"), *(len(k) for k in counts)])
    lines = [f"{'alliance':<{width}}  {'organs':>6}  {'edges':>6}"]
    lines += [f"{aid:<{width}}  {c['organs']:>6}  {c['edges']:>6}" for aid, c in counts.items()]
    lines.append(f"{'total':<{width}}  {len(dataset.organs):>6}  {len(dataset.edges):>6}")
    lines.append(
        f"{len(dataset.alliances)} alliances, {len(dataset.organs)} organs, {len(dataset.edges)} edges, "
        f"{dataset.indicator_count} indicators, "
        f"{dataset.quote_count} quotes found verbatim in the paper"
        + (" and its sources' texts" if any(r.is_text and r.id != PAPER_ID for r in dataset.sources.values()) else "")
        + (f" ({len(dataset.files)} seed files)" if dataset.files else "")
        + "."
    )
    phases = {p.record: p for a in dataset.alliances.values() for p in a.codings}.values()
    for source_id in dict.fromkeys(p.source_id for p in phases):
        own = [p for p in phases if p.source_id == source_id]
        lines.append(
            f"{source_id} (a dataset): {len(own)} treaty phases "
            f"({sum(1 for p in own if p.alliance is None)} context only), "
            f"{sum(len(p.members) for p in own)} memberships, {sum(len(p.values) for p in own)} coded values, "
            f"each with its locator; alliances it does not code: "
            + (", ".join(a for a, al in dataset.alliances.items() if not any(p.alliance == a for p in own)) or "none")
            + "."
        )
    if len(dataset.sources) > 1:
        counts = dataset.claim_counts()
        for sid, record in dataset.sources.items():
            if record.kind is SourceKind.DATASET:
                continue  # its line is above: phases, memberships and values, not organs
            c = counts.get(sid, {})
            lines.append(
                f"source {sid} ({record.kind.value}: {record.title}): {c.get('organs', 0)} organs,"
                f" {c.get('edges', 0)} edges, {c.get('indicators', 0)} indicators, {c.get('absences', 0)} absences"
            )
    return "\n".join(lines)
