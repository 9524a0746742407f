"""The tables and their columns, in order: the contract every format and the import share."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, number, boolean, list (text items)
    width: int = 14  # a workbook column's width, in characters


def _columns(*spec: str | tuple[str, str] | tuple[str, str, int]) -> tuple[Column, ...]:
    out = []
    for item in spec:
        out.append(Column(item) if isinstance(item, str) else Column(*item))
    return tuple(out)


STATUSES = "statuses"
OBSERVATIONS = "observations"
INDICATORS = "indicators"
MILESTONES = "milestones"
SOURCES = "sources"

#: Table name -> its columns, in the order they are written.
TABLES: dict[str, tuple[Column, ...]] = {
    STATUSES: _columns("programme", "priority", ("date", "date", 11), "status", ("status_label", "text", 16),
                       ("note", "text", 50), ("sources", "list", 24), "by"),
    OBSERVATIONS: _columns("programme", "priority", "indicator", ("date", "date", 11), ("value", "number", 12),
                           "unit", ("source", "text", 24), ("note", "text", 50)),
    INDICATORS: _columns("programme", "priority", "indicator", ("title", "text", 40), "unit", ("direction", "text", 9),
                         ("baseline_date", "date", 13), ("baseline_value", "number"), ("target_date", "date", 12),
                         ("target_value", "number", 12), ("latest_date", "date", 12), ("latest_value", "number", 12),
                         ("progress_percent", "number", 16)),
    MILESTONES: _columns("programme", "priority", "milestone", ("title", "text", 40), ("due", "date", 11),
                         ("done", "date", 11), ("overdue", "boolean", 9)),
    SOURCES: _columns("programme", "source", ("title", "text", 50), ("publisher", "text", 24), ("date", "date", 11),
                      ("url", "text", 40), ("kind", "text", 9)),
}

#: The tables `tracker import` reads back, and the columns a file in their layout must have.
IMPORTABLE = (STATUSES, OBSERVATIONS)
REQUIRED = {
    STATUSES: ("programme", "priority", "date", "status"),
    OBSERVATIONS: ("programme", "priority", "indicator", "date", "value"),
}


def names(table: str) -> list[str]:
    return [column.name for column in TABLES[table]]
