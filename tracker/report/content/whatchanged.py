"""Section 3: what changed per priority since the previous edition (or since --since)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from tracker.digest import changes
from tracker.report.content.citations import Citations
from tracker.report.content.language import Language, Shown
from tracker.report.content.views import Badge, Trend, badge, trend

STATUS, EVIDENCE, VALUE, COMPLETED, SLIPPED = "status", "evidence", "value", "completed", "slipped"
CORRECTED = "corrected"


@dataclass(frozen=True)
class Change:
    kind: str  # status / evidence / value / completed / slipped
    kind_label: str
    date: dt.date
    text: Markup  # tracker's words around the data's (each data text in its own language)
    badge: Optional[Badge]  # the status, for status changes and new evidence
    cites: tuple[int, ...]


@dataclass(frozen=True)
class PriorityChanges:
    anchor: str
    title: Shown
    trend: Trend
    items: list[Change]


@dataclass(frozen=True)
class WhatChanged:
    since: Optional[dt.date]  # None: this is the first edition
    since_from: str  # "edition" (an earlier report was found) or "option" (--since)
    as_of: dt.date
    changed: list[PriorityChanges]
    unchanged: list[tuple[str, Shown]]  # (anchor, title) of priorities with nothing new
    method: str = ""  # how the method version changed since the edition compared with, or ""

    @property
    def first_edition(self) -> bool:
        return self.since is None


def method_change(lang: Language, before: Optional[str], now: str) -> str:
    """A sentence when the method version differs from the one of the edition compared with;
    "" when it is the same or unknown (`before` None)."""
    if before is None or before == now:
        return ""
    if not before:
        return lang.words("The method is now versioned: this edition follows method version {now}.").format(now=now)
    if not now:
        return lang.words("The method version is no longer stated (it was {before}).").format(before=before)
    return lang.words("The method changed from version {before} to version {now}: see the Method section.").format(
        before=before, now=now)


def build(lang: Language, since: Optional[dt.date], since_from: str, as_of: dt.date,
          found: list[changes.PriorityChanges], cite: Citations, since_method: Optional[str] = None) -> WhatChanged:
    if since is None:
        return WhatChanged(None, since_from, as_of, [], [])
    method = method_change(lang, since_method, lang.programme.method_version)
    changed, unchanged = [], []
    for pc in found:
        anchor = f"priority-{pc.priority.id}"
        title = lang.text(pc.priority, "title")
        if not pc.anything:
            unchanged.append((anchor, title))
            continue
        changed.append(PriorityChanges(anchor, title, trend(lang, pc.trend), _items(lang, pc, since, cite)))
    return WhatChanged(since, since_from, as_of, changed, unchanged, method)


def _items(lang: Language, pc: changes.PriorityChanges, since: dt.date, cite: Citations) -> list[Change]:
    items: list[Change] = []
    words = lambda message, **values: Markup(lang.words(message)).format(**values)  # noqa: E731
    corrected = [c for c in (pc.after.applied if pc.after else ()) if c.date > since and "status" in c.changes]
    if pc.status_changed and pc.after is not None and corrected and pc.after not in pc.entries:
        after = badge(lang, pc.after.status)
        why = lang.text(corrected[-1], "why")
        day = lang.date(corrected[-1].date)
        if pc.before is not None:
            text = words("Status corrected from {before} to {after} on {date}: {why}",
                         before=badge(lang, pc.before.status).label, after=after.label, date=day, why=why)
        else:
            text = words("Status corrected to {after} on {date}: {why}", after=after.label, date=day, why=why)
        items.append(Change(CORRECTED, lang.words("Status corrected"), corrected[-1].date, text, after, ()))
    elif pc.status_changed and pc.after is not None:
        after = badge(lang, pc.after.status)
        if pc.before is None:
            text = words("First assessed as {status} on {date}.", status=after.label, date=lang.date(pc.after.date))
        else:
            before = badge(lang, pc.before.status)
            text = words("Status changed from {before} to {after} on {date} ({trend}).", before=before.label,
                         after=after.label, date=lang.date(pc.after.date), trend=trend(lang, pc.trend).label)
        items.append(Change(STATUS, lang.words("Status"), pc.after.date, text, after, ()))
    for entry in pc.entries:
        note = lang.text(entry, "note")
        items.append(Change(EVIDENCE, lang.words("New evidence"), entry.date,
                            Markup(note.map(" ".join(note.text.split())).__html__()) if note else Markup(""),
                            badge(lang, entry.status), cite.cite(entry.sources)))
    for indicator, point in pc.observations:
        earlier = [o for o in indicator.observations_until(point.date) if o.date < point.date]
        previous = earlier[-1] if earlier else indicator.baseline
        unit = lang.text(indicator, "unit")
        text = words("{indicator}: {value} (previously {previous} on {date}).",
                     indicator=lang.text(indicator, "title"), value=lang.quantity(point.value, unit),
                     previous=lang.quantity(previous.value, unit), date=lang.date(previous.date))
        items.append(Change(VALUE, lang.words("New value"), point.date, text, None, cite.cite([point.source])))
    for milestone in pc.completed:
        assert milestone.done is not None
        items.append(Change(COMPLETED, lang.words("Milestone completed"), milestone.done,
                            words("{milestone}.", milestone=lang.text(milestone, "title")), None,
                            cite.cite(milestone.sources)))
    for milestone in pc.slipped:
        assert milestone.due is not None
        items.append(Change(SLIPPED, lang.words("Milestone slipped"), milestone.due,
                            words("{milestone}: due {date}, not done.", milestone=lang.text(milestone, "title"),
                                  date=lang.date(milestone.due)), None,
                            cite.cite(milestone.sources)))
    return items
