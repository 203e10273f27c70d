"""An alliance's treaty codings and its members by year, from each counted source that gives them.

CONTRACT.md §2 "Values" and "Treaty codings beside practice". ``GET /alliances/{id}`` carries:

- ``codings``: each treaty phase a counted dataset source codes for the alliance (ATOP 5.1), each
  value with its meaning in words and its locator, each member with the dates it entered and left;
  a phase shown only as context (the Manila Pact's SEATO phase beside U.S.-Thailand) says so.
  With ``as_of=Y`` each phase says whether it is in effect in Y.
- ``members_by_year``: each counted source's member figures — the paper's counts (with the year it
  gives each) and a dataset's member list, changing on the dates it gives — and, with ``as_of=Y``,
  the value each gives in Y side by side, ``disputed`` where they differ, each saying what it counts.

A dated value holds in Y when it is in effect on 31 December of Y; a count the paper gives holds in
the year it gives (its present tense: 2009); a dataset is silent outside its coverage. Codings are
never evidence for or against an organ or edge: nothing here reads the structure.

Examples
--------
>>> from app.api.deps import default_store
>>> members = members_by_year(default_store().alliance("nato"), 2009)
>>> members["agreement"], [(v["source_id"], v["count"]) for v in members["in_year"]]
('disputed', [('finnegan-2009', 26), ('atop-5.1', 28)])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.codings import short_label
from app.paper import quote_line as line_of
from app.store.base import Store
from graph_schema.codings import TreatyPhase, year_end
from graph_schema.models import Alliance, Indicator
from graph_schema.vocabulary import PAPER_ID, Agreement, Measure, SourceKind

THIRTY_FIRST = "a dated value holds in a year when it is in effect on 31 December of that year"
PAPER_RULE = "a count the paper gives holds in the year it gives (its present tense: the paper's date, 2009)"


def counts(source_id: str | None, counted: frozenset[str] | None) -> bool:
    """Whether a claim of ``source_id`` (None: the paper's) is counted (``counted`` None: all are)."""
    return counted is None or (source_id or PAPER_ID) in counted


def coding_sources(store: Store) -> dict[str, str]:
    """Every loaded dataset source that codes treaties, by id, with its short name ("ATOP" for
    atop-5.1): the dataset records the store holds, else (data built without records) the sources
    its alliances' codings name."""
    found = {
        sid: short_label(record.title, sid)
        for sid, record in store.sources().items()
        if record.kind is SourceKind.DATASET
    }
    if not found:
        for alliance in store.alliances().values():
            for phase in alliance.codings:
                found.setdefault(phase.source_id, phase.source_label or phase.source_id)
    return found


def counted_of(store: Store) -> frozenset[str]:
    """The sources a store's answers count (all loaded, or a ``sourced`` view's)."""
    return frozenset(store.counted_sources())


def codings_note(alliance: Alliance, loaded: Mapping[str, str], counted: frozenset[str] | None) -> list[str]:
    """What the codings say of themselves: each loaded coding source left out by ``sources=``, and
    each counted one that does not code the alliance (silence, not absence)."""
    notes = []
    for source_id, label in loaded.items():
        if not counts(source_id, counted):
            notes.append(f"{source_id} is not counted (sources=): its treaty codings are left out")
        elif not any(p.source_id == source_id and p.alliance == alliance.id for p in alliance.codings):
            notes.append(
                f"not coded by {label}: {source_id} codes no phase of this alliance (silence, not a statement "
                "that no alliance exists)"
            )
    return notes


def phase_data(phase: TreatyPhase, as_of: int | None = None) -> dict[str, Any]:
    """One treaty phase as data: a claim or context, its dates, values (meaning, locator) and members."""
    data = phase.model_dump(mode="json")
    data["role"] = "claim" if phase.alliance is not None else "context"
    data["label"] = phase_label(phase)
    if as_of is not None:
        data["in_effect"] = phase.in_year(as_of)
        data["in_effect_rule"] = THIRTY_FIRST if phase.covers(as_of) else silent_after(phase)
        data["members_in_year"] = [m.member for m in phase.members_in(as_of)]
    return data


def phase_label(phase: TreatyPhase) -> str:
    """The phase as a reader looks it up: "ATOP 3180.1 (1949-04-04 to 1951-06-19)"."""
    name = f"{phase.source_label or phase.source_id} {phase.record}"
    if phase.end is None:
        return f"{name} (from {phase.begin}, still in effect when its coverage ends, {phase.coverage_last})"
    return f"{name} ({phase.begin} to {phase.end})"


def silent_after(phase: TreatyPhase) -> str:
    return f"outside the coverage of {phase.source_id} ({phase.coverage_first}-{phase.coverage_last}): it is silent"


def alliance_codings(alliance: Alliance, as_of: int | None, counted: frozenset[str] | None) -> list[dict[str, Any]]:
    """The phases of the counted coding sources for ``alliance``, claims and context, in order."""
    return [phase_data(p, as_of) for p in alliance.codings if counts(p.source_id, counted)]


# ------------------------------------------------------------------------------------ members by year


def _paper_counts(alliance: Alliance, counted: frozenset[str] | None) -> list[Indicator]:
    return [i for i in alliance.indicators if i.measure is Measure.MEMBERS and counts(i.source_id, counted)]


def _count_data(indicator: Indicator) -> dict[str, Any]:
    quotes = [
        {"quote": s.quote, "line": s.line if s.line is not None else line_of(s.quote, s.source_id)}
        for s in indicator.sources
    ]
    year = indicator.year if isinstance(indicator.year, int) else None
    return {
        "source_id": indicator.source_id or PAPER_ID,
        "count": int(indicator.value),
        "qualifier": indicator.qualifier.value if indicator.qualifier is not None else None,
        "year": year,
        "counts": "member states, as the paper counts them"
        + (f" in {year}" if year is not None else " (no year given)"),
        "note": indicator.note,
        "quotes": quotes,
    }


def _claimed(alliance: Alliance, counted: frozenset[str] | None) -> dict[str, list[TreatyPhase]]:
    by_source: dict[str, list[TreatyPhase]] = {}
    for phase in alliance.codings:
        if phase.alliance == alliance.id and counts(phase.source_id, counted):
            by_source.setdefault(phase.source_id, []).append(phase)
    return by_source


def _members_on(phases: list[TreatyPhase], day: dt.date) -> list[str]:
    names = []
    for phase in phases:
        if phase.begin <= day and (phase.end is None or day < phase.end):
            names += [m.member for m in phase.members if m.entered <= day and (m.left is None or day < m.left)]
    return sorted(set(names))


def member_changes(phases: list[TreatyPhase]) -> list[dict[str, Any]]:
    """The days a dataset's member list changes, with the count after each and who entered or left."""
    days = sorted(
        {
            d
            for p in phases
            for d in (p.begin, p.end, *(m.entered for m in p.members), *(m.left for m in p.members))
            if d
        }
    )
    out: list[dict[str, Any]] = []
    before: list[str] = []
    for day in days:
        now = _members_on(phases, day)
        if now == before:
            continue
        out.append(
            {
                "date": day.isoformat(),
                "count": len(now),
                "entered": sorted(set(now) - set(before)),
                "left": sorted(set(before) - set(now)),
            }
        )
        before = now
    return out


def _dataset_in_year(
    source_id: str, phases: list[TreatyPhase], year: int, context: list[TreatyPhase]
) -> dict[str, Any]:
    label = phases[0].source_label or source_id
    if not phases[0].covers(year):
        return {"source_id": source_id, "count": None, "counts": silent_after(phases[0])}
    live = [p for p in phases if p.in_year(year)]
    if not live:
        around = [
            f"{p.record} is in effect, with {len(p.members_in(year))} members, as context only (not a claim about "
            "this alliance)"
            for p in context
            if p.source_id == source_id and p.in_year(year)
        ]
        said = f"no phase {label} codes for this alliance is in effect on 31 December {year}"
        return {"source_id": source_id, "count": None, "counts": "; ".join([said, *around])}
    members = sorted({m.member for p in live for m in p.members_in(year)})
    records = ", ".join(p.record for p in live)
    return {
        "source_id": source_id,
        "count": len(members),
        "on": year_end(year).isoformat(),
        "members": members,
        "records": [p.record for p in live],
        "counts": f"the states in {label}'s alliance {live[0].dataset_id} (phase {records}) on 31 December {year}, "
        f"by {label}'s own entry and exit dates",
        "locators": [m.locator.model_dump(mode="json") for p in live for m in p.members_in(year)],
    }


def members_by_year(
    alliance: Alliance, as_of: int | None = None, counted: frozenset[str] | None = None
) -> dict[str, Any]:
    """Each counted source's member figures for ``alliance``, and with ``as_of`` the value each gives
    in that year side by side, with their ``agreement`` (``single``, ``agreed``, ``disputed``; null
    when no source gives one) and what each counts."""
    by_source: list[dict[str, Any]] = []
    paper = _paper_counts(alliance, counted)
    for source_id in dict.fromkeys(i.source_id or PAPER_ID for i in paper):
        by_source.append(
            {
                "source_id": source_id,
                "kind": "counts",
                "figures": [_count_data(i) for i in paper if (i.source_id or PAPER_ID) == source_id],
            }
        )
    datasets = _claimed(alliance, counted)
    for source_id, phases in datasets.items():
        by_source.append(
            {
                "source_id": source_id,
                "kind": "member list",
                "counts": "the states the dataset lists as members, changing on the dates it gives",
                "coverage": {"first": phases[0].coverage_first, "last": phases[0].coverage_last},
                "changes": member_changes(phases),
            }
        )
    answer: dict[str, Any] = {"as_of": as_of, "rule": f"{THIRTY_FIRST}; {PAPER_RULE}", "by_source": by_source}
    if as_of is None:
        return answer
    in_year = [_count_data(i) for i in paper if i.year == as_of]
    silent: list[dict[str, Any]] = []
    context = [p for p in alliance.codings if p.context_for == alliance.id]
    for source_id, phases in datasets.items():
        entry = _dataset_in_year(source_id, phases, as_of, context)
        (in_year if entry["count"] is not None else silent).append(entry)
    values = {v["count"] for v in in_year}
    answer["in_year"] = in_year
    answer["silent"] = silent
    answer["agreement"] = (
        None
        if not in_year
        else Agreement.SINGLE.value
        if len(in_year) == 1
        else Agreement.AGREED.value
        if len(values) == 1
        else Agreement.DISPUTED.value
    )
    answer["disputed"] = answer["agreement"] == Agreement.DISPUTED.value
    return answer


def alliance_codings_data(store: Store, alliance_id: str, as_of: int | None = None) -> dict[str, Any]:
    """What ``GET /alliances/{id}`` adds to the record: ``codings`` (each counted coding source's
    phases of the alliance, and context), ``codings_note`` (sources left out, alliances not coded)
    and ``members_by_year``, as the store counts its sources (a ``sourced`` view: those it counts)."""
    alliance = store.alliance(alliance_id)
    loaded, counted = coding_sources(store), counted_of(store)
    return {
        "codings": alliance_codings(alliance, as_of, counted),
        "codings_note": codings_note(alliance, loaded, counted),
        "members_by_year": members_by_year(alliance, as_of, counted),
    }


def codings_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat rows of ``alliance_codings_data`` for CSV: one per phase and coded value, with its locator."""
    return [
        {
            "source_id": phase["source_id"],
            "record": phase["record"],
            "role": phase["role"],
            "begin": phase["begin"],
            "end": phase["end"],
            "in_effect": phase.get("in_effect"),
            "variable": value["variable"],
            "value": value["value"],
            "meaning": value["meaning"],
            "file": value["locator"]["file"],
            "locator": value["locator"]["record"],
        }
        for phase in result["codings"]
        for value in phase["values"]
    ]


def codings_sheet(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The codings for a terminal: one line per variable, one column per phase ("2: a named
    organisation with regular meetings"), the phases' dates and roles on the first lines."""
    phases = result["codings"]
    if not phases:
        return []
    heads = [f"{p['record']}{' (context)' if p['role'] == 'context' else ''}" for p in phases]
    lines: list[dict[str, Any]] = [
        {"variable": "from", **{h: p["begin"] for h, p in zip(heads, phases, strict=True)}},
        {"variable": "to", **{h: p["end"] or "(not ended by 2018)" for h, p in zip(heads, phases, strict=True)}},
    ]
    if result.get("as_of") is not None:
        lines.append(
            {
                "variable": "in effect",
                **{h: "yes" if p["in_effect"] else "no" for h, p in zip(heads, phases, strict=True)},
            }
        )
    for k, value in enumerate(phases[0]["values"]):
        lines.append(
            {
                "variable": value["variable"],
                **{
                    h: f"{p['values'][k]['value']}: {p['values'][k]['meaning']}"
                    for h, p in zip(heads, phases, strict=True)
                },
            }
        )
    return lines


def codings_summary(result: dict[str, Any], name: str) -> str:
    """The members by year in words: each source's figure in the year and whether they agree."""
    members = result["members_by_year"]
    year = result.get("as_of")
    if year is None:
        sources = ", ".join(s["source_id"] for s in members["by_source"]) or "none"
        return f"{name}: treaty codings; sources giving members by year: {sources} (--as-of for one year's figures)"
    if not members["in_year"]:
        return f"{name} in {year}: no source gives a member figure for the year"
    said = "; ".join(f"{v['source_id']}: {v['count']} ({v['counts']})" for v in members["in_year"])
    return f"{name} in {year}: members {members['agreement']}: {said}"


def member_count_claims(alliance: Alliance, year: int) -> list[dict[str, Any]]:
    """Each counted dataset's member count of ``alliance`` in ``year`` (31 December rule), as claims
    beside the paper's member-count indicator of that year (``app.questions.indicators``): the value,
    what it counts and its locators. Empty outside the datasets' coverage or phases."""
    context = [p for p in alliance.codings if p.context_for == alliance.id]
    out = []
    for source_id, phases in _claimed(alliance, None).items():
        entry = _dataset_in_year(source_id, phases, year, context)
        if entry["count"] is None:
            continue
        out.append(
            {
                "source_id": source_id,
                "value": entry["count"],
                "qualifier": None,
                "label": str(entry["count"]),
                "counts": entry["counts"],
                "locators": entry["locators"],
            }
        )
    return out
