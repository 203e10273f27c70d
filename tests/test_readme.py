"""The README's tour shows real answers: regenerating it from the commands changes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scripts.readme_tour import SETUP, as_pasted, commands, paste_problems, shell_blocks
from tests.conftest import neo4j_test_uri
from tests.test_make import _listeners, _was_contacted

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
    assert paste_problems(text, neo4j_uri=neo4j_test_uri()) == []


def test_a_pasted_server_leaves_the_users_explorer_and_neo4j_alone() -> None:
    """Issue 28: the README-paste test passes while `make serve` holds the explorer's port and a
    user's Neo4j runs: a pasted `alliances serve` naming both (two listening sockets here) is run on
    a free port against the suite's own Neo4j, starts, and never contacts either."""
    with _listeners(2) as (explorer, neo4j):
        held, bolt = explorer.getsockname()[1], neo4j.getsockname()[1]
        text = f"```sh\n{SETUP}\nNEO4J_URI=bolt://127.0.0.1:{bolt} alliances serve --port {held} --workers 2\n```\n"
        assert paste_problems(text, neo4j_uri=neo4j_test_uri()) == []
        assert not _was_contacted(explorer) and not _was_contacted(neo4j)


def test_the_readmes_servers_are_pasted_on_other_ports() -> None:
    """Each `alliances serve` of the README (default port 8000, Neo4j at 127.0.0.1:7687) is run on the
    port and Neo4j the paste test gives it, never on 8000 or 7687."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    servers = [c for lang, body in shell_blocks(text) for c, _ in commands(lang, body) if "alliances serve" in c]
    assert servers, "the README shows how to serve"
    for command in servers:
        pasted = as_pasted(command, 41234, "bolt://127.0.0.1:41235")
        assert pasted.endswith(" --port 41234") and "8000" not in pasted and "7687" not in pasted, pasted


def test_the_setup_comes_before_the_first_alliances_command() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = [c for lang, body in shell_blocks(text) for c, _ in commands(lang, body)]
    first = next(i for i, c in enumerate(found) if c.startswith("alliances "))
    assert SETUP in found[:first]
    assert sum(1 for c in found if c.startswith("alliances ")) >= 10
