"""BCP 47 language tags and the CLDR locales (Babel) that write dates and numbers in them."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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


def canonical(tag: str) -> str:
    """A tag in the registry's case: ZH-hans -> zh-Hans, en-gb -> en-GB."""
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


def known(tag: str) -> bool:
    """Whether CLDR knows the tag's language (so that its dates and numbers can be written)."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
        return True
    except (UnknownLocaleError, ValueError):
        return False
