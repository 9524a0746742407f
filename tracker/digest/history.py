"""The dated log of one priority: status entries, indicator observations, milestones completed and
corrections, as written: entries appear as first recorded, each correction on its own date.
Drafts waiting for review are listed too, marked as such (they are in no edition yet)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Optional

from tracker.digest import corrections as corrections_
from tracker.model.records import Priority, Programme, is_pending

STATUS, OBSERVATION, MILESTONE, CORRECTION = "status", "observation", "milestone", "correction"
_ORDER = {STATUS: 0, OBSERVATION: 1, MILESTONE: 2, CORRECTION: 3}


def _review(item: Any) -> dict[str, Any]:
    """The review fields of a record, for JSON: only those set."""
    out: dict[str, Any] = {}
    if is_pending(item):
        out["draft"] = True
    if item.approved_by:
        out["approved_by"] = item.approved_by
        out["approved_on"] = item.approved_on.isoformat() if item.approved_on else None
    return out


def _draft_mark(item: Any) -> str:
    return f" [draft by {item.by or 'unknown'}, pending review]" if is_pending(item) else ""


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: str  # status / observation / milestone
    subject: str  # the status id, the indicator id or the milestone id
    text: str  # one line for a reader
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "kind": self.kind, **self.details}


def _number(value: float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def events(programme: Programme, priority: Priority) -> list[Event]:
    """Every dated event of `priority`, oldest first; same-day events keep file order."""
    out: list[tuple[tuple[dt.date, int, int], Event]] = []
    previous: Optional[str] = None
    for i, entry in enumerate(sorted(priority.history, key=lambda e: e.date)):
        status = programme.status(entry.status)
        change = "set to" if previous is None else ("still" if previous == entry.status else f"changed from {previous} to")
        text = f"{change} {status.label} ({entry.status})"
        if entry.reason:
            text += f", reason: {_reason_label(programme, entry.reason)}"
        if entry.note:
            text += f": {entry.note}"
        text += _draft_mark(entry)
        out.append(((entry.date, _ORDER[STATUS], i), Event(entry.date, STATUS, entry.status, text, {
            "status": entry.status,
            "label": status.label,
            "previous": previous,
            "changed": previous != entry.status,
            "note": entry.note or None,
            "sources": list(entry.sources),
            "by": entry.by or None,
            **({"reason": entry.reason} if entry.reason else {}),
            **_review(entry),
        })))
        if not is_pending(entry):
            previous = entry.status
    n = 0
    for indicator in priority.indicators:
        for point in indicator.observations:
            n += 1
            value = _number(point.value)
            text = f"{indicator.title}: {value} {indicator.unit}"
            if point.note:
                text += f" ({point.note})"
            text += _draft_mark(point)
            out.append(((point.date, _ORDER[OBSERVATION], n), Event(point.date, OBSERVATION, indicator.id, text, {
                "indicator": indicator.id,
                "value": value,
                "unit": indicator.unit,
                "note": point.note or None,
                "source": point.source,
                **_review(point),
            })))
    for i, milestone in enumerate(priority.milestones):
        if milestone.done is None:
            continue
        out.append(((milestone.done, _ORDER[MILESTONE], i), Event(milestone.done, MILESTONE, milestone.id,
                                                                  f"done: {milestone.title}{_draft_mark(milestone)}", {
            "milestone": milestone.id,
            "title": milestone.title,
            "due": milestone.due.isoformat() if milestone.due else None,
            "sources": list(milestone.sources),
            **_review(milestone),
        })))
    for i, correction in enumerate(priority.corrections):
        seen = corrections_.view(programme, priority, correction)
        changed = "; ".join(f"{s.field} {s.was} -> {s.now}" for s in seen.changes)
        text = f"corrected {seen.what}: {changed}; why: {correction.why}{_draft_mark(correction)}"
        out.append(((correction.date, _ORDER[CORRECTION], i), Event(correction.date, CORRECTION,
                                                                    correction.entry or str(correction.indicator),
                                                                    text, {
            "entry": correction.entry,
            "indicator": correction.indicator,
            "observation": correction.observation,
            "changes": {name: {"was": _plain(change.was), "now": _plain(change.now)}
                        for name, change in correction.changes.items()},
            "why": correction.why,
            "by": correction.by or None,
            **_review(correction),
        })))
    return [event for _, event in sorted(out, key=lambda pair: pair[0])]


def _reason_label(programme: Programme, reason: str) -> str:
    try:
        return programme.reason(reason).label
    except KeyError:
        return reason


def _plain(value: Any) -> Any:
    return _number(value) if isinstance(value, float) else value


def as_json(programme: Programme, priority: Priority) -> dict[str, Any]:
    return {
        "programme": programme.id,
        "priority": priority.id,
        "title": priority.title,
        "events": [event.as_json() for event in events(programme, priority)],
    }


def as_table(programme: Programme, priority: Priority, width: int = 100) -> str:
    """A plain-text table, one line per event, oldest first."""
    rows = []
    for event in events(programme, priority):
        sources = event.details.get("sources") or ([event.details["source"]] if event.details.get("source") else [])
        text = event.text
        if len(text) > width:
            text = text[: width - 3].rstrip() + "..."
        if sources:
            text += f" [{', '.join(sources)}]"
        rows.append((event.date.isoformat(), event.kind, event.subject, text))
    title = f"{priority.title} ({programme.id}/{priority.id})"
    if not rows:
        return f"{title}\nno status entries, observations or completed milestones yet"
    header = ("DATE", "EVENT", "WHAT", "DETAIL")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    return "\n".join([title, fmt.format(*header), *(fmt.format(*row).rstrip() for row in rows)])
