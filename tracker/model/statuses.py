"""The default vocabularies: statuses and reasons, closed lists, each item with a published definition.

Colours are dark enough for white badge text to pass WCAG AA (4.5:1); a status is always shown
with its label too, never by colour alone. In-progress ratings are kept apart from final ones.
"""
from __future__ import annotations

from tracker.model.records import ReasonDef, StatusDef


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
        needs_note=True, rank=1, takes_reason=True,
    ),
    StatusDef(
        "stalled", N_("Stalled"), "#a4262c",
        N_("No progress has been reported for a long time, or work has been paused. The note says "
        "why."),
        needs_note=True, rank=0, takes_reason=True,
    ),
    StatusDef(
        "unverifiable", N_("Cannot be verified"), "#2f6b6b",
        N_("No public evidence either way: the claim can be neither confirmed nor refuted"),
        needs_note=True, rank=2,
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
        final=True, rank=-1, takes_reason=True,
    ),
)


#: Why a priority stalled, is at risk or was abandoned (an entry's `reason:`). A programme may
#: replace the list with its own `reasons:`.
DEFAULT_REASONS: tuple[ReasonDef, ...] = (
    ReasonDef("not_prioritised", N_("Not prioritised"),
              N_("Other priorities came first: no money, staff or time has been given to this one.")),
    ReasonDef("reversed", N_("Reversed"),
              N_("A U-turn: those who stated the priority have changed course and now act against it.")),
    ReasonDef("lacks_funding", N_("Lacks funding"),
              N_("The money needed has not been found, or has been cut.")),
    ReasonDef("partner_withdrew", N_("Partner withdrew"),
              N_("A country, company or organisation the priority depends on has pulled out.")),
    ReasonDef("external_shock", N_("External shock"),
              N_("Events outside the programme's control (a crisis, a conflict, sanctions, a pandemic) "
              "have stopped or slowed it.")),
    ReasonDef("superseded", N_("Superseded"),
              N_("Replaced by another plan, agreement or priority that takes its place.")),
    ReasonDef("already_done", N_("Already done"),
              N_("It had been delivered before it was stated (for example by a previous government): "
              "there is nothing new to do.")),
    ReasonDef("other", N_("Other"),
              N_("None of the above; the note says why.")),
)
