"""Regenerate the README's tour: run each command and paste its real output between the markers.

``python scripts/readme_tour.py`` rewrites README.md; ``--check`` exits 1 when the README's tour
differs from what the commands print now (tests/test_readme.py runs the check).
"""

from __future__ import annotations

import contextlib
import io
import shlex
import sys
from pathlib import Path

from app.cli import main as cli

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- tour:start -->", "<!-- tour:end -->"

# (what the analyst asks, the command that answers it)
TOUR: list[tuple[str, str]] = [
    (
        "Does NATO's civilian side link to its operational commander by authority? (paper: 'the very active and "
        "close linkage of the NAC to the MC and to the Strategic Commanders')",
        "alliances linkage --alliance nato --as-of 2009",
    ),
    (
        "And the U.S.-Japan 'secretariat alliance'? By authority alone, no: the break says how far authority "
        "reaches and which kind of edge would close the gap.",
        "alliances linkage --alliance us-japan --as-of 2009",
    ),
    (
        "Allow coordination, and the SCC reaches the forces through the 1997 Guidelines' coordination measures.",
        "alliances linkage --alliance us-japan --as-of 2009 --kinds authority,coordination",
    ),
    (
        "U.S.-ROK before and after 1978: the UNC, then CFC, is the warfighter.",
        "alliances linkage --alliance us-rok --as-of 1975",
    ),
    ("", "alliances linkage --alliance us-rok --as-of 1985"),
    (
        'What changed in armistice between 1993 and 1995? \'In 1994, "peacetime OPCON" was withdrawn from Commander '
        "CFC'.",
        "alliances diff --alliance us-rok --from 1993 --to 1995 --condition peacetime",
    ),
    (
        "What breaks if CFC goes? Count the 2012 plan: the chain stops at the MCM, because the paper reports "
        "no planned authority from the SCM/MCM to the ROK warfighter.",
        "alliances linkage --alliance us-rok --as-of 2013 --include-planned",
    ),
    (
        "Which organ holds the U.S.-ROK structure together (every kind of edge, 2009)?",
        "alliances centrality --alliance us-rok --as-of 2009 --metric betweenness "
        "--kinds authority,advice,coordination,support,membership --format csv",
    ),
    (
        "The three structures side by side (the paper's figure 4, computed), with the paper's benchmarks beyond "
        "structure under them, each figure with its hedge and year (`--format csv` for a spreadsheet):",
        "alliances compare",
    ),
    (
        "Every figure traced to its sentence: 'near $300 billion' stays near, never a bare 300.",
        "alliances indicators --measure trade-with-services",
    ),
]


def run(command: str) -> str:
    args = shlex.split(command)[1:]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli(args)
    if code != 0:
        raise SystemExit(f"tour command failed ({code}): {command}")
    return out.getvalue().rstrip("\n")


def render() -> str:
    parts = [START, ""]
    for question, command in TOUR:
        if question:
            parts += [question, ""]
        parts += ["```console", f"$ {command}", run(command), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def rewritten(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + render() + tail


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = rewritten(text)
    if "--check" in argv:
        if new != text:
            print("README tour is stale; run: .venv/bin/python scripts/readme_tour.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print("README tour regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
