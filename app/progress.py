"""Progress of long work on a terminal: a bar on standard error, nothing when it is piped."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int, str], None]
"""``progress(done, total, what)``: called as work advances; ``what`` names the step."""


def progress_bar(done: int, total: int, what: str = "", width: int = 30) -> str:
    """A one-line text progress bar.

    Examples
    --------
    >>> progress_bar(50, 200, "organs", width=10)
    '[##........]  50/200 organs'
    >>> progress_bar(0, 0, width=4)
    '[####] 0/0'
    """
    filled = width if total <= 0 else round(width * done / total)
    digits = len(str(total))
    return f"[{'#' * filled}{'.' * (width - filled)}] {done:>{digits}}/{total}" + (f" {what}" if what else "")


def stderr_progress(stream: TextIO | None = None) -> Progress:
    """A ``Progress`` that redraws one bar in place on a terminal and prints nothing otherwise
    (a pipe or a log file gets the command's result, not its progress)."""
    out = stream or sys.stderr
    interactive = out.isatty()
    shown = {"width": 0}

    def show(done: int, total: int, what: str) -> None:
        if not interactive:
            return
        line = progress_bar(done, total, what)
        # Pad over a longer previous line; end the line when the work is done.
        print("\r" + line.ljust(shown["width"]), end="\n" if done >= total else "", file=out, flush=True)
        shown["width"] = 0 if done >= total else len(line)

    return show
