"""The Makefile as a newcomer meets it: a bare `make` explains itself, a busy port is one line naming
PORT, a held dpkg lock is waited for and apt's own error shown, the suite writes no tracked file, and
`make test` runs beside a user's explorer and Neo4j on a Neo4j of its own (issue 28, item 8)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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


def _scratch_checkout(tmp_path: Path, extra: str) -> Path:
    """The Makefile and ``extra`` rules in a scratch git checkout (the recipe checks the tree)."""
    work = tmp_path / "checkout"
    work.mkdir()
    shutil.copy(REPO / "Makefile", work / "Makefile")
    (work / "extra.mk").write_text(extra)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "Makefile", "extra.mk"], ["commit", "-qm", "scratch"]):
        subprocess.run([*git, *args], cwd=work, check=True, capture_output=True)
    return work


@contextmanager
def _listeners(count: int) -> Iterator[list[socket.socket]]:
    """``count`` listening loopback sockets, standing for a user's explorer and Neo4j."""
    with ExitStack() as stack:
        socks = []
        for _ in range(count):
            s = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            s.bind(("127.0.0.1", 0))
            s.listen()
            s.setblocking(False)
            socks.append(s)
        yield socks


def _was_contacted(listener: socket.socket) -> bool:
    try:
        conn, _ = listener.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


# A neo4j_local that records each call (its arguments and the environment the suite's server would
# get) and starts nothing; `free-ports` is the real one.
NEO4J_LOCAL = REPO / "neo4j_local" / "neo4j_local.py"
STUB = f"""
import json, os, subprocess, sys
if sys.argv[1:] == ["free-ports"]:
    sys.exit(subprocess.run([{sys.executable!r}, {str(NEO4J_LOCAL)!r}, "free-ports"]).returncode)
keys = ("ALLIANCE_NEO4J_HOME", "ALLIANCE_NEO4J_JARS", "NEO4J_BOLT_PORT", "NEO4J_HTTP_PORT")
with open(os.environ["STUB_LOG"], "a") as log:
    log.write(json.dumps({{"args": sys.argv[1:], **{{k: os.environ.get(k) for k in keys}}}}) + "\\n")
"""


def _run_suite(tmp_path: Path, user_env: dict[str, str], *make_args: str) -> tuple[dict[str, str], list[dict]]:
    """The recipe `make test` wraps the suite in, around a stand-in suite that writes down what it is
    told about its Neo4j; returns that and the recorded neo4j_local calls."""
    seen_file = tmp_path / "seen"
    suite = f"suite:\n\t$(call WITH_NEO4J,env | grep -E '^(NEO4J_|ALLIANCE_NEO4J_)' > {seen_file},check-tree)\n"
    work = _scratch_checkout(tmp_path, suite)
    (tmp_path / "stub.py").write_text(STUB)
    # The user's environment is ``user_env``: none of the caller's Neo4j settings (under `make test`,
    # the suite's own) leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ALLIANCE_"))}
    env |= {**user_env, "STUB_LOG": str(tmp_path / "calls.jsonl")}
    stub = f"NEO4J_LOCAL={sys.executable} {tmp_path}/stub.py"
    result = subprocess.run(
        [MAKE, "-s", "-f", "Makefile", "-f", "extra.mk", stub, "suite", *make_args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = dict(line.split("=", 1) for line in seen_file.read_text().splitlines())
    calls = [json.loads(line) for line in (tmp_path / "calls.jsonl").read_text().splitlines()]
    return seen, calls


def test_make_test_runs_the_suite_on_a_neo4j_of_its_own_beside_the_users(tmp_path: Path) -> None:
    """Issue 28: "`make test` passes while `make serve` holds port 8000 and another Neo4j runs on
    7687". A user's explorer and Neo4j (two listening sockets here) and their settings in the
    environment: the recipe starts the suite's Neo4j in another home, on two other free ports, tells
    the suite that one and only that one, and stops it afterwards; the user's ports are never
    contacted. (The recipe itself, with neo4j_local recording its calls instead of starting a server.)"""
    user_home = tmp_path / "users-neo4j"
    with _listeners(3) as (explorer, bolt, http):
        user_bolt, user_http = bolt.getsockname()[1], http.getsockname()[1]
        user_env = {
            "ALLIANCE_NEO4J_HOME": str(user_home),
            "NEO4J_BOLT_PORT": str(user_bolt),
            "NEO4J_HTTP_PORT": str(user_http),
            "NEO4J_TEST_URI": f"bolt://127.0.0.1:{user_bolt}",
            "NEO4J_URI": f"bolt://127.0.0.1:{user_bolt}",
            "NEO4J_BROWSER_URL": f"http://127.0.0.1:{user_http}/browser/",
            "PORT": str(explorer.getsockname()[1]),
        }
        seen, calls = _run_suite(tmp_path, user_env)
        contacted = [_was_contacted(s) for s in (explorer, bolt, http)]
    assert contacted == [False, False, False]
    assert [c["args"] for c in calls] == [["stop"], ["start"], ["stop"]]
    server = calls[1]
    assert all({**c, "args": None} == {**server, "args": None} for c in calls)  # one server, started and stopped
    suite_bolt, suite_http = int(server["NEO4J_BOLT_PORT"]), int(server["NEO4J_HTTP_PORT"])
    assert len({suite_bolt, suite_http, user_bolt, user_http, 7687, 7474, 8000}) == 7
    assert server["ALLIANCE_NEO4J_HOME"] not in (str(user_home), None)
    assert server["ALLIANCE_NEO4J_JARS"] == str(user_home)  # the user's jars, not their database
    assert seen["NEO4J_TEST_URI"] == f"bolt://127.0.0.1:{suite_bolt}"
    assert seen["NEO4J_BROWSER_URL"] == f"http://127.0.0.1:{suite_http}/browser/"
    assert seen["ALLIANCE_NEO4J_HOME"] == server["ALLIANCE_NEO4J_HOME"]
    assert "NEO4J_URI" not in seen
    for port in (suite_bolt, suite_http):  # chosen free: a server can bind them
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_make_test_ports_can_be_pinned_and_the_home_is_per_checkout(tmp_path: Path) -> None:
    with _listeners(1) as (held,):
        port = held.getsockname()[1]
    _, calls = _run_suite(tmp_path, {}, f"TEST_NEO4J_BOLT_PORT={port}", f"TEST_NEO4J_HTTP_PORT={port + 1}")
    assert (calls[1]["NEO4J_BOLT_PORT"], calls[1]["NEO4J_HTTP_PORT"]) == (str(port), str(port + 1))
    ours = _make("-n", "test").stdout
    assert calls[1]["ALLIANCE_NEO4J_HOME"] not in ours  # another checkout, another home
