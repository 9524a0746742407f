"""The archive folder's records: `archive/<programme>/checks.jsonl` and `captures.jsonl`.

One JSON object a line, each dated, appended to and never rewritten otherwise, so the folder
says what was known on any date (an edition as of an earlier date reads only the lines dated on
or before it). Lines are added whole: under the file's lock, the file is written anew to a
temporary file with the new lines after the old, flushed to disk and renamed into place, so a
reader or a crash sees the old file or the new one, never a half line. A line that cannot be
read (edited by hand) is skipped with a warning, not fatal: the evidence is a record, not an
input that must validate.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, TypeVar

from tracker.edit import atomic, lock

log = logging.getLogger(__name__)

CHECKS = "checks.jsonl"
CAPTURES = "captures.jsonl"

#: The results of a check (the contract's words); a source without a URL is listed as NO_URL.
OK, MOVED, GONE, ERROR, TIMEOUT, NO_URL = "ok", "moved", "gone", "error", "timeout", "no url"
RESULTS = (OK, MOVED, GONE, ERROR, TIMEOUT)
ALIVE = frozenset({OK, MOVED})
DEAD = frozenset({GONE, ERROR})  # what makes an edition say "link dead since"


def programme_folder(archive: Path, programme_id: str) -> Path:
    return archive / programme_id


@dataclass(frozen=True)
class Check:
    """One check of one source's link (a line of checks.jsonl)."""

    date: dt.date
    source_id: str
    url: str
    result: str  # one of RESULTS
    http_status: Optional[int] = None
    final_url: Optional[str] = None
    content_type: Optional[str] = None
    bytes: Optional[int] = None
    sha256: Optional[str] = None  # of the body received
    reason: str = ""  # why, for error and timeout

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source_id": self.source_id, "url": self.url, "result": self.result,
                "http_status": self.http_status, "final_url": self.final_url, "content_type": self.content_type,
                "bytes": self.bytes, "sha256": self.sha256, "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Check":
        result = data["result"]
        if result not in RESULTS:
            raise ValueError(f"unknown result {result!r}")
        return cls(date=_date(data["date"]), source_id=_text(data["source_id"]), url=_text(data["url"]),
                   result=result, http_status=_int(data.get("http_status")), final_url=_opt_text(data.get("final_url")),
                   content_type=_opt_text(data.get("content_type")), bytes=_int(data.get("bytes")),
                   sha256=_opt_text(data.get("sha256")), reason=_opt_text(data.get("reason")) or "")


@dataclass(frozen=True)
class Capture:
    """One stored capture of one source (a line of captures.jsonl): its WARC file holds it."""

    date: dt.date
    source_id: str
    url: str
    payload_sha256: str
    size: int
    file: str  # the WARC file, relative to archive/<programme>/: <source-id>/<YYYY-MM-DD>.warc.gz
    final_url: Optional[str] = None
    http_status: Optional[int] = None
    content_type: Optional[str] = None

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source_id": self.source_id, "url": self.url,
                "payload_sha256": self.payload_sha256, "size": self.size, "file": self.file,
                "final_url": self.final_url, "http_status": self.http_status, "content_type": self.content_type}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Capture":
        digest = _text(data["payload_sha256"])
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError("payload_sha256 is not a SHA-256 in hex")
        file = _text(data["file"])
        if file.startswith("/") or ".." in Path(file).parts:
            raise ValueError(f"file {file!r} is outside the programme's archive")
        size = _int(data["size"])
        if size is None:
            raise ValueError("size is missing")
        return cls(date=_date(data["date"]), source_id=_text(data["source_id"]), url=_text(data["url"]),
                   payload_sha256=digest, size=size, file=file, final_url=_opt_text(data.get("final_url")),
                   http_status=_int(data.get("http_status")), content_type=_opt_text(data.get("content_type")))


Record = TypeVar("Record", Check, Capture)


def read_checks(folder: Path) -> list[Check]:
    """Every readable check of the programme whose archive folder is `folder`, in file order."""
    return _read(folder / CHECKS, Check)


def read_captures(folder: Path) -> list[Capture]:
    return _read(folder / CAPTURES, Capture)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; none when it does not exist yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def parse(data: bytes, kind: type[Record], shown: str = "") -> list[Record]:
    """The records in JSON Lines `data`; unreadable lines are skipped with a warning."""
    out: list[Record] = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            if not isinstance(value, dict):
                raise ValueError("not an object")
            out.append(kind.from_json(value))
        except (ValueError, KeyError, TypeError) as bad:
            log.warning("%s:%d: line skipped: %s", shown or kind.__name__, number, bad)
    return out


def _read(path: Path, kind: type[Record]) -> list[Record]:
    return parse(read_bytes(path), kind, str(path))


def line_of(record: Check | Capture) -> bytes:
    return (json.dumps(record.as_json(), ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def append(path: Path, records: Iterable[Check | Capture]) -> None:
    """Add `records` to the JSON Lines file `path`, whole lines only, atomically and on disk."""
    new = b"".join(line_of(r) for r in records)
    if not new:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with lock.locked(path, shown=str(path)):
        append_locked(path, new)


def append_locked(path: Path, new: bytes) -> None:
    """Add the lines `new` to `path`, whose lock the caller holds (`lock.locked(path)`)."""
    old = read_bytes(path)
    if old and not old.endswith(b"\n"):
        old += b"\n"  # a line written by hand without its newline stays a line of its own
    atomic.write_bytes(path, old + new)


def _date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise ValueError("date is not text")
    return dt.date.fromisoformat(value)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected text")
    return value


def _opt_text(value: Any) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected text")
    return value


def _int(value: Any) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    return value
