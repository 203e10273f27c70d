"""Figures 4 and 4b: the ``compare`` answer as an SVG table (the paper's figure 4, computed) and the
paper's indicators as bars, one panel per measure; ``app.figures`` writes them with the charts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.chart.svg import num, tag
from app.chart.text import FONT_FAMILY, text_width, wrap
from app.diagram import GAP_COLOUR, TEXT
from app.questions.compare import FIGURE_4

__all__ = ["FIGURE_4_ROWS", "compare_svg", "indicators_svg"]

# ----------------------------------------------------------------------------------------- figure 4


def _yes_no(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else "—"


def _list(value: Any, empty: str = "none") -> str:
    return ", ".join(str(v) for v in value) if value else empty


def _cell(measure: str) -> Callable[[dict[str, Any]], str]:
    """A row's cell as the compare answer words it: certain, possible, not reported or stated absent."""
    return lambda r: str(r["cells"][measure]["text"])


def _organs_or_cell(key: str, measure: str) -> Callable[[dict[str, Any]], str]:
    """The organs listed (possible ones marked), or, when there are none, the cell saying why."""
    return lambda r: _list(r[key]) if r[key] else str(r["cells"][measure]["text"])


# (row label, how to read it from one compare row); a row of bars when the reader returns a dict
FIGURE_4_ROWS: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("Treaty", lambda r: ", ".join(str(y) for y in r["treaty_years"])),
    ("Standing structure", lambda r: _yes_no(r["standing_structure"])),
    ("Organs of the alliance", lambda r: str(r["organs"])),
    ("National organs linked", lambda r: str(r["national_organs_linked"])),
    ("Organs by nature", lambda r: r["by_nature"]),
    ("Organs by level", lambda r: r["by_level"]),
    ("Decision-making bodies", lambda r: _list(r["decision_bodies"], "not reported")),
    ("Military committee", _organs_or_cell("military_committee", "has_military_committee")),
    ("Combined command", _organs_or_cell("combined_command", "has_combined_command")),
    ("Civil–military linkage by authority", _cell("linkage_by_authority")),
    ("… counting coordination too", _cell("linkage_with_coordination")),
    ("Linked by coordination only", _cell("coordination_only_linkage")),
    ("Coordination links", lambda r: str(r["coordination_links"])),
    ("Single points of failure", lambda r: _list(r["single_points_of_failure"])),
    ("Dormant organs", lambda r: _list(r["dormant_organs"], "none reported")),
    ("Meeting cadence", lambda r: "; ".join(r["meeting_cadence"]) or "not given"),
]
# Rows whose cell is the paper's verdict, coloured by how sure it is; the rest are plain facts.
JUDGED_ROWS = frozenset(
    {"Civil–military linkage by authority", "… counting coordination too", "Linked by coordination only"}
)


def _verdict_colour(text: str) -> str:
    """Green for certain, amber for possible, red for a gap the paper states; grey for silence."""
    if text.startswith("yes (certain"):
        return "#2b8a3e"
    if text.startswith("yes (possible"):
        return "#e67700"
    if text.startswith("no (stated"):
        return GAP_COLOUR
    return TEXT


CELL = 230.0
HEAD = 176.0
FONT = 11.0
ROW_PAD = 7.0
BAR_LINE = 13.0


def compare_svg(result: dict[str, Any], title: str | None = None) -> str:
    """Figure 4: the ``compare`` answer as an SVG table, one column per alliance; counts by nature
    and by level as small bar charts so the three structures can be read side by side at a glance.

    >>> from app.api.deps import default_store
    >>> from app.questions.compare import compare
    >>> svg = compare_svg(compare(default_store()))
    >>> svg.count('class="cell"') == 3 * len(FIGURE_4_ROWS)
    True
    """
    rows = result["rows"]
    heading = title or f"Figure 4 (rebuilt). Three Allied Structures: NATO, U.S.-ROK, U.S.-Japan ({result['as_of']})"
    x0, y = 16.0, 30.0
    parts: list[str] = []
    width = x0 + HEAD + CELL * len(rows) + 16
    y_table = 72.0
    body: list[str] = []
    yy = y_table
    # header row
    body.append(tag("rect", x=x0, y=yy, width=width - 2 * x0, height=30, fill="#343a40"))
    for k, row in enumerate(rows):
        cx = x0 + HEAD + CELL * k
        for j, line in enumerate(wrap(row["name"], CELL - 14, 11.5, bold=True)[:2]):
            body.append(
                tag(
                    "text",
                    line,
                    x=cx + 8,
                    y=yy + 13 + 12 * j,
                    font_size=11.5,
                    font_weight="bold",
                    fill="#fff",
                    class_="column-head",
                )
            )
    yy += 30
    biggest = max(
        [max(r["by_level"].values(), default=0) for r in rows] + [max(r["by_nature"].values(), default=0) for r in rows]
    )
    for i, (label, read) in enumerate(FIGURE_4_ROWS):
        values = [read(r) for r in rows]
        cells: list[list[str]] = []
        heights = []
        judged = label in JUDGED_ROWS
        for v in values:
            if isinstance(v, dict):
                heights.append(len(v) * BAR_LINE)
                cells.append([])
            else:
                lines = wrap(str(v), CELL - 16, FONT, bold=judged)
                cells.append(lines)
                heights.append(len(lines) * 14)
        label_lines = wrap(label, HEAD - 16, FONT, bold=True)
        h = max([*heights, len(label_lines) * 14]) + 2 * ROW_PAD
        body.append(
            tag("rect", x=x0, y=yy, width=width - 2 * x0, height=h, fill="#f8f9fa" if i % 2 == 0 else "#ffffff")
        )
        for j, line in enumerate(label_lines):
            body.append(
                tag("text", line, x=x0 + 8, y=yy + ROW_PAD + 11 + 14 * j, font_size=FONT, font_weight="bold", fill=TEXT)
            )
        for k, v in enumerate(values):
            cx = x0 + HEAD + CELL * k
            body.append(f'<g class="cell" data-row="{label}" data-alliance="{rows[k]["alliance"]}">')
            if isinstance(v, dict):
                body.extend(_bars(v, cx + 8, yy + ROW_PAD, biggest))
            else:
                colour = TEXT
                if judged:
                    colour = _verdict_colour(str(v))
                bold = "bold" if judged else None
                for j, line in enumerate(cells[k]):
                    body.append(
                        tag(
                            "text",
                            line,
                            x=cx + 8,
                            y=yy + ROW_PAD + 11 + 14 * j,
                            font_size=FONT,
                            font_weight=bold,
                            fill=colour,
                        )
                    )
            body.append("</g>")
        yy += h
    for k in range(len(rows) + 1):
        x = x0 + HEAD + CELL * k if k < len(rows) else width - x0
        body.append(tag("line", x1=x, y1=y_table, x2=x, y2=yy, stroke="#dee2e6"))
    note = (
        "Computed by GET /compare?as_of=2009 from the seeds (Finnegan 2009); a chain is a path of "
        "authority edges from a civilian decision-making body to an operational commander. Each verdict says "
        "how sure the paper is: certain, possible (also marked on organs), not reported (not the same as none), "
        "or stated by the paper."
    )
    note_lines = wrap(note, width - 2 * x0, 10)
    height = yy + 14 + 13 * len(note_lines) + 12
    desc = "; ".join(
        f"{r['name']}: {r['organs']} organs, linkage by authority {r['cells']['linkage_by_authority']['text']}, "
        f"combined command {r['cells']['has_combined_command']['text']}"
        for r in rows
    )
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-labelledby="fig4-title fig4-desc" '
        f'aria-label="{_attr(heading)}" font-family="{_attr(FONT_FAMILY)}">'
    )
    parts.append(tag("title", heading, id="fig4-title"))
    parts.append(tag("desc", desc + ".", id="fig4-desc"))
    parts.append(tag("rect", x=0, y=0, width=width, height=height, fill="#fff"))
    parts.append(tag("text", heading, x=x0, y=y, font_size=17, font_weight="bold", fill=TEXT, class_="chart-title"))
    parts.append(
        tag(
            "text",
            "Organs and links of each alliance alive in the year; national organs one edge away counted apart.",
            x=x0,
            y=50,
            font_size=11,
            fill="#495057",
        )
    )
    parts.extend(body)
    for j, line in enumerate(note_lines):
        parts.append(tag("text", line, x=x0, y=yy + 22 + 13 * j, font_size=10, fill="#495057"))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _bars(counts: dict[str, int], x: float, y: float, biggest: int) -> list[str]:
    label_w = max(text_width(k, 9.5) for k in counts) + 6
    room = CELL - 16 - label_w - 22
    out = []
    for j, (key, value) in enumerate(counts.items()):
        top = y + BAR_LINE * j
        w = room * value / biggest if biggest else 0
        out.append(tag("text", key, x=x, y=top + 10, font_size=9.5, fill="#495057"))
        if value:
            out.append(tag("rect", x=x + label_w, y=top + 2, width=max(w, 1.5), height=9, fill="#74c0fc", rx=1.5))
        out.append(tag("text", str(value), x=x + label_w + w + 4, y=top + 10, font_size=9.5, fill=TEXT))
    return out


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------------------- figure 4b

# One hue per alliance of figure 4, in its column order; any other alliance grey.
ALLIANCE_COLOURS = {"nato": "#1c7ed6", "us-rok": "#e8590c", "us-japan": "#2f9e44"}
OTHER_COLOUR = "#868e96"
UNIT_WORDS = {
    "people": "people",
    "usd": "U.S. dollars",
    "percent": "percent",
    "rank": "rank (not drawn as a bar: a lower rank is a larger source)",
    "countries": "countries",
    "nations": "member states",
    "associations": "associations",
    "bodies": "bodies",
}
PANEL_W = 400.0
PANEL_GAP = 18.0
PANEL_COLUMNS = 2
SCOPE_W = 112.0
BAR_W = 110.0
BAR_FONT = 9.5
BAR_ROW = 15.0


def _panel(entry: dict[str, Any], x: float, y: float) -> tuple[list[str], float]:
    """One measure's small bar chart at (x, y): its heading, then a bar per figure; returns the
    elements and the panel's height."""
    figures = [f for alliance in FIGURE_4 for f in entry["by_alliance"].get(alliance, [])]
    figures += [f for a, fs in entry["by_alliance"].items() if a not in FIGURE_4 for f in fs]
    # Widths are measured in Liberation Sans; a margin keeps a wider fallback font inside the panel.
    head = wrap(entry["label"], PANEL_W - 28, 11, bold=True)
    out = [f'<g class="indicator-panel" data-measure="{_attr(entry["measure"])}">']
    yy = y + 8
    for line in head:
        yy += 13
        out.append(tag("text", line, x=x + 8, y=yy, font_size=11, font_weight="bold", fill=TEXT))
    yy += 12
    out.append(tag("text", UNIT_WORDS.get(entry["unit"], entry["unit"]), x=x + 8, y=yy, font_size=9, fill="#495057"))
    yy += 6
    biggest = max((f["value"] for f in figures), default=0)
    labels = [f"{f['label']}, {f['year_label']}" for f in figures]
    widest = max((text_width(label, BAR_FONT) for label in labels), default=0.0)
    room = min(BAR_W, PANEL_W - 8 - SCOPE_W - 5 - widest - 16)
    for f, label in zip(figures, labels, strict=True):
        scope = f["scope_label"] + ("*" if f["scope_note"] else "")
        lines = wrap(scope, SCOPE_W - 14, BAR_FONT)
        row_h = max(BAR_ROW, 11.5 * len(lines) + 3.5)
        colour = ALLIANCE_COLOURS.get(f["alliance"], OTHER_COLOUR)
        out.append(
            f'<g class="indicator-bar" data-id="{_attr(f["id"])}" data-alliance="{_attr(f["alliance"])}" '
            f'data-measure="{_attr(f["measure"])}" data-value="{f["value"]}" '
            f'data-qualifier="{_attr(f["qualifier"] or "")}" data-year="{_attr(str(f["year"] or ""))}" '
            f'data-line="{_attr(", ".join(str(s["line"]) for s in f["sources"] if s.get("line")))}">'
        )
        out.append(tag("title", f"{entry['label']}: {label} ({scope}). “{f['sources'][0]['quote']}”"))
        for j, line in enumerate(lines):
            out.append(tag("text", line, x=x + 8, y=yy + 11 + 11.5 * j, font_size=BAR_FONT, fill=TEXT))
        bar_x = x + 8 + SCOPE_W
        width = 0.0
        if entry["unit"] != "rank" and biggest:
            width = max(room * f["value"] / biggest, 1.5)
            out.append(tag("rect", x=bar_x, y=yy + 3, width=width, height=9, fill=colour, rx=1.5))
        else:
            out.append(tag("circle", cx=bar_x + 4, cy=yy + 7.5, r=3.5, fill=colour))
            width = 8.0
        out.append(
            tag("text", label, x=bar_x + width + 5, y=yy + 11, font_size=BAR_FONT, fill=TEXT, class_="bar-label")
        )
        out.append("</g>")
        yy += row_h
    out.append("</g>")
    return out, yy + 8 - y


def indicators_svg(entries: list[dict[str, Any]], title: str | None = None) -> str:
    """Figure 4b: the paper's indicators as small bar charts, one per measure, the alliances of
    figure 4 in their colours; every bar labelled with its value, the paper's hedge and its year
    ("near $300 bn, no year given"), never a bare number.

    >>> from app.api.deps import default_store
    >>> from app.questions.compare import compare
    >>> svg = indicators_svg(compare(default_store())["indicators"])
    >>> "near $300 bn, no year given" in svg
    True
    """
    heading = title or "Figure 4b. The paper's benchmarks beyond structure: NATO, U.S.-ROK, U.S.-Japan"
    x0, top = 16.0, 88.0
    width = 2 * x0 + PANEL_COLUMNS * PANEL_W + (PANEL_COLUMNS - 1) * PANEL_GAP
    body: list[str] = []
    # Row by row, left to right, each row as tall as its taller panel, so the measures read in order.
    y = top
    for first in range(0, len(entries), PANEL_COLUMNS):
        row = [
            _panel(entry, x0 + k * (PANEL_W + PANEL_GAP), y)
            for k, entry in enumerate(entries[first : first + PANEL_COLUMNS])
        ]
        tallest = max(h for _, h in row)
        for k, (elements, _) in enumerate(row):
            x = x0 + k * (PANEL_W + PANEL_GAP)
            body.append(tag("rect", x=x, y=y, width=PANEL_W, height=tallest, fill="#f8f9fa", stroke="#dee2e6", rx=3))
            body.extend(elements)
        y += tallest + PANEL_GAP
    caveats: dict[str, set[str]] = {}
    for entry in entries:
        for figures in entry["by_alliance"].values():
            for f in figures:
                if f["scope_note"]:
                    caveats.setdefault(f"{f['scope_label']}: {f['scope_note']}", set()).add(entry["label"])
    notes = [f"* {where} (the paper's caveat on: {'; '.join(sorted(m))})." for where, m in caveats.items()]
    notes.append(
        "Each label keeps the paper's hedge (over, more than, approaches, near, nearly, some, approximately, "
        "roughly) and its year, or says none is given. Bars compare figures of one measure only. Computed by "
        "GET /compare (its indicators) and GET /indicators from seeds/indicators.yaml (Finnegan 2009); every "
        "figure carries its quote and line."
    )
    note_lines = [line for note in notes for line in wrap(note, width - 2 * x0 - 20, 10)]
    height = y + 13 * len(note_lines) + 8
    legend: list[str] = []
    lx = x0
    for alliance in FIGURE_4:
        name = next(
            (f["scope_label"] for e in entries for f in e["by_alliance"].get(alliance, []) if f["scope"] == alliance),
            alliance,
        )
        legend.append(tag("rect", x=lx, y=60, width=12, height=9, fill=ALLIANCE_COLOURS[alliance], rx=1.5))
        legend.append(tag("text", name, x=lx + 16, y=68, font_size=10.5, fill=TEXT))
        lx += 16 + text_width(name, 10.5) + 18
    count = sum(len(fs) for e in entries for fs in e["by_alliance"].values())
    desc = f"{count} figures of the paper in {len(entries)} measures: " + "; ".join(
        f"{e['label']}: "
        + ", ".join(
            f"{f['scope_label']} {f['label']} ({f['year_label']})" for fs in e["by_alliance"].values() for f in fs
        )
        for e in entries
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-labelledby="fig4b-title fig4b-desc" '
        f'aria-label="{_attr(heading)}" font-family="{_attr(FONT_FAMILY)}">',
        tag("title", heading, id="fig4b-title"),
        tag("desc", desc + ".", id="fig4b-desc"),
        tag("rect", x=0, y=0, width=width, height=height, fill="#fff"),
        tag("text", heading, x=x0, y=30, font_size=17, font_weight="bold", fill=TEXT, class_="chart-title"),
        tag(
            "text",
            "Travellers, trade, students, jobs, member counts and more, as the paper gives them, each with its year.",
            x=x0,
            y=48,
            font_size=11,
            fill="#495057",
        ),
        *legend,
        *body,
        *(tag("text", line, x=x0, y=y + 13 * j, font_size=10, fill="#495057") for j, line in enumerate(note_lines)),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
