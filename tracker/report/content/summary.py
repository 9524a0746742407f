"""Section 2: one line per priority, counts by status and a chart of them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from tracker.digest import changes
from tracker.model.records import Programme
from tracker.report.content import charts, colours
from tracker.report.content.priorities import reason_label, stale_status
from tracker.report.content.views import NO_ENTRY, TRENDS, Badge, Trend, badge, first_sentence


@dataclass(frozen=True)
class SummaryRow:
    anchor: str
    title: str
    badge: Badge
    since: Optional[dt.date]
    note: str  # the latest note's first sentence
    trend: Trend
    stale: bool
    reason: str = ""  # the current entry's reason (label)
    corrected: bool = False  # the current entry was corrected


@dataclass(frozen=True)
class StatusCount:
    badge: Badge
    count: int


#: The statuses whose priorities are counted by reason (those of the vocabulary that exist).
TROUBLED = ("stalled", "at_risk", "abandoned")
NO_REASON = "No reason given"


@dataclass(frozen=True)
class ReasonRow:
    label: str
    definition: str
    counts: list[int]  # per status of `ReasonCounts.statuses`
    total: int


@dataclass(frozen=True)
class ReasonCounts:
    """Stalled, at-risk and abandoned priorities counted by the reason of their current entry."""

    statuses: list[Badge]
    rows: list[ReasonRow]  # reasons in vocabulary order, zero rows left out; "No reason given" last
    totals: list[int]
    total: int


@dataclass(frozen=True)
class Summary:
    rows: list[SummaryRow]
    counts: list[StatusCount]
    total: int
    chart: Markup
    by_reason: ReasonCounts


def build(programme: Programme, as_of: dt.date, found: list[changes.PriorityChanges]) -> Summary:
    rows = []
    for pc in found:
        entry = pc.after
        rows.append(SummaryRow(
            anchor=f"priority-{pc.priority.id}",
            title=pc.priority.title,
            badge=badge(programme, entry.status if entry else None),
            since=entry.date if entry else None,
            note=first_sentence(entry.note) if entry and entry.note else "",
            trend=TRENDS[pc.trend],
            stale=bool(stale_status(pc.priority, programme, as_of)),
            reason=reason_label(programme, entry),
            corrected=bool(entry and entry.applied),
        ))
    counts = [StatusCount(badge(programme, s.id), sum(1 for r in rows if r.badge.status == s.id))
              for s in programme.statuses]
    without = sum(1 for r in rows if not r.badge.status)
    if without:
        counts.append(StatusCount(badge(programme, None), without))
    bars = [charts.Bar(c.badge.label, c.count, c.badge.background,
                       colours.darken_to(c.badge.background, colours.AA_GRAPHICS + 2)) for c in counts]
    chart = charts.status_chart(bars, "chart-statuses",
                                f"Chart of priorities by status: {len(rows)} priorities, "
                                + ", ".join(f"{c.count} {c.badge.label.lower() if c.badge.label != NO_ENTRY else 'without an entry'}"
                                            for c in counts if c.count) + ".")
    return Summary(rows, counts, len(rows), chart, by_reason(programme, found))


def by_reason(programme: Programme, found: list[changes.PriorityChanges]) -> ReasonCounts:
    statuses = [s.id for s in programme.statuses if s.id in TROUBLED]
    tally: dict[tuple[str, str], int] = {}
    for pc in found:
        entry = pc.after
        if entry is not None and entry.status in statuses:
            key = (entry.reason or "", entry.status)
            tally[key] = tally.get(key, 0) + 1
    rows = []
    for reason in [*programme.reasons, None]:
        rid = reason.id if reason else ""
        counts = [tally.get((rid, status), 0) for status in statuses]
        if sum(counts):
            rows.append(ReasonRow(reason.label if reason else NO_REASON, reason.definition if reason else "",
                                  counts, sum(counts)))
    totals = [sum(row.counts[i] for row in rows) for i in range(len(statuses))]
    return ReasonCounts([badge(programme, s) for s in statuses], rows, totals, sum(totals))
