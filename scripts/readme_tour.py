"""Regenerate the README's tour: run each command and paste its real output between the markers
(and the endpoint and command lists, ``scripts/readme_lists.py``).

``python scripts/readme_tour.py`` rewrites README.md; ``--check`` exits 1 when the README's tour
differs from what the commands print now; ``--paste`` runs every ``alliances`` command of every
shell block of the README in a fresh shell that has only the README's own set-up (``source
.venv/bin/activate``), as a newcomer pasting them would, and checks each ``$ alliances ...`` of a
console block prints what the README shows (tests/test_readme.py runs both).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from app.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- tour:start -->", "<!-- tour:end -->"
# What the README's set-up section has a newcomer type before anything else.
SETUP = "source .venv/bin/activate"
PAPER = "finnegan-2009"
SHELL_LANGS = ("sh", "console", "bash", "shell")

# (what the analyst asks, the command that answers it)
TOUR: list[tuple[str, str]] = [
    (
        "Does NATO's civilian side link to its operational commander by authority? (paper: 'the very active and "
        "close linkage of the NAC to the MC and to the Strategic Commanders')",
        "alliances linkage --alliance nato --as-of 2009",
    ),
    (
        "Organs can be named as the paper names them: by acronym, alias or id, in any case. An ambiguous name "
        "(`President`: the U.S. or the ROK one) is refused with its candidates.",
        "alliances paths NAC SACEUR --as-of 2009 --limit 1",
    ),
    (
        "And the U.S.-Japan 'secretariat alliance'? By authority alone, no: the answer says how far authority "
        "reaches and which kind of edge would close the gap.",
        "alliances linkage --alliance us-japan --as-of 2009",
    ),
    (
        "Allow coordination, and the SCC reaches the forces through the 1997 Guidelines' coordination measures.",
        "alliances linkage --alliance us-japan --as-of 2009 --kinds authority,coordination",
    ),
    (
        "U.S.-ROK before and after 1978: the UNC, then CFC, is the warfighter. The SCM was founded 'to issue "
        "unified guidance to the military forces defending the country', naming no recipient; the paper names one "
        "only in 2009 ('issue that guidance to the Commander CFC'), so before 2009 the chain is possible, not "
        "certain.",
        "alliances linkage --alliance us-rok --as-of 1975",
    ),
    ("", "alliances linkage --alliance us-rok --as-of 1985"),
    (
        'What changed in armistice between 1993 and 1995? \'In 1994, "peacetime OPCON" was withdrawn from Commander '
        "CFC'.",
        "alliances diff --alliance us-rok --from 1993 --to 1995 --condition peacetime",
    ),
    (
        "What existed in 1985, and how sure is the paper? NATO's chain is possible, not certain: the paper "
        "describes the MC and SACEUR in its present tense (2009), so 1985 is left open, and the answer says what "
        "the chain rests on. Asked for certainty only, the answer says why there is none.",
        "alliances linkage --alliance nato --as-of 1985",
    ),
    ("", "alliances linkage --alliance nato --as-of 1985 --existence certain"),
    (
        "What breaks if CFC goes? Count the 2012 plan: the paper reports no planned authority from the SCM/MCM "
        "to the ROK warfighter, so the answer is 'not reported', never 'there is none'.",
        "alliances linkage --alliance us-rok --as-of 2013 --include-planned",
    ),
    (
        "And if the paper's own recommendation were built ('the strong linkages of the SCM to the MCM and to the "
        "respective operational commanders must be maintained')? Scenarios ship in scenarios/; what they propose "
        "is never certain, and says whose proposal it is.",
        "alliances scenarios",
    ),
    ("", "alliances linkage --alliance us-rok --as-of 2013 --scenario rok-post-2012-linkage"),
    (
        "Which organ holds the U.S.-ROK structure together (every kind of edge, 2009)?",
        "alliances centrality --alliance us-rok --as-of 2009 --metric betweenness "
        "--kinds authority,advice,coordination,support,membership --format csv",
    ),
    (
        "Find an organ: the search over acronyms, names and aliases (`GET /organs`).",
        "alliances organs --q command --alliance nato --nature military",
    ),
    (
        "The three structures side by side (the paper's figure 4, computed): each verdict says how sure the paper "
        "is (certain, possible, not reported, or a gap the paper states, with its line), never a bare 'no' for "
        "its silence; the paper's benchmarks beyond structure under them, each figure with its hedge and year "
        "(`--format csv` for a spreadsheet):",
        "alliances compare",
    ),
    (
        "Every figure traced to its sentence: 'near $300 billion' stays near, never a bare 300.",
        "alliances indicators --measure trade-with-services",
    ),
    (
        "A second source beside the paper: ATOP 5.1 codes what each treaty requires "
        "(`seeds/source/atop-5.1/`). Set beside the structure in a year, NATO's treaty codes no integrated "
        "command, yet practice built ACO; the U.S.-ROK treaty creates no organisation, yet practice built the SCM, "
        "MCM and CFC; ANZUS's treaty creates an organisation the paper does not report; ATOP codes no U.S.-UK "
        "alliance (silence, not absence). Each pairing is a reading, its test in words (`docs/treaty-practice.md`).",
        "alliances compare --alliances nato,us-rok,anzus,us-uk --as-of 1985 --treaty",
    ),
    (
        "NATO's members in 2009: the paper's 26 (its present tense, so 2009) beside ATOP's 28 (Albania and "
        "Croatia entered on 2008-07-09; a dated value holds in a year when in effect on 31 December), disputed, "
        "each saying what it counts; then each phase's coded values in words.",
        "alliances codings --alliance nato --as-of 2009",
    ),
    (
        "An analyst's own source beside the paper (docs/sources.md): a folder with its record, its text and its "
        "claims, checked like the seeds against its own text. `examples/sources/tour-note` is an invented note, "
        "never loaded by default; `--sources-dir` (or `ALLIANCE_SOURCES_DIR`) loads it, and every answer says "
        "which sources it counts. Its 'in 2015 the North Atlantic Council still oversaw the Supreme Allied "
        "Commander Europe' bridges the paper's 2009: NAC -> SACEUR is certain in 2012 with the note counted "
        "beside the paper, possible with the paper alone (`--sources finnegan-2009`).",
        "ALLIANCE_SOURCES_DIR=examples/sources alliances sources",
    ),
    ("", "ALLIANCE_SOURCES_DIR=examples/sources alliances linkage --alliance nato --as-of 2012"),
    ("", "ALLIANCE_SOURCES_DIR=examples/sources alliances linkage --alliance nato --as-of 2012 --sources " + PAPER),
    (
        "Where the sources disagree, both are shown as each says it: the note's SSC 'was formally dissolved in "
        "2005', the paper's present tense keeps it (dormant) in 2009; disputed, so possible, never certain.",
        "ALLIANCE_SOURCES_DIR=examples/sources alliances organs SSC --alliance us-japan --as-of 2009",
    ),
]


# What a tour command's VAR=value prefixes name is read once per process: cleared around each.
def _forget_defaults() -> None:
    from app.api.deps import default_store
    from app.defaults import default_dataset, default_scenarios

    for cached in (default_store, default_dataset, default_scenarios):
        cached.cache_clear()


def run(command: str) -> str:
    """What ``command`` prints, run in this process (its ``VAR=value`` prefixes set for it alone)."""
    words = shlex.split(command)
    env = {}
    while words and "=" in words[0]:
        key, _, value = words.pop(0).partition("=")
        env[key] = str(ROOT / value) if key == "ALLIANCE_SOURCES_DIR" else value
    before = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    if env:
        _forget_defaults()
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = cli(words[1:])
    finally:
        for key, old in before.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        if env:
            _forget_defaults()
    if code != 0:
        raise SystemExit(f"tour command failed ({code}): {command}")
    return out.getvalue().rstrip("\n")


def render() -> str:
    parts = [START, ""]
    for question, command in TOUR:
        if question:
            parts += [question, ""]
        parts += ["```console", f"$ {command}", run(command), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def rewritten(text: str) -> str:
    """The README with its tour, endpoint list and command list written anew."""
    if str(ROOT) not in sys.path:  # run as a script, scripts/ is importable from the repository's root
        sys.path.insert(0, str(ROOT))
    from scripts.readme_lists import rewritten as lists_rewritten

    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return lists_rewritten(head + render() + tail)


# ------------------------------------------------------------------------------------------- pasting


def shell_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced shell block of ``text``, in order."""
    fence = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
    return [(m.group(1), m.group(2)) for m in fence.finditer(text) if m.group(1) in SHELL_LANGS]


def commands(lang: str, body: str) -> list[tuple[str, str | None]]:
    """(command, expected output or None) of a block: a console block's ``$`` lines with the lines
    after each, or each non-comment line of a plain shell block (its trailing ``# ...`` dropped)."""
    found: list[tuple[str, str | None]] = []
    if lang == "console":
        current: list[str] | None = None
        for line in body.splitlines():
            if line.startswith("$ "):
                current = []
                found.append((line[2:], ""))
            elif current is not None:
                current.append(line)
                found[-1] = (found[-1][0], "\n".join(current))
        return found
    for line in body.splitlines():
        command = re.sub(r"\s+#\s.*$", "", line).strip()
        if command and not command.startswith("#"):
            found.append((command, None))
    return found


SERVE_STARTS = 60.0  # seconds a pasted `alliances serve` is given to answer /health
# A local Neo4j address in a pasted command (the README's `bolt://127.0.0.1:7687` is the user's own).
LOCAL_NEO4J = re.compile(r"\b(?:bolt|neo4j)(?:\+s|\+ssc)?://(?:127\.0\.0\.1|localhost)(?::\d+)?")
PORT_OPTION = re.compile(r"\s--port(?:=|\s+)\S+")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_pasted(command: str, port: int, neo4j_uri: str) -> str:
    """``command`` as the paste test runs it beside a user's explorer: a server (``alliances serve``)
    on ``port`` instead of the one it names or its default 8000, and a local Neo4j address replaced
    by ``neo4j_uri`` (the suite's own), so the test never binds or reads what a user may be running.

    >>> as_pasted("NEO4J_URI=bolt://127.0.0.1:7687 alliances serve --workers 2", 41000, "bolt://127.0.0.1:41001")
    'NEO4J_URI=bolt://127.0.0.1:41001 alliances serve --workers 2 --port 41000'
    >>> as_pasted("alliances serve --port 8000", 41000, "")
    'alliances serve --port 41000'
    """
    if "alliances serve" in command:
        command = PORT_OPTION.sub("", command) + f" --port {port}"
    return LOCAL_NEO4J.sub(neo4j_uri, command)


def fresh_shell(command: str, timeout: float = 300.0, port: int | None = None) -> subprocess.CompletedProcess[str]:
    """``command`` in a new bash with a bare environment and only the README's set-up run first.

    A server (``alliances serve``, listening on ``port``) runs until stopped: one that answers
    ``/health`` within SERVE_STARTS seconds has started, and is stopped (exit 0); one that exits
    first is judged by its exit code, one that neither answers nor exits fails (124).
    """
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8"}
    args = ["bash", "--noprofile", "--norc", "-c", f"{SETUP} && {command}"]
    with subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as proc:
        if port is not None and answers(proc, f"http://127.0.0.1:{port}/health", SERVE_STARTS):
            os.killpg(proc.pid, signal.SIGTERM)
            out, err = proc.communicate()
            return subprocess.CompletedProcess(args, 0, out, err)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            out, err = proc.communicate()
            return subprocess.CompletedProcess(args, 124, out, err)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def answers(proc: subprocess.Popen[str], url: str, seconds: float) -> bool:
    """Whether ``url`` gives any HTTP answer before ``proc`` exits or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # a 503 (Neo4j not loaded yet) is still a server that runs
        except OSError:
            time.sleep(0.3)
    return False


def paste_problems(text: str, neo4j_uri: str | None = None) -> list[str]:
    """What goes wrong when the README's shell blocks are pasted: every ``alliances`` command is run
    (and a console block's output compared); every ``make`` line must name a real target.

    Run beside a user's explorer: a pasted server gets a free port, and a local Neo4j address in a
    command is replaced by ``neo4j_uri`` (default ``NEO4J_TEST_URI``, the suite's own Neo4j).
    """
    suite_neo4j = os.environ.get("NEO4J_TEST_URI", "") if neo4j_uri is None else neo4j_uri
    problems = []
    saw_setup = False
    for lang, body in shell_blocks(text):
        for command, expected in commands(lang, body):
            words = shlex.split(command)
            while words and "=" in words[0]:
                words = words[1:]  # VAR=value prefixes
            if command == SETUP:
                saw_setup = True
            elif words[:1] == ["alliances"]:
                if LOCAL_NEO4J.search(command) and not suite_neo4j:
                    problems.append(f"`{command}` needs the suite's Neo4j: NEO4J_TEST_URI is not set")
                    continue
                port = free_port() if words[1:2] == ["serve"] else None
                result = fresh_shell(as_pasted(command, port or 0, suite_neo4j), port=port)
                if result.returncode != 0:
                    problems.append(f"`{command}` exited {result.returncode}: {result.stderr.strip()[-300:]}")
                elif expected is not None and result.stdout.rstrip("\n") != expected:
                    problems.append(f"`{command}` printed something else than the README shows")
            elif words[:1] == ["make"]:
                dry = subprocess.run(["make", "-n", *words[1:]], cwd=ROOT, capture_output=True, text=True, check=False)
                if dry.returncode != 0:
                    problems.append(f"`{command}`: {dry.stderr.strip()}")
    if not saw_setup:
        problems.append(f"the README never says `{SETUP}`")
    return problems


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    if "--paste" in argv:
        problems = paste_problems(text)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    new = rewritten(text)
    if "--check" in argv:
        if new != text:
            print("README tour is stale; run: .venv/bin/python scripts/readme_tour.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print("README tour regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
