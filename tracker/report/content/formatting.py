"""Locale-independent formatting of numbers and dates, shared by the context, charts and templates."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional


def number(value: Any) -> str:
    """1,234 or 12.5 or −3 (a true minus sign); never depends on the locale."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = f"{abs(value):,}"
    else:
        text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return ("\u2212" + text) if value < 0 and text != "0" else text


def quantity(value: Any, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


def date(value: Optional[dt.date]) -> str:
    return value.isoformat() if value else ""


def days(n: int) -> str:
    return "1 day" if n == 1 else f"{number(n)} days"
