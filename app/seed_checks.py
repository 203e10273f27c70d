"""The seeds' checks: each item against the vocabulary and the paper, then what no item can check alone.

``SeedChecks`` validates every item on its own (so one bad item does not hide the next) and checks
its quotes as written; ``cross_check`` then checks unique ids, edge endpoints and predecessors that
exist, organs and indicators whose alliance is in the roster, indicator scopes that name an organ of
their alliance, and bounds that carry their quote; ``resolve_bounds`` turns relative bounds into
years. Every problem names the file, the line and the field. Reading the files is ``app.seeds``'.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from app.dataset import Dataset
from app.paper import Paper
from app.problems import SeedProblem
from app.yaml_lines import LineList, LineMap, field_path, walk
from graph_schema.life import Life, Point, Span, StatusPeriod
from graph_schema.models import (
    Alliance,
    Cadence,
    Edge,
    Event,
    Indicator,
    LinedSource,
    Membership,
    Organ,
    RoleSpell,
    SeedIndicator,
    Source,
)

__all__ = ["SECTIONS", "SeedChecks", "raw_quotes"]

SECTIONS: dict[str, type[Alliance] | type[Organ] | type[Edge] | type[SeedIndicator]] = {
    "alliances": Alliance,
    "organs": Organ,
    "edges": Edge,
    "indicators": SeedIndicator,
}
_Item = Alliance | Organ | Edge | SeedIndicator


def raw_quotes(raw: LineMap) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The quotes of an item as written, whether or not the item is valid, with their paths.

    A quote is a bare string in a ``sources`` list, or the string value of any ``quote:`` key at any
    depth (sources, members, events, and the bounds, attested years and plans of a life).
    """

    def walk(node: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if isinstance(node, LineMap):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    yield (*loc, "quote"), value
                elif key == "sources" and isinstance(value, LineList):
                    for k, source in enumerate(value):
                        if isinstance(source, str):
                            yield (*loc, "sources", k, "quote"), source
                        else:
                            yield from walk(source, (*loc, "sources", k))
                else:
                    yield from walk(value, (*loc, key))
        elif isinstance(node, LineList):
            for i, value in enumerate(node):
                yield from walk(value, (*loc, i))

    yield from walk(raw, ())


def _time_points(model: Organ | Edge) -> Iterator[tuple[tuple[str | int, ...], Point]]:
    """Every start, end and plan of an organ's or edge's life and status periods, with its path."""
    life = model.life
    spans: list[tuple[tuple[str | int, ...], Span]] = [(("life",), life)]
    spans += [(("life", "gaps", i), gap) for i, gap in enumerate(life.gaps)]
    spans += [(("status_periods", i), period) for i, period in enumerate(model.status_periods)]
    for loc, span in spans:
        yield (*loc, "start"), span.start
        yield (*loc, "end"), span.end
    for name in ("planned_start", "planned_end"):
        planned = getattr(life, name)
        if planned is not None:
            yield ("life", name), planned


def _field_names(model: type[BaseModel]) -> list[str]:
    """The keys a seed writes for ``model``: aliases where a field has one (``from``)."""
    return [info.alias or name for name, info in model.model_fields.items()]


# Every key a seed may write, so that a model-level message ("years out of order: established 1999
# is after ended 1990") can be pinned on the key it is about.
_FIELD_NAMES: frozenset[str] = frozenset(
    name
    for model in (
        Alliance,
        Organ,
        Edge,
        Indicator,
        Source,
        LinedSource,
        Membership,
        Event,
        RoleSpell,
        Cadence,
        Life,
        StatusPeriod,
        Point,
    )
    for name in _field_names(model)
)
_FIELD_BEFORE_YEAR = re.compile(r"\b([a-z_]+) \d{4}\b")
_WORD = re.compile(r"\b[a-z_]{3,}\b")  # 3+ letters: "to" and "id" are too common as plain words


def _blamed_key(message: str, mapping: LineMap) -> str | None:
    """The key a model-level message is about, or None when it names none.

    The first field named just before a year wins ("established 1999 is after ended 1990"), else
    the first field the message names, preferring one written in the item.
    """
    for match in _FIELD_BEFORE_YEAR.finditer(message):
        if match.group(1) in _FIELD_NAMES:
            return match.group(1)
    named = [w for w in _WORD.findall(message) if w in _FIELD_NAMES]
    present = [w for w in named if w in mapping]
    return (present or named or [None])[0]


def _item_model(prefix: str) -> type[BaseModel]:
    """The model of the item a problem's field path starts with (a seed section, or a scenario)."""
    section = prefix.split("[")[0]
    if section in SECTIONS:
        return SECTIONS[section]
    from graph_schema.scenario import Scenario

    return Scenario


def _kind_of(value: Any) -> str:
    """What a YAML value is, in words (never an internal class name).

    >>> _kind_of(LineList(1)), _kind_of("x"), _kind_of(3), _kind_of(None)
    ('a list', 'text', 'a number', 'nothing (null)')
    """
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "nothing (null)"
    return "a date" if hasattr(value, "year") else "a value of another kind"


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


class SeedChecks:
    """One run of checking: the problems of every item (``load_item``), then the cross-file ones."""

    def __init__(self, paper: Paper | None) -> None:
        self.paper = paper
        self.problems: list[SeedProblem] = []
        self.dataset = Dataset()
        # (file, section, index, raw item, model) for every item that validated, in file order.
        self.items: list[tuple[str, str, int, LineMap, _Item]] = []
        # Ids of organs that failed validation: references to them are not reported again as unknown.
        self.invalid_organ_ids: set[str] = set()

    def problem(self, file: str, line: int | None, where: str, message: str) -> None:
        self.problems.append(SeedProblem(file, line, where, message))

    # ---- one file

    def load_item(self, file: str, section: str, index: int, raw: Any, line: int) -> None:
        prefix = f"{section}[{index}]"
        if not isinstance(raw, LineMap):
            self.problem(file, line, prefix, f"must be a mapping (key: value lines), not {_kind_of(raw)}")
            return
        failed: list[tuple[str | int, ...]] = []
        try:
            model = self.item_model(section, raw).model_validate(raw, context=self.context())
        except ValidationError as exc:
            if section == "organs" and isinstance(raw.get("id"), str):
                self.invalid_organ_ids.add(raw["id"])
            for error in exc.errors():
                failed.append(tuple(error["loc"]))
                self.validation_problem(file, prefix, raw, error)
        else:
            self.keep(file, section, index, raw, model)
        if self.paper is None:
            return
        # Quotes are checked as written, so an item with other faults still has its quotes checked.
        for loc, quote in raw_quotes(raw):
            self.dataset.quotes += 1
            if any(bad[: len(loc)] == loc for bad in failed):
                continue  # already reported (too short, wrong type)
            if not self.paper.contains(quote):
                where, _, _ = walk(raw, loc)
                self.problem(file, where, f"{prefix}.{field_path(loc)}", self.quote_message(quote))

    # Hooks a run over other sources than the seeds fills in (``app.source_checks``).

    def item_model(self, section: str, raw: LineMap) -> type[BaseModel]:
        """The model an item of ``section`` is validated as."""
        return SECTIONS[section]

    def context(self) -> dict[str, Any]:
        """The validation context: the year the present tense of the text read attests (``year:
        present``; the seeds write their years), none here."""
        return {}

    def keep(self, file: str, section: str, index: int, raw: LineMap, model: Any) -> None:
        """Keep an item that validated, for the checks across files."""
        self.items.append((file, section, index, raw, model))

    def text_name(self) -> str:
        """What the quotes read are checked against, in words."""
        return "the paper"

    def validation_problem(self, file: str, prefix: str, raw: LineMap, error: Any) -> None:
        loc: tuple[str | int, ...] = tuple(error["loc"])
        line, node, found = walk(raw, loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "value_error" and found and isinstance(node, LineMap):
            # A check across several fields of one model: pin it on the key the message is about.
            key = _blamed_key(message, node)
            if key is not None:
                loc = (*loc, key)
                line = node.key_lines.get(key, node.line)
        elif error["type"] == "extra_forbidden":
            message = "unknown field"
            if loc == ("members",) and prefix.startswith("alliances"):
                message += "; member counts are indicators now (an indicators list, measure: members)"
            elif len(loc) == 1:  # a field of the item itself, whose model is known
                close = difflib.get_close_matches(str(loc[0]), _field_names(_item_model(prefix)), n=1)
                message += f"; did you mean {close[0]!r}?" if close else ""
        elif error["type"] != "value_error" and _scalar(error.get("input")):
            # Our own validators name the bad value already; pydantic's built-in messages do not.
            message = f"{message} (got {error['input']!r})"
        self.problem(file, line, f"{prefix}.{field_path(loc)}" if loc else prefix, message)

    def quote_message(self, quote: str) -> str:
        shown = " ".join(quote.split())
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        message = f'not found verbatim in {self.text_name()}: "{shown}"'
        assert self.paper is not None
        agreed = self.paper.agreeing_prefix(quote)
        if len(agreed.split()) >= 3:
            tail = agreed if len(agreed) <= 40 else "…" + agreed[-40:]
            message += f' ({self.text_name()} agrees up to "{tail}")'
        return message

    # ---- across files

    def cross_check(self) -> None:
        ds = self.dataset
        first_seen: dict[tuple[str, str], tuple[str, int]] = {}
        for file, section, index, raw, model in self.items:
            assert model.id is not None  # edges derive theirs while validating
            where = f"{section}[{index}]"
            id_line = raw.key_lines.get("id", raw.line)
            kind = section[:-1]
            seen = first_seen.get((section, model.id))
            if seen is not None:
                self.problem(
                    file,
                    id_line,
                    f"{where}.id" if "id" in raw else where,
                    f"duplicate {kind} id {model.id!r}: already defined at {seen[0]}:{seen[1]}",
                )
                continue
            first_seen[(section, model.id)] = (file, id_line)
            ds.locations[model.id] = (file, raw.line)
            if isinstance(model, Alliance):
                ds.alliances[model.id] = model
                for indicator in model.indicators:  # written inside the alliance: ids shared with the list
                    first_seen.setdefault(("indicators", indicator.id), (file, raw.line))
            elif isinstance(model, Organ):
                ds.organs[model.id] = model
            elif isinstance(model, Edge):
                ds.edges[model.id] = model

        for file, section, index, raw, model in self.items:
            where = f"{section}[{index}]"
            if isinstance(model, Organ):
                if ds.alliances and model.alliance is not None and model.alliance not in ds.alliances:
                    self.problem(
                        file,
                        raw.key_lines.get("alliance", raw.line),
                        f"{where}.alliance",
                        f"alliance {model.alliance!r} is not in the roster ({', '.join(ds.alliances)})",
                    )
                for k, predecessor in enumerate(model.predecessors):
                    if predecessor not in ds.organs and predecessor not in self.invalid_organ_ids:
                        line, _, _ = walk(raw, ("predecessors", k))
                        self.problem(file, line, f"{where}.predecessors[{k}]", self.unknown_organ(predecessor))
                part = model.part_of
                if part is not None and part not in ds.organs and part not in self.invalid_organ_ids:
                    line = raw.key_lines.get("part_of", raw.line)
                    self.problem(file, line, f"{where}.part_of", self.unknown_organ(part))
            if isinstance(model, Organ | Edge):
                self.check_life(file, where, raw, model)
            if isinstance(model, Edge):
                for end in ("source", "target"):
                    organ_id = getattr(model, end)
                    if organ_id not in ds.organs and organ_id not in self.invalid_organ_ids:
                        self.problem(
                            file, raw.key_lines.get(end, raw.line), f"{where}.{end}", self.unknown_organ(organ_id)
                        )
            elif isinstance(model, SeedIndicator):
                self.check_indicator(file, where, raw, model)
        self.attach_indicators()

    def check_indicator(self, file: str, where: str, raw: LineMap, indicator: SeedIndicator) -> None:
        """Its alliance is in the roster, and a scope that names an organ names one of that alliance."""
        ds = self.dataset
        if ds.alliances and indicator.alliance not in ds.alliances:
            self.problem(
                file,
                raw.key_lines.get("alliance", raw.line),
                f"{where}.alliance",
                f"alliance {indicator.alliance!r} is not in the roster ({', '.join(ds.alliances)})",
            )
        if "." not in indicator.scope:
            return
        line = raw.key_lines.get("scope", raw.line)
        organ = ds.organs.get(indicator.scope)
        if organ is None:
            if indicator.scope not in self.invalid_organ_ids:
                self.problem(file, line, f"{where}.scope", self.unknown_organ(indicator.scope))
        elif organ.alliance != indicator.alliance:
            self.problem(
                file, line, f"{where}.scope", f"organ {organ.id!r} is not an organ of alliance {indicator.alliance!r}"
            )

    def attach_indicators(self) -> None:
        """Each indicator of the ``indicators`` lists joins its alliance's record, in file order, and
        every indicator quote gets the line of the paper where it begins."""
        ds = self.dataset
        listed: dict[str, list[Indicator]] = {}
        for _, _, _, _, model in self.items:
            if isinstance(model, SeedIndicator) and model.alliance in ds.alliances:
                listed.setdefault(model.alliance, []).append(Indicator.model_validate(model.model_dump()))
        for alliance_id, alliance in list(ds.alliances.items()):
            indicators = [*alliance.indicators, *listed.get(alliance_id, [])]
            if indicators:
                lined = [i.model_copy(update={"sources": [self.lined(s) for s in i.sources]}) for i in indicators]
                ds.alliances[alliance_id] = alliance.model_copy(update={"indicators": lined})

    def lined(self, source: LinedSource) -> LinedSource:
        line = self.paper.line_of(source.quote) if self.paper is not None else None
        return source.model_copy(update={"line": line})

    def check_life(self, file: str, where: str, raw: LineMap, model: Organ | Edge) -> None:
        """Every bound has the quote that implies it, and a relative bound names a real organ or edge
        (resolved later, in ``resolve_bounds``)."""
        for loc, point in _time_points(model):
            for name in ("not_before", "not_after"):
                bound = getattr(point, name)
                if bound is None:
                    continue
                line, _, _ = walk(raw, (*loc, name))
                if bound.quote is None:
                    self.problem(
                        file, line, f"{where}.{field_path((*loc, name))}", "a bound needs the quote that implies it"
                    )
                ref = bound.relative_to
                if ref is not None and ref not in self.dataset.organs and ref not in self.dataset.edges:
                    self.problem(
                        file, line, f"{where}.{field_path((*loc, name, 'relative_to'))}", self.unknown_organ(ref)
                    )

    def resolve_bounds(self) -> None:
        """Turn every relative bound into its year, following chains; a cycle or a referent with no
        year there is a problem. Items are validated again with their bounds resolved, so the order
        of a life's years is checked on the numbers that count."""
        ds = self.dataset
        things: dict[str, Organ | Edge] = {**ds.organs, **ds.edges}
        where_of = {model.id: (file, f"{section}[{index}]", raw) for file, section, index, raw, model in self.items}
        resolving: set[tuple[str, str]] = set()

        def anchor(ref: str, which: str, side: str) -> int | None:
            key = (ref, which)
            if key in resolving:
                raise ValueError(f"bounds relative to each other in a cycle through {ref!r}")
            resolving.add(key)
            try:
                point = getattr(things[ref].life, which)
                for name in ("not_before", "not_after"):
                    bound = getattr(point, name)
                    if bound is not None:
                        fill(bound, name)
            finally:
                resolving.discard(key)
            return point.low if side == "not_before" else point.high

        def fill(bound: Any, side: str) -> None:
            if bound.relative_to is None or bound.year is not None:
                return
            year = anchor(bound.relative_to, bound.anchor, side)
            if year is None:
                raise ValueError(f"{bound.relative_to!r} has no {bound.anchor} year to bound by")
            bound.year = year + bound.offset

        for thing_id, model in things.items():
            file, where, raw = where_of.get(thing_id, ("", "", LineMap(0)))
            for loc, point in _time_points(model):
                for name in ("not_before", "not_after"):
                    bound = getattr(point, name)
                    if bound is None or bound.relative_to is None or bound.relative_to not in things:
                        continue
                    try:
                        fill(bound, name)
                    except ValueError as err:
                        line, _, _ = walk(raw, (*loc, name))
                        self.problem(file, line, f"{where}.{field_path((*loc, name))}", str(err))
            try:
                type(model).model_validate(model.model_dump(mode="json", by_alias=True))
            except ValidationError as exc:
                for error in exc.errors():
                    self.validation_problem(file, where, raw, error)

    def unknown_organ(self, organ_id: str) -> str:
        close = difflib.get_close_matches(organ_id, list(self.dataset.organs), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        return f"unknown organ {organ_id!r}{hint}"
