"""One exception tree for everything `tracker` reports to a user.

Library code raises these; only the command line turns them into messages and exit codes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one place: `PATH:LINE:COLUMN: FIELD: MESSAGE`.

    In a workbook (`sheet` set) the place is a cell, written as spreadsheets name it:
    `PATH:SHEET!A1: FIELD: MESSAGE`, with `line` its row and `column` its column (1-based).
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return f"{self.path}:{self.sheet}!{column_letters(self.column)}{self.line}: {self.field}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


def column_letters(column: int) -> str:
    """A spreadsheet's name of a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters or "A"


class TrackerError(Exception):
    """Base of every error `tracker` expects; exit code 1 (bad data)."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What a user reads: one line each, as the command line prints them."""
        return [f"error: {line}" for line in (str(self).splitlines() or [type(self).__name__])]


class InvalidData(TrackerError):
    """One or more problems found in the user's files, each located (PATH:LINE:COLUMN: FIELD: ...)."""

    def __init__(self, problems: list[Problem]) -> None:
        # By file, then by worksheet in the order they were found (a workbook's own order), then by place.
        sheets: dict[tuple[str, str], int] = {}
        for problem in problems:
            sheets.setdefault((problem.path, problem.sheet), len(sheets))
        self.problems = sorted(problems, key=lambda p: (p.path, sheets[(p.path, p.sheet)], p.line, p.column, p.field,
                                                        p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:  # crosses process boundaries intact
        return (InvalidData, (self.problems,))

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class UsageProblem(TrackerError):
    """A command asked for something the data cannot give (a language no programme is published
    in); exit code 2, like any usage error."""

    exit_code = 2


class NotFound(TrackerError):
    """A programme, priority, indicator, status or file that does not exist."""


class WorkspaceError(TrackerError):
    """The workspace (policies/ and reports/) cannot be used."""


class RenderError(TrackerError):
    """A report could not be rendered."""


class Refused(RenderError):
    """A resource a report may not use (rendering fetches only data: URLs and workspace files)."""


class EditRefused(TrackerError):
    """The change asked for breaks a rule (a future date, a duplicate id, ...); nothing was written."""


class EditError(TrackerError):
    """The file could not be edited without changing more than the edit asked for."""


class LogBusy(WorkspaceError):
    """Another run is writing the same delivery log."""


class SmtpFatal(TrackerError):
    """The mail server cannot be used at all in this run (TLS, login, missing extension)."""


class Unreachable(TrackerError):
    """No connection to the mail server could be made, even after the retries."""


class Stopped(BaseException):
    """The run was asked to stop (SIGTERM, SIGINT): raised where it is, so that every `finally`
    and clean-up runs (staged files removed, processes killed); a BaseException, so that no
    `except Exception` takes it for an error to report or to retry. The CLI prints one line."""

    def __init__(self, name: str, number: int) -> None:
        super().__init__(name)
        self.name = name
        self.exit_code = 128 + number
class EvidenceError(TrackerError):
    """The archive of a source cannot be read or written as asked (no capture, a broken WARC file)."""


# Signals passed inside the library, turned into one of the errors above (or a `Problem`)
# before anything reaches a user.

class BadValue(Exception):
    """A value of the wrong shape; the message is shown to the user, located by the caller."""


class YamlStop(Exception):
    """Loading stops at a node: `mark` is where, `field` the path of the value."""

    def __init__(self, mark: Any, message: str, field: str = "(file)") -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.field = field


class NotRegular(OSError):
    """A path that must be a regular file is a symbolic link, FIFO, directory, socket or device
    (printed as any `OSError`: "PATH: a FIFO, not a regular file; refused")."""
class PoolLost(Exception):
    """The process pool's own thread has died (it could not start a process): `reason` says why."""

    def __init__(self, reason: BaseException) -> None:
        super().__init__(str(reason))
        self.reason = reason


class SmtpTransient(Exception):
    """A failure worth retrying (4xx replies, dropped connections)."""


class SmtpPermanent(Exception):
    """A refusal not worth retrying (5xx replies)."""


class SmtpUnknown(Exception):
    """The whole message was sent and no reply came: it may have been delivered (never retried)."""


class SmtpNoConnection(SmtpTransient):
    """Transient, and no connection at all could be made."""


class FetchFailed(Exception):
    """A source URL could not be fetched: `result` is "error" or "timeout", `reason` says why
    in a few words (shown after the result: `error: too large`)."""

    def __init__(self, result: str, reason: str, connecting: bool = False) -> None:
        super().__init__(f"{result}: {reason}")
        self.result = result
        self.reason = reason
        self.connecting = connecting  # no connection was made: another address of the host may do

    def __reduce__(self) -> tuple[type, tuple[str, str, bool]]:
        return (FetchFailed, (self.result, self.reason, self.connecting))


def display_path(path: Path, root: Path) -> str:
    """The path as a user reads it in messages: relative to the workspace when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
