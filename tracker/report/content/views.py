"""Small display records shared by the report's sections: status badges, trends, citations."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from tracker.digest import changes
from tracker.report.content import colours
from tracker.report.content.language import Language, Shown



def N_(message: str) -> str:
    """Marks one of tracker's own words for translation where it is defined; translated where shown."""
    return message


NO_ENTRY = N_("No entry yet")


@dataclass(frozen=True)
class Badge:
    """A status shown as its label on its colour; the label always carries the meaning."""

    status: str  # status id, or "" when there is no entry yet
    label: Shown
    background: str
    foreground: str

    @property
    def style(self) -> str:
        return f"background-color: {self.background}; color: {self.foreground}"


def badge(lang: Language, status_id: Optional[str]) -> Badge:
    if status_id is None:
        return Badge("", lang.page_text(lang.words(NO_ENTRY)), "#5b616b", colours.WHITE)
    status = lang.programme.status(status_id)
    return Badge(status.id, lang.status(status, "label"), status.colour, colours.text_on(status.colour))


@dataclass(frozen=True)
class Trend:
    key: str  # improved / worsened / unchanged / changed / new
    label: str
    symbol: str  # a shape as well as a word: never colour alone


TRENDS = {
    changes.IMPROVED: Trend(changes.IMPROVED, N_("improved"), "\u25b2"),
    changes.WORSENED: Trend(changes.WORSENED, N_("worsened"), "\u25bc"),
    changes.UNCHANGED: Trend(changes.UNCHANGED, N_("unchanged"), "="),
    changes.CHANGED: Trend(changes.CHANGED, N_("changed"), "\u2194"),
    changes.NEW: Trend(changes.NEW, N_("new"), "\u2605"),
}


def trend(lang: Language, key: str) -> Trend:
    """The trend `key` in the page's language."""
    known = TRENDS[key]
    return Trend(known.key, lang.words(known.label), known.symbol)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d)]?\s+(?=[A-Z0-9\"'\u201c(])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "No.", "Sept.", "Jan.", "Feb.", "Mar.", "Apr.",
                  "Jun.", "Jul.", "Aug.", "Oct.", "Nov.", "Dec.", "Mr.", "Ms.", "Dr.", "St.")


_FULL_STOP = re.compile(r"(?<=[\u3002\uff01\uff1f])")  # 。！？ end a CJK sentence, no space after


def first_sentence(text: str, limit: int = 240) -> str:
    """The first sentence of a note (whitespace folded), cut at `limit` characters."""
    text = " ".join(text.split())
    cjk = _FULL_STOP.search(text[:-1]) if len(text) > 1 else None
    if cjk is not None:
        text = text[: cjk.start()]
    for match in _SENTENCE_END.finditer(text):
        head = text[: match.end()].rstrip()
        if not head.endswith(_ABBREVIATIONS):
            text = head
            break
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"
    return text
