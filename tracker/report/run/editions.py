"""Editions already published in reports/<id>/: their dates, the one before a given date, and the
method version one was made with."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Optional

from tracker.model.fields import LANGUAGE_TAG_RE

#: The HTML edition names its method version in this <meta> (read back when its manifest is gone).
METHOD_META = "tracker.method-version"
_META_RE = re.compile(r'<meta name="' + re.escape(METHOD_META) + r'" content="([^"]*)">')


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


def method_version(folder: Path, programme_id: str, as_of: dt.date) -> Optional[str]:
    """The method version the edition of `as_of` in `folder` was made with: "" when it stated none,
    None when there is no such edition or it does not say. Its manifest says, else its HTML."""
    stem = f"{programme_id}-{as_of.isoformat()}"
    try:
        recorded = json.loads((folder / f".{stem}.inputs.json").read_bytes())
        value = recorded["inputs"]["programme"]["method_version"]
        if isinstance(value, str):
            return value
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        with (folder / f"{stem}.html").open("rb") as handle:
            head = handle.read(16_384).decode("utf-8", "replace")
    except OSError:
        return None
    match = _META_RE.search(head)
    if match:
        return html.unescape(match[1])
    return "" if "<meta name=\"generator\"" in head else None
