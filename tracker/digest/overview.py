"""The status table: each priority's current status, last entry, next milestone, staleness, and
whether that status rests only on sources whose links were found dead (archive/, tracker/evidence);
and the programme's next scheduled edition."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from tracker.evidence import state
from tracker.model.records import Entry, Programme


@dataclass(frozen=True)
class Row:
    programme: str
    priority: str
    title: str
    status: Optional[str]
    label: str
    last_entry: Optional[dt.date]
    next_milestone: Optional[str]
    next_milestone_due: Optional[dt.date]
    overdue: bool
    stale: bool
    dead_sources: tuple[str, ...] = ()  # the sources of the current status, when every one is dead

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        # Present only when flagged: the rows of programmes without dead links keep their shape.
        if self.dead_sources:
            out["dead_sources"] = list(self.dead_sources)
        else:
            del out["dead_sources"]
        for key in ("last_entry", "next_milestone_due"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass(frozen=True)
class EditionSchedule:
    """Where a programme's edition schedule stands on a date."""

    every: str
    start: dt.date
    next: Optional[dt.date]  # the first scheduled edition after the date
    missing: tuple[dt.date, ...]  # scheduled editions on or before the date that are not rendered

    @property
    def overdue(self) -> bool:
        return bool(self.missing)

    def as_json(self) -> dict[str, Any]:
        return {"every": self.every, "start": self.start.isoformat(),
                "next": self.next.isoformat() if self.next else None,
                "overdue": self.overdue, "missing": [day.isoformat() for day in self.missing]}

    def line(self) -> str:
        head = f"Next scheduled edition: {self.next.isoformat() if self.next else 'none'} (every {self.every} " \
               f"from {self.start.isoformat()})"
        if not self.missing:
            return head + "; every scheduled edition is rendered"
        shown = ", ".join(day.isoformat() for day in self.missing[:6]) + (", ..." if len(self.missing) > 6 else "")
        count = len(self.missing)
        return (head + f"; overdue: {count} scheduled edition{'s' if count > 1 else ''} not rendered ({shown}); "
                "run tracker report --due")


def edition_schedule(programme: Programme, as_of: dt.date, rendered: Iterable[dt.date]) -> Optional[EditionSchedule]:
    """The programme's schedule on `as_of`, given the dates of the editions rendered; None
    without a schedule."""
    schedule = programme.editions
    if schedule is None:
        return None
    done = set(rendered)
    return EditionSchedule(schedule.every, schedule.start, schedule.next_after(as_of),
                           tuple(day for day in schedule.dates(as_of) if day not in done))


def rests_on_dead(entry: Optional[Entry], dead: frozenset[str]) -> tuple[str, ...]:
    """The sources of `entry` when it cites some and every one, a registered source or a URL cited
    directly, was a dead link (`dead`: Known.dead_sources); a link never checked is not dead."""
    if entry is None or not entry.sources or not all(ref in dead for ref in entry.sources):
        return ()
    return tuple(dict.fromkeys(entry.sources))


def rows(programme: Programme, as_of: dt.date, archive: Optional[Path] = None) -> list[Row]:
    """One row per priority; with `archive` (the workspace's archive/), dead sources are flagged."""
    dead = state.known_on(archive, programme.id, as_of).dead_sources(programme) if archive else frozenset()
    out = []
    for priority in programme.priorities:
        latest = priority.latest_entry(as_of)
        milestone = priority.next_milestone(as_of)
        out.append(Row(
            programme=programme.id,
            priority=priority.id,
            title=priority.title,
            status=latest.status if latest else None,
            label=programme.status(latest.status).label if latest else "No entry yet",
            last_entry=latest.date if latest else None,
            next_milestone=milestone.title if milestone else None,
            next_milestone_due=milestone.due if milestone else None,
            overdue=milestone.overdue(as_of) if milestone else False,
            stale=programme.is_stale(priority, as_of),
            dead_sources=rests_on_dead(latest, dead),
        ))
    return out


def as_json(programmes: list[Programme], as_of: dt.date, archive: Optional[Path] = None,
            schedules: Mapping[str, Optional[EditionSchedule]] = {}) -> dict[str, Any]:
    out = []
    for p in programmes:
        schedule = schedules.get(p.id)
        out.append({
            "id": p.id,
            "title": p.title,
            "review_every_days": p.review_every_days,
            "editions": schedule.as_json() if schedule else None,
            "priorities": [r.as_json() for r in rows(p, as_of, archive)],
        })
    return {"as_of": as_of.isoformat(), "programmes": out}


def as_table(programme: Programme, as_of: dt.date, archive: Optional[Path] = None,
             schedule: Optional[EditionSchedule] = None) -> str:
    """A plain-text table, one line per priority; then, for a programme with an edition schedule,
    a line with its next scheduled edition and any overdue."""
    header = ("PRIORITY", "STATUS", "LAST ENTRY", "NEXT MILESTONE", "FLAGS")
    lines = []
    for r in rows(programme, as_of, archive):
        milestone = "-"
        if r.next_milestone:
            milestone = r.next_milestone + (f" (due {r.next_milestone_due})" if r.next_milestone_due else "")
        flags = ", ".join(
            flag for flag, on in (
                (f"stale: no entry in {programme.review_every_days} days", r.stale),
                ("milestone overdue", r.overdue),
                (f"rests only on dead sources: {', '.join(r.dead_sources)}", bool(r.dead_sources)),
            ) if on
        )
        lines.append((r.priority, r.label, str(r.last_entry or "-"), milestone, flags or "-"))
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    title = f"{programme.title} ({programme.id}), as of {as_of.isoformat()}"
    table = [title, fmt.format(*header).rstrip(), *(fmt.format(*row).rstrip() for row in lines)]
    return "\n".join(table + ([schedule.line()] if schedule else []))
