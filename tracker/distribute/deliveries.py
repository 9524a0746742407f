"""`reports/<id>/deliveries.jsonl`: one JSON line per delivery outcome, only ever appended to.

Each line: {"edition", "programme", "recipient", "time", "result", "message_id", "detail", "test"}.
A recipient has received an edition when a line says `delivered` for that edition and address
and is not a test send (`--to`). Lines are written one at a time, flushed and synced to disk
right after the server accepts each message, under an exclusive lock held for the whole run.
A line that cannot be read (the last one cut short by a crash, say) is skipped and reported.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional

from tracker.edit import lock
from tracker.edit.atomic import fsync_dir, open_regular, read_regular
from tracker.errors import LogBusy, NotRegular, WorkspaceError

LOG_NAME = "deliveries.jsonl"
DELIVERED, REFUSED, FAILED, UNKNOWN = "delivered", "refused", "failed", "unknown"
RESULTS = (DELIVERED, REFUSED, FAILED, UNKNOWN)


@dataclass(frozen=True)
class Delivery:
    edition: str  # as-of date of the edition, YYYY-MM-DD
    programme: str
    recipient: str
    time: str  # when the outcome was known, UTC, ISO 8601
    result: str  # delivered, refused, failed or unknown (sent, no reply: it may have been delivered)
    message_id: str
    detail: str = ""  # the server's reply, or why the message did not go
    test: bool = False  # sent with --to: never counts as the list recipient's copy

    def line(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False) + "\n").encode("utf-8")


def timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Log:
    """The records of one programme's log, and a warning for each line that could not be read."""

    path: Path
    records: list[Delivery]
    warnings: list[str]

    def delivered(self, edition: dt.date, address: str) -> Optional[Delivery]:
        """The first successful (non-test) delivery of `edition` to `address`, if any."""
        wanted = edition.isoformat()
        for record in self.records:
            if (record.result == DELIVERED and not record.test and record.edition == wanted
                    and record.recipient.lower() == address.lower()):
                return record
        return None


    def unknown(self, edition: dt.date, address: str) -> Optional[Delivery]:
        """The last (non-test) delivery of `edition` to `address` whose outcome is unknown, unless a
        later line settled it (delivered, refused, failed: it was sent again)."""
        wanted = edition.isoformat()
        last = None
        for record in self.records:
            if not record.test and record.edition == wanted and record.recipient.lower() == address.lower():
                last = record
        return last if last is not None and last.result == UNKNOWN else None

    def last_sent(self, before: dt.date) -> Optional[dt.date]:
        """The latest edition before `before` that reached a list recipient, if any."""
        sent = []
        for record in self.records:
            if record.result == DELIVERED and not record.test:
                try:
                    day = dt.date.fromisoformat(record.edition)
                except ValueError:
                    continue
                if day < before:
                    sent.append(day)
        return max(sent) if sent else None


def parse(data: bytes, shown: str) -> tuple[list[Delivery], list[str]]:
    records: list[Delivery] = []
    warnings: list[str] = []
    lines = data.split(b"\n")
    cut_short = not data.endswith(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        record = _record(raw)
        if record is None:
            why = ("cut short, probably by an interrupted run"
                   if cut_short and number == len(lines) else "not a delivery record")
            warnings.append(f"{shown}:{number}: ignored a line that is {why}")
        else:
            records.append(record)
    return records, warnings


def _record(raw: bytes) -> Optional[Delivery]:
    try:
        value: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    texts = ("edition", "programme", "recipient", "time", "result", "message_id")
    if not all(isinstance(value.get(k), str) for k in texts) or value["result"] not in RESULTS:
        return None
    return Delivery(**{k: value[k] for k in texts},
                    detail=detail if isinstance(detail := value.get("detail"), str) else "",
                    test=value.get("test") is True)


def _refused(shown: str, error: NotRegular) -> WorkspaceError:
    return WorkspaceError(f"{shown}: {error.strerror}; the delivery log must be a regular file")


def read(folder: Path, shown: str) -> Log:
    """Read a log without locking it (for dry runs and reports); a missing log is empty. A log
    that is a symbolic link, FIFO or anything but a regular file is refused, never opened."""
    path = folder / LOG_NAME
    try:
        data = read_regular(path)
    except NotRegular as error:
        raise _refused(shown, error) from None
    if data is None:
        return Log(path, [], [])
    records, warnings = parse(data, shown)
    return Log(path, records, warnings)


class Writer:
    """The log opened for appending, locked for the whole run; `log` is read under the lock."""

    def __init__(self, folder: Path, shown: str) -> None:
        self.path = folder / LOG_NAME
        self.shown = shown
        self._fd: Optional[int] = None
        self._needs_newline = False
        self._lock = contextlib.ExitStack()
        self.log = Log(self.path, [], [])

    def __enter__(self) -> "Writer":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock.enter_context(lock.locked(self.path, 0, self.shown, busy=lambda: LogBusy(
            f"{self.shown}: another `tracker distribute` is sending this programme; wait for it to finish")))
        created = not os.path.lexists(self.path)
        try:
            fd = open_regular(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except NotRegular as error:
            self._lock.close()
            raise _refused(self.shown, error) from None
        except BaseException:
            self._lock.close()
            raise
        self._fd = fd
        if created:
            fsync_dir(self.path.parent)
        data = _read_all(fd)
        self._needs_newline = bool(data) and not data.endswith(b"\n")
        records, warnings = parse(data, self.shown)
        self.log = Log(self.path, records, warnings)
        return self

    def append(self, record: Delivery) -> None:
        """Append one line and make it durable before returning."""
        assert self._fd is not None, "log not open"
        data = record.line()
        if self._needs_newline:  # end a line cut short by a crash, so this one stays whole
            data = b"\n" + data
            self._needs_newline = False
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)
        self.log.records.append(record)

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._lock.close()


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)
