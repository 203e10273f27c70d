"""The ``alliances`` command line (CONTRACT.md §3): outputs, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_validate_reports_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "quotes found verbatim in the paper" in out and "nato" in out


def test_validate_broken_seeds_exit_nonzero_naming_file_line_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    text = (seeds / "nato.yaml").read_text(encoding="utf-8").replace("kind: authority", "kind: command", 1)
    (seeds / "nato.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "--seeds", str(seeds)]) == 1
    err = capsys.readouterr().err
    assert "nato.yaml:" in err and ".kind" in err


def test_linkage_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkage", "--alliance", "us-japan", "--as-of", "2009", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["linked"] is False
    assert (
        main(
            [
                "linkage",
                "--alliance",
                "us-japan",
                "--as-of",
                "2009",
                "--kinds",
                "authority,coordination",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and rows[0]["linked"] == "True" and rows[0]["from"] == "us-japan.scc"


def test_paths_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["paths", "nato.nac", "nato.saceur"]) == 0
    out = capsys.readouterr().out
    assert "connected=True" in out and "nato.mc" in out


def test_compare_table_is_figure_4_transposed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header == ["nato", "us-rok", "us-japan"]


def test_unknown_id_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkage", "--alliance", "natoo"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "natoo" in err


def test_other_commands_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["centrality", "--alliance", "nato", "--metric", "pagerank", "--format", "csv"]) == 0
    assert main(["timeline", "--alliance", "us-rok"]) == 0
    assert main(["diff", "--alliance", "us-rok", "--from", "1975", "--to", "1985"]) == 0
    out = tmp_path / "rok.gexf"
    assert main(["export", "--alliance", "us-rok", "--format", "gexf", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<gexf ')


def test_installed_entry_point() -> None:
    """The console script is what the README tells people to run."""
    exe = Path(sys.executable).with_name("alliances")
    result = subprocess.run(
        [str(exe), "linkage", "--alliance", "nato", "--as-of", "2009"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "linked=True" in result.stdout
    bad = subprocess.run([str(exe), "paths"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
