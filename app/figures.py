"""The paper's lost figures 1–4, rebuilt from the data, plus the U.S.-ROK structure over time.

Finnegan's figures did not survive in the text; these are drawn from the seeds, so they say what
the data says and cannot drift from it: ``alliances figures --out docs/figures`` writes them, and
the test suite renders them again and compares them with the committed files.

Examples
--------
>>> from app.api.deps import default_store
>>> [s.name for s in figure_specs(default_store())][:4]
['figure-1-nato-2009', 'figure-2-us-japan-2009', 'figure-3-us-rok-2009', 'nato-2009-linkage']
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from app.diagram import diagram_svg, resolve_highlight
from app.figure_tables import compare_svg, indicators_svg
from app.figure_treaty import FIGURE_4C_NAME, ROSTER, treaty_csv, treaty_svg
from app.questions.compare import FIGURE_4, PAPER_YEAR, compare
from app.snapshot import ALL_KINDS, SnapshotParams
from app.store.base import Store
from graph_schema.vocabulary import Condition, EdgeKind, Level, Nature

FIGURE_4_NAME = "figure-4-compare-2009"
FIGURE_4B_NAME = "figure-4b-indicators"
HISTORY_YEARS = (1975, 1985, 2000)  # the U.S.-ROK years the paper's history turns on: UNC, CFC, after 1994


@dataclass(frozen=True)
class FigureSpec:
    """One chart to draw: which snapshot, which kinds and organs, and what to call it."""

    name: str
    alliance: str
    as_of: int
    title: str
    caption: str
    condition: Condition | None = None
    kinds: frozenset[EdgeKind] = ALL_KINDS
    include_planned: bool = False
    levels: frozenset[Level] | None = None
    natures: frozenset[Nature] | None = None
    connected_only: bool = False
    highlight: str | None = None
    highlight_kinds: frozenset[EdgeKind] | None = None

    def command(self) -> str:
        """The ``alliances diagram`` command that draws this chart alone."""
        bits = [f"alliances diagram --alliance {self.alliance} --as-of {self.as_of}"]
        if self.condition:
            bits.append(f"--condition {self.condition.value}")
        if self.kinds != ALL_KINDS:
            bits.append(f"--kinds {','.join(k.value for k in EdgeKind if k in self.kinds)}")
        if self.include_planned:
            bits.append("--include-planned")
        if self.levels:
            bits.append(f"--levels {','.join(lv.value for lv in Level if lv in self.levels)}")
        if self.natures:
            bits.append(f"--natures {','.join(n.value for n in Nature if n in self.natures)}")
        if self.connected_only:
            bits.append("--connected-only")
        if self.highlight:
            bits.append(f"--highlight {self.highlight}")
        if self.highlight_kinds:
            bits.append(f"--highlight-kinds {','.join(k.value for k in EdgeKind if k in self.highlight_kinds)}")
        bits.append(f"--title {shlex.quote(self.title)}")
        return " ".join(bits) + f" -o {self.name}.svg"


AUTHORITY = frozenset({EdgeKind.AUTHORITY})
OPERATIONAL_LEVELS = frozenset(set(Level) - {Level.CIVIL_SOCIETY})


def figure_specs(store: Store) -> list[FigureSpec]:
    """Every chart ``alliances figures`` draws, in order (figure 4, the table, comes separately)."""
    specs = [
        FigureSpec(
            "figure-1-nato-2009",
            "nato",
            PAPER_YEAR,
            "Figure 1 (rebuilt). NATO Operational Structure, 2009",
            "The NAC, DPC and NPG over the Military Committee and the Strategic Commanders, down to the "
            "Joint Force Commands and their component commands; the International Staff and the committee "
            "structure in the side band. Civil-society and parliamentary bodies are left out, as in an "
            "operational chart.",
            levels=OPERATIONAL_LEVELS,
            natures=frozenset({Nature.CIVILIAN, Nature.MILITARY}),
        ),
        FigureSpec(
            "figure-2-us-japan-2009",
            "us-japan",
            PAPER_YEAR,
            "Figure 2 (rebuilt). U.S.-Japan Coordination Structure, 2009",
            "The SCC directs the (dormant) SSC and SDC and supervises the bilateral mechanisms; the forces "
            "meet only in coordination. No authority edge reaches a force.",
            kinds=frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION, EdgeKind.ADVICE}),
            connected_only=True,
        ),
        FigureSpec(
            "figure-3-us-rok-2009",
            "us-rok",
            PAPER_YEAR,
            "Figure 3 (rebuilt). The Current U.S.-ROK “SCM System”, 2009",
            "SCM → MCM → Commander CFC, with armistice and wartime edges both drawn and tagged: in "
            "wartime Commander CFC commands the combined component commands.",
        ),
    ]
    for alliance in ("nato", "us-japan", "us-rok"):
        specs.append(
            FigureSpec(
                f"{alliance}-{PAPER_YEAR}-linkage",
                alliance,
                PAPER_YEAR,
                f"{store.alliance(alliance).name}: civil–military linkage by authority, {PAPER_YEAR}",
                "The linkage question by authority alone, over a chart of authority, advice and coordination: "
                "the witness chain when linked, else the break (what the civilian side reaches, the "
                "commanders not reached, and the gap where only another kind of edge runs).",
                kinds=AUTHORITY | {EdgeKind.COORDINATION, EdgeKind.ADVICE},
                levels=OPERATIONAL_LEVELS,
                connected_only=True,
                highlight="linkage",
                highlight_kinds=AUTHORITY,
            )
        )
    for year in HISTORY_YEARS:
        specs.extend(_history(store, year, include_planned=False))
    specs.extend(_history(store, 2012, include_planned=True))
    return specs


def _history(store: Store, year: int, include_planned: bool) -> list[FigureSpec]:
    """The U.S.-ROK structure in ``year``: one chart, or one per condition where they differ."""
    alliance = store.alliance("us-rok")
    suffix = "-planned" if include_planned else ""
    plan = " (as planned in 2009)" if include_planned else ""
    caption = {
        1975: "Before CFC: the UNC is the warfighter, with OPCOM of the ROK forces (possible: the paper dates "
        "it only to 'the early days of the UNC'); SCM guidance to Commander UNC is a reading, possible at most.",
        1985: "CFC (1978) has supplanted the UNC as the warfighter: OPCON of forward ROK forces in armistice, "
        "of designated forces in wartime after ROK national command authority decision.",
        2000: "“Peacetime OPCON” was withdrawn from Commander CFC in 1994: in armistice the ROK holds OPCON "
        "of its own forces; in 1992 the ROK Deputy Commander was designated the commander of all ground forces.",
        2012: "The planned structure: CFC deactivated, a ROK warfighter supported by a U.S. supporting "
        "commander, in a bi-national command system.",
    }[year]
    edges: dict[Condition, set[str]] = {}
    for condition in (Condition.ARMISTICE, Condition.WARTIME):
        snap = store.snapshot(SnapshotParams("us-rok", year, condition, include_planned))
        edges[condition] = {e.id or "" for e in snap.edges()}
    if edges[Condition.ARMISTICE] == edges[Condition.WARTIME]:
        return [
            FigureSpec(
                f"us-rok-{year}{suffix}",
                "us-rok",
                year,
                f"{alliance.name}: structure in {year}{plan}",
                caption,
                include_planned=include_planned,
            )
        ]
    return [
        FigureSpec(
            f"us-rok-{year}-{condition.value}{suffix}",
            "us-rok",
            year,
            f"{alliance.name}: structure in {year}, {condition.value}{plan}",
            caption,
            condition=condition,
            include_planned=include_planned,
        )
        for condition in (Condition.ARMISTICE, Condition.WARTIME)
    ]


def render_spec(store: Store, spec: FigureSpec) -> str:
    """The SVG of one chart."""
    snap = store.snapshot(SnapshotParams(spec.alliance, spec.as_of, spec.condition, spec.include_planned))
    highlight = resolve_highlight(snap, spec.highlight, spec.highlight_kinds or spec.kinds)
    return diagram_svg(
        snap,
        spec.kinds,
        highlight,
        spec.title,
        levels=spec.levels,
        natures=spec.natures,
        connected_only=spec.connected_only,
    )


# ----------------------------------------------------------------------------------------- all of them


def render_figures(store: Store, progress: Callable[[int, int, str], None] | None = None) -> dict[str, str]:
    """File name -> SVG for every figure, in the order the docs show them; ``progress(done, total,
    name)`` after each one is drawn."""
    specs = figure_specs(store)
    result = compare(store, FIGURE_4, PAPER_YEAR)
    jobs: list[tuple[str, Callable[[], str]]] = [(f"{s.name}.svg", partial(render_spec, store, s)) for s in specs[:3]]
    jobs.append((f"{FIGURE_4_NAME}.svg", lambda: compare_svg(result)))
    jobs.append((f"{FIGURE_4B_NAME}.svg", lambda: indicators_svg(result["indicators"])))
    roster = compare(store, ROSTER, PAPER_YEAR)
    jobs.append((f"{FIGURE_4C_NAME}.svg", lambda: treaty_svg(roster)))
    jobs.append((f"{FIGURE_4C_NAME}.csv", lambda: treaty_csv(roster)))  # its data twin
    jobs += [(f"{s.name}.svg", partial(render_spec, store, s)) for s in specs[3:]]
    out = {}
    for done, (name, draw) in enumerate(jobs, start=1):
        out[name] = draw()
        if progress:
            progress(done, len(jobs), name)
    return out


def write_figures(store: Store, out_dir: Path, progress: Callable[[int, int, str], None] | None = None) -> list[Path]:
    """Write every figure into ``out_dir``; remove stale charts the specs no longer name.
    ``progress(done, total, name)`` after each figure is drawn."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = render_figures(store, progress)
    written = []
    for name, svg in figures.items():
        path = out_dir / name
        path.write_text(svg, encoding="utf-8")
        written.append(path)
    for old in sorted([*out_dir.glob("*.svg"), *out_dir.glob("*.csv")]):
        if old.name not in figures:
            old.unlink()
    return written


def stale_figures(store: Store, out_dir: Path) -> list[str]:
    """Names of figures in ``out_dir`` that differ from a fresh rendering (or are missing/extra)."""
    figures = render_figures(store)
    stale = [n for n, svg in figures.items() if not (out_dir / n).exists() or (out_dir / n).read_text("utf-8") != svg]
    stale += [p.name for p in sorted([*out_dir.glob("*.svg"), *out_dir.glob("*.csv")]) if p.name not in figures]
    return stale


__all__: Sequence[str] = [
    "FigureSpec",
    "figure_specs",
    "render_figures",
    "render_spec",
    "stale_figures",
    "write_figures",
]
