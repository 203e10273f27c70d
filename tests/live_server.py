"""The real app under uvicorn in a child process on a free loopback port, for tests that need a live server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_health(base: str, proc: subprocess.Popen[bytes] | None = None, seconds: float = 30) -> None:
    """Until ``base``/health answers 200; RuntimeError (with the server's stderr) if ``proc`` exits first
    or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if (proc is not None and proc.poll() is not None) or time.monotonic() > deadline:
            err = proc.stderr.read().decode() if proc is not None and proc.stderr else ""
            raise RuntimeError(f"the server did not start on {base}: {err[-2000:]}")
        time.sleep(0.2)


@contextmanager
def live_server(**env_extra: str) -> Iterator[str]:
    """``app.main:app`` under uvicorn on the embedded store (no NEO4J_* variables), with ``env_extra``
    set; yields its base URL once /health answers, and stops it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(env_extra)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
