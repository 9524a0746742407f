"""Editions already published in reports/<id>/: their dates, and the one before a given date.

Only regular files count: a directory, FIFO, socket or symbolic link named like an edition is
never taken for one (nor for the previous edition a report compares with), and names are
matched whole, so `<id>-<date>.pdf` followed by a line break is not an edition either.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path
from typing import Optional


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


def previous_edition(folder: Path, programme_id: str, as_of: dt.date) -> Optional[dt.date]:
    """The latest edition strictly before `as_of`, if any."""
    earlier = [d for d in edition_dates(folder, programme_id) if d < as_of]
    return earlier[-1] if earlier else None
