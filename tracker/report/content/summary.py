"""Section 2: one line per priority, counts by status and a chart of them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from markupsafe import Markup

from tracker.digest import changes
from tracker.report.content import charts, colours
from tracker.report.content.language import Language, Shown
from tracker.report.content.priorities import reason_label, stale_status
from tracker.report.content.views import N_, Badge, Trend, badge, first_sentence, trend


@dataclass(frozen=True)
class SummaryRow:
    anchor: str
    title: Shown
    badge: Badge
    since: Optional[dt.date]
    note: Shown  # the latest note's first sentence
    trend: Trend
    stale: bool
    reason: Shown  # the current entry's reason (label), empty when none
    corrected: bool  # the current entry was corrected


@dataclass(frozen=True)
class StatusCount:
    badge: Badge
    count: int


#: The statuses whose priorities are counted by reason (those of the vocabulary that exist).
TROUBLED = ("stalled", "at_risk", "abandoned")
NO_REASON = N_("No reason given")


@dataclass(frozen=True)
class ReasonRow:
    label: Shown
    definition: Shown
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


def build(lang: Language, as_of: dt.date, found: list[changes.PriorityChanges]) -> Summary:
    programme = lang.programme
    rows = []
    for pc in found:
        entry = pc.after
        note = lang.text(entry, "note") if entry else lang.original("")
        rows.append(SummaryRow(
            anchor=f"priority-{pc.priority.id}",
            title=lang.text(pc.priority, "title"),
            badge=badge(lang, entry.status if entry else None),
            since=entry.date if entry else None,
            note=note.map(first_sentence(note.text)) if note else note,
            trend=trend(lang, pc.trend),
            stale=bool(stale_status(lang, pc.priority, as_of)),
            reason=reason_label(lang, entry),
            corrected=bool(entry and entry.applied),
        ))
    counts = [StatusCount(badge(lang, s.id), sum(1 for r in rows if r.badge.status == s.id))
              for s in programme.statuses]
    without = sum(1 for r in rows if not r.badge.status)
    if without:
        counts.append(StatusCount(badge(lang, None), without))
    bars = [charts.Bar(str(c.badge.label), c.count, c.badge.background,
                       colours.darken_to(c.badge.background, colours.AA_GRAPHICS + 2)) for c in counts]
    parts = lang.words(", ").join(
        lang.words("{count} {status}").format(
            count=lang.number(c.count),
            status=str(c.badge.label).lower() if c.badge.status else lang.words("without an entry"))
        for c in counts if c.count)
    title = lang.words("Chart of priorities by status: {n} priorities, {parts}.").format(
        n=lang.number(len(rows)), parts=parts)
    chart = charts.status_chart(bars, "chart-statuses", title, lang)
    return Summary(rows, counts, len(rows), chart, by_reason(lang, found))


def by_reason(lang: Language, found: list[changes.PriorityChanges]) -> ReasonCounts:
    programme = lang.programme
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
            rows.append(ReasonRow(lang.reason(reason, "label") if reason else lang.page_text(lang.words(NO_REASON)),
                                  lang.reason(reason, "definition") if reason else lang.page_text(""),
                                  counts, sum(counts)))
    totals = [sum(row.counts[i] for row in rows) for i in range(len(statuses))]
    return ReasonCounts([badge(lang, s) for s in statuses], rows, totals, sum(totals))
