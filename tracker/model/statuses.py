"""The default status vocabulary: a closed list, each status with a published definition.

Colours are dark enough for white badge text to pass WCAG AA (4.5:1); a status is always shown
with its label too, never by colour alone. In-progress ratings are kept apart from final ones.
"""
from __future__ import annotations

from tracker.model.records import StatusDef


def N_(message: str) -> str:
    """Marks tracker's own words for translation (the report translates them where it shows them)."""
    return message


DEFAULT_STATUSES: tuple[StatusDef, ...] = (
    StatusDef(
        "not_started", N_("Not yet started"), "#5b616b",
        N_("No evidence of action has been found yet. This is not a finding that nothing is being "
        "done: the priority may simply not have been researched or announced."),
        rank=2,
    ),
    StatusDef(
        "in_progress", N_("In progress"), "#1f5fa8",
        N_("Public evidence shows work under way towards the stated priority."),
        rank=3,
    ),
    StatusDef(
        "at_risk", N_("At risk"), "#9a5400",
        N_("Work is under way but evidence points to delays, shortfalls or obstacles that put the "
        "priority in doubt. The note says why."),
        needs_note=True, rank=1,
    ),
    StatusDef(
        "stalled", N_("Stalled"), "#a4262c",
        N_("No progress has been reported for a long time, or work has been paused. The note says "
        "why."),
        needs_note=True, rank=0,
    ),
    StatusDef(
        "achieved", N_("Achieved"), "#1e6b34",
        N_("The priority has been delivered as stated, shown by a cited source."),
        final=True, needs_source=True, rank=5,
    ),
    StatusDef(
        "partly_achieved", N_("Partly achieved"), "#46631a",
        N_("Part of the priority has been delivered, or it was delivered in a weaker form, shown "
        "by a cited source."),
        final=True, needs_source=True, rank=4,
    ),
    StatusDef(
        "abandoned", N_("Abandoned"), "#6b3a7a",
        N_("The priority has been dropped, explicitly or by being replaced. It stays listed."),
        final=True, rank=-1,
    ),
)
