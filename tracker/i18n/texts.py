"""The translatable texts of a programme, each named by its path in the programme.

The path is what a PO file's msgctxt holds: ids where the data has them, dates for history
entries and observations (`priorities/digital-talent/history/2025-06-27/note`); a second
entry of the same date gets `~2`, a third `~3`. Texts are the words a reader reads: titles,
summaries, notes, owners and assessors, milestone and indicator titles, units, source titles
and publishers, and the labels and definitions of a programme's own status vocabulary (the
default vocabulary is tracker's own, translated with tracker).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from tracker.model.records import Point, Programme

Where = tuple  # the value's path in the YAML document, for PATH:LINE:COL


@dataclass(frozen=True)
class Text:
    context: str  # the msgctxt: where the text is in the programme
    text: str
    at: Where  # the value's path in the YAML document

    @property
    def field(self) -> str:
        from tracker.model.yamlsafe import dotted

        return dotted(self.at)


def _dated(day: str, seen: Counter[str]) -> str:
    seen[day] += 1
    return day if seen[day] == 1 else f"{day}~{seen[day]}"


def custom_statuses(programme: Programme) -> bool:
    """Whether the programme defines its own status vocabulary (else tracker's is used)."""
    data = programme.origin.data if programme.origin is not None else None
    return isinstance(data, dict) and bool(data.get("statuses"))


def walk(programme: Programme) -> Iterator[Text]:
    """Every non-empty text of the programme, in file order."""
    def item(context: str, value: str, at: Where, name: str) -> Iterator[Text]:
        if value:
            yield Text(f"{context}/{name}" if context else name, value, at + (name,))

    p = programme
    for name in ("title", "summary", "owner"):
        yield from item("", getattr(p, name), p.at, name)
    if custom_statuses(p):
        for status in p.statuses:
            for name in ("label", "definition"):
                yield from item(f"statuses/{status.id}", getattr(status, name), status.at, name)
    for source in p.sources:
        for name in ("title", "publisher"):
            yield from item(f"sources/{source.id}", getattr(source, name), source.at, name)
    for priority in p.priorities:
        base = f"priorities/{priority.id}"
        for name in ("title", "summary", "owner"):
            yield from item(base, getattr(priority, name), priority.at, name)
        days: Counter[str] = Counter()
        for entry in priority.history:
            where = f"{base}/history/{_dated(entry.date.isoformat(), days)}"
            for name in ("note", "by"):
                yield from item(where, getattr(entry, name), entry.at, name)
        for milestone in priority.milestones:
            for name in ("title", "note"):
                yield from item(f"{base}/milestones/{milestone.id}", getattr(milestone, name), milestone.at, name)
        for indicator in priority.indicators:
            ibase = f"{base}/indicators/{indicator.id}"
            for name in ("title", "unit", "note"):
                yield from item(ibase, getattr(indicator, name), indicator.at, name)
            yield from _point(f"{ibase}/baseline", indicator.baseline)
            if indicator.target is not None:
                yield from _point(f"{ibase}/target", indicator.target)
            seen: Counter[str] = Counter()
            for point in indicator.observations:
                yield from _point(f"{ibase}/observations/{_dated(point.date.isoformat(), seen)}", point)


def _point(context: str, point: Point) -> Iterator[Text]:
    if point.note:
        yield Text(f"{context}/note", point.note, point.at + ("note",))




def urls(programme: Programme) -> Iterator[Text]:
    """The sources' addresses: drawn in the report too (an address may hold any script)."""
    for source in programme.sources:
        if source.url:
            yield Text(f"sources/{source.id}/url", source.url, source.at + ("url",))
