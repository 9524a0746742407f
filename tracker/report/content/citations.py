"""Source numbering: every cited source gets one number, in the order a reader first meets it;
and what the archive says about each source on the edition's date (its latest capture, a dead
link and where the archived copy is: tracker/evidence)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from tracker.evidence import state
from tracker.evidence.state import Known
from tracker.model.records import Programme, Source
from tracker.report.content.language import Language, Shown


def N_(message: str) -> str:
    return message


KIND_LABELS = {
    "official": N_("official"),
    "press": N_("press"),
    "reprint": N_("reprint or mirror"),
    "other": N_("other"),
}


@dataclass(frozen=True)
class EvidenceNote:
    """The state of a source's evidence on the edition's date, in the words the report prints."""

    archived: Optional[str]  # "archived 2026-12-02, SHA-256 1a2b3c4d…": the latest capture
    dead: Optional[str]  # "link dead since 2026-12-09 (archived copy: archive/…warc.gz)"


def evidence_note(known: Optional[Known], programme_id: str, source: Source,
                  lang: Language) -> Optional[EvidenceNote]:
    """What the edition says about `source`'s evidence, in the page's language (dates as it writes
    them), or None when the archive knows nothing of it."""
    if known is None:
        return None
    found = known.of(source)
    capture = found.capture
    archived = (lang.words("archived {date}, SHA-256 {digest}").format(
        date=lang.date(capture.date), digest=capture.payload_sha256[:8] + "\u2026") if capture else None)
    dead = None
    if found.dead_since is not None:
        copy = (lang.words("archived copy: {file}").format(file=f"archive/{programme_id}/{capture.file}")
                if capture else lang.words("no archived copy"))
        dead = lang.words("link dead since {date} ({copy})").format(date=lang.date(found.dead_since), copy=copy)
    return EvidenceNote(archived, dead) if archived or dead else None


@dataclass(frozen=True)
class Cited:
    """One line of the report's source list."""

    number: int  # 0 for a registered source this edition does not cite
    ref: str  # the source id, or the URL when an entry cites a URL directly
    title: Shown
    publisher: Shown
    date: str
    kind: str  # a label from KIND_LABELS, or "not stated" for a bare URL
    url: Optional[str]
    evidence: Optional[EvidenceNote] = None

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"

    @property
    def id(self) -> str:
        return self.ref


class Citations:
    """Built while the report context is built, section by section, in reading order."""

    def __init__(self, programme: Programme, lang: Optional[Language] = None,
                 evidence: Optional[Known] = None) -> None:
        self.programme = programme
        self.lang = lang or Language(programme, programme.language)
        self.evidence = evidence
        self._numbers: dict[str, int] = {}

    def cite(self, refs: Iterable[Optional[str]]) -> tuple[int, ...]:
        """Numbers for these references (sorted, each once), numbering the new ones."""
        numbers = set()
        for ref in refs:
            if not ref:
                continue
            if ref not in self._numbers:
                self._numbers[ref] = len(self._numbers) + 1
            numbers.add(self._numbers[ref])
        return tuple(sorted(numbers))

    def listing(self) -> list[Cited]:
        out = []
        for ref, number in self._numbers.items():
            source = self.programme.source(ref)
            if source is None:  # a URL cited directly: checked and archived as a source of its own
                checked = next((s for s in self.programme.sources if s.url == ref), None) \
                    or Source(state.url_source_id(ref), ref, url=ref)
                out.append(Cited(number, ref, self.lang.original(ref), self.lang.original(""), "",
                                 self.lang.words("not stated"), ref,
                                 evidence_note(self.evidence, self.programme.id, checked, self.lang)))
            else:
                out.append(self._cited(number, source))
        return out

    def describe(self, source: Source) -> Cited:
        """A registered source as a line of the list (numbered when cited)."""
        return self._cited(self._numbers.get(source.id, 0), source)

    def uncited(self) -> list[Cited]:
        """Registered sources that nothing in this edition cites (numbered 0)."""
        return [self._cited(0, s) for s in self.programme.sources if s.id not in self._numbers]

    def _cited(self, number: int, source: Source) -> Cited:
        lang = self.lang
        return Cited(number, source.id, lang.text(source, "title"), lang.text(source, "publisher"),
                     lang.partial_date(source.date), lang.words(KIND_LABELS.get(source.kind, source.kind)),
                     source.url, evidence_note(self.evidence, self.programme.id, source, lang))
