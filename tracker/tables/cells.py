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
