"""Treaty beside practice: what a treaty coding provides, set beside the structure in a year.

CONTRACT.md §2 "Treaty codings beside practice". For an alliance in a year, each row sets one coded
provision of a counted dataset source (ATOP 5.1) beside what the structure in the graph shows in that
year, with a verdict:

- ``both``: the treaty provides it and the structure shows it;
- ``practice only``: the structure shows it and the treaty does not provide it;
- ``treaty only``: the treaty provides it and the source of practice states it absent;
- ``treaty; practice not reported``: the treaty provides it and practice is silent;
- ``neither``: the treaty does not provide it and the structure does not show it (the practice side
  says whether the paper states it absent or only does not report it: silence is never "no");
- ``not coded``: the dataset does not code the alliance in that year (no phase in effect on 31
  December, outside its coverage, or an alliance it does not code at all): silence, not absence.

Each side names its sources: the treaty its values with their meaning and locator; practice the
organs and edges it rests on, each with how sure the paper is of it in the year and the quote that
places it there, or the statement of absence with its quote. The tests are **readings** — what in
the graph counts as "an organisation", "a combined command", "military contact", "subordination",
"forces stationed" — written out in each row (``test``) and in ``docs/treaty-practice.md``.
Codings are never evidence for or against an organ or edge: nothing here changes a judgement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from app.paper import quote_line as line_of
from app.questions.codings import coding_sources, counted_of, counts, phase_label, silent_after
from app.questions.common import judgement_data, source_ids
from app.questions.linkage import absence_of, stated_absences
from app.snapshot import SnapshotParams, role_held
from app.snapshot_view import Snapshot
from app.store.base import Store
from graph_schema.codings import TreatyPhase, Verdict
from graph_schema.models import Alliance, Edge, Organ
from graph_schema.vocabulary import PAPER_ID, Condition, EdgeKind, Existence, Mode, Nature, OrganType, Role

PAPER_PRESENT = 2009  # the year the paper's present tense attests (its date, February 2009)
SHOWN, STATED_ABSENT, NOT_REPORTED = "shown", "stated absent", "not reported"
PROVIDES, NO_PROVISION, NOT_CODED = "provides", "no provision", "not coded"

VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.BOTH: "the treaty provides it and the structure shows it",
    Verdict.PRACTICE_ONLY: "the structure shows it; the treaty does not provide it",
    Verdict.TREATY_ONLY: "the treaty provides it; a counted source states it absent in practice",
    Verdict.TREATY_NOT_REPORTED: "the treaty provides it; no counted source reports it in practice (silence, not no)",
    Verdict.NEITHER: "the treaty does not provide it, and the structure does not show it (stated absent, or not "
    "reported: the practice side says which)",
    Verdict.NOT_CODED: "the dataset does not code the alliance in this year: silence, not absence",
}
READING = (
    "A reading, not a fact of either source: which provision of the treaty is set beside which part of the "
    "structure is the explorer's choice, written out in 'test'."
)


# ------------------------------------------------------------------------------------ what practice shows


@dataclass(frozen=True)
class Shown:
    """One organ or edge of the structure that shows a provision in practice, and how."""

    thing: Organ | Edge
    detail: str | None = None


def _own(snap: Snapshot, alliance: Alliance) -> list[Organ]:
    return [o for o in snap.organs() if o.alliance == alliance.id]


STANDING_TYPES = frozenset(
    {OrganType.COUNCIL, OrganType.COMMITTEE, OrganType.STAFF, OrganType.MECHANISM, OrganType.DIALOGUE}
)


def standing_bodies(snap: Snapshot, alliance: Alliance) -> list[Shown]:
    """The alliance's own combined bodies where officials meet: councils, committees, staffs,
    mechanisms and dialogues, civilian or military (not commands, posts, forces, assemblies or
    civil-society bodies)."""
    return [
        Shown(o)
        for o in _own(snap, alliance)
        if o.nation is None and o.type in STANDING_TYPES and o.nature in (Nature.CIVILIAN, Nature.MILITARY)
    ]


def _conditions(snap: Snapshot, organ: Organ) -> list[Condition]:
    ids = {organ.id} | {o.id for o in snap.organs() if o.part_of == organ.id}
    found = {e.condition for e in snap.edges([EdgeKind.AUTHORITY]) if e.source in ids}
    return [c for c in Condition if c in found]


def _in_peace_and_war(conditions: Sequence[Condition]) -> bool:
    return Condition.ANY in conditions or {Condition.ARMISTICE, Condition.WARTIME} <= set(conditions)


def combined_commands(snap: Snapshot, alliance: Alliance) -> list[Shown]:
    """The alliance's own combined commands holding operational command in the year, each with the
    conditions its authority edges (its own and its parts') hold under."""
    out = []
    for organ in _own(snap, alliance):
        if organ.type is not OrganType.COMMAND or organ.nation is not None:
            continue
        if not role_held(organ, Role.OPERATIONAL_COMMAND, snap.params.as_of, None):
            continue
        conditions = _conditions(snap, organ)
        words = ", ".join(c.value for c in conditions) or "no authority edge in the year"
        both = "in peace and war alike" if _in_peace_and_war(conditions) else "not in peace and war alike"
        out.append(Shown(organ, f"its authority edges hold under: {words} ({both})"))
    return out


def military_bodies(snap: Snapshot, alliance: Alliance) -> list[Shown]:
    """The alliance's own military committees and combined (multinational) military staffs."""
    return [
        Shown(o)
        for o in _own(snap, alliance)
        if o.nation is None and o.nature is Nature.MILITARY and o.type in (OrganType.COMMITTEE, OrganType.STAFF)
    ]


CONTROL_MODES = frozenset({Mode.OPCON, Mode.OPCOM, Mode.COMMAND})


def wartime_control(snap: Snapshot, alliance: Alliance) -> list[Shown]:
    """Authority edges of operational control or command (``opcon``, ``opcom``, ``command``) that hold
    in wartime (condition ``wartime`` or ``any``) over a nation's forces, from a combined organ or
    another nation's."""
    out = []
    for edge in snap.edges([EdgeKind.AUTHORITY]):
        if edge.mode not in CONTROL_MODES or edge.condition not in (Condition.WARTIME, Condition.ANY):
            continue
        source, target = snap.organ(edge.source), snap.organ(edge.target)
        if target.type is not OrganType.FORCE or target.nation is None or source.nation == target.nation:
            continue
        label_source, label_target = source.acronym or source.name, target.acronym or target.name
        out.append(Shown(edge, f"{label_source} holds {edge.mode.value} of {label_target} ({edge.condition.value})"))
    return out


_STATIONED = re.compile(r"\bforces in (?P<place>[A-Z][\w .'-]*)$")


def forces_stationed(snap: Snapshot, alliance: Alliance) -> list[Shown]:
    """A nation's forces in the structure in the year that the paper names as stationed in another
    country: a force with a nation whose name or alias reads "<nation> forces in <country>"."""
    out = []
    for organ in snap.organs():
        if organ.type is not OrganType.FORCE or organ.nation is None:
            continue
        for name in (organ.name, *organ.aliases):
            found = _STATIONED.search(name)
            if found is not None:
                out.append(Shown(organ, f"named {name!r} by the paper"))
                break
    return out


# ------------------------------------------------------------------------------------ the provisions


@dataclass(frozen=True)
class Provision:
    """One row of treaty beside practice: the coded variables, the part of the structure set beside
    them, and the statements of absence that count for it; each test in words."""

    key: str
    label: str
    variables: tuple[str, ...]
    treaty_test: str
    practice_test: str
    shows: Callable[[Snapshot, Alliance], list[Shown]]
    no_standing_military_structure: bool = False  # the roster's "no standing military structure" counts
    no_military_authority: bool = False  # a stated absence of authority chains counts


PROVISIONS: tuple[Provision, ...] = (
    Provision(
        "organisations",
        "Organisations the treaty creates",
        ("organ1", "organ2"),
        "organ1 or organ2 above 0: the treaty creates an organisation (regular meetings of officials, a named "
        "organisation, or a stand-alone one with a permanent bureaucracy)",
        "standing bodies: the alliance's own combined councils, committees, staffs, mechanisms or dialogues "
        "(civilian or military) in the year; the roster's 'no standing military structure' does not state their "
        "absence",
        standing_bodies,
    ),
    Provision(
        "integrated-command",
        "Integrated command in peace and war",
        ("intcom",),
        "intcom 1: the treaty provides an integrated command that exists in peace and war alike",
        "a combined command: one of the alliance's own commands (no nation) with operational command in the "
        "year, shown with the conditions its authority edges hold under; stated absent by the roster's 'no "
        "standing military structure' (in the paper's present, 2009) or a stated absence of authority chains",
        combined_commands,
        no_standing_military_structure=True,
        no_military_authority=True,
    ),
    Provision(
        "military-contact",
        "Required military contact",
        ("milcon",),
        "milcon above 0: the treaty requires contact among the members' military planners (in hostilities, in "
        "peacetime too, or a common defence policy)",
        "military committees and combined staffs: the alliance's own military committees and combined military "
        "staffs in the year; stated absent by the roster's 'no standing military structure' (2009)",
        military_bodies,
        no_standing_military_structure=True,
    ),
    Provision(
        "subordination",
        "Subordination of forces in conflict",
        ("subord",),
        "subord above 0: the treaty subordinates one party's forces to another's in conflict (to a named state, "
        "or as conditions decide)",
        "wartime operational control: an authority edge of operational control or command (opcon, opcom, "
        "command) holding in wartime over a nation's forces, from a combined organ or another nation's; stated "
        "absent by a stated absence of authority chains",
        wartime_control,
        no_military_authority=True,
    ),
    Provision(
        "bases",
        "Bases and troop placements",
        ("base",),
        "base above 0: the treaty provides for troop placements (joint placements on neutral ground, or "
        "members stationing troops with each other, reciprocally or not)",
        "forces stationed: a nation's forces in the structure in the year that the paper names as in another "
        "country ('U.S. forces in Japan')",
        forces_stationed,
    ),
)
PROVISION_KEYS = tuple(p.key for p in PROVISIONS)


# ------------------------------------------------------------------------------------ the two sides


def treaty_side(
    alliance: Alliance, provision: Provision, year: int | None, source_id: str, label: str
) -> dict[str, Any]:
    """What the source's coding of the alliance provides in ``year`` (by the 31 December rule), with
    its values (meaning, locator); ``not coded`` with why when it says nothing of that year."""
    claimed = [p for p in alliance.codings if p.source_id == source_id and p.alliance == alliance.id]
    side: dict[str, Any] = {"source_ids": [source_id], "source": label}
    if not claimed:
        return {**side, "status": NOT_CODED, "why": f"not coded by {label}: it codes no phase of this alliance"}
    if year is not None and not claimed[0].covers(year):
        return {**side, "status": NOT_CODED, "why": silent_after(claimed[0])}
    live = claimed if year is None else [p for p in claimed if p.in_year(year)]
    if not live:
        context = [p for p in alliance.codings if p.source_id == source_id and p.context_for == alliance.id]
        why = f"no phase {label} codes for this alliance is in effect on 31 December {year}"
        side_context = [_context_data(p, provision, year) for p in context if year is None or p.in_year(year)]
        return {**side, "status": NOT_CODED, "why": why, "context": side_context}
    values = [_value_data(p, v) for p in live for v in provision.variables if p.value(v) is not None]
    provides = any(v["value"] > 0 for v in values)
    return {
        **side,
        "status": PROVIDES if provides else NO_PROVISION,
        "phases": [phase_label(p) for p in live],
        "values": values,
        "text": "; ".join(f"{v['variable']} {v['value']}: {v['meaning']} ({v['phase']})" for v in values),
    }


def _value_data(phase: TreatyPhase, variable: str) -> dict[str, Any]:
    coded = phase.value(variable)
    assert coded is not None
    return {**coded.model_dump(mode="json"), "phase": phase.record}


def _context_data(phase: TreatyPhase, provision: Provision, year: int | None) -> dict[str, Any]:
    values = [_value_data(phase, v) for v in provision.variables if phase.value(v) is not None]
    return {
        "phase": phase_label(phase),
        "note": phase.note,
        "values": values,
        "text": "; ".join(f"{v['variable']} {v['value']}: {v['meaning']}" for v in values),
    }


def _statements(snap: Snapshot, alliance: Alliance, provision: Provision) -> list[dict[str, Any]]:
    """The statements of the counted sources that state this part of the structure absent in the year."""
    year = snap.params.as_of
    found = []
    paper_counted = snap.params.sources is None or PAPER_ID in snap.params.sources  # the roster is the paper's
    if (
        provision.no_standing_military_structure
        and paper_counted
        and alliance.standing_structure is False
        and year == PAPER_PRESENT
    ):
        quote = next((s.quote for s in alliance.sources if "standing" in s.quote), alliance.first_quote)
        found.append(
            {
                "what": "no standing military structure (the roster, in the paper's present tense: 2009)",
                "source_id": PAPER_ID,
                "quote": quote,
                "line": line_of(quote, PAPER_ID),
            }
        )
    if provision.no_military_authority:
        for absence in stated_absences(snap, frozenset({EdgeKind.AUTHORITY})):
            source = absence_of(absence)
            for said in absence.sources[:1]:
                found.append(
                    {
                        "what": absence.what,
                        "source_id": source,
                        "quote": said.quote,
                        "line": line_of(said.quote, source),
                    }
                )
    return found


def practice_side(snap: Snapshot, alliance: Alliance, provision: Provision) -> dict[str, Any]:
    """What the structure shows in the snapshot's year for ``provision``, with the organs and edges it
    rests on (existence, the rule and quote that place each in the year, its sources), or the
    statements of absence, or ``not reported``."""
    shown = provision.shows(snap, alliance)
    if shown:
        items = [_shown_data(snap, s) for s in shown]
        certain = any(i["existence"] == Existence.CERTAIN.value for i in items)
        ids = list(dict.fromkeys(sid for i in items for sid in i["source_ids"]))
        return {
            "status": SHOWN,
            "existence": Existence.CERTAIN.value if certain else Existence.POSSIBLE.value,
            "source_ids": ids,
            "items": items,
            "text": "; ".join(
                i["label"] + (f" ({i['existence']})" if i["existence"] != "certain" else "") for i in items
            ),
        }
    statements = _statements(snap, alliance, provision)
    if statements:
        return {
            "status": STATED_ABSENT,
            "source_ids": list(dict.fromkeys(s["source_id"] for s in statements)),
            "statements": statements,
            "text": "; ".join(f'{s["what"]}: "{s["quote"]}" (line {s["line"]})' for s in statements),
        }
    return {
        "status": NOT_REPORTED,
        "source_ids": [],
        "text": "not reported (silence: not a statement that there is none)",
    }


def _shown_data(snap: Snapshot, shown: Shown) -> dict[str, Any]:
    thing = shown.thing
    judged = judgement_data(snap.judgement(thing.id or ""))
    if isinstance(thing, Organ):
        label = thing.acronym or thing.name
        kind = "organ"
    else:
        label = shown.detail or f"{thing.source} -> {thing.target} ({thing.mode.value}, {thing.condition.value})"
        kind = "edge"
    data = {
        "id": thing.id,
        "what": kind,
        "label": label,
        "existence": judged["existence"],
        "existence_why": judged["existence_why"],
        "agreement": judged["agreement"],
        "source_ids": source_ids(thing) or [PAPER_ID],
    }
    if shown.detail is not None:
        data["detail"] = shown.detail
    return data


def verdict(treaty: str, practice: str) -> Verdict:
    """The contract's verdict for a treaty status and a practice status."""
    if treaty == NOT_CODED:
        return Verdict.NOT_CODED
    if treaty == PROVIDES:
        return {SHOWN: Verdict.BOTH, STATED_ABSENT: Verdict.TREATY_ONLY}.get(practice, Verdict.TREATY_NOT_REPORTED)
    return Verdict.PRACTICE_ONLY if practice == SHOWN else Verdict.NEITHER


# ------------------------------------------------------------------------------------ the rows


def treaty_rows(
    store: Store,
    alliance_id: str,
    as_of: int | None,
    existence: Existence = Existence.POSSIBLE,
    include_planned: bool = False,
    scenario: str | None = None,
) -> list[dict[str, Any]]:
    """Every treaty-beside-practice row of one alliance in one year: one per provision and counted
    coding source, each with its verdict, both sides with their sources, and its test in words."""
    alliance = store.alliance(alliance_id)
    counted = counted_of(store)
    sources = {sid: label for sid, label in coding_sources(store).items() if counts(sid, counted)}
    if not sources:
        return []
    params = SnapshotParams(
        alliance=alliance_id, as_of=as_of, include_planned=include_planned, existence=existence, scenario=scenario
    )  # a sourced store counts its own sources in every snapshot
    snap = store.snapshot(params)
    rows = []
    for provision in PROVISIONS:
        practice = practice_side(snap, alliance, provision)
        for source_id, label in sources.items():
            treaty = treaty_side(alliance, provision, as_of, source_id, label)
            judged = verdict(treaty["status"], practice["status"])
            rows.append(
                {
                    "alliance": alliance_id,
                    "as_of": as_of,
                    "provision": provision.key,
                    "label": provision.label,
                    "variables": list(provision.variables),
                    "verdict": judged.value,
                    "verdict_text": VERDICT_WORDS[judged],
                    "treaty": treaty,
                    "practice": practice,
                    "test": {"treaty": provision.treaty_test, "practice": provision.practice_test, "reading": READING},
                }
            )
    return rows


def treaty_note(store: Store) -> str | None:
    """What the rows say of themselves when a coding source is loaded but not counted."""
    counted = counted_of(store)
    left = [sid for sid in coding_sources(store) if not counts(sid, counted)]
    if not left:
        return None
    return f"{', '.join(left)} not counted (sources=): the treaty codings are left out of the comparison"


def treaty_cells(row: dict[str, Any]) -> dict[str, Any]:
    """One treaty-beside-practice row as flat cells of its alliance's compare row (CSV, tables):
    ``treaty_practice.<provision>`` the verdict, then the treaty's values, practice, and sources."""
    key = f"treaty_practice.{row['provision']}"
    treaty, practice = row["treaty"], row["practice"]
    return {
        key: row["verdict"],
        f"{key}.treaty": treaty.get("text") or treaty.get("why"),
        f"{key}.practice": practice["text"],
        f"{key}.sources": "; ".join(dict.fromkeys([*treaty["source_ids"], *practice["source_ids"]])),
    }


def treaty_table(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The treaty-beside-practice rows of a ``compare`` answer, one line per alliance and provision,
    for a terminal: the verdict, each side in words, and the sources of both."""
    return [
        {
            "alliance": row.get("column", row["alliance"]),
            "provision": row["provision"],
            "verdict": row["verdict"],
            "treaty": row["treaty"].get("text") or row["treaty"].get("why"),
            "practice": row["practice"]["text"],
            "sources": " ".join(dict.fromkeys([*row["treaty"]["source_ids"], *row["practice"]["source_ids"]])),
        }
        for row in result["treaty_practice"]
    ]


TREATY_HEADING = (
    "Treaty beside practice: each treaty's coding in the year beside the structure in the year (each pairing a "
    "reading; the tests in words: docs/treaty-practice.md, or --format json)"
)
