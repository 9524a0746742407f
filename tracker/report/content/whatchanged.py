"""Section 3: what changed per priority since the previous edition (or since --since)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from tracker.digest import changes
from tracker.model.records import Programme
from tracker.report.content import formatting as fmt
from tracker.report.content.citations import Citations
from tracker.report.content.views import TRENDS, Badge, Trend, badge

STATUS, EVIDENCE, VALUE, COMPLETED, SLIPPED = "status", "evidence", "value", "completed", "slipped"
CORRECTED = "corrected"


@dataclass(frozen=True)
class Change:
    kind: str  # status / evidence / value / completed / slipped
    kind_label: str
    date: dt.date
    text: str
    badge: Optional[Badge]  # the status, for status changes and new evidence
    cites: tuple[int, ...]


@dataclass(frozen=True)
class PriorityChanges:
    anchor: str
    title: str
    trend: Trend
    items: list[Change]


@dataclass(frozen=True)
class WhatChanged:
    since: Optional[dt.date]  # None: this is the first edition
    since_from: str  # "edition" (an earlier report was found) or "option" (--since)
    as_of: dt.date
    changed: list[PriorityChanges]
    unchanged: list[tuple[str, str]]  # (anchor, title) of priorities with nothing new
    method: str = ""  # how the method version changed since the edition compared with, or ""

    @property
    def first_edition(self) -> bool:
        return self.since is None


def method_change(before: Optional[str], now: str) -> str:
    """A sentence when the method version differs from the one of the edition compared with;
    "" when it is the same or unknown (`before` None)."""
    if before is None or before == now:
        return ""
    if not before:
        return f"The method is now versioned: this edition follows method version {now}."
    if not now:
        return f"The method version is no longer stated (it was {before})."
    return f"The method changed from version {before} to version {now}: see the Method section."


def build(programme: Programme, since: Optional[dt.date], since_from: str, as_of: dt.date,
          found: list[changes.PriorityChanges], cite: Citations, since_method: Optional[str] = None) -> WhatChanged:
    if since is None:
        return WhatChanged(None, since_from, as_of, [], [])
    method = method_change(since_method, programme.method_version)
    changed, unchanged = [], []
    for pc in found:
        anchor = f"priority-{pc.priority.id}"
        if not pc.anything:
            unchanged.append((anchor, pc.priority.title))
            continue
        changed.append(PriorityChanges(anchor, pc.priority.title, TRENDS[pc.trend], _items(programme, pc, since, cite)))
    return WhatChanged(since, since_from, as_of, changed, unchanged, method)


def _items(programme: Programme, pc: changes.PriorityChanges, since: dt.date, cite: Citations) -> list[Change]:
    items: list[Change] = []
    corrected = [c for c in (pc.after.applied if pc.after else ()) if c.date > since and "status" in c.changes]
    if pc.status_changed and pc.after is not None and corrected and pc.after not in pc.entries:
        after = badge(programme, pc.after.status)
        before = badge(programme, pc.before.status) if pc.before else None
        text = (f"Status corrected{f' from {before.label}' if before else ''} to {after.label} on "
                f"{fmt.date(corrected[-1].date)}: {corrected[-1].why}")
        items.append(Change(CORRECTED, "Status corrected", corrected[-1].date, text, after, ()))
    elif pc.status_changed and pc.after is not None:
        after = badge(programme, pc.after.status)
        if pc.before is None:
            text = f"First assessed as {after.label} on {fmt.date(pc.after.date)}."
        else:
            before = badge(programme, pc.before.status)
            text = (f"Status changed from {before.label} to {after.label} on {fmt.date(pc.after.date)} "
                    f"({TRENDS[pc.trend].label}).")
        items.append(Change(STATUS, "Status", pc.after.date, text, after, ()))
    for entry in pc.entries:
        items.append(Change(EVIDENCE, "New evidence", entry.date, " ".join(entry.note.split()),
                            badge(programme, entry.status), cite.cite(entry.sources)))
    for indicator, point in pc.observations:
        earlier = [o for o in indicator.observations_until(point.date) if o.date < point.date]
        previous = earlier[-1] if earlier else indicator.baseline
        text = (f"{indicator.title}: {fmt.quantity(point.value, indicator.unit)} "
                f"(previously {fmt.quantity(previous.value, indicator.unit)} on {fmt.date(previous.date)}).")
        items.append(Change(VALUE, "New value", point.date, text, None, cite.cite([point.source])))
    for milestone in pc.completed:
        assert milestone.done is not None
        items.append(Change(COMPLETED, "Milestone completed", milestone.done, f"{milestone.title}.", None,
                            cite.cite(milestone.sources)))
    for milestone in pc.slipped:
        assert milestone.due is not None
        items.append(Change(SLIPPED, "Milestone slipped", milestone.due,
                            f"{milestone.title}: due {fmt.date(milestone.due)}, not done.", None,
                            cite.cite(milestone.sources)))
    return items
