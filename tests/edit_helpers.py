"""Shared helpers of the editing tests: small workspaces in tmp_path and a CLI runner."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

from click.testing import CliRunner, Result

from tracker.cli import cli

DATA = Path(__file__).parent / "data" / "edit"
TODAY = dt.date(2025, 6, 1)


def make_workspace(root: Path, text: Optional[str] = None, name: str = "harbour.yaml") -> Path:
    """A workspace at `root` holding one programme file (the commented fixture by default)."""
    (root / "policies").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    path = root / "policies" / name
    path.write_bytes((DATA / "commented.yaml").read_bytes() if text is None else text.encode("utf-8"))
    return path


def run(root: Path, *args: str, input: Optional[str] = None) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args], input=input, catch_exceptions=False)


def added_lines(old: str, new: str) -> list[str]:
    """The lines of `new` that are not in `old`, asserting that nothing of `old` was changed or moved."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    added, i = [], 0
    for line in new_lines:
        if i < len(old_lines) and line == old_lines[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old_lines), f"original line {i + 1} was changed or lost: {old_lines[i]!r}"
    return added
