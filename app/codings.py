"""Read a dataset source that codes the roster's treaties (ATOP 5.1) into claims of its alliances.

A coding source is a folder under ``seeds/source/`` holding ``source.yaml`` (its record:
``graph_schema.sources.SourceRecord``, kind ``dataset``, with its coverage and files) and the two
files its record names, kept as the dataset's maintainers extracted them:

- ``alliance_phases.csv``: one row per treaty phase (``atopid``, ``atopidphase``, ``roster_id``,
  ``begin``, ``end``, ``in_effect_2018`` and the coded variables of
  ``graph_schema.codings.PHASE_VARIABLES``);
- ``members.csv``: one row per member and phase (``atopid``, ``phase``, ``roster_id``, ``cow_code``,
  ``member``, ``entered``, ``left`` and the member's own obligations, ``MEMBER_VARIABLES``).

Each row becomes a ``TreatyPhase`` (with its ``MemberSpell``s) whose every value has its meaning in
words and its ``Locator`` (file, record, variable). A phase with a ``roster_id`` is a claim of the
source about that alliance; a phase without one is **context** shown with the roster alliance that
another phase of the same dataset alliance is about (the Manila Pact's SEATO phase beside
U.S.-Thailand), never a claim about it.

Everything is checked, every problem in one run with file, line and field (``SeedProblem``); the
seed loader (``app.seeds.load_seeds``) calls ``load_codings`` and adds them to its own, so a bad
dataset leaves the store as it was. ``source.yaml`` is read as the seeds are (``read_yaml``: size
cap, alias guard, lines).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from app.config import get_settings
from app.dataset import Dataset
from app.problems import SeedError, SeedProblem, display_path
from app.yaml_lines import read_yaml
from graph_schema.codings import MEMBER_VARIABLES, PHASE_VARIABLES, CodedValue, MemberSpell, TreatyPhase, Variable
from graph_schema.locator import Locator
from graph_schema.models import Alliance
from graph_schema.sources import SourceRecord
from graph_schema.vocabulary import PAPER_ID, SourceKind

RECORD = "source.yaml"
PHASES_FILE = "alliance_phases.csv"
MEMBERS_FILE = "members.csv"
PHASE_KEYS = ("atopid", "atopidphase", "roster_id", "begin", "end", "in_effect_2018")
MEMBER_KEYS = ("atopid", "phase", "roster_id", "cow_code", "member", "entered", "left")
MAX_CSV_BYTES = 2_000_000


@dataclass
class CodingSource:
    """A coding source as read: its record and its phases (claims and context), in file order."""

    record: SourceRecord
    folder: Path
    phases: list[TreatyPhase] = field(default_factory=list)


class _Run:
    """One read of a folder: the problems found so far, and where each file is shown from."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[SeedProblem] = []

    def problem(self, name: str, line: int | None, where: str, message: str) -> None:
        self.problems.append(SeedProblem(display_path(self.folder / name), line, where, message))


def short_label(title: str, source_id: str) -> str:
    """A dataset's short name: the acronym its title gives in parentheses ("ATOP"), else its id.

    >>> short_label("Alliance Treaty Obligations and Provisions (ATOP), version 5.1", "atop-5.1")
    'ATOP'
    """
    found = re.search(r"\(([A-Z][A-Z0-9]{1,9})\)", title)
    return found.group(1) if found else source_id


def coding_folders(source_dir: Path) -> list[Path]:
    """The folders under ``source_dir`` holding a ``source.yaml``, sorted."""
    if not source_dir.is_dir():
        return []
    return sorted(p for p in source_dir.iterdir() if p.is_dir() and (p / RECORD).is_file())


def load_codings(
    source_dir: Path, alliances: Mapping[str, Alliance], locations: Mapping[str, tuple[str, int]]
) -> tuple[dict[str, Alliance], dict[str, SourceRecord], list[SeedProblem]]:
    """The alliances with the phases of every coding source under ``source_dir`` attached
    (``attach_codings``), the sources' records by id, and every problem found; codings a seed wrote
    itself are refused (``locations``: where each alliance is written)."""
    problems: list[SeedProblem] = []
    for alliance_id, alliance in alliances.items():
        if alliance.codings:
            file, line = locations.get(alliance_id, ("", 0))
            problems.append(
                SeedProblem(file, line or None, "codings", "codings come from a dataset source, not a seed")
            )
    sources = []
    for folder in coding_folders(source_dir):
        source, found = read_coding_source(folder, alliances)
        problems += found
        if source is not None:
            sources.append(source)
    return attach_codings(alliances, sources), {s.record.id: s.record for s in sources}, problems


def add_coding_sources(dataset: Dataset, records: Mapping[str, SourceRecord]) -> None:
    """Register the coding sources' records among the dataset's sources (the paper first, then by id),
    so that they are listed, stored (a ``:Source`` node in Neo4j) and counted like any source."""
    merged = {**dataset.sources, **records}
    dataset.sources = dict(sorted(merged.items(), key=lambda kv: (kv[0] != PAPER_ID, kv[0])))


def read_coding_source(folder: Path, roster: Iterable[str]) -> tuple[CodingSource | None, list[SeedProblem]]:
    """The coding source in ``folder`` and every problem found (a source only when there are none);
    ``roster`` is the alliance ids a ``roster_id`` may name."""
    run = _Run(folder)
    record = _record(run)
    if record is None:
        return None, run.problems
    roster_ids = set(roster)
    texts = {name: _text(run, name) for name in (PHASES_FILE, MEMBERS_FILE)}
    for name in record.files:
        if name not in texts:
            run.problem(
                RECORD, None, "files", f"{name!r} is not a file this reader knows ({PHASES_FILE}, {MEMBERS_FILE})"
            )
    for name in texts:
        if name not in record.files:
            run.problem(RECORD, None, "files", f"the record does not name {name!r}; list every file its values are in")
    if any(t is None for t in texts.values()):
        return None, run.problems
    phases = _phases(run, record, texts[PHASES_FILE] or "", roster_ids)
    _members(run, record, texts[MEMBERS_FILE] or "", phases)
    _context(run, phases)
    if run.problems:
        return None, run.problems
    return CodingSource(record, folder, list(phases.values())), []


def attach_codings(alliances: Mapping[str, Alliance], sources: Iterable[CodingSource]) -> dict[str, Alliance]:
    """The alliances with the phases of ``sources`` that are claims about them or context shown
    with them (``Alliance.codings``), in source and file order; the others unchanged."""
    by_alliance: dict[str, list[TreatyPhase]] = {}
    for source in sources:
        for phase in source.phases:
            owner = phase.alliance or phase.context_for
            if owner is not None:
                by_alliance.setdefault(owner, []).append(phase)
    return {
        aid: a.model_copy(update={"codings": [*a.codings, *by_alliance[aid]]}) if aid in by_alliance else a
        for aid, a in alliances.items()
    }


# ------------------------------------------------------------------------------------ the record


def _record(run: _Run) -> SourceRecord | None:
    try:
        raw = read_yaml(run.folder / RECORD, get_settings().alliance_max_seed_bytes, "source record")
    except SeedError as exc:  # names the file and line already
        run.problems.extend(exc.problems)
        return None
    if not isinstance(raw, dict):
        run.problem(RECORD, 1, "", "a source record is a mapping (id, kind, title, ...)")
        return None
    for key, first, again in getattr(raw, "duplicates", []):
        run.problem(RECORD, again, str(key), f"given twice (first on line {first})")
    try:
        record = SourceRecord.model_validate(dict(raw))
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else ""
            line = getattr(raw, "key_lines", {}).get(key, getattr(raw, "line", None))
            run.problem(RECORD, line, ".".join(str(p) for p in error["loc"]), error["msg"])
        return None
    if record.kind is not SourceKind.DATASET:
        run.problem(RECORD, None, "kind", f"a coding source is a dataset, not {record.kind.value!r}")
        return None
    if record.id != run.folder.name:
        run.problem(RECORD, None, "id", f"the id {record.id!r} is not its folder's name {run.folder.name!r}")
    return record


def _text(run: _Run, name: str) -> str | None:
    path = run.folder / name
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        run.problem(name, None, "", f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(raw) > MAX_CSV_BYTES:
        run.problem(name, None, "", f"the file is over the limit of {MAX_CSV_BYTES} bytes")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        run.problem(name, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None


def _rows(
    run: _Run, name: str, text: str, keys: tuple[str, ...], variables: tuple[Variable, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each data row of a CSV file whose header has ``keys`` and the variables."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    wanted = [*keys, *(v.name for v in variables)]
    missing = [k for k in wanted if k not in header]
    extra = [k for k in header if k not in wanted]
    if missing or extra:
        said = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if part
        )
        run.problem(name, 1, "header", f"the columns are not {', '.join(wanted)} ({said})")
        return
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            run.problem(name, reader.line_num, "", f"the row has {len(header)} columns in the header, not as many here")
            continue
        yield reader.line_num, row


def _int(run: _Run, name: str, line: int, row: Mapping[str, str], key: str) -> int | None:
    text = row[key].strip()
    try:
        return int(text)
    except ValueError:
        run.problem(name, line, key, f"{text!r} is not a whole number")
        return None


def _date(run: _Run, name: str, line: int, row: Mapping[str, str], key: str, blank: bool) -> dt.date | None:
    text = row[key].strip()
    if not text:
        if not blank:
            run.problem(name, line, key, "a date is required here (YYYY-MM-DD)")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        run.problem(name, line, key, f"{text!r} is not a date (YYYY-MM-DD)")
        return None


def _values(
    run: _Run, name: str, line: int, row: Mapping[str, str], variables: tuple[Variable, ...], record: str, source: str
) -> list[CodedValue]:
    out = []
    for variable in variables:
        value = _int(run, name, line, row, variable.name)
        if value is None:
            continue
        words = variable.meaning(value)
        if words is None:
            allowed = ", ".join(str(v) for v in sorted(variable.values))
            run.problem(name, line, variable.name, f"{variable.name} takes {allowed}, not {value}")
            continue
        out.append(
            CodedValue(
                variable=variable.name,
                value=value,
                codes=variable.codes,
                meaning=words,
                locator=Locator(file=name, record=record, variable=variable.name, source_id=source),
            )
        )
    return out


# ------------------------------------------------------------------------------------ phases and members


def _phases(run: _Run, record: SourceRecord, text: str, roster: set[str]) -> dict[tuple[str, int], TreatyPhase]:
    name = PHASES_FILE
    coverage_last = record.coverage.last if record.coverage is not None else None
    phases: dict[tuple[str, int], TreatyPhase] = {}
    for line, row in _rows(run, name, text, PHASE_KEYS, PHASE_VARIABLES):
        atopid, key = row["atopid"].strip(), row["atopidphase"].strip()
        if not atopid.isdigit():
            run.problem(name, line, "atopid", f"{atopid!r} is not a dataset alliance id (digits)")
            continue
        phase = _phase_number(atopid, key)
        if phase is None:
            run.problem(name, line, "atopidphase", f"{key!r} is neither {atopid} nor {atopid}.N")
            continue
        if (atopid, phase) in phases:
            run.problem(name, line, "atopidphase", f"phase {key} is given twice")
            continue
        roster_id = row["roster_id"].strip() or None
        if roster_id is not None and roster_id not in roster:
            run.problem(
                name, line, "roster_id", f"{roster_id!r} is not a roster alliance ({', '.join(sorted(roster))})"
            )
            continue
        begin = _date(run, name, line, row, "begin", blank=False)
        end = _date(run, name, line, row, "end", blank=True)
        flag = row["in_effect_2018"].strip()
        if begin is None or (row["end"].strip() and end is None):
            continue
        if end is not None and end <= begin:
            run.problem(name, line, "end", f"the phase ends ({end}) before it begins ({begin})")
            continue
        if flag not in ("0", "1"):
            run.problem(name, line, "in_effect_2018", f"{flag!r} is neither 1 nor 0")
            continue
        if (flag == "1") != (end is None):
            run.problem(name, line, "in_effect_2018", f"{flag} contradicts the end {end or '(blank: not ended)'}")
            continue
        if coverage_last is not None and begin.year > coverage_last:
            run.problem(name, line, "begin", f"{begin} is after the source's coverage (to {coverage_last})")
            continue
        where = f"atopid {atopid}, phase {key}"
        values = _values(run, name, line, row, PHASE_VARIABLES, where, record.id)
        if len(values) != len(PHASE_VARIABLES):
            continue
        phases[(atopid, phase)] = TreatyPhase(
            source_id=record.id,
            source_label=short_label(record.title, record.id),
            alliance=roster_id,
            dataset_id=atopid,
            phase=phase,
            record=key,
            begin=begin,
            end=end,
            values=values,
            locator=Locator(file=name, record=where, variable="begin, end", source_id=record.id),
            coverage_first=record.coverage.first if record.coverage is not None else None,
            coverage_last=coverage_last,
        )
    return phases


def _phase_number(atopid: str, key: str) -> int | None:
    if key == atopid:
        return 0
    head, _, tail = key.partition(".")
    return int(tail) if head == atopid and tail.isdigit() and int(tail) > 0 else None


def _members(run: _Run, record: SourceRecord, text: str, phases: dict[tuple[str, int], TreatyPhase]) -> None:
    name = MEMBERS_FILE
    seen: set[tuple[str, int, int]] = set()
    for line, row in _rows(run, name, text, MEMBER_KEYS, MEMBER_VARIABLES):
        atopid = row["atopid"].strip()
        number = _int(run, name, line, row, "phase")
        code = _int(run, name, line, row, "cow_code")
        if number is None or code is None:
            continue
        phase = phases.get((atopid, number))
        if phase is None:
            run.problem(name, line, "phase", f"no phase {number} of atopid {atopid!r} in {PHASES_FILE}")
            continue
        roster_id = row["roster_id"].strip() or None
        if roster_id != phase.alliance:
            run.problem(
                name, line, "roster_id", f"{roster_id or '(blank)'} is not its phase's ({phase.alliance or '(blank)'})"
            )
            continue
        if (atopid, number, code) in seen:
            run.problem(name, line, "cow_code", f"state {code} is a member of phase {phase.record} twice")
            continue
        seen.add((atopid, number, code))
        member = row["member"].strip()
        if not member:
            run.problem(name, line, "member", "the member's name is blank")
            continue
        entered = _date(run, name, line, row, "entered", blank=False)
        left = _date(run, name, line, row, "left", blank=True)
        if entered is None or (row["left"].strip() and left is None):
            continue
        if entered < phase.begin or (phase.end is not None and entered >= phase.end):
            run.problem(
                name, line, "entered", f"{entered} is outside its phase ({phase.begin} to {phase.end or 'open'})"
            )
            continue
        if left is not None and (left <= entered or (phase.end is not None and left > phase.end)):
            run.problem(name, line, "left", f"{left} is not after {entered} within its phase")
            continue
        if left is None and phase.end is not None:
            run.problem(name, line, "left", f"blank (not left), but its phase ends on {phase.end}")
            continue
        where = f"atopid {atopid}, phase {number}, cow_code {code} ({member})"
        obligations = _values(run, name, line, row, MEMBER_VARIABLES, where, record.id)
        if len(obligations) != len(MEMBER_VARIABLES):
            continue
        phase.members.append(
            MemberSpell(
                member=member,
                cow_code=code,
                entered=entered,
                left=left,
                obligations=obligations,
                locator=Locator(file=name, record=where, variable="entered, left", source_id=record.id),
            )
        )


def _context(run: _Run, phases: dict[tuple[str, int], TreatyPhase]) -> None:
    """A phase no roster alliance claims is context for the alliance another phase of the same
    dataset alliance is about (one such alliance, or the phase is refused)."""
    for (atopid, _), phase in phases.items():
        if phase.alliance is not None:
            continue
        owners = sorted({p.alliance for (a, _), p in phases.items() if a == atopid and p.alliance is not None})
        if len(owners) != 1:
            which = ", ".join(owners) if owners else "none"
            run.problem(
                PHASES_FILE,
                None,
                "roster_id",
                f"phase {phase.record} is blank, and the roster alliances of atopid {atopid}'s other phases are {which}"
                " (a blank phase is context for exactly one)",
            )
            continue
        phase.context_for = owners[0]
        claimed = next(p for (a, _), p in phases.items() if a == atopid and p.alliance == owners[0])
        phase.note = (
            f"Context only: phase {phase.record} ({len(phase.members)} members over its life) is not the roster's "
            f"{owners[0]}; the source's phase {claimed.record} is. Shown with it, never a claim about it."
        )
