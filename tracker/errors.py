"""One exception tree for everything `tracker` reports to a user.

Library code raises these; only the command line turns them into messages and exit codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one place."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


class TrackerError(Exception):
    """Base of every error `tracker` expects; exit code 1 (bad data)."""

    exit_code = 1


class InvalidData(TrackerError):
    """One or more problems found in the user's files."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NotFound(TrackerError):
    """A programme, priority, indicator, status or file that does not exist."""


class WorkspaceError(TrackerError):
    """The workspace (policies/ and reports/) cannot be used."""


class RenderError(TrackerError):
    """A report could not be rendered."""


def display_path(path: Path, root: Path) -> str:
    """The path as a user reads it in messages: relative to the workspace when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
