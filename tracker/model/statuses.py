"""The default status vocabulary: a closed list, each status with a published definition.

Colours are dark enough for white badge text to pass WCAG AA (4.5:1); a status is always shown
with its label too, never by colour alone. In-progress ratings are kept apart from final ones.
"""
from __future__ import annotations

from tracker.model.records import StatusDef

DEFAULT_STATUSES: tuple[StatusDef, ...] = (
    StatusDef(
        "not_started", "Not yet started", "#5b616b",
        "No evidence of action has been found yet. This is not a finding that nothing is being "
        "done: the priority may simply not have been researched or announced.",
        rank=2,
    ),
    StatusDef(
        "in_progress", "In progress", "#1f5fa8",
        "Public evidence shows work under way towards the stated priority.",
        rank=3,
    ),
    StatusDef(
        "at_risk", "At risk", "#9a5400",
        "Work is under way but evidence points to delays, shortfalls or obstacles that put the "
        "priority in doubt. The note says why.",
        needs_note=True, rank=1,
    ),
    StatusDef(
        "stalled", "Stalled", "#a4262c",
        "No progress has been reported for a long time, or work has been paused. The note says "
        "why.",
        needs_note=True, rank=0,
    ),
    StatusDef(
        "achieved", "Achieved", "#1e6b34",
        "The priority has been delivered as stated, shown by a cited source.",
        final=True, needs_source=True, rank=5,
    ),
    StatusDef(
        "partly_achieved", "Partly achieved", "#46631a",
        "Part of the priority has been delivered, or it was delivered in a weaker form, shown "
        "by a cited source.",
        final=True, needs_source=True, rank=4,
    ),
    StatusDef(
        "abandoned", "Abandoned", "#6b3a7a",
        "The priority has been dropped, explicitly or by being replaced. It stays listed.",
        final=True, rank=-1,
    ),
)
