"""The alias guard: a YAML document's alias expansion counted on its composed nodes, refused above a bound."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

__all__ = ["DEFAULT_MAX_ALIAS_NODES", "YamlRefused", "check_expansion"]

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
