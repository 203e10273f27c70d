"""How the browser tests start Debian's Chromium: one place for the path and the flags.

Root needs --no-sandbox; the background-networking flags keep Chromium from reaching for hosts this
closed network refuses. Playwright's own browser download is never used.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
