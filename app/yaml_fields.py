"""The field a place in a YAML text belongs to, for problems found before any object is built.

A file refused whole (malformed or too deeply nested YAML, an alias bomb, bytes that are not UTF-8,
a number too long to read) has no parsed data to point into, yet its problem should name the field
as every other problem does (``organs[3].established``, ``add_edges[0].kind``). ``field_at`` reads
the YAML's events, which need no objects and stop only where the text stops making sense, keeping
the path of keys and item indexes to the place: a line (and column), or the point where the parser
gave up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

SHOWN_LEVELS = 12  # of a path nested deeper: the first levels, then how deep it goes


@dataclass
class _Level:
    """One open mapping or sequence: the key or index the next node takes in it."""

    mapping: bool
    key: str | int | None = None
    expecting_key: bool = True
    index: int = -1
    keys: list[str | int] = field(default_factory=list)


def _part(level: _Level) -> str | int | None:
    return level.key if level.mapping else level.index


def _shown(parts: list[str | int]) -> str:
    out = ""
    for i, part in enumerate(parts):
        if i == SHOWN_LEVELS:
            return f"{out}… ({len(parts)} levels deep)"
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def field_at(text: str, line: int | None = None, column: int | None = None) -> str:
    """The dotted path (``organs[3].established``) of the node at ``line`` (1-based) and ``column``
    (1-based; the line's first node when None), or, without a line, of the last node read before the
    YAML stopped making sense. Empty for the top level or an empty text.

    >>> text = "organs:\\n  - id: a\\n  - id: b\\n    established: [1, 2\\n"
    >>> field_at(text, 3), field_at(text)
    ('organs[1].id', 'organs[1].established[1]')
    >>> field_at("a: [[[[1]]]]", 1, 7)
    'a[0][0][0]'
    """
    loader = yaml.SafeLoader(text)
    levels: list[_Level] = []
    path: list[str | int] = []  # of the last node read
    on_line: list[str | int] | None = None  # of the first collection that starts on the line
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.NodeEvent) and mark is not None:
                here = (mark.line + 1, mark.column + 1)
                if line is not None and (here[0] > line or (column is not None and here > (line, column))):
                    break  # past the place: it belongs to the node read last
                path = _node_path(levels, event)
                if line is not None and here[0] == line and (column is None or here == (line, column)):
                    if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                        on_line = path  # a key, an item or a value: as precise as a line gets
                        break
                    on_line = on_line if on_line is not None else path
            _advance(levels, event)
    except yaml.YAMLError:
        pass  # the text stops making sense here: the place is the last node read
    finally:
        loader.dispose()
    return _shown(on_line if on_line is not None else path)


def _node_path(levels: list[_Level], event: yaml.Event) -> list[str | int]:
    """The path of the node ``event`` starts (or, for a key, of the value it names)."""
    parts = [p for p in (_part(level) for level in levels) if p is not None]
    if levels and levels[-1].mapping and levels[-1].expecting_key and isinstance(event, yaml.ScalarEvent):
        parts.append(event.value)
    elif levels and not levels[-1].mapping and isinstance(event, yaml.NodeEvent):
        parts[-1:] = [levels[-1].index + 1]
    return parts


def _advance(levels: list[_Level], event: yaml.Event) -> None:
    """Move the open levels past ``event``."""
    if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
        levels.pop()
        _done(levels)
        return
    if not isinstance(event, yaml.NodeEvent):
        return
    top = levels[-1] if levels else None
    if top is not None and top.mapping and top.expecting_key:
        top.key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
        top.expecting_key = False
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            levels.append(_Level(isinstance(event, yaml.MappingStartEvent)))  # a complex key
        return
    if top is not None and not top.mapping:
        top.index += 1
    if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        levels.append(_Level(isinstance(event, yaml.MappingStartEvent)))
    else:
        _done(levels)


def _done(levels: list[_Level]) -> None:
    """A value was read whole: its mapping expects its next key."""
    if levels and levels[-1].mapping and not levels[-1].expecting_key:
        levels[-1].expecting_key = True
        levels[-1].key = None
