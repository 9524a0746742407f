"""What a run did."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    """The files a run wrote, and those it left alone because they were up to date."""

    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # every edition file of the run, in programme order
