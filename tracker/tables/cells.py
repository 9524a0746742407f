"""Cell text that is safe to open in a spreadsheet, and back.

A spreadsheet program runs a cell that begins with `=`, `+`, `-` or `@` as a formula (and a
leading tab or carriage return can hide one): CSV or formula injection (OWASP). Such text is
written with a leading apostrophe, which spreadsheets show as text and never run. Text already
beginning with an apostrophe before one of those characters (or before another apostrophe) gets
one too, so that reading a cell back removes exactly one and gives the text that was written.
Numbers are written as numbers and never changed.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(text: str) -> str:
    if text.startswith(TRIGGERS) or (text.startswith(QUOTE) and text[1:2] in (*TRIGGERS, QUOTE)):
        return QUOTE + text
    return text


def restore(text: str) -> str:
    """The text `neutralise` was given (a cell typed by hand that starts so loses the apostrophe too)."""
    if text.startswith(QUOTE) and text[1:2] in (*TRIGGERS, QUOTE):
        return text[1:]
    return text


def number_text(value: int | float) -> str:
    """A number in plain decimals (0.00001, not 1e-05), as spreadsheets and YAML read it."""
    if isinstance(value, int):
        return str(value)
    out = format(Decimal(repr(value)), "f")
    return out if "." in out else out + ".0"


_XLSX_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_unescape(text: str) -> str:
    """A workbook's string as it was given: XLSX writes a character XML cannot hold (a control
    character) as `_xHHHH_`, and a literal `_xHHHH_` with its underscore escaped (`_x005F_xHHHH_`),
    as XlsxWriter and spreadsheet programs write them. openpyxl only drops `x005F_`, turning an
    escaped literal and an escaped character into the same text; strings are read raw and
    unescaped here, in one pass from the left."""
    return _XLSX_ESCAPE_RE.sub(lambda match: chr(int(match[1], 16)), text)


def one_kind_of_line_break(text: str) -> str:
    """CRLF and CR as LF: a spreadsheet saving a value that spans lines may end them either way,
    and the value recorded is the same."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


LIST_SEPARATOR = "; "


def text_of(value: Any) -> str:
    """A value as CSV text: empty for nothing, ISO dates, plain numbers, true/false, lists joined
    with "; ", text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return neutralise(LIST_SEPARATOR.join(value))
    return neutralise(str(value))
