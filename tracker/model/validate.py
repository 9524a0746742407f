"""Validation: every problem in every file, each with its file, line, column and field.

`check_document` walks a loaded YAML document against the spec, builds the `Programme` and
then applies the rules that span records (vocabulary, required notes and sources, references,
unique ids). Nothing is built from a file with problems.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

from tracker.errors import InvalidData, Problem
from tracker.model import fields as f
from tracker.model.records import Programme
from tracker.model.spec import PROGRAMME, ListOf, MapOf, Record
from tracker.model.statuses import DEFAULT_STATUSES
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
    programme = _replace(programme, path=path, origin=doc)
    if not any(p.field.startswith("statuses") for p in problems):
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
        return node.check(value)
    except f.Bad as bad:
        problems.append(doc.problem(path, str(bad)))
        return FAILED


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
            if ref is None or f.URL_RE.match(ref) or ref in source_ids:
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
        for milestone in priority.milestones:
            refs((milestone.at + ("sources", i), ref) for i, ref in enumerate(milestone.sources))
        for indicator in priority.indicators:
            points = [indicator.baseline, *([indicator.target] if indicator.target else []), *indicator.observations]
            refs((point.at + ("source",), point.source) for point in points)
            if indicator.target and indicator.target.date <= indicator.baseline.date:
                out.append(doc.problem(indicator.target.at + ("date",),
                                       f"target date {indicator.target.date} must be after the baseline date "
                                       f"{indicator.baseline.date}"))
    return out


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
