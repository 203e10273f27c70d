"""``indicators``: the paper's benchmarks beyond structure, listed, labelled and set side by side.

Every figure keeps the paper's hedge: a value is never shown without its qualifier, so "near $300
billion" reads ``near $300 bn`` in every table, CSV and chart, and stays ``value: 300000000000,
qualifier: "near"`` in JSON. Years are shown as the paper gives them (``2007/2008``) or as "no year
given"; ``as_of`` never filters indicators, since each carries its own year.

Examples
--------
>>> from app.api.deps import default_store
>>> [i["label"] for i in indicators(default_store(), measure="trade-with-services")["indicators"]]
['approaches $900 bn', 'near $300 bn', 'near $100 bn']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.errors import BadParameter
from app.questions.codings import member_count_claims
from app.store.base import Store
from graph_schema.models import Alliance, Indicator
from graph_schema.vocabulary import MEASURES, PAIR_SCOPES, PAPER_ID, Agreement, Measure, Unit, qualifier_words

NO_YEAR = "no year given"
INDICATOR_COLUMNS = [
    "id",
    "alliance",
    "measure",
    "label",
    "value",
    "unit",
    "qualifier",
    "bound",
    "year",
    "scope",
    "scope_label",
    "scope_note",
    "note",
    "quote",
    "lines",
]


def format_value(value: float, unit: Unit) -> str:
    """The number as a reader writes it in this unit: ``$600 bn``, ``24 million``, ``11.1%``, ``3rd``.

    >>> format_value(300_000_000_000, Unit.USD), format_value(5_200_000, Unit.PEOPLE), format_value(70_000, Unit.PEOPLE)
    ('$300 bn', '5.2 million', '70,000')
    >>> format_value(11.1, Unit.PERCENT), format_value(3, Unit.RANK)
    ('11.1%', '3rd')
    """
    if unit is Unit.PERCENT:
        return f"{value:g}%"
    if unit is Unit.RANK:
        n = int(value)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if value >= 1e9:
        text = f"{value / 1e9:g} bn"
    elif value >= 1e6:
        text = f"{value / 1e6:g} million"
    else:
        text = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return f"${text}" if unit is Unit.USD else text


def value_label(indicator: Indicator) -> str:
    """The value with the paper's hedge before it: ``near $300 bn``, ``more than 600,000``, ``12``."""
    assert indicator.unit is not None  # filled from the measure while validating
    words = qualifier_words(indicator.qualifier)
    number = format_value(indicator.value, indicator.unit)
    return f"{words} {number}" if words else number


def year_label(indicator: Indicator) -> str:
    return NO_YEAR if indicator.year is None else str(indicator.year)


def scope_label(scope: str, store: Store) -> str:
    """A scope in words: ``U.S.-EU``, ``U.S.-ROK``, ``NATO``, or the organ's acronym or name."""
    if scope in PAIR_SCOPES:
        return PAIR_SCOPES[scope]
    alliances = store.alliances()
    if scope in alliances:
        return short_name(alliances[scope])
    organ = store.organs().get(scope)
    return scope if organ is None else (organ.acronym or organ.name)


def short_name(alliance: Alliance) -> str:
    """``U.S.-ROK`` for "U.S.-ROK alliance"; an acronym alias (``NATO``) for a name without it."""
    if alliance.name.endswith(" alliance"):
        return alliance.name.removesuffix(" alliance")
    acronym = next((a for a in alliance.aliases if a.isupper()), None)
    return acronym or alliance.name


Peers = dict[tuple[str, str, str], list[Indicator]]
"""(scope, measure, year) -> the indicators of every counted source for it, in source order."""


def peers_of(store: Store) -> Peers:
    """The counted sources' indicators grouped by what they measure: scope, measure and year."""
    found: Peers = {}
    for alliance in store.alliances().values():
        for indicator in alliance.indicators:
            found.setdefault(_key(indicator), []).append(indicator)
    return found


def _key(indicator: Indicator) -> tuple[str, str, str]:
    return indicator.scope, indicator.measure.value, str(indicator.year)


def indicator_data(indicator: Indicator, store: Store, peers: Peers | None = None) -> dict[str, Any]:
    """An indicator as JSON-ready data: the record as written, plus its id, labels and bound, its
    source, and whether the counted sources that give the same measure, scope and year agree on its
    value (``agreement``: single, agreed, disputed; ``claims``: each source's value and quotes)."""
    data = indicator.model_dump(mode="json", by_alias=True)
    sources = data.pop("sources")
    data["source_id"] = indicator.source_id or PAPER_ID
    same = (peers if peers is not None else peers_of(store)).get(_key(indicator), [indicator])
    # A dataset's member list gives a count of its own in the year (ATOP's NATO: 28 in 2009).
    listed = []
    alliances = store.alliances()
    if indicator.measure is Measure.MEMBERS and isinstance(indicator.year, int) and indicator.scope in alliances:
        listed = member_count_claims(alliances[indicator.scope], indicator.year)
    values = {(i.value, i.qualifier) for i in same} | {(c["value"], None) for c in listed}
    agreement = (
        Agreement.SINGLE
        if len(same) + len(listed) == 1
        else Agreement.AGREED
        if len(values) == 1
        else Agreement.DISPUTED
    )
    return {
        "id": indicator.id,
        **data,
        "measure_label": MEASURES[indicator.measure].label,
        "label": value_label(indicator),
        "year_label": year_label(indicator),
        "bound": indicator.bound.value,
        "scope_label": scope_label(indicator.scope, store),
        "agreement": agreement.value,
        "claims": [
            {
                "source_id": i.source_id or PAPER_ID,
                "value": i.value,
                "qualifier": i.qualifier.value if i.qualifier else None,
                "label": value_label(i),
                "sources": [s.model_dump(mode="json") for s in i.sources],
            }
            for i in same
        ]
        + listed,
        "sources": sources,
    }


def _sort_key(indicator: Indicator, roster: list[str]) -> tuple[int, int, int]:
    years = indicator.years
    return (
        roster.index(indicator.alliance) if indicator.alliance in roster else len(roster),
        list(Measure).index(indicator.measure),
        years[0] if years else 10_000,  # undated after dated: NATO's 12 (1949) before its 26
    )


def parse_measure(value: str | None) -> Measure | None:
    """A measure named by a query parameter or option; 422 naming ``measure`` and the allowed values."""
    if value is None or not value.strip():
        return None
    try:
        return Measure(value.strip().lower())
    except ValueError:
        allowed = ", ".join(m.value for m in Measure)
        raise BadParameter("measure", f"unknown measure {value.strip()!r}; allowed: {allowed}") from None


def indicators(store: Store, alliance: str | None = None, measure: str | Measure | None = None) -> dict[str, Any]:
    """Every indicator of the roster, or of one alliance and/or one measure.

    Ordered by alliance (roster order), measure (vocabulary order), then year. An unknown alliance
    is a 404 (``UnknownId``), an unknown measure a 422 (``BadParameter``).
    """
    if alliance is not None:
        store.alliance(alliance)
    wanted = measure if isinstance(measure, Measure) else parse_measure(measure)
    roster = list(store.alliances())
    found = [
        i
        for a in store.alliances().values()
        if alliance is None or a.id == alliance
        for i in a.indicators
        if wanted is None or i.measure is wanted
    ]
    found.sort(key=lambda i: _sort_key(i, roster))
    peers = peers_of(store)
    return {
        "alliance": alliance,
        "measure": wanted.value if wanted else None,
        "count": len(found),
        "counted_sources": list(store.counted_sources()),
        "indicators": [indicator_data(i, store, peers) for i in found],
    }


def indicator_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One CSV row per indicator: the qualifier in its own column, all quotes joined, their lines."""
    return [
        {
            **{k: v for k, v in row.items() if k not in ("sources", "claims")},
            "quote": " | ".join(s["quote"] for s in row["sources"]),
            "lines": "; ".join(str(s["line"]) for s in row["sources"] if s.get("line") is not None),
        }
        for row in result["indicators"]
    ]


def side_by_side(store: Store, alliances: Sequence[str]) -> list[dict[str, Any]]:
    """The indicators of ``alliances`` by measure: one entry per measure any of them has, each with
    the alliances' figures (a list each, possibly empty), in vocabulary order."""
    chosen = [store.alliance(a) for a in alliances]
    peers = peers_of(store)
    out = []
    for measure in Measure:
        cells = {a.id: [i for i in a.indicators if i.measure is measure] for a in chosen}
        if not any(cells.values()):
            continue
        roster = list(store.alliances())
        out.append(
            {
                "measure": measure.value,
                "label": MEASURES[measure].label,
                "unit": MEASURES[measure].unit.value,
                "by_alliance": {
                    aid: [indicator_data(i, store, peers) for i in sorted(found, key=lambda i: _sort_key(i, roster))]
                    for aid, found in cells.items()
                },
            }
        )
    return out


def cell_text(figures: list[dict[str, Any]]) -> str:
    """One alliance's figures for one measure as a table cell: ``over $600 bn, 2006 (U.S.-EU)``.

    The scope is named where it is not the alliance itself, and a scope with the paper's caveat is
    marked ``*`` (the caveat is printed under the table).
    """
    parts = []
    for f in figures:
        text = f"{f['label']}, {f['year_label']}"
        if f["scope"] != f["alliance"]:
            text += f" ({f['scope_label']}{'*' if f['scope_note'] else ''})"
        parts.append(text)
    return "; ".join(parts) or "—"
