"""A broken coding source (seeds/source/atop-5.1/) is refused like broken seeds: every problem of the run, each
with its file, line and field, and nothing is loaded (the store is left as it was)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app.problems import SeedError
from app.seeds import load_seeds

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    """A copy of the shipped seeds, with the ATOP folder, to break."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def edit(path: Path, change: Callable[[list[str]], None]) -> None:
    lines = path.read_text("utf-8").splitlines()
    change(lines)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def problems(seeds: Path) -> list[tuple[str, int | None, str, str]]:
    with pytest.raises(SeedError) as err:
        load_seeds(seeds)
    return [(Path(p.file).name, p.line, p.field, p.message) for p in err.value.problems]


def set_cell(lines: list[str], line: int, column: str, value: str) -> None:
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)


def test_the_shipped_source_loads(seeds: Path) -> None:
    """The copy loads: every roster alliance ATOP codes has its phases."""
    dataset = load_seeds(seeds)
    assert [p.record for p in dataset.alliances["nato"].codings] == ["3180.1", "3180.2"]


def test_every_problem_with_file_line_and_field(seeds: Path) -> None:
    """A value a variable does not take, an unknown roster id and a member of a phase that does not exist, in
    two files: all three reported in one run, each where it is."""
    folder = seeds / "source" / "atop-5.1"
    edit(folder / "alliance_phases.csv", lambda lines: set_cell(lines, 3, "organ1", "7"))
    edit(folder / "alliance_phases.csv", lambda lines: set_cell(lines, 4, "roster_id", "us-france"))
    edit(folder / "members.csv", lambda lines: set_cell(lines, 2, "phase", "9"))
    found = problems(seeds)
    assert ("alliance_phases.csv", 3, "organ1", "organ1 takes 0, 1, 2, 3, not 7") in found
    assert any(p[:3] == ("alliance_phases.csv", 4, "roster_id") and "us-france" in p[3] for p in found)
    assert any(p[:3] == ("members.csv", 2, "phase") and "no phase 9 of atopid '3180'" in p[3] for p in found)


def test_dates_and_the_2018_flag_are_checked(seeds: Path) -> None:
    """A begin that is not a date, and 'in_effect_2018' saying 1 for a phase that ended."""
    folder = seeds / "source" / "atop-5.1"
    edit(folder / "alliance_phases.csv", lambda lines: set_cell(lines, 4, "begin", "1951-13-01"))
    edit(folder / "alliance_phases.csv", lambda lines: set_cell(lines, 2, "in_effect_2018", "1"))
    found = problems(seeds)
    assert any(p[:3] == ("alliance_phases.csv", 4, "begin") and "not a date" in p[3] for p in found)
    assert any(p[:3] == ("alliance_phases.csv", 2, "in_effect_2018") for p in found)


def test_a_member_outside_its_phase(seeds: Path) -> None:
    """A member that enters before its phase begins is refused (members.csv line 2: the United States in 3180.1)."""
    folder = seeds / "source" / "atop-5.1"
    edit(folder / "members.csv", lambda lines: set_cell(lines, 2, "entered", "1948-01-01"))
    assert any(p[:3] == ("members.csv", 2, "entered") and "outside its phase" in p[3] for p in problems(seeds))


def test_a_missing_column_names_the_header(seeds: Path) -> None:
    folder = seeds / "source" / "atop-5.1"
    edit(folder / "alliance_phases.csv", lambda lines: lines.__setitem__(0, lines[0].replace(",intcom,", ",intcomm,")))
    found = problems(seeds)
    assert any(p[:3] == ("alliance_phases.csv", 1, "header") and "missing intcom" in p[3] for p in found)


def test_the_record_must_be_a_dataset(seeds: Path) -> None:
    """The folder's source.yaml is a SourceRecord of kind dataset; another kind is refused with its field."""
    record = seeds / "source" / "atop-5.1" / "source.yaml"
    record.write_text(record.read_text("utf-8").replace("kind: dataset", "kind: analyst"), "utf-8")
    assert any(p[0] == "source.yaml" and p[2] in ("", "kind") for p in problems(seeds))


def test_codings_written_in_a_seed_are_refused(seeds: Path) -> None:
    """Codings come from a dataset source only: an alliance record that writes its own is refused."""
    alliances = seeds / "alliances.yaml"
    text = alliances.read_text("utf-8").replace(
        "    standing_structure: true\n", "    standing_structure: true\n    codings: []\n", 1
    )
    alliances.write_text(text, "utf-8")
    dataset = load_seeds(seeds)  # an empty list writes nothing
    assert dataset.alliances["nato"].codings
    bad = alliances.read_text("utf-8").replace("    codings: []\n", "    codings: [{source_id: x}]\n", 1)
    alliances.write_text(bad, "utf-8")
    assert any("codings" in p[2] for p in problems(seeds))
