"""Answers said in words: one or more sentences for a person, from an answer's plain data.

The questions return data; the CLI's table format (and anything else that talks to a person)
puts this in front of it, so that every answer -- an empty or negative one above all -- says what
it found and why, with no Python values (``None``, ``False``) in sight. The functions read only
the answer dicts (and the alliance record, for its treaty years), so a new field in an answer,
such as the break's ``cause`` and ``quotes``, is worded here without touching the question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph_schema.models import Alliance
from graph_schema.vocabulary import PAPER_ID

Labeller = Callable[[str], str]
QUALIFIER = "(not reported; the paper does not say there is none)"
"""Kept wherever an answer finds nothing: silence in the paper is "not reported", never "none"."""


def in_year(as_of: int | None) -> str:
    return f"in {as_of}" if as_of is not None else "in any year"


def by_kinds(kinds: Iterable[str]) -> str:
    kinds = list(kinds)
    if len(kinds) == 1:
        return f"{kinds[0]} edges"
    return ", ".join(kinds[:-1]) + f" or {kinds[-1]} edges"


def under(answer: Mapping[str, Any]) -> str:
    """The snapshot's other settings, as a trailing phrase ('' when none is set)."""
    parts = []
    if answer.get("condition"):
        parts.append(f"under {answer['condition']} conditions")
    if answer.get("include_planned"):
        parts.append("counting plans")
    if answer.get("exclude"):
        parts.append("without " + ", ".join(answer["exclude"]))
    return (", " + ", ".join(parts)) if parts else ""


def organ_label(organ: Mapping[str, Any]) -> str:
    """'NAC (nato.nac)', or the name when the paper gives no acronym."""
    return f"{organ.get('acronym') or organ['name']} ({organ['id']})"


def alliance_label(alliance: Alliance) -> str:
    """'NATO' where the paper's short form is the id in capitals, else the name."""
    short = alliance.id.upper()
    if short in alliance.aliases:
        return short
    return alliance.name if alliance.name.isupper() else f"the {alliance.name}"


def hops(n: int) -> str:
    return f"{n} hop" if n == 1 else f"{n} hops"


def before_treaty(alliance: Alliance | None, as_of: int | None) -> str | None:
    """ "NATO's treaty is of 1949; nothing of it exists in 1900", or None when the year is not
    before the alliance's first treaty."""
    if alliance is None or as_of is None or as_of >= min(alliance.treaty_years):
        return None
    years = sorted(alliance.treaty_years)
    treaty = f"treaty is of {years[0]}" if len(years) == 1 else f"treaties are of {_and(map(str, years))}"
    return f"{alliance_label(alliance)}'s {treaty}; nothing of it exists in {as_of} but what the paper dates earlier"


def _and(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _chain(path: Mapping[str, Any]) -> str:
    return " -> ".join(o.get("acronym") or o["name"] for o in path["organs"])


def _quotes(quotes: Iterable[Any]) -> list[str]:
    out = []
    for q in quotes or []:
        text = q.get("quote") if isinstance(q, Mapping) else str(q)
        line = q.get("line") if isinstance(q, Mapping) else None
        out.append(f'"{text}"' + (f" (paper, line {line})" if line else ""))
    return out


# ------------------------------------------------------------------------------------------- paths


def paths_summary(answer: Mapping[str, Any], label: Labeller, alliance: Alliance | None = None) -> str:
    """Whether ``source`` reaches ``target``, and if not, why not."""
    source, target = label(answer["source"]), label(answer["target"])
    year, kinds, rest = in_year(answer.get("as_of")), by_kinds(answer["kinds"]), under(answer)
    if answer.get("absent"):
        treaty = before_treaty(alliance, answer.get("as_of"))
        scope = f" in {alliance_label(alliance)}'s structure" if alliance else ""
        missing = _and(label(i) for i in answer["absent"])
        verb = "does" if len(answer["absent"]) == 1 else "do"
        text = f"not connected: {missing} {verb} not exist{scope} {year}{rest}"
        return f"{text} ({treaty})" if treaty else text
    if answer["source"] == answer["target"]:
        return f"{source} is both the source and the target: there is no chain to find"
    if not answer["connected"]:
        return (
            f"not connected: the paper reports no chain of {kinds} from {source} to {target} {year}{rest} {QUALIFIER}"
        )
    found = answer["paths"]
    n = answer["shortest_hops"]
    text = f"connected: {source} reaches {target} by {kinds} {year}{rest}; the shortest chain has {hops(n)}"
    if not found:
        return text + f", more than max_hops ({answer['max_hops']}), so no path is listed"
    listed = f"{len(found)} path listed" if len(found) == 1 else f"{len(found)} paths listed, shortest first"
    return text + f"; {listed} (one row per hop)"


# ----------------------------------------------------------------------------------------- linkage


def linkage_summary(answer: Mapping[str, Any], alliance: Alliance | None = None) -> str:
    """Whether the civilian side links to an operational commander, and if not, why not."""
    name = alliance.name if alliance else answer["alliance"]
    year, kinds, rest = in_year(answer.get("as_of")), by_kinds(answer["kinds"]), under(answer)
    if answer["linked"]:
        first = answer["witnesses"][0]
        line = (
            f"{name} {year}{rest}: linked by {kinds}; a civilian body reaches an operational commander in "
            f"{hops(answer['shortest_hops'])} ({_chain(first)}); one row per chain, certain ones first"
        )
        counted = answer.get("counted_sources") or [PAPER_ID]
        whose = "the paper" if counted == [PAPER_ID] else f"the sources counted ({', '.join(counted)})"
        if answer.get("certain"):
            line += f"\n  certain: {whose} {'places' if counted == [PAPER_ID] else 'place'} a whole chain in the year"
        else:
            needs = first["rests_on"]["organs"] + first["rests_on"]["edges"]
            leave = "leaves" if counted == [PAPER_ID] else "leave"
            line += f"\n  possible only: the chain rests on what {whose} {leave} possible"
            line += f" ({len(needs)} organs and edges)"
        return line + _scenario_line(answer)
    brk: Mapping[str, Any] = answer.get("break") or {}
    cause = brk.get("cause")
    if cause == "only-possible":
        return (
            f"{name} {year}{rest}: not linked by {kinds} by what the paper places in the year (existence=certain)\n"
            "  why: a chain exists only through organs or edges the paper leaves possible, not certain"
            " (ask with existence=possible to see it)"
        )
    treaty = before_treaty(alliance, answer.get("as_of"))
    lines = [f"{name} {year}{rest}: not linked by {kinds}"]
    early = [o.get("acronym") or o["name"] for o in answer.get("operational_commanders", [])]
    if treaty or cause == "before-treaty":
        if early and alliance is not None:
            # What the paper dates before the treaty exists (the UNC of 1950 before the 1954 treaty).
            lines.append(
                f"  why: {alliance_label(alliance)}'s treaty is of {min(alliance.treaty_years)}; the paper reports no"
                f" civilian decision-making body of it {year} ({_and(early)}, which it dates earlier,"
                f" {'holds' if len(early) == 1 else 'hold'} operational command)"
            )
        else:
            lines.append(
                "  why: " + (treaty or f"nothing of the alliance exists {year}") + "; there is no linkage to find"
            )
        return "\n".join(lines)
    if not answer.get("civilian_bodies"):
        lines.append(
            f"  why: the paper reports no civilian decision-making body of the alliance {year}{rest} {QUALIFIER}"
        )
        return "\n".join(lines)
    if not answer.get("operational_commanders"):
        lines.append(f"  why: the paper reports no organ holding operational command {year}{rest} {QUALIFIER}")
        return "\n".join(lines)
    if cause == "stated":
        quotes = _quotes(brk.get("quotes", []))
        lines.append("  why: the paper states the gap: " + ("; ".join(quotes) if quotes else brk.get("reason", "")))
    elif cause == "excluded":
        lines.append("  why: every chain ran through what exclude removed: " + ", ".join(answer.get("exclude", [])))
    elif cause == "only-possible":
        lines.append("  why: a chain exists only through organs or edges the paper leaves possible, not certain")
    else:
        lines.append(
            f"  why: the paper reports no chain of {kinds} from a civilian body to an operational commander {year}"
            f" {QUALIFIER}"
        )
    reach = [o for o in brk.get("civilian_reach", []) if o.get("hops")]
    bodies = _and(o.get("acronym") or o["name"] for o in answer["civilian_bodies"])
    verb = "reaches" if len(answer["civilian_bodies"]) == 1 else "reach"
    if reach:
        reached = ", ".join(f"{o.get('acronym') or o['name']} ({hops(o['hops'])})" for o in reach)
        lines.append(f"  by {kinds}, {bodies} {verb} {reached}; no operational commander among them")
    else:
        lines.append(f"  by {kinds}, {bodies} {verb} no other organ")
    closers = [c["add_kind"] for c in brk.get("closing_kinds", []) if c.get("linked")]
    if closers:
        lines.append(f"  adding one kind of edge closes the gap: {', '.join(closers)}")
    else:
        lines.append("  adding any one other kind of edge does not close the gap")
    return "\n".join(lines)


def _scenario_line(answer: Mapping[str, Any]) -> str:
    sc = answer.get("scenario")
    if not sc:
        return ""
    if not sc.get("applied"):
        return f"\n  scenario: {sc.get('note')}"
    whose = (
        "the paper's own recommendation"
        if sc.get("proposed_by") == "paper"
        else "an analyst's proposal, not the paper's"
    )
    proposed = ", ".join(sc["proposed"])
    return f"\n  scenario {sc['id']!r} ({whose}): what it proposes is never certain; it proposes {proposed}"


# ----------------------------------------------------------------------------------- other answers


def diff_summary(answer: Mapping[str, Any]) -> str:
    before, after = answer["linkage"]["before"], answer["linkage"]["after"]
    if "from" not in answer:  # the data against a scenario, in one year
        scenario, year = answer["scenario"], in_year(answer.get("as_of"))

        def linked(side: Mapping[str, Any], where: str) -> str:
            return f"linked {where} ({hops(side['hops'])})" if side["linked"] else f"not linked {where}"

        return (
            f"{answer['alliance']} {year}, the data against scenario {scenario!r}: civil-military linkage by "
            f"authority edges: {linked(before, 'in the data')}, {linked(after, 'with the scenario')}"
        )

    def state(side: Mapping[str, Any], year: int) -> str:
        if side["linked"]:
            sure = "certain" if side.get("certain") else "possible only"
            return f"linked in {year} ({hops(side['hops'])}, {sure})"
        why = {
            "stated": "the paper states the gap",
            "only-possible": "possible chains only",
            "before-treaty": "before the treaty; the paper reports no civilian body",
            "excluded": "every chain ran through what exclude removed",
        }.get(side.get("cause") or "", "not reported; the paper does not say there is none")
        return f"not linked in {year} ({why})"

    return (
        f"{answer['alliance']} {answer['from']} -> {answer['to']}: civil-military linkage by authority edges: "
        f"{state(before, answer['from'])}, {state(after, answer['to'])}"
    )


def nothing_changed(answer: Mapping[str, Any], alliance: Alliance | None = None) -> str:
    if "from" not in answer:
        return f"scenario {answer['scenario']!r} changes nothing in the structure {in_year(answer.get('as_of'))}"
    text = f"nothing in the structure changed between {answer['from']} and {answer['to']}"
    treaty = before_treaty(alliance, answer["to"])
    return f"{text}: {treaty}" if treaty else text


def compare_sheet(answer: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """Figure 4 as it reads, down a column per alliance: the structure's rows and then one row per
    indicator figure (value with its hedge, year, scope), and the notes under it (each scope's caveat,
    that indicators keep their own years, and the treaty-beside-practice rows as a table of their own,
    one line per alliance and provision). With ``treaty`` (``treaty_only``), that table alone."""
    from app.questions.compare import compare_rows
    from app.questions.indicators import cell_text
    from app.questions.treaty import TREATY_HEADING, treaty_table

    treaty = treaty_table(dict(answer))
    if answer.get("treaty_only"):
        return treaty, []  # its heading or note above it: compare_words
    rows = compare_rows({**answer, "indicators": [], "treaty_practice": [], "treaty_only": False})
    # A column per alliance, or per column asked for (``us-rok@2013+planned``).
    heads = [(r.get("column") or r["alliance"], r["alliance"]) for r in rows]
    sheet = [
        {"": key, **{head: r[key] for (head, _), r in zip(heads, rows, strict=True)}}
        for key in rows[0]
        if key not in ("alliance", "column")
    ]
    caveats: dict[str, str] = {}
    for entry in answer["indicators"]:
        by_alliance = entry["by_alliance"]
        # One line per figure, so that a second figure (NATO's 26 members after its 12) is not cut.
        for k in range(max(len(figures) for figures in by_alliance.values())):
            cells = {}
            for head, aid in heads:
                figures = by_alliance.get(aid, [])
                cells[head] = cell_text(figures[k : k + 1]) if k < len(figures) else ""
            sheet.append({"": entry["measure"], **cells})
        for figures in by_alliance.values():
            for f in figures:
                if f["scope_note"]:
                    caveats.setdefault(f"{f['scope_label']} ({entry['measure']})", f["scope_note"])
    notes: list[Any] = [f"* {where}: {note}" for where, note in caveats.items()]
    if answer["indicators"]:
        notes.append("Indicators are the paper's figures, each with its own year; --as-of does not filter them.")
    if treaty:
        notes.append((TREATY_HEADING, treaty))
    elif answer.get("treaty_practice_note"):
        notes.append(f"\n{answer['treaty_practice_note']}")
    return sheet, notes


def compare_words(answer: Mapping[str, Any]) -> str | None:
    """With ``treaty`` (``treaty_only``), what the treaty-beside-practice table is, or why it is empty."""
    from app.questions.treaty import TREATY_HEADING

    if not answer.get("treaty_only"):
        return None
    return answer.get("treaty_practice_note") or TREATY_HEADING


def no_organs(alliance: Alliance | None, as_of: int | None, what: str = "organ") -> str:
    treaty = before_treaty(alliance, as_of)
    if treaty:
        return treaty
    scope = f" of {alliance_label(alliance)}" if alliance else ""
    return f"the paper reports no {what}{scope} {in_year(as_of)} {QUALIFIER}"


def disputed_words(found: Iterable[Mapping[str, Any]], as_of: int | None) -> list[str]:
    """For each disputed organ or edge of an answer, one line: what each counted source says of it
    in the year, with its quote and line in that source's own text (an analyst's named as theirs)."""
    lines = []
    for thing in found:
        if thing.get("agreement") != "disputed":
            continue
        said = []
        for claim in thing.get("claims", []):
            why = claim.get("existence_why") or {}
            judged = claim.get("existence") or "absent"
            quote = f' "{why["quote"]}"' if why.get("quote") else ""
            line = f" (line {why['line']})" if why.get("line") is not None else ""
            said.append(f"{claim['source_id']} ({claim.get('source_kind')}): {judged}{quote}{line}")
        label = thing.get("acronym") or thing.get("name") or thing["id"]
        head = f"disputed {in_year(as_of)}: {label} ({thing['id']}), possible, never certain — "
        lines.append(head + "; ".join(said))
    return lines
