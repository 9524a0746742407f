"""Editions already published in reports/<id>/: their dates, the one before a given date, and the
method version one was made with.

Only regular files count: a directory, FIFO, socket or symbolic link named like an edition is
never taken for one (nor for the previous edition a report compares with), and names are
matched whole, so `<id>-<date>.pdf` followed by a line break is not an edition either.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import stat
from pathlib import Path
from typing import Optional

from tracker.edit import atomic
from tracker.model.fields import LANGUAGE_TAG_RE

#: The HTML edition names its method version in this <meta> (read back when its manifest is gone).
METHOD_META = "tracker.method-version"
_META_RE = re.compile(r'<meta name="' + re.escape(METHOD_META) + r'" content="([^"]*)">')


def is_regular_file(path: Path) -> bool:
    """Whether `path` itself (a symbolic link is not followed) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def edition_dates(folder: Path, programme_id: str) -> list[dt.date]:
    """As-of dates of the editions in `folder` (either format counts), oldest first."""
    pattern = re.compile(rf"{re.escape(programme_id)}-([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})\.(?:html|pdf)")
    dates = set()
    if folder.is_dir():
        for path in folder.iterdir():
            match = pattern.fullmatch(path.name)
            if match and is_regular_file(path):
                try:
                    dates.add(dt.date.fromisoformat(match[1]))
                except ValueError:
                    continue
    return sorted(dates)


def edition_languages(folder: Path, programme_id: str, as_of: dt.date) -> list[str]:
    """The languages other than the primary that the edition of `as_of` exists in
    (`<id>-<as-of>.<lang>.html` or `.pdf`), sorted."""
    pattern = re.compile(rf"{re.escape(programme_id)}-{as_of.isoformat()}\.([A-Za-z0-9-]+)\.(?:html|pdf)")
    found = set()
    if folder.is_dir():
        for path in folder.iterdir():
            match = pattern.fullmatch(path.name)
            if match and LANGUAGE_TAG_RE.fullmatch(match[1]) and is_regular_file(path):
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
        raw = atomic.read_regular(folder / f".{stem}.inputs.json")
        value = json.loads(raw)["inputs"]["programme"]["method_version"] if raw is not None else None
        if isinstance(value, str):
            return value
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        with os.fdopen(atomic.open_regular(folder / f"{stem}.html"), "rb") as handle:
            head = handle.read(16_384).decode("utf-8", "replace")
    except OSError:
        return None
    match = _META_RE.search(head)
    if match:
        return html.unescape(match[1])
    return "" if "<meta name=\"generator\"" in head else None
