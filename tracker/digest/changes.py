"""What changed in a programme between two as-of dates (the previous edition's and this one's)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from tracker.model.records import Entry, Indicator, Milestone, Point, Priority, Programme

IMPROVED, WORSENED, UNCHANGED, CHANGED, NEW = "improved", "worsened", "unchanged", "changed", "new"


@dataclass(frozen=True)
class PriorityChanges:
    priority: Priority
    before: Optional[Entry]  # current entry at the previous as-of date
    after: Optional[Entry]  # current entry at this as-of date
    trend: str  # improved / worsened / unchanged / changed / new
    entries: tuple[Entry, ...]  # history entries dated in (since, as_of]
    observations: tuple[tuple[Indicator, Point], ...]  # observations dated in (since, as_of]
    completed: tuple[Milestone, ...]  # milestones done in (since, as_of]
    slipped: tuple[Milestone, ...]  # milestones that fell due in (since, as_of] and are not done

    @property
    def status_changed(self) -> bool:
        return (self.before.status if self.before else None) != (self.after.status if self.after else None)

    @property
    def anything(self) -> bool:
        return bool(self.status_changed or self.entries or self.observations or self.completed or self.slipped)


def trend(programme: Programme, before: Optional[Entry], after: Optional[Entry]) -> str:
    if after is None and before is None:
        return UNCHANGED
    if before is None:
        return NEW
    if after is None or before.status == after.status:
        return UNCHANGED
    rank_before = programme.status(before.status).rank
    rank_after = programme.status(after.status).rank
    if rank_after > rank_before:
        return IMPROVED
    if rank_after < rank_before:
        return WORSENED
    return CHANGED


def between(programme: Programme, since: Optional[dt.date], as_of: dt.date) -> list[PriorityChanges]:
    """Changes per priority in (since, as_of]; with no `since`, everything up to as_of is new.

    New means known to readers on `as_of` and not on `since`: a draft approved in the window
    counts as new even when it is dated earlier (the previous edition could not show it).
    """

    def in_window(day: Optional[dt.date]) -> bool:
        return day is not None and day <= as_of and (since is None or day > since)

    def new(record: Entry | Point) -> bool:
        return record.known_on(as_of) and (since is None or not record.known_on(since))

    out = []
    for priority in programme.priorities:
        before = priority.latest_entry(since) if since else None
        after = priority.latest_entry(as_of)
        out.append(PriorityChanges(
            priority=priority,
            before=before,
            after=after,
            trend=NEW if since is None and after else trend(programme, before, after),
            entries=tuple(e.as_of(as_of) for e in sorted(priority.history, key=lambda e: e.date) if new(e)),
            observations=tuple(
                (indicator, point.as_of(as_of))
                for indicator in priority.indicators
                for point in sorted(indicator.observations, key=lambda o: o.date)
                if new(point)
            ),
            completed=tuple(m for m in priority.milestones
                            if m.done_by(as_of) and (since is None or not m.done_by(since))),
            slipped=tuple(m for m in priority.milestones
                          if in_window(m.due) and not m.done_by(as_of)),
        ))
    return out
