"""The five tables of programmes as recorded on an as-of date: one row per fact.

The as-of rule is the report's: status entries and observations dated after the as-of date are
left out, a milestone completed later is open, and an indicator's latest value and progress are
those known then (progress computed as in the report: tracker.report.content.progress). The
source registry is listed whole, as an edition's attached data lists it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from tracker.model.records import Programme
from tracker.report.content.progress import progress
from tracker.tables.columns import INDICATORS, MILESTONES, OBSERVATIONS, SOURCES, STATUSES, TABLES

Value = Any  # str, int, float, bool, dt.date, tuple[str, ...] (a list column) or None (empty)
Row = tuple[Value, ...]


@dataclass(frozen=True)
class Tables:
    """Rows of every table, in column order (`columns.TABLES`), for the programmes as of `as_of`."""

    as_of: dt.date
    programmes: tuple[str, ...]
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def records(self, table: str) -> list[dict[str, Value]]:
        """A table's rows as mappings of column name to value."""
        names = [column.name for column in TABLES[table]]
        return [dict(zip(names, row)) for row in self.rows[table]]


def tables(programmes: Iterable[Programme], as_of: dt.date) -> Tables:
    chosen = list(programmes)
    out = Tables(as_of, tuple(p.id for p in chosen), {name: [] for name in TABLES})
    for programme in chosen:
        _programme_rows(programme, as_of, out.rows)
    return out


def _date_or_text(value: str) -> Value:
    """A source's date: a real date when written in full, else its year or month as text."""
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value or None


def _percent(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 2)


def _programme_rows(programme: Programme, as_of: dt.date, rows: dict[str, list[Row]]) -> None:
    pid = programme.id
    labels = {status.id: status.label for status in programme.statuses}
    for priority in programme.priorities:
        for entry in priority.history_until(as_of):
            rows[STATUSES].append((pid, priority.id, entry.date, entry.status, labels.get(entry.status),
                                   entry.note or None, entry.sources or None, entry.by or None))
        for indicator in priority.indicators:
            known = indicator.observations_until(as_of)
            for point in known:
                rows[OBSERVATIONS].append((pid, priority.id, indicator.id, point.date, point.value, indicator.unit,
                                           point.source or None, point.note or None))
            latest = known[-1] if known else None
            target = indicator.target
            percent = progress(indicator.baseline.value, latest.value if latest else None,
                               target.value if target else None, indicator.direction).percent
            rows[INDICATORS].append((
                pid, priority.id, indicator.id, indicator.title, indicator.unit, indicator.direction,
                indicator.baseline.date, indicator.baseline.value,
                target.date if target else None, target.value if target else None,
                latest.date if latest else None, latest.value if latest else None, _percent(percent)))
        for milestone in priority.milestones:
            rows[MILESTONES].append((pid, priority.id, milestone.id, milestone.title, milestone.due,
                                     milestone.done if milestone.done_by(as_of) else None,
                                     milestone.overdue(as_of)))
    for source in programme.sources:
        rows[SOURCES].append((pid, source.id, source.title, source.publisher or None, _date_or_text(source.date),
                              source.url, source.kind))
