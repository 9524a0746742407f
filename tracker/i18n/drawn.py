"""What an edition will draw, located in the files it comes from, for the glyph check.

Each text of the programme as the edition shows it: translated (located in the PO file, at its
msgstr) or original (located in the programme file), with the language it is drawn in.
"""
from __future__ import annotations

from typing import Callable, Iterable, Optional

from tracker.errors import InvalidData, Problem
from tracker.i18n import glyphs, texts
from tracker.i18n.scripts import language_of
from tracker.model.records import Programme

#: (context, original) -> (translation, language, path, line) of a translation shown instead of it
Translated = Callable[[str, str], Optional[tuple[str, str, str, int]]]


def located(programme: Programme, translated: Optional[Translated] = None) -> list[glyphs.Located]:
    """Every text the edition draws, with where it is written and the language it is drawn in."""
    doc = programme.origin
    assert doc is not None, "a programme built by validation carries its origin"
    out = []
    for text in [*texts.walk(programme), *texts.replaced(programme), *texts.urls(programme)]:
        found = translated(text.context, text.text) if translated is not None else None
        if found is not None:
            words, lang, path, line = found
            out.append(glyphs.Located(path, line, 1, text.context, words, lang))
            continue
        line, column = doc.where(text.at)
        out.append(glyphs.Located(doc.display, line, column, text.field, text.text,
                                  language_of(text.text, programme.language)))
    return out


def problems(programme: Programme, translated: Optional[Translated] = None) -> list[Problem]:
    """The characters of the edition no installed font can draw (empty when fontconfig is missing
    from this machine: `ready` says why)."""
    if glyphs.ready() is not None:
        return []
    return glyphs.check(located(programme, translated))


def check(programme: Programme, translated: Optional[Translated] = None) -> None:
    """Stop before a PDF is written with a character no installed font can draw (or without fontconfig)."""
    why = glyphs.ready()
    if why is not None:
        from tracker.errors import RenderError

        raise RenderError(f"cannot check the fonts of the PDF: {why}")
    found = problems(programme, translated)
    if found:
        raise InvalidData(found)


def warnings(ws: object, programmes: list[Programme]) -> list[str]:
    """What `tracker validate` warns about: each character of each programme (and of its
    translations) that no installed font can draw, as PATH:LINE:COL: FIELD: MESSAGE lines."""
    why = glyphs.ready()
    if why is not None:
        return [f"warning: cannot check that every character has a glyph: {why}"]
    from tracker.i18n import po

    out: list[Problem] = []
    for programme in programmes:
        out.extend(problems(programme))
        for lang in programme.published_in:
            if lang == programme.language:
                continue
            try:
                found = po.read(po.po_path(programme, lang), ws.root)  # type: ignore[attr-defined]
            except InvalidData as bad:
                out.extend(bad.problems)
                continue
            for text in texts.walk(programme):
                entry = found.get(text.context, text.text)
                if entry is not None:
                    located = glyphs.Located(found.display, entry.line, 1, text.context, entry.translation,
                                             language_of(entry.translation, lang))
                    out.extend(glyphs.check([located]))
    return [str(p) for p in sorted(set(out))]
