"""Section 4: one section per priority: status, timeline, milestones, indicators with charts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from tracker.model.records import Entry, Indicator, Milestone, Point, Priority
from tracker.report.content import charts, colours
from tracker.report.content.citations import Citations
from tracker.report.content.language import Language, Shown
from tracker.report.content.progress import Progress, progress
from tracker.report.content.views import N_, Badge, badge

DONE, OVERDUE, DUE, OPEN, LATE = "done", "overdue", "due", "open", "done-late"


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date
    badge: Badge
    note: Shown
    by: Shown
    cites: tuple[int, ...]
    latest: bool  # the entry that gives the status on the as-of date
    reason: Shown  # the reason's label, for a stalled, at-risk or abandoned entry (empty when none)
    corrected: Markup  # "Assessment corrected on DATE: why", when a correction changed what it says


@dataclass(frozen=True)
class MilestoneView:
    title: Shown
    due: Optional[dt.date]
    done: Optional[dt.date]  # only when done on or before the as-of date
    state: str  # done / done-late / overdue / due / open
    state_label: str
    note: Shown
    cites: tuple[int, ...]


@dataclass(frozen=True)
class PointRow:
    key: str  # baseline / observation / target
    kind: str  # its label: Baseline / Observation / Target
    date: dt.date
    value: Markup
    note: Shown
    cites: tuple[int, ...]
    corrected: Markup = Markup("")  # "Figure corrected on DATE: why"


@dataclass(frozen=True)
class IndicatorView:
    anchor: str
    title: Shown
    unit: Shown
    direction: str  # "up" or "down"
    direction_label: str
    baseline: Markup
    latest: Markup
    target: Markup
    has_target: bool
    progress: Progress
    stale: str  # why its figures are stale, or ""
    note: Shown
    chart: Markup
    rows: list[PointRow]


@dataclass(frozen=True)
class PriorityView:
    anchor: str
    title: Shown
    summary: Shown
    owner: Shown
    badge: Badge
    since: Optional[dt.date]
    definition: Shown
    stale: str  # why the status is stale, or ""
    reason: Shown  # the current entry's reason (label), empty when none
    reason_definition: Shown
    corrected: Markup  # "This assessment was corrected on DATE: why" when the current entry was corrected
    timeline: list[TimelineEntry]
    milestones: list[MilestoneView]
    indicators: list[IndicatorView]


def stale_status(lang: Language, priority: Priority, as_of: dt.date) -> str:
    """Why the priority's status is stale (the model's rule), in a reader's words; "" when it is not."""
    programme = lang.programme
    age = priority.days_unreviewed(as_of, programme.review_every_days)
    if age is None:
        return ""
    entry = priority.latest_entry(as_of)
    if entry is None:
        return lang.words("No assessment recorded yet.")
    return lang.words("Stale: last assessed on {date}, {age} before this edition; the review cadence is {cadence}.").format(
        date=lang.date(entry.date), age=lang.days(age), cadence=lang.days(programme.review_every_days))


def reason_label(lang: Language, entry: Optional[Entry]) -> Shown:
    """The reason an entry gives, by its label in the edition's language (empty when none)."""
    if entry is None or not entry.reason:
        return lang.page_text("")
    return lang.reason(lang.programme.reason(entry.reason), "label")


def corrected_mark(lang: Language, record: Entry | Point, sentence: str) -> Markup:
    """`sentence` ("Assessment {corrections}"...) around every correction applied to the record
    as shown, "corrected on DATE: why" each; empty when it is shown as written."""
    if not record.applied:
        return Markup("")
    marks = Markup(lang.words("; ")).join(
        Markup(lang.words("corrected on {date}: {why}")).format(date=lang.date(c.date), why=lang.text(c, "why"))
        for c in record.applied)
    return Markup(lang.words(sentence)).format(corrections=marks)


def build(priority: Priority, lang: Language, as_of: dt.date, cite: Citations, accent: str) -> PriorityView:
    programme = lang.programme
    history = priority.history_until(as_of)
    entry = history[-1] if history else None
    status = programme.status(entry.status) if entry else None
    return PriorityView(
        anchor=f"priority-{priority.id}",
        title=lang.text(priority, "title"),
        summary=lang.text(priority, "summary"),
        owner=lang.text(priority, "owner"),
        badge=badge(lang, entry.status if entry else None),
        since=entry.date if entry else None,
        definition=lang.status(status, "definition") if status else lang.original(""),
        stale=stale_status(lang, priority, as_of),
        reason=reason_label(lang, entry),
        reason_definition=(lang.reason(programme.reason(entry.reason), "definition") if entry and entry.reason
                           else lang.page_text("")),
        corrected=corrected_mark(lang, entry, N_("This assessment was {corrections}")) if entry else Markup(""),
        timeline=[
            TimelineEntry(e.date, badge(lang, e.status), lang.text(e, "note"), lang.text(e, "by"),
                          cite.cite(e.sources), e is entry, reason_label(lang, e),
                          corrected_mark(lang, e, N_("Assessment {corrections}")))
            for e in history
        ],
        milestones=[_milestone(m, lang, as_of, cite) for m in priority.milestones],
        indicators=[_indicator(priority, i, lang, as_of, cite, accent) for i in priority.indicators],
    )


def _milestone(m: Milestone, lang: Language, as_of: dt.date, cite: Citations) -> MilestoneView:
    done = m.done if m.done_by(as_of) else None
    if done is not None:
        late = m.due is not None and done > m.due
        state = LATE if late else DONE
        label = (lang.words("Done {days} late").format(days=lang.days((done - m.due).days)) if late and m.due
                 else lang.words("Done"))
    elif m.overdue(as_of):
        assert m.due is not None
        state, label = OVERDUE, lang.words("Overdue by {days}").format(days=lang.days((as_of - m.due).days))
    elif m.due is not None:
        state = DUE
        label = (lang.words("Due in {days}").format(days=lang.days((m.due - as_of).days)) if m.due > as_of
                 else lang.words("Due today"))
    else:
        state, label = OPEN, lang.words("Open, no due date")
    return MilestoneView(lang.text(m, "title"), m.due, done, state, label, lang.text(m, "note"), cite.cite(m.sources))


def _indicator(priority: Priority, i: Indicator, lang: Language, as_of: dt.date, cite: Citations,
               accent: str) -> IndicatorView:
    programme = lang.programme
    known = i.observations_until(as_of)
    latest = known[-1] if known else None
    target = i.target
    unit = lang.text(i, "unit")
    rows = [PointRow("baseline", lang.words("Baseline"), i.baseline.date, lang.quantity(i.baseline.value, unit),
                     lang.text(i.baseline, "note"), cite.cite([i.baseline.source]))]
    rows += [PointRow("observation", lang.words("Observation"), o.date, lang.quantity(o.value, unit),
                      lang.text(o, "note"), cite.cite([o.source]), corrected_mark(lang, o, N_("Figure {corrections}")))
             for o in known]
    if target:
        rows.append(PointRow("target", lang.words("Target"), target.date, lang.quantity(target.value, unit),
                             lang.text(target, "note"), cite.cite([target.source])))
    last_date = latest.date if latest else i.baseline.date
    age = (as_of - last_date).days
    stale = ""
    if age > programme.review_every_days:
        stale = lang.words("Stale: latest figure dated {date}, {age} before this edition; "
                           "the review cadence is {cadence}.").format(
            date=lang.date(last_date), age=lang.days(age), cadence=lang.days(programme.review_every_days))
    title = lang.text(i, "title")
    series = charts.Series(
        title=str(title),
        unit=str(unit),
        baseline=(i.baseline.date, i.baseline.value),
        observations=tuple((o.date, o.value) for o in known),
        target=(target.date, target.value) if target else None,
        as_of=as_of,
        colour=colours.darken_to(accent, colours.AA_GRAPHICS + 1.5),
    )
    dated = lambda value, day: Markup(lang.words("{value} ({date})")).format(  # noqa: E731
        value=lang.quantity(value, unit), date=lang.date(day))
    return IndicatorView(
        anchor=f"indicator-{priority.id}-{i.id}",
        title=title,
        unit=unit,
        direction=i.direction,
        direction_label=lang.words("higher is better") if i.direction == "up" else lang.words("lower is better"),
        baseline=dated(i.baseline.value, i.baseline.date),
        latest=(dated(latest.value, latest.date) if latest
                else Markup.escape(lang.words("no value since the baseline"))),
        target=(Markup(lang.words("{value} by {date}")).format(value=lang.quantity(target.value, unit),
                                                               date=lang.date(target.date)) if target
                else Markup.escape(lang.words("none set"))),
        has_target=target is not None,
        progress=progress(i.baseline.value, latest.value if latest else None,
                          target.value if target else None, i.direction).translated(lang.words),
        stale=stale,
        note=lang.text(i, "note"),
        chart=charts.indicator_chart(series, f"chart-{priority.id}-{i.id}", lang),
        rows=rows,
    )
