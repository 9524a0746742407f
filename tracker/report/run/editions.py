"""Editions already published in reports/<id>/: their dates, and the one before a given date."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from tracker.model.fields import LANGUAGE_TAG_RE


def edition_dates(folder: Path, programme_id: str) -> list[dt.date]:
    """As-of dates of the editions in `folder` (either format counts), oldest first."""
    pattern = re.compile(rf"^{re.escape(programme_id)}-(\d{{4}}-\d{{2}}-\d{{2}})\.(?:html|pdf)$")
    dates = set()
    if folder.is_dir():
        for path in folder.iterdir():
            match = pattern.match(path.name)
            if match:
                try:
                    dates.add(dt.date.fromisoformat(match[1]))
                except ValueError:
                    continue
    return sorted(dates)


def edition_languages(folder: Path, programme_id: str, as_of: dt.date) -> list[str]:
    """The languages other than the primary that the edition of `as_of` exists in
    (`<id>-<as-of>.<lang>.html` or `.pdf`), sorted."""
    pattern = re.compile(rf"^{re.escape(programme_id)}-{as_of.isoformat()}\.([A-Za-z0-9-]+)\.(?:html|pdf)$")
    found = set()
    if folder.is_dir():
        for path in folder.iterdir():
            match = pattern.match(path.name)
            if match and LANGUAGE_TAG_RE.match(match[1]):
                found.add(match[1])
    return sorted(found)


def previous_edition(folder: Path, programme_id: str, as_of: dt.date) -> Optional[dt.date]:
    """The latest edition strictly before `as_of`, if any."""
    earlier = [d for d in edition_dates(folder, programme_id) if d < as_of]
    return earlier[-1] if earlier else None
