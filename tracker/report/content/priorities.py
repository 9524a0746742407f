"""Section 4: one section per priority: status, timeline, milestones, indicators with charts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from tracker.digest.corrections import entry_mark
from tracker.model.records import Entry, Indicator, Milestone, Priority, Programme
from tracker.report.content import charts, colours
from tracker.report.content import formatting as fmt
from tracker.report.content.citations import Citations
from tracker.report.content.progress import Progress, progress
from tracker.report.content.views import Badge, badge

DONE, OVERDUE, DUE, OPEN, LATE = "done", "overdue", "due", "open", "done-late"


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    badge: Badge
    note: str
    by: str
    cites: tuple[int, ...]
    latest: bool  # the entry that gives the status on the as-of date
    reason: str = ""  # the reason's label, for a stalled, at-risk or abandoned entry
    corrected: str = ""  # "corrected on DATE: why", when a correction changed what it says


@dataclass(frozen=True)
class MilestoneView:
    title: str
    due: Optional[dt.date]
    done: Optional[dt.date]  # only when done on or before the as-of date
    state: str  # done / done-late / overdue / due / open
    state_label: str
    note: str
    cites: tuple[int, ...]


@dataclass(frozen=True)
class PointRow:
    kind: str  # Baseline / Observation / Target
    date: dt.date
    value: str
    note: str
    cites: tuple[int, ...]
    corrected: str = ""  # "corrected on DATE: why"


@dataclass(frozen=True)
class IndicatorView:
    anchor: str
    title: str
    unit: str
    direction: str  # "up" or "down"
    direction_label: str
    baseline: str
    latest: str
    target: str
    progress: Progress
    stale: str  # why its figures are stale, or ""
    note: str
    chart: Markup
    rows: list[PointRow]


@dataclass(frozen=True)
class PriorityView:
    anchor: str
    title: str
    summary: str
    owner: str
    badge: Badge
    since: Optional[dt.date]
    definition: str
    stale: str  # why the status is stale, or ""
    reason: str  # the current entry's reason (label), or ""
    reason_definition: str
    corrected: str  # "corrected on DATE: why" when the current entry was corrected
    timeline: list[TimelineEntry]
    milestones: list[MilestoneView]
    indicators: list[IndicatorView]


def stale_status(priority: Priority, programme: Programme, as_of: dt.date) -> str:
    """Why the priority's status is stale (the model's rule), in a reader's words; "" when it is not."""
    age = priority.days_unreviewed(as_of, programme.review_every_days)
    if age is None:
        return ""
    entry = priority.latest_entry(as_of)
    if entry is None:
        return "No assessment recorded yet."
    return (f"Stale: last assessed on {fmt.date(entry.date)}, {fmt.days(age)} before this edition; "
            f"the review cadence is {fmt.days(programme.review_every_days)}.")


def reason_label(programme: Programme, entry: Optional[Entry]) -> str:
    if entry is None or not entry.reason:
        return ""
    return programme.reason(entry.reason).label


def build(priority: Priority, programme: Programme, as_of: dt.date, cite: Citations, accent: str) -> PriorityView:
    history = priority.history_until(as_of)
    entry = history[-1] if history else None
    status = programme.status(entry.status) if entry else None
    return PriorityView(
        anchor=f"priority-{priority.id}",
        title=priority.title,
        summary=priority.summary,
        owner=priority.owner,
        badge=badge(programme, entry.status if entry else None),
        since=entry.date if entry else None,
        definition=status.definition if status else "",
        stale=stale_status(priority, programme, as_of),
        reason=reason_label(programme, entry),
        reason_definition=programme.reason(entry.reason).definition if entry and entry.reason else "",
        corrected=entry_mark(entry) if entry else "",
        timeline=[
            TimelineEntry(e.date, badge(programme, e.status), e.note, e.by, cite.cite(e.sources), e is entry,
                          reason_label(programme, e), entry_mark(e))
            for e in history
        ],
        milestones=[_milestone(m, as_of, cite) for m in priority.milestones],
        indicators=[_indicator(priority, i, programme, as_of, cite, accent) for i in priority.indicators],
    )


def _milestone(m: Milestone, as_of: dt.date, cite: Citations) -> MilestoneView:
    done = m.done if m.done_by(as_of) else None
    if done is not None:
        late = m.due is not None and done > m.due
        state = LATE if late else DONE
        label = (f"Done {fmt.days((done - m.due).days)} late" if late and m.due else "Done")
    elif m.overdue(as_of):
        assert m.due is not None
        state, label = OVERDUE, f"Overdue by {fmt.days((as_of - m.due).days)}"
    elif m.due is not None:
        state, label = DUE, f"Due in {fmt.days((m.due - as_of).days)}" if m.due > as_of else "Due today"
    else:
        state, label = OPEN, "Open, no due date"
    return MilestoneView(m.title, m.due, done, state, label, m.note, cite.cite(m.sources))


def _indicator(priority: Priority, i: Indicator, programme: Programme, as_of: dt.date, cite: Citations,
               accent: str) -> IndicatorView:
    known = i.observations_until(as_of)
    latest = known[-1] if known else None
    target = i.target
    rows = [PointRow("Baseline", i.baseline.date, fmt.quantity(i.baseline.value, i.unit), i.baseline.note,
                     cite.cite([i.baseline.source]))]
    rows += [PointRow("Observation", o.date, fmt.quantity(o.value, i.unit), o.note, cite.cite([o.source]),
                      entry_mark(o))
             for o in known]
    if target:
        rows.append(PointRow("Target", target.date, fmt.quantity(target.value, i.unit), target.note,
                             cite.cite([target.source])))
    last_date = latest.date if latest else i.baseline.date
    age = (as_of - last_date).days
    stale = ""
    if age > programme.review_every_days:
        stale = (f"Stale: latest figure dated {fmt.date(last_date)}, {fmt.days(age)} before this edition; "
                 f"the review cadence is {fmt.days(programme.review_every_days)}.")
    series = charts.Series(
        title=i.title,
        unit=i.unit,
        baseline=(i.baseline.date, i.baseline.value),
        observations=tuple((o.date, o.value) for o in known),
        target=(target.date, target.value) if target else None,
        as_of=as_of,
        colour=colours.darken_to(accent, colours.AA_GRAPHICS + 1.5),
    )
    return IndicatorView(
        anchor=f"indicator-{priority.id}-{i.id}",
        title=i.title,
        unit=i.unit,
        direction=i.direction,
        direction_label="higher is better" if i.direction == "up" else "lower is better",
        baseline=f"{fmt.quantity(i.baseline.value, i.unit)} ({fmt.date(i.baseline.date)})",
        latest=(f"{fmt.quantity(latest.value, i.unit)} ({fmt.date(latest.date)})" if latest
                else "no value since the baseline"),
        target=(f"{fmt.quantity(target.value, i.unit)} by {fmt.date(target.date)}" if target else "none set"),
        progress=progress(i.baseline.value, latest.value if latest else None,
                          target.value if target else None, i.direction),
        stale=stale,
        note=i.note,
        chart=charts.indicator_chart(series, f"chart-{priority.id}-{i.id}"),
        rows=rows,
    )
