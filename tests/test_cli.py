"""The ``alliances`` command line (CONTRACT.md §3): outputs, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.helpers import on_a_terminal

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
    assert out.startswith("connected: NAC (nato.nac) reaches SACEUR (nato.saceur)") and "nato.mc" in out


def test_compare_table_is_figure_4_transposed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split()
    assert header == ["nato", "us-rok", "us-japan"]


def test_unknown_id_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkage", "--alliance", "natoo"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "natoo" in err


def test_centrality_csv_ranks_nato_with_nothing_above_the_nac(capsys: pytest.CaptureFixture[str]) -> None:
    """'the NAC is the highest decision making body within NATO' (line 72): no authority edge runs
    into it, so its pagerank is the least of all; every row a rank, an organ and its score."""
    assert main(["centrality", "--alliance", "nato", "--metric", "pagerank", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["rank", "id", "acronym", "name", "score", "articulation"]
    scores = {r["id"]: float(r["score"]) for r in rows}
    assert scores["nato.nac"] == min(scores.values()) and scores["nato.saceur"] > scores["nato.nac"]


def test_timeline_table_dates_the_scm_and_cfc(capsys: pytest.CaptureFixture[str]) -> None:
    """'In 1969 the United States and South Korea established ... the Security Consultative Meeting
    (SCM)' (line 240); 'In 1978 ... the current Combined Forces Command (CFC) was established' (line 243)."""
    assert main(["timeline", "--alliance", "us-rok"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    founded = {(row[0], organ) for row in rows for organ in row if organ.startswith("us-rok.") and "founded" in row}
    assert {("1969", "us-rok.scm"), ("1978", "us-rok.cfc")} <= founded


def test_diff_table_adds_cfc_between_1975_and_1985(capsys: pytest.CaptureFixture[str]) -> None:
    """'In 1978 ... the current Combined Forces Command (CFC) was established and supplanted UNC as
    the "warfighter"' (line 243): CFC and its commander are added between 1975 and 1985."""
    assert main(["diff", "--alliance", "us-rok", "--from", "1975", "--to", "1985"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("us-rok 1975 -> 1985: civil-military linkage by authority edges: linked in 1975")
    added = {tuple(line.split()[:3]) for line in out.splitlines()[3:]}
    assert {("added", "organ", "us-rok.cfc"), ("added", "organ", "us-rok.commander-cfc")} <= added


def test_export_gexf_to_a_file_holds_cfc(tmp_path: Path) -> None:
    """The GEXF export written with -o is the U.S.-ROK structure, CFC (established 1978) among its nodes."""
    out = tmp_path / "rok.gexf"
    assert main(["export", "--alliance", "us-rok", "--format", "gexf", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<gexf ')
    assert '<node id="us-rok.cfc"' in text and '<node id="nato.nac"' not in text


def test_installed_entry_point() -> None:
    """The console script is what the README tells people to run."""
    exe = Path(sys.executable).with_name("alliances")
    result = subprocess.run(
        [str(exe), "linkage", "--alliance", "nato", "--as-of", "2009"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "linked by authority edges" in result.stdout
    bad = subprocess.run([str(exe), "paths"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2


# ------------------------------------------------------------------ names as the paper writes them (issue 15)


def test_paths_accepts_acronyms_nac_to_saceur(capsys: pytest.CaptureFixture[str]) -> None:
    """'the very active and close linkage of the NAC to the MC and to the Strategic Commanders':
    the organs can be named by their acronyms, in any case."""
    assert main(["paths", "NAC", "saceur", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["source"], result["target"], result["connected"]) == ("nato.nac", "nato.saceur", True)


def test_alliance_by_alias_and_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["linkage", "--alliance", "NATO", "--as-of", "2009", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["alliance"] == "nato"
    assert main(["compare", "--alliances", "NATO,ROK,Japan", "--format", "csv"]) == 0
    assert [r["alliance"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))] == [
        "nato",
        "us-rok",
        "us-japan",
    ]


def test_ambiguous_president_lists_both_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """'President' is an alias of both the U.S. and the ROK President: refused, naming both."""
    assert main(["paths", "President", "us-rok.cfc"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "source" in err and "us.president" in err and "rok.president" in err


def test_unknown_organ_korea_gets_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["paths", "korea", "nato.nac"]) == 1
    err = capsys.readouterr().err
    assert "unknown organ id 'korea'" in err and "us.forces-korea" in err


def test_exclude_and_highlight_take_acronyms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Excluding ACO, named by its acronym, cuts NATO's chain: 'Allied Command Operations (ACO), led by the
    Supreme Allied Commander Europe (SACEUR)' — its leader, a part of it, goes with it."""
    assert main(["linkage", "--alliance", "nato", "--as-of", "2009", "--exclude", "ACO", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["exclude"] == ["nato.aco"] and result["linked"] is False
    assert {"nato.aco", "nato.saceur"} <= set(result["removed"]) and result["break"]["cause"] == "excluded"
    out = tmp_path / "nato.svg"
    assert (
        main(["diagram", "--alliance", "nato", "--as-of", "2009", "--highlight", "path:NAC,SACEUR", "-o", str(out)])
        == 0
    )
    assert "<svg" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the organs search (issue 15)


def test_organs_search_table_json_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["organs", "--q", "mil", "--alliance", "nato"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 organs in NATO in any year, matching 'mil'")
    assert "nato.mc" in out and "nato.military-representatives" in out
    assert main(["organs", "--q", "SACEUR", "--format", "json"]) == 0
    assert [o["id"] for o in json.loads(capsys.readouterr().out)] == ["nato.saceur"]
    assert (
        main(["organs", "--alliance", "us-rok", "--nature", "military", "--level", "component", "--format", "csv"]) == 0
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert "us-rok.ground-component-command" in {r["id"] for r in rows}
    assert {r["level"] for r in rows} == {"component"} and {r["nature"] for r in rows} == {"military"}


def test_organs_search_empty_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["organs", "--q", "zzzz"]) == 0
    assert capsys.readouterr().out.strip() == "no organs in any year, matching 'zzzz'"
    assert main(["organs", "--level", "galactic"]) == 1
    assert "level: unknown value 'galactic'" in capsys.readouterr().err


# ------------------------------------------------------------------ answers in words (issue 15)

PYTHON_WORDS = ("None", "True", "False", "as_of=", "connected=", "shortest_hops=", "(no rows)", "…")


def _no_python(text: str) -> None:
    for word in PYTHON_WORDS:
        assert word not in text, f"{word!r} in output:\n{text}"


def test_paths_not_connected_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["paths", "us.president", "nato.saceur", "--as-of", "2009"]) == 0
    out = capsys.readouterr().out
    _no_python(out)
    assert out.strip() == (
        "not connected: the paper reports no chain of authority edges from U.S. President (us.president) "
        "to SACEUR (nato.saceur) in 2009 (not reported; the paper does not say there is none)"
    )


def test_linkage_before_the_treaty_names_the_treaty_year(capsys: pytest.CaptureFixture[str]) -> None:
    """NATO: 'The military alliance was formed with the signing of the North Atlantic Treaty' (1949)."""
    assert main(["linkage", "--alliance", "nato", "--as-of", "1900"]) == 0
    out = capsys.readouterr().out
    _no_python(out)
    assert "NATO's treaty is of 1949; nothing of it exists in 1900" in out
    assert "reaches: " not in out and not out.rstrip().endswith(":")


def test_linkage_break_in_words_not_cut(capsys: pytest.CaptureFixture[str]) -> None:
    """U.S.-Japan by authority: the SCC reaches only coordination bodies; coordination closes the gap."""
    assert main(["linkage", "--alliance", "us-japan", "--as-of", "2009"]) == 0
    out = capsys.readouterr().out
    _no_python(out)
    assert "not linked by authority edges" in out and "the paper states the gap" in out
    assert "adding one kind of edge closes the gap: coordination" in out
    assert "SCC reaches" in out and "DPRI (1 hop)" in out


def test_tables_have_no_python_values(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["linkage", "--alliance", "nato"],
        ["diff", "--alliance", "us-rok", "--from", "1993", "--to", "1995", "--condition", "peacetime"],
        ["diff", "--alliance", "nato", "--from", "1900", "--to", "1901"],
        ["centrality", "--alliance", "us-rok", "--as-of", "2009"],
        ["timeline", "--alliance", "us-rok"],
    ):
        assert main(argv) == 0, argv
        out = capsys.readouterr().out
        assert "None" not in out and "True" not in out and "False" not in out and "as_of=" not in out, argv
    assert main(["diff", "--alliance", "nato", "--from", "1900", "--to", "1901"]) == 0
    assert "nothing in the structure changed between 1900 and 1901: NATO's treaty is of 1949" in capsys.readouterr().out


def test_diff_keeps_edge_ids_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """'In 1994, "peacetime OPCON" was withdrawn from Commander CFC': the id can be copied whole."""
    assert main(["diff", "--alliance", "us-rok", "--from", "1993", "--to", "1995", "--condition", "peacetime"]) == 0
    out = capsys.readouterr().out
    assert "…" not in out and "us-rok.commander-cfc:authority:opcon:rok.forward-deployed-forces:armistice" in out


# ------------------------------------------------------------------ version, help, progress (issue 15)


def test_version_and_help_without_markup() -> None:
    exe = Path(sys.executable).with_name("alliances")
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.strip().startswith("alliances 0.")
    helped = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert helped.returncode == 0 and "organs" in helped.stdout
    assert "``" not in helped.stdout and "usage: alliances" in helped.stdout


def test_figures_progress_only_on_a_terminal(tmp_path: Path) -> None:
    """Piped: the one summary line, no bar; on a terminal (a pty): a bar that counts the figures."""
    exe = Path(sys.executable).with_name("alliances")
    piped = subprocess.run(
        [str(exe), "figures", "--out", str(tmp_path / "a")], capture_output=True, text=True, check=False
    )
    assert piped.returncode == 0 and "[" not in piped.stderr
    assert piped.stderr.strip().startswith("wrote ") and len(piped.stderr.strip().splitlines()) == 1
    shown = on_a_terminal([str(exe), "figures", "--out", str(tmp_path / "b")])
    assert "\r[" in shown and "figure-1-nato-2009.svg" in shown and "wrote " in shown


@pytest.mark.parametrize(
    ("uri", "says"),
    [
        (
            "bolt://127.0.0.1:1",
            "check that Neo4j is running and that NEO4J_URI names it (NEO4J_URI=bolt://127.0.0.1:1;",
        ),
        ("bolt://neo4j:hunter2@127.0.0.1:1", "give them in NEO4J_USER and NEO4J_PASSWORD instead"),
    ],
)
def test_neo4j_down_is_one_line_without_driver_noise_or_password(uri: str, says: str) -> None:
    exe = Path(sys.executable).with_name("alliances")
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_PASSWORD": "hunter2", "NEO4J_TIMEOUT_SECONDS": "2"}
    result = subprocess.run(
        [str(exe), "linkage", "--alliance", "nato"], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert says in lines[0] and "hunter2" not in lines[0] and "retried" not in lines[0]


def test_search_is_the_organs_command_with_its_text_as_argument(capsys: pytest.CaptureFixture[str]) -> None:
    """'alliances search SACEUR' (issue 15): the Supreme Allied Commander Europe."""
    assert main(["search", "SACEUR", "--format", "json"]) == 0
    assert [o["id"] for o in json.loads(capsys.readouterr().out)] == ["nato.saceur"]


def test_diff_of_a_scenario_in_a_year_says_what_it_adds(capsys: pytest.CaptureFixture[str]) -> None:
    """The paper's recommendation 'a system by which the United States would share information on
    nuclear planning and consult with the ROK' (line 278), as a scenario against the data of 2013:
    the command takes the API's scenario and year (GET /diff?scenario&as_of) and says it in words."""
    argv = ["diff", "--alliance", "us-rok", "--as-of", "2013", "--scenario", "rok-nuclear-consultation"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("us-rok in 2013, the data against scenario 'rok-nuclear-consultation'")
    assert ("added", "organ", "us-rok.nuclear-consultation") in {tuple(line.split()[:3]) for line in out.splitlines()}
