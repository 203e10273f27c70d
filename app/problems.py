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
    """The seeds are not valid; ``problems`` lists every problem found in the run."""

    def __init__(self, problems: Sequence[SeedProblem]) -> None:
        self.problems: list[SeedProblem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """The path as given, made relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
