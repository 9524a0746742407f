"""What the archive says about each source on a given date: its latest capture, and whether
its link was dead.

Checks and captures are dated, so the state on a date is made from the lines dated on or
before it, and an edition as of an earlier date shows what was known then. A link is dead
when the latest check of the source's current URL found it `gone` or in `error`; it has been
dead since the first of the unbroken run of such checks that ends with the latest.

A URL cited directly (an entry's, milestone's or figure's source that is not an id of the
registry) is evidence too: it is checked and archived as a source of its own (`sources_of`),
whose id is `url-` and the first 12 hex digits of the URL's SHA-256 (`url_source_id`): the same
URL always gets the same id, one that can name a folder and be given to `--source` and `sources
show`. A URL that is also a registered source's is that source.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

from tracker.evidence import records
from tracker.evidence.records import Capture, Check
from tracker.model.fields import URL_RE
from tracker.model.records import Programme, Source, is_pending

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
        """What the programme's records cite whose link was dead on `as_of`: the ids of registered
        sources, and the URLs (cited directly, or of a registered source) of the dead links."""
        dead = [s for s in sources_of(programme) if s.url and self.of(s).dead]
        return frozenset([s.id for s in dead if programme.source(s.id) is not None] + [s.url for s in dead if s.url])


def url_source_id(url: str) -> str:
    """The id under which a URL cited directly is checked and archived."""
    return "url-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


def sources_of(programme: Programme) -> list[Source]:
    """Every source whose link the evidence commands check: the registry, then each URL the
    records cite directly (in the order of the file, each once; drafts waiting for review left
    out) that is not a registered source's URL, as a source titled by its URL."""
    registered = {s.url for s in programme.sources if s.url}
    cited: dict[str, Source] = {}
    for url in _cited(programme):
        if URL_RE.match(url) and url not in registered and url not in cited:
            cited[url] = Source(url_source_id(url), url, url=url)
    return [*programme.sources, *cited.values()]


def _cited(programme: Programme) -> Iterator[str]:
    for priority in programme.priorities:
        for entry in priority.history:
            if not is_pending(entry):
                yield from entry.sources
        for milestone in priority.milestones:
            yield from milestone.sources
        for indicator in priority.indicators:
            points: list[Any] = [indicator.baseline, indicator.target, *indicator.observations]
            yield from (p.source for p in points if p is not None and p.source and not is_pending(p))
        for correction in priority.corrections:
            if is_pending(correction):
                continue
            for name in ("sources", "source"):
                change = correction.changes.get(name)
                if change is not None and change.now:
                    yield from [change.now] if isinstance(change.now, str) else change.now


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
