"""Changing a programme file safely: add a status entry, an observation, a source; close a milestone.

Every edit follows the same path (`apply`): find the programme's file, take its lock, load and
validate it, resolve the references and check the new record, edit the text by round trip
(only the new record is added), validate the whole new text with the same validator as
`tracker validate`, then write it atomically, and commit it to git when asked. Any problem
stops the edit before the write: the file stays byte for byte as it was.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Optional

from . import atomic, gitcommit, lock, roundtrip, spec, yamlsafe
from .errors import InvalidData, NotFound, TrackerError, WorkspaceError
from .fields import did_you_mean
from .model import Entry, Indicator, Milestone, Priority, Programme  # Entry: a new history entry too
from .validate import check_document
from .workspace import Workspace


class EditRefused(TrackerError):
    """The change asked for breaks a rule (a future date, a duplicate id, ...); nothing was written."""


@dataclass(frozen=True)
class Plan:
    """What an edit does: the change itself, a line for the user and a git commit message."""

    edit: roundtrip.Edit
    summary: str
    message: str


@dataclass(frozen=True)
class Outcome:
    path: Path
    programme: Programme  # as it is after the edit
    summary: str
    commit: Optional[str] = None  # short id of the git commit, with --commit


@dataclass(frozen=True)
class Observation:
    date: dt.date
    value: int | float
    source: str = ""
    note: str = ""


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

def programme_file(ws: Workspace, programme_id: str) -> Path:
    """The file in policies/ whose `id` is `programme_id`; `NotFound` with a hint otherwise."""
    files = ws.programme_files()
    preferred = [p for p in files if p.stem == programme_id]
    found: list[Path] = []
    ids: list[str] = []
    for path in preferred + [p for p in files if p not in preferred]:
        if not ws.inside(path) or not path.resolve().is_file():
            ids.append(path.stem)  # never read: load_file reports why when it is the one meant
            if path.stem == programme_id:
                found.append(path)
            continue
        declared = _declared_id(path)
        if declared is not None:  # the plain `id: ...` line, read without parsing the file
            ids.append(declared)
            if declared == programme_id:
                found.append(path)
            continue
        try:
            data = yamlsafe.load(path, ws.display(path)).data
        except InvalidData:
            ids.append(path.stem)
            if path.stem == programme_id:
                found.append(path)  # the file meant, though broken: its problems are reported
            continue
        pid = data.get("id") if isinstance(data, dict) else None
        if isinstance(pid, str):
            ids.append(pid)
            if pid == programme_id:
                found.append(path)
    if not found:
        raise NotFound(f"unknown programme {programme_id!r}{did_you_mean(programme_id, ids)}")
    if len(found) > 1:
        raise WorkspaceError(f"programme id {programme_id!r} is used by several files: "
                             f"{', '.join(ws.display(p) for p in found)}; run `tracker validate`")
    return found[0]


_ID_LINE = re.compile(r"^id:[ \t]*([a-z0-9-]+)[ \t]*(?:#.*)?$", re.MULTILINE)


def _declared_id(path: Path) -> Optional[str]:
    """The programme id from a top-level `id: slug` line, when the file has exactly one."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    found = _ID_LINE.findall(text)
    return found[0] if len(found) == 1 else None


def find_priority(programme: Programme, priority_id: str) -> Priority:
    ids = [p.id for p in programme.priorities]
    if priority_id not in ids:
        raise NotFound(f"unknown priority {priority_id!r} in programme {programme.id!r}"
                       f"{did_you_mean(priority_id, ids)}")
    return programme.priority(priority_id)


def find_indicator(programme: Programme, priority: Priority, indicator_id: str) -> Indicator:
    return _find_in(programme, priority, priority.indicators, "indicator", indicator_id)


def find_milestone(programme: Programme, priority: Priority, milestone_id: str) -> Milestone:
    return _find_in(programme, priority, priority.milestones, "milestone", milestone_id)


def _find_in(programme: Programme, priority: Priority, records: Any, kind: str, wanted: str) -> Any:
    """The record of a priority with id `wanted`, or NotFound with a hint (or the ids it has)."""
    for record in records:
        if record.id == wanted:
            return record
    ids = [r.id for r in records]
    known = f" (it has: {', '.join(ids)})" if ids and not did_you_mean(wanted, ids) else ""
    raise NotFound(f"unknown {kind} {wanted!r} in priority {programme.id}/{priority.id}"
                   f"{did_you_mean(wanted, ids)}{known}")


def check_status(programme: Programme, status: str) -> None:
    ids = [s.id for s in programme.statuses]
    if status not in ids:
        raise NotFound(f"unknown status {status!r} in programme {programme.id!r}; expected one of "
                       f"{', '.join(ids)}{did_you_mean(status, ids)}")


def _not_future(day: dt.date, options: Options, what: str) -> None:
    if day > options.today and not options.allow_future:
        raise EditRefused(f"{what} is dated {day}, after today ({options.today}); "
                          "pass --allow-future to record it anyway")


def _index(where: tuple) -> int:
    return int(where[-1])


def _node(data: Any, where: tuple) -> Any:
    for part in where:
        data = data[part]
    return data


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


# --- the edits --------------------------------------------------------------------------------

def add_entry(ws: Workspace, programme_id: str, priority_id: str, entry: Entry, options: Options) -> Outcome:
    """Append a dated status assessment to a priority's history."""

    def plan(programme: Programme, options: Options) -> Plan:
        priority = find_priority(programme, priority_id)
        check_status(programme, entry.status)
        _not_future(entry.date, options, "the entry")
        where = priority.at

        def item(like: Any, b: roundtrip.Builder) -> Any:
            pairs: list[tuple[str, Any]] = [("date", b.date(entry.date)), ("status", b.text(entry.status))]
            if entry.note.strip():
                pairs.append(("note", b.text(entry.note.strip())))
            if entry.sources:
                pairs.append(("sources", b.seq([b.text(s) for s in entry.sources],
                                               like=like.get("sources") if isinstance(like, dict) else None,
                                               flow=True)))
            if entry.by.strip():
                pairs.append(("by", b.text(entry.by.strip())))
            return b.mapping(pairs, like=like)

        def edit(data: Any, b: roundtrip.Builder) -> None:
            _insert_dated(_node(data, where), "history", item, entry.date, spec.PRIORITY.field_names(), b)

        label = programme.status(entry.status).label
        ref = f"{programme.id}/{priority.id}"
        author = entry.by.strip() or options.author
        message = f"{ref}: status {entry.status} ({label}) on {entry.date}, by {author or 'unknown'}"
        body = [entry.note.strip()] if entry.note.strip() else []
        if entry.sources:
            body.append("Sources: " + ", ".join(entry.sources))
        return Plan(edit, f"{ref}: {label} ({entry.status}) on {entry.date}",
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

        def item(like: Any, b: roundtrip.Builder) -> Any:
            pairs: list[tuple[str, Any]] = [("date", b.date(observation.date)),
                                            ("value", b.number(observation.value))]
            if observation.source:
                pairs.append(("source", b.text(observation.source)))
            if observation.note.strip():
                pairs.append(("note", b.text(observation.note.strip())))
            return b.mapping(pairs, like=like)

        def edit(data: Any, b: roundtrip.Builder) -> None:
            _insert_dated(_node(data, where), "observations", item, observation.date,
                          spec.INDICATOR.field_names(), b)

        ref = f"{programme.id}/{priority.id}/{indicator.id}"
        value = (roundtrip.PlainFloat(observation.value).text() if isinstance(observation.value, float)
                 else str(observation.value))
        author = options.author or "unknown"
        return Plan(edit, f"{ref}: {value} {indicator.unit} on {observation.date}",
                    f"{ref}: {value} {indicator.unit} on {observation.date}, by {author}"
                    + (f"\n\nSource: {observation.source}" if observation.source else ""))

    return apply(ws, programme_id, plan, options)


def complete_milestone(ws: Workspace, programme_id: str, priority_id: str, milestone_id: str,
                       done: dt.date, sources: tuple[str, ...], options: Options) -> Outcome:
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

        def edit(data: Any, b: roundtrip.Builder) -> None:
            node = _node(data, where)
            roundtrip.insert_key(node, "done", b.date(done), order)
            if not added:
                return
            existing = node.get("sources")
            if isinstance(existing, list) and existing:
                existing.extend(b.text(s) for s in added)
            else:
                roundtrip.insert_key(node, "sources", b.seq([b.text(s) for s in added], flow=True), order)

        author = options.author or "unknown"
        return Plan(edit, f"{ref}: done on {done}",
                    f"{ref}: milestone done on {done}, by {author}"
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


# --- the one path every edit takes ------------------------------------------------------------

def apply(ws: Workspace, programme_id: str, plan_for: Callable[[Programme, Options], Plan], options: Options) -> Outcome:
    """Lock, load, plan, edit, validate, write (and commit): all or nothing."""
    path = programme_file(ws, programme_id)
    shown = ws.display(path)
    repo = gitcommit.repository(path.resolve(), shown) if options.commit else None
    if repo is not None and not options.author:
        options = replace(options, author=gitcommit.author(repo))
    target = path.resolve()
    with lock.locked(target, options.lock_timeout, shown):
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
        text = target.read_bytes().decode("utf-8")  # yamlsafe.load has checked that it is UTF-8
        edited = roundtrip.edit_text(text, plan.edit, shown, original)
        after, problems = check_document(edited.document, path)
        if problems:
            raise InvalidData(problems)
        assert after is not None
        atomic.write_bytes(target, edited.text.encode("utf-8"))
        revision = gitcommit.commit(repo, target, plan.message, shown) if repo is not None else None
    return Outcome(path=path, programme=after, summary=plan.summary, commit=revision)
