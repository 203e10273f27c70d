"""Sources beside the seeds: an analyst's source folders read and checked like seeds (docs/sources.md).

A source folder holds ``source.yaml`` (its record: id, kind, title, authors, date, citation, text),
its text, and one or more claims files in the seed vocabulary (``graph_schema.sources.ClaimsFile``).
``SourceChecks`` extends the seeds' checks (``app.seed_checks``) to one run over the seeds (the
paper's claims) and every folder: each source's quotes are checked verbatim against its own text; an
id another source already has is a claim on it (``OrganClaim``, ``EdgeClaim``: its own dating and
quotes, its structural fields those of the other source, or an error naming both files); ``year:
present`` is the year of the source's date, and no text attests a year after it; ``source_id`` and
``claims`` are the loader's to write. ``build`` then stamps every part with its source, gives each
organ and edge its claims and pools them (``app.combine``). Every problem of the run, seeds and
sources together, names its file, line and field; nothing loads unless all are clean.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from app.combine import resolve_relative, with_claims
from app.config import REPO_DIR, default_paper_path, default_seeds_dir, get_settings
from app.paper import Paper
from app.problems import display_path
from app.seed_checks import SECTIONS, SeedChecks
from app.yaml_lines import LineList, LineMap, field_path, walk
from graph_schema.life import Bound, Life, StatusPeriod
from graph_schema.models import Claim, Edge, Indicator, Organ, SeedIndicator, edge_id
from graph_schema.sources import (
    EDGE_STRUCTURE,
    ORGAN_STRUCTURE,
    ClaimsFile,
    EdgeClaim,
    OrganClaim,
    SeedAbsence,
    SourceRecord,
    stamp,
)
from graph_schema.vocabulary import PAPER_ID, SourceKind

__all__ = ["CLAIM_SECTIONS", "SOURCE_RECORD", "SourceChecks", "paper_record", "source_folders"]

SOURCE_RECORD = "source.yaml"
CLAIM_SECTIONS = ("organs", "edges", "indicators", "absences")


def source_folders(root: Path) -> list[Path]:
    """The source folders of ``root``: ``root`` itself when it holds a ``source.yaml``, else each of
    its subfolders that does, by name."""
    if (root / SOURCE_RECORD).is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / SOURCE_RECORD).is_file())


@cache
def _record_at(path: Path) -> SourceRecord:
    return SourceRecord.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def paper_record(paper_path: Path | None = None) -> SourceRecord:
    """The paper's record: ``<text>.yaml`` beside its text (``seeds/source/finnegan-2009.yaml``), else
    the configured paper's (``$ALLIANCE_PAPER``, else under ``$ALLIANCE_SEEDS_DIR``:
    app.config.DATA_DIRS, as the Docker image sets them), else the repository's."""
    candidates = [
        *([paper_path.with_suffix(".yaml")] if paper_path is not None else []),
        default_paper_path(default_seeds_dir()).with_suffix(".yaml"),
        # A checkout's, when the text named has none beside it (a missing text is reported as such).
        REPO_DIR / "seeds" / "source" / f"{PAPER_ID}.yaml",
    ]
    return _record_at(next((c for c in candidates if c.is_file()), candidates[-1]))


@dataclass
class _Claimed:
    """A claim on an id another source has, as written in a claims file."""

    file: str
    where: str
    raw: LineMap
    model: OrganClaim | EdgeClaim
    source_id: str
    thing_id: str


class SourceChecks(SeedChecks):
    """One run over the seeds and the source folders; see the module docstring."""

    def __init__(self, paper: Paper | None, record: SourceRecord | None = None) -> None:
        super().__init__(paper)
        record = record or paper_record()
        self.source = record
        self.records: dict[str, SourceRecord] = {record.id: record}
        self.texts: dict[str, Paper] = {record.id: paper} if paper is not None else {}
        self.record_files: dict[str, str] = {}
        self.item_sources: dict[int, str] = {}  # id(model) of a whole organ or edge -> its source
        self.claimed: list[_Claimed] = []
        self.extras: list[tuple[str, str, LineMap, SeedIndicator | SeedAbsence, str]] = []
        # Organ and edge ids as written, with the source and the place that first wrote them.
        self.written: dict[tuple[str, str], tuple[str, str, int]] = {}

    def read_file(self, path: Path, text: str | None = None, scenario: bool = False) -> tuple[str, Any]:
        raise NotImplementedError  # the loader's (``app.seeds.SeedLoader``)

    # ---- the hooks of the seeds' checks

    def context(self) -> dict[str, Any]:
        return {"present_year": self.source.present_year}

    def text_name(self) -> str:
        return "the paper" if self.source.id == PAPER_ID else f"the text of source {self.source.id!r}"

    def item_model(self, section: str, raw: LineMap) -> type[BaseModel]:
        """Seeds: the section's model. A claims file: a claim where the id is another source's (or
        reads as a claim: an id and none of a whole item's fields), else a whole item."""
        if self.source.id == PAPER_ID:
            return super().item_model(section, raw)
        if section == "organs":
            known = ("organs", str(raw.get("id"))) in self.written
            return OrganClaim if known or not ({"name", "type"} & raw.keys()) else Organ
        if section == "edges":
            known = ("edges", self._edge_id(raw)) in self.written
            return EdgeClaim if known or ("id" in raw and "source" not in raw) else Edge
        return SeedIndicator if section == "indicators" else SeedAbsence

    def keep(self, file: str, section: str, index: int, raw: LineMap, model: Any) -> None:
        """Seeds and whole new organs and edges go to the seeds' checks; claims, and a source's
        indicators and absences, are checked across sources here."""
        where = f"{section}[{index}]"
        for key in ("claims", "source_id"):
            for loc in _keys(raw, key):
                line, _, _ = walk(raw, loc)
                self.problem(file, line, f"{where}.{field_path(loc)}", f"{key} is set by the loader; do not write it")
        self._check_present(file, where, raw, model)
        analyst = self.source.id != PAPER_ID
        if section in ("organs", "edges"):
            thing_id = str(model.id if model.id is not None else model.derived_id)
            first = self.written.get((section, thing_id))
            if analyst and first is not None and first[0] == self.source.id:
                self.problem(
                    file,
                    raw.key_lines.get("id", raw.line),
                    f"{where}.id" if "id" in raw else where,
                    f"duplicate {section[:-1]} id {thing_id!r} in this source: written before at {first[1]}:{first[2]}",
                )
                return
            if first is None:
                self.written[(section, thing_id)] = (self.source.id, file, raw.key_lines.get("id", raw.line))
            if isinstance(model, OrganClaim | EdgeClaim):
                self.claimed.append(_Claimed(file, where, raw, model, self.source.id, thing_id))
                return
            if analyst and isinstance(model, Edge) and "id" in raw and model.id != edge_id(model):
                self.problem(
                    file,
                    raw.key_lines["id"],
                    f"{where}.id",
                    f"{model.id!r} is no other source's edge, and not the id its fields make ({edge_id(model)!r})",
                )
                return
            self.item_sources[id(model)] = self.source.id
        elif analyst:
            self.extras.append((file, where, raw, model, self.source.id))
            return
        super().keep(file, section, index, raw, model)

    def _edge_id(self, raw: LineMap) -> str:
        written = raw.get("id")
        if isinstance(written, str):
            return written
        try:
            fields = {k: raw[k] for k in ("source", "target", "kind", "mode", "condition") if k in raw}
            return str(Edge.model_validate({**fields, "sources": ["(read for its id only)"]}).id)
        except (ValidationError, TypeError):
            return ""

    def _check_present(self, file: str, where: str, raw: LineMap, model: Any) -> None:
        """No text attests a year after its own date (its present tense is that year)."""
        if not self.source.is_text:
            return
        for loc, attested in _attested(model):
            if attested.last > self.source.present_year:
                line, _, _ = walk(raw, loc)
                self.problem(
                    file,
                    line,
                    f"{where}.{field_path(loc)}",
                    f"attested {attested.last} is after the date of {self.text_name()} ({self.source.date}):"
                    " a text attests no year after it was written (its present tense is its own year)",
                )

    # ---- a source folder

    def load_source(self, folder: Path) -> None:
        """Read one source folder: its record, its text, then each of its claims files."""
        file, data = self.read_file(folder / SOURCE_RECORD)
        self.dataset.files.append(file)
        if data is None:
            if not any(p.file == file for p in self.problems):
                self.problem(file, None, "", "the source record is empty")
            return
        if not isinstance(data, LineMap):
            self.problem(file, 1, "", "the source record must be a mapping (id, kind, title, authors, date, ...)")
            return
        try:
            record = SourceRecord.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                self.validation_problem(file, "source", data, error)
            return
        line = data.key_lines.get("id")
        if record.id in self.records:
            first = self.record_files.get(record.id, "the seeds")
            self.problem(file, line, "source.id", f"source id {record.id!r} is already loaded ({first})")
            return
        if record.kind is not SourceKind.ANALYST:
            self.problem(file, data.key_lines.get("kind"), "source.kind", "a source folder holds an analyst's source")
            return
        text = self._read_text(folder, record, file, data)
        self.records[record.id], self.record_files[record.id] = record, file
        if text is not None:
            self.texts[record.id] = text
        # Without its text the claims are still read, so their other problems are named in this run.
        self.source, self.paper = record, text
        files = sorted(p for p in folder.glob("*.yaml") if p.is_file() and p.name != SOURCE_RECORD)
        if not files:
            self.problem(file, None, "", f"no claims file (*.yaml beside {SOURCE_RECORD}) in {display_path(folder)}")
        for path in files:
            self.load_claims_file(path)

    def _read_text(self, folder: Path, record: SourceRecord, file: str, data: LineMap) -> Paper | None:
        name, line = record.text or "", data.key_lines.get("text")
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:
            self.problem(file, line, "source.text", f"the text {name!r} must be a file inside the source's folder")
            return None
        limit = get_settings().alliance_max_source_text_bytes
        try:
            with path.open("rb") as fh:
                raw = fh.read(limit + 1)
        except OSError as exc:
            self.problem(file, line, "source.text", f"cannot read the source's text {name!r}: {exc.strerror or exc}")
            return None
        if len(raw) > limit:
            size = path.stat().st_size
            message = f"the text is {size} bytes, over the limit of {limit} (ALLIANCE_MAX_SOURCE_TEXT_BYTES)"
            self.problem(file, line, "source.text", message)
            return None
        try:
            return Paper(raw.decode("utf-8"), path)
        except UnicodeDecodeError as exc:
            self.problem(file, line, "source.text", f"the text is not UTF-8 ({exc.reason} at byte {exc.start})")
            return None

    def load_claims_file(self, path: Path) -> None:
        """One claims file, section by section, each item as a seed item is read."""
        self.load_sections(
            path, CLAIM_SECTIONS, list(ClaimsFile.model_fields), "unknown top-level key of a claims file"
        )

    def load_sections(self, path: Path, sections: Collection[str], keys: list[str], unknown: str) -> None:
        """A seed or claims file: its top level a mapping of ``sections``, each a list of items read by
        ``load_item``; an unknown key named with the closest of ``keys``."""
        file, data = self.read_file(path)
        self.dataset.files.append(file)
        if data is None:
            return  # an empty file declares nothing
        if not isinstance(data, LineMap):
            self.problem(file, 1, "", "the top level must be a mapping with keys " + ", ".join(sections))
            return
        for key, line in data.key_lines.items():
            if key not in sections:
                close = difflib.get_close_matches(str(key), keys, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(sections)}"
                self.problem(file, line, str(key), f"{unknown}{hint}")
        for section in sections:
            items = data.get(section)
            if items is None:
                continue
            if not isinstance(items, LineList):
                self.problem(file, data.key_lines[section], section, "must be a list")
                continue
            for index, raw in enumerate(items):
                self.load_item(file, section, index, raw, items.item_lines[index])

    # ---- across sources

    def cross_check(self) -> None:
        super().cross_check()
        ds = self.dataset
        for item in self.claimed:
            organ = isinstance(item.model, OrganClaim)
            existing = (ds.organs if organ else ds.edges).get(item.thing_id)
            if existing is None:
                if item.thing_id not in self.invalid_organ_ids:
                    line = item.raw.key_lines.get("id", item.raw.line)
                    what = self.unknown_organ(item.thing_id) if organ else self.unknown_edge(item.thing_id)
                    self.problem(item.file, line, f"{item.where}.id", what)
                continue
            self._same_structure(item, existing)
            self.check_life(item.file, item.where, item.raw, item.model)  # type: ignore[arg-type]
        for file, where, raw, model, _ in self.extras:
            if isinstance(model, SeedIndicator):
                self.check_indicator(file, where, raw, model)
            elif ds.alliances and model.alliance not in ds.alliances:
                line = raw.key_lines.get("alliance", raw.line)
                self.problem(file, line, f"{where}.alliance", f"alliance {model.alliance!r} is not in the roster")

    def _same_structure(self, item: _Claimed, existing: Organ | Edge) -> None:
        """Structural fields a claim writes are those of the source that first has the id."""
        fields = ORGAN_STRUCTURE if isinstance(existing, Organ) else EDGE_STRUCTURE
        first_file, first_line = self.dataset.locations.get(item.thing_id, ("another file", 0))
        source = self.item_sources.get(id(existing), PAPER_ID)
        for name in fields:
            if name not in item.model.model_fields_set:
                continue
            written, theirs = getattr(item.model, name), getattr(existing, name)
            if written != theirs:
                self.problem(
                    item.file,
                    item.raw.key_lines.get(name, item.raw.line),
                    f"{item.where}.{name}",
                    f"{name} {_shown(written)} differs from {_shown(theirs)} in {first_file}:{first_line}"
                    f" (source {source!r}); every source gives one id the same {name}"
                    " (a different reading is a different id)",
                )

    def unknown_edge(self, edge_id: str) -> str:
        close = difflib.get_close_matches(edge_id, list(self.dataset.edges), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        return f"unknown edge {edge_id!r}{hint}"

    def resolve_bounds(self) -> None:
        """The seeds' resolution of relative bounds, then the claims' (against the life of what they
        follow; ``build`` resolves them all again against the combined lives), each claim's life
        checked again on the numbers that count."""
        super().resolve_bounds()
        things: dict[str, Organ | Edge] = {**self.dataset.organs, **self.dataset.edges}
        for item in self.claimed:
            for bound, side in _relative(item.model):
                ref = things.get(bound.relative_to or "")
                if ref is None or bound.year is not None:
                    continue
                point = getattr(ref.life, bound.anchor)
                year = point.low if side == "not_before" else point.high
                if year is None:
                    line, _, _ = walk(item.raw, ("life",))
                    message = f"{bound.relative_to!r} has no {bound.anchor} year to bound by"
                    self.problem(item.file, line, f"{item.where}.life", message)
                    continue
                bound.year = year + bound.offset
            raw_life = item.raw.get("life")
            try:
                Life.model_validate(item.model.life.model_dump(mode="json", by_alias=True))
            except ValidationError as exc:
                for error in exc.errors():
                    where = f"{item.where}.life"
                    self.validation_problem(
                        item.file, where, raw_life if isinstance(raw_life, LineMap) else item.raw, error
                    )
            for period in item.model.status_periods:
                try:
                    StatusPeriod.model_validate(period.model_dump(mode="json", by_alias=True))
                except ValidationError as exc:
                    for error in exc.errors():
                        self.validation_problem(item.file, f"{item.where}.status_periods", item.raw, error)

    # ---- the dataset

    def build(self) -> None:
        """Stamp every part with its source, give each organ and edge its claims (the first source's
        first, then the others in the order they were read), pooled as ``app.combine`` pools them,
        and attach the sources' indicators and stated absences to the roster."""
        ds = self.dataset
        for alliance in ds.alliances.values():
            stamp(alliance, PAPER_ID)
        claims: dict[str, list[Claim]] = {}
        things: dict[str, Organ | Edge] = {**ds.organs, **ds.edges}
        for thing_id, thing in things.items():
            source = self.item_sources.get(id(thing), PAPER_ID)
            stamp(thing, source)
            claims[thing_id] = [
                Claim(source_id=source, life=thing.life, status_periods=thing.status_periods, sources=thing.sources)
            ]
        for item in self.claimed:
            if item.thing_id in claims:
                stamp(item.model, item.source_id)
                model = item.model
                claims[item.thing_id].append(
                    Claim(
                        source_id=item.source_id,
                        life=model.life,
                        status_periods=model.status_periods,
                        sources=model.sources,
                        note=model.note,
                    )
                )
        resolved = resolve_relative(things, claims)
        for thing_id in ds.organs:
            ds.organs[thing_id] = with_claims(ds.organs[thing_id], resolved.get(thing_id, claims[thing_id]))
        for thing_id in ds.edges:
            ds.edges[thing_id] = with_claims(ds.edges[thing_id], resolved.get(thing_id, claims[thing_id]))
        self._attach_extras()
        ds.sources = dict(sorted(self.records.items(), key=lambda kv: (kv[0] != PAPER_ID, kv[0])))
        ds.texts = dict(self.texts)

    def _attach_extras(self) -> None:
        ds = self.dataset
        for _, _, _, model, source_id in self.extras:
            alliance = ds.alliances.get(model.alliance or "")
            if alliance is None:
                continue
            stamp(model, source_id)
            if isinstance(model, SeedIndicator):
                text = self.texts.get(source_id)
                indicator = Indicator.model_validate(model.model_dump())
                for quote in indicator.sources:
                    quote.line = text.line_of(quote.quote) if text is not None else None
                update: dict[str, Any] = {"indicators": [*alliance.indicators, indicator]}
            else:
                update = {"absences": [*alliance.absences, model]}
            ds.alliances[alliance.id] = alliance.model_copy(update=update)


def _keys(raw: Any, key: str, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Where ``key`` is written, at any depth of a raw item."""
    if isinstance(raw, LineMap):
        for k, value in raw.items():
            if k == key:
                yield (*loc, k)
            yield from _keys(value, key, (*loc, k))
    elif isinstance(raw, LineList):
        for i, value in enumerate(raw):
            yield from _keys(value, key, (*loc, i))


def _attested(model: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every attested year of an item's life and status periods, with its path."""
    life = getattr(model, "life", None)
    if not isinstance(life, Life):
        return
    for i, attested in enumerate(life.attested):
        yield ("life", "attested", i), attested
    for k, period in enumerate(getattr(model, "status_periods", [])):
        for i, attested in enumerate(period.attested):
            yield ("status_periods", k, "attested", i), attested


def _relative(model: OrganClaim | EdgeClaim) -> Iterator[tuple[Bound, str]]:
    """Every relative bound of a claim, with the side it bounds."""
    for span in (model.life, *model.life.gaps, *model.status_periods):
        for point in (span.start, span.end):
            for side in ("not_before", "not_after"):
                bound = getattr(point, side)
                if bound is not None and bound.relative_to is not None:
                    yield bound, side


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, BaseModel):
        return repr(value.model_dump(mode="json", exclude_none=True))
    return repr(getattr(value, "value", value))


assert set(SECTIONS) >= {"organs", "edges", "indicators"}  # the sections a claims file shares with the seeds
