"""What a report shows, computed before any template runs: templates only display."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from ..model import Entry, Indicator, Point, Priority, Programme, StatusDef


@dataclass(frozen=True)
class IndicatorView:
    indicator: Indicator
    latest: Optional[Point]


@dataclass(frozen=True)
class PriorityView:
    priority: Priority
    status: Optional[StatusDef]
    entry: Optional[Entry]
    indicators: list[IndicatorView]


@dataclass(frozen=True)
class ReportContext:
    programme: Programme
    as_of: dt.date
    priorities: list[PriorityView]


def build(programme: Programme, as_of: dt.date) -> ReportContext:
    views = []
    for priority in programme.priorities:
        entry = priority.current(as_of)
        views.append(PriorityView(
            priority=priority,
            status=programme.status(entry.status) if entry else None,
            entry=entry,
            indicators=[IndicatorView(i, i.latest(as_of)) for i in priority.indicators],
        ))
    return ReportContext(programme=programme, as_of=as_of, priorities=views)
