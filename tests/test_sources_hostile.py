"""An analyst's source folder is new input, refused as seeds and scenario files are (issue 29 item 7).

Each hostile content a YAML reader meets (bytes not UTF-8, malformed YAML, nesting past the bound,
an alias bomb, a number too long for Python to read, a file over the size cap), in each YAML file of
a folder (its record ``source.yaml`` and its claims), and in its text: refused with the file, the
line and the field it is about (a file refused unread, the limit it passed), in one run with the
folder's other problems, all or nothing (nothing of the folder loaded, a served store left as it
was, Neo4j untouched by ``alliances load``), and nothing leaked: no problem echoes the hostile bytes,
a text outside the folder (a symlink) is refused without a word of it, and no message calls the
analyst's files the seeds or the paper.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app.problems import SeedError
from app.seeds import load_seeds
from tests.test_sources_load import NOTE, RECORD, folder

CLAIMS = """organs:
  - id: nato.nac
    life:
      attested: [{year: 2015, quote: "The note says the SCM met again in 2015"}]
    sources: ["The note says the SCM met again in 2015"]
"""
SECRET = "TOP-SECRET-LINE-never-to-be-echoed"
DEEP = "[" * 2000 + "]" * 2000  # past the parser's nesting limit


def _hostile(valid: str, file: str) -> list[tuple[str, bytes, int | None, str]]:
    """(case, content, line, field) for ``file`` made hostile from its ``valid`` text: the line and
    field each problem must name (None: the file is refused whole, its name with or without a line)."""
    lines = valid.splitlines()
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n'
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
    if file == "source.yaml":
        bad_line, bad_field, old, new = 3, "title", "A test note", "A t\udcffst note"
        number_line, number_field, year = 5, "date", "2026-01"
    else:
        bad_line, bad_field, old, new = 2, "organs[0].id", "nato.nac", "nato.n\udcffc"
        number_line, number_field, year = 4, "organs[0].life.attested[0].year", "2015"
    opened = lines[bad_line - 1]
    return [
        ("bytes not UTF-8", valid.replace(old, new, 1).encode("utf-8", "surrogateescape"), bad_line, bad_field),
        ("malformed YAML", valid.replace(opened, opened + " [unclosed", 1).encode(), None, ""),
        ("deep nesting", f"{valid}deep: {DEEP}\n".encode(), len(lines) + 1, "deep"),
        ("an alias bomb", bomb.encode(), None, ""),
        ("a number too long to read", valid.replace(year, "9" * 500_000, 1).encode(), number_line, number_field),
        ("oversized", (valid + "#" + "x" * 11_000_000 + "\n").encode(), None, ""),
    ]


CASES = [
    (file, case, content, line, field)
    for file, valid in (("source.yaml", RECORD), ("claims.yaml", CLAIMS))
    for case, content, line, field in _hostile(valid, file)
]


def _problems(sources: Path) -> list[str]:
    with pytest.raises(SeedError) as err:
        load_seeds(sources_dirs=[sources])
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize(("file", "case", "content", "line", "field"), CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_a_hostile_file_of_a_source_is_named_with_its_line_and_field(
    tmp_path: Path, file: str, case: str, content: bytes, line: int | None, field: str
) -> None:
    sources = folder(tmp_path, CLAIMS)
    path = sources / "my-note" / file
    path.write_bytes(content)
    found = _problems(sources)
    mine = [p for p in found if p.startswith(str(path))]
    assert mine, (case, found[:3])
    if line is not None:
        assert any(p.startswith(f"{path}:{line}: {field}") for p in mine), (case, mine)
    else:
        assert all(re.match(re.escape(str(path)) + r"(:\d+)?: ", p) for p in mine), (case, mine)
    if case == "oversized":
        assert any("over the limit" in p for p in mine), mine
    for problem in found:
        assert len(problem) < 1000, (case, problem[:200])  # the hostile bytes are not echoed
        assert "\ufffd" not in problem and "99999999" not in problem


def test_a_text_that_is_not_utf8_or_points_outside_is_refused_unechoed(tmp_path: Path) -> None:
    """The note's text in another encoding is named at the record's ``text`` line; a text that is a
    symlink to a file outside the folder is refused and not one word of that file is shown."""
    sources = folder(tmp_path, CLAIMS)
    (sources / "my-note" / "note.txt").write_bytes(NOTE.encode("utf-16"))
    record = sources / "my-note" / "source.yaml"
    found = _problems(sources)
    assert any(p.startswith(f"{record}:7: source.text: the text is not UTF-8") for p in found), found

    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET}\n{NOTE}\n", encoding="utf-8")
    (sources / "my-note" / "note.txt").unlink()
    (sources / "my-note" / "note.txt").symlink_to(secret)
    found = _problems(sources)
    assert any(p.startswith(f"{record}:7: source.text:") and "inside the source's folder" in p for p in found)
    assert not any(SECRET in p or str(secret) in p for p in found), found


def test_every_problem_of_a_folder_comes_in_one_run(tmp_path: Path) -> None:
    """A hostile claims file beside a second, ordinary one with its own mistake: both named at once."""
    sources = folder(tmp_path, CLAIMS.replace("year: 2015", "year: " + "9" * 500_000))
    second = sources / "my-note" / "more.yaml"
    second.write_text(
        'organs:\n  - id: nato.nacc\n    sources: ["The note says the SCM met again"]\n', encoding="utf-8"
    )
    found = _problems(sources)
    assert any(p.startswith(f"{sources / 'my-note' / 'claims.yaml'}:4: organs[0].life") for p in found), found
    assert any(p.startswith(f"{second}:2: organs[0].id: unknown organ 'nato.nacc'") for p in found), found


def test_the_command_line_refuses_a_hostile_source_whole_and_says_whose_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    """``alliances validate --sources-dir`` and ``alliances load --sources-dir``: every problem with
    its file and line, a last line saying what was refused, never an invitation to fix the seeds; load
    writes nothing (it stops before it contacts Neo4j: the address here answers nothing)."""
    from app.cli import main

    sources = folder(tmp_path, CLAIMS)
    claims = sources / "my-note" / "claims.yaml"
    claims.write_bytes(CLAIMS.replace("year: 2015", "year: " + "9" * 500_000).encode())
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    for command in (["validate", "--sources-dir", str(sources)], ["load", "--sources-dir", str(sources)]):
        assert main(command) == 1, command
        err = capsys.readouterr().err
        assert f"{claims}:4: organs[0].life.attested[0].year: refused YAML" in err, err
        assert "Neo4j at" not in err and "Couldn't connect" not in err, err  # nothing sent to Neo4j
        last = f"{command[0]}: 1 problem(s) in the analyst's source folder {sources / 'my-note'}"
        assert err.splitlines()[-1] == last + ("; Neo4j was not touched" if command[0] == "load" else ""), err
        assert "seeds" not in err and "9" * 100 not in err, err
