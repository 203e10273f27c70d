"""How the browser tests start Debian's Chromium: one place for the path and the flags.

Root needs --no-sandbox; the background-networking flags keep Chromium from reaching for hosts this
closed network refuses. Playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot_dir() -> Path:
    """Where the browser tests save their screenshots: a temporary directory, so that running the
    suite never rewrites the committed pictures; ``make screenshots`` sets ``ALLIANCE_SCREENSHOTS``
    to docs/screenshots to retake those on purpose."""
    chosen = os.environ.get("ALLIANCE_SCREENSHOTS") or os.environ.get("EXPLORER_SCREENSHOTS")
    path = Path(chosen) if chosen else Path(tempfile.gettempdir()) / f"alliance-explorer-screenshots-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path
