"""Never tofu: every character about to be drawn has a glyph in the font that will draw it.

For each text and its language, the check walks the language's font stack (`fonts.stack`) as
Pango does: the first family whose font has the character draws it. A character none of them
has is drawn by whatever installed font fontconfig finds for it; when there is none, the PDF
would show an empty box (.notdef), which PDF/A forbids. Such a character is a `Problem` at
the text's place in its file: `PATH:LINE:COL: FIELD: no installed font has a glyph for 'X'
(U+XXXX); ...` and what to install.

Fonts are found the way WeasyPrint finds them, through fontconfig (`fc-list`, read once per
process), and their character maps read with fontTools (which WeasyPrint depends on), once per
font file and face. Checking a whole programme costs a few milliseconds, plus about 0.3 s the
first time a CJK face is needed.
"""
from __future__ import annotations

import array
import hashlib
import logging
import os
import shutil
import tempfile
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from tracker.errors import Problem
from tracker.i18n import fonts

log = logging.getLogger(__name__)

REGULAR, ROMAN, NORMAL_WIDTH = 80, 0, 100  # fontconfig's weight, slant and width of a regular face
_SKIPPED_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")


@dataclass(frozen=True)
class Face:
    family: str
    file: str
    index: int


@dataclass(frozen=True)
class Located:
    """A text about to be drawn, and where a reader of the files finds it."""

    path: str
    line: int
    column: int
    field: str
    text: str
    lang: str


class FontconfigMissing(Exception):
    """fc-list is not installed: fonts cannot be looked up."""


@lru_cache(maxsize=1)
def installed_faces() -> dict[str, Face]:
    """The regular (upright, normal width, weight nearest 400) face of every installed family,
    by lower-cased family name, as fontconfig lists them."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise FontconfigMissing("fc-list not found: install fontconfig (Debian: fontconfig)")
    listing = subprocess.run(
        [fc_list, "--format", "%{family}|%{weight}|%{slant}|%{width}|%{index}|%{file}\n"],
        capture_output=True, text=True, check=False, timeout=60).stdout
    best: dict[str, tuple[tuple[int, int, int, str], Face]] = {}
    for line in listing.splitlines():
        parts = line.split("|", 5)
        if len(parts) != 6:
            continue
        families, weight, slant, width, index, path = parts
        try:
            score = (abs(_number(slant) - ROMAN), abs(_number(width) - NORMAL_WIDTH),
                     abs(_number(weight) - REGULAR), path)
            face_index = int(index or 0)
        except ValueError:
            continue
        for name in families.split(","):
            key = name.strip().lower()
            if key and (key not in best or score < best[key][0]):
                best[key] = (score, Face(name.strip(), path, face_index))
    return {key: face for key, (_, face) in best.items()}


def _number(text: str) -> int:
    """fontconfig prints a range for variable fonts ("[40 210]"): its lower end will do."""
    return int(float(text.strip("[]").split()[0])) if text.strip("[] ") else 0


@lru_cache(maxsize=64)
def characters(face: Face) -> frozenset[int]:
    """The code points `face` has a glyph for (its best Unicode character map).

    Reading a CJK face's map takes fontTools about 0.3 s; the code points are kept in the
    user's temporary folder, named by the font file's path, face, size and modification time
    (an upgraded font is read again), so later runs read them in about a millisecond."""
    cache = _cache_file(face)
    if cache is not None:
        try:
            codes = array.array("I")
            codes.frombytes(cache.read_bytes())
            return frozenset(codes)
        except (OSError, ValueError):
            pass
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(face.file, fontNumber=face.index, lazy=True)
        cmap = font.getBestCmap() or {}
        font.close()
    except Exception as error:  # noqa: BLE001 - a broken font file covers nothing
        log.warning("cannot read the character map of %s (%s): %s", face.family, face.file, error)
        return frozenset()
    if cache is not None:
        _store(cache, array.array("I", sorted(cmap)).tobytes())
    return frozenset(cmap)


def _cache_file(face: Face) -> Optional[Path]:
    try:
        stat = os.stat(face.file)
    except OSError:
        return None
    key = hashlib.sha256(f"{face.file}\0{face.index}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    return Path(tempfile.gettempdir()) / f"tracker-cmaps-{os.getuid()}" / f"{key}.bin"


def _store(path: Path, data: bytes) -> None:
    """Write the cache file atomically; a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass


def face_of(family: str) -> Optional[Face]:
    return installed_faces().get(family.lower())


@lru_cache(maxsize=4096)
def drawn_by(code: int, lang: str) -> Optional[str]:
    """The family of `lang`'s stack that draws the character `code`, or None."""
    for family in fonts.stack(lang):
        face = face_of(family)
        if face is not None and code in characters(face):
            return family
    return None


@lru_cache(maxsize=1024)
def any_font_has(code: int) -> bool:
    """Whether any installed font has the character (fontconfig's own fallback would draw it)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, f":charset={code:x}", "file"], capture_output=True, text=True,
                           check=False, timeout=60).stdout
    return any(line.strip() for line in found.splitlines())


def drawable(char: str) -> bool:
    """Whether a character is drawn as a glyph at all (controls, format characters such as
    bidi marks and joiners, variation selectors and line separators are not)."""
    code = ord(char)
    if char == " " or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False
    return unicodedata.category(char) not in _SKIPPED_CATEGORIES


def missing(text: str, lang: str) -> list[str]:
    """The characters of `text` (each once, in order) that no installed font can draw."""
    out: list[str] = []
    for char in dict.fromkeys(text):
        if drawable(char) and drawn_by(ord(char), lang) is None and not any_font_has(ord(char)):
            out.append(char)
    return out


def what_to_install(char: str) -> str:
    code = ord(char)
    if (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3134F):
        package = "fonts-noto-cjk"
    elif 0x1F000 <= code <= 0x1FAFF:
        package = "fonts-noto-color-emoji"
    elif 0xE000 <= code <= 0xF8FF or 0xF0000 <= code:
        return "a private-use character: install the font it was made for, or write the text without it"
    else:
        package = "fonts-noto-core or fonts-noto-extra"
    return f"install a font that has it (on Debian: {package}), or write the text without it"


def message(char: str) -> str:
    shown = char if unicodedata.category(char)[0] not in "MZ" else f"\u25cc{char}"
    return f"no installed font has a glyph for '{shown}' (U+{ord(char):04X}); {what_to_install(char)}"


def check(texts: Iterable[Located]) -> list[Problem]:
    """A problem for each character of each text that no installed font can draw."""
    return [Problem(t.path, t.line, t.column, t.field, message(char))
            for t in texts for char in missing(t.text, t.lang)]


def ready() -> Optional[str]:
    """None when fonts can be looked up here; else why not (a message for the user)."""
    try:
        installed_faces()
    except (FontconfigMissing, OSError, subprocess.SubprocessError) as error:
        return str(error)
    return None


__all__ = ["Face", "FontconfigMissing", "Located", "check", "drawn_by", "installed_faces", "missing", "ready"]


