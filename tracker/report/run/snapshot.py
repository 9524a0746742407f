"""The programme data as recorded on the as-of date: what an edition is made from, and carries.

Entries, observations and milestone completions dated after the as-of date are left out, so a
later `tracker update` never changes the data (nor the bytes) of an earlier edition. The
result is a valid programme file in plain YAML, attached to every PDF edition.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.model import yamlsafe
from tracker.model.records import Indicator, Priority, Programme
from tracker.model.spec import PROGRAMME, ListOf, Record


def data_as_of(programme: Programme, as_of: dt.date) -> dict[str, Any]:
    """Plain data (field order of the spec) of `programme` as recorded on `as_of`."""
    return _plain(PROGRAMME, _filtered(programme, as_of))


def snapshot(programme: Programme, as_of: dt.date, data_file: str) -> bytes:
    header = (f"# {programme.title}: programme data as recorded on {as_of.isoformat()}, from {data_file}.\n"
              "# Entries, observations and milestone completions dated later are left out.\n")
    body = yamlsafe.dump(data_as_of(programme, as_of))  # in the dialect tracker reads
    return (header + body).encode("utf-8")


def _filtered(programme: Programme, as_of: dt.date) -> Programme:
    from dataclasses import replace

    def priority(p: Priority) -> Priority:
        return replace(
            p,
            history=tuple(e for e in p.history if e.date <= as_of),
            milestones=tuple(m if m.done is None or m.done <= as_of else replace(m, done=None)
                             for m in p.milestones),
            indicators=tuple(indicator(i) for i in p.indicators),
        )

    def indicator(i: Indicator) -> Indicator:
        return replace(i, observations=tuple(o for o in i.observations if o.date <= as_of))

    return replace(programme, priorities=tuple(priority(p) for p in programme.priorities))


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
    return value


__all__ = ["data_as_of", "snapshot"]
