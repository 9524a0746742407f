"""Small display records shared by the report's sections: status badges, trends, citations."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from tracker.digest import changes
from tracker.model.records import Programme
from tracker.report.content import colours

NO_ENTRY = "No entry yet"


@dataclass(frozen=True)
class Badge:
    """A status shown as its label on its colour; the label always carries the meaning."""

    status: str  # status id, or "" when there is no entry yet
    label: str
    background: str
    foreground: str

    @property
    def style(self) -> str:
        return f"background-color: {self.background}; color: {self.foreground}"


def badge(programme: Programme, status_id: Optional[str]) -> Badge:
    if status_id is None:
        return Badge("", NO_ENTRY, "#5b616b", colours.WHITE)
    status = programme.status(status_id)
    return Badge(status.id, status.label, status.colour, colours.text_on(status.colour))


@dataclass(frozen=True)
class Trend:
    key: str  # improved / worsened / unchanged / changed / new
    label: str
    symbol: str  # a shape as well as a word: never colour alone


TRENDS = {
    changes.IMPROVED: Trend(changes.IMPROVED, "improved", "\u25b2"),
    changes.WORSENED: Trend(changes.WORSENED, "worsened", "\u25bc"),
    changes.UNCHANGED: Trend(changes.UNCHANGED, "unchanged", "="),
    changes.CHANGED: Trend(changes.CHANGED, "changed", "\u2194"),
    changes.NEW: Trend(changes.NEW, "new", "\u2605"),
}

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d)]?\s+(?=[A-Z0-9\"'\u201c(])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "No.", "Sept.", "Jan.", "Feb.", "Mar.", "Apr.",
                  "Jun.", "Jul.", "Aug.", "Oct.", "Nov.", "Dec.", "Mr.", "Ms.", "Dr.", "St.")


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a note (whitespace folded), cut at `limit` characters."""
    text = " ".join(text.split())
    for match in _SENTENCE_END.finditer(text):
        head = text[: match.end()].rstrip()
        if not head.endswith(_ABBREVIATIONS):
            text = head
            break
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return text
