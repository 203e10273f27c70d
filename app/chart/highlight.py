"""What a highlight draws over a chart, read from a question's answer or from the API's spec.

A ``Highlight`` is a path (a ``paths`` result, a linkage witness, or any list of organ ids) or,
when a linkage fails, its break: how far the civilian side reaches, the commanders it does not
reach, and the gap between them. ``resolve_highlight`` reads the ``highlight`` parameter as the
API and CLI take it. Drawing it is ``app.chart.highlight_marks``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.chart.boxes import label
from app.errors import BadParameter
from app.snapshot import ALL_KINDS
from app.snapshot_view import Snapshot
from graph_schema.vocabulary import EdgeKind

NOT_REPORTED = "not reported; the paper does not say there is none"


@dataclass(frozen=True)
class Highlight:
    """What to draw over the chart: a path, or where a linkage breaks.

    ``path`` is organ ids in order, ``edges`` the id of the edge making each hop where known.
    When a linkage breaks: ``reach`` is what the civilian side reaches, ``frontier`` where it
    stops, ``unreached`` the commanders it does not reach, and ``gaps`` (from, to, label) the
    places where a chain of the allowed kinds is missing.
    """

    path: tuple[str, ...] = ()
    edges: tuple[str | None, ...] = ()
    reach: tuple[str, ...] = ()
    frontier: tuple[str, ...] = ()
    unreached: tuple[str, ...] = ()
    gaps: tuple[tuple[str, str, str], ...] = ()
    caption: str | None = None

    @classmethod
    def _along(cls, chain: dict[str, Any], what: str) -> Highlight:
        """A chain of an answer (its organs and edges) highlighted; the caption ``what: A → B → C``."""
        return cls(
            path=tuple(o["id"] for o in chain["organs"]),
            edges=tuple(e["id"] for e in chain["edges"]),
            caption=f"{what}: " + " → ".join(_short(o) for o in chain["organs"]),
        )

    @classmethod
    def from_linkage(cls, result: dict[str, Any]) -> Highlight:
        """The witness of a linkage answer, or, when not linked, its break."""
        kinds = ", ".join(result["kinds"])
        if result["linked"]:
            witness = result["witnesses"][0]
            return cls._along(witness, f"Linkage by {kinds}: linked in {witness['hops']} hop(s)")
        brk = result["break"] or {}
        reach = tuple(o["id"] for o in brk.get("civilian_reach", []))
        unreached = tuple(o["id"] for o in result["operational_commanders"])
        allowed = set(result["kinds"])
        closing = next((c for c in brk.get("closing_kinds", []) if c["linked"]), None)
        path: tuple[str, ...] = ()
        edges: tuple[str | None, ...] = ()
        gaps: list[tuple[str, str, str]] = []
        if closing is not None:
            witness = closing["witness"]
            organs = [o["id"] for o in witness["organs"]]
            hops = witness["edges"]
            first_gap = next(i for i, e in enumerate(hops) if e["kind"] not in allowed)
            path, edges = tuple(organs[: first_gap + 1]), tuple(e["id"] for e in hops[:first_gap])
            for i, hop in enumerate(hops):
                if hop["kind"] not in allowed:
                    gaps.append((organs[i], organs[i + 1], f"gap: {hop['kind']} only"))
            frontier: tuple[str, ...] = (organs[first_gap],)
            fix = f"; adding {closing['add_kind']} would close it"
        else:
            furthest = brk.get("furthest_hops", 0)
            frontier = tuple(o["id"] for o in brk.get("civilian_reach", []) if o["hops"] == furthest)
            if frontier and unreached:
                gaps.append((frontier[0], unreached[0], "gap: no chain"))
            fix = "; no single added kind closes it"
        said = (
            "stated by the paper: " + " / ".join(f"“{q['quote']}”" for q in brk.get("quotes", []))
            if brk.get("stated")
            else "not reported (the paper does not say there is none)"
        )
        caption = f"Linkage by {kinds}: not linked — {said}; the civilian side reaches {len(reach)} organ(s){fix}"
        return cls(
            path=path,
            edges=edges,
            reach=reach,
            frontier=frontier,
            unreached=unreached,
            gaps=tuple(gaps),
            caption=caption,
        )

    @classmethod
    def from_paths(cls, result: dict[str, Any]) -> Highlight:
        """The shortest path of a ``paths`` answer, or a gap between its two organs."""
        kinds = ", ".join(result["kinds"])
        if result["paths"]:
            best = result["paths"][0]
            return cls._along(best, f"Path by {kinds} ({best['hops']} hop(s))")
        source, target = result["source"], result["target"]
        return cls(
            path=(source,),
            unreached=(target,),
            gaps=((source, target, "not connected"),),
            caption=f"Path by {kinds}: {source} does not reach {target} ({NOT_REPORTED})",
        )

    @classmethod
    def from_organs(cls, snap: Snapshot, ids: Sequence[str], kinds: Iterable[EdgeKind] = ALL_KINDS) -> Highlight:
        """A path given as organ ids; each hop uses the best edge of the allowed kinds, if any."""
        t = snap.traversal(kinds)
        edges: list[str | None] = []
        for a, b in itertools.pairwise(ids):
            if t.has_edge(a, b):
                edges.append(t[a][b]["edges"][0][0].id)
            elif t.has_edge(b, a):
                edges.append(t[b][a]["edges"][0][0].id)
            else:
                edges.append(None)
        chain = " → ".join(label(snap.organ(i)) for i in ids)
        return cls(path=tuple(ids), edges=tuple(edges), caption=f"Highlighted: {chain}")

    def organs(self) -> set[str]:
        return {*self.path, *self.reach, *self.frontier, *self.unreached, *(g[0] for g in self.gaps), *self.gap_ends()}

    def gap_ends(self) -> set[str]:
        return {g[1] for g in self.gaps}


def resolve_highlight(snap: Snapshot, spec: str | None, kinds: Iterable[EdgeKind] = ALL_KINDS) -> Highlight | None:
    """Read a highlight as the API and CLI take it: ``linkage``, ``path:SOURCE,TARGET``, or a
    comma list of organ ids; every organ named must be in the snapshot."""
    from app.questions.linkage import linkage
    from app.questions.paths import paths

    if spec is None or not spec.strip():
        return None
    spec = spec.strip()
    kinds = frozenset(kinds)
    if spec == "linkage":
        if snap.params.alliance is None:
            raise BadParameter("highlight", "linkage needs an alliance")
        return Highlight.from_linkage(linkage(snap, kinds))
    if spec.startswith("path:"):
        ends = [p.strip() for p in spec[5:].split(",") if p.strip()]
        if len(ends) != 2:
            raise BadParameter("highlight", "path: takes two organ ids, SOURCE,TARGET")
        _check_in_snapshot(snap, ends)
        return Highlight.from_paths(paths(snap, ends[0], ends[1], kinds, max_hops=12, limit=1))
    ids = [p.strip() for p in spec.split(",") if p.strip()]
    _check_in_snapshot(snap, ids)
    return Highlight.from_organs(snap, ids, kinds)


def highlight_ids(spec: str | None) -> list[str]:
    """The organ ids a highlight spec names (none for ``linkage``), for checking they exist."""
    if spec is None or not spec.strip() or spec.strip() == "linkage":
        return []
    body = spec.strip()[5:] if spec.strip().startswith("path:") else spec
    return [p.strip() for p in body.split(",") if p.strip()]


def _check_in_snapshot(snap: Snapshot, ids: Sequence[str]) -> None:
    missing = [i for i in ids if i not in snap.graph]
    if missing:
        raise BadParameter("highlight", f"not in this chart's snapshot: {', '.join(missing)}")
    if len(ids) < 1:
        raise BadParameter("highlight", "name at least one organ id")


def _short(brief: dict[str, Any]) -> str:
    return str(brief.get("acronym") or brief.get("name") or brief.get("id"))
