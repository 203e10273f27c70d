"""Long work shows progress on a terminal and stays quiet when piped (CONTRACT.md §3)."""

from __future__ import annotations

import io

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
    from app import snapshot
    from app.api.deps import default_store
    from app.snapshot import SnapshotParams, build_graph, snapshot_of
    from bench.synthetic import generate

    seen: list[tuple[int, int, str]] = []
    monkeypatch.setattr(snapshot, "BUILD_PROGRESS", lambda done, total, what: seen.append((done, total, what)))
    monkeypatch.setattr(snapshot, "LARGE", 2_000)
    data = generate(2_500, seed=3, edges_per_organ=2, alliances=["nato"])
    snapshot_of(build_graph(data.organs.values(), data.edges.values()), SnapshotParams(), data.alliances)
    assert seen and seen[-1] == (2_500, 2_500, "organs judged") and seen[0][0] == 0
    seen.clear()
    seeds = default_store()
    snapshot_of(seeds.graph, SnapshotParams(as_of=1990), seeds.dataset.alliances)
    assert seen == []
