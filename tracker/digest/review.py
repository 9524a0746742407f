"""Drafts waiting for review, and what each would change in the next edition.

`tracker review` lists them oldest first. For each: the priority's status in the next edition
without the draft and with it (an observation or a milestone completion leaves the status as
it is, and says what it adds instead). The next edition is taken as of `as_of` (today), or of
the draft's own date when that is later.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from tracker.digest import corrections
from tracker.model.records import CORRECTION, ENTRY, MILESTONE, OBSERVATION, Pending, Programme

KIND_LABELS = {ENTRY: "status entry", OBSERVATION: "observation", MILESTONE: "milestone done",
               CORRECTION: "correction"}


@dataclass(frozen=True)
class DraftView:
    programme: str
    priority: str
    kind: str  # entry / observation / milestone / correction
    date: dt.date
    ref: str  # what `tracker approve --entry` takes
    by: str
    summary: str  # what the draft says
    status_before: Optional[str]  # the status in the next edition without the draft (None: no entry yet)
    status_after: Optional[str]  # ... and with it
    label_before: str
    label_after: str
    change: str  # what it changes, in a reader's words
    where: str  # FILE:LINE of the draft

    def as_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme, "priority": self.priority, "kind": self.kind,
            "date": self.date.isoformat(), "ref": self.ref, "by": self.by or None, "summary": self.summary,
            "status_before": self.status_before, "status_after": self.status_after,
            "change": self.change, "where": self.where,
        }


def _label(programme: Programme, status: Optional[str]) -> str:
    if status is None:
        return "No entry yet"
    try:
        return programme.status(status).label
    except KeyError:
        return status


def view(programme: Programme, draft: Pending, as_of: dt.date, display: str) -> DraftView:
    day = max(as_of, draft.date)
    before_priority = draft.priority
    after_priority = programme.with_drafts(only=draft.item).priority(draft.priority.id)
    before = before_priority.latest_entry(day)
    after = after_priority.latest_entry(day)
    status_before = before.status if before else None
    status_after = after.status if after else None
    item = draft.item
    if draft.kind == OBSERVATION:
        assert draft.indicator is not None
        unit = draft.indicator.unit
        old = before_priority.indicator(draft.indicator.id)
        new = after_priority.indicator(draft.indicator.id)
        latest_old = old.latest(day) if old else None
        latest_new = new.latest(day) if new else None
        change = (f"{draft.indicator.title}: latest figure "
                  f"{corrections.shown(programme, 'value', latest_old.value, unit) if latest_old else 'none'} -> "
                  f"{corrections.shown(programme, 'value', latest_new.value, unit) if latest_new else 'none'}")
        summary = f"{draft.indicator.id}: {corrections.shown(programme, 'value', item.value, unit)} on {draft.ref}"
    elif draft.kind == MILESTONE:
        change = f"milestone {item.title!r}: open -> done on {draft.ref}"
        summary = f"{item.id}: done on {draft.ref}"
    elif draft.kind == CORRECTION:
        seen = corrections.view(programme, draft.priority, item)
        change = "; ".join(f"{s.label.lower()} {s.was} -> {s.now}" for s in seen.changes) + f" ({seen.what})"
        summary = f"correction of {item.target}: why: {item.why}"
    else:
        change = f"status {_label(programme, status_before)} -> {_label(programme, status_after)}"
        summary = f"{item.status}" + (f" ({item.reason})" if item.reason else "") + (f": {item.note}" if item.note else "")
    if draft.kind in (CORRECTION, ENTRY) and status_before == status_after:
        change += f"; status stays {_label(programme, status_after)}" if draft.kind == CORRECTION else ""
    line = programme.origin.where(item.at)[0] if programme.origin is not None else 0
    return DraftView(
        programme=programme.id, priority=draft.priority.id, kind=draft.kind, date=draft.date, ref=draft.ref,
        by=draft.by, summary=" ".join(summary.split()), status_before=status_before, status_after=status_after,
        label_before=_label(programme, status_before), label_after=_label(programme, status_after),
        change=change, where=f"{display}:{line}",
    )


def pending(programmes: list[tuple[Programme, str]], as_of: dt.date) -> list[DraftView]:
    """Every draft of these programmes (each with the name its file is shown by), oldest first."""
    found = [view(programme, draft, as_of, display) for programme, display in programmes
             for draft in programme.pending()]
    return sorted(found, key=lambda d: d.date)


def as_json(drafts: list[DraftView], as_of: dt.date) -> dict[str, Any]:
    return {"as_of": as_of.isoformat(), "drafts": [d.as_json() for d in drafts]}


def as_table(drafts: list[DraftView]) -> str:
    if not drafts:
        return "No drafts waiting for review."
    header = ("DATE", "DRAFT", "KIND", "BY", "STATUS BEFORE -> AFTER", "WHAT IT CHANGES")
    rows = [(d.ref, f"{d.programme}/{d.priority}", KIND_LABELS[d.kind], d.by or "-",
             f"{d.label_before} -> {d.label_after}", d.change) for d in drafts]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    count = f"{len(drafts)} draft{'s' if len(drafts) > 1 else ''} waiting for review, oldest first:"
    return "\n".join([count, fmt.format(*header), *(fmt.format(*row).rstrip() for row in rows)])
