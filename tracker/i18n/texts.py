"""The translatable texts of a programme, each named by its path in the programme.

The path is what a PO file's msgctxt holds: ids where the data has them, dates for history
entries and observations (`priorities/digital-talent/history/2025-06-27/note`); a second
entry of the same date gets `~2`, a third `~3`. Texts are the words a reader reads: titles,
summaries, notes, owners and assessors, milestone and indicator titles, units, source titles
and publishers, the labels and definitions of a programme's own status and reason vocabularies
(the default vocabularies are tracker's own, translated with tracker), and corrections: why
each was made, who made it, and a corrected note
(`priorities/digital-talent/corrections/2026-01-10/changes/note/now`). What a correction says
a note `was` is the text it replaced, translated there: it is no text of its own (`aliases`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from tracker.model.records import Correction, Point, Priority, Programme

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


def custom_reasons(programme: Programme) -> bool:
    """Whether the programme defines its own reasons (else tracker's are used)."""
    data = programme.origin.data if programme.origin is not None else None
    return isinstance(data, dict) and bool(data.get("reasons"))


#: The fields a correction may change that hold words (the others are ids, dates and numbers).
WORDED_CHANGES = ("note",)


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
    if custom_reasons(p):
        for reason in p.reasons:
            for name in ("label", "definition"):
                yield from item(f"reasons/{reason.id}", getattr(reason, name), reason.at, name)
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
        for context, correction in _corrections(priority):
            for name in ("why", "by"):
                yield from item(context, getattr(correction, name), correction.at, name)
            for name in WORDED_CHANGES:
                change = correction.changes.get(name)
                if change is not None and isinstance(change.now, str):
                    yield from item(f"{context}/changes/{name}", change.now, change.at, "now")


def _corrections(priority: Priority) -> Iterator[tuple[str, Correction]]:
    """Each correction of the priority with its context (`.../corrections/<date>[~n]`), in file order."""
    days: Counter[str] = Counter()
    for correction in priority.corrections:
        yield f"priorities/{priority.id}/corrections/{_dated(correction.date.isoformat(), days)}", correction


def aliases(programme: Programme) -> dict[Where, str]:
    """{YAML path of a correction's `was`: the context of the text it replaced}: the record's own
    field for its first correction, the previous correction's `now` after that. A `was` is shown
    translated as that text is (when it still reads the same)."""
    found: dict[Where, str] = {}
    for priority in programme.priorities:
        contexts = {id(c): context for context, c in _corrections(priority)}
        days: Counter[str] = Counter()
        records: list[tuple[str, object]] = [
            (f"priorities/{priority.id}/history/{_dated(e.date.isoformat(), days)}", e) for e in priority.history]
        for indicator in priority.indicators:
            seen: Counter[str] = Counter()
            records += [(f"priorities/{priority.id}/indicators/{indicator.id}/observations/"
                         f"{_dated(o.date.isoformat(), seen)}", o) for o in indicator.observations]
        for base, record in records:
            for name in WORDED_CHANGES:
                before = f"{base}/{name}"
                for correction in getattr(record, "revisions", ()):
                    change = correction.changes.get(name)
                    if change is None or id(correction) not in contexts:
                        continue
                    found[tuple(change.at) + ("was",)] = before
                    before = f"{contexts[id(correction)]}/changes/{name}/now"
    return found


def _point(context: str, point: Point) -> Iterator[Text]:
    if point.note:
        yield Text(f"{context}/note", point.note, point.at + ("note",))


def replaced(programme: Programme) -> Iterator[Text]:
    """What corrections say notes were: drawn in the Corrections section, in the translation of
    the text each replaced (its context from `aliases`), else as written."""
    known = aliases(programme)
    for priority in programme.priorities:
        for context, correction in _corrections(priority):
            for name in WORDED_CHANGES:
                change = correction.changes.get(name)
                if change is not None and isinstance(change.was, str) and change.was:
                    at = tuple(change.at) + ("was",)
                    yield Text(known.get(at, f"{context}/changes/{name}/was"), change.was, at)


def urls(programme: Programme) -> Iterator[Text]:
    """The sources' addresses: drawn in the report too (an address may hold any script)."""
    for source in programme.sources:
        if source.url:
            yield Text(f"sources/{source.id}/url", source.url, source.at + ("url",))
