"""Reading a PDF as a reader's viewer draws it: which characters have no glyph in their font.

pdftotext is no help here: it reads the ToUnicode map, which names a character even when the
font drawing it has no glyph for it and the page shows an empty box. WeasyPrint writes such a
character with a glyph id past the end of the embedded font (`get_unused_glyph_id`), or glyph 0
(.notdef). So a character is missing when its code in the ToUnicode map is 0 or not below the
embedded font's own glyph count (its `maxp` table, read with fontTools).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _to_unicode(data: bytes) -> dict[int, str]:
    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            out[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[code] = chr(first + offset)
    return out


def embedded_fonts(path: Path) -> dict[str, tuple[int, dict[int, str]]]:
    """{font name: (glyphs in the embedded font, ToUnicode map)} of every font the pages use."""
    reader = PdfReader(path)
    found: dict[str, tuple[int, dict[int, str]]] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font", {}) if resources else {}
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            if name in found or "/DescendantFonts" not in font:
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            key = next(k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
            data = descriptor[key].get_object().get_data()
            glyphs = TTFont(io.BytesIO(data))["maxp"].numGlyphs if data[:4] != b"\x01\x00\x04\x02" else _cff_glyphs(data)
            found[name] = (glyphs, _to_unicode(font["/ToUnicode"].get_object().get_data()))
    return found


def _cff_glyphs(data: bytes) -> int:
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return len(cff[cff.fontNames[0]].charset)


def missing_glyphs(path: Path) -> dict[str, list[str]]:
    """{font name: characters it draws without a glyph} (empty when every character has one)."""
    out = {}
    for name, (count, to_unicode) in embedded_fonts(path).items():
        bad = [text for code, text in sorted(to_unicode.items()) if code == 0 or code >= count]
        if bad:
            out[name] = bad
    return out
