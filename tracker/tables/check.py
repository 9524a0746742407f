"""Rows of an import file, checked one by one as `tracker update` and `tracker record` check theirs.

A sheet's header says its layout (`statuses` or `observations`, `columns.IMPORTABLE`). Each row
names a programme, a priority (and an indicator); its cells are checked by the programme file's
own field types (the spec) and its own rules (`validate.check_rules`: vocabulary, notes and
sources a status needs, sources in the registry), run on the row as if it were the only record
of its priority, so every message is the validator's, located at the row's cell. Then the row is
compared with what is recorded: equal to a record already there (or to an earlier row), it is
skipped; on the date of a record it does not equal, it would change that record, which an
import never does.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from tracker.edit.operations import Observation
from tracker.errors import NotFound, Problem
from tracker.model import fields as f
from tracker.model import spec
from tracker.model.lookup import find_indicator, find_priority
from tracker.model.records import Entry, Point, Programme, as_written_by
from tracker.model.validate import FAILED, check_rules, walk
from tracker.model.yamlsafe import Document
from tracker.tables.cells import number_text, one_kind_of_line_break, restore
from tracker.tables.columns import IMPORTABLE, OBSERVATIONS, REQUIRED, STATUSES, TABLES, names
from tracker.tables.read import Sheet

HEADER = "(header)"
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)
#: Longer is no number a programme may hold (fields.MAX_NUMBER): it stays text, and the validator
#: says so where it is, rather than int() refusing thousands of digits with a traceback.
_MAX_NUMBER_TEXT = 120


@dataclass(frozen=True)
class Layout:
    table: str  # STATUSES or OBSERVATIONS
    columns: dict[str, int]  # column name -> index in the sheet's rows


@dataclass(frozen=True)
class Row:
    sheet: Sheet
    number: int
    layout: Layout
    values: list[Any]

    def cell(self, name: str) -> Any:
        index = self.layout.columns.get(name)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def problem(self, name: str, message: str) -> Problem:
        return self.sheet.problem(self.number, self.layout.columns.get(name, 0) + 1, name, message)


@dataclass(frozen=True)
class Rules:
    """What a row is checked against besides the programme: today, and what the options allow."""

    today: dt.date
    allow_future: bool = False
    by: str = ""  # the author of new status entries whose `by` cell is empty (--by)


@dataclass
class Planned:
    """What one programme receives from the import, and how many rows were already there."""

    entries: list[tuple[str, Entry]] = field(default_factory=list)
    observations: list[tuple[str, str, Observation]] = field(default_factory=list)
    skipped: int = 0

    @property
    def added(self) -> int:
        return len(self.entries) + len(self.observations)


# --- the header -------------------------------------------------------------------------------

def _name(value: Any) -> str:
    return "" if value is None else str(value).strip().casefold()


def layout_of(sheet: Sheet) -> tuple[Optional[Layout], Optional[str], list[Problem]]:
    """The sheet's layout from its header; or the name of another table of the export (not
    imported, but not an error either); or the problems with the header."""
    header = [_name(value) for value in sheet.header]
    named = [name for name in header if name]
    for table in TABLES:
        if table not in IMPORTABLE and sorted(named) == sorted(names(table)):
            return None, table, []
    chosen = _table_of(named)
    if chosen is None:
        message = ("the header names neither the columns of the statuses layout (" + ", ".join(names(STATUSES))
                   + ") nor those of the observations layout (" + ", ".join(names(OBSERVATIONS)) + ")")
        if set(named) & set(names(STATUSES)):  # only the columns both layouts have: say what either lacks
            message += ("; it lacks 'status' for the statuses layout, or "
                        + " and ".join(repr(name) for name in REQUIRED[OBSERVATIONS] if name not in named)
                        + " for the observations layout")
        return None, None, [sheet.problem(1, 1, HEADER, message)]
    table = chosen
    known = names(table)
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    width = max([len(header), *(len(values) for _, values in sheet.rows)])
    for index, name in enumerate(header + [""] * (width - len(header))):
        if not name:
            if any(index < len(values) and not is_blank(values[index]) for _, values in sheet.rows):
                problems.append(sheet.problem(1, index + 1, HEADER, "a column with values but no name in the header"))
            continue
        if name not in known:
            problems.append(sheet.problem(1, index + 1, str(sheet.header[index]).strip(),
                                          f"unknown column {str(sheet.header[index]).strip()!r} in the {table} layout"
                                          f"{f.did_you_mean(name, known)} (its columns: {', '.join(known)})"))
        elif name in columns:
            problems.append(sheet.problem(1, index + 1, name, f"column {name!r} appears twice (first in column "
                                                              f"{columns[name] + 1})"))
        else:
            columns[name] = index
    for name in REQUIRED[table]:
        if name not in columns:
            problems.append(sheet.problem(1, 1, name, f"missing column {name!r} of the {table} layout "
                                                      f"(its columns: {', '.join(known)})"))
    return (None if problems else Layout(table, columns)), None, problems


def _table_of(named: list[str]) -> Optional[str]:
    """The layout a header is in: the one whose own columns (those the other layout has not) it
    names more of; on a tie, statuses if it names `status`. None when it names none of them."""
    statuses, observations = set(names(STATUSES)), set(names(OBSERVATIONS))
    own_statuses = len(set(named) & (statuses - observations))
    own_observations = len(set(named) & (observations - statuses))
    if own_statuses == own_observations == 0:
        return None
    if own_statuses != own_observations:
        return STATUSES if own_statuses > own_observations else OBSERVATIONS
    return STATUSES if "status" in named else OBSERVATIONS


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- cells ------------------------------------------------------------------------------------

def _text(value: Any) -> Optional[str]:
    """A text cell's text (None when blank): a number a spreadsheet made of it becomes text again."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = restore(one_kind_of_line_break(str(value)).strip())
    return text or None


def _date(value: Any) -> Any:
    """What the spec's date type is given: a date, or the text (checked there)."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, bool, int, float)):
        return value
    return _text(value)


def _message(row: Row, problem: Problem) -> str:
    """The validator's message, said in a spreadsheet's terms where that helps."""
    value = row.cell(_column(problem.field))
    if _column(problem.field) == "date" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f"expected a real date written YYYY-MM-DD but got the number {number_text(value)} "
                "(format the cell as a date, or write YYYY-MM-DD)")
    return problem.message


def _number(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= _MAX_NUMBER_TEXT and _NUMBER_RE.fullmatch(text):
            number = int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else float(text)
            return number
        return text or None
    return value


# An item of a list cell: a URL (it may hold commas and semicolons; one ends at a space, or at
# commas and semicolons followed by a space or the end), or anything between separators.
_ITEM_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*?(?=[,;]*(?:\s|$))|[^\s,;]+")


def _sources(value: Any) -> Optional[list[str]]:
    """A list cell: items separated by commas, semicolons or spaces ("a; b", as exported; "a,b";
    "a;b"), a URL kept whole (`_ITEM_RE`)."""
    text = _text(value)
    if text is None:
        return None
    return _ITEM_RE.findall(text) or None


# --- rows -------------------------------------------------------------------------------------

def rows_of(sheet: Sheet, layout: Layout) -> list[Row]:
    return [Row(sheet, number, layout, values) for number, values in sheet.rows]


def check(rows: list[Row], programmes: dict[str, Programme], rules: Rules) -> tuple[dict[str, Planned], list[Problem]]:
    """Check every row; what each programme receives (by id), or every problem found."""
    planned: dict[str, Planned] = {}
    problems: list[Problem] = []
    seen: dict[str, _Seen] = {}
    for row in rows:
        problems.extend(_check_row(row, programmes, rules, seen, planned))
    return planned, problems


@dataclass
class _Seen:
    """Records of one programme by date: those recorded and those this import adds. A corrected
    record is there as written and as corrected (what an export shows), and a row equal to
    either is the record already there."""

    entries: dict[tuple[str, dt.date], list[Entry]]
    observations: dict[tuple[str, str, dt.date], list[Point]]
    # How many records each list holds, recorded and added: (priority,) for a priority's history,
    # (priority, indicator) for an indicator's observations.
    counts: dict[tuple[str, ...], int] = field(default_factory=dict)

    @classmethod
    def of(cls, programme: Programme, today: dt.date) -> "_Seen":
        seen = cls({}, {})
        for priority in programme.priorities:
            seen.counts[(priority.id,)] = len(priority.history)
            for entry in priority.history:
                seen.entries.setdefault((priority.id, entry.date), []).extend(_versions(entry, today))
            for indicator in priority.indicators:
                seen.counts[(priority.id, indicator.id)] = len(indicator.observations)
                for point in indicator.observations:
                    seen.observations.setdefault((priority.id, indicator.id, point.date), []).extend(
                        _versions(point, today))
        return seen

    def one_more(self, row: Row, key: tuple[str, ...], what: str, limit: int, column: str) -> list[Problem]:
        """Count a record added to the list `key`; past the spec's `limit` for that list (which the
        programme file would fail only once edited, at a line of text no one wrote), the row
        that goes past it is the problem."""
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] <= limit:
            return []
        return [row.problem(column, f"{what} would hold more than {limit:,} "
                                    f"{'status entries' if column == 'priority' else 'observations'}, the most a "
                                    "programme file allows; this row and those after it are too many")]


def _versions(record: Any, today: dt.date) -> list[Any]:
    """A record as written, then as corrected by today (published corrections, then drafts too)."""
    out = [record]
    for version in (record.as_of(today), as_written_by(record, today)):
        if not any(_same_record(version, other) for other in out):
            out.append(version)
    return out


def _same_record(a: Any, b: Any) -> bool:
    names = ("status", "note", "sources", "by") if isinstance(a, Entry) else ("value", "source", "note")
    return all(getattr(a, name) == getattr(b, name) for name in names)


def _check_row(row: Row, programmes: dict[str, Programme], rules: Rules, seen: dict[str, _Seen],
               planned: dict[str, Planned]) -> list[Problem]:
    out: list[Problem] = []
    table = row.layout.table
    for name in REQUIRED[table]:
        if is_blank(row.cell(name)):
            out.append(row.problem(name, f"empty; every row of the {table} layout needs "
                                         f"{'an' if name[0] in 'aeiou' else 'a'} {name}"))
    programme = priority = indicator = None
    pid = _text(row.cell("programme"))
    if pid is not None:
        programme = programmes.get(pid)
        if programme is None:
            out.append(row.problem("programme", f"unknown programme {pid!r}{f.did_you_mean(pid, sorted(programmes))}"))
    if programme is not None and (priority_id := _text(row.cell("priority"))) is not None:
        try:
            priority = find_priority(programme, priority_id)
        except NotFound as missing:
            out.append(row.problem("priority", str(missing)))
    if table == OBSERVATIONS and priority is not None and programme is not None \
            and (indicator_id := _text(row.cell("indicator"))) is not None:
        try:
            indicator = find_indicator(programme, priority, indicator_id)
        except NotFound as missing:
            out.append(row.problem("indicator", str(missing)))
    doc = Document(data=None, display=row.sheet.file,
                   values={(): (row.number, 1), **{(name,): (row.number, index + 1)
                                                   for name, index in row.layout.columns.items()}})
    found: list[Problem] = []
    if table == STATUSES:
        data = {"date": _date(row.cell("date")), "status": _text(row.cell("status")), "note": _text(row.cell("note")),
                "sources": _sources(row.cell("sources")), "by": _text(row.cell("by"))}
        built = walk(spec.ENTRY, {k: v for k, v in data.items() if v is not None}, (), doc, found)
        if built is not FAILED and programme is not None and priority is not None:
            entry: Entry = built
            replica = replace(programme, priorities=(replace(priority, history=(entry,), milestones=(), indicators=(),
                                                             corrections=()),))
            found.extend(check_rules(replica, doc))
            label = _text(row.cell("status_label"))
            status_ids = [s.id for s in programme.statuses]
            if entry.status in status_ids and label is not None and label != programme.status(entry.status).label:
                found.append(doc.problem(("status_label",), f"expected the label of status {entry.status!r}, "
                                                             f"{programme.status(entry.status).label!r}, but got "
                                                             f"{label!r} (the status column decides; leave this empty)"))
    else:
        data = {"date": _date(row.cell("date")), "value": _number(row.cell("value")),
                "source": _text(row.cell("source")), "note": _text(row.cell("note"))}
        built = walk(spec.OBSERVATION, {k: v for k, v in data.items() if v is not None}, (), doc, found)
        if built is not FAILED and programme is not None and priority is not None and indicator is not None:
            point: Point = built
            replica_indicator = replace(indicator, observations=(point,))
            replica = replace(programme, priorities=(replace(priority, history=(), milestones=(),
                                                             indicators=(replica_indicator,), corrections=()),))
            found.extend(check_rules(replica, doc))
            unit = _text(row.cell("unit"))
            if unit is not None and unit != indicator.unit:
                found.append(doc.problem(("unit",), f"expected the unit of indicator {indicator.id!r}, "
                                                     f"{indicator.unit!r}, but got {unit!r} (leave it empty or "
                                                     "convert the value)"))
    required = set(REQUIRED[table])
    out.extend(Problem(p.path, p.line, p.column, _column(p.field), _message(row, p), sheet=row.sheet.name)
               for p in found if not (_column(p.field) in required and is_blank(row.cell(_column(p.field)))))
    if out or built is FAILED or programme is None or priority is None:
        return out
    day = built.date
    if day > rules.today and not rules.allow_future:
        return [row.problem("date", f"dated {day}, after today ({rules.today}); pass --allow-future to record "
                                    "it anyway")]
    if programme.id not in seen:
        seen[programme.id] = _Seen.of(programme, rules.today)
    known = seen[programme.id]
    plan = planned.setdefault(programme.id, Planned())
    if table == STATUSES:
        return _place_entry(row, programme.id, priority.id, built, known, plan, rules)
    assert indicator is not None
    return _place_observation(row, programme.id, priority.id, indicator.id, built, known, plan, rules.by)


def _column(dotted: str) -> str:
    """sources[2] -> sources: the column a value's problem is reported in."""
    return dotted.split("[", 1)[0].split(".", 1)[0] or "(row)"


def _place_entry(row: Row, pid: str, priority_id: str, entry: Entry, known: _Seen, plan: Planned,
                 rules: Rules) -> list[Problem]:
    recorded = known.entries.setdefault((priority_id, entry.date), [])
    for other in recorded:
        if (other.status, other.note, other.sources) == (entry.status, entry.note, entry.sources) \
                and (not entry.by or entry.by == other.by):
            plan.skipped += 1
            return []
    if recorded:
        other = recorded[0]
        differs = next(name for name, a, b in (("status", other.status, entry.status), ("note", other.note, entry.note),
                                               ("sources", other.sources, entry.sources), ("by", other.by, entry.by))
                       if a != b)
        return [row.problem(differs, f"{pid}/{priority_id} already has an entry of {entry.date} "
                                     f"({_describe_entry(other)}); a row may add entries, never change one "
                                     f"(to correct it: tracker correct {pid}/{priority_id} --entry {entry.date})")]
    new = replace(entry, by=entry.by or rules.by)
    too_many = known.one_more(row, (priority_id,), f"{pid}/{priority_id}", _limit(spec.PRIORITY, "history"),
                              "priority")
    if too_many:
        return too_many
    recorded.append(new)
    plan.entries.append((priority_id, new))
    return []


def _limit(record: spec.Record, name: str) -> int:
    """How many items the spec lets the list field `name` of `record` hold."""
    kind = next(fl.type for fl in record.fields if fl.name == name)
    assert isinstance(kind, spec.ListOf)
    return kind.max_items


def _describe_entry(entry: Entry) -> str:
    parts = [entry.status]
    if entry.note:
        parts.append(f"note {f.describe(entry.note)}")
    if entry.sources:
        parts.append("sources " + ", ".join(entry.sources))
    if entry.by:
        parts.append(f"by {entry.by}")
    return "; ".join(parts)


def _place_observation(row: Row, pid: str, priority_id: str, indicator_id: str, point: Point, known: _Seen,
                       plan: Planned, by: str) -> list[Problem]:
    recorded = known.observations.setdefault((priority_id, indicator_id, point.date), [])
    for other in recorded:
        if (other.value, other.source or None, other.note) == (point.value, point.source or None, point.note):
            plan.skipped += 1
            return []
    if recorded:
        other = recorded[0]
        differs = next(name for name, a, b in (("value", other.value, point.value),
                                               ("source", other.source or None, point.source or None),
                                               ("note", other.note, point.note)) if a != b)
        shown = number_text(other.value) if isinstance(other.value, (int, float)) else str(other.value)
        return [row.problem(differs, f"{pid}/{priority_id}/{indicator_id} already has an observation of "
                                     f"{point.date} (value {shown}"
                                     f"{f'; source {other.source}' if other.source else ''}"
                                     f"{f'; note {f.describe(other.note)}' if other.note else ''}); a row may add "
                                     "observations, never change one (to correct it: tracker correct "
                                     f"{pid}/{priority_id}/{indicator_id} --observation {point.date})")]
    too_many = known.one_more(row, (priority_id, indicator_id), f"{pid}/{priority_id}/{indicator_id}",
                              _limit(spec.INDICATOR, "observations"), "indicator")
    if too_many:
        return too_many
    recorded.append(point)
    plan.observations.append((priority_id, indicator_id,
                              Observation(point.date, point.value, point.source or "", point.note, by)))
    return []
