"""Long work shows progress on a terminal and stays quiet when piped (CONTRACT.md §3)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.progress import stderr_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_bar_redrawn_in_place() -> None:
    out = _Terminal()
    show = stderr_progress(out)
    for done in range(1, 5):
        show(done, 4, "edges")
    text = out.getvalue()
    assert text.count("\r") == 4 and text.count("\n") == 1 and text.endswith("4/4 edges\n")
    assert "[" + "#" * 30 + "]" in text


def test_a_pipe_gets_nothing() -> None:
    out = io.StringIO()
    show = stderr_progress(out)
    for done in range(1, 5):
        show(done, 4, "edges")
    assert out.getvalue() == ""


def test_the_first_build_of_a_large_snapshot_reports_its_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """A structure of LARGE organs or more reports its first snapshot build, every 1,024 organs and
    at the end (the CLI shows it as a bar on a terminal); a small one (the seeds) reports nothing."""
    from app import snapshot_view
    from app.api.deps import default_store
    from app.snapshot import SnapshotParams
    from app.snapshot_view import build_graph, snapshot_of
    from bench.synthetic import generate

    seen: list[tuple[int, int, str]] = []
    monkeypatch.setattr(snapshot_view, "BUILD_PROGRESS", lambda done, total, what: seen.append((done, total, what)))
    monkeypatch.setattr(snapshot_view, "LARGE", 2_000)
    data = generate(2_500, seed=3, edges_per_organ=2, alliances=["nato"])
    snapshot_of(build_graph(data.organs.values(), data.edges.values()), SnapshotParams(), data.alliances)
    assert seen and seen[-1] == (2_500, 2_500, "organs judged") and seen[0][0] == 0
    seen.clear()
    seeds = default_store()
    snapshot_of(seeds.graph, SnapshotParams(as_of=1990), seeds.dataset.alliances)
    assert seen == []


def _bench(tmp_path: Path, terminal: bool) -> str:
    """``python -m bench`` with every part skipped (its own steps only), its standard error on a
    pseudo-terminal or a pipe; what it wrote there."""
    import subprocess
    import sys

    from tests.helpers import on_a_terminal
    from tests.live_server import ROOT

    cmd = [sys.executable, "-m", "bench", "--quick", "--skip-http", "--skip-neo4j", "--skip-workers", "--skip-scale"]
    cmd += ["--out", str(tmp_path / "latest.json")]
    if terminal:
        return on_a_terminal(cmd, cwd=ROOT)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_bench_shows_its_steps_as_a_bar_on_a_terminal_and_nothing_when_piped(tmp_path: Path) -> None:
    shown = _bench(tmp_path, terminal=True)
    assert "[" + "#" * 30 + "] 1/1 results done" in shown
    assert "1/1" not in _bench(tmp_path, terminal=False)
