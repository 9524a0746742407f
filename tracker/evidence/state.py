"""What the archive says about each source on a given date: its latest capture, and whether
its link was dead.

Checks and captures are dated, so the state on a date is made from the lines dated on or
before it, and an edition as of an earlier date shows what was known then. A link is dead
when the latest check of the source's current URL found it `gone` or in `error`; it has been
dead since the first of the unbroken run of such checks that ends with the latest.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from tracker.evidence import records
from tracker.evidence.records import Capture, Check
from tracker.model.records import Programme, Source

SEPARATOR = b"--\n"  # between the checks and the captures in `Known.data` (no JSON line is this)

@dataclass(frozen=True)
class SourceState:
    """One source's evidence on a date."""

    source_id: str
    capture: Optional[Capture]  # the latest capture on or before the date
    check: Optional[Check]  # the latest check of the source's current URL on or before the date
    dead_since: Optional[dt.date]  # set when that check found the link gone or in error

    @property
    def dead(self) -> bool:
        return self.dead_since is not None


@dataclass(frozen=True)
class Known:
    """The archive of one programme as known on `as_of`: its check and capture lines dated on or
    before it, in file order (`data`: those lines, the bytes an edition depends on)."""

    as_of: dt.date
    checks: tuple[Check, ...] = ()
    captures: tuple[Capture, ...] = ()

    @property
    def data(self) -> bytes:
        """Canonical bytes of what is known: the same records give the same bytes."""
        return (b"".join(records.line_of(c) for c in self.checks) + SEPARATOR
                + b"".join(records.line_of(c) for c in self.captures))

    @property
    def empty(self) -> bool:
        return not self.checks and not self.captures

    def of(self, source: Source) -> SourceState:
        capture = None
        for found in self.captures:
            if found.source_id == source.id and (capture is None or found.date >= capture.date):
                capture = found
        checks = sorted((c for c in self.checks if c.source_id == source.id and c.url == source.url),
                        key=lambda c: c.date)  # stable: file order kept within a day
        dead_since = None
        for check in reversed(checks):
            if check.result not in records.DEAD:
                break
            dead_since = check.date
        return SourceState(source.id, capture, checks[-1] if checks else None, dead_since)

    def dead_sources(self, programme: Programme) -> frozenset[str]:
        """Ids of the programme's registered sources whose link was dead on `as_of`."""
        return frozenset(s.id for s in programme.sources if s.url and self.of(s).dead)


def from_data(data: bytes, as_of: dt.date) -> Known:
    """The `Known` whose `data` is `data` (an edition's inputs carry those bytes)."""
    checks, _, captures = data.partition(SEPARATOR)
    return Known(as_of, tuple(records.parse(checks, Check)), tuple(records.parse(captures, Capture)))


def known_on(archive: Path, programme_id: str, as_of: dt.date) -> Known:
    """What `archive/<programme_id>/` says, as of `as_of`."""
    folder = records.programme_folder(archive, programme_id)
    return Known(as_of,
                 tuple(c for c in records.read_checks(folder) if c.date <= as_of),
                 tuple(c for c in records.read_captures(folder) if c.date <= as_of))
