"""The README's tour shows real answers: regenerating it from the commands changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.readme_tour import SETUP, commands, paste_problems, shell_blocks

REPO = Path(__file__).resolve().parent.parent


def test_readme_tour_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/readme_tour.py", "--check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_starts_with_the_two_commands() -> None:
    head = (REPO / "README.md").read_text(encoding="utf-8").split("## ", 1)[0]
    assert "make serve" in head and "make test" in head
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_python_example_runs() -> None:
    """The README's 'From Python' block runs as written (condition given as a plain string)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## From Python", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    snap = namespace["snap"]
    assert snap.params.condition.value == "wartime"  # type: ignore[attr-defined]


def test_every_readme_command_pastes_into_a_fresh_shell() -> None:
    """Issue 15: each `alliances ...` of the README runs as written in a new shell that has only the
    README's set-up (and prints what the README shows); each `make ...` names a real target."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert paste_problems(text) == []


def test_the_setup_comes_before_the_first_alliances_command() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = [c for lang, body in shell_blocks(text) for c, _ in commands(lang, body)]
    first = next(i for i, c in enumerate(found) if c.startswith("alliances "))
    assert SETUP in found[:first]
    assert sum(1 for c in found if c.startswith("alliances ")) >= 10
