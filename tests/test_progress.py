"""Long work shows progress on a terminal and stays quiet when piped (CONTRACT.md §3)."""

from __future__ import annotations

import io

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
