"""Small helpers for asserting the paper's facts against a store."""

from __future__ import annotations

from pathlib import Path

from app.snapshot import SnapshotParams
from app.snapshot_view import Snapshot
from app.store.base import Store
from graph_schema.models import Edge
from graph_schema.vocabulary import Condition, EdgeKind

AUTH = frozenset({EdgeKind.AUTHORITY})
AUTH_COORD = frozenset({EdgeKind.AUTHORITY, EdgeKind.COORDINATION})


def snap(
    store: Store,
    alliance: str | None,
    year: int | None = None,
    condition: Condition | None = None,
    include_planned: bool = False,
    exclude: frozenset[str] = frozenset(),
) -> Snapshot:
    return store.snapshot(SnapshotParams(alliance, year, condition, include_planned, exclude))


def edges_between(s: Snapshot, source: str, target: str, kind: EdgeKind | None = None) -> list[Edge]:
    return [e for e in s.edges() if e.source == source and e.target == target and (kind is None or e.kind is kind)]


def members_of(s: Snapshot, body: str) -> set[str]:
    return {e.source for e in s.edges([EdgeKind.MEMBERSHIP]) if e.target == body}


def on_a_terminal(cmd: list[str], cwd: Path | None = None, timeout: float = 300) -> str:
    """Run ``cmd`` with its standard output and error on a pseudo-terminal; what it wrote there."""
    import os
    import pty
    import subprocess

    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the follower side closed: the process is done writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=timeout) == 0, b"".join(chunks).decode("utf-8", "replace")[-2000:]
    return b"".join(chunks).decode("utf-8")
