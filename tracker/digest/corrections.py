"""Corrections as readers are told about them: what was said, what is said now, and why.

Shared by the report (its Corrections section and appendix), the email and `tracker history`;
the report and the email say it in an edition's language (report/content/corrections.py), with
the words marked here.
A correction counts from its date, and only once published (a draft correction counts from
the day it was approved), with its record, after the corrections it builds on
(`Priority.corrections_until`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from tracker.model.records import Correction, Priority, Programme, ref_of


def N_(message: str) -> str:
    """Marks tracker's own words for translation (an edition says them in its language)."""
    return message


FIELD_LABELS = {"status": N_("Status"), "note": N_("Note"), "sources": N_("Sources"), "reason": N_("Reason"),
                "value": N_("Value"), "source": N_("Source")}
#: The same, inside a sentence ("status was In progress, now At risk").
FIELD_NAMES = {"status": N_("status"), "note": N_("note"), "sources": N_("sources"), "reason": N_("reason"),
               "value": N_("value"), "source": N_("source")}
NOTHING = N_("(nothing)")


@dataclass(frozen=True)
class Said:
    """One corrected field: what it said before the correction and what it says now."""

    field: str
    label: str
    was: str
    now: str


@dataclass(frozen=True)
class CorrectionView:
    priority: Priority
    correction: Correction
    what: str  # "the status entry of 2024-03-01" / "Kilometres built, the figure of 2024-03-01#2"
    record_date: Optional[dt.date]  # date of the entry or observation corrected
    changes: tuple[Said, ...]
    record_number: Optional[int] = None  # N of DATE#N, when readers were shown several records of that date

    @property
    def date(self) -> dt.date:
        return self.correction.date

    @property
    def why(self) -> str:
        return self.correction.why

    @property
    def by(self) -> str:
        return self.correction.by


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"


def shown(programme: Programme, name: str, value: Any, unit: str = "") -> str:
    """A field's value as a reader reads it: a status or reason by its label, sources by title."""
    if value in (None, "", (), []):
        return NOTHING
    if name == "status":
        try:
            return programme.status(value).label
        except KeyError:
            return str(value)
    if name == "reason":
        try:
            return programme.reason(value).label
        except KeyError:
            return str(value)
    if name in ("sources", "source"):
        refs = [value] if isinstance(value, str) else list(value)
        titles = []
        for ref in refs:
            source = programme.source(ref)
            titles.append(source.title if source else ref)
        return "; ".join(titles)
    if name == "value":
        return f"{_number(value)} {unit}".strip()
    return " ".join(str(value).split())


def _named(records: tuple[Any, ...], record: Any, as_of: Optional[dt.date]) -> str:
    """How readers tell the corrected record from others of its date: DATE, or DATE#N counting
    the records of that date they were shown on `as_of` (all of them when None)."""
    shown = tuple(r for r in records if as_of is None or r.known_on(as_of))
    return ref_of(shown if any(r is record for r in shown) else records, record)


def _number_of(named: str) -> Optional[int]:
    return int(named.partition("#")[2]) if "#" in named else None


def view(programme: Programme, priority: Priority, correction: Correction,
         as_of: Optional[dt.date] = None) -> CorrectionView:
    """The correction in a reader's words; `as_of`, the edition's date, decides how its record is named."""
    record = priority.corrected(correction)
    unit = ""
    if correction.entry:
        named = _named(priority.history, record, as_of) if record else correction.entry
        what = f"the status entry of {named}"
    else:
        indicator = priority.indicator(correction.indicator)
        unit = indicator.unit if indicator else ""
        title = indicator.title if indicator else correction.indicator
        named = _named(indicator.observations, record, as_of) if record and indicator else correction.observation or ""
        what = f"{title}, the figure of {named}"
    said = []
    for name, change in correction.changes.items():
        said.append(Said(name, FIELD_LABELS.get(name, name), shown(programme, name, change.was, unit),
                         shown(programme, name, change.now, unit)))
    return CorrectionView(priority, correction, what, record.date if record else None, tuple(said),
                          _number_of(named) if record else None)


def log(programme: Programme, as_of: dt.date) -> list[CorrectionView]:
    """Every correction published by `as_of`, oldest first: the full log."""
    return [view(programme, p, c, as_of) for p, c in programme.corrections_until(as_of)]


def made_between(programme: Programme, since: Optional[dt.date], as_of: dt.date) -> list[CorrectionView]:
    """Corrections readers learn of in (since, as_of]: published by `as_of` but not by `since`."""
    known = {id(c) for _, c in programme.corrections_until(since)} if since is not None else set()
    return [v for v in log(programme, as_of) if id(v.correction) not in known]
