"""The Makefile as a newcomer meets it: a bare `make` explains itself, a busy port is one line naming
PORT, a held dpkg lock is waited for and apt's own error shown, and the suite writes no tracked file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from tests.browser import screenshot_dir

REPO = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make") or "make"


def _make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [MAKE, "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True, check=False, env=env
    )


def test_bare_make_lists_the_targets_and_port() -> None:
    bare, helped = _make(), _make("help")
    assert bare.returncode == 0 and bare.stdout == helped.stdout
    listed = {line.split()[0] for line in bare.stdout.splitlines() if line.startswith("  ") and line.split()}
    assert {"serve", "test", "lint", "load", "neo4j-start", "screenshots", "browser-deps"} <= listed
    assert "PORT=8000" in bare.stdout


def test_busy_port_is_one_line_naming_port() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _make("serve", f"PORT={port}")
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert len(ours) == 1, result.stderr
    assert f"port {port} on 127.0.0.1 is in use" in ours[0] and "PORT=N" in ours[0]


@pytest.fixture()
def no_chromium_path(tmp_path: Path) -> Path:
    """A PATH with no chromium, a dpkg that knows no package, and an apt-get that finds dpkg locked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "mktemp", "tail", "sed", "rm", "cat"):
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "dpkg").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "apt-get").write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {tmp_path}/apt-args\n'
        'echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2\n'
        "exit 100\n"
    )
    for script in ("dpkg", "apt-get"):
        (bin_dir / script).chmod(0o755)
    return bin_dir


def test_browser_deps_waits_for_the_lock_and_prints_apts_error(no_chromium_path: Path) -> None:
    result = _make("browser-deps", env={**os.environ, "PATH": str(no_chromium_path)})
    apt_args = (no_chromium_path.parent / "apt-args").read_text()
    assert "-o DPkg::Lock::Timeout=120" in apt_args
    assert "It is held by process 4242" in result.stderr and "need root" not in result.stderr
    assert "the browser tests will fail" in result.stderr


def test_screenshots_go_outside_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make test` must not rewrite docs/screenshots/*.png; `make screenshots` sets the directory."""
    monkeypatch.delenv("ALLIANCE_SCREENSHOTS", raising=False)
    monkeypatch.delenv("EXPLORER_SCREENSHOTS", raising=False)
    assert REPO not in screenshot_dir().resolve().parents
    monkeypatch.setenv("ALLIANCE_SCREENSHOTS", str(REPO / "docs" / "screenshots"))
    assert screenshot_dir() == REPO / "docs" / "screenshots"
    recipe = _make("-n", "screenshots").stdout
    assert f"ALLIANCE_SCREENSHOTS={REPO}/docs/screenshots" in recipe
    assert "tests/test_web_page.py" in recipe and "tests/test_neo4j_browser.py" in recipe


def test_make_test_fails_when_the_suite_changes_the_checkout(tmp_path: Path) -> None:
    """The recipe `make test` wraps the suite in, run in a scratch git checkout: a run that leaves a
    file behind fails naming it; a run that leaves nothing passes."""
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    (tmp_path / "extra.mk").write_text(
        "dirty:\n\t$(call WITH_NEO4J,touch stray-file,check-tree)\nclean:\n\t$(call WITH_NEO4J,true,check-tree)\n"
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "Makefile", "extra.mk"], ["commit", "-qm", "scratch"]):
        subprocess.run([*git, *args], cwd=tmp_path, check=True, capture_output=True)

    def run(target: str) -> subprocess.CompletedProcess[str]:
        # NEO4J_LOCAL=true: the recipe neither starts nor stops a Neo4j here.
        return subprocess.run(
            [MAKE, "-s", "-f", "Makefile", "-f", "extra.mk", "NEO4J_LOCAL=true", target],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    assert run("clean").returncode == 0
    dirty = run("dirty")
    assert dirty.returncode != 0 and "the suite changed the checkout" in dirty.stderr and "stray-file" in dirty.stderr
