"""What a reader is told about an edition in a few lines: status counts and what changed.

Shared by the email body and the published archive; computed here, displayed by templates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Optional

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


@dataclass(frozen=True)
class Wording:
    """How `what_changed` words things: English and ISO dates unless a caller (an edition in
    another language) passes its own translations, formats and texts."""

    words: Callable[[str], str] = lambda message: message
    date: Callable[[Optional[dt.date]], str] = lambda day: day.isoformat() if day else ""
    number: Callable[[float], str] = lambda value: number(value)
    label: Optional[Callable[[str], str]] = None  # status id -> label
    text: Callable[[object, str], str] = lambda record, name: str(getattr(record, name))


def what_changed(programme: Programme, since: Optional[dt.date], as_of: dt.date,
                 wording: Wording = Wording()) -> list[Change]:
    """Priorities with anything new in (since, as_of], in programme order.

    With no previous edition (`since` is None) every priority is listed with its status and
    the date of that assessment, without the history that led there.
    """
    out = []
    w, day, text = wording.words, wording.date, wording.text
    status_label = wording.label or (lambda status: programme.status(status).label)
    label = (lambda entry: status_label(entry.status) if entry else w(NO_ENTRY_LABEL))
    if since is None:
        for priority in programme.priorities:
            entry = priority.latest_entry(as_of)
            headline = (w("{status} (assessed {date})").format(status=label(entry), date=day(entry.date)) if entry
                        else w(NO_ENTRY_LABEL))
            out.append(Change(priority.id, text(priority, "title"), headline, ()))
        return out
    for pc in changes.between(programme, since, as_of):
        if not pc.anything:
            continue
        if pc.status_changed and pc.before is None:
            headline = w("first assessed: {status}").format(status=label(pc.after))
        elif pc.status_changed:
            headline = w("{before} → {after} ({trend})").format(before=label(pc.before), after=label(pc.after),
                                                               trend=w(pc.trend))
        else:
            headline = w("still {status}").format(status=label(pc.after))
        details = []
        for entry in pc.entries:
            if entry is not pc.after or not pc.status_changed:
                details.append(w("assessed {status} on {date}").format(status=label(entry), date=day(entry.date)))
        for indicator, point in pc.observations:
            details.append(w("{indicator}: {value} {unit} ({date})").format(
                indicator=text(indicator, "title"), value=wording.number(point.value), unit=text(indicator, "unit"),
                date=day(point.date)))
        for milestone in pc.completed:
            details.append(w("milestone done: {milestone} ({date})").format(milestone=text(milestone, "title"),
                                                                            date=day(milestone.done)))
        for milestone in pc.slipped:
            details.append(w("milestone overdue: {milestone} (was due {date})").format(
                milestone=text(milestone, "title"), date=day(milestone.due)))
        out.append(Change(pc.priority.id, text(pc.priority, "title"), headline, tuple(details)))
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
