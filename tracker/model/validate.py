"""Validation: every problem in every file, each with its file, line, column and field.

`check_document` walks a loaded YAML document against the spec, builds the `Programme` and
then applies the rules that span records (vocabulary, required notes and sources, references,
unique ids). Nothing is built from a file with problems.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from tracker.errors import InvalidData, Problem
from tracker.model import fields as f
from tracker.model.records import (CLEARABLE, ENTRY_FIELDS, OBSERVATION_FIELDS, Correction, Entry, Milestone, Point, Priority,
                                   Programme, find_dated, is_pending, said_as_field, same_person)
from tracker.model.spec import PROGRAMME, ListOf, MapOf, Record
from tracker.model.statuses import DEFAULT_REASONS, DEFAULT_STATUSES
from tracker.model.yamlsafe import Document


def check_document(doc: Document, path: Path) -> tuple[Optional[Programme], list[Problem]]:
    """Return the programme and no problems, or None and every problem found."""
    problems: list[Problem] = []
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"expected a mapping of programme fields at the top level but got {f.describe(doc.data)}"))
        return None, problems
    built = walk(PROGRAMME, doc.data, (), doc, problems)
    if built is FAILED:
        return None, problems
    programme: Programme = built
    if not programme.statuses:
        programme = _replace(programme, statuses=DEFAULT_STATUSES)
    if not programme.reasons:
        programme = _replace(programme, reasons=DEFAULT_REASONS)
    programme = _replace(programme, path=path, origin=doc)
    if not any(p.field.startswith(("statuses", "reasons")) for p in problems):
        problems.extend(check_rules(programme, doc))
    return (None, problems) if problems else (programme, [])


def _replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


FAILED = object()  # a value that could not be built (its problem is already recorded)


def walk(node: Any, value: Any, path: tuple, doc: Document, problems: list[Problem]) -> Any:
    """Check `value` against the spec `node`, recording problems; the built value, or FAILED."""
    if isinstance(node, Record):
        return _walk_record(node, value, path, doc, problems)
    if isinstance(node, ListOf):
        if not isinstance(value, list):
            problems.append(doc.problem(path, f"expected a list but got {f.describe(value)}"))
            return FAILED
        if len(value) > node.max_items:
            problems.append(doc.problem(path, f"expected at most {node.max_items} items but got {len(value)}"))
            return FAILED
        items = [walk(node.item, item, path + (i,), doc, problems) for i, item in enumerate(value)]
        # Items that could not be built are left out, so the rules still check the others.
        return tuple(item for item in items if item is not FAILED)
    if isinstance(node, MapOf):
        return _walk_map(node, value, path, doc, problems)
    try:
        built = node.check(value)
    except f.Bad as bad:
        written = doc.written(path) if isinstance(node, f.Label) else None
        if written and isinstance(value, (int, float)) and not isinstance(value, bool):
            bad = f.Bad(f"expected text but got the number {value!r}: YAML reads {written} written without quotes "
                        f"as a number; write it in quotes, \"{written}\"")
        problems.append(doc.problem(path, str(bad)))
        return FAILED
    # Every string of every file, whatever its type checks: nothing that is not text gets in.
    if isinstance(value, str) and (wrong := f.bad_character(value.strip(), lines=getattr(node, "lines", False))):
        problems.append(doc.problem(path, wrong))
        return FAILED
    return built


def _walk_map(node: MapOf, value: Any, path: tuple, doc: Document, problems: list[Problem]) -> Any:
    if not isinstance(value, dict):
        problems.append(doc.problem(path, f"expected a mapping but got {f.describe(value)}"))
        return FAILED
    if len(value) > node.max_items:
        problems.append(doc.problem(path, f"expected at most {node.max_items} keys but got {len(value)}"))
        return FAILED
    out = {}
    for key, item in value.items():
        try:
            node.key.check(key)
        except f.Bad as bad:
            problems.append(doc.problem(path + (key,), f"invalid key: {bad}", key=True))
            continue
        built = walk(node.value, item, path + (key,), doc, problems)
        if built is not FAILED:
            out[key] = built
    return out


def _walk_record(record: Record, value: Any, path: tuple, doc: Document, problems: list[Problem]) -> Any:
    if not isinstance(value, dict):
        problems.append(doc.problem(path, f"expected a mapping ({record.name}) but got {f.describe(value)}"))
        return FAILED
    known = record.field_names()
    for key in value:
        if key not in known:
            problems.append(doc.problem(path + (key,), f"unknown field {key!r}{f.did_you_mean(key, known)}", key=True))
    kwargs: dict[str, Any] = {"at": path}
    ok = True
    for fld in record.fields:
        raw = value.get(fld.name)
        if raw is None and fld.nullable and fld.name in value:
            kwargs[fld.name] = None
            continue
        if raw is None:
            if fld.required:
                message = (f"required field {fld.name!r} is empty" if fld.name in value
                           else f"missing required field {fld.name!r} of the {record.name}")
                problems.append(doc.problem(path + (fld.name,), message))
                ok = False
            continue
        built = walk(fld.type, raw, path + (fld.name,), doc, problems)
        if built is FAILED:
            ok = ok and not fld.required
        else:
            kwargs[fld.name] = built
    if not ok:
        return FAILED
    return record.cls(**kwargs)


def check_rules(programme: Programme, doc: Document) -> list[Problem]:
    """Rules across records: ids, vocabulary, notes and sources, references, dates."""
    out: list[Problem] = []
    _unique(programme.statuses, doc, out)
    _unique(programme.reasons, doc, out)
    _unique(programme.sources, doc, out)
    _unique(programme.priorities, doc, out)
    seen_languages: dict[str, int] = {}
    for i, tag in enumerate(programme.languages):
        if tag in seen_languages:
            out.append(doc.problem(("languages", i), f"language {tag!r} is listed twice"))
        seen_languages.setdefault(tag, i)
    status_ids = [s.id for s in programme.statuses]
    source_ids = [s.id for s in programme.sources]

    def refs(cited: Iterable[tuple[tuple, Optional[str]]]) -> None:
        for where, ref in cited:
            if ref is None or f.URL_RE.fullmatch(ref) or ref in source_ids:
                continue
            out.append(doc.problem(where, f"unknown source {ref!r}{f.did_you_mean(ref, source_ids)}"
                                          " (cite an id from the programme's sources, or a URL)"))

    for priority in programme.priorities:
        _unique(priority.milestones, doc, out)
        _unique(priority.indicators, doc, out)
        for entry in priority.history:
            if entry.status not in status_ids:
                out.append(doc.problem(entry.at + ("status",),
                                       f"expected one of {', '.join(status_ids)} but got {entry.status!r}"
                                       f"{f.did_you_mean(entry.status, status_ids)}"))
                continue
            status = programme.status(entry.status)
            if status.needs_source and not entry.sources:
                out.append(doc.problem(entry.at + ("sources",), f"an entry with status {entry.status!r} must cite at least one source"))
            if status.needs_note and not entry.note:
                out.append(doc.problem(entry.at + ("note",), f"an entry with status {entry.status!r} must carry a note saying why"))
            refs((entry.at + ("sources", i), ref) for i, ref in enumerate(entry.sources))
            _check_reason(programme, entry, entry.at + ("reason",), doc, out)
            _check_review(programme, entry, "entry", doc, out)
        for milestone in priority.milestones:
            refs((milestone.at + ("sources", i), ref) for i, ref in enumerate(milestone.sources))
            _check_review(programme, milestone, "milestone completion", doc, out)
            if milestone.draft and milestone.done is None:
                out.append(doc.problem(milestone.at + ("draft",), "draft: true marks a milestone's completion as a "
                                                                  "draft, but this milestone has no done date"))
        for indicator in priority.indicators:
            points = [indicator.baseline, *([indicator.target] if indicator.target else []), *indicator.observations]
            refs((point.at + ("source",), point.source) for point in points)
            for point in indicator.observations:
                _check_review(programme, point, "observation", doc, out)
            if indicator.target and indicator.target.date <= indicator.baseline.date:
                out.append(doc.problem(indicator.target.at + ("date",),
                                       f"target date {indicator.target.date} must be after the baseline date "
                                       f"{indicator.baseline.date}"))
        for correction in priority.corrections:
            _check_review(programme, correction, "correction", doc, out)
        _check_corrections(programme, priority, doc, out, refs)
    return out


def _check_reason(programme: Programme, entry: Entry, where: tuple, doc: Document, out: list[Problem]) -> None:
    if not entry.reason:
        return
    ids = [r.id for r in programme.reasons]
    if entry.reason not in ids:
        out.append(doc.problem(where, f"expected one of {', '.join(ids)} but got {entry.reason!r}"
                                      f"{f.did_you_mean(entry.reason, ids)}"))
    elif not programme.status(entry.status).reasoned:
        out.append(doc.problem(where, no_reason(programme, entry.status)))


def no_reason(programme: Programme, status: str) -> str:
    """Why an entry with `status` may not carry a reason, naming the statuses that may."""
    may = [s.id for s in programme.statuses if s.reasoned]
    return (f"status {status!r} takes no reason: a reason says why a priority stalled, is at risk or was "
            f"abandoned (statuses that take one: {', '.join(may) or 'none'})")


def _check_review(programme: Programme, item: Any, what: str, doc: Document, out: list[Problem]) -> None:
    """Drafts name their author; approval names who and when; nobody approves their own draft."""
    if item.draft and not item.by:
        out.append(doc.problem(item.at + ("draft",), f"a draft {what} must name its author (by)"))
    if bool(item.approved_by) != (item.approved_on is not None):
        missing = "approved_on" if item.approved_by else "approved_by"
        out.append(doc.problem(item.at + (missing,), f"approved_by and approved_on go together: "
                                                     f"say who approved the {what} and when"))
    dated = item.done if isinstance(item, Milestone) else item.date
    if item.approved_on is not None and dated is not None and item.approved_on < dated:
        out.append(doc.problem(item.at + ("approved_on",), f"the {what} is approved on {item.approved_on}, before "
                                                           f"its own date ({dated})"))
    if item.approved_by and item.by and same_person(item.approved_by, item.by) and not programme.self_approval:
        out.append(doc.problem(item.at + ("approved_by",),
                               f"the {what} is approved by its own author ({item.by}); nobody approves "
                               "their own draft unless the programme sets review: self-allowed"))


def _said(value: Any) -> Any:
    """A field's value in a form that compares as a reader reads it: nothing is None, lists are lists."""
    if value in (None, "", (), []):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def _check_corrections(programme: Programme, priority: Priority, doc: Document, out: list[Problem],
                       refs: Callable[[Iterable[tuple[tuple, Optional[str]]]], None]) -> None:
    """Each correction names an existing, published record, is not dated before it, changes
    something, says what the record said (`was`), and leaves a record that obeys the rules."""
    current: dict[int, Any] = {}  # id() of a record as written -> the record as corrected so far
    previous: dict[int, Correction] = {}  # id() of a record as written -> its latest correction so far
    order = sorted(priority.corrections, key=lambda c: c.date)
    for correction in order:
        target = _target(programme, priority, correction, doc, out)
        if target is None:
            continue
        kind = "entry" if correction.entry else "observation"
        allowed = ENTRY_FIELDS if correction.entry else OBSERVATION_FIELDS
        if is_pending(target):
            out.append(doc.problem(correction.at + (kind,),
                                   f"corrects a draft {kind} that is not approved yet; "
                                   "approve it first, or reject it and write it again"))
            continue
        if correction.date < target.date:
            out.append(doc.problem(correction.at + ("date",),
                                   f"the correction is dated {correction.date}, before the {kind} it corrects "
                                   f"({target.date})"))
        elif target.approved_on is not None and correction.date < target.approved_on:
            out.append(doc.problem(correction.at + ("date",),
                                   f"the correction is dated {correction.date}, before the {kind} it corrects reached "
                                   f"readers (approved on {target.approved_on}): it would correct what no reader "
                                   "was shown"))
        before = current.get(id(target), target)
        after_which = (f" (as the correction of {previous[id(target)].date} left it)"
                       if id(target) in previous else "")
        after = before
        if not correction.changes:
            out.append(doc.problem(correction.at + ("changes",),
                                   f"changes nothing: name at least one field of the {kind} and what it says now"))
        for name, change in correction.changes.items():
            where = correction.at + ("changes", name)
            if name not in allowed:
                out.append(doc.problem(where, f"a correction of an {kind} may change {', '.join(allowed)}, "
                                              f"not {name!r}", key=True))
                continue
            if change.now is None and name not in CLEARABLE:
                out.append(doc.problem(where + ("now",), f"the {name} cannot be cleared: say what it is now"))
                continue
            now = None if change.now is None else _checked_value(programme, name, change.now, where + ("now",), doc,
                                                                   out, refs)
            if now is _BAD:
                continue
            said = _said(getattr(before, name))
            if _said(change.was) != said:
                shown = "nothing" if said is None else repr(said)
                out.append(doc.problem(where + ("was",) if change.was is not None else where,
                                       f"the {kind} said {shown} before this correction{after_which}"
                                       + ("" if change.was is None else f", not {_said(change.was)!r}")))
            if _said(now) == said:
                out.append(doc.problem(where + ("now",), f"changes nothing: the {kind} already says {said!r}"))
                continue
            after = _replace(after, **{name: said_as_field(after, name, now)})
        if isinstance(after, Entry) and after is not before:
            status = programme.status(after.status) if after.status in [s.id for s in programme.statuses] else None
            if status is not None and status.needs_source and not after.sources:
                out.append(doc.problem(correction.at + ("changes",),
                                       f"the corrected entry has status {after.status!r}, which must cite "
                                       "at least one source"))
            if status is not None and status.needs_note and not after.note:
                out.append(doc.problem(correction.at + ("changes",),
                                       f"the corrected entry has status {after.status!r}, which must carry "
                                       "a note saying why"))
            if status is not None and after.reason and not status.reasoned:
                out.append(doc.problem(correction.at + ("changes",),
                                       f"the corrected entry would keep reason {after.reason!r}, but "
                                       f"{no_reason(programme, after.status)}; clear it (reason: {{was: "
                                       f"{after.reason}, now: null}})"))
        current[id(target)] = after
        previous[id(target)] = correction


_BAD = object()


def _target(programme: Programme, priority: Priority, correction: Correction, doc: Document,
            out: list[Problem]) -> Optional[Entry | Point]:
    """The entry or observation the correction names (as written), or None with a problem recorded."""
    at = correction.at
    if correction.entry and (correction.indicator or correction.observation):
        out.append(doc.problem(at + ("entry",), "a correction corrects one record: an entry (entry: DATE) "
                                                "or an observation (indicator: ID, observation: DATE), not both"))
        return None
    if correction.entry:
        if _ambiguous(correction.entry, priority.history, "entries", f"priority {priority.id!r}", at + ("entry",),
                      doc, out):
            return None
        entry = find_dated(priority.history, correction.entry)
        if entry is None:
            out.append(doc.problem(at + ("entry",), _no_record("history entry", correction.entry,
                                                               priority.history, f"priority {priority.id!r}")))
        return entry
    if not correction.indicator or not correction.observation:
        missing = "observation" if correction.indicator else "indicator" if correction.observation else "entry"
        message = ("a correction names the entry it corrects (entry: DATE) or the observation "
                   "(indicator: ID, observation: DATE)" if missing == "entry"
                   else f"an observation's correction names both indicator and observation; {missing} is missing")
        out.append(doc.problem(at + (missing,) if missing != "entry" else at, message))
        return None
    indicator = priority.indicator(correction.indicator)
    if indicator is None:
        ids = [i.id for i in priority.indicators]
        out.append(doc.problem(at + ("indicator",), f"unknown indicator {correction.indicator!r} in priority "
                                                    f"{priority.id!r}{f.did_you_mean(correction.indicator, ids)}"))
        return None
    if _ambiguous(correction.observation, indicator.observations, "observations", f"indicator {indicator.id!r}",
                  at + ("observation",), doc, out):
        return None
    point = find_dated(indicator.observations, correction.observation)
    if point is None:
        out.append(doc.problem(at + ("observation",), _no_record("observation", correction.observation,
                                                                 indicator.observations,
                                                                 f"indicator {indicator.id!r}")))
    return point


def _ambiguous(ref: str, records: tuple[Any, ...], plural: str, where: str, at: tuple, doc: Document,
               out: list[Problem]) -> bool:
    """Whether `ref` is a bare date that several records have (a problem recorded): which one a
    correction corrects must be said, DATE#N, as `tracker correct` asks."""
    if "#" in ref:
        return False
    same = sum(1 for r in records if r.date.isoformat() == ref.strip())
    if same < 2:
        return False
    choices = ", ".join(f"{ref.strip()}#{n}" for n in range(1, same + 1))
    out.append(doc.problem(at, f"{where} has {same} {plural} dated {ref.strip()}: name the one corrected as {choices}"))
    return True


def _no_record(kind: str, ref: str, records: tuple[Any, ...], where: str) -> str:
    day, _, n = ref.partition("#")
    same = sum(1 for r in records if r.date.isoformat() == day)
    if same and n:
        return f"names {kind} {ref}, but {where} has only {same} dated {day}"
    return f"names no existing {kind}: {where} has no {kind} dated {day}"


def _checked_value(programme: Programme, name: str, value: Any, where: tuple, doc: Document,
                   out: list[Problem], refs: Callable[[Iterable[tuple[tuple, Optional[str]]]], None]) -> Any:
    """`now` checked as the field it replaces: a status or reason of the vocabulary, a note, sources, a value."""
    if name in ("status", "reason"):
        ids = [s.id for s in (programme.statuses if name == "status" else programme.reasons)]
        if not isinstance(value, str) or value not in ids:
            hint = f.did_you_mean(value, ids) if isinstance(value, str) else ""
            out.append(doc.problem(where, f"expected one of {', '.join(ids)} but got {f.describe(value)}{hint}"))
            return _BAD
        return value
    if name == "value":
        if isinstance(value, str) or isinstance(value, list):
            out.append(doc.problem(where, f"expected a number but got {f.describe(value)}"))
            return _BAD
        return value
    if name == "sources":
        items = value if isinstance(value, list) else None
        if items is None:
            out.append(doc.problem(where, f"expected a list of source ids or URLs but got {f.describe(value)}"))
            return _BAD
    else:
        if not isinstance(value, str):
            out.append(doc.problem(where, f"expected text but got {f.describe(value)}"))
            return _BAD
        items = [value] if name == "source" else []
    for i, ref in enumerate(items):
        try:
            f.SourceRef().check(ref)
        except f.Bad as bad:
            out.append(doc.problem(where + ((i,) if name == "sources" else ()), str(bad)))
            return _BAD
    refs(((where + ((i,) if name == "sources" else ())), ref) for i, ref in enumerate(items))
    return value


def _unique(records: Iterable[Any], doc: Document, out: list[Problem]) -> None:
    first: dict[str, tuple] = {}
    for record in records:
        if record.id in first:
            line, _ = doc.where(first[record.id] + ("id",))
            out.append(doc.problem(record.at + ("id",), f"duplicate id {record.id!r} (first used on line {line})"))
        else:
            first[record.id] = record.at


def raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InvalidData(problems)


__all__ = ["FAILED", "check_document", "check_rules", "raise_if", "walk"]
