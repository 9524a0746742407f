"""The font faces a report names for each language, and the CSS that names them.

Faces are chosen on purpose, never left to fontconfig's fallback: CJK text is drawn in the
Noto Sans CJK face of its language (Simplified Chinese in SC, Traditional in TC, Hong Kong
Chinese in HK, Japanese in JP, Korean in KR), because the same code point has different
shapes in each and a `lang` attribute alone does not pick the face in WeasyPrint. Latin,
Greek and Cyrillic stay in the Latin face (DejaVu Sans) in every language: it comes first in
the CJK stacks, so a CJK font's own Latin letters are never used. Arabic, Hebrew, Devanagari
and Thai text is drawn in its Noto Sans face, which holds no Latin letters: those fall through
to the Latin face. The same table drives the glyph check (`glyphs`), so what is checked is
what is drawn.

Scripts without italics (CJK, Arabic, Hebrew, Devanagari, Thai) are never slanted: a slanted
CJK or Arabic glyph is a synthetic oblique that garbles joined letters or costs a font copy.
"""
from __future__ import annotations

from markupsafe import Markup

from tracker.i18n.scripts import base

LATIN_FACE = "DejaVu Sans"
MONO_FACE = "DejaVu Sans Mono"
CJK = {"SC": "Noto Sans CJK SC", "TC": "Noto Sans CJK TC", "HK": "Noto Sans CJK HK",
       "JP": "Noto Sans CJK JP", "KR": "Noto Sans CJK KR"}
SCRIPT_FACES = ("Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai")

#: CSS :lang() ranges -> the face that comes first for them (before or after the Latin face).
#: Later rules win over earlier ones (zh-Hant after zh), as in the generated CSS.
_LEADING: tuple[tuple[tuple[str, ...], str], ...] = (  # script faces without Latin letters: first, so digits and punctuation match the script
    (("ar", "fa", "ur", "ps", "ug", "sd", "ckb"), "Noto Sans Arabic"),
    (("he", "yi"), "Noto Sans Hebrew"),
    (("hi", "mr", "ne", "sa"), "Noto Sans Devanagari"),
    (("th",), "Noto Sans Thai"),
)
_CJK_RANGES: tuple[tuple[tuple[str, ...], str], ...] = (  # CJK faces: after the Latin face, so Latin letters stay Latin
    (("zh", "zh-Hans"), CJK["SC"]),
    (("zh-Hant", "zh-TW", "zh-MO"), CJK["TC"]),
    (("zh-HK", "zh-Hant-HK"), CJK["HK"]),
    (("ja",), CJK["JP"]),
    (("ko",), CJK["KR"]),
)
#: Languages whose script has no italic (CJK, Arabic script, Hebrew, Devanagari, Thai).
NO_ITALIC = ("zh", "ja", "ko", "ar", "fa", "ur", "ps", "ug", "sd", "ckb", "he", "yi", "hi", "mr", "ne", "sa", "th")


def stack(lang: str) -> tuple[str, ...]:
    """The families text in `lang` is drawn with, in order (the generic family excluded)."""
    first, cjk = None, CJK["SC"]
    for ranges, face in _LEADING:
        if any(_matches(lang, r) for r in ranges):
            first = face
    for ranges, face in _CJK_RANGES:
        if any(_matches(lang, r) for r in ranges):
            cjk = face
    rest = [LATIN_FACE, *SCRIPT_FACES, cjk]
    if first:
        rest.remove(first)
        rest.insert(0, first)
    return tuple(dict.fromkeys(rest))


def _matches(lang: str, range_: str) -> bool:
    """CSS :lang() matching: equal, or a prefix followed by a hyphen (case-insensitive)."""
    lang, range_ = lang.lower(), range_.lower()
    return lang == range_ or lang.startswith(range_ + "-")


def family(lang: str, generic: str = "sans-serif") -> str:
    """The CSS font-family value for `lang`."""
    return ", ".join([*(f'"{face}"' for face in stack(lang)), generic])


def svg_family(lang: str) -> str:
    """The same, for an SVG font-family attribute: names unquoted and no space after the commas
    (WeasyPrint's SVG text splits the attribute on commas and strips only quotes)."""
    return ",".join([*stack(lang), "sans-serif"])


def css(page_lang: str) -> Markup:
    """The font rules of a report whose page is in `page_lang`, placed after report.css: the
    page's stack on the body and the page margins (running header, "Page X of Y"), one rule per
    language range for elements that carry a `lang`, and no slant for scripts without italics."""
    rules = [f"body {{ font-family: {family(page_lang)}; }}",
             f"@page {{ font-family: {family(page_lang)}; }}",
             f".file, .revision {{ font-family: \"{MONO_FACE}\", {family(page_lang, 'monospace')}; }}",
             f"[lang]:lang(en) {{ font-family: {family('en')}; }}"]
    for ranges, _ in (*_LEADING, *_CJK_RANGES):
        selector = ", ".join(f"[lang]:lang({r})" for r in ranges)
        rules.append(f"{selector} {{ font-family: {family(ranges[0])}; }}")
    no_italic = ", ".join(f":lang({lang})" for lang in NO_ITALIC)
    rules.append(f"{no_italic} {{ font-style: normal; }}")
    return Markup("\n".join(rules) + "\n")


def has_italic(lang: str) -> bool:
    return base(lang) not in NO_ITALIC
