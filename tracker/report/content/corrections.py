"""The Corrections section (what was corrected since the previous edition) and the appendix
holding the full corrections log: each correction with what was said, what is said now, why,
who made it and the record it corrects; and the same corrections as the email lists them.

Everything is said in the edition's language: tracker's words from its catalog, dates and
numbers as the language writes them, statuses and reasons by their (translated) labels, sources
by their titles, and the data's texts (why, who, a corrected note, what a note said before)
from the programme's PO file, each in its own language where it is shown untranslated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from markupsafe import Markup

from tracker.digest import corrections
from tracker.model.records import Correction, FieldChange
from tracker.report.content.language import Language, Shown


@dataclass(frozen=True)
class Said:
    """One corrected field: its label, what it said and what it says now (HTML)."""

    field: str
    label: str
    was: Markup
    now: Markup


@dataclass(frozen=True)
class CorrectionItem:
    anchor: str  # the corrected priority's section
    priority: Shown  # its title
    date: dt.date
    what: Markup  # "the status entry of 2024-03-01"
    changes: list[Said]
    why: Shown
    by: Shown
    line: str  # the whole correction in one line of plain text (email)


@dataclass(frozen=True)
class Corrections:
    since: Optional[dt.date]  # None: the first edition
    recent: list[CorrectionItem]  # made since the previous edition (since, as_of]
    log: list[CorrectionItem]  # every correction up to the as-of date, oldest first

    @property
    def first_edition(self) -> bool:
        return self.since is None


def _value(lang: Language, name: str, change: FieldChange, side: str, unit: Shown) -> tuple[Markup, str]:
    """One side (`was` or `now`) of a corrected field as a reader reads it, in HTML and in plain
    text: a status or reason by its label, sources by title, a figure with its unit, a note."""
    programme = lang.programme
    value: Any = getattr(change, side)
    if value in (None, "", (), []):
        nothing = lang.words(corrections.NOTHING)
        return Markup.escape(nothing), nothing
    shown: list[Shown]
    if name == "status":
        try:
            shown = [lang.status(programme.status(value), "label")]
        except KeyError:
            shown = [lang.original(str(value))]
    elif name == "reason":
        try:
            shown = [lang.reason(programme.reason(value), "label")]
        except KeyError:
            shown = [lang.original(str(value))]
    elif name in ("sources", "source"):
        shown = []
        for ref in [value] if isinstance(value, str) else list(value):
            source = programme.source(ref)
            shown.append(lang.text(source, "title") if source else lang.original(ref))
    elif name == "value":
        html = lang.quantity(value, unit)
        plain = lang.words("{value} {unit}").format(value=lang.number(value), unit=unit.text) if unit \
            else lang.number(value)
        return html, plain
    else:  # a note: a text of the programme (the `now`) or the text it replaced (the `was`)
        text = lang.text(change, side)
        shown = [text.map(" ".join(text.text.split()))]
    separator = lang.words("; ")
    return Markup(separator).join(shown), separator.join(s.text for s in shown)


def _item(lang: Language, view: corrections.CorrectionView) -> CorrectionItem:
    correction: Correction = view.correction
    priority = view.priority
    day = lang.date(view.record_date) if view.record_date else (correction.entry or correction.observation or "")
    if view.record_number is not None:  # one of several records of that date: which one
        day = f"{day}#{view.record_number}"
    unit = lang.page_text("")
    if correction.entry:
        what = Markup(lang.words("the status entry of {date}")).format(date=day)
    else:
        indicator = priority.indicator(correction.indicator)
        title = lang.text(indicator, "title") if indicator else lang.original(correction.indicator or "")
        unit = lang.text(indicator, "unit") if indicator else unit
        what = Markup(lang.words("{indicator}, the figure of {date}")).format(indicator=title, date=day)
    said, lines = [], []
    for name, change in correction.changes.items():
        label = lang.words(corrections.FIELD_LABELS.get(name, name))
        was, was_text = _value(lang, name, change, "was", unit)
        now, now_text = _value(lang, name, change, "now", unit)
        said.append(Said(name, label, was, now))
        lines.append(lang.words("{field} was {was}, now {now}").format(
            field=lang.words(corrections.FIELD_NAMES.get(name, name)), was=was_text, now=now_text))
    title = lang.text(priority, "title")
    why = lang.text(correction, "why")
    line = lang.words("{date}: {priority}, {what}: {changes}. Why: {why}").format(
        date=lang.date(correction.date), priority=" ".join(title.text.split()), what=what.striptags(),
        changes=lang.words("; ").join(lines), why=why.text)
    return CorrectionItem(f"priority-{priority.id}", title, correction.date, what, said, why,
                          lang.text(correction, "by"), line)


def build(lang: Language, since: Optional[dt.date], as_of: dt.date) -> Corrections:
    log = [_item(lang, v) for v in corrections.log(lang.programme, as_of)]
    recent = [_item(lang, v) for v in corrections.made_between(lang.programme, since, as_of)] if since else []
    return Corrections(since, recent, log)


def lines(lang: Language, since: Optional[dt.date], as_of: dt.date) -> list[str]:
    """The corrections readers learn of in (since, as_of], one line each, for the email."""
    return [_item(lang, v).line for v in corrections.made_between(lang.programme, since, as_of)]
