"""The programme data model, and the as-of rule: what was known on a given date.

Records are immutable. The current status of a priority is never stored: it is the latest
history entry dated on or before the as-of date.

What readers know on a date is decided here, in one place:
- a record written as a draft (`draft: true`) is known to nobody until it is approved, and
  then only from the day of its approval (`approved_on`): an edition as of an earlier date
  never shows it, so regenerating that edition gives the same bytes;
- a correction changes what an entry or an observation says from the correction's date on
  (`Entry.as_of`, `Point.as_of`); the entry itself stays as it was written, and the corrected
  copy carries the corrections applied (`applied`), so a report can say "corrected on DATE";
- the corrections of one record form a chain, in date order: each says what the record said
  after the one before (`was`), so a correction reaches readers only once every correction it
  builds on has too, and only while its record itself has (`Priority.corrections_until`): a
  draft's words never reach an edition through a later correction's `was`.
`Programme.with_drafts()` is the preview: every pending draft counted as published.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

if TYPE_CHECKING:
    from tracker.model.yamlsafe import Document

Where = tuple  # path inside the YAML document, e.g. ("priorities", 1, "history", 0)

#: `review:` values: drafts are written by the commands and need a second person's approval
#: (REQUIRED), or may be approved by their author (SELF_ALLOWED); OFF (or nothing) writes records.
REQUIRED, SELF_ALLOWED, OFF = "required", "self-allowed", "off"
REVIEW_MODES = (REQUIRED, SELF_ALLOWED, OFF)

#: What a correction may change, by the kind of record it corrects.
ENTRY_FIELDS = ("status", "note", "sources", "reason")
OBSERVATION_FIELDS = ("value", "source", "note")
#: What a correction may clear (`now: null`): a record says nothing there afterwards.
CLEARABLE = ("note", "sources", "reason", "source")

#: The statuses of the default vocabulary whose entries may say why (`reason:`): a priority
#: stalled, at risk or abandoned. A vocabulary of its own says so with `takes_reason:`.
REASONED = ("at_risk", "stalled", "abandoned")

_REF_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:#([1-9]\d{0,5}))?$", re.ASCII)


def parse_ref(ref: str) -> Optional[tuple[dt.date, int]]:
    """`2024-03-01` or `2024-03-01#2` -> (date, n), counting from 1; None when malformed."""
    match = _REF_RE.fullmatch(ref.strip()) if isinstance(ref, str) else None
    if not match:
        return None
    try:
        day = dt.date.fromisoformat(match[1])
    except ValueError:
        return None
    return day, int(match[2] or 1)


def same_person(a: str, b: str) -> bool:
    """Whether two names name one person for the four-eyes rule: compared as text a reader sees,
    whatever its Unicode form (NFC of the case-folded NFKC), case, spacing and invisible format
    characters. "Ana María" typed with a combining accent is still Ana María."""
    def key(name: str) -> str:
        seen = "".join(c for c in unicodedata.normalize("NFKC", name) if unicodedata.category(c) != "Cf")
        return unicodedata.normalize("NFC", seen.casefold())

    return " ".join(key(a).split()) == " ".join(key(b).split())


def is_pending(item: Any) -> bool:
    """A draft nobody has approved yet (the preview's own copies excepted)."""
    return bool(item.draft) and not item.approved_by and not item.preview


def is_published(item: Any, day: dt.date) -> bool:
    """Whether a reviewable record (entry, observation, milestone completion, correction) had
    reached readers on `day`: not a pending draft, and approved on or before `day` if it was one."""
    if item.preview:
        return True
    if is_pending(item):
        return False
    return item.approved_on is None or item.approved_on <= day


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    date: str = ""
    url: Optional[str] = None
    kind: str = "other"
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class StatusDef:
    id: str
    label: str
    colour: str
    definition: str
    final: bool = False
    needs_source: bool = False
    needs_note: bool = False
    rank: int = 0  # higher is better: orders statuses to tell improved from worsened
    takes_reason: Optional[bool] = None  # None: as the default vocabulary does (REASONED)
    at: Where = field(default=(), compare=False, repr=False)

    @property
    def reasoned(self) -> bool:
        """Whether an entry with this status may say why (`reason:`)."""
        return self.takes_reason if self.takes_reason is not None else self.id in REASONED


@dataclass(frozen=True)
class ReasonDef:
    """Why a priority stalled, is at risk or was abandoned: a closed, published vocabulary."""

    id: str
    label: str
    definition: str
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class FieldChange:
    """What one field of an entry or observation said (`was`), and says after a correction (`now`;
    None: nothing, the field is cleared)."""

    now: Any = None
    was: Any = None
    at: Where = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Correction:
    """A dated, explained change to what an entry (`entry`) or an observation (`indicator` and
    `observation`) says. Kept in the priority's `corrections:`; the corrected record is never
    edited. `entry` and `observation` are dates, `DATE#N` for the Nth record of a date."""

    date: dt.date
    changes: dict[str, FieldChange] = field(hash=False)
    why: str
    entry: Optional[str] = None
    indicator: Optional[str] = None
    observation: Optional[str] = None
    by: str = ""
    draft: bool = False
    approved_by: str = ""
    approved_on: Optional[dt.date] = None
    at: Where = field(default=(), compare=False, repr=False)
    preview: bool = field(default=False, compare=False, repr=False)

    @property
    def target(self) -> str:
        """What it corrects, as the data names it: `entry 2024-03-01` or `km 2024-03-01`."""
        return f"entry {self.entry}" if self.entry else f"{self.indicator} {self.observation}"


def _apply(record: Any, revisions: tuple[Correction, ...], day: dt.date, drafts: bool = False) -> Any:
    """`record` with the corrections of the chain `revisions` (in date order) made by `day`: up
    to the first not published by then (or all of them, drafts included, with `drafts`)."""
    chain = []
    for correction in revisions:
        if correction.date > day or not (drafts or is_published(correction, day)):
            break  # the corrections after it build on it: they wait for it
        chain.append(correction)
    applied = tuple(chain)
    if not applied:
        return record
    values: dict[str, Any] = {}
    for correction in applied:
        for name, change in correction.changes.items():
            values[name] = said_as_field(record, name, change.now)
    return replace(record, **values, applied=applied)


def said_as_field(record: Any, name: str, now: Any) -> Any:
    """What a correction's `now` makes of the field `name` of `record`: a list becomes a tuple,
    and nothing (None: cleared) the field's empty value."""
    if now is None:
        empty = {f.name: f.default for f in fields(record)}.get(name)
        return None if empty is MISSING else empty
    return tuple(now) if isinstance(now, list) else now


@dataclass(frozen=True)
class Entry:
    """One dated status assessment: the log is only ever appended to."""

    date: dt.date
    status: str
    note: str = ""
    sources: tuple[str, ...] = ()
    by: str = ""
    reason: str = ""  # why it stalled, is at risk or was abandoned: an id of the programme's reasons
    draft: bool = False
    approved_by: str = ""
    approved_on: Optional[dt.date] = None
    at: Where = field(default=(), compare=False, repr=False)
    preview: bool = field(default=False, compare=False, repr=False)
    #: Every correction of this entry, in the order they apply (linked by its priority).
    revisions: tuple[Correction, ...] = field(default=(), compare=False, repr=False)
    #: The corrections applied in this copy (`as_of`); empty for the entry as written.
    applied: tuple[Correction, ...] = field(default=(), compare=False, repr=False)

    def known_on(self, day: dt.date) -> bool:
        """Dated on or before `day` and published by then."""
        return self.date <= day and is_published(self, day)

    def as_of(self, day: dt.date) -> "Entry":
        """The entry as readers knew it on `day`: with the corrections made by then."""
        return _apply(self, self.revisions, day)

    @property
    def corrected_on(self) -> Optional[dt.date]:
        return self.applied[-1].date if self.applied else None


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    due: Optional[dt.date] = None
    done: Optional[dt.date] = None
    sources: tuple[str, ...] = ()
    note: str = ""
    by: str = ""  # who recorded the completion
    draft: bool = False  # the completion (`done`) is a draft
    approved_by: str = ""
    approved_on: Optional[dt.date] = None
    at: Where = field(default=(), compare=False, repr=False)
    preview: bool = field(default=False, compare=False, repr=False)

    def done_by(self, as_of: dt.date) -> bool:
        return self.done is not None and self.done <= as_of and is_published(self, as_of)

    def overdue(self, as_of: dt.date) -> bool:
        return self.due is not None and self.due < as_of and not self.done_by(as_of)


@dataclass(frozen=True)
class Point:
    """A dated value: a baseline, a target or an observation."""

    date: dt.date
    value: float
    source: Optional[str] = None
    note: str = ""
    by: str = ""
    draft: bool = False
    approved_by: str = ""
    approved_on: Optional[dt.date] = None
    at: Where = field(default=(), compare=False, repr=False)
    preview: bool = field(default=False, compare=False, repr=False)
    revisions: tuple[Correction, ...] = field(default=(), compare=False, repr=False)
    applied: tuple[Correction, ...] = field(default=(), compare=False, repr=False)

    def known_on(self, day: dt.date) -> bool:
        return self.date <= day and is_published(self, day)

    def as_of(self, day: dt.date) -> "Point":
        return _apply(self, self.revisions, day)

    @property
    def corrected_on(self) -> Optional[dt.date]:
        return self.applied[-1].date if self.applied else None


def as_written_by(record: Any, day: dt.date) -> Any:
    """What an entry or observation says after every correction dated on or before `day`, drafts
    included: what a new correction dated `day` corrects (its `was`)."""
    return _apply(record, record.revisions, day, drafts=True)


def _nth_of_date(records: Iterable[Any]) -> list[tuple[dt.date, int]]:
    """(date, n) of each record: n counts the records of the same date, in file order, from 1."""
    seen: dict[dt.date, int] = {}
    out = []
    for record in records:
        seen[record.date] = seen.get(record.date, 0) + 1
        out.append((record.date, seen[record.date]))
    return out


def find_dated(records: tuple[Any, ...], ref: Optional[str]) -> Optional[Any]:
    """The record `ref` (DATE, or DATE#N for the Nth of that date) names, or None."""
    parsed = parse_ref(ref) if ref else None
    if parsed is None:
        return None
    for record, key in zip(records, _nth_of_date(records)):
        if key == parsed:
            return record
    return None


def ref_of(records: tuple[Any, ...], record: Any) -> str:
    """How a correction or an approval names `record`: its date, with #N when the date has several."""
    keys = _nth_of_date(records)
    for candidate, (day, n) in zip(records, keys):
        if candidate is record:
            several = sum(1 for d, _ in keys if d == day) > 1
            return f"{day.isoformat()}#{n}" if several else day.isoformat()
    raise ValueError("record not in records")


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    unit: str
    baseline: Point
    direction: str = "up"
    target: Optional[Point] = None
    observations: tuple[Point, ...] = ()
    note: str = ""
    at: Where = field(default=(), compare=False, repr=False)

    def observations_until(self, as_of: dt.date) -> list[Point]:
        """Observations known on `as_of` (corrected as of then), oldest first (file order kept for equal dates)."""
        return sorted((o.as_of(as_of) for o in self.observations if o.known_on(as_of)), key=lambda o: o.date)

    def latest(self, as_of: dt.date) -> Optional[Point]:
        known = self.observations_until(as_of)
        return known[-1] if known else None


@dataclass(frozen=True)
class Priority:
    id: str
    title: str
    summary: str = ""
    owner: str = ""
    history: tuple[Entry, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    corrections: tuple[Correction, ...] = ()
    at: Where = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        # Each entry and observation carries the corrections that name it, however the priority
        # was made (validation, a snapshot, a preview): the as-of rule needs them at hand.
        order = sorted(range(len(self.corrections)), key=lambda i: (self.corrections[i].date, i))
        ordered = [self.corrections[i] for i in order]
        by_entry: dict[tuple[dt.date, int], list[Correction]] = {}
        by_point: dict[tuple[str, dt.date, int], list[Correction]] = {}
        for c in ordered:
            if c.entry:
                parsed = parse_ref(c.entry)
                if parsed:
                    by_entry.setdefault(parsed, []).append(c)
            elif c.indicator and c.observation:
                parsed = parse_ref(c.observation)
                if parsed:
                    by_point.setdefault((c.indicator, *parsed), []).append(c)
        history = tuple(_linked(e, tuple(by_entry.get(key, ())))
                        for e, key in zip(self.history, _nth_of_date(self.history)))
        if any(a is not b for a, b in zip(history, self.history)):
            object.__setattr__(self, "history", history)
        indicators = []
        for i in self.indicators:
            points = tuple(_linked(o, tuple(by_point.get((i.id, *key), ())))
                           for o, key in zip(i.observations, _nth_of_date(i.observations)))
            changed = any(a is not b for a, b in zip(points, i.observations))
            indicators.append(replace(i, observations=points) if changed else i)
        if any(a is not b for a, b in zip(indicators, self.indicators)):
            object.__setattr__(self, "indicators", tuple(indicators))

    def history_until(self, as_of: dt.date) -> list[Entry]:
        """Entries known on `as_of` (corrected as of then), oldest first (file order kept for equal dates)."""
        return sorted((e.as_of(as_of) for e in self.history if e.known_on(as_of)), key=lambda e: e.date)

    def latest_entry(self, as_of: dt.date) -> Optional[Entry]:
        """The entry that gives the priority's status on `as_of`: the latest dated on or before it."""
        known = self.history_until(as_of)
        return known[-1] if known else None

    def corrections_until(self, as_of: dt.date) -> list[Correction]:
        """Corrections that had reached readers by `as_of`, oldest first (file order for one date):
        those applied to the entries and observations readers knew then (`as_of`), so never one
        of a record not yet published, nor one that builds on a correction not yet published."""
        found: list[Correction] = []
        for entry in self.history:
            if entry.known_on(as_of):
                found += entry.as_of(as_of).applied
        for indicator in self.indicators:
            for point in indicator.observations:
                if point.known_on(as_of):
                    found += point.as_of(as_of).applied
        order = {id(c): i for i, c in enumerate(self.corrections)}
        return sorted(found, key=lambda c: (c.date, order.get(id(c), 0)))

    def corrected(self, correction: Correction) -> Optional[Entry | Point]:
        """The entry or observation a correction names, as written; None when it names none."""
        if correction.entry:
            return find_dated(self.history, correction.entry)
        for indicator in self.indicators:
            if indicator.id == correction.indicator:
                return find_dated(indicator.observations, correction.observation)
        return None

    def indicator(self, indicator_id: Optional[str]) -> Optional[Indicator]:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        return None

    def days_unreviewed(self, as_of: dt.date, review_every_days: int) -> Optional[int]:
        """The staleness rule, in one place: how many days the latest entry is older than `as_of`
        when that is more than the review cadence; None when it is recent enough. A priority
        with no entry at all is stale too: -1."""
        entry = self.latest_entry(as_of)
        if entry is None:
            return -1
        age = (as_of - entry.date).days
        return age if age > review_every_days else None

    def next_milestone(self, as_of: dt.date) -> Optional[Milestone]:
        open_ = [m for m in self.milestones if not m.done_by(as_of)]
        dated = sorted((m for m in open_ if m.due is not None), key=lambda m: m.due)  # type: ignore[arg-type,return-value]
        return dated[0] if dated else (open_[0] if open_ else None)


def _linked(record: Any, revisions: tuple[Correction, ...]) -> Any:
    if record.revisions == revisions and all(a is b for a, b in zip(record.revisions, revisions)):
        return record
    return replace(record, revisions=revisions)


ENTRY, OBSERVATION, MILESTONE, CORRECTION = "entry", "observation", "milestone", "correction"


@dataclass(frozen=True)
class Pending:
    """A draft waiting for review, where it is, and how an approval names it (`ref`)."""

    programme: str
    priority: Priority
    kind: str  # ENTRY, OBSERVATION, MILESTONE (its completion) or CORRECTION
    item: Any  # the Entry, Point, Milestone or Correction
    ref: str  # DATE, or DATE#N for the Nth entry or observation of a date
    indicator: Optional[Indicator] = None

    @property
    def date(self) -> dt.date:
        return self.item.done if self.kind == MILESTONE else self.item.date

    @property
    def by(self) -> str:
        return str(self.item.by)

    def matches(self, ref: str) -> bool:
        """Whether `--entry ref` names this draft: DATE names every draft of that date; DATE#N the
        Nth entry (or observation) of that date."""
        parsed = parse_ref(ref)
        if parsed is None:
            return False
        if "#" in ref:
            return self.kind in (ENTRY, OBSERVATION) and parse_ref(self.ref) == parsed
        return self.date == parsed[0]

    def describe(self) -> str:
        """One line saying what the draft says, for messages and the review log."""
        where = f"{self.programme}/{self.priority.id}"
        item = self.item
        if self.kind == ENTRY:
            text = f"{where}: entry {self.ref}: status {item.status}"
            if item.reason:
                text += f", reason {item.reason}"
            if item.note:
                text += f", note {' '.join(item.note.split())!r}"
        elif self.kind == OBSERVATION:
            assert self.indicator is not None
            text = f"{where}/{self.indicator.id}: observation {self.ref}: value {item.value:g}"
        elif self.kind == MILESTONE:
            text = f"{where}/{item.id}: milestone done on {self.ref}"
        else:
            changed = ", ".join(f"{name} {'cleared' if change.now is None else repr(change.now)}"
                                for name, change in item.changes.items())
            text = f"{where}: correction of {item.target} on {self.ref}: {changed}"
        return text + f" (by {self.by or 'unknown'})"


@dataclass(frozen=True)
class LogLine:
    """A draft rejected in review: kept as one line of the programme's `review_log:`."""

    date: dt.date
    item: str  # what the draft said, in one line
    by: str  # who rejected it
    why: str
    drafted_by: str = ""
    at: Where = field(default=(), compare=False, repr=False)


#: The periods an edition schedule may use (`editions: {every: ...}`), in months.
PERIODS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}
_LAST_MONTH = 9999 * 12 + 11  # December 9999: no date lies beyond it


def _month_end(month_index: int) -> dt.date:
    """The last day of a month counted as year * 12 + (month - 1)."""
    if month_index >= _LAST_MONTH:
        return dt.date.max
    year, month = divmod(month_index + 1, 12)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    """When a programme publishes: an edition at the end of every calendar period from `start`.

    Periods are calendar ones, so editions fall on fixed dates a reader can predict: month ends;
    31 March, 30 June, 30 September and 31 December for quarters; 30 June and 31 December for
    half-years; 31 December for years. The first edition closes the period holding `start`.
    """

    every: str
    start: dt.date
    at: Where = field(default=(), compare=False, repr=False)

    @property
    def months(self) -> int:
        return PERIODS[self.every]

    def _first_index(self) -> int:
        """Month index (year * 12 + month - 1) of the first period's last month."""
        months = self.months
        index = self.start.year * 12 + self.start.month - 1
        return index - index % months + months - 1

    def dates(self, until: dt.date) -> list[dt.date]:
        """Edition dates from the first one up to `until` (included), oldest first."""
        out = []
        index = self._first_index()
        while index <= _LAST_MONTH and (day := _month_end(index)) <= until:
            out.append(day)
            index += self.months
        return out

    def next_after(self, day: dt.date) -> Optional[dt.date]:
        """The first edition date after `day` (None after the year 9999)."""
        index = self._first_index()
        while index <= _LAST_MONTH and _month_end(index) <= day:
            index += self.months
        return _month_end(index) if index <= _LAST_MONTH else None

    def latest(self, day: dt.date) -> Optional[dt.date]:
        """The last edition date on or before `day`; None before the first one."""
        dates = self.dates(day)
        return dates[-1] if dates else None


@dataclass(frozen=True)
class Programme:
    id: str
    title: str
    priorities: tuple[Priority, ...]
    summary: str = ""
    owner: str = ""
    review_every_days: int = 90
    editions: Optional[Schedule] = None  # when editions are due; None: whenever `report` runs
    sources: tuple[Source, ...] = ()
    statuses: tuple[StatusDef, ...] = ()
    reasons: tuple[ReasonDef, ...] = ()
    language: str = "en"
    languages: tuple[str, ...] = ()  # as written; `published_in` gives the default
    logo: Optional[str] = None
    accent: Optional[str] = None
    method_version: str = ""  # the version of the assessment method, printed on every edition
    review: str = ""  # REQUIRED, SELF_ALLOWED, OFF or "" (off)
    review_log: tuple[LogLine, ...] = ()
    path: Path = field(default=Path(), compare=False)
    at: Where = field(default=(), compare=False, repr=False)
    #: The file as loaded: its bytes and the position of every value (set by validation).
    origin: Optional["Document"] = field(default=None, compare=False, repr=False)

    @property
    def published_in(self) -> tuple[str, ...]:
        """The languages its editions are published in, the primary first (default: the data's)."""
        return self.languages or (self.language,)

    @property
    def primary(self) -> str:
        return self.published_in[0]

    @property
    def reviewed(self) -> bool:
        """Whether the commands write drafts that wait for approval."""
        return self.review in (REQUIRED, SELF_ALLOWED)

    @property
    def self_approval(self) -> bool:
        """Whether an author may approve their own draft (`review: self-allowed`)."""
        return self.review == SELF_ALLOWED

    def is_stale(self, priority: Priority, as_of: dt.date) -> bool:
        return priority.days_unreviewed(as_of, self.review_every_days) is not None

    def status(self, status_id: str) -> StatusDef:
        for status in self.statuses:
            if status.id == status_id:
                return status
        raise KeyError(status_id)

    def reason(self, reason_id: str) -> ReasonDef:
        for reason in self.reasons:
            if reason.id == reason_id:
                return reason
        raise KeyError(reason_id)

    def source(self, ref: str) -> Optional[Source]:
        for source in self.sources:
            if source.id == ref:
                return source
        return None

    def priority(self, priority_id: str) -> Priority:
        for priority in self.priorities:
            if priority.id == priority_id:
                return priority
        raise KeyError(priority_id)

    def corrections_until(self, as_of: dt.date) -> list[tuple[Priority, Correction]]:
        """Every correction published by `as_of`, with its priority: oldest first, then in programme order."""
        found = [(p, c) for p in self.priorities for c in p.corrections_until(as_of)]
        return sorted(found, key=lambda pc: pc[1].date)

    def has_drafts(self) -> bool:
        return any(is_pending(item) for p in self.priorities for item in _reviewable(p))

    def pending(self) -> list["Pending"]:
        """Drafts waiting for review, oldest first (programme and file order for equal dates)."""
        found = []
        for priority in self.priorities:
            for entry in priority.history:
                if is_pending(entry):
                    found.append(Pending(self.id, priority, ENTRY, entry, ref_of(priority.history, entry)))
            for indicator in priority.indicators:
                for point in indicator.observations:
                    if is_pending(point):
                        found.append(Pending(self.id, priority, OBSERVATION, point,
                                             ref_of(indicator.observations, point), indicator))
            for milestone in priority.milestones:
                if is_pending(milestone) and milestone.done is not None:
                    found.append(Pending(self.id, priority, MILESTONE, milestone, milestone.done.isoformat()))
            for correction in priority.corrections:
                if is_pending(correction):
                    found.append(Pending(self.id, priority, CORRECTION, correction, correction.date.isoformat()))
        return sorted(found, key=lambda d: d.date)

    def with_drafts(self, only: Any = None) -> "Programme":
        """The preview: every pending draft (or only the record `only`) counted as published,
        from its own date on."""

        def shown(item: Any) -> Any:
            return replace(item, preview=True) if is_pending(item) and (only is None or item is only) else item

        def priority(p: Priority) -> Priority:
            return replace(
                p,
                history=tuple(shown(e) for e in p.history),
                milestones=tuple(shown(m) for m in p.milestones),
                indicators=tuple(replace(i, observations=tuple(shown(o) for o in i.observations))
                                 for i in p.indicators),
                corrections=tuple(shown(c) for c in p.corrections),
            )

        return replace(self, priorities=tuple(priority(p) for p in self.priorities))


def _reviewable(priority: Priority) -> Iterable[Any]:
    yield from priority.history
    yield from (m for m in priority.milestones if m.done is not None)
    for indicator in priority.indicators:
        yield from indicator.observations
    yield from priority.corrections
