"""Source numbering: every cited source gets one number, in the order a reader first meets it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

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
class Cited:
    """One line of the report's source list."""

    number: int  # 0 for a registered source this edition does not cite
    ref: str  # the source id, or the URL when an entry cites a URL directly
    title: Shown
    publisher: Shown
    date: str
    kind: str  # a label from KIND_LABELS, or "not stated" for a bare URL
    url: Optional[str]

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"

    @property
    def id(self) -> str:
        return self.ref


class Citations:
    """Built while the report context is built, section by section, in reading order."""

    def __init__(self, programme: Programme, lang: Optional[Language] = None) -> None:
        self.programme = programme
        self.lang = lang or Language(programme, programme.language)
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
            if source is None:  # a URL cited directly
                out.append(Cited(number, ref, self.lang.original(ref), self.lang.original(""), "",
                                 self.lang.words("not stated"), ref))
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
                     source.url)

