"""``compare``: the side-by-side table of alliance structures — the paper's figure 4, computed —
and of the paper's indicators (travellers, trade, students, ...), each with its year."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from app import deadline
from app.paper import quote_line
from app.questions.centrality import articulation
from app.questions.indicators import cell_text, side_by_side
from app.questions.linkage import linkage, stated_absence
from app.questions.treaty import treaty_cells, treaty_note, treaty_rows, treaty_table
from app.snapshot import ALL_KINDS, SnapshotParams, role_held
from app.snapshot_view import Snapshot
from app.store.base import Store
from graph_schema.vocabulary import PAPER_ID, Agreement, EdgeKind, Existence, Level, Nature, OrganType, Role, Status

# Figure 4 sets these three side by side, in this order; the paper was written in early 2009.
FIGURE_4 = ("nato", "us-rok", "us-japan")
PAPER_YEAR = 2009
AUTHORITY = frozenset({EdgeKind.AUTHORITY})
AUTHORITY_AND_COORDINATION = frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})


def _label(organ: Any) -> str:
    return str(organ.acronym or organ.name)


def _marked(snap: Snapshot, organ: Any) -> str:
    """An organ's label in a compare list, marked when the paper leaves it only possible in the year."""
    return _label(organ) + ("" if snap.certain(organ.id) else " (possible)")


# A compare cell says how sure the paper is, never a bare "no" for its silence (issue 24, item 4):
CELL_TEXT = {
    "certain": "yes (certain)",
    "possible": "yes (possible)",
    "not-reported": "not reported",
    "stated-absent": "no (stated by the paper)",
    "no": "no (linked by authority{detail})",
}
CELLS = (
    "has_military_committee",
    "has_combined_command",
    "linkage_by_authority",
    "linkage_with_coordination",
    "coordination_only_linkage",
)
CELL_RULE = (
    "certain: the paper places it (or a whole chain) in the year; possible: only what its bounds leave possible; "
    "not reported: the paper reports none, which is not the same as none; stated absent: the paper says there is "
    "none; no: only for a coordination-only linkage where an authority chain exists"
)


def _cell(
    value: str,
    why: str,
    quotes: list[dict[str, Any]] | None = None,
    detail: str = "",
    rests: tuple[list[str], str | None] = ([], None),
) -> dict[str, Any]:
    """A cell: its value and text, why, the quotes of a stated absence, and the sources the value rests
    on with whether they agree (``source_ids``, ``agreement``; none for what is not reported)."""
    text = CELL_TEXT[value].format(detail=detail) if value == "no" else CELL_TEXT[value] + detail
    if value == "stated-absent" and quotes:
        text = f"no (stated by the paper, line {quotes[0]['line']})"
    source_ids, agreement = rests
    return {
        "value": value,
        "text": text,
        "why": why,
        "quotes": quotes or [],
        "source_ids": source_ids,
        "agreement": agreement,
    }


def _absence_quotes(absence: Any) -> list[dict[str, Any]]:
    source = absence.source_id or PAPER_ID
    return [
        {"quote": q.quote, "line": quote_line(q.quote, q.source_id or source), "source_id": q.source_id or source}
        for q in absence.sources
    ]


def _rests_on(snap: Snapshot, things: Sequence[Any]) -> tuple[list[str], str | None]:
    """The sources that claim ``things`` (in source order) and their agreement in the year: disputed
    when one of them is, single when one source claims them all, else agreed."""
    ids = list(dict.fromkeys(c.source_id for t in things for c in t.claims))
    if not ids:
        return [], None
    judged = [snap.judgement(t.id) for t in things]
    if any(j.agreement is Agreement.DISPUTED for j in judged):
        return ids, Agreement.DISPUTED.value
    return ids, Agreement.SINGLE.value if len(ids) == 1 else Agreement.AGREED.value


def _organ_cell(snap: Snapshot, found: list[Any], what: str, absence: Any) -> dict[str, Any]:
    """Certain when the paper places one of ``found`` in the year, possible when it only leaves one
    possible, stated absent when it says the alliance has none, else not reported."""
    sure = [o for o in found if snap.certain(o.id)]
    if sure:
        return _cell("certain", f"the paper places a {what} in the year", rests=_rests_on(snap, sure))
    if found:
        return _cell("possible", f"a {what} is possible in the year, not certain", rests=_rests_on(snap, found))
    if absence is not None:
        rests = ([absence.source_id or PAPER_ID], Agreement.SINGLE.value)
        return _cell(
            "stated-absent", f"the paper says there is none: {absence.what}", _absence_quotes(absence), rests=rests
        )
    return _cell("not-reported", f"the paper reports no {what} in the year; not reported is not the same as none")


def _linkage_cell(result: dict[str, Any]) -> dict[str, Any]:
    """A linkage answer (asked with existence=possible) as a cell: certain, possible, stated absent or
    not reported, with the chain's length and first witness, and the sources that chain rests on."""
    if result["linked"]:
        value = "certain" if result["certain"] else "possible"
        hops = result["shortest_hops"]
        why = "a whole chain is placed in the year" if value == "certain" else "every chain rests on what is possible"
        first = result["witnesses"][0]
        rests = (first["source_ids"], first["agreement"])
        return _cell(value, why, detail=f", {hops} hop{'' if hops == 1 else 's'}: {_chain(result)}", rests=rests)
    brk = result["break"]
    if brk["cause"] == "stated":
        sources = list(dict.fromkeys(q.get("source_id") or PAPER_ID for q in brk["quotes"]))
        return _cell("stated-absent", brk["reason"], brk["quotes"], rests=(sources, Agreement.SINGLE.value))
    return _cell("not-reported", brk["reason"])


def _coordination_only_cell(
    by_authority: dict[str, Any], with_coordination: dict[str, Any], coordination: dict[str, Any]
) -> dict[str, Any]:
    """Linked with coordination but not by authority: only as sure as both halves. An authority chain
    makes it "no"; an authority gap the paper only does not report leaves it possible at most."""
    if not with_coordination["linked"]:
        return _cell("not-reported", "the paper reports no chain even counting coordination")
    if by_authority["linked"]:
        sure = "certain" if by_authority["certain"] else "possible"
        first = by_authority["witnesses"][0]
        rests = (first["source_ids"], first["agreement"])
        return _cell("no", f"an authority chain links them ({sure} in the year)", detail=f", {sure}", rests=rests)
    brk = by_authority["break"]
    if brk["cause"] == "stated":
        return {
            **coordination,
            "why": "no authority chain (stated by the paper); " + coordination["why"],
            "quotes": brk["quotes"],
        }
    rests = (coordination["source_ids"], coordination["agreement"])
    return _cell("possible", "the paper does not say there is no authority chain: " + brk["reason"], rests=rests)


def chain_failure_points(snap: Snapshot, kinds: frozenset[EdgeKind] = AUTHORITY) -> list[str]:
    """Organs whose removal (with their parts) breaks every chain of ``kinds`` from a civilian body
    to an operational commander: the failure points of the civil-military chain itself."""
    found = linkage(snap, kinds)
    if not found["linked"]:
        return []
    on_chains = sorted({o["id"] for w in found["witnesses"] for o in w["organs"]})
    return [
        organ_id
        for organ_id in deadline.checked(on_chains, 1)
        if not linkage(snap.variant(exclude=snap.params.exclude | {organ_id}), kinds)["linked"]
    ]


@dataclass(frozen=True)
class Column:
    """One column of a comparison: an alliance in a year, with or without plans, with or without a
    scenario laid over it. Written ``ALLIANCE[@YEAR][+planned][~SCENARIO]``, e.g.
    ``us-rok@2013+planned~rok-post-2012-linkage``."""

    alliance: str
    as_of: int | None
    include_planned: bool = False
    scenario: str | None = None

    @property
    def label(self) -> str:
        text = self.alliance + (f"@{self.as_of}" if self.as_of is not None else "")
        return text + ("+planned" if self.include_planned else "") + (f"~{self.scenario}" if self.scenario else "")


COLUMN_SYNTAX = "ALLIANCE[@YEAR][+planned][~SCENARIO], e.g. us-rok@2013+planned~rok-post-2012-linkage"
_COLUMN = re.compile(r"^(?P<alliance>[^@+~]+)(@(?P<year>\d{4}))?(?P<planned>\+planned)?(~(?P<scenario>[a-z0-9-]+))?$")
# What the API's schema declares an item of ``columns`` to be: a comma list of columns as ``_COLUMN``
# accepts each once stripped, each year in 1900-2100 (blanks and commas around them are dropped), so
# any text it allows names columns (or an unknown alliance or scenario: a 404), at least one. An item
# is checked as sent, then split at its commas (``app.parse.text_list``); a column asked twice is one.
_ONE = r"[^@+~,\s][^@+~,]*(@(19[0-9]{2}|20[0-9]{2}|2100))?(\+planned)?(~[a-z0-9-]+)?"
COLUMN_PATTERN = rf"^[\s,]*{_ONE}(\s*,[\s,]*{_ONE})*[\s,]*$"


def parse_column(text: str, store: Store, default_year: int | None) -> Column:
    """A column as written (``COLUMN_SYNTAX``); the alliance may be named as ``resolve_alliance`` accepts."""
    from app.errors import BadParameter

    found = _COLUMN.match(text.strip())
    if found is None:
        raise BadParameter("columns", f"{text!r} is not a column; write {COLUMN_SYNTAX}")
    year = int(found["year"]) if found["year"] else default_year
    if year is not None and not 1900 <= year <= 2100:
        raise BadParameter("columns", f"year {year} is outside 1900-2100")
    scenario = found["scenario"]
    if scenario is not None:
        store.scenario(scenario)
    return Column(store.resolve_alliance(found["alliance"], "columns"), year, bool(found["planned"]), scenario)


def structure_row(
    store: Store,
    alliance_id: str,
    as_of: int | None,
    existence: Existence = Existence.POSSIBLE,
    include_planned: bool = False,
    scenario: str | None = None,
) -> dict[str, Any]:
    """One column of figure 4: the structure of one alliance in one year (with plans, with a
    scenario when asked), counting what is certain (``existence=certain``) or also what is possible
    (the default), and saying which."""
    alliance = store.alliance(alliance_id)
    snap: Snapshot = store.snapshot(
        SnapshotParams(
            alliance=alliance_id,
            as_of=as_of,
            include_planned=include_planned,
            existence=existence,
            scenario=scenario,
        )
    )
    # How sure the paper is is judged on what it leaves possible, whatever ``existence`` counts.
    loose = (
        snap if existence is Existence.POSSIBLE else store.snapshot(replace(snap.params, existence=Existence.POSSIBLE))
    )
    own = [o for o in deadline.checked(snap.organs(), 4096) if o.alliance == alliance_id]
    natures = Counter(o.nature.value for o in own)
    levels = Counter(o.level.value for o in own)
    year = as_of
    decision = [o for o in own if role_held(o, Role.DECISION_MAKING, year, None)]
    military_committees, combined = _military_committees(snap, alliance_id), _combined_commands(snap, alliance_id)
    by_authority = linkage(snap, AUTHORITY)
    with_coordination = linkage(snap, AUTHORITY_AND_COORDINATION)
    loose_authority = by_authority if loose is snap else linkage(loose, AUTHORITY)
    loose_coordination = with_coordination if loose is snap else linkage(loose, AUTHORITY_AND_COORDINATION)
    absence = stated_absence(loose, frozenset())
    coordination_cell = _linkage_cell(loose_coordination)
    cells = {
        "has_military_committee": _organ_cell(
            loose, _military_committees(loose, alliance_id), "military committee", absence
        ),
        "has_combined_command": _organ_cell(loose, _combined_commands(loose, alliance_id), "combined command", absence),
        "linkage_by_authority": _linkage_cell(loose_authority),
        "linkage_with_coordination": coordination_cell,
        "coordination_only_linkage": _coordination_only_cell(loose_authority, loose_coordination, coordination_cell),
    }
    coordination_edges = [e for e in snap.edges([EdgeKind.COORDINATION])]
    cut = articulation(snap, ALL_KINDS)
    cadence = [f"{_label(o)}: {c.session} {c.frequency}" for o in own for c in o.cadence]
    return {
        "alliance": alliance_id,
        "name": alliance.name,
        "treaty_years": alliance.treaty_years,
        "standing_structure": alliance.standing_structure,
        "as_of": as_of,
        "include_planned": snap.params.include_planned,
        "scenario": scenario,
        "scenario_proposed_by": snap.overlay.scenario.proposed_by if snap.overlay is not None else None,
        "existence": existence.value,
        "organs": len(own),
        "organs_certain": sum(1 for o in own if snap.certain(o.id)),
        "organs_possible": sum(1 for o in own if not snap.certain(o.id)),
        "national_organs_linked": len(snap.organs()) - len(own),
        "by_nature": {n.value: natures.get(n.value, 0) for n in Nature},
        "by_level": {lv.value: levels.get(lv.value, 0) for lv in Level},
        "decision_bodies": sorted(_marked(snap, o) for o in decision),
        "military_committee": [_marked(snap, o) for o in military_committees],
        "has_military_committee": bool(military_committees),
        "combined_command": [_marked(snap, o) for o in combined],
        "has_combined_command": bool(combined),
        "linkage_by_authority": by_authority["linked"],
        "linkage_by_authority_hops": by_authority["shortest_hops"],
        "linkage_by_authority_chain": _chain(by_authority),
        "linkage_with_coordination": with_coordination["linked"],
        "linkage_with_coordination_hops": with_coordination["shortest_hops"],
        "coordination_only_linkage": with_coordination["linked"] and not by_authority["linked"],
        "coordination_links": len(coordination_edges),
        "single_points_of_failure": [_marked(snap, snap.organ(a["id"])) for a in cut],
        "single_points_of_failure_graph": "every edge kind, read undirected: organs whose removal disconnects it",
        "chain_points_of_failure": [_marked(snap, snap.organ(i)) for i in chain_failure_points(snap)],
        "chain_points_of_failure_graph": "authority chains from civilian bodies to operational commanders",
        "dormant_organs": sorted(_label(o) for o in own if snap.judgement(o.id).status is Status.DORMANT),
        "meeting_cadence": cadence,
        "cells": cells,
        "cell_rule": CELL_RULE,
    }


def _military_committees(snap: Snapshot, alliance_id: str) -> list[Any]:
    return [
        o
        for o in snap.organs()
        if o.alliance == alliance_id and o.type is OrganType.COMMITTEE and o.nature is Nature.MILITARY
    ]


def _combined_commands(snap: Snapshot, alliance_id: str) -> list[Any]:
    year = snap.params.as_of
    return [
        o
        for o in snap.organs()
        if o.alliance == alliance_id
        and o.type is OrganType.COMMAND
        and o.nation is None
        and role_held(o, Role.OPERATIONAL_COMMAND, year, None)
    ]


def _chain(result: dict[str, Any]) -> str | None:
    if not result["witnesses"]:
        return None
    return " -> ".join(o["acronym"] or o["name"] for o in result["witnesses"][0]["organs"])


def compare(
    store: Store,
    alliances: Sequence[str] = FIGURE_4,
    as_of: int | None = PAPER_YEAR,
    existence: Existence = Existence.POSSIBLE,
    columns: Sequence[Column] | None = None,
) -> dict[str, Any]:
    """The structures of ``alliances`` side by side in ``as_of`` (default: figure 4, in 2009), or of
    ``columns`` (each its own alliance, year, plans and scenario: the data and a proposal side by
    side), counting
    what is certain or also what is possible (``existence``), and their indicators side by side by
    measure (``indicators``: every one, whatever ``as_of``, each with its own year, qualifier and scope).

    Examples
    --------
    >>> from app.api.deps import default_store
    >>> rows = compare(default_store())["rows"]
    >>> [(r["alliance"], r["has_combined_command"]) for r in rows]
    [('nato', True), ('us-rok', True), ('us-japan', False)]
    """
    cols = columns if columns is not None else [Column(a, as_of) for a in alliances]
    labelled = columns is not None
    return {
        "as_of": as_of,
        "existence": existence.value,
        "counted_sources": list(store.counted_sources()),
        "rows": [
            {
                **({"column": c.label} if labelled else {}),
                **structure_row(store, c.alliance, c.as_of, existence, c.include_planned, c.scenario),
            }
            for c in cols
        ],
        "indicators": side_by_side(store, list(dict.fromkeys(c.alliance for c in cols))),
        "treaty_practice": [
            {**({"column": c.label} if labelled else {}), **row}
            for c in cols
            for row in treaty_rows(store, c.alliance, c.as_of, existence, c.include_planned, c.scenario)
        ],
        "treaty_practice_note": treaty_note(store),
    }


# The columns each measure gets in compare's CSV, after the structure's: the cell as read
# ("near $300 bn, no year given"), then its parts; several figures of one alliance joined with '; '.
INDICATOR_PARTS = ("value", "unit", "qualifier", "year", "scope", "scope_note")


def compare_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows (lists joined with '; ', counts spread into columns) for CSV and tables; each
    measure of ``indicators`` adds its columns (``travellers``, ``travellers.value``, ...). With
    ``treaty_only`` (``treaty=true``), the treaty-beside-practice rows, one per alliance and provision."""
    if result.get("treaty_only"):
        return treaty_table(result)
    rows = []
    for row in result["rows"]:
        flat: dict[str, Any] = {}
        for key, value in row.items():
            if key in ("cells", "cell_rule"):
                continue
            if key in CELLS and "cells" in row:
                flat[key] = row["cells"][key]["text"]  # the mark, never a bare yes or no
            elif isinstance(value, dict):
                flat.update({f"{key}.{k}": v for k, v in value.items()})
            elif isinstance(value, list):
                flat[key] = "; ".join(str(v) for v in value)
            else:
                flat[key] = value
        label = row.get("column", row["alliance"])
        for entry in result.get("treaty_practice", []):
            if entry.get("column", entry["alliance"]) == label:
                flat.update(treaty_cells(entry))
        for entry in result.get("indicators", []):
            figures = entry["by_alliance"].get(row["alliance"], [])
            flat[entry["measure"]] = cell_text(figures) if figures else None
            for part in INDICATOR_PARTS:
                flat[f"{entry['measure']}.{part}"] = "; ".join("" if f[part] is None else str(f[part]) for f in figures)
        rows.append(flat)
    return rows
