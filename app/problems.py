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

    def __init__(self, problems: Sequence[SeedProblem], kind: str = "seeds") -> None:
        self.problems: list[SeedProblem] = list(problems)
        self.kind = kind  # "seeds", or "scenario" for an analyst's scenario file
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        """One line saying what is invalid and what to do (each problem is a line of its own).

        >>> SeedError([SeedProblem("s.yaml", 3, "scenario.id", "bad")], kind="scenario").summary()
        'the scenario file s.yaml is invalid (1 problem(s), each on a line above)'
        """
        count = len(self.problems)
        if self.kind == "scenario":
            files = ", ".join(sorted({p.file for p in self.problems}))
            return f"the scenario file {files} is invalid ({count} problem(s), each on a line above)"
        return f"the seeds are invalid ({count} problem(s)); run 'alliances validate'"


def display_path(path: Path) -> str:
    """The path as given, made relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
