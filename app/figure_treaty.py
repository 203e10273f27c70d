"""Figure 4c: the paper's figure 4 extended — the structure as practised beside the treaty's codings.

One column per roster alliance (all seven), one row per provision of ``app.questions.treaty`` (the
organisations the treaty creates, integrated command, military contact, subordination, bases). Each
cell is the verdict of ``GET /compare`` for that alliance in the year, with the treaty's values and
what practice shows under it, so the figure says no more than the answer. Its data twin is the
CSV ``treaty_csv`` writes beside it (one line per cell, both sides' sources), and the answer itself
is ``GET /compare?alliances=...&as_of=2009``.

Examples
--------
>>> from app.api.deps import default_store
>>> from app.questions.compare import compare
>>> result = compare(default_store(), ROSTER, 2009)
>>> svg = treaty_svg(result)
>>> svg.count('class="verdict"') == 7 * 5
True
"""

from __future__ import annotations

import csv
import io
from typing import Any

from app.chart.style import MUTED, TEXT
from app.chart.svg import attr, num, tag
from app.chart.text import FONT_FAMILY, wrap
from app.questions.treaty import PROVISIONS, VERDICT_WORDS
from graph_schema.codings import Verdict

ROSTER = ("nato", "us-japan", "us-rok", "us-philippines", "anzus", "us-thailand", "us-uk")
FIGURE_4C_NAME = "figure-4c-treaty-practice-2009"
TWIN_COLUMNS = (
    "alliance",
    "as_of",
    "provision",
    "verdict",
    "treaty",
    "treaty_sources",
    "practice_status",
    "practice",
    "practice_sources",
)
VERDICT_COLOURS: dict[Verdict, tuple[str, str]] = {  # (fill, text)
    Verdict.BOTH: ("#d3f9d8", "#2b8a3e"),
    Verdict.PRACTICE_ONLY: ("#d0ebff", "#1864ab"),
    Verdict.TREATY_ONLY: ("#ffe3e3", "#c92a2a"),
    Verdict.TREATY_NOT_REPORTED: ("#fff3bf", "#a66300"),
    Verdict.NEITHER: ("#f1f3f5", "#495057"),
    Verdict.NOT_CODED: ("#ffffff", MUTED),
}
CELL = 158.0
HEAD = 150.0
FONT = 9.5
LINE = 12.0
PAD = 6.0


def _treaty_words(row: dict[str, Any]) -> str:
    treaty = row["treaty"]
    if treaty["status"] == "not coded":
        return treaty["why"]
    return "treaty: " + ", ".join(f"{v['variable']} {v['value']}" for v in treaty["values"])


def _practice_words(row: dict[str, Any]) -> str:
    practice = row["practice"]
    if practice["status"] == "shown":
        items = practice["items"]
        names = [i["label"] for i in items]
        shown = "; ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        sure = "" if practice["existence"] == "certain" else " (possible only)"
        return f"practice: {shown}{sure}"
    if practice["status"] == "stated absent":
        said = "; ".join(f"{s['source_id']}, line {s['line']}" for s in practice["statements"])
        return f"practice: stated absent ({said})"
    return "practice: not reported"


def treaty_svg(result: dict[str, Any], title: str | None = None) -> str:
    """The treaty-beside-practice rows of a ``compare`` answer as an SVG grid: a column per alliance,
    a row per provision, each cell its verdict in colour with both sides under it."""
    by_cell = {(r["alliance"], r["provision"]): r for r in result["treaty_practice"]}
    alliances = [r["alliance"] for r in result["rows"]]
    names = {r["alliance"]: r["name"] for r in result["rows"]}
    year = result["as_of"]
    heading = title or f"Figure 4c. Treaty beside practice: the roster's seven alliances ({year})"
    x0, width = 16.0, 16.0 + HEAD + CELL * len(alliances) + 16.0
    body: list[str] = []
    yy = 76.0
    body.append(tag("rect", x=x0, y=yy, width=width - 2 * x0, height=32, fill="#343a40"))
    for k, alliance in enumerate(alliances):
        for j, line in enumerate(wrap(names[alliance], CELL - 12, 10.5, bold=True)[:2]):
            body.append(
                tag(
                    "text",
                    line,
                    x=x0 + HEAD + CELL * k + 6,
                    y=yy + 13 + 12 * j,
                    font_size=10.5,
                    font_weight="bold",
                    fill="#fff",
                    class_="column-head",
                )
            )
    yy += 32
    for provision in PROVISIONS:
        label = wrap(provision.label, HEAD - 12, 10.5, bold=True)
        variables = wrap("ATOP " + ", ".join(provision.variables), HEAD - 12, FONT)
        cells = []
        for alliance in alliances:
            row = by_cell.get((alliance, provision.key))
            if row is None:
                cells.append((Verdict.NOT_CODED, ["no coding source counted"]))
                continue
            verdict = Verdict(row["verdict"])
            lines = [
                *wrap(_treaty_words(row), CELL - 12, FONT),
                *wrap(_practice_words(row), CELL - 12, FONT),
            ]
            cells.append((verdict, lines))
        height = max([14 + LINE * len(lines) for _, lines in cells] + [13 * (len(label) + len(variables))]) + 2 * PAD
        body.append(tag("rect", x=x0, y=yy, width=width - 2 * x0, height=height, fill="#ffffff"))
        for j, line in enumerate(label):
            body.append(tag("text", line, x=x0 + 6, y=yy + PAD + 10 + 13 * j, font_size=10.5, font_weight="bold"))
        for j, line in enumerate(variables):
            body.append(
                tag("text", line, x=x0 + 6, y=yy + PAD + 10 + 13 * (len(label) + j), font_size=FONT, fill=MUTED)
            )
        for k, (verdict, lines) in enumerate(cells):
            fill, ink = VERDICT_COLOURS[verdict]
            cx = x0 + HEAD + CELL * k
            body.append(f'<g class="cell" data-row="{attr(provision.key)}" data-alliance="{attr(alliances[k])}">')
            body.append(tag("rect", x=cx + 1, y=yy + 1, width=CELL - 2, height=height - 2, fill=fill))
            body.append(
                tag(
                    "text",
                    verdict.value,
                    x=cx + 6,
                    y=yy + PAD + 10,
                    font_size=10.5,
                    font_weight="bold",
                    fill=ink,
                    class_="verdict",
                )
            )
            for j, line in enumerate(lines):
                body.append(tag("text", line, x=cx + 6, y=yy + PAD + 24 + LINE * j, font_size=FONT, fill=TEXT))
            body.append("</g>")
        body.append(tag("line", x1=x0, y1=yy + height, x2=width - x0, y2=yy + height, stroke="#dee2e6"))
        yy += height
    for k in range(len(alliances) + 1):
        x = x0 + HEAD + CELL * k
        body.append(tag("line", x1=x, y1=108.0, x2=x, y2=yy, stroke="#dee2e6"))
    legend, yy = _legend(x0, yy + 16, width - 2 * x0)
    note = (
        f"Computed by GET /compare?alliances={','.join(alliances)}&as_of={year}: the treaty's codings are "
        "ATOP 5.1's (Leeds et al.; a value holds in a year when in effect on 31 December), practice is the "
        "structure as the paper (Finnegan 2009) gives it. Each pairing of a provision with a part of the "
        "structure is a reading, written out in docs/treaty-practice.md; codings are never evidence for or "
        "against an organ or edge."
    )
    note_lines = wrap(note, width - 2 * x0, 10)
    height = yy + 8 + 13 * len(note_lines) + 10
    desc = "; ".join(
        f"{names[a]}: "
        + ", ".join(f"{p.key} {by_cell[(a, p.key)]['verdict']}" for p in PROVISIONS if (a, p.key) in by_cell)
        for a in alliances
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-labelledby="fig4c-title fig4c-desc" '
        f'aria-label="{attr(heading)}" font-family="{attr(FONT_FAMILY)}">',
        tag("title", heading, id="fig4c-title"),
        tag("desc", desc + ".", id="fig4c-desc"),
        tag("rect", x=0, y=0, width=width, height=height, fill="#fff"),
        tag("text", heading, x=x0, y=30.0, font_size=17, font_weight="bold", fill=TEXT, class_="chart-title"),
        tag(
            "text",
            "What each treaty provides (ATOP 5.1) beside what the structure shows in the year (the paper), "
            "with the contract's verdict.",
            x=x0,
            y=52.0,
            font_size=11,
            fill="#495057",
        ),
        *body,
        *legend,
    ]
    parts += [
        tag("text", line, x=x0, y=yy + 8 + 13 * j, font_size=10, fill="#495057") for j, line in enumerate(note_lines)
    ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _legend(x: float, y: float, width: float) -> tuple[list[str], float]:
    out = []
    yy = y
    for verdict in Verdict:
        fill, ink = VERDICT_COLOURS[verdict]
        out.append(tag("rect", x=x, y=yy, width=12, height=12, fill=fill, stroke=ink))
        words = f"{verdict.value}: {VERDICT_WORDS[verdict]}"
        out.append(tag("text", words, x=x + 18, y=yy + 10, font_size=10, fill=TEXT, class_="legend"))
        yy += 16
    return out, yy + 6


def treaty_csv(result: dict[str, Any]) -> str:
    """The figure's data twin: one line per alliance and provision, each side with its sources."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TWIN_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in result["treaty_practice"]:
        treaty, practice = row["treaty"], row["practice"]
        writer.writerow(
            {
                "alliance": row["alliance"],
                "as_of": row["as_of"],
                "provision": row["provision"],
                "verdict": row["verdict"],
                "treaty": treaty.get("text") or treaty.get("why"),
                "treaty_sources": "; ".join(treaty["source_ids"]),
                "practice_status": practice["status"],
                "practice": practice["text"],
                "practice_sources": "; ".join(practice["source_ids"]),
            }
        )
    return out.getvalue()
