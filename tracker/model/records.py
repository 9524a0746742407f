"""The programme data model, and the as-of rule: what was known on a given date.

Records are immutable. The current status of a priority is never stored: it is the latest
history entry dated on or before the as-of date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from tracker.model.yamlsafe import Document

Where = tuple  # path inside the YAML document, e.g. ("priorities", 1, "history", 0)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    date: str = ""
    url: Optional[str] = None
    kind: str = "other"
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class StatusDef:
    id: str
    label: str
    colour: str
    definition: str
    final: bool = False
    needs_source: bool = False
    needs_note: bool = False
    rank: int = 0  # higher is better: orders statuses to tell improved from worsened
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Entry:
    """One dated status assessment: the log is only ever appended to."""

    date: dt.date
    status: str
    note: str = ""
    sources: tuple[str, ...] = ()
    by: str = ""
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    due: Optional[dt.date] = None
    done: Optional[dt.date] = None
    sources: tuple[str, ...] = ()
    note: str = ""
    at: Where = field(default=(), compare=False, repr=False)

    def done_by(self, as_of: dt.date) -> bool:
        return self.done is not None and self.done <= as_of

    def overdue(self, as_of: dt.date) -> bool:
        return self.due is not None and self.due < as_of and not self.done_by(as_of)


@dataclass(frozen=True)
class Point:
    """A dated value: a baseline, a target or an observation."""

    date: dt.date
    value: float
    source: Optional[str] = None
    note: str = ""
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    unit: str
    baseline: Point
    direction: str = "up"
    target: Optional[Point] = None
    observations: tuple[Point, ...] = ()
    note: str = ""
    at: Where = field(default=(), compare=False, repr=False)

    def observations_until(self, as_of: dt.date) -> list[Point]:
        """Observations known on `as_of`, oldest first (file order kept for equal dates)."""
        return sorted((o for o in self.observations if o.date <= as_of), key=lambda o: o.date)

    def latest(self, as_of: dt.date) -> Optional[Point]:
        known = self.observations_until(as_of)
        return known[-1] if known else None


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    summary: str = ""
    owner: str = ""
    history: tuple[Entry, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    at: Where = field(default=(), compare=False, repr=False)

    def history_until(self, as_of: dt.date) -> list[Entry]:
        """Entries dated on or before `as_of`, oldest first (file order kept for equal dates)."""
        return sorted((e for e in self.history if e.date <= as_of), key=lambda e: e.date)

    def latest_entry(self, as_of: dt.date) -> Optional[Entry]:
        """The entry that gives the priority's status on `as_of`: the latest dated on or before it."""
        known = self.history_until(as_of)
        return known[-1] if known else None

    def days_unreviewed(self, as_of: dt.date, review_every_days: int) -> Optional[int]:
        """The staleness rule, in one place: how many days the latest entry is older than `as_of`
        when that is more than the review cadence; None when it is recent enough. A priority
        with no entry at all is stale too: -1."""
        entry = self.latest_entry(as_of)
        if entry is None:
            return -1
        age = (as_of - entry.date).days
        return age if age > review_every_days else None

    def next_milestone(self, as_of: dt.date) -> Optional[Milestone]:
        open_ = [m for m in self.milestones if not m.done_by(as_of)]
        dated = sorted((m for m in open_ if m.due is not None), key=lambda m: m.due)  # type: ignore[arg-type,return-value]
        return dated[0] if dated else (open_[0] if open_ else None)


@dataclass(frozen=True)
class Programme:
    id: str
    title: str
    priorities: tuple[Priority, ...]
    summary: str = ""
    owner: str = ""
    review_every_days: int = 90
    sources: tuple[Source, ...] = ()
    statuses: tuple[StatusDef, ...] = ()
    language: str = "en"
    languages: tuple[str, ...] = ()  # as written; `editions` gives the default
    logo: Optional[str] = None
    accent: Optional[str] = None
    path: Path = field(default=Path(), compare=False)
    at: Where = field(default=(), compare=False, repr=False)
    #: The file as loaded: its bytes and the position of every value (set by validation).
    origin: Optional["Document"] = field(default=None, compare=False, repr=False)

    @property
    def editions(self) -> tuple[str, ...]:
        """The languages its editions are published in, the primary first (default: the data's)."""
        return self.languages or (self.language,)

    @property
    def primary(self) -> str:
        return self.editions[0]

    def is_stale(self, priority: Priority, as_of: dt.date) -> bool:
        return priority.days_unreviewed(as_of, self.review_every_days) is not None

    def status(self, status_id: str) -> StatusDef:
        for status in self.statuses:
            if status.id == status_id:
                return status
        raise KeyError(status_id)

    def source(self, ref: str) -> Optional[Source]:
        for source in self.sources:
            if source.id == ref:
                return source
        return None

    def priority(self, priority_id: str) -> Priority:
        for priority in self.priorities:
            if priority.id == priority_id:
                return priority
        raise KeyError(priority_id)
