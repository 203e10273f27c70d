"""The docs' lists of edge kinds, written from the table (``graph_schema.edge_kinds``) between markers.

A doc holds ``<!-- edge-kinds:NAME -->…<!-- /edge-kinds -->``; ``python -m graph_schema.generate``
rewrites what is between them with ``BLOCKS[NAME]`` and ``--check`` (run by ``make lint`` and the
test suite) fails when a doc is stale, so no doc keeps a list of kinds by hand.

Examples
--------
>>> BLOCKS["rel-types"]().split(", ")[:2]
['`AUTHORITY`', '`ADVICE`']
>>> fill("the <!-- edge-kinds:names -->…<!-- /edge-kinds --> edges", "example.md")[:50]
'the <!-- edge-kinds:names -->authority, advice, co'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from graph_schema.edge_kinds import EdgeKind, rel_type

REPO = Path(__file__).resolve().parents[1]
# The docs that hold blocks (relative to the repository); one missing (an installed package) is skipped.
DOCS = ("README.md", "docs/pictures.md", "docs/neo4j.md", "docs/neo4j/alliances-guide.html")
BLOCK = re.compile(r"<!-- edge-kinds:([a-z-]+) -->(.*?)<!-- /edge-kinds -->", re.DOTALL)


def _series(items: Sequence[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


def _by_browser_width() -> list[EdgeKind]:
    """Thickest first, as the Browser style lists its rules (graph_schema.generate.EDGE_STROKES)."""
    return sorted(EdgeKind, key=lambda k: -k.row.browser.width_px)


def _table() -> str:
    lines = [
        "| kind | from → to | what it says | chart | Neo4j Browser |",
        "|---|---|---|---|---|",
    ]
    for kind in EdgeKind:
        row = kind.row
        looks = row.caption.removeprefix(kind.value).strip(" ()")
        walked = "mutual: walked both ways" if kind.mutual else kind.direction
        lines.append(
            f"| `{kind.value}` | {walked} | {row.meaning} | {looks} | `{rel_type(kind)}`, {row.browser.words} |"
        )
    return "\n" + "\n".join(lines) + "\n"


def kind_names() -> str:
    """The kinds in words: ``authority, advice, …, support and membership``."""
    return _series([k.value for k in EdgeKind])


BLOCKS: dict[str, Callable[[], str]] = {
    "names": kind_names,
    "bold-names": lambda: _series([f"**{k.value}**" for k in EdgeKind]),
    "rel-types": lambda: _series([f"`{rel_type(k)}`" for k in EdgeKind], "or"),
    "rel-types-html": lambda: _series([f"<code>{rel_type(k)}</code>" for k in EdgeKind], "or"),
    "browser-words": lambda: ", ".join(f"{k.value} {k.row.browser.words}" for k in _by_browser_width()),
    "chart-captions": lambda: "; ".join(k.row.caption for k in EdgeKind),
    "table": _table,
}


def fill(text: str, where: str) -> str:
    """``text`` with every block rewritten from the table; an unknown block name is an error naming ``where``."""

    def block(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in BLOCKS:
            raise ValueError(f"{where}: unknown block edge-kinds:{name}; known: {', '.join(BLOCKS)}")
        return f"<!-- edge-kinds:{name} -->{BLOCKS[name]()}<!-- /edge-kinds -->"

    return BLOCK.sub(block, text)


def doc_files() -> dict[Path, str]:
    """Each doc that exists -> its text with the blocks rewritten from the table."""
    out = {}
    for name in DOCS:
        path = REPO / name
        if path.is_file():
            out[path] = fill(path.read_text(encoding="utf-8"), name)
    return out
