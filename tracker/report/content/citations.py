"""Source numbering: every cited source gets one number, in the order a reader first meets it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from tracker.model.records import Programme, Source

KIND_LABELS = {
    "official": "official",
    "press": "press",
    "reprint": "reprint or mirror",
    "other": "other",
}


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

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"


class Citations:
    """Built while the report context is built, section by section, in reading order."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
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
                out.append(Cited(number, ref, ref, "", "", "not stated", ref))
            else:
                out.append(_cited(number, source))
        return out

    def uncited(self) -> list[Source]:
        """Registered sources that nothing in this edition cites."""
        return [s for s in self.programme.sources if s.id not in self._numbers]


def _cited(number: int, source: Source) -> Cited:
    return Cited(number, source.id, source.title, source.publisher, source.date,
                 KIND_LABELS.get(source.kind, source.kind), source.url)
