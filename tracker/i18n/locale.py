"""BCP 47 language tags and the CLDR locales (Babel) that write dates and numbers in them."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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
