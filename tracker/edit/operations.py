"""Changing a programme file safely: add a status entry, an observation, a source; close a milestone;
correct an entry or an observation; approve or reject drafts.

Every edit follows the same path (`apply`): find the programme's file, take its lock, load and
validate it, resolve the references and check the new record, edit the text by round trip
(only the new record is added), validate the whole new text with the same validator as
`tracker validate`, then write it atomically, and commit it to git when asked. Any problem
stops the edit before the write: the file stays byte for byte as it was.

When the programme sets `review: required` (or `self-allowed`), entries, observations,
milestone completions and corrections are written as drafts (`draft: true`, with their author
in `by`); `approve` turns them into records, `reject` removes them and logs why.
"""
from __future__ import annotations

import bisect
import contextlib
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from tracker.edit import atomic, gitcommit, lock, roundtrip
from tracker.errors import EditRefused, InvalidData, NotFound, Problem, WorkspaceError
from tracker.model import spec, yamlsafe
from tracker.model.fields import did_you_mean
from tracker.model.lookup import check_reason, check_status, find_indicator, find_milestone, find_priority
from tracker.model.records import (CORRECTION, ENTRY, MILESTONE, OBSERVATION, Entry, Pending, Point, Priority,
                                   Programme, as_written_by, find_dated, is_pending, parse_ref, ref_of, said_as_field,
                                   same_person)
from tracker.model.validate import check_document, no_reason
from tracker.model.workspace import Workspace


@dataclass(frozen=True)
class Plan:
    """What an edit does: the change itself, a line for the user and a git commit message."""

    edit: roundtrip.Edit
    summary: str
    message: str


@dataclass(frozen=True)
class Outcome:
    path: Path
    programme: Programme  # as it is after the edit (its `origin` has no positions: nothing was wrong)
    summary: str
    commit: Optional[str] = None  # short id of the git commit, with --commit


@dataclass(frozen=True)
class Observation:
    date: dt.date
    value: int | float
    source: str = ""
    note: str = ""
    by: str = ""


@dataclass(frozen=True)
class NewCorrection:
    """A correction to write: of the entry `entry` (DATE or DATE#N), or of the observation
    `observation` of `indicator`; `changes` maps each field to what it says now."""

    date: dt.date
    why: str
    changes: dict[str, Any]
    entry: str = ""
    indicator: str = ""
    observation: str = ""
    by: str = ""


@dataclass(frozen=True)
class Selection:
    """Which drafts an approval or a rejection is about: of one priority or the whole programme,
    all of them or those named by `refs` (DATE: every draft of that date; DATE#N: the Nth entry)."""

    priority: str = ""
    all: bool = False
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewSource:
    id: str
    title: str
    publisher: str = ""
    date: str = ""
    url: str = ""
    kind: str = ""


@dataclass(frozen=True)
class Options:
    """How an edit is carried out."""

    today: dt.date
    allow_future: bool = False
    commit: bool = False
    lock_timeout: float = lock.DEFAULT_TIMEOUT
    author: str = ""  # named in the commit message; git's configured author when empty


# --- finding things ---------------------------------------------------------------------------

def _not_future(day: dt.date, options: Options, what: str) -> None:
    if day > options.today and not options.allow_future:
        raise EditRefused(f"{what} is dated {day}, after today ({options.today}); "
                          "pass --allow-future to record it anyway")


def _draft_author(programme: Programme, by: str, options: Options, path: Path) -> str:
    """The author a draft is written with, when the programme reviews its records; "" when it does not.

    `--by`, else the author named for the commit, else git's configured author; a draft without
    an author could be approved by anyone, so there must be one."""
    if not programme.reviewed:
        return ""
    author = by.strip() or options.author.strip()
    if not author:
        try:
            author = gitcommit.author(gitcommit.repository(path.resolve(), str(path)))
        except WorkspaceError:
            author = ""
    if not author:
        raise EditRefused(f"programme {programme.id!r} sets review: {programme.review}, so this is written as a "
                          "draft, and a draft names its author: pass --by NAME")
    return author


def _draft_pairs(author: str) -> list[tuple[str, Any]]:
    return [("by", author), ("draft", True)] if author else []


def _index(where: tuple) -> int:
    return int(where[-1])


def _node(data: Any, where: tuple) -> Any:
    for part in where:
        data = data[part]
    return data


def _pinned(priority: Priority, day: dt.date, records: tuple[Any, ...], field: str, indicator: str = "") -> list[int]:
    """Corrections that name the one record of `day` by its bare date, which a second record of
    that date would make ambiguous: their indexes in the priority's corrections, to be written
    `DATE#1` (the new record goes after those of its date, so it is the same record)."""
    if not any(r.date == day for r in records):
        return []
    return [i for i, c in enumerate(priority.corrections)
            if (getattr(c, field) or "").strip() == day.isoformat() and (field == "entry" or c.indicator == indicator)]


def _insert_dated(container: dict, key: str, item_of: Callable[[Any, roundtrip.Builder], Any],
                  day: dt.date, order: list[str], b: roundtrip.Builder) -> None:
    """Put a dated item in the list `container[key]`, after every item dated on or before `day`.

    The list is created when absent or empty; items keep their date order (back-filling).
    """
    items = container.get(key)
    if not isinstance(items, list) or not items:
        roundtrip.insert_key(container, key, b.seq([item_of(None, b)]), order)
        return
    position = 0
    for i, item in enumerate(items):
        if isinstance(item, dict) and str(item.get("date")) <= day.isoformat():
            position = i + 1
    neighbour = items[position - 1] if position else items[0]
    items.insert(position, item_of(neighbour, b))


def _insert_all_dated(items: list, new: list[tuple[dt.date, Callable[[Any, roundtrip.Builder], Any]]],
                      b: roundtrip.Builder) -> None:
    """`_insert_dated` for many items at once: each goes after every item of the original list
    dated on or before it (new ones in date order among themselves), in one pass, so a batch of
    thousands costs a sort, not a scan of the list per item."""
    dates = [str(item.get("date")) if isinstance(item, dict) else "" for item in items]
    order = sorted(range(len(items)), key=lambda i: dates[i])
    sorted_dates = [dates[i] for i in order]
    latest_index = []  # latest_index[k]: the highest original index among the k+1 earliest-dated items
    running = -1
    for i in order:
        running = max(running, i)
        latest_index.append(running)
    placed = []
    for sequence, (day, item_of) in enumerate(new):
        count = bisect.bisect_right(sorted_dates, day.isoformat())
        position = latest_index[count - 1] + 1 if count else 0
        neighbour = items[position - 1] if position else items[0]
        placed.append((position, day, sequence, item_of(neighbour, b)))
    for position, _, _, item in sorted(placed, key=lambda p: (p[0], p[1], p[2]), reverse=True):
        items.insert(position, item)


def _entry_item(entry: Entry, drafter: str) -> Callable[[Any, roundtrip.Builder], Any]:
    """How a new history entry is written, in the style of its neighbour `like` (a draft by
    `drafter` when the programme reviews its records)."""

    def item(like: Any, b: roundtrip.Builder) -> Any:
        pairs: list[tuple[str, Any]] = [("date", b.date(entry.date)), ("status", b.text(entry.status))]
        if entry.note.strip():
            pairs.append(("note", b.text(entry.note.strip())))
        if entry.sources:
            pairs.append(("sources", b.seq([b.text(s) for s in entry.sources],
                                           like=like.get("sources") if isinstance(like, dict) else None,
                                           flow=True)))
        if drafter:
            pairs.append(("by", b.text(drafter)))
        elif entry.by.strip():
            pairs.append(("by", b.text(entry.by.strip())))
        if entry.reason:
            pairs.append(("reason", b.text(entry.reason)))
        if drafter:
            pairs.append(("draft", True))
        return b.mapping(pairs, like=like)

    return item


def _observation_item(observation: "Observation", drafter: str) -> Callable[[Any, roundtrip.Builder], Any]:
    """How a new observation is written, in the style of its neighbour `like` (a draft by
    `drafter` when the programme reviews its records)."""

    def item(like: Any, b: roundtrip.Builder) -> Any:
        pairs: list[tuple[str, Any]] = [("date", b.date(observation.date)),
                                        ("value", b.number(observation.value))]
        if observation.source:
            pairs.append(("source", b.text(observation.source)))
        if observation.note.strip():
            pairs.append(("note", b.text(observation.note.strip())))
        if drafter:
            pairs += [("by", b.text(drafter)), ("draft", True)]
        elif observation.by.strip():
            pairs.append(("by", b.text(observation.by.strip())))
        return b.mapping(pairs, like=like)

    return item


# --- the edits --------------------------------------------------------------------------------

def add_entry(ws: Workspace, programme_id: str, priority_id: str, entry: Entry, options: Options) -> Outcome:
    """Append a dated status assessment to a priority's history."""

    def plan(programme: Programme, options: Options) -> Plan:
        priority = find_priority(programme, priority_id)
        check_status(programme, entry.status)
        if entry.reason:
            check_reason(programme, entry.reason)
            if not programme.status(entry.status).reasoned:
                raise EditRefused(no_reason(programme, entry.status))
        _not_future(entry.date, options, "the entry")
        where = priority.at
        drafter = _draft_author(programme, entry.by, options, programme.path)
        item = _entry_item(entry, drafter)

        pinned = _pinned(priority, entry.date, priority.history, "entry")

        def edit(data: Any, b: roundtrip.Builder) -> None:
            _insert_dated(_node(data, where), "history", item, entry.date, spec.PRIORITY.field_names(), b)
            for index in pinned:
                _node(data, where + ("corrections", index))["entry"] = b.text(f"{entry.date.isoformat()}#1")

        label = programme.status(entry.status).label
        ref = f"{programme.id}/{priority.id}"
        author = drafter or entry.by.strip() or options.author
        draft = _draft_note(drafter)
        message = f"{ref}: {'draft ' if drafter else ''}status {entry.status} ({label}) on {entry.date}, by {author or 'unknown'}"
        body = [entry.note.strip()] if entry.note.strip() else []
        if entry.reason:
            body.append(f"Reason: {entry.reason}")
        if entry.sources:
            body.append("Sources: " + ", ".join(entry.sources))
        return Plan(edit, f"{ref}: {label} ({entry.status}) on {entry.date}{draft}",
                    message + ("\n\n" + "\n".join(body) if body else ""))

    return apply(ws, programme_id, plan, options)


def add_observation(ws: Workspace, programme_id: str, priority_id: str, indicator_id: str,
                    observation: Observation, options: Options) -> Outcome:
    """Append a dated value to an indicator's observations."""

    def plan(programme: Programme, options: Options) -> Plan:
        priority = find_priority(programme, priority_id)
        indicator = find_indicator(programme, priority, indicator_id)
        _not_future(observation.date, options, "the observation")
        where = indicator.at
        drafter = _draft_author(programme, observation.by, options, programme.path)
        item = _observation_item(observation, drafter)

        pinned = _pinned(priority, observation.date, indicator.observations, "observation", indicator.id)

        def edit(data: Any, b: roundtrip.Builder) -> None:
            _insert_dated(_node(data, where), "observations", item, observation.date,
                          spec.INDICATOR.field_names(), b)
            for index in pinned:
                _node(data, priority.at + ("corrections", index))["observation"] = \
                    b.text(f"{observation.date.isoformat()}#1")

        ref = f"{programme.id}/{priority.id}/{indicator.id}"
        value = (roundtrip.PlainFloat(observation.value).text() if isinstance(observation.value, float)
                 else str(observation.value))
        author = drafter or observation.by.strip() or options.author or "unknown"
        return Plan(edit, f"{ref}: {value} {indicator.unit} on {observation.date}{_draft_note(drafter)}",
                    f"{ref}: {'draft ' if drafter else ''}{value} {indicator.unit} on {observation.date}, by {author}"
                    + (f"\n\nSource: {observation.source}" if observation.source else ""))

    return apply(ws, programme_id, plan, options)


def complete_milestone(ws: Workspace, programme_id: str, priority_id: str, milestone_id: str,
                       done: dt.date, sources: tuple[str, ...], options: Options, by: str = "") -> Outcome:
    """Mark a milestone done on a date, citing sources (added to the milestone's own)."""

    def plan(programme: Programme, options: Options) -> Plan:
        priority = find_priority(programme, priority_id)
        milestone = find_milestone(programme, priority, milestone_id)
        ref = f"{programme.id}/{priority.id}/{milestone.id}"
        if milestone.done is not None:
            raise EditRefused(f"milestone {ref} is already done (on {milestone.done}); "
                              "edit the file to correct it")
        _not_future(done, options, "the milestone's completion")
        where = milestone.at
        added = [s for s in dict.fromkeys(sources) if s not in milestone.sources]
        order = spec.MILESTONE.field_names()
        drafter = _draft_author(programme, by, options, programme.path)

        def edit(data: Any, b: roundtrip.Builder) -> None:
            node = _node(data, where)
            roundtrip.insert_key(node, "done", b.date(done), order)
            if drafter:
                roundtrip.insert_key(node, "by", b.text(drafter), order)
                roundtrip.insert_key(node, "draft", True, order)
            elif by.strip():
                roundtrip.insert_key(node, "by", b.text(by.strip()), order)
            if not added:
                return
            existing = node.get("sources")
            if isinstance(existing, list) and existing:
                existing.extend(b.text(s) for s in added)
            else:
                roundtrip.insert_key(node, "sources", b.seq([b.text(s) for s in added], flow=True), order)

        author = drafter or by.strip() or options.author or "unknown"
        return Plan(edit, f"{ref}: done on {done}{_draft_note(drafter)}",
                    f"{ref}: {'draft: ' if drafter else ''}milestone done on {done}, by {author}"
                    + (f"\n\nSources: {', '.join(added)}" if added else ""))

    return apply(ws, programme_id, plan, options)


def add_source(ws: Workspace, programme_id: str, source: NewSource, options: Options) -> Outcome:
    """Add a document to the programme's source registry."""

    def plan(programme: Programme, options: Options) -> Plan:
        existing = programme.source(source.id)
        if existing is not None:
            raise EditRefused(f"source {source.id!r} is already in the registry of programme "
                              f"{programme.id!r} ({existing.title})")
        if source.date.strip():
            # A partial date (2025, 2025-07) is in the future when even its first day is.
            earliest = dt.date.fromisoformat((source.date.strip() + "-01-01")[:10]
                                             if len(source.date.strip()) < 10 else source.date.strip())
            _not_future(earliest, options, "the source")

        def edit(data: Any, b: roundtrip.Builder) -> None:
            pairs: list[tuple[str, Any]] = [("id", b.text(source.id)), ("title", b.text(source.title.strip()))]
            for key in ("publisher", "date", "url", "kind"):
                value = getattr(source, key).strip()
                if key == "date" and len(value) == 10:
                    pairs.append((key, b.date(dt.date.fromisoformat(value))))  # plain, like the others
                elif value:
                    pairs.append((key, b.text(value)))
            items = data.get("sources")
            if isinstance(items, list) and items:
                items.append(b.mapping(pairs, like=items[-1]))
            else:
                roundtrip.insert_key(data, "sources", b.seq([b.mapping(pairs)]), spec.PROGRAMME.field_names())

        author = options.author or "unknown"
        return Plan(edit, f"{programme.id}: source {source.id} added",
                    f"{programme.id}: source {source.id} added, by {author}\n\n{source.title.strip()}")

    return apply(ws, programme_id, plan, options)


# --- corrections ------------------------------------------------------------------------------

def _draft_note(drafter: str) -> str:
    return f" (draft by {drafter}, waiting for review)" if drafter else ""


def _said(value: Any) -> Any:
    if value in (None, "", (), []):
        return None
    return list(value) if isinstance(value, tuple) else value


def _said_value(value: Any, b: roundtrip.Builder) -> Any:
    """A correction's `was` or `now` as written to the file (`now: null`: cleared)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return b.seq([b.text(v) for v in value], flow=True)
    return b.number(value) if isinstance(value, (int, float)) else b.text(str(value))


def _find_record(records: tuple[Any, ...], ref: str, kind: str, where: str) -> Any:
    """The record `ref` names (DATE, or DATE#N); refused when missing or when DATE is ambiguous."""
    parsed = parse_ref(ref)
    if parsed is None:
        raise EditRefused(f"{ref!r} is not a date written YYYY-MM-DD, or YYYY-MM-DD#N for the Nth {kind} of a date")
    day, _ = parsed
    same = [r for r in records if r.date == day]
    plural = "entries" if kind == "entry" else f"{kind}s"
    if not same:
        dates = sorted({r.date.isoformat() for r in records})
        known = f"; its {plural} are dated {', '.join(dates[-8:])}" if dates else f"; it has no {kind} yet"
        raise NotFound(f"no {kind} dated {day} in {where}{known}")
    if "#" not in ref and len(same) > 1:
        choices = ", ".join(f"{day}#{n}" for n in range(1, len(same) + 1))
        raise EditRefused(f"{where} has {len(same)} {plural} dated {day}: name one as {choices}")
    found = find_dated(records, ref)
    if found is None:
        raise NotFound(f"no {kind} {ref} in {where}: it has {len(same)} dated {day}")
    return found


def correct(ws: Workspace, programme_id: str, priority_id: str, new: NewCorrection, options: Options) -> Outcome:
    """Append a correction to the priority's `corrections:`; the entry or observation it corrects
    is left as it was written. Fields whose new value is what the record already says are left out;
    a correction that changes nothing is refused."""

    def plan(programme: Programme, options: Options) -> Plan:
        priority = find_priority(programme, priority_id)
        ref = f"{programme.id}/{priority.id}"
        records: tuple[Any, ...]
        if new.entry:
            kind, records, where_text = "entry", priority.history, f"priority {ref}"
            target = _find_record(records, new.entry, kind, where_text)
        else:
            indicator = find_indicator(programme, priority, new.indicator)
            kind, records, where_text = "observation", indicator.observations, f"indicator {ref}/{indicator.id}"
            target = _find_record(records, new.observation, kind, where_text)
        name = ref_of(records, target)
        if is_pending(target):
            raise EditRefused(f"the {kind} {name} of {where_text} is a draft waiting for review: approve it first, "
                              "or reject it and write it again")
        _not_future(new.date, options, "the correction")
        if new.date < target.date:
            raise EditRefused(f"the correction is dated {new.date}, before the {kind} it corrects ({target.date})")
        if target.approved_on is not None and new.date < target.approved_on:
            raise EditRefused(f"the correction is dated {new.date}, before the {kind} {name} of {where_text} reached "
                              f"readers (approved on {target.approved_on}): date it {target.approved_on} or later")
        later = [c for c in target.revisions if c.date > new.date]
        if later:
            raise EditRefused(f"the {kind} {name} of {where_text} already has a correction dated {later[-1].date}; "
                              f"a new one goes after it in the chain of corrections: date it {later[-1].date} "
                              "or later")

        if "status" in new.changes:
            check_status(programme, new.changes["status"])
        if new.changes.get("reason"):
            check_reason(programme, new.changes["reason"])
        current = as_written_by(target, new.date)
        changes = [(field, _said(getattr(current, field)), value) for field, value in new.changes.items()
                   if _said(value) != _said(getattr(current, field))]
        if not changes:
            already = "; ".join(f"{field} {_said(getattr(current, field))!r}" for field in new.changes)
            raise EditRefused(f"the correction changes nothing: the {kind} {name} of {where_text} already says {already}")
        corrected = replace(current, **{field: said_as_field(current, field, now) for field, _, now in changes})
        if isinstance(corrected, Entry) and corrected.reason and corrected.status in [s.id for s in programme.statuses] \
                and not programme.status(corrected.status).reasoned:
            raise EditRefused(f"the corrected entry would keep reason {corrected.reason!r}, but "
                              f"{no_reason(programme, corrected.status)}; pass --reason none to clear it")
        drafter = _draft_author(programme, new.by, options, programme.path)
        author = drafter or new.by.strip()
        order = spec.PRIORITY.field_names()
        position = priority.at

        def item(b: roundtrip.Builder) -> Any:
            pairs: list[tuple[str, Any]] = [("date", b.date(new.date))]
            ref_value = b.date(target.date) if "#" not in name else b.text(name)
            if kind == "entry":
                pairs.append(("entry", ref_value))
            else:
                pairs += [("indicator", b.text(new.indicator)), ("observation", ref_value)]
            fields = []
            for field, was, now in changes:
                change = ([("was", _said_value(was, b))] if was is not None else []) + [("now", _said_value(now, b))]
                fields.append((field, b.mapping(change)))
            pairs += [("changes", b.mapping(fields)), ("why", b.text(new.why.strip()))]
            if author:
                pairs.append(("by", b.text(author)))
            if drafter:
                pairs.append(("draft", True))
            return b.mapping(pairs)

        def edit(data: Any, b: roundtrip.Builder) -> None:
            node = _node(data, position)
            items = node.get("corrections")
            if isinstance(items, list) and items:
                items.append(item(b))
            else:
                roundtrip.insert_key(node, "corrections", b.seq([item(b)]), order)

        what = f"{kind} {name}" if kind == "entry" else f"observation {name} of {new.indicator}"
        lines = [f"{field}: {was if was is not None else '(nothing)'} -> {now if now is not None else '(nothing)'}"
                 for field, was, now in changes]
        summary = f"{ref}: {what} corrected on {new.date} ({'; '.join(lines)}){_draft_note(drafter)}"
        message = (f"{ref}: {'draft ' if drafter else ''}correction of {what} on {new.date}, "
                   f"by {author or options.author or 'unknown'}\n\n" + "\n".join(lines) + f"\nWhy: {new.why.strip()}")
        return Plan(edit, summary, message)

    return apply(ws, programme_id, plan, options)


# --- review: approve and reject drafts --------------------------------------------------------

def _selected(programme: Programme, selection: Selection) -> list[Pending]:
    """The drafts a selection names; refused when it names none."""
    drafts = programme.pending()
    scope = f"programme {programme.id!r}"
    if selection.priority:
        priority = find_priority(programme, selection.priority)
        drafts = [d for d in drafts if d.priority.id == priority.id]
        scope = f"priority {programme.id}/{priority.id}"
    if not drafts:
        raise NotFound(f"no drafts waiting for review in {scope}")
    if selection.all:
        return drafts
    chosen: list[Pending] = []
    for ref in selection.refs:
        if parse_ref(ref) is None:
            raise EditRefused(f"{ref!r} is not a date written YYYY-MM-DD, or YYYY-MM-DD#N for the Nth entry of a date")
        found = [d for d in drafts if d.matches(ref)]
        if not found:
            dates = ", ".join(dict.fromkeys(d.ref for d in drafts))
            raise NotFound(f"no draft dated {ref} in {scope}; drafts waiting there: {dates}")
        chosen += [d for d in found if d not in chosen]
    return chosen


def _builds_on(draft: Pending) -> list[Any]:
    """The corrections a draft correction builds on: those before it in its record's chain."""
    if draft.kind != CORRECTION:
        return []
    record = draft.priority.corrected(draft.item)
    chain = list(record.revisions) if record is not None else []
    return chain[:next((i for i, c in enumerate(chain) if c is draft.item), 0)]


def _names(drafts: list[Pending]) -> str:
    return "; ".join(d.describe() for d in drafts)


def approve(ws: Workspace, programme_id: str, selection: Selection, approver: str, on: dt.date,
            options: Options) -> Outcome:
    """Turn drafts into records: `draft` removed, `approved_by` and `approved_on` added. Nobody
    approves their own draft unless the programme sets `review: self-allowed` (refused, naming it)."""

    def plan(programme: Programme, options: Options) -> Plan:
        if not approver.strip():
            raise EditRefused("an approval names who approves: pass --by NAME")
        drafts = _selected(programme, selection)
        if not programme.self_approval:
            own = [d for d in drafts if same_person(d.by, approver)]
            if own:
                raise EditRefused(f"{own[0].describe()}: {approver.strip()} cannot approve their own draft; "
                                  "someone else must (or the programme sets review: self-allowed)")
        _not_future(on, options, "the approval")
        for draft in drafts:
            if on < draft.date:
                raise EditRefused(f"{draft.describe()}: the approval is dated {on}, before the draft itself "
                                  f"({draft.date})")
        chosen = {id(d.item) for d in drafts}
        for draft in drafts:
            waiting = [c for c in _builds_on(draft) if is_pending(c) and id(c) not in chosen]
            if waiting:
                raise EditRefused(f"{draft.describe()}: it builds on the draft correction of {waiting[0].date} "
                                  f"(by {waiting[0].by or 'unknown'}), still waiting for review: approve that one "
                                  "first, or both together")

        def edit(data: Any, b: roundtrip.Builder) -> None:
            for draft in drafts:
                node = _node(data, draft.item.at)
                order = _order(draft.kind)
                if "draft" in node:
                    del node["draft"]
                roundtrip.insert_key(node, "approved_by", b.text(approver.strip()), order)
                roundtrip.insert_key(node, "approved_on", b.date(on), order)

        count = f"{len(drafts)} draft{'s' if len(drafts) > 1 else ''}"
        return Plan(edit, f"{programme.id}: approved {count} on {on}, by {approver.strip()}: {_names(drafts)}",
                    f"{programme.id}: approved {count} on {on}, by {approver.strip()}\n\n"
                    + "\n".join(d.describe() for d in drafts))

    return apply(ws, programme_id, plan, options)


def reject(ws: Workspace, programme_id: str, selection: Selection, rejecter: str, why: str, on: dt.date,
           options: Options) -> Outcome:
    """Remove drafts, keeping one line each in the programme's `review_log:` (what, who, when, why).

    A rejected milestone completion leaves the milestone open (its sources stay). Corrections that
    named a later entry or observation of the same date by number are renumbered. A list left
    empty goes with its key (comments between its items stay)."""

    def plan(programme: Programme, options: Options) -> Plan:
        if not why.strip():
            raise EditRefused("a rejection says why: pass --why TEXT")
        if not rejecter.strip():
            raise EditRefused("a rejection names who rejects: pass --by NAME")
        drafts = _selected(programme, selection)
        _not_future(on, options, "the rejection")
        renumber = _renumbering(drafts)
        relink = _relinking(drafts)

        def edit(data: Any, b: roundtrip.Builder) -> None:
            removals: dict[tuple, list[int]] = {}
            for draft in drafts:
                if draft.kind == MILESTONE:
                    node = _node(data, draft.item.at)
                    for key in ("done", "draft", "by"):
                        if key in node:
                            del node[key]
                else:
                    removals.setdefault(draft.item.at[:-1], []).append(int(draft.item.at[-1]))
            for (priority_at, field), moved in renumber.items():
                for index, value in moved:
                    _node(data, priority_at + ("corrections", index))[field] = value(b)
            for where, name, was in relink:
                changes = _node(data, where + ("changes",))
                if was is _NO_CHANGE:
                    del changes[name]
                elif was is None:
                    changes[name].pop("was", None)
                else:
                    roundtrip.insert_key(changes[name], "was", _said_value(was, b), ["was", "now"])
            for where, indexes in removals.items():
                items = _node(data, where)
                for index in sorted(indexes, reverse=True):
                    del items[index]
                if not items:  # history, observations, corrections: optional lists, gone when empty
                    del _node(data, where[:-1])[where[-1]]
            lines = [b.mapping([("date", b.date(on)), ("item", b.text(d.describe())),
                                ("by", b.text(rejecter.strip())), ("why", b.text(why.strip())),
                                *([("drafted_by", b.text(d.by))] if d.by else [])]) for d in drafts]
            log = data.get("review_log")
            if isinstance(log, list) and log:
                log.extend(lines)
            else:
                roundtrip.insert_key(data, "review_log", b.seq(lines), spec.PROGRAMME.field_names())

        count = f"{len(drafts)} draft{'s' if len(drafts) > 1 else ''}"
        return Plan(edit, f"{programme.id}: rejected {count} on {on}, by {rejecter.strip()}: {_names(drafts)}",
                    f"{programme.id}: rejected {count} on {on}, by {rejecter.strip()}\n\n"
                    + "\n".join(d.describe() for d in drafts) + f"\nWhy: {why.strip()}")

    return apply(ws, programme_id, plan, options)


_NO_CHANGE = object()  # a field a correction no longer changes once the one before it is rejected


def _relinking(drafts: list[Pending]) -> list[tuple[tuple, str, Any]]:
    """What the corrections left after rejected draft corrections say their record said before
    them (`was`), where that changes: (place of the correction, field, new `was` or _NO_CHANGE).

    The corrections of a record form a chain: each one's `was` is what the one before left. A
    rejected correction leaves the chain, so the one after it now follows the one before it.
    Refused when a correction would then change nothing at all."""
    rejected = {id(d.item) for d in drafts if d.kind == CORRECTION}
    out: list[tuple[tuple, str, Any]] = []
    if not rejected:
        return out
    for priority in {id(d.priority): d.priority for d in drafts if d.kind == CORRECTION}.values():
        records: list[Any] = [*priority.history, *(o for i in priority.indicators for o in i.observations)]
        for record in records:
            if not any(id(c) in rejected for c in record.revisions):
                continue
            current: Any = record
            for correction in record.revisions:
                if id(correction) in rejected:
                    continue
                fixes = []
                for name, change in correction.changes.items():
                    before = _said(getattr(current, name, None))
                    if _said(change.was) != before:
                        fixes.append((correction.at, name, _NO_CHANGE if _said(change.now) == before else before))
                    now = change.now
                    current = replace(current, **{name: tuple(now) if isinstance(now, list) else now})
                if fixes and all(was is _NO_CHANGE for _, _, was in fixes) and len(fixes) == len(correction.changes):
                    raise EditRefused(f"rejecting it would leave the correction of {correction.target} made on "
                                      f"{correction.date} changing nothing: reject that one too "
                                      f"(--entry {correction.date})")
                out += fixes
    return out


def _order(kind: str) -> list[str]:
    return {ENTRY: spec.ENTRY, OBSERVATION: spec.OBSERVATION, MILESTONE: spec.MILESTONE,
            CORRECTION: spec.CORRECTION}[kind].field_names()


def _text_of(text: str) -> Callable[[roundtrip.Builder], Any]:
    return lambda b: b.text(text)


def _renumbering(drafts: list[Pending]) -> dict[tuple, list[tuple[int, Callable[[roundtrip.Builder], Any]]]]:
    """Corrections naming `DATE#N` of an entry or observation after a removed one of the same date:
    their new reference, by (priority's place, field) and index in the priority's corrections."""
    out: dict[tuple, list[tuple[int, Callable[[roundtrip.Builder], Any]]]] = {}
    removed: dict[tuple[str, str, Optional[str]], list[tuple[dt.date, int]]] = {}
    for draft in drafts:
        if draft.kind in (ENTRY, OBSERVATION):
            parsed = parse_ref(draft.ref)
            assert parsed is not None
            key = (draft.priority.id, draft.kind, draft.indicator.id if draft.indicator else None)
            removed.setdefault(key, []).append(parsed)
    for draft in {id(d.priority): d for d in drafts}.values():
        priority: Priority = draft.priority
        for index, correction in enumerate(priority.corrections):
            field, kind, indicator = (("entry", ENTRY, None) if correction.entry
                                      else ("observation", OBSERVATION, correction.indicator))
            parsed = parse_ref(getattr(correction, field) or "")
            gone = removed.get((priority.id, kind, indicator), [])
            if parsed is None or not gone:
                continue
            day, n = parsed
            shift = sum(1 for d, m in gone if d == day and m < n)
            if shift:
                out.setdefault((priority.at, field), []).append((index, _text_of(f"{day.isoformat()}#{n - shift}")))
    return out


# --- many records in one edit per file (tracker import) ---------------------------------------

@dataclass(frozen=True)
class Batch:
    """What one programme file receives in one edit: status entries by priority, observations by
    priority and indicator. Thousands of records are one round trip, one validation, one write."""

    entries: tuple[tuple[str, Entry], ...] = ()  # (priority id, entry)
    observations: tuple[tuple[str, str, Observation], ...] = ()  # (priority id, indicator id, observation)
    summary: str = ""  # the line a user reads about this file; a count of records when empty

    def __len__(self) -> int:
        return len(self.entries) + len(self.observations)


def batch_plan(programme: Programme, batch: Batch, options: Options) -> Plan:
    """The edit adding every record of `batch`, each checked as `add_entry` and `add_observation`
    check theirs (known priority, indicator, status and reason, no future date without
    allow_future), and written as they write theirs: a draft naming its author when the
    programme reviews its records."""
    histories: dict[tuple, list[tuple[dt.date, Callable[[Any, roundtrip.Builder], Any]]]] = {}
    series: dict[tuple, list[tuple[dt.date, Callable[[Any, roundtrip.Builder], Any]]]] = {}
    authors: dict[str, str] = {}  # a record's `by` -> the draft's author (git's looked up once at most)

    def drafter(by: str) -> str:
        if by.strip() not in authors:
            authors[by.strip()] = _draft_author(programme, by, options, programme.path)
        return authors[by.strip()]

    pinned: dict[tuple, tuple[str, str]] = {}  # a correction's place -> (its field, DATE#1)
    dated: dict[int, set[dt.date]] = {}  # id() of a history or observations -> the dates it has

    def shared(records: tuple[Any, ...], day: dt.date) -> bool:
        """Whether `day` has a record already (once per list, not per row: imports are large)."""
        if id(records) not in dated:
            dated[id(records)] = {r.date for r in records}
        return day in dated[id(records)]
    for priority_id, entry in batch.entries:
        priority = find_priority(programme, priority_id)
        check_status(programme, entry.status)
        if entry.reason:
            check_reason(programme, entry.reason)
            if not programme.status(entry.status).reasoned:
                raise EditRefused(f"the entry of {programme.id}/{priority.id} on {entry.date}: "
                                  f"{no_reason(programme, entry.status)}")
        _not_future(entry.date, options, f"the entry of {programme.id}/{priority.id}")
        histories.setdefault(priority.at, []).append((entry.date, _entry_item(entry, drafter(entry.by))))
        for index in (_pinned(priority, entry.date, priority.history, "entry") if shared(priority.history, entry.date)
                      else ()):
            pinned[priority.at + ("corrections", index)] = ("entry", f"{entry.date.isoformat()}#1")
    for priority_id, indicator_id, observation in batch.observations:
        priority = find_priority(programme, priority_id)
        indicator = find_indicator(programme, priority, indicator_id)
        _not_future(observation.date, options, f"the observation of {programme.id}/{priority.id}/{indicator.id}")
        series.setdefault(indicator.at, []).append((observation.date,
                                                    _observation_item(observation, drafter(observation.by))))
        for index in (_pinned(priority, observation.date, indicator.observations, "observation", indicator.id)
                      if shared(indicator.observations, observation.date) else ()):
            pinned[priority.at + ("corrections", index)] = ("observation", f"{observation.date.isoformat()}#1")

    def edit(data: Any, b: roundtrip.Builder) -> None:
        for lists, key, order in ((histories, "history", spec.PRIORITY.field_names()),
                                  (series, "observations", spec.INDICATOR.field_names())):
            for where, new in lists.items():
                container = _node(data, where)
                items = container.get(key)
                if isinstance(items, list) and items:
                    _insert_all_dated(items, new, b)
                else:
                    ordered = sorted(enumerate(new), key=lambda p: (p[1][0], p[0]))
                    roundtrip.insert_key(container, key, b.seq([item_of(None, b) for _, (_, item_of) in ordered]),
                                         order)
        for where, (field, ref) in pinned.items():  # named by a bare date now shared: the first of it
            _node(data, where)[field] = b.text(ref)

    entries, observations = len(batch.entries), len(batch.observations)
    counted = " and ".join([*([_count(entries, "status entry", "status entries")] if entries else []),
                            *([_count(observations, "observation", "observations")] if observations else [])]) \
        or _count(0, "record", "records")
    drafts = " as drafts waiting for review" if programme.reviewed else ""
    summary = batch.summary or f"{programme.id}: {counted} added{drafts}"
    author = ", ".join(sorted(a for a in set(authors.values()) if a)) or options.author or "unknown"
    return Plan(edit, summary, f"{programme.id}: {counted} added{drafts}, by {author}")


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def add_batches(ws: Workspace, batches: Mapping[str, Callable[[Programme], Batch]], options: Options, *,
                write: bool = True, message: str = "") -> list[Outcome]:
    """Add each programme's batch (`batches[id]` is called with the programme as loaded under its
    file's lock, so what it adds is decided on the data it is added to): one edit per file, all
    files or none, and with `options.commit` one git commit holding them all. `write=False` does
    everything but the writing (a dry run that has checked the files as they would be)."""
    plans = {pid: (lambda programme, options, make=make: batch_plan(programme, make(programme), options))
             for pid, make in batches.items()}
    return apply_all(ws, plans, options, write=write, message=message)


# --- the one path every edit takes ------------------------------------------------------------

def apply(ws: Workspace, programme_id: str, plan_for: Callable[[Programme, Options], Plan], options: Options) -> Outcome:
    """Lock, load, plan, edit, validate, write (and commit): all or nothing."""
    return apply_all(ws, {programme_id: plan_for}, options)[0]


@dataclass(frozen=True)
class _Prepared:
    programme_id: str
    path: Path
    target: Path  # the file itself, symbolic links resolved
    shown: str
    original: bytes
    edited: bytes
    after: Programme
    plan: Plan


def apply_all(ws: Workspace, plans: Mapping[str, Callable[[Programme, Options], Plan]], options: Options, *,
              write: bool = True, message: str = "") -> list[Outcome]:
    """`apply` for several programme files at once: every file is locked (in path order, so two
    runs cannot deadlock), loaded, planned, edited and validated before the first is written; if
    a write fails, the files already written get their old bytes back. With `options.commit`,
    one git commit holds every changed file; its message is the plans' messages, or `message`
    (with the author) above the first line of each."""
    files = {pid: ws.file_of(pid) for pid in plans}
    repo = None
    if options.commit:
        repos = {gitcommit.repository(path.resolve(), ws.display(path)) for path in files.values()}
        if len(repos) > 1:
            raise WorkspaceError("the programme files are in different git repositories, which one commit "
                                 "cannot hold; nothing was written")
        repo = repos.pop() if repos else None
    if repo is not None and not options.author:
        options = replace(options, author=gitcommit.author(repo))
    with contextlib.ExitStack() as held:
        for path in sorted({path.resolve(): path for path in files.values()}):
            held.enter_context(lock.locked(path, options.lock_timeout, ws.display(path)))
        prepared = [_prepare(ws, pid, path, plans[pid], options) for pid, path in files.items()]
        changed = [p for p in prepared if p.edited != p.original]
        revision = None
        if write:
            _write_all(changed)
            if repo is not None and changed:
                text = "\n\n".join(p.plan.message for p in changed)
                if message:  # a first line for the whole commit, the files' own lines below it
                    text = (f"{message}, by {options.author or 'unknown'}\n\n"
                            + "\n".join(p.plan.message.splitlines()[0] for p in changed))
                revision = gitcommit.commit_all(repo, [p.target for p in changed], text,
                                                ", ".join(p.shown for p in changed))
    return [Outcome(path=p.path, programme=p.after, summary=p.plan.summary,
                    commit=revision if p in changed else None) for p in prepared]


def _prepare(ws: Workspace, programme_id: str, path: Path, plan_for: Callable[[Programme, Options], Plan],
             options: Options) -> _Prepared:
    """Load and validate the file (under its lock), plan the edit, make it, validate the result."""
    shown = ws.display(path)
    target = path.resolve()
    if not ws.inside(path) or not target.is_file():
        ws.load_file(path)  # raises, naming why the file is refused
    original = yamlsafe.load(target, shown)
    before, problems = check_document(original, path)
    if problems:
        raise InvalidData(problems)
    assert before is not None
    if before.id != programme_id:  # its `id:` line was not what the file means
        raise NotFound(f"unknown programme {programme_id!r}{did_you_mean(programme_id, [before.id])}")
    plan = plan_for(before, options)
    # Parsed twice in all: the file, and the new text (without positions: only what it means is
    # compared and validated, and its problems, if any, are located by a third parse).
    edited = roundtrip.edit_text(original.text, plan.edit, shown, original, positions=False)
    data = edited.text.encode("utf-8")
    if len(data) > yamlsafe.MAX_BYTES:  # written, it could not be loaded again
        raise InvalidData([Problem(shown, 1, 1, "(file)", f"the edit would make the file larger than the "
                                                          f"{yamlsafe.MAX_BYTES // (1024 * 1024)} MiB limit for a "
                                                          "programme; nothing was written")])
    after, problems = check_document(edited.document, path)
    if problems:
        raise InvalidData(check_document(yamlsafe.parse_bytes(edited.document.raw, shown), path)[1])
    assert after is not None
    return _Prepared(programme_id, path, target, shown, original.raw, data, after, plan)


def _write_all(prepared: list[_Prepared]) -> None:
    """Write every file atomically; if one fails, put back the old bytes of those already written."""
    written: list[_Prepared] = []
    try:
        for item in prepared:
            atomic.write_bytes(item.target, item.edited)
            written.append(item)
    except BaseException:
        for item in reversed(written):
            atomic.write_bytes(item.target, item.original)
        raise
