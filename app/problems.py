"""Problems found in input files (seeds, scenarios): each names the file, the line and the field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SeedError", "SeedProblem", "display_path"]


@dataclass(frozen=True)
class SeedProblem:
    """One thing wrong with the seeds, located as precisely as the file allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        # File-level problems (unreadable file, malformed YAML) have no field to name.
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class SeedError(Exception):
    """The seeds (or a scenario file: ``kind``) are not valid; ``problems`` lists every problem found in the run."""

    def __init__(self, problems: Sequence[SeedProblem], kind: str = "seeds", sources: Sequence[str] = ()) -> None:
        self.problems: list[SeedProblem] = list(problems)
        self.kind = kind  # "seeds", or "scenario" for an analyst's scenario file
        self.sources = list(sources)  # the analysts' source folders read beside the seeds (as displayed)
        super().__init__("\n".join(str(p) for p in self.problems))

    def counted(self) -> str:
        """How many problems, and whose files hold them: the seeds', or an analyst's source folder's
        (an analyst's files are never called the seeds).

        >>> problems = [SeedProblem("seeds/a.yaml", 1, "x", "bad"), SeedProblem("mine/note/claims.yaml", 2, "y", "bad")]
        >>> SeedError(problems, sources=["mine/note"]).counted()
        "2 problem(s): 1 in the seeds, 1 in the analyst's source folder mine/note"
        >>> SeedError(problems[1:], sources=["mine/note"]).counted()
        "1 problem(s) in the analyst's source folder mine/note"
        """

        def within(file: str, folder: str) -> bool:
            return file == folder or file.startswith(folder.rstrip("/") + "/")

        folders = [f for f in self.sources if any(within(p.file, f) for p in self.problems)]
        theirs = sum(1 for p in self.problems if any(within(p.file, f) for f in folders))
        if not theirs:
            return f"{len(self.problems)} problem(s) in the seeds"
        where = f"the analyst's source folder{'s' if len(folders) > 1 else ''} {', '.join(folders)}"
        seeds = len(self.problems) - theirs
        if not seeds:
            return f"{theirs} problem(s) in {where}"
        return f"{len(self.problems)} problem(s): {seeds} in the seeds, {theirs} in {where}"

    def summary(self) -> str:
        """One line saying what is invalid and what to do (each problem is a line of its own).

        >>> SeedError([SeedProblem("s.yaml", 3, "scenario.id", "bad")], kind="scenario").summary()
        'the scenario file s.yaml is invalid (1 problem(s), each on a line above)'
        """
        count = len(self.problems)
        if self.kind == "scenario":
            files = ", ".join(sorted({p.file for p in self.problems}))
            return f"the scenario file {files} is invalid ({count} problem(s), each on a line above)"
        counted = self.counted()
        if not counted.endswith("in the seeds"):
            return f"the data is invalid ({counted}, each on a line above); nothing was loaded"
        return f"the seeds are invalid ({count} problem(s)); run 'alliances validate'"


def display_path(path: Path) -> str:
    """The path as given, made relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
