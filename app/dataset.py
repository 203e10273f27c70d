"""The validated seeds as one ``Dataset`` (alliances, organs and edges by id), and its report for people."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph_schema.models import Alliance, Edge, Organ

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
        + (f" ({len(dataset.files)} seed files)" if dataset.files else "")
        + "."
    )
    return "\n".join(lines)
