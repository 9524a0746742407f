"""The programme data as recorded on the as-of date: what an edition is made from, and carries.

Entries, observations, milestone completions and corrections dated after the as-of date are
left out, and so are drafts not yet approved on that date (`records.is_published`) and the
corrections that had not reached readers (`Priority.corrections_until`), so a later
`tracker update`, `correct` or `approve` never changes the data (nor the bytes) of an earlier
edition. The review log (what was rejected) stays with the editors. The result is a valid
programme file in plain YAML, attached to every PDF edition.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.model import yamlsafe
from tracker.model.records import Correction, Indicator, Priority, Programme
from tracker.model.spec import PROGRAMME, ListOf, MapOf, Record


def data_as_of(programme: Programme, as_of: dt.date) -> dict[str, Any]:
    """Plain data (field order of the spec) of `programme` as recorded on `as_of`."""
    return _plain(PROGRAMME, _filtered(programme, as_of))


def snapshot(programme: Programme, as_of: dt.date, data_file: str) -> bytes:
    header = (f"# {programme.title}: programme data as recorded on {as_of.isoformat()}, from {data_file}.\n"
              "# Entries, observations and milestone completions dated later are left out.\n")
    if _previewed(programme):
        header += "# DRAFT preview: drafts waiting for review are included; not for distribution.\n"
    body = yamlsafe.dump(data_as_of(programme, as_of))  # in the dialect tracker reads
    return (header + body).encode("utf-8")


def _filtered(programme: Programme, as_of: dt.date) -> Programme:
    from dataclasses import replace

    def priority(p: Priority) -> Priority:
        return replace(
            p,
            history=tuple(e for e in p.history if e.known_on(as_of)),
            milestones=tuple(m if m.done_by(as_of) or m.done is None
                             else replace(m, done=None, by="", draft=False, approved_by="", approved_on=None)
                             for m in p.milestones),
            indicators=tuple(indicator(i) for i in p.indicators),
            corrections=tuple(_published(p, as_of)),
        )

    def indicator(i: Indicator) -> Indicator:
        return replace(i, observations=tuple(o for o in i.observations if o.known_on(as_of)))

    return replace(programme, priorities=tuple(priority(p) for p in programme.priorities), review_log=())


def _published(priority: Priority, as_of: dt.date) -> list[Correction]:
    """The priority's corrections that had reached readers on `as_of`, in file order."""
    known = {id(c) for c in priority.corrections_until(as_of)}
    return [c for c in priority.corrections if id(c) in known]


def _previewed(programme: Programme) -> bool:
    """Whether drafts are shown as published (a `--drafts` preview)."""
    return any(getattr(item, "preview", False) for p in programme.priorities
               for item in (*p.history, *p.milestones, *p.corrections,
                            *(o for i in p.indicators for o in i.observations)))


def _plain(node: Any, value: Any) -> Any:
    if isinstance(node, Record):
        out: dict[str, Any] = {}
        for field in node.fields:
            item = getattr(value, field.name)
            if item in (None, "", (), False) and not field.required:
                continue
            out[field.name] = _plain(field.type, item)
        return out
    if isinstance(node, ListOf):
        return [_plain(node.item, item) for item in value]
    if isinstance(node, MapOf):
        return {key: _plain(node.value, item) for key, item in value.items()}
    return value


__all__ = ["data_as_of", "snapshot"]
