"""Source numbering: every cited source gets one number, in the order a reader first meets it;
and what the archive says about each source on the edition's date (its latest capture, a dead
link and where the archived copy is: tracker/evidence)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from tracker.evidence import state
from tracker.evidence.state import Known
from tracker.model.records import Programme, Source

KIND_LABELS = {
    "official": "official",
    "press": "press",
    "reprint": "reprint or mirror",
    "other": "other",
}


@dataclass(frozen=True)
class EvidenceNote:
    """The state of a source's evidence on the edition's date, in the words the report prints."""

    archived: Optional[str]  # "archived 2026-12-02, SHA-256 1a2b3c4d…": the latest capture
    dead: Optional[str]  # "link dead since 2026-12-09 (archived copy: archive/…warc.gz)"


def evidence_note(known: Optional[Known], programme_id: str, source: Source) -> Optional[EvidenceNote]:
    """What the edition says about `source`'s evidence, or None when the archive knows nothing of it."""
    if known is None:
        return None
    found = known.of(source)
    capture = found.capture
    archived = (f"archived {capture.date.isoformat()}, SHA-256 {capture.payload_sha256[:8]}\u2026"
                if capture else None)
    dead = None
    if found.dead_since is not None:
        copy = f"archived copy: archive/{programme_id}/{capture.file}" if capture else "no archived copy"
        dead = f"link dead since {found.dead_since.isoformat()} ({copy})"
    return EvidenceNote(archived, dead) if archived or dead else None


@dataclass(frozen=True)
class Cited:
    """One line of the report's source list."""

    number: int
    ref: str  # the source id, or the URL when an entry cites a URL directly
    title: str
    publisher: str
    date: str
    kind: str  # a label from KIND_LABELS, or "not stated" for a bare URL
    url: Optional[str]
    evidence: Optional[EvidenceNote] = None

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"


class Citations:
    """Built while the report context is built, section by section, in reading order."""

    def __init__(self, programme: Programme, evidence: Optional[Known] = None) -> None:
        self.programme = programme
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
                out.append(Cited(number, ref, ref, "", "", "not stated", ref,
                                 evidence_note(self.evidence, self.programme.id, checked)))
            else:
                out.append(_cited(number, source, evidence_note(self.evidence, self.programme.id, source)))
        return out

    def uncited(self) -> list[Source]:
        """Registered sources that nothing in this edition cites."""
        return [s for s in self.programme.sources if s.id not in self._numbers]

    def uncited_evidence(self) -> dict[str, EvidenceNote]:
        """The evidence notes of the uncited registered sources that have one, by source id."""
        notes = {s.id: evidence_note(self.evidence, self.programme.id, s) for s in self.uncited()}
        return {sid: note for sid, note in notes.items() if note is not None}


def _cited(number: int, source: Source, evidence: Optional[EvidenceNote]) -> Cited:
    return Cited(number, source.id, source.title, source.publisher, source.date,
                 KIND_LABELS.get(source.kind, source.kind), source.url, evidence)
