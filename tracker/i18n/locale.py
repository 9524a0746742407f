"""BCP 47 language tags, and numbers and dates as each language writes them (CLDR, through Babel),
never as the machine's locale would.

English keeps tracker's house style (1,234, a true minus sign, ISO dates: 2026-12-02); other
languages follow CLDR through Babel (Chinese: 2026年12月2日). Nothing here reads the locale
of the machine, so the same edition gives the same bytes everywhere.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Optional

from tracker.model.fields import canonical_tag, known_language

#: language[-Script][-REGION], the forms tracker accepts (BCP 47, case as the registry writes it).
TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")


@lru_cache(maxsize=32)
def locale(tag: str) -> Any:
    """The Babel locale for a BCP 47 tag (zh-Hans -> zh_Hans); English when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(tag.split("-", 1)[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


canonical = canonical_tag
known = known_language


ENGLISH = ("en",)


def _english(lang: str) -> bool:
    return lang.split("-", 1)[0].lower() in ENGLISH


def number(value: Any, lang: str = "en") -> str:
    """1,234 or 12.5 or −3 (a true minus sign) in English; CLDR's decimal format elsewhere."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not _english(lang):
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0.##", locale=locale(lang))
    if isinstance(value, int):
        text = f"{abs(value):,}"
    else:
        text = f"{abs(value):,.2f}".rstrip("0").rstrip(".")
    return ("\u2212" + text) if value < 0 and text != "0" else text


def date(value: Optional[dt.date], lang: str = "en") -> str:
    """ISO 8601 in English; CLDR's long date elsewhere (2026年12月2日)."""
    if not value:
        return ""
    if _english(lang):
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, format="long", locale=locale(lang))


def partial_date(value: str, lang: str = "en") -> str:
    """A date known to the year, month or day (YYYY, YYYY-MM, YYYY-MM-DD), as the language writes it."""
    if not value or _english(lang):
        return value
    from babel.dates import format_date, format_skeleton

    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return date(dt.date(*parts), lang)
    if len(parts) == 2:
        return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=locale(lang))
    return format_skeleton("y", dt.date(parts[0], 1, 1), locale=locale(lang))


def month(value: dt.date, lang: str = "en") -> str:
    """A month on a chart's axis: 2024-05 in English, 2024年5月 in Chinese."""
    if _english(lang):
        return value.strftime("%Y-%m")
    from babel.dates import format_skeleton

    return format_skeleton("yMM", value, locale=locale(lang))
