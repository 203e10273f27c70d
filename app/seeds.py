"""Load the seed files under seeds/: read each YAML file with its lines, check it, and report every problem.

``load_seeds()`` reads every ``*.yaml`` file of the seeds directory (``app.yaml_lines.read_yaml``:
size cap, alias guard, lines), reports repeated keys and unknown sections, and hands each item to
the checks (``app.seed_checks``): the vocabulary, the paper's quotes, and what no single item can
check alone. Each indicator joins its alliance's record, its quotes with their lines. It raises
``SeedError`` carrying *all* the problems of the run, each naming the file, the line and the field,
or returns a ``Dataset`` (``app.dataset``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.codings import add_coding_sources, load_codings
from app.config import default_paper_path, default_seeds_dir, get_settings
from app.dataset import Dataset
from app.paper import Paper
from app.problems import SeedError, SeedProblem, display_path
from app.seed_checks import SECTIONS
from app.source_checks import SourceChecks, paper_record, source_folders
from app.yaml_lines import LineMap, duplicate_keys, field_path, read_yaml
from graph_schema.models import SeedFile

__all__ = ["SeedLoader", "load_seeds"]


class SeedLoader(SourceChecks):
    """One run of loading: each file read with its lines, its items checked, then the cross-file
    checks; the seeds are the paper's claims, and source folders add their own (``app.source_checks``)."""

    def read_file(self, path: Path, text: str | None = None, scenario: bool = False) -> tuple[str, Any]:
        """Read and parse one YAML file (or ``text`` given for it) with the shared guarded reader
        (``read_yaml``: size cap, alias-bomb guard, duplicate keys), reporting what keeps it from
        being read; returns its display name and the parsed data (None when unreadable or empty).
        Seeds and scenarios are read by this one function."""
        file = display_path(path)
        settings = get_settings()
        try:
            if scenario:
                limit = settings.alliance_max_scenario_bytes
                data = read_yaml(path, limit, "scenario file", "ALLIANCE_MAX_SCENARIO_BYTES", text=text)
            else:
                data = read_yaml(path, settings.alliance_max_seed_bytes, text=text)
        except SeedError as err:
            self.problems.extend(err.problems)
            return file, None
        if isinstance(data, LineMap):
            for loc, first, again in duplicate_keys(data):
                self.problem(
                    file, again, field_path(loc), f"duplicate key (first written on line {first}; YAML keeps the last)"
                )
        return file, data

    def load_file(self, path: Path) -> None:
        self.load_sections(path, SECTIONS, list(SeedFile.model_fields), "unknown top-level key")


def load_seeds(
    seeds_dir: Path | None = None, paper_path: Path | None = None, sources_dirs: Sequence[Path] = ()
) -> Dataset:
    """Load and validate every ``*.yaml`` in ``seeds_dir`` (sorted, not recursive) against the paper,
    and every source folder under ``sources_dirs`` against its own text (docs/sources.md).

    ``seeds_dir`` defaults to ``$ALLIANCE_SEEDS_DIR`` or ``<repo>/seeds``; ``paper_path`` to
    ``$ALLIANCE_PAPER`` or ``<seeds_dir>/source/finnegan-2009.txt``, whose record is the ``.yaml``
    beside it. A directory of ``sources_dirs`` is a source folder (it holds ``source.yaml``) or holds
    some. Raises ``SeedError`` with every problem of the run, seeds and sources together; nothing is
    returned unless all are clean: all or nothing.
    """
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    paper_path = Path(paper_path) if paper_path is not None else default_paper_path(seeds_dir)

    paper: Paper | None = None
    early: list[SeedProblem] = []
    try:
        paper = Paper.from_file(paper_path)
    except (OSError, UnicodeDecodeError) as exc:
        early.append(SeedProblem(display_path(paper_path), None, "", f"cannot read the paper: {exc}"))

    if not seeds_dir.is_dir():
        raise SeedError([*early, SeedProblem(display_path(seeds_dir), None, "", "seeds directory not found")])
    files = sorted(p for p in seeds_dir.glob("*.yaml") if p.is_file())
    if not files:
        raise SeedError(
            [*early, SeedProblem(display_path(seeds_dir), None, "", "no *.yaml seed files in the directory")]
        )
    folders: list[Path] = []
    for root in sources_dirs:
        found = source_folders(Path(root))
        if not found:
            message = "no source folder here (a folder holding source.yaml, or folders that do)"
            early.append(SeedProblem(display_path(Path(root)), None, "", message))
        folders += found

    run = SeedLoader(paper, paper_record(paper_path))
    run.problems.extend(early)
    for path in files:
        run.load_file(path)
    for folder in folders:
        run.load_source(folder)
    run.cross_check()
    if not run.problems:
        run.resolve_bounds()
    # The dataset sources that code the roster's treaties (ATOP 5.1), attached to their alliances.
    alliances, coding_records, problems = load_codings(
        seeds_dir / "source", run.dataset.alliances, run.dataset.locations
    )
    run.dataset.alliances = alliances
    run.problems.extend(problems)
    if run.problems:
        # Stable sort: each file's problems together and in line order, file-less ones first.
        run.problems.sort(key=lambda p: (p.file, p.line or 0))
        raise SeedError(run.problems, sources=[display_path(f) for f in folders])
    run.build()
    add_coding_sources(run.dataset, coding_records)
    return run.dataset
