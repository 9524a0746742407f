"""Changing a programme file safely: add a status entry, an observation, a source; close a milestone.

Every edit follows the same path (`apply`): find the programme's file, take its lock, load and
validate it, resolve the references and check the new record, edit the text by round trip
(only the new record is added), validate the whole new text with the same validator as
`tracker validate`, then write it atomically, and commit it to git when asked. Any problem
stops the edit before the write: the file stays byte for byte as it was.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Optional

from tracker.edit import atomic, gitcommit, lock, roundtrip
from tracker.errors import EditRefused, InvalidData, NotFound
from tracker.model import spec, yamlsafe
from tracker.model.fields import did_you_mean
from tracker.model.lookup import check_status, find_indicator, find_milestone, find_priority
from tracker.model.records import Entry, Programme  # Entry: a new history entry too
from tracker.model.validate import check_document
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
    path = ws.file_of(programme_id)
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
        # Parsed twice in all: the file, and the new text (without positions: only what it means
        # is compared and validated, and its problems, if any, are located by a third parse).
        edited = roundtrip.edit_text(original.text, plan.edit, shown, original, positions=False)
        after, problems = check_document(edited.document, path)
        if problems:
            raise InvalidData(check_document(yamlsafe.parse_bytes(edited.document.raw, shown), path)[1])
        assert after is not None
        atomic.write_bytes(target, edited.text.encode("utf-8"))
        revision = gitcommit.commit(repo, target, plan.message, shown) if repo is not None else None
    return Outcome(path=path, programme=after, summary=plan.summary, commit=revision)
