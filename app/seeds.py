"""Load the seed files under seeds/, check them against the vocabulary and the paper, and report every problem.

``load_seeds()`` reads every ``*.yaml`` file of the seeds directory, validates each alliance, organ,
edge and indicator on its own (so one bad item does not hide the next), then checks what no single
item can check alone: unique ids, edge endpoints and predecessors that exist, organs and indicators
whose alliance is in the roster, indicator scopes that name an organ of their alliance, and quotes
that are really in the paper. Each indicator joins its alliance's record, its quotes with their
lines. It raises ``SeedError`` carrying *all* the problems of the run, each naming the file, the line
and the field, or returns a ``Dataset``.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import BaseModel, ValidationError

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
    SeedFile,
    SeedIndicator,
    Source,
)

__all__ = [
    "Dataset",
    "Paper",
    "SeedError",
    "SeedProblem",
    "default_paper_path",
    "default_seeds_dir",
    "load_seeds",
    "read_yaml",
    "validate_report",
]

REPO_DIR = Path(__file__).resolve().parent.parent
PAPER_NAME = "finnegan-2009.txt"
SEEDS_ENV = "ALLIANCE_SEEDS_DIR"
PAPER_ENV = "ALLIANCE_PAPER"
NATIONAL = "national"

_SECTIONS: dict[str, type[Alliance] | type[Organ] | type[Edge] | type[SeedIndicator]] = {
    "alliances": Alliance,
    "organs": Organ,
    "edges": Edge,
    "indicators": SeedIndicator,
}
_Item = Alliance | Organ | Edge | SeedIndicator

Loc = Sequence[str | int]


# --------------------------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong with the seeds, located as precisely as the file allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        # File-level problems (unreadable file, malformed YAML) have no field to name.
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SeedError(Exception):
    """The seeds (or a scenario file: ``kind``) are not valid; ``problems`` lists every problem found in the run."""

    def __init__(self, problems: Sequence[SeedProblem], kind: str = "seeds") -> None:
        self.problems: list[SeedProblem] = list(problems)
        self.kind = kind  # "seeds", or "scenario" for an analyst's scenario file
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        """One line saying what is invalid and what to do (each problem is a line of its own).

        >>> SeedError([SeedProblem("s.yaml", 3, "scenario.id", "bad")], kind="scenario").summary()
        'the scenario file s.yaml is invalid (1 problem(s), each on a line above)'
        """
        count = len(self.problems)
        if self.kind == "scenario":
            files = ", ".join(sorted({p.file for p in self.problems}))
            return f"the scenario file {files} is invalid ({count} problem(s), each on a line above)"
        return f"the seeds are invalid ({count} problem(s)); run 'alliances validate'"


# --------------------------------------------------------------------------------------------- the paper


_WHITESPACE = re.compile(r"\s+")


class Paper:
    """The text of the paper, normalised once so that quotes can be looked up verbatim and fast.

    Matching is verbatim and case-sensitive, with three things treated as formatting rather than
    text, on both the paper's side and the quote's side:

    - whitespace: every run of whitespace (line breaks included) counts as one space, and leading or
      trailing whitespace is ignored, so a quote may be wrapped differently from the paper;
    - markdown emphasis: the paper was converted to markdown, so ``*after*`` and ``**CENTER**`` read
      as ``after`` and ``CENTER``; every ``*`` is dropped;
    - the backslash that escapes a dollar sign in markdown: ``\\$600 billion`` reads as ``$600 billion``.
    """

    _cache: ClassVar[dict[tuple[str, int, int], Paper]] = {}

    def __init__(self, text: str, path: Path | None = None) -> None:
        self.path = path
        self.text = text
        self._normalised = self.normalise(text)
        self._line_starts: list[int] | None = None
        self._line_numbers: list[int] = []

    @classmethod
    def from_file(cls, path: Path) -> Paper:
        """Read the paper at ``path``; a file already read and unchanged since is not read again."""
        resolved = path.resolve()
        stat = resolved.stat()
        key = (str(resolved), stat.st_mtime_ns, stat.st_size)
        paper = cls._cache.get(key)
        if paper is None:
            paper = cls(resolved.read_text(encoding="utf-8"), path)
            cls._cache[key] = paper
        return paper

    @staticmethod
    def normalise(text: str) -> str:
        """The text as compared: emphasis and ``\\$`` escapes removed, whitespace collapsed."""
        text = text.replace("*", "").replace("\\$", "$")
        return _WHITESPACE.sub(" ", text).strip()

    def contains(self, quote: str) -> bool:
        """Whether ``quote`` is in the paper, verbatim up to whitespace and markdown formatting."""
        wanted = self.normalise(quote)
        return bool(wanted) and wanted in self._normalised

    def line_of(self, quote: str) -> int | None:
        """The line of the paper's text (1-based) where ``quote`` first begins, or None if absent."""
        wanted = self.normalise(quote)
        at = self._normalised.find(wanted) if wanted else -1
        if at < 0:
            return None
        if self._line_starts is None:
            # Normalising line by line and joining with one space gives the normalised text again,
            # so each non-blank line's offset in it is known.
            starts, numbers, offset = [], [], 0
            for number, line in enumerate(self.text.splitlines(), start=1):
                piece = self.normalise(line)
                if piece:
                    starts.append(offset)
                    numbers.append(number)
                    offset += len(piece) + 1
            self._line_starts, self._line_numbers = starts, numbers
        return self._line_numbers[bisect.bisect_right(self._line_starts, at) - 1]

    def agreeing_prefix(self, quote: str) -> str:
        """The longest run of whole words at the start of ``quote`` that the paper contains."""
        words = self.normalise(quote).split(" ")
        # Containment of a prefix is monotonic in its length, so a binary search finds the longest.
        low, high = 0, len(words)
        while low < high:
            mid = (low + high + 1) // 2
            if " ".join(words[:mid]) in self._normalised:
                low = mid
            else:
                high = mid - 1
        return " ".join(words[:low])


# --------------------------------------------------------------------------------------------- YAML with lines


class _LineMap(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int, int]] = []  # (key, first line, repeated line)


class _LineList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Lines:
    """The constructor part of the loaders below: mappings as ``_LineMap`` with every key's line."""

    flatten_mapping: Any
    construct_object: Any

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # resolve '<<' merge keys as SafeLoader does
        mapping = _LineMap(node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                ) from None
            line = key_node.start_mark.line + 1
            if key in mapping:
                # PyYAML keeps the last value silently; a repeated key in a seed is nearly always a slip.
                mapping.duplicates.append((key, mapping.key_lines[key], line))
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines[key] = line
        return mapping


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """An integer as SafeLoader reads it; one too long for Python to read (``sys.get_int_max_str_digits``)
    is refused at its place instead of stopping the whole run with a bare ``ValueError``."""
    try:
        value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:
        digits = sum(c.isdigit() for c in str(node.value))
        mark = node.start_mark
        raise YamlRefused(
            mark.line + 1,
            f"a number of {digits} digits, longer than any value here can be (at most {sys.get_int_max_str_digits()})",
            mark.column + 1,
        ) from None
    return value


def _construct_map(loader: Any, node: yaml.MappingNode) -> _LineMap:
    mapping = loader.construct_mapping(node)
    assert isinstance(mapping, _LineMap)
    return mapping


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> _LineList:
    seq = _LineList(node.start_mark.line + 1)
    for item in node.value:
        seq.append(loader.construct_object(item))
        seq.item_lines.append(item.start_mark.line + 1)
    return seq


class _LineLoader(_Lines, yaml.SafeLoader):
    """SafeLoader that builds ``_LineMap``/``_LineList`` so errors can be traced back to lines.

    It stays a SafeLoader: a tag such as ``!!python/object/apply:...`` has no constructor here and
    fails with a ``ConstructorError`` that carries its position; nothing is ever executed.
    """


_LOADERS: list[Any] = [_LineLoader]
if getattr(yaml, "__with_libyaml__", False):

    class _FastLineLoader(_Lines, yaml.CSafeLoader):
        """The same on libyaml's parser (PyYAML's wheels bundle it): about ten times faster, and it
        refuses nesting deeper than libyaml's limit instead of recursing."""

    _LOADERS.insert(0, _FastLineLoader)

for _loader in _LOADERS:
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


DEFAULT_MAX_ALIAS_NODES = 100_000


class YamlRefused(Exception):
    """YAML that is well-formed but refused before it is built (an alias bomb, a recursive alias)."""

    def __init__(self, line: int | None, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.line, self.message, self.column = line, message, column


def _children(node: yaml.Node) -> Iterator[tuple[yaml.Node, int]]:
    """The child nodes of a composed node, each with the line it is used on (1-based)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            line = key.start_mark.line + 1
            yield key, line
            yield value, line
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield item, node.start_mark.line + 1


def check_expansion(root: yaml.Node, max_alias_nodes: int) -> int:
    """The number of nodes ``root`` expands to (alias repeats counted), refused above a bound.

    One walk over the composed node graph, each node visited once: a node seen before is an alias,
    and its expanded size, memoised, is added without expanding it. Refuses (``YamlRefused``, with
    the line of the costliest alias) when aliases add more than ``max_alias_nodes`` nodes to those
    written, or when an alias refers to a node that contains it. Iterative, so depth cannot
    exhaust the stack.

    >>> node = yaml.compose("a: &x [1, 2, 3]\\nb: *x\\nc: *x")
    >>> check_expansion(node, 10)
    16
    >>> try:
    ...     check_expansion(node, 5)
    ... except YamlRefused as err:
    ...     print(err.line, err.message[:60])
    2 YAML aliases expand this file to 16 nodes, 8 more than the 8
    """
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    worst: tuple[int, int | None] = (0, None)  # (nodes an alias repeats, the line it is used on)
    stack: list[tuple[yaml.Node, Iterator[tuple[yaml.Node, int]], int]] = [(root, _children(root), 1)]
    open_nodes.add(id(root))
    while stack:
        node, children, total = stack[-1]
        descended = False
        for child, line in children:
            key = id(child)
            if key in size:  # a node already counted: an alias repeating it
                total += size[key]
                if size[key] > worst[0]:
                    worst = (size[key], line)
                continue
            if key in open_nodes:
                raise YamlRefused(line, "a YAML alias refers to a node that contains it (a recursive structure)")
            if isinstance(child, yaml.ScalarNode):
                size[key] = 1
                total += 1
                continue
            stack[-1] = (node, children, total)
            open_nodes.add(key)
            stack.append((child, _children(child), 1))
            descended = True
            break
        if descended:
            continue
        stack.pop()
        open_nodes.discard(id(node))
        size[id(node)] = total
        if stack:
            parent, rest, running = stack[-1]
            stack[-1] = (parent, rest, running + total)
    expanded, written = size[id(root)], len(size)
    if expanded - written > max_alias_nodes:
        raise YamlRefused(
            worst[1],
            f"YAML aliases expand this file to {expanded} nodes, {expanded - written} more than the {written} written"
            f" (at most {max_alias_nodes} allowed): an alias bomb? Write the values out instead",
        )
    return expanded


def _parse_yaml(text: str, max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES) -> Any:
    """The data of one YAML document, built only after its alias expansion was counted and allowed."""
    loader = _LOADERS[0](text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            check_expansion(node, max_alias_nodes)
            return loader.construct_document(node)
        except RecursionError:
            raise YamlRefused(None, "the YAML is nested too deeply") from None
    finally:
        loader.dispose()


def read_yaml(
    path: Path,
    max_bytes: int,
    what: str = "seed file",
    setting: str = "ALLIANCE_MAX_SEED_BYTES",
    text: str | None = None,
) -> Any:
    """Read one YAML file (a seed file, a scenario file) safely, or raise ``SeedError`` naming file and line.

    Every YAML file the explorer reads goes through here: the size is checked before anything is
    read (at most ``max_bytes``, the ``setting`` named in the error), the document is composed and
    its alias expansion counted before any object is built (``check_expansion``), and it is built
    by a SafeLoader that remembers lines (``_LineMap``, ``_LineList``). The result is plain data.
    """
    from app.config import get_settings
    from app.yaml_fields import field_at

    file = _display(path)
    kind = "scenario" if what == "scenario file" else "seeds"
    shown = ""  # the text as far as it can be read, to name the field of a problem

    def refuse(line: int | None, message: str, column: int | None = None) -> SeedError:
        # The field as the file's other problems name it (a scenario's fields under "scenario.").
        where = field_at(shown, line, column) if shown and line is not None else ""
        named = f"scenario.{where}" if kind == "scenario" and where else where
        return SeedError([SeedProblem(file, line, named, message)], kind=kind)

    try:
        if text is not None:  # text sent for it (a scenario in a request), read the same way
            raw = text.encode("utf-8")
        else:
            with path.open("rb") as fh:
                raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise refuse(None, f"cannot read the file: {exc}") from None
    if len(raw) > max_bytes:
        try:
            total = f"{path.stat().st_size} bytes"
        except OSError:
            total = "too large"
        raise refuse(None, f"the {what} is {total}, over the limit of {max_bytes} bytes ({setting})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = raw.decode("utf-8", "replace")
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        bad = raw[exc.start : exc.end].hex(" ")
        raise refuse(
            line, f"cannot read the file: not UTF-8 text (byte {bad} at column {column}: {exc.reason})", column
        ) from None
    shown = text
    try:
        return _parse_yaml(text, get_settings().alliance_yaml_max_alias_nodes)
    except YamlRefused as exc:
        raise refuse(exc.line, f"refused YAML: {exc.message}", exc.column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(s) for s in (exc.context, exc.problem) if s)
        if isinstance(exc, yaml.constructor.ConstructorError):
            # Well-formed YAML asking for something plain data cannot be, e.g. a python/object tag.
            kind_of = "unsupported YAML (plain data only; tags are never executed)"
        else:
            kind_of = "malformed YAML"
        if mark is None:
            raise refuse(None, f"{kind_of}: {detail}") from None
        begun = exc.context_mark if exc.problem_mark is not None else None
        if begun is not None and begun.line != mark.line:
            detail += f" (begun on line {begun.line + 1})"
        raise refuse(mark.line + 1, f"{kind_of} at column {mark.column + 1}: {detail}", mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise refuse(None, f"malformed YAML: {exc}") from None


def _walk(root: Any, loc: Loc) -> tuple[int | None, Any, bool]:
    """Follow a pydantic ``loc`` into the parsed YAML; give the line, the node reached, and whether all was found.

    The line is that of the deepest key or item found; when a key is missing, that of the mapping
    lacking it.
    """
    node = root
    line: int | None = getattr(root, "line", None)
    for part in loc:
        if isinstance(node, _LineMap):
            if part not in node:
                return node.line, node, False
            line = node.key_lines[part]
            node = node[part]
        elif isinstance(node, _LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            return line, node, False
    return line, node, True


def _path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _duplicate_keys(root: Any) -> Iterator[tuple[tuple[str | int, ...], int, int]]:
    """Every repeated key of the parsed YAML, with its path; each mapping is visited once, even when
    aliases share it (at the path where it is first met)."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if not isinstance(node, _LineMap | _LineList) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, _LineMap):
            for key, first, again in node.duplicates:
                yield (*loc, str(key)), first, again
            children: list[tuple[Any, tuple[str | int, ...]]] = [(v, (*loc, str(k))) for k, v in node.items()]
        else:
            children = [(v, (*loc, i)) for i, v in enumerate(node)]
        stack.extend(reversed(children))


# --------------------------------------------------------------------------------------------- the dataset


def _raw_quotes(raw: _LineMap) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The quotes of an item as written, whether or not the item is valid, with their paths.

    A quote is a bare string in a ``sources`` list, or the string value of any ``quote:`` key at any
    depth (sources, members, events, and the bounds, attested years and plans of a life).
    """

    def walk(node: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if isinstance(node, _LineMap):
            for key, value in node.items():
                if key == "quote" and isinstance(value, str):
                    yield (*loc, "quote"), value
                elif key == "sources" and isinstance(value, _LineList):
                    for k, source in enumerate(value):
                        if isinstance(source, str):
                            yield (*loc, "sources", k, "quote"), source
                        else:
                            yield from walk(source, (*loc, "sources", k))
                else:
                    yield from walk(value, (*loc, key))
        elif isinstance(node, _LineList):
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


@dataclass
class Dataset:
    """The validated seeds: alliances, organs and edges by id, and where each was defined."""

    alliances: dict[str, Alliance] = field(default_factory=dict)
    organs: dict[str, Organ] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    quotes: int = 0

    @property
    def quote_count(self) -> int:
        """The number of source quotes over all alliances (with members and events), organs and edges."""
        return self.quotes

    @property
    def indicator_count(self) -> int:
        """The number of indicators over all alliances."""
        return sum(len(a.indicators) for a in self.alliances.values())

    def edge_alliance(self, edge: Edge) -> str:
        """The alliance an edge is counted under: its source's, or its target's if the source is national."""
        for end in (edge.source, edge.target):
            organ = self.organs.get(end)
            if organ is not None and organ.alliance is not None:
                return organ.alliance
        return NATIONAL

    def counts_by_alliance(self) -> dict[str, dict[str, int]]:
        """Organs and edges per alliance id (roster order first), national ones under ``"national"``."""
        counts: dict[str, dict[str, int]] = {aid: {"organs": 0, "edges": 0} for aid in self.alliances}
        for organ in self.organs.values():
            counts.setdefault(organ.alliance or NATIONAL, {"organs": 0, "edges": 0})["organs"] += 1
        for edge in self.edges.values():
            counts.setdefault(self.edge_alliance(edge), {"organs": 0, "edges": 0})["edges"] += 1
        if NATIONAL in counts:  # national last, after every alliance
            counts[NATIONAL] = counts.pop(NATIONAL)
        return counts


def validate_report(dataset: Dataset) -> str:
    """A short text for people: organs and edges per alliance, then the totals and the quote count."""
    counts = dataset.counts_by_alliance()
    width = max([len("alliance"), *(len(k) for k in counts)])
    lines = [f"{'alliance':<{width}}  {'organs':>6}  {'edges':>6}"]
    lines += [f"{aid:<{width}}  {c['organs']:>6}  {c['edges']:>6}" for aid, c in counts.items()]
    lines.append(f"{'total':<{width}}  {len(dataset.organs):>6}  {len(dataset.edges):>6}")
    lines.append(
        f"{len(dataset.alliances)} alliances, {len(dataset.organs)} organs, {len(dataset.edges)} edges, "
        f"{dataset.indicator_count} indicators, "
        f"{dataset.quote_count} quotes found verbatim in the paper"
        + (f" ({len(dataset.files)} seed files)" if dataset.files else "")
        + "."
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- loading


@cache
def quote_line(quote: str | None) -> int | None:
    """The line of the default paper on which ``quote`` begins (answers carry it beside each quote)."""
    if not quote:
        return None
    try:
        paper = Paper.from_file(default_paper_path(default_seeds_dir()))
    except OSError:
        return None
    return paper.line_of(quote)


def default_seeds_dir() -> Path:
    """``$ALLIANCE_SEEDS_DIR`` if set, else ``seeds/`` next to the app package."""
    env = os.environ.get(SEEDS_ENV)
    return Path(env) if env else REPO_DIR / "seeds"


def default_paper_path(seeds_dir: Path) -> Path:
    """``$ALLIANCE_PAPER`` if set, else ``source/finnegan-2009.txt`` under the seeds directory."""
    env = os.environ.get(PAPER_ENV)
    return Path(env) if env else seeds_dir / "source" / PAPER_NAME


def _display(path: Path) -> str:
    """The path as given, made relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


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


def _blamed_key(message: str, mapping: _LineMap) -> str | None:
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
    if section in _SECTIONS:
        return _SECTIONS[section]
    from graph_schema.scenario import Scenario

    return Scenario


def _kind_of(value: Any) -> str:
    """What a YAML value is, in words (never an internal class name).

    >>> _kind_of(_LineList(1)), _kind_of("x"), _kind_of(3), _kind_of(None)
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


class _Loader:
    """One run of loading: collects the problems of every file, then the cross-file ones."""

    def __init__(self, paper: Paper | None) -> None:
        self.paper = paper
        self.problems: list[SeedProblem] = []
        self.dataset = Dataset()
        # (file, section, index, raw item, model) for every item that validated, in file order.
        self.items: list[tuple[str, str, int, _LineMap, _Item]] = []
        # Ids of organs that failed validation: references to them are not reported again as unknown.
        self.invalid_organ_ids: set[str] = set()

    def problem(self, file: str, line: int | None, where: str, message: str) -> None:
        self.problems.append(SeedProblem(file, line, where, message))

    # ---- one file

    def read_file(self, path: Path, text: str | None = None, scenario: bool = False) -> tuple[str, Any]:
        """Read and parse one YAML file (or ``text`` given for it) with the shared guarded reader
        (``read_yaml``: size cap, alias-bomb guard, duplicate keys), reporting what keeps it from
        being read; returns its display name and the parsed data (None when unreadable or empty).
        Seeds and scenarios are read by this one function."""
        from app.config import get_settings

        file = _display(path)
        settings = get_settings()
        try:
            if scenario:
                limit = settings.alliance_max_scenario_bytes
                data = read_yaml(path, limit, "scenario file", "ALLIANCE_MAX_SCENARIO_BYTES", text=text)
            else:
                data = read_yaml(path, settings.alliance_max_seed_bytes, text=text)
        except SeedError as err:
            self.problems.extend(err.problems)
            return file, None
        if isinstance(data, _LineMap):
            for loc, first, again in _duplicate_keys(data):
                self.problem(
                    file, again, _path(loc), f"duplicate key (first written on line {first}; YAML keeps the last)"
                )
        return file, data

    def load_file(self, path: Path) -> None:
        file, data = self.read_file(path)
        self.dataset.files.append(file)
        if data is None:
            return  # an empty file declares nothing
        if not isinstance(data, _LineMap):
            self.problem(file, 1, "", "the top level must be a mapping with keys " + ", ".join(_SECTIONS))
            return
        for key, line in data.key_lines.items():
            if key not in _SECTIONS:
                close = difflib.get_close_matches(str(key), list(SeedFile.model_fields), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(_SECTIONS)}"
                self.problem(file, line, str(key), f"unknown top-level key{hint}")
        for section in _SECTIONS:
            items = data.get(section)
            if items is None:
                continue
            if not isinstance(items, _LineList):
                self.problem(file, data.key_lines[section], section, "must be a list")
                continue
            for index, raw in enumerate(items):
                self.load_item(file, section, index, raw, items.item_lines[index])

    def load_item(self, file: str, section: str, index: int, raw: Any, line: int) -> None:
        prefix = f"{section}[{index}]"
        if not isinstance(raw, _LineMap):
            self.problem(file, line, prefix, f"must be a mapping (key: value lines), not {_kind_of(raw)}")
            return
        failed: list[tuple[str | int, ...]] = []
        try:
            model = _SECTIONS[section].model_validate(raw)
        except ValidationError as exc:
            if section == "organs" and isinstance(raw.get("id"), str):
                self.invalid_organ_ids.add(raw["id"])
            for error in exc.errors():
                failed.append(tuple(error["loc"]))
                self.validation_problem(file, prefix, raw, error)
        else:
            self.items.append((file, section, index, raw, model))
        if self.paper is None:
            return
        # Quotes are checked as written, so an item with other faults still has its quotes checked.
        for loc, quote in _raw_quotes(raw):
            self.dataset.quotes += 1
            if any(bad[: len(loc)] == loc for bad in failed):
                continue  # already reported (too short, wrong type)
            if not self.paper.contains(quote):
                where, _, _ = _walk(raw, loc)
                self.problem(file, where, f"{prefix}.{_path(loc)}", self.quote_message(quote))

    def validation_problem(self, file: str, prefix: str, raw: _LineMap, error: Any) -> None:
        loc: tuple[str | int, ...] = tuple(error["loc"])
        line, node, found = _walk(raw, loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required field is missing"
        elif error["type"] == "value_error" and found and isinstance(node, _LineMap):
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
        self.problem(file, line, f"{prefix}.{_path(loc)}" if loc else prefix, message)

    def quote_message(self, quote: str) -> str:
        shown = " ".join(quote.split())
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        message = f'not found verbatim in the paper: "{shown}"'
        assert self.paper is not None
        agreed = self.paper.agreeing_prefix(quote)
        if len(agreed.split()) >= 3:
            tail = agreed if len(agreed) <= 40 else "…" + agreed[-40:]
            message += f' (the paper agrees up to "{tail}")'
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
                        line, _, _ = _walk(raw, ("predecessors", k))
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

    def check_indicator(self, file: str, where: str, raw: _LineMap, indicator: SeedIndicator) -> None:
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

    def check_life(self, file: str, where: str, raw: _LineMap, model: Organ | Edge) -> None:
        """Every bound has the quote that implies it, and a relative bound names a real organ or edge
        (resolved later, in ``resolve_bounds``)."""
        for loc, point in _time_points(model):
            for name in ("not_before", "not_after"):
                bound = getattr(point, name)
                if bound is None:
                    continue
                line, _, _ = _walk(raw, (*loc, name))
                if bound.quote is None:
                    self.problem(
                        file, line, f"{where}.{_path((*loc, name))}", "a bound needs the quote that implies it"
                    )
                ref = bound.relative_to
                if ref is not None and ref not in self.dataset.organs and ref not in self.dataset.edges:
                    self.problem(file, line, f"{where}.{_path((*loc, name, 'relative_to'))}", self.unknown_organ(ref))

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
            file, where, raw = where_of.get(thing_id, ("", "", _LineMap(0)))
            for loc, point in _time_points(model):
                for name in ("not_before", "not_after"):
                    bound = getattr(point, name)
                    if bound is None or bound.relative_to is None or bound.relative_to not in things:
                        continue
                    try:
                        fill(bound, name)
                    except ValueError as err:
                        line, _, _ = _walk(raw, (*loc, name))
                        self.problem(file, line, f"{where}.{_path((*loc, name))}", str(err))
            try:
                type(model).model_validate(model.model_dump(mode="json", by_alias=True))
            except ValidationError as exc:
                for error in exc.errors():
                    self.validation_problem(file, where, raw, error)

    def unknown_organ(self, organ_id: str) -> str:
        close = difflib.get_close_matches(organ_id, list(self.dataset.organs), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        return f"unknown organ {organ_id!r}{hint}"


def load_seeds(seeds_dir: Path | None = None, paper_path: Path | None = None) -> Dataset:
    """Load and validate every ``*.yaml`` in ``seeds_dir`` (sorted, not recursive) against the paper.

    ``seeds_dir`` defaults to ``$ALLIANCE_SEEDS_DIR`` or ``<repo>/seeds``; ``paper_path`` to
    ``$ALLIANCE_PAPER`` or ``<seeds_dir>/source/finnegan-2009.txt``. Raises ``SeedError`` with every
    problem of the run; nothing is returned unless the seeds are clean.
    """
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    paper_path = Path(paper_path) if paper_path is not None else default_paper_path(seeds_dir)

    paper: Paper | None = None
    early: list[SeedProblem] = []
    try:
        paper = Paper.from_file(paper_path)
    except (OSError, UnicodeDecodeError) as exc:
        early.append(SeedProblem(_display(paper_path), None, "", f"cannot read the paper: {exc}"))

    if not seeds_dir.is_dir():
        raise SeedError([*early, SeedProblem(_display(seeds_dir), None, "", "seeds directory not found")])
    files = sorted(p for p in seeds_dir.glob("*.yaml") if p.is_file())
    if not files:
        raise SeedError([*early, SeedProblem(_display(seeds_dir), None, "", "no *.yaml seed files in the directory")])

    run = _Loader(paper)
    run.problems.extend(early)
    for path in files:
        run.load_file(path)
    run.cross_check()
    if not run.problems:
        run.resolve_bounds()
    if run.problems:
        # Stable sort: each file's problems together and in line order, file-less ones first.
        run.problems.sort(key=lambda p: (p.file, p.line or 0))
        raise SeedError(run.problems)
    return run.dataset
