"""Certainty and scenario marks: how the year's judgement and a scenario change a box or an edge.

Dormant organs are hatched grey and planned ones outlined dashed; what a scenario proposes is
purple and dashed (never certain); what it removes is drawn as a faint ghost where the data has
it in the year, without edges; what the paper leaves only possible in the year has a dotted
outline (organs) or is faded (edges). The legend's "Marks" section names each of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.chart.style import MUTED, NATURE_COLOURS, POSSIBLE_DASH, PROPOSED_COLOUR, TEXT
from app.snapshot import life_judgement, treaty_floor
from app.snapshot_view import Snapshot
from graph_schema.models import Organ
from graph_schema.vocabulary import Nature, Status


@dataclass(frozen=True)
class OrganLook:
    """A box's fill, outline and dash, and the colour of its text."""

    fill: str
    stroke: str
    dash: str | None
    text_fill: str


@dataclass(frozen=True)
class EdgeLook:
    """An edge's colour, whether it is muted (its marker too), and its opacity if not opaque."""

    colour: str
    muted: bool
    opacity: str | None


def is_ghost(snap: Snapshot, organ_id: str) -> bool:
    """Whether the snapshot's scenario removed this organ."""
    return snap.overlay is not None and organ_id in snap.overlay.removed_models


def ghosts(snap: Snapshot) -> dict[str, Organ]:
    """The organs a scenario removed that the data would show in the snapshot's year."""
    ov = snap.overlay
    if ov is None:
        return {}
    p = snap.params
    found = {}
    for organ_id, organ in ov.removed_models.items():
        if p.alliance is not None and organ.alliance not in (p.alliance, None):
            continue
        floor = treaty_floor(organ.alliance, snap.alliances)
        if life_judgement(organ.life, p.as_of, floor, p.include_planned).present:
            found[organ_id] = organ
    return found


def footer_notes(organ: Organ, snap: Snapshot) -> list[str]:
    """What a box's footer says of the organ in the year: removed by the scenario, dormant, possible."""
    judged = snap.judgement(organ.id)
    notes = []
    if is_ghost(snap, organ.id):
        notes.append("removed by the scenario")
    elif judged.status is Status.DORMANT:
        notes.append("dormant")
    if not judged.certain and judged.present:
        notes.append("possible")
    return notes


def footer_classes(status: Status, uncertain: bool) -> list[str]:
    """The mark classes of a box's footer, for styling and tests."""
    marks = []
    if status is Status.DORMANT:
        marks.append("mark-dormant")
    if status is Status.PLANNED:
        marks.append("mark-planned")
    if uncertain and status is not Status.PLANNED:
        marks.append("mark-uncertain")
    return marks


def organ_look(nature: Nature, status: Status, ghost: bool, certain: bool, p: str) -> OrganLook:
    """The box of an organ of ``nature`` in ``status``; ``p`` is the SVG's id prefix (the hatch)."""
    fill, stroke = NATURE_COLOURS[nature]
    dash = None
    text_fill = TEXT
    if status is Status.DORMANT:
        fill, stroke, text_fill = f"url(#{p}-hatch)", MUTED, "#495057"
    elif status is Status.PLANNED:
        fill, dash = "#ffffff", "6 4"
    elif status is Status.PROPOSED:
        fill, stroke, dash = "#f8f0fc", PROPOSED_COLOUR, "5 3"  # a scenario's proposal, never the paper's fact
    elif ghost:
        fill, stroke, dash, text_fill = "#f8f9fa", "#ced4da", "1 3", "#adb5bd"  # removed by the scenario
    elif not certain:
        dash = POSSIBLE_DASH  # possible in the year: dotted outline, the reason in the title
    return OrganLook(fill, stroke, dash, text_fill)


def edge_look(colour: str, status: Status, certain: bool) -> EdgeLook:
    """An edge of a kind drawn in ``colour``: grey when not active, purple when proposed, faded
    when only possible in the year."""
    muted = status not in (Status.ACTIVE, Status.UNKNOWN, Status.PROPOSED)
    possible = not certain and status is not Status.PROPOSED
    drawn = "#adb5bd" if muted else (PROPOSED_COLOUR if status is Status.PROPOSED else colour)
    return EdgeLook(drawn, muted, "0.8" if muted else ("0.5" if possible else None))
