"""What a report shows, computed before any template runs: templates only display.

Sections are built in reading order (cover, summary, what changed, corrections, priorities,
sources, method, the corrections log) so that sources are numbered in the order a reader first
meets them. A preview with drafts (`tracker report --drafts`) is marked as a draft throughout.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from tracker import __version__
from tracker.digest import changes
from tracker.model.records import Programme, Source
from tracker.report.content import colours, corrections, priorities, summary, whatchanged
from tracker.report.content.citations import Citations, Cited, EvidenceNote
from tracker.report.content.views import Badge, badge
from tracker.report.edition import EditionInputs
from tracker.report.run.revision import Revision

DEFAULT_ACCENT = "#1f4e79"
DRAFT_MARK = "DRAFT \u2014 not for distribution"


@dataclass(frozen=True)
class Meta:
    """The document's metadata: HTML <meta> elements, which WeasyPrint copies into the PDF."""

    title: str
    author: str
    description: str
    keywords: list[str]
    generator: str
    created: str  # the as-of date, W3C format


@dataclass(frozen=True)
class Theme:
    accent: str  # as set by the programme, for rules and bands
    accent_text: str  # the accent darkened until text in it passes AA on white
    on_accent: str  # text colour on an accent background
    accent_tint: str  # a pale accent for backgrounds


@dataclass(frozen=True)
class StatedIn:
    """The document the priorities were stated in, as the cover cites it."""

    source: Source
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Cover:
    title: str
    summary: str
    owner: str
    as_of: dt.date
    logo: Optional[str]
    stated_in: Optional[StatedIn]
    data_file: str
    revision: Optional[Revision]
    previous: Optional[dt.date]
    previous_from: str
    priorities: int
    method_version: str  # "" when the programme states none


@dataclass(frozen=True)
class MethodStatus:
    badge: Badge
    definition: str
    final: bool
    needs: str  # what an entry with this status must carry


@dataclass(frozen=True)
class MethodReason:
    id: str
    label: str
    definition: str


@dataclass(frozen=True)
class Method:
    statuses: list[MethodStatus]
    review_every_days: int
    reasons: list[MethodReason]
    version: str  # the programme's method_version, "" when none


@dataclass(frozen=True)
class ReportContext:
    lang: str
    as_of: dt.date
    meta: Meta
    theme: Theme
    cover: Cover
    summary: summary.Summary
    changes: whatchanged.WhatChanged
    priorities: list[priorities.PriorityView]
    sources: list[Cited]
    other_sources: list[Source]
    other_evidence: dict[str, EvidenceNote]  # by source id: what the archive says of an uncited source
    evidence: bool  # whether the archive knows anything of this programme's sources on the as-of date
    method: Method
    corrections: corrections.Corrections
    draft: bool  # a preview with drafts waiting for review: "DRAFT — not for distribution"
    draft_mark: str


def build(programme: Programme, as_of: dt.date, inputs: EditionInputs) -> ReportContext:
    cite = Citations(programme, inputs.evidence)
    accent = programme.accent or DEFAULT_ACCENT
    theme = Theme(accent, colours.darken_to(accent), colours.text_on(accent), colours.tint(accent, 0.08))
    stated = stated_source(programme, as_of)
    cover = Cover(
        title=programme.title,
        summary=programme.summary,
        owner=programme.owner,
        as_of=as_of,
        logo=inputs.logo,
        stated_in=StatedIn(stated, cite.cite([stated.id])) if stated else None,
        data_file=inputs.data_file,
        revision=inputs.revision,
        previous=inputs.since,
        previous_from=inputs.since_from,
        priorities=len(programme.priorities),
        method_version=programme.method_version,
    )
    found = changes.between(programme, inputs.since, as_of)
    summary_ = summary.build(programme, as_of, found)
    changed = whatchanged.build(programme, inputs.since, inputs.since_from, as_of, found, cite, inputs.since_method)
    corrected = corrections.build(programme, inputs.since, as_of)
    views = [priorities.build(p, programme, as_of, cite, accent) for p in programme.priorities]
    title = f"{programme.title}: progress up to {as_of.isoformat()}"
    return ReportContext(
        lang=programme.language,
        as_of=as_of,
        meta=Meta(
            title=f"{DRAFT_MARK}: {title}" if inputs.drafts else title,
            author=programme.owner or "tracker",
            description=(" ".join(programme.summary.split()) if programme.summary
                         else f"Progress report on {programme.title}"),
            keywords=["progress report", programme.id, *(p.id for p in programme.priorities)],
            generator=f"tracker {__version__}",
            created=as_of.isoformat(),
        ),
        theme=theme,
        cover=cover,
        summary=summary_,
        changes=changed,
        priorities=views,
        sources=cite.listing(),
        other_sources=cite.uncited(),
        other_evidence=cite.uncited_evidence(),
        evidence=inputs.evidence is not None and not inputs.evidence.empty,
        method=Method([_method_status(programme, s.id) for s in programme.statuses], programme.review_every_days,
                      [MethodReason(r.id, r.label, r.definition) for r in programme.reasons],
                      programme.method_version),
        corrections=corrected,
        draft=inputs.drafts,
        draft_mark=DRAFT_MARK,
    )


def stated_source(programme: Programme, as_of: dt.date) -> Optional[Source]:
    """The registered source cited by most priorities' first history entries; else the first registered."""
    counts: Counter[str] = Counter()
    for priority in programme.priorities:
        history = priority.history_until(as_of)
        if history:
            counts.update({ref for ref in history[0].sources if programme.source(ref)})
    if counts:
        best = max(counts.values())
        for source in programme.sources:
            if counts[source.id] == best:
                return source
    return programme.sources[0] if programme.sources else None


def _method_status(programme: Programme, status_id: str) -> MethodStatus:
    status = programme.status(status_id)
    needs = [need for need, on in (("a cited source", status.needs_source), ("a note saying why", status.needs_note)) if on]
    definition = status.definition if status.definition.endswith((".", "!", "?")) else status.definition + "."
    return MethodStatus(badge(programme, status_id), definition, status.final, " and ".join(needs))
