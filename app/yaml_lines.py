"""YAML read safely with its lines: every YAML file the explorer reads (seeds, scenarios) comes through ``read_yaml``.

The data is built by a SafeLoader as ``LineMap``/``LineList``, which remember the line of every key
and item, so a problem found later can name the file, the line and the field (``walk``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from app.problems import SeedError, SeedProblem, display_path
from app.yaml_guard import DEFAULT_MAX_ALIAS_NODES, YamlRefused, check_expansion

__all__ = ["LineList", "LineMap", "Loc", "duplicate_keys", "field_path", "read_yaml", "walk"]

Loc = Sequence[str | int]


class LineMap(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int, int]] = []  # (key, first line, repeated line)


class LineList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Lines:
    """The constructor part of the loaders below: mappings as ``LineMap`` with every key's line."""

    flatten_mapping: Any
    construct_object: Any

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # resolve '<<' merge keys as SafeLoader does
        mapping = LineMap(node.start_mark.line + 1)
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


def _construct_map(loader: Any, node: yaml.MappingNode) -> LineMap:
    mapping = loader.construct_mapping(node)
    assert isinstance(mapping, LineMap)
    return mapping


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> LineList:
    seq = LineList(node.start_mark.line + 1)
    for item in node.value:
        seq.append(loader.construct_object(item))
        seq.item_lines.append(item.start_mark.line + 1)
    return seq


class _LineLoader(_Lines, yaml.SafeLoader):
    """SafeLoader that builds ``LineMap``/``LineList`` so errors can be traced back to lines.

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
    by a SafeLoader that remembers lines (``LineMap``, ``LineList``). The result is plain data.
    """
    from app.config import get_settings
    from app.yaml_fields import field_at

    file = display_path(path)
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


def walk(root: Any, loc: Loc) -> tuple[int | None, Any, bool]:
    """Follow a pydantic ``loc`` into the parsed YAML; give the line, the node reached, and whether all was found.

    The line is that of the deepest key or item found; when a key is missing, that of the mapping
    lacking it.
    """
    node = root
    line: int | None = getattr(root, "line", None)
    for part in loc:
        if isinstance(node, LineMap):
            if part not in node:
                return node.line, node, False
            line = node.key_lines[part]
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            return line, node, False
    return line, node, True


def field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def duplicate_keys(root: Any) -> Iterator[tuple[tuple[str | int, ...], int, int]]:
    """Every repeated key of the parsed YAML, with its path; each mapping is visited once, even when
    aliases share it (at the path where it is first met)."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if not isinstance(node, LineMap | LineList) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, LineMap):
            for key, first, again in node.duplicates:
                yield (*loc, str(key)), first, again
            children: list[tuple[Any, tuple[str | int, ...]]] = [(v, (*loc, str(k))) for k, v in node.items()]
        else:
            children = [(v, (*loc, i)) for i, v in enumerate(node)]
        stack.extend(reversed(children))
