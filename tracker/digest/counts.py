"""What a reader is told about an edition in a few lines: status counts and what changed.

Shared by the email body and the published archive; computed here, displayed by templates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from tracker.digest import changes, overview
from tracker.model.records import Programme

NO_ENTRY_LABEL = "No entry yet"
NO_ENTRY_COLOUR = "#5b616b"


@dataclass(frozen=True)
class Count:
    status: Optional[str]  # status id; None for priorities without any entry yet
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class Change:
    """One priority that moved: its title, a headline (status change) and details."""

    priority: str
    title: str
    headline: str
    details: tuple[str, ...]


def status_counts(programme: Programme, as_of: dt.date) -> list[Count]:
    """How many priorities have each status on `as_of`, in vocabulary order; zero counts left out."""
    tally: dict[Optional[str], int] = {}
    for row in overview.rows(programme, as_of):
        tally[row.status] = tally.get(row.status, 0) + 1
    out = [Count(s.id, s.label, s.colour, tally[s.id]) for s in programme.statuses if tally.get(s.id)]
    if tally.get(None):
        out.append(Count(None, NO_ENTRY_LABEL, NO_ENTRY_COLOUR, tally[None]))
    return out


def counts_line(counts: list[Count]) -> str:
    """`In progress: 2; At risk: 1`, for plain text."""
    return "; ".join(f"{c.label}: {c.count}" for c in counts)


def what_changed(programme: Programme, since: Optional[dt.date], as_of: dt.date) -> list[Change]:
    """Priorities with anything new in (since, as_of], in programme order.

    With no previous edition (`since` is None) every priority is listed with its status and
    the date of that assessment, without the history that led there.
    """
    out = []
    label = (lambda entry: programme.status(entry.status).label if entry else NO_ENTRY_LABEL)
    if since is None:
        for priority in programme.priorities:
            entry = priority.latest_entry(as_of)
            headline = f"{label(entry)} (assessed {entry.date.isoformat()})" if entry else NO_ENTRY_LABEL
            out.append(Change(priority.id, priority.title, headline, ()))
        return out
    for pc in changes.between(programme, since, as_of):
        if not pc.anything:
            continue
        if pc.status_changed and pc.before is None:
            headline = f"first assessed: {label(pc.after)}"
        elif pc.status_changed:
            headline = f"{label(pc.before)} → {label(pc.after)} ({pc.trend})"
        else:
            headline = f"still {label(pc.after)}"
        details = []
        for entry in pc.entries:
            if entry is not pc.after or not pc.status_changed:
                details.append(f"assessed {label(entry)} on {entry.date.isoformat()}")
        for indicator, point in pc.observations:
            details.append(f"{indicator.title}: {number(point.value)} {indicator.unit} ({point.date.isoformat()})")
        for milestone in pc.completed:
            details.append(f"milestone done: {milestone.title} ({_iso(milestone.done)})")
        for milestone in pc.slipped:
            details.append(f"milestone overdue: {milestone.title} (was due {_iso(milestone.due)})")
        out.append(Change(pc.priority.id, pc.priority.title, headline, tuple(details)))
    return out


def _iso(day: Optional[dt.date]) -> str:
    return day.isoformat() if day else ""


def number(value: float) -> str:
    """Locale-independent: 1,234 or 12.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
