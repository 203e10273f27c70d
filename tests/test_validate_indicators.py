"""How the loader checks seeds/indicators.yaml: every problem with its file, line and field, as for organs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from app.seeds import load_seeds
from tests.test_validate import ALLIANCES, NATO, PAPER, assert_names, line_of, only, problems_of, write

INDICATORS = """\
    indicators:
      - alliance: nato
        measure: merchandise-trade
        value: 600000000000
        qualifier: over
        year: 2006
        scope: us-eu
        scope_note: this figure includes non-NATO countries
        sources:
          - "was over $600 billion in 2006"
      - alliance: nato
        measure: students-in-us
        value: 84000
        qualifier: approximately
        year: 2007/2008
        scope: us-europe
        sources:
          - "While Europe as a whole sent approximately 84,000 students (14.2 percent)"
      - alliance: nato
        measure: members
        value: 12
        year: 1949
        scope: nato
        sources:
          - "membership of 12 has since grown to 26"
      - alliance: nato
        measure: staff
        value: 5500
        qualifier: some
        scope: nato.nac
        sources:
          - "made up of some 5,500 civilian staff members worldwide"
    """


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """The valid base seeds of tests/test_validate.py."""
    write(tmp_path, "alliances.yaml", ALLIANCES)
    write(tmp_path, "nato.yaml", NATO)
    return tmp_path


def problem_at(seeds_dir: Path, old: str, new: str) -> tuple[str, object]:
    text = textwrap.dedent(INDICATORS)
    assert old in text
    text = write(seeds_dir, "indicators.yaml", text.replace(old, new))
    return text, only(problems_of(seeds_dir))


def test_valid_indicators_join_their_alliance_with_lines(seeds: Path) -> None:
    write(seeds, "indicators.yaml", INDICATORS)
    dataset = load_seeds(seeds, PAPER)
    nato = dataset.alliances["nato"]
    assert [i.measure.value for i in nato.indicators] == ["merchandise-trade", "students-in-us", "members", "staff"]
    assert [s.line for i in nato.indicators for s in i.sources] == [127, 129, 66, 86]
    assert [(m.count, m.year) for m in nato.members] == [(12, 1949)]
    assert nato.indicators[1].year == "2007/2008" and nato.indicators[0].unit.value == "usd"
    assert dataset.indicator_count == 4


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("qualifier: over", "qualifier: about", "indicators[0].qualifier", "'over'"),
        ("year: 2007/2008", "year: 2008/2007", "indicators[1].year", "out of order"),
        ("year: 2007/2008", "year: 2007-09", "indicators[1].year", "not an interval"),
        ("value: 84000", "value: 84000.5", "indicators[1].value", "whole number"),
        ("measure: staff", "measure: staf", "indicators[3].measure", "'staff'"),
        ("scope: us-eu\n", "scope: eu\n", "indicators[0].scope", "neither an alliance"),
    ],
)
def test_bad_field_named_with_file_and_line(seeds: Path, old: str, new: str, field: str, words: str) -> None:
    text, problem = problem_at(seeds, old, new)
    assert_names(problem, "indicators.yaml", line_of(text, new.strip()), field)  # type: ignore[arg-type]
    assert words in problem.message  # type: ignore[attr-defined]


def test_unit_that_does_not_fit_the_measure(seeds: Path) -> None:
    text, problem = problem_at(seeds, "    scope: us-eu\n", "    scope: us-eu\n    unit: people\n")
    assert_names(problem, "indicators.yaml", line_of(text, "unit: people"), "indicators[0].unit")  # type: ignore[arg-type]
    assert "its unit: usd" in problem.message  # type: ignore[attr-defined]


def test_quote_not_in_the_paper(seeds: Path) -> None:
    text, problem = problem_at(seeds, '"was over $600 billion in 2006"', '"was over $700 billion in 2006"')
    assert_names(problem, "indicators.yaml", line_of(text, "$700"), "indicators[0].sources[0].quote")  # type: ignore[arg-type]
    assert "was over" in problem.message  # type: ignore[attr-defined]


def test_scope_organ_unknown_or_of_another_alliance(seeds: Path) -> None:
    text, problem = problem_at(seeds, "scope: nato.nac", "scope: nato.nacc")
    assert_names(problem, "indicators.yaml", line_of(text, "nato.nacc"), "indicators[3].scope")  # type: ignore[arg-type]
    assert "did you mean 'nato.nac'" in problem.message  # type: ignore[attr-defined]
    text, problem = problem_at(seeds, "scope: nato.nac", "scope: us-rok.cfc")
    assert_names(problem, "indicators.yaml", line_of(text, "us-rok.cfc"), "indicators[3].scope")  # type: ignore[arg-type]
    assert "belongs to another alliance" in problem.message  # type: ignore[attr-defined]


def test_alliance_missing_or_not_in_the_roster(seeds: Path) -> None:
    text, problem = problem_at(
        seeds, "  - alliance: nato\n    measure: staff", "  - alliance: us-japan\n    measure: staff"
    )
    assert "us-japan" in problem.message  # type: ignore[attr-defined]
    text, problem = problem_at(seeds, "  - alliance: nato\n    measure: members\n", "  - measure: members\n")
    assert_names(problem, "indicators.yaml", line_of(text, "measure: members"), "indicators[2].alliance")  # type: ignore[arg-type]
    assert problem.message == "required field is missing"  # type: ignore[attr-defined]


def test_the_same_figure_twice(seeds: Path) -> None:
    text = textwrap.dedent(INDICATORS)
    first = text.split("  - alliance: nato\n    measure: students-in-us")[0].removeprefix("indicators:\n")
    write(seeds, "indicators.yaml", text + first)
    problem = only(problems_of(seeds))
    assert "duplicate indicator id 'us-eu:merchandise-trade:2006'" in problem.message
    assert problem.field == "indicators[4]"


def test_members_are_no_longer_written_in_an_alliance(seeds: Path) -> None:
    """Member counts are indicators; the old ``members:`` key of an alliance is an unknown field."""
    text = textwrap.dedent(ALLIANCES).replace(
        "    treaty_years: [1949]\n", "    treaty_years: [1949]\n    members: [{count: 12, sources: [x]}]\n", 1
    )
    write(seeds, "alliances.yaml", text)
    [problem] = [p for p in problems_of(seeds) if p.field.startswith("alliances")]
    assert_names(problem, "alliances.yaml", line_of(text, "members:"), "alliances[0].members")
    assert "member counts are indicators" in problem.message
