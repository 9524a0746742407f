"""The value types a programme file may hold: each checks a value and describes itself as JSON Schema.

`check` returns the Python value or raises `Bad` with a message for the user.
"""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass
from typing import Any, Optional

from tracker.errors import BadValue as Bad  # the name every field type raises

# Patterns are written ^...$ so that the JSON Schema can print them (ECMAScript's `$` is the end
# of the string), but always applied with `fullmatch`: Python's `$` also matches before a final
# line break, so `match` would take "x\n" for the id "x".
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATUS_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
PARTIAL_DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$", re.ASCII)
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
DATED_REF_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:#[1-9]\d{0,5})?$", re.ASCII)
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# What the JSON Schema says of text (ECMAScript patterns; `bad_character` is the full rule).
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]*$"
LINE_PATTERN = r"^[^\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff]*$"
MAX_SLUG = 64
#: The largest magnitude a number in a programme may have: far beyond any count, amount or
#: percentage, and far enough inside the range of floating-point numbers (about 1.8e308) that
#: nothing computed from such values (differences, progress, chart scales) can overflow.
MAX_NUMBER = 10**100


def describe(value: Any) -> str:
    """How a wrong value is named in a message."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**60:
        return f"a whole number of {int(math.log10(abs(value))) + 1} digits"  # str() refuses over 4,300
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


#: Line breaks that end a line of text (YAML turns CR and CRLF into "\n" before we see them).
LINE_BREAKS = frozenset("\n\u2028\u2029")


def bad_character(text: str, *, lines: bool = False) -> Optional[str]:
    """What is wrong with the first character of `text` that is not text, or None.

    Refused: control characters (C0 and C1, DEL) except tab, and line breaks unless `lines`;
    lone surrogates (half of a UTF-16 pair, or a byte that was not UTF-8 decoded with
    surrogateescape); and Unicode's non-characters (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF). None of
    them is text anyone writes; each can break what is made from it (XML, email headers,
    terminals, PDF text).
    """
    for index, ch in enumerate(text):
        code = ord(ch)
        if ch == "\t" or (lines and ch in LINE_BREAKS):
            continue
        where = f"U+{code:04X} at character {index + 1}"
        if ch in LINE_BREAKS:
            return f"a line break ({where}) is not allowed here: this is one line of text"
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"a control character ({where}) is not allowed; only tab{' and line breaks' if lines else ''}"
        if 0xD800 <= code <= 0xDFFF:
            return (f"a lone surrogate ({where}) is not a character (text that was not valid UTF-8, "
                    "or half of a UTF-16 pair)")
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            return f"a Unicode non-character ({where}) is not allowed in text"
    return None


def check_characters(text: str, *, lines: bool = False) -> None:
    """Raise `Bad` when `text` holds a character that is not text (see `bad_character`)."""
    problem = bad_character(text, lines=lines)
    if problem is not None:
        raise Bad(problem)


def parse_date(value: Any) -> dt.date:
    """A real calendar date written YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Bad(f"expected a real date written YYYY-MM-DD but got {describe(value)}")


class Type:
    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Type):
    """A non-empty line (`lines` False) or paragraph of text."""

    max_length: int = 20_000
    lines: bool = True

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise Bad(f"expected text but got {describe(value)}")
        check_characters(value.strip(), lines=self.lines)
        if not value.strip():
            raise Bad("expected text but got an empty string")
        if len(value) > self.max_length:
            raise Bad(f"text is longer than {self.max_length} characters")
        return value.strip()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length,
                "pattern": TEXT_PATTERN if self.lines else LINE_PATTERN}


@dataclass(frozen=True)
class Slug(Type):
    """An id used in file names and references: lowercase letters, digits and hyphens."""

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or not SLUG_RE.fullmatch(value) or len(value) > MAX_SLUG:
            raise Bad(
                "expected an id of lowercase letters, digits and single hyphens "
                f"(at most {MAX_SLUG} characters) but got {describe(value)}"
            )
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": SLUG_RE.pattern, "maxLength": MAX_SLUG}


@dataclass(frozen=True)
class StatusId(Type):
    """A status id (or a reason id: `what`): lowercase letters, digits and underscores."""

    what: str = "status"

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or not STATUS_ID_RE.fullmatch(value) or len(value) > MAX_SLUG:
            raise Bad(f"expected a {self.what} id (lowercase letters, digits, underscores) but got {describe(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": STATUS_ID_RE.pattern}


@dataclass(frozen=True)
class Date(Type):
    def check(self, value: Any) -> dt.date:
        return parse_date(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_RE.pattern}


@dataclass(frozen=True)
class DatedRef(Type):
    """The record of a date that a correction names: YYYY-MM-DD, or YYYY-MM-DD#N for the Nth of that date."""

    def check(self, value: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and DATED_REF_RE.fullmatch(value):
            try:
                dt.date.fromisoformat(value[:10])
                return value
            except ValueError:
                pass
        raise Bad(f"expected a real date written YYYY-MM-DD, or YYYY-MM-DD#N for the Nth record of "
                  f"that date, but got {describe(value)}")

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": DATED_REF_RE.pattern}


@dataclass(frozen=True)
class PartialDate(Type):
    """A year, a month or a day: 2023, 2023-10 or 2023-10-10 (for when a source is dated loosely)."""

    def check(self, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return str(value)
        if isinstance(value, str) and PARTIAL_DATE_RE.fullmatch(value):
            padded = (value + "-01-01")[:10] if len(value) < 10 else value
            try:
                dt.date.fromisoformat(padded)
                return value
            except ValueError:
                pass
        raise Bad(f"expected a date written YYYY, YYYY-MM or YYYY-MM-DD but got {describe(value)}")

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "integer"], "pattern": PARTIAL_DATE_RE.pattern}


@dataclass(frozen=True)
class Number(Type):
    minimum: float | None = None

    def check(self, value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise Bad(f"expected a number but got {describe(value)}")
        if value in (float("inf"), float("-inf")):
            raise Bad("number too large: beyond the range of numbers (such as 1e400); "
                      "expected a number from -1e100 to 1e100")
        if abs(value) > MAX_NUMBER:
            raise Bad(f"number too large: expected a number from -1e100 to 1e100 but got {describe(value)}")
        if self.minimum is not None and value < self.minimum:
            raise Bad(f"expected a number of at least {self.minimum:g} but got {value}")
        return value

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


@dataclass(frozen=True)
class Integer(Type):
    minimum: int = 1
    maximum: int = 100_000

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Bad(f"expected a whole number but got {describe(value)}")
        if not self.minimum <= value <= self.maximum:
            raise Bad(f"expected a whole number from {self.minimum} to {self.maximum} but got {describe(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Boolean(Type):
    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise Bad(f"expected true or false but got {describe(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(Type):
    choices: tuple[str, ...]

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.choices:
            hint = did_you_mean(value, list(self.choices)) if isinstance(value, str) else ""
            raise Bad(f"expected one of {', '.join(self.choices)} but got {describe(value)}{hint}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


LANGUAGE_TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$", re.ASCII)


def canonical_tag(tag: str) -> str:
    """A tag in the registry's case: ZH_hans -> zh-Hans, en-gb -> en-GB."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3) and (part.isalpha() or part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


def known_language(tag: str) -> bool:
    """Whether CLDR (Babel's data) knows the tag's language, so its dates and numbers can be written."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
        return True
    except (UnknownLocaleError, ValueError):
        return False


@dataclass(frozen=True)
class LanguageTag(Type):
    """A BCP 47 language tag: language[-Script][-REGION] (en, fr, pt-BR, zh-Hans, zh-Hant-TW),
    written as the registry writes it, whose language CLDR knows (dates and numbers need it)."""

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise Bad(f"expected a language tag such as en or zh-Hans but got {describe(value)}")
        if not LANGUAGE_TAG_RE.fullmatch(value):
            fixed = canonical_tag(value)
            hint = f"; did you mean {fixed!r}?" if LANGUAGE_TAG_RE.fullmatch(fixed) and fixed != value else ""
            raise Bad(f"expected a BCP 47 language tag such as en, pt-BR or zh-Hans but got {describe(value)}{hint}")
        if not known_language(value):
            raise Bad(f"unknown language {value!r}: expected a language with CLDR data, such as en, fr, ar or zh-Hans")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": LANGUAGE_TAG_RE.pattern}


@dataclass(frozen=True)
class Url(Type):
    def check(self, value: Any) -> str:
        if isinstance(value, str):
            check_characters(value)
        if not isinstance(value, str) or not URL_RE.fullmatch(value) or len(value) > 2000:
            raise Bad(f"expected an http:// or https:// URL but got {describe(value)}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://"}


@dataclass(frozen=True)
class SourceRef(Type):
    """A source: the id of an entry in the programme's `sources`, or a URL."""

    def check(self, value: Any) -> str:
        if isinstance(value, str):
            check_characters(value)
        if isinstance(value, str) and (SLUG_RE.fullmatch(value) or URL_RE.fullmatch(value)) and len(value) <= 2000:
            return value
        raise Bad(f"expected a source id or an http(s) URL but got {describe(value)}")

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "anyOf": [{"pattern": SLUG_RE.pattern}, {"pattern": "^https?://"}]}


@dataclass(frozen=True)
class Colour(Type):
    def check(self, value: Any) -> str:
        if not isinstance(value, str) or not COLOUR_RE.fullmatch(value):
            raise Bad(f"expected a colour written #rrggbb but got {describe(value)}")
        return value.lower()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": COLOUR_RE.pattern}


@dataclass(frozen=True)
class RelativePath(Type):
    """A file inside the workspace, written relative to it (checked again when used)."""

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or not value or value.startswith(("/", "\\")) or ".." in value.split("/") or "\\" in value or ":" in value:
            raise Bad(f"expected a path inside the workspace, such as assets/logo.svg, but got {describe(value)}")
        check_characters(value)
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^(?!/)(?!.*\.\.)[^\\:]+$"}


@dataclass(frozen=True)
class Label(Type):
    """Free text that looks like a number (a version such as 2026.10), which must be quoted: YAML
    reads `2026.10` unquoted as the number 2026.1, and the text written is gone by then."""

    max_length: int = 200

    def check(self, value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise Bad(f"expected text but got the number {value!r}: YAML reads a version written without quotes "
                      "as a number (2026.10 as 2026.1); write it in quotes, e.g. \"2026.10\"")
        return Text(self.max_length).check(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.max_length}


@dataclass(frozen=True)
class Said(Type):
    """What a corrected field said or says: a text, a number, or a list of texts (sources)."""

    def check(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            check_characters(value.strip(), lines=True)
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Number().check(value)
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            for item in value:
                check_characters(item.strip())
            return [v.strip() for v in value]
        raise Bad(f"expected a text, a number or a list of texts but got {describe(value)}")

    def schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"},
                          {"type": "array", "items": {"type": "string", "minLength": 1}}]}
