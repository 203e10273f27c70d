"""Tests that pin how the seed loader reports broken seeds: every problem, each with its file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from app.dataset import validate_report
from app.paper import Paper
from app.problems import SeedError, SeedProblem
from app.seeds import load_seeds
from graph_schema.vocabulary import Condition

PAPER = Path(__file__).resolve().parent.parent / "seeds" / "source" / "finnegan-2009.txt"

# A tiny valid base: one alliance, two organs, one edge, every quote copied from the paper.
ALLIANCES = """\
    alliances:
      - id: nato
        name: North Atlantic Treaty Organization
        treaty_years: [1949]
        sources:
          - "The military alliance was formed with the signing of the North Atlantic Treaty of April 4, 1949"
      - id: us-rok
        name: U.S.-ROK alliance
        treaty_years: [1954]
        sources:
          - "Republic of Korea (1954)"
    """

NATO = """\
    organs:
      - id: nato.nac
        acronym: NAC
        name: North Atlantic Council
        type: council
        alliance: nato
        nature: civilian
        level: political
        life:
          start: {year: 1949, quote: "formed with the signing of the North Atlantic Treaty of April 4, 1949"}
        sources:
          - "the NAC is the highest decision making body within NATO"
      - id: nato.mc
        acronym: MC
        name: Military Committee
        type: committee
        alliance: nato
        nature: military
        level: strategic
        sources:
          - quote: "NAC duties are also supported by the Military Committee (MC), the senior military authority in NATO"
    edges:
      - source: nato.mc
        target: nato.nac
        kind: advice
        mode: recommendation
        life:
          start: {year: 1952, quote: "The North Atlantic Council (NAC)'s 1952 Lisbon conference"}
        sources:
          - "The MC's principal role is to provide direction and advice on military policy and strategy."
    """


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's ALLIANCE_* settings out of the tests."""
    monkeypatch.delenv("ALLIANCE_SEEDS_DIR", raising=False)
    monkeypatch.delenv("ALLIANCE_PAPER", raising=False)


def write(directory: Path, name: str, text: str) -> str:
    """Write a dedented seed file and return its text, so tests can find lines in it."""
    text = textwrap.dedent(text)
    (directory / name).write_text(text, encoding="utf-8")
    return text


def edit(seeds_dir: Path, old: str, new: str, name: str = "nato.yaml", base: str = NATO) -> str:
    """Rewrite one base file with ``old`` replaced by ``new``; return the new text."""
    text = textwrap.dedent(base)
    assert old in text
    return write(seeds_dir, name, text.replace(old, new))


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the nth line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A directory holding the valid base seeds."""
    write(tmp_path, "alliances.yaml", ALLIANCES)
    write(tmp_path, "nato.yaml", NATO)
    return tmp_path


def problems_of(seeds_dir: Path) -> list[SeedProblem]:
    with pytest.raises(SeedError) as info:
        load_seeds(seeds_dir, PAPER)
    assert str(info.value) == "\n".join(str(p) for p in info.value.problems)
    return info.value.problems


def assert_names(problem: SeedProblem, file_name: str, line: int | None, field: str) -> None:
    """The problem names the file, the line and the field, both as data and in its text."""
    assert Path(problem.file).name == file_name
    assert problem.line == line
    assert problem.field == field
    where = problem.file if line is None else f"{problem.file}:{line}"
    assert str(problem).startswith(f"{where}: {field}: " if field else f"{where}: ")


def only(problems: list[SeedProblem]) -> SeedProblem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_base_fixture_is_valid(seeds: Path) -> None:
    """A clean directory loads: ids, derived edge ids, locations, counts and the quote count."""
    dataset = load_seeds(seeds, PAPER)
    assert set(dataset.alliances) == {"nato", "us-rok"}
    assert set(dataset.organs) == {"nato.nac", "nato.mc"}
    (edge_id,) = dataset.edges
    assert edge_id == "nato.mc:advice:recommendation:nato.nac"
    assert dataset.locations["nato.mc"] == (str(seeds / "nato.yaml"), line_of(textwrap.dedent(NATO), "id: nato.mc"))
    assert dataset.quote_count == 7
    assert dataset.counts_by_alliance() == {"nato": {"organs": 2, "edges": 1}, "us-rok": {"organs": 0, "edges": 0}}
    report = validate_report(dataset)
    assert "nato" in report and "7 quotes" in report and "2 organs" in report and "1 edges" in report


def test_missing_required_field_names_the_mapping_line(seeds: Path) -> None:
    """A missing field is reported at the line of the mapping that lacks it, with its field path."""
    text = edit(seeds, "    name: Military Committee\n", "")
    assert_names(only(problems_of(seeds)), "nato.yaml", line_of(text, "id: nato.mc"), "organs[1].name")


def test_unknown_edge_kind(seeds: Path) -> None:
    """An edge kind outside the vocabulary is reported at its own key, naming the bad value."""
    text = edit(seeds, "kind: advice", "kind: adivce")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "kind: adivce"), "edges[0].kind")
    assert "adivce" in problem.message and "advice" in problem.message


def test_dangling_edge_names_the_missing_id_and_close_matches(seeds: Path) -> None:
    """An edge to an organ no file defines names the missing id and suggests the near miss."""
    text = edit(seeds, "target: nato.nac", "target: nato.nca")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "target: nato.nca"), "edges[0].target")
    assert "'nato.nca'" in problem.message and "did you mean 'nato.nac'" in problem.message


def test_invented_quote(seeds: Path) -> None:
    """A quote that is not in the paper is reported at its line, with the start of the quote shown."""
    invented = "the NAC is the lowest decision making body within NATO"
    text = edit(seeds, "the NAC is the highest", "the NAC is the lowest")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, invented), "organs[0].sources[0].quote")
    assert f'not found verbatim in the paper: "{invented}"' in problem.message


def test_invented_quote_in_quote_mapping_and_alliance_event(seeds: Path) -> None:
    """Quotes written as ``quote:`` mappings and inside alliance events are checked too, at their own line."""
    nato = textwrap.dedent(NATO).replace("the senior military authority in NATO", "the junior military authority")
    nato_text = write(seeds, "nato.yaml", nato)
    alliances = textwrap.dedent(ALLIANCES).replace(
        "    treaty_years: [1949]\n",
        "    treaty_years: [1949]\n    events:\n      - year: 1952\n        what: Lisbon\n"
        '        sources: ["The Lisbon conference made everything"]\n',
    )
    alliances_text = write(seeds, "alliances.yaml", alliances)
    first, second = problems_of(seeds)
    assert_names(
        first, "alliances.yaml", line_of(alliances_text, "Lisbon conference"), "alliances[0].events[0].sources[0].quote"
    )
    assert_names(second, "nato.yaml", line_of(nato_text, "junior military"), "organs[1].sources[0].quote")


def test_quotes_of_an_invalid_item_are_still_checked(seeds: Path) -> None:
    """An item with a bad field still has its quotes checked, and references to it are not called dangling."""
    nato = (
        textwrap.dedent(NATO)
        .replace("nature: civilian", "nature: civil")
        .replace("the NAC is the highest", "the NAC is the top")
    )
    text = write(seeds, "nato.yaml", nato)
    first, second = problems_of(seeds)
    assert_names(first, "nato.yaml", line_of(text, "nature: civil"), "organs[0].nature")
    assert_names(second, "nato.yaml", line_of(text, "the NAC is the top"), "organs[0].sources[0].quote")


def test_organ_years_out_of_order(seeds: Path) -> None:
    """An organ whose life starts after it ends comes through with the model's message, pinned on the start."""
    text = edit(seeds, "      start: {year: 1949,", "      end: {year: 1940}\n      start: {year: 1949,")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "start: {year: 1949"), "organs[0].life.start")
    assert "years out of order: start 1949 is not before end 1940" in problem.message


def test_edge_years_out_of_order(seeds: Path) -> None:
    """An edge that ends the year it starts (it holds on start <= year < end) is reported at its start."""
    text = edit(seeds, "      start: {year: 1952,", "      end: {year: 1952}\n      start: {year: 1952,")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "start: {year: 1952"), "edges[0].life.start")
    assert "start 1952 is not before end 1952" in problem.message


def test_role_years_out_of_order(seeds: Path) -> None:
    """A nested model's cross-field check is pinned inside the nested item (roles[0].from)."""
    text = edit(
        seeds, "level: political", "level: political\n    roles:\n      - {role: advisory, from: 1990, to: 1980}"
    )
    assert_names(only(problems_of(seeds)), "nato.yaml", line_of(text, "role: advisory"), "organs[0].roles[0].from")


def test_duplicate_id_across_two_files_names_both_places(seeds: Path) -> None:
    """The same organ id in two files is one problem at the second place, naming the first place too."""
    nato = textwrap.dedent(NATO)
    write(seeds, "more.yaml", "organs:\n" + nato[nato.index("  - id: nato.mc") : nato.index("edges:")])
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(nato, "id: nato.mc"), "organs[1].id")
    assert "duplicate organ id 'nato.mc'" in problem.message
    assert f"{seeds / 'more.yaml'}:2" in problem.message


def test_duplicate_derived_edge_id(seeds: Path) -> None:
    """Two edges that derive the same id are a duplicate, though neither writes an id."""
    nato = textwrap.dedent(NATO)
    text = write(seeds, "nato.yaml", nato + nato[nato.index("  - source:") :])
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "source: nato.mc", nth=2), "edges[1]")
    assert "duplicate edge id 'nato.mc:advice:recommendation:nato.nac'" in problem.message


def test_malformed_yaml_gives_file_and_line(seeds: Path) -> None:
    """Malformed YAML is one problem with the file and the line (and column) of the YAML mark."""
    write(seeds, "broken.yaml", "organs:\n  - id: nato.x\n    name: [unclosed\n    type: council\nedges: ]\n")
    problem = only(problems_of(seeds))
    assert Path(problem.file).name == "broken.yaml"
    assert problem.line is not None and 3 <= problem.line <= 5
    assert "malformed YAML" in problem.message and "column" in problem.message


def test_python_tag_is_an_error_and_not_executed(seeds: Path, tmp_path: Path) -> None:
    """A ``!!python/object/apply`` tag is refused with its file and line; the command never runs."""
    marker = tmp_path / "pwned"
    write(seeds, "evil.yaml", f"organs:\n  - !!python/object/apply:os.system ['touch {marker}']\n")
    problem = only(problems_of(seeds))
    assert_names(problem, "evil.yaml", 2, "organs[0]")  # the item the tag is on
    assert "python/object/apply:os.system" in problem.message
    assert not marker.exists()


def test_several_problems_reported_in_one_run(seeds: Path) -> None:
    """One run reports every problem of every file, each bad item on its own, in file and line order."""
    nato = textwrap.dedent(NATO).replace("kind: advice", "kind: orders").replace("nature: military", "nature: martial")
    nato_text = write(seeds, "nato.yaml", nato)
    write(seeds, "broken.yaml", "organs: [\n")
    alliances_text = edit(seeds, "    name: U.S.-ROK alliance\n", "", "alliances.yaml", ALLIANCES)
    problems = problems_of(seeds)
    found = {(Path(p.file).name, p.line, p.field) for p in problems}
    assert found >= {
        ("alliances.yaml", line_of(alliances_text, "id: us-rok"), "alliances[1].name"),
        ("nato.yaml", line_of(nato_text, "nature: martial"), "organs[1].nature"),
        ("nato.yaml", line_of(nato_text, "kind: orders"), "edges[0].kind"),
    }
    assert any(Path(p.file).name == "broken.yaml" for p in problems)
    assert len(problems) == 4, "\n".join(map(str, problems))
    assert [Path(p.file).name for p in problems] == sorted(Path(p.file).name for p in problems)


def test_peacetime_is_accepted_as_armistice(seeds: Path) -> None:
    """``condition: peacetime`` loads, and is read as the armistice condition."""
    write(
        seeds,
        "rok.yaml",
        """\
        organs:
          - id: us-rok.cfc
            acronym: CFC
            name: Combined Forces Command
            type: command
            alliance: us-rok
            nature: military
            level: operational
            established: 1978
            sources: ["the current Combined Forces Command (CFC) was established"]
          - id: rok.forward-forces
            name: forward deployed ROK forces
            type: force
            nation: ROK
            nature: military
            level: component
            sources: ["Operational Control (OPCON) of only those forward deployed ROK forces"]
        edges:
          - source: us-rok.cfc
            target: rok.forward-forces
            kind: authority
            mode: opcon
            condition: peacetime
            from: 1978
            sources:
              - "For peacetime, or more accurately for the period of armistice, the Commander CFC was given
                Operational Control (OPCON) of only those forward deployed ROK forces"
        """,
    )
    dataset = load_seeds(seeds, PAPER)
    (edge,) = [e for e in dataset.edges.values() if e.source == "us-rok.cfc"]
    assert edge.condition is Condition.ARMISTICE
    assert dataset.counts_by_alliance()["us-rok"] == {"organs": 1, "edges": 1}
    assert dataset.counts_by_alliance()["national"] == {"organs": 1, "edges": 0}


def test_organ_alliance_must_be_in_the_roster(seeds: Path) -> None:
    """When a roster is loaded, an organ of an alliance missing from it is reported at its alliance key."""
    alliances = textwrap.dedent(ALLIANCES)
    write(seeds, "alliances.yaml", alliances[: alliances.index("  - id: us-rok")])
    text = write(
        seeds,
        "rok.yaml",
        """\
        organs:
          - id: us-rok.scm
            name: Security Consultative Meeting
            type: dialogue
            alliance: us-rok
            nature: civilian
            level: political
            sources: ["Republic of Korea (1954)"]
        """,
    )
    problem = only(problems_of(seeds))
    assert_names(problem, "rok.yaml", line_of(text, "alliance: us-rok"), "organs[0].alliance")
    assert "not in the roster" in problem.message


def test_unknown_predecessor(seeds: Path) -> None:
    """A predecessor that no file defines is reported at its list item."""
    text = edit(seeds, "level: strategic", "level: strategic\n    predecessors:\n      - nato.mcx")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "- nato.mcx"), "organs[1].predecessors[0]")
    assert "did you mean 'nato.mc'" in problem.message


def test_repeated_yaml_key_is_reported(seeds: Path) -> None:
    """A key written twice in one mapping is a problem (YAML would keep the last silently)."""
    text = edit(seeds, "level: political", "level: political\n    level: strategic")
    assert_names(only(problems_of(seeds)), "nato.yaml", line_of(text, "level: strategic"), "organs[0].level")


def test_file_is_shown_relative_to_the_working_directory(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problem files are given relative to the working directory when they lie below it."""
    edit(seeds, "kind: advice", "kind: adivce")
    monkeypatch.chdir(seeds.parent)
    problem = only(problems_of(Path(seeds.name)))
    assert problem.file == f"{seeds.name}/nato.yaml"


def test_environment_chooses_the_seeds_and_the_paper(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ALLIANCE_SEEDS_DIR and ALLIANCE_PAPER are the defaults when no argument is given."""
    monkeypatch.setenv("ALLIANCE_SEEDS_DIR", str(seeds))
    monkeypatch.setenv("ALLIANCE_PAPER", str(PAPER))
    assert set(load_seeds().organs) == {"nato.nac", "nato.mc"}
    monkeypatch.setenv("ALLIANCE_PAPER", str(seeds / "missing.txt"))
    with pytest.raises(SeedError, match="cannot read the paper"):
        load_seeds()


def test_problem_text_format() -> None:
    """A problem reads ``file:line: field: message``."""
    problem = SeedProblem("seeds/nato.yaml", 42, "organs[3].kind", "bad")
    assert str(problem) == "seeds/nato.yaml:42: organs[3].kind: bad"


def test_quote_matching_ignores_line_breaks_but_not_words() -> None:
    """Quotes match verbatim up to whitespace (wrapped differently) and markdown ``*``/``\\$``; a changed word fails."""
    paper = Paper.from_file(PAPER)
    assert paper.contains("the NAC is the highest decision making body within NATO")
    assert paper.contains("the NAC is the\n    highest decision\tmaking   body\nwithin NATO")
    assert not paper.contains("the NAC is the highest decision-making body within NATO")
    assert not paper.contains("the NAC is the supreme decision making body within NATO")
    # The paper writes "*after*" and "\$600 billion" in markdown.
    assert paper.contains("(with over one-third of these members added after the end of the Cold War)")
    assert paper.contains("was over $600 billion in 2006")
    assert Paper.from_file(PAPER) is paper


# ---------------------------------------------------------------------------------- time and certainty

MC_LIFE = '    sources:\n      - quote: "NAC duties are also supported'


def test_a_bound_without_its_quote_is_an_error_at_the_bound(seeds: Path) -> None:
    """Every bound carries the words of the paper that imply it."""
    text = edit(seeds, MC_LIFE, "    life:\n      start:\n        not_before: {year: 1952}\n" + MC_LIFE)
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "not_before: {year: 1952}"), "organs[1].life.start.not_before")
    assert "a bound needs the quote that implies it" in problem.message


def test_an_attested_year_outside_the_bounds_is_an_error(seeds: Path) -> None:
    """An attested year before the life's start cannot be."""
    text = edit(
        seeds,
        "      start: {year: 1949,",
        '      attested: [{year: 1948, quote: "NATO is unique in both the level"}]\n      start: {year: 1949,',
    )
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "attested: [{year: 1948"), "organs[0].life.attested")
    assert "attested 1948 is before the start (1949)" in problem.message


def test_a_status_period_outside_the_life_is_an_error(seeds: Path) -> None:
    text = edit(
        seeds,
        '    sources:\n      - "the NAC is the highest',
        '    status_periods:\n      - {status: dormant, attested: [{year: 1940, quote: "NATO is unique in"}]}\n'
        '    sources:\n      - "the NAC is the highest',
    )
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "status_periods:"), "organs[0].status_periods")
    assert "status_periods[0] (dormant) starts at 1940, before the life (1949)" in problem.message


def test_a_part_of_an_organ_that_does_not_exist_is_an_error(seeds: Path) -> None:
    text = edit(seeds, "    level: strategic\n", "    level: strategic\n    part_of: nato.nca\n")
    problem = only(problems_of(seeds))
    assert_names(problem, "nato.yaml", line_of(text, "part_of: nato.nca"), "organs[1].part_of")
    assert "did you mean 'nato.nac'" in problem.message


def test_a_relative_bound_resolves_from_the_organ_it_names(seeds: Path) -> None:
    """'This mechanism was complemented later by the establishment of the Military Committee Meeting
    (MCM)': not before the SCM's start; written relative to it, the bound's year is filled from it."""
    edit(
        seeds,
        MC_LIFE,
        "    life:\n      start:\n        not_before: {relative_to: nato.nac, quote: "
        '"This mechanism was complemented later by the establishment of the Military Committee Meeting"}\n' + MC_LIFE,
    )
    dataset = load_seeds(seeds, PAPER)
    bound = dataset.organs["nato.mc"].life.start.not_before
    assert bound is not None and bound.year == 1949 and bound.relative_to == "nato.nac"


def test_a_relative_bound_to_nothing_is_an_error(seeds: Path) -> None:
    text = edit(
        seeds,
        MC_LIFE,
        "    life:\n      start:\n        not_before: {relative_to: nato.nca, quote: "
        '"This mechanism was complemented later by the establishment of the Military Committee Meeting"}\n' + MC_LIFE,
    )
    problem = only(problems_of(seeds))
    assert_names(
        problem, "nato.yaml", line_of(text, "relative_to: nato.nca"), "organs[1].life.start.not_before.relative_to"
    )
    assert "unknown organ 'nato.nca'" in problem.message
