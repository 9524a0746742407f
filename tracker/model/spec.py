"""The shape of a programme file, declared once: the validator walks it, `tracker schema` prints it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.model import fields as f
from tracker.model.records import (ENTRY_FIELDS, OBSERVATION_FIELDS, OFF, PERIODS, REVIEW_MODES, Correction, Entry,
                                   FieldChange, Indicator, LogLine, Milestone, Point, Priority, Programme, ReasonDef,
                                   Schedule, Source, StatusDef)

SOURCE_KINDS = ("official", "press", "reprint", "other")
#: Text that is one line (titles, names, units): a line break there is refused. Summaries, notes
#: and definitions are paragraphs and may hold line breaks.
LINE = f.Text(lines=False)
SHORT_LINE = f.Text(200, lines=False)


@dataclass(frozen=True)
class Field:
    name: str
    type: Any  # an f.Type, a Record, a ListOf or a MapOf
    required: bool = False
    help: str = ""
    nullable: bool = False  # required, and null is a value of its own (a correction's `now: null`: cleared)


@dataclass(frozen=True)
class Record:
    name: str
    cls: type
    fields: tuple[Field, ...]
    help: str = ""

    def field_names(self) -> list[str]:
        return [fl.name for fl in self.fields]


@dataclass(frozen=True)
class ListOf:
    item: Any
    max_items: int = 10_000


@dataclass(frozen=True)
class MapOf:
    """A mapping whose keys are checked with `key` (an f.Type) and whose values are `value`s."""

    key: Any
    value: Any
    max_items: int = 10_000


@dataclass(frozen=True)
class ReviewMode(f.Type):
    """required, self-allowed or off; `off` unquoted is YAML's false, and means off too."""

    def check(self, value: Any) -> str:
        if value is False:
            return OFF
        return f.Choice(REVIEW_MODES).check(value)

    def schema(self) -> dict[str, Any]:
        return {"enum": [*REVIEW_MODES, False]}


SOURCE = Record("source", Source, (
    Field("id", f.Slug(), True, "Id cited by entries, milestones and observations."),
    Field("title", LINE, True, "Title of the document or article."),
    Field("publisher", LINE, False, "Who published it."),
    Field("date", f.PartialDate(), False, "Publication date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known."),
    Field("url", f.Url(), False, "Where to read it."),
    Field("kind", f.Choice(SOURCE_KINDS), False, "official, press, reprint or other: how much weight it carries."),
), "A document in the programme's source registry.")

STATUS = Record("status", StatusDef, (
    Field("id", f.StatusId(), True, "Id used in history entries, e.g. in_progress."),
    Field("label", SHORT_LINE, True, "Label shown to readers."),
    Field("colour", f.Colour(), True, "Badge colour, #rrggbb; white text must stay readable on it."),
    Field("definition", f.Text(), True, "Published definition of the status."),
    Field("final", f.Boolean(), False, "Whether the status is a final verdict (achieved, abandoned...)."),
    Field("needs_source", f.Boolean(), False, "Entries with this status must cite a source."),
    Field("needs_note", f.Boolean(), False, "Entries with this status must carry a note."),
    Field("rank", f.Integer(-100, 100), False, "Higher is better; tells an improvement from a decline."),
    Field("takes_reason", f.Boolean(), False,
          "Whether entries with this status may say why (reason:); by default at_risk, stalled and abandoned do."),
), "A status in the programme's own vocabulary.")

REASON = Record("reason", ReasonDef, (
    Field("id", f.StatusId("reason"), True, "Id used in history entries' reason:, e.g. lacks_funding."),
    Field("label", SHORT_LINE, True, "Label shown to readers."),
    Field("definition", f.Text(), True, "Published definition of the reason."),
), "A reason in the programme's own vocabulary of why a priority stalled, is at risk or was abandoned.")


def _review(what: str) -> tuple[Field, ...]:
    """The fields of a record that may be written as a draft and approved by someone else."""
    return (
        Field("draft", f.Boolean(), False,
              f"true while the {what} waits for approval: no edition, email or archive shows it."),
        Field("approved_by", SHORT_LINE, False, f"Who approved the {what}; never its author (by)."),
        Field("approved_on", f.Date(), False, f"When the {what} was approved: editions from that date on show it."),
    )


ENTRY = Record("history entry", Entry, (
    Field("date", f.Date(), True, "Date of the assessment, YYYY-MM-DD."),
    Field("status", f.StatusId(), True, "A status id from the vocabulary."),
    Field("note", f.Text(), False, "What the evidence shows; required for at_risk and stalled."),
    Field("sources", ListOf(f.SourceRef(), 100), False, "Source ids or URLs; required for achieved and partly_achieved."),
    Field("by", SHORT_LINE, False, "Who made the assessment."),
    Field("reason", f.StatusId("reason"), False, "Why it stalled, is at risk or was abandoned: a reason id."),
    *_review("entry"),
), "A dated status assessment. The latest entry on or before the as-of date is the current status.")

MILESTONE = Record("milestone", Milestone, (
    Field("id", f.Slug(), True),
    Field("title", LINE, True),
    Field("due", f.Date(), False, "When it is due, YYYY-MM-DD."),
    Field("done", f.Date(), False, "When it was done, YYYY-MM-DD; empty while open."),
    Field("sources", ListOf(f.SourceRef(), 100), False, "Source ids or URLs."),
    Field("note", f.Text(), False),
    Field("by", SHORT_LINE, False, "Who recorded the completion."),
    *_review("completion"),
))

BASELINE = Record("baseline", Point, (
    Field("date", f.Date(), True),
    Field("value", f.Number(), True),
    Field("source", f.SourceRef(), False, "Source id or URL."),
    Field("note", f.Text(), False),
))

TARGET = Record("target", Point, (
    Field("date", f.Date(), True),
    Field("value", f.Number(), True),
    Field("source", f.SourceRef(), False, "Source id or URL."),
    Field("note", f.Text(), False),
))

OBSERVATION = Record("observation", Point, (
    Field("date", f.Date(), True, "Date the figure was published or observed."),
    Field("value", f.Number(), True),
    Field("source", f.SourceRef(), False, "Source id or URL."),
    Field("note", f.Text(), False),
    Field("by", SHORT_LINE, False, "Who recorded the figure."),
    *_review("observation"),
))

INDICATOR = Record("indicator", Indicator, (
    Field("id", f.Slug(), True),
    Field("title", LINE, True),
    Field("unit", SHORT_LINE, True, "What is counted, e.g. countries."),
    Field("direction", f.Choice(("up", "down")), False, "up when more is better, down when less is."),
    Field("baseline", BASELINE, True),
    Field("target", TARGET, False),
    Field("observations", ListOf(OBSERVATION), False),
    Field("note", f.Text(), False),
))

CHANGE = Record("change", FieldChange, (
    Field("was", f.Said(), False, "What the field said before (empty: it said nothing)."),
    Field("now", f.Said(), True, "What it says from the correction's date on; null: nothing (a note, the sources "
                                 "or a reason cleared).", nullable=True),
))

CORRECTION = Record("correction", Correction, (
    Field("date", f.Date(), True, "When the correction was made: editions from that date on show it."),
    Field("entry", f.DatedRef(), False,
          "The history entry corrected: its date, or DATE#N for the Nth entry of that date."),
    Field("indicator", f.Slug(), False, "The indicator whose observation is corrected."),
    Field("observation", f.DatedRef(), False,
          "The observation corrected: its date, or DATE#N for the Nth of that date."),
    Field("changes", MapOf(f.Choice(tuple(dict.fromkeys(ENTRY_FIELDS + OBSERVATION_FIELDS))), CHANGE, 10), True,
          "What changes, field by field: {status: {was: in_progress, now: stalled}}."),
    Field("why", f.Text(), True, "Why the correction was made, for readers."),
    Field("by", SHORT_LINE, False, "Who made the correction."),
    *_review("correction"),
), "A dated, explained change to what an entry or an observation says; the entry itself is never edited.")

PRIORITY = Record("priority", Priority, (
    Field("id", f.Slug(), True),
    Field("title", LINE, True),
    Field("summary", f.Text(), False),
    Field("owner", SHORT_LINE, False),
    Field("history", ListOf(ENTRY), False),
    Field("milestones", ListOf(MILESTONE), False),
    Field("indicators", ListOf(INDICATOR), False),
    Field("corrections", ListOf(CORRECTION), False,
          "Corrections of the history and observations, oldest first (tracker correct)."),
))

LOG_LINE = Record("review log line", LogLine, (
    Field("date", f.Date(), True, "When the draft was rejected."),
    Field("item", f.Text(), True, "What the draft said."),
    Field("by", SHORT_LINE, True, "Who rejected it."),
    Field("why", f.Text(), True, "Why it was rejected."),
    Field("drafted_by", SHORT_LINE, False, "Who wrote the draft."),
), "A draft rejected in review (tracker reject).")

SCHEDULE = Record("editions", Schedule, (
    Field("every", f.Choice(tuple(PERIODS)), True,
          "month, quarter, half-year or year: an edition at the end of each such calendar period."),
    Field("start", f.Date(), True, "The first edition closes the period holding this date, YYYY-MM-DD."),
), "When editions are due: `tracker report --due` renders every one not rendered yet.")

PROGRAMME = Record("programme", Programme, (
    Field("id", f.Slug(), True, "Programme id, used in file names and commands."),
    Field("title", LINE, True),
    Field("summary", f.Text(), False),
    Field("owner", SHORT_LINE, False, "Who answers for the programme's tracking."),
    Field("review_every_days", f.Integer(1, 3660), False, "Review cadence: entries older than this are flagged."),
    Field("editions", SCHEDULE, False, "Edition schedule, e.g. {every: quarter, start: 2024-01-01}."),
    Field("language", f.LanguageTag(), False,
          "BCP 47 tag of the language the data is written in, e.g. en, fr, zh-Hans (default en)."),
    Field("languages", ListOf(f.LanguageTag(), 50), False,
          "BCP 47 tags of the languages editions are published in, the primary first, e.g. [en, zh-Hans]; "
          "translations in policies/<id>.<lang>.po (default: [language])."),
    Field("logo", f.RelativePath(), False, "Logo image inside the workspace, e.g. assets/logo.svg."),
    Field("accent", f.Colour(), False, "Accent colour of reports, #rrggbb."),
    Field("method_version", f.Label(), False, "Version of the assessment method, e.g. 2026.1; printed on every edition."),
    Field("review", ReviewMode(), False,
          "required: the commands write drafts that someone other than their author approves; "
          "self-allowed: authors may approve their own; off (the default): no drafts."),
    Field("sources", ListOf(SOURCE), False),
    Field("statuses", ListOf(STATUS, 50), False, "Replaces the default status vocabulary."),
    Field("reasons", ListOf(REASON, 50), False, "Replaces the default vocabulary of reasons."),
    Field("priorities", ListOf(PRIORITY, 5000), True),
    Field("review_log", ListOf(LOG_LINE, 100_000), False, "Drafts rejected in review, one line each."),
), "A programme of stated priorities, tracked by `tracker`.")


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a programme file, for editors and other tools."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://tracker.invalid/schema/programme.json",
        "title": "tracker programme",
        **_schema(PROGRAMME),
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = {"anyOf": [{key: value for key, value in schema.items() if key != "description"}, {"type": "null"}]}
    return {**out, "description": schema["description"]} if "description" in schema else out


def _schema(node: Any, help: str = "") -> dict[str, Any]:
    if isinstance(node, Record):
        out: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "required": [fl.name for fl in node.fields if fl.required],
            "properties": {fl.name: _nullable(_schema(fl.type, fl.help)) if fl.nullable else _schema(fl.type, fl.help)
                           for fl in node.fields},
        }
        desc = help or node.help
    elif isinstance(node, ListOf):
        out = {"type": "array", "items": _schema(node.item), "maxItems": node.max_items}
        desc = help
    elif isinstance(node, MapOf):
        out = {"type": "object", "propertyNames": node.key.schema(),
               "additionalProperties": _schema(node.value), "maxProperties": node.max_items}
        desc = help
    else:
        out = node.schema()
        desc = help
    if desc:
        out["description"] = desc
    return out
