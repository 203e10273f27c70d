"""Whose each element is, in a picture: sources on hover, disputed elements marked (CONTRACT.md §2 "Sources").

A picture that counts the paper alone is drawn as it always was (its header says "source: Finnegan
(2009)"). As soon as it counts another source, every organ and edge carries ``data-sources`` and
``data-agreement``, its hover title names the sources it rests on (an analyst's as theirs, by kind
and title) and, where they disagree in the year, what each says; a disputed element is outlined in
``DISPUTED_COLOUR`` and the legend says so.
"""

from __future__ import annotations

from app.chart.svg import attr
from app.snapshot import RULES, Judgement
from app.snapshot_view import Snapshot
from graph_schema.models import Edge, Organ
from graph_schema.vocabulary import PAPER_ID, Agreement, SourceKind

DISPUTED_COLOUR = "#e8590c"  # an element the counted sources dispute in the year
DISPUTED_DASH = "3 2"


def drawn_sources(snap: Snapshot) -> tuple[str, ...]:
    """The counted sources a picture of the structure can rest on: all but the datasets that code
    treaties (ATOP 5.1), which are never evidence for or against an organ or edge (CONTRACT.md §2)."""
    return tuple(
        sid for sid in snap.counted if sid not in snap.sources or snap.sources[sid].kind is not SourceKind.DATASET
    )


def sourced(snap: Snapshot) -> bool:
    """Whether the picture counts a source other than the paper alone (treaty codings aside)."""
    drawn = drawn_sources(snap)
    return bool(drawn) and drawn != (PAPER_ID,)


def disputed(judged: Judgement) -> bool:
    return judged.agreement is Agreement.DISPUTED


def header_text(snap: Snapshot) -> str:
    """The header's source line: the paper, or each counted source by id and kind."""
    if not sourced(snap):
        return "source: Finnegan (2009)"
    named = [f"{sid} ({snap.sources[sid].kind.value})" if sid in snap.sources else sid for sid in drawn_sources(snap)]
    return "sources: " + ", ".join(named)


def data_attrs(thing: Organ | Edge, judged: Judgement, snap: Snapshot) -> str:
    """``data-sources`` and ``data-agreement`` of an element ('' for a picture of the paper alone)."""
    if not sourced(snap):
        return ""
    ids = " ".join(c.source_id for c in thing.claims)
    agreement = judged.agreement.value if judged.agreement is not None else "none"
    return f' data-sources="{attr(ids)}" data-agreement="{agreement}"'


def title_text(thing: Organ | Edge, judged: Judgement, snap: Snapshot) -> str:
    """What the hover title adds: the sources the element rests on and, when they dispute it in the
    year, each one's judgement ('' for a picture of the paper alone)."""
    if not sourced(snap):
        return ""
    names = []
    for claim in thing.claims:
        record = snap.sources.get(claim.source_id)
        if record is None:
            names.append(claim.source_id)
        elif record.id == PAPER_ID:
            names.append(f"{record.id} (the paper)")
        else:
            names.append(f"{record.id} ({record.kind.value}: {record.title})")
    text = " Sources: " + "; ".join(names) + "." if names else " Sources: none (proposed by a scenario)."
    if disputed(judged):
        year = snap.params.as_of
        each = [
            f"{sid}: {j.existence.value if j.existence is not None else 'absent'} ({RULES.get(j.rule, j.rule)})"
            for sid, j in judged.claims
        ]
        text += f" Disputed in {year}: " + "; ".join(each) + "."
    return text
