"""Finding a priority, indicator, milestone or status by id, with a "did you mean" when it is not there."""
from __future__ import annotations

from typing import Any

from tracker.errors import NotFound
from tracker.model.fields import did_you_mean
from tracker.model.records import Indicator, Milestone, Priority, Programme, Source


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


def find_source(programme: Programme, source_id: str) -> Source:
    """The registered source `source_id` of `programme`, or NotFound with a hint."""
    found = programme.source(source_id)
    if found is None:
        ids = [s.id for s in programme.sources]
        raise NotFound(f"unknown source {source_id!r} in programme {programme.id!r}{did_you_mean(source_id, ids)}")
    return found


def check_reason(programme: Programme, reason: str) -> None:
    ids = [r.id for r in programme.reasons]
    if reason not in ids:
        raise NotFound(f"unknown reason {reason!r} in programme {programme.id!r}; expected one of "
                       f"{', '.join(ids)}{did_you_mean(reason, ids)}")
