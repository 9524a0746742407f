"""What a report shows, computed before any template runs: templates only display.

Sections are built in reading order (cover, summary, what changed, corrections, priorities,
sources, method, the corrections log) so that sources are numbered in the order a reader first
meets them. A preview with drafts (`tracker report --drafts`) is marked as a draft throughout.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Optional

from markupsafe import Markup

from tracker import __version__
from tracker.digest import changes
from tracker.i18n import fonts
from tracker.model.records import Programme, Source
from tracker.report.content import colours, corrections, priorities, summary, whatchanged
from tracker.report.content.citations import Citations, Cited
from tracker.report.content.language import Language, Shown
from tracker.report.content.views import N_, Badge, badge
from tracker.report.edition import EditionInputs, edition_stem, other_language
from tracker.report.run.revision import Revision

DEFAULT_ACCENT = "#1f4e79"
DRAFT_MARK = N_("DRAFT \u2014 not for distribution")
SENTENCE_ENDS = (".", "!", "?", "\u3002", "\uff01", "\uff1f")  # a definition ending otherwise gets a full stop


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

    source: Cited
    cites: tuple[int, ...]


@dataclass(frozen=True)
class Cover:
    title: Shown
    summary: Shown
    owner: Shown
    as_of: dt.date
    logo: Optional[str]
    stated_in: Optional[StatedIn]
    data_file: str
    revision: Optional[Revision]
    previous: Optional[dt.date]
    previous_from: str
    priorities: int
    method_version: str  # "" when the programme states none (a version number: not translated)


@dataclass(frozen=True)
class MethodStatus:
    badge: Badge
    definition: Shown
    final: bool
    needs: str  # what an entry with this status must carry


@dataclass(frozen=True)
class MethodReason:
    id: str
    label: Shown
    definition: Shown


@dataclass(frozen=True)
class Method:
    statuses: list[MethodStatus]
    review_every_days: int
    reasons: list[MethodReason]
    version: str  # the programme's method_version, "" when none
    texts: int = 0  # texts of the programme this edition shows
    untranslated: int = 0  # of which shown in the data's language for want of a (current) translation
    languages: bool = False  # the edition is a translation: the method says how much of it
    original_name: str = ""  # the data's language, named in the edition's language


@dataclass(frozen=True)
class ReportContext:
    lang: str  # the page's language (BCP 47)
    style: str  # the language of tracker's own words, dates and numbers: `lang` when tracker speaks it, else en
    data_lang: str  # the language the programme's data is written in
    dir: str  # the page's direction: ltr, or rtl for a right-to-left language
    fonts_css: Markup  # the faces each language is drawn in (i18n.fonts), after report.css
    alternates: list[tuple[str, str]]  # (language, file name) of the same edition in the programme's other languages
    as_of: dt.date
    meta: Meta
    theme: Theme
    cover: Cover
    summary: summary.Summary
    changes: whatchanged.WhatChanged
    priorities: list[priorities.PriorityView]
    sources: list[Cited]
    other_sources: list[Cited]  # registered, not cited (numbered 0), each with its evidence
    evidence: bool  # whether the archive knows anything of this programme's sources on the as-of date
    method: Method
    corrections: corrections.Corrections
    draft: bool  # a preview with drafts waiting for review: "DRAFT — not for distribution"
    draft_mark: str


def build(programme: Programme, as_of: dt.date, inputs: EditionInputs, lang: Optional[Language] = None) -> ReportContext:
    """What the edition of `programme` as of `as_of` says, in the language of `lang` (default:
    the data's own language)."""
    lang = lang or Language(programme, programme.language)
    cite = Citations(programme, lang, inputs.evidence)
    accent = programme.accent or DEFAULT_ACCENT
    theme = Theme(accent, colours.darken_to(accent), colours.text_on(accent), colours.tint(accent, 0.08))
    stated = stated_source(programme, as_of)
    stated_in = None
    if stated:
        numbers = cite.cite([stated.id])
        stated_in = StatedIn(cite.describe(stated), numbers)
    title = lang.text(programme, "title")
    cover = Cover(
        title=title,
        summary=lang.text(programme, "summary"),
        owner=lang.text(programme, "owner"),
        as_of=as_of,
        logo=inputs.logo,
        stated_in=stated_in,
        data_file=inputs.data_file,
        revision=inputs.revision,
        previous=inputs.since,
        previous_from=inputs.since_from,
        priorities=len(programme.priorities),
        method_version=programme.method_version,
    )
    found = changes.between(programme, inputs.since, as_of)
    summary_ = summary.build(lang, as_of, found)
    changed = whatchanged.build(lang, inputs.since, inputs.since_from, as_of, found, cite, inputs.since_method)
    corrected = corrections.build(lang, inputs.since, as_of)
    views = [priorities.build(p, lang, as_of, cite, accent) for p in programme.priorities]
    plain_title = " ".join(title.text.split())
    owner = lang.text(programme, "owner")
    summary_text = lang.text(programme, "summary")
    sources = cite.listing()
    other = cite.uncited()
    method = Method([_method_status(lang, s.id) for s in programme.statuses], programme.review_every_days,
                    [MethodReason(r.id, lang.reason(r, "label"), lang.reason(r, "definition"))
                     for r in programme.reasons],
                    programme.method_version)
    draft_mark = lang.words(DRAFT_MARK)
    # Counted once every section has asked for its texts (corrections and reasons included).
    if lang.translated_edition:
        method = replace(method, texts=lang.shown_count(), untranslated=len(lang.untranslated), languages=True,
                         original_name=lang.language_name(lang.data))
    meta_title = lang.words("{title}: progress up to {date}").format(title=plain_title, date=lang.date(as_of))
    return ReportContext(
        lang=lang.page,
        style=lang.style,
        data_lang=lang.data,
        dir="rtl" if lang.rtl else "ltr",
        fonts_css=fonts.css(lang.page) + page_numbers(lang),
        alternates=[(other, f"{edition_stem(programme.id, as_of, other_language(other, programme.primary))}.html")
                    for other in programme.published_in if other != lang.page and lang.page in programme.published_in],
        as_of=as_of,
        meta=Meta(
            title=lang.words("{mark}: {title}").format(mark=draft_mark, title=meta_title) if inputs.drafts
            else meta_title,
            author=owner.text or "tracker",
            description=(" ".join(summary_text.text.split()) if summary_text
                         else lang.words("Progress report on {title}").format(title=plain_title)),
            keywords=[lang.words("progress report"), programme.id, *(p.id for p in programme.priorities)],
            generator=f"tracker {__version__}",
            created=as_of.isoformat(),
        ),
        theme=theme,
        cover=cover,
        summary=summary_,
        changes=changed,
        priorities=views,
        sources=sources,
        other_sources=other,
        evidence=inputs.evidence is not None and not inputs.evidence.empty,
        method=method,
        corrections=corrected,
        draft=inputs.drafts,
        draft_mark=draft_mark,
    )


def page_numbers(lang: Language) -> Markup:
    """The page margin's "Page X of Y" in the edition's language (a CSS rule: WeasyPrint counts)."""
    words = lang.words("Page {page} of {pages}")
    parts = []
    for piece in words.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup("@page { @bottom-right { content: " + " ".join(parts) + "; } }\n")


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


def _method_status(lang: Language, status_id: str) -> MethodStatus:
    status = lang.programme.status(status_id)
    needs = [lang.words(need) for need, on in ((N_("a cited source"), status.needs_source),
                                               (N_("a note saying why"), status.needs_note)) if on]
    definition = lang.status(status, "definition")
    if definition.text and not definition.text.endswith(SENTENCE_ENDS):
        definition = definition.map(definition.text + lang.words("."))
    return MethodStatus(badge(lang, status_id), definition, status.final, lang.words(" and ").join(needs))
