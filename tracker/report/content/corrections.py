"""The Corrections section (what was corrected since the previous edition) and the appendix
holding the full corrections log: each correction with what was said, what is said now, why,
who made it and the record it corrects."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from tracker.digest import corrections
from tracker.model.records import Programme


@dataclass(frozen=True)
class CorrectionItem:
    anchor: str  # the corrected priority's section
    priority: str  # its title
    date: dt.date
    what: str  # "the status entry of 2024-03-01"
    changes: list[corrections.Said]
    why: str
    by: str


@dataclass(frozen=True)
class Corrections:
    since: Optional[dt.date]  # None: the first edition
    recent: list[CorrectionItem]  # made since the previous edition (since, as_of]
    log: list[CorrectionItem]  # every correction up to the as-of date, oldest first

    @property
    def first_edition(self) -> bool:
        return self.since is None


def _item(view: corrections.CorrectionView) -> CorrectionItem:
    return CorrectionItem(f"priority-{view.priority.id}", view.priority.title, view.date, view.what,
                          list(view.changes), view.why, view.by)


def build(programme: Programme, since: Optional[dt.date], as_of: dt.date) -> Corrections:
    log = [_item(v) for v in corrections.log(programme, as_of)]
    recent = [_item(v) for v in corrections.made_between(programme, since, as_of)] if since else []
    return Corrections(since, recent, log)
