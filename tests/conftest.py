"""Shared test helpers: small workspaces built in tmp_path, and the CLI run as a user runs it."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli

REPO = Path(__file__).resolve().parent.parent

MINIMAL = """\
id: demo
title: Demo programme
summary: A small programme for tests.
owner: Test Desk
review_every_days: 90
sources:
  - {id: gazette, title: Official gazette, publisher: Ministry, date: 2024-01-02, url: "https://example.org/gazette", kind: official}
priorities:
  - id: roads
    title: Build roads
    history:
      - {date: 2024-01-01, status: not_started}
      - {date: 2024-02-01, status: in_progress, note: Tender published., sources: [gazette]}
    milestones:
      - {id: tender, title: Tender published, due: 2024-02-15, done: 2024-02-01, sources: [gazette]}
      - {id: contract, title: Contract signed, due: 2024-06-30}
    indicators:
      - id: km
        title: Kilometres built
        unit: km
        baseline: {date: 2024-01-01, value: 0, source: gazette}
        target: {date: 2026-01-01, value: 100}
        observations:
          - {date: 2024-03-01, value: 12, source: gazette}
  - id: schools
    title: Open schools
    history:
      - {date: 2024-01-01, status: at_risk, note: Budget cut.}
"""


def run(*args: str, root: Path | None = None, input: str | None = None) -> Result:
    """Run `tracker ARGS` in-process; stdout and stderr are kept apart."""
    full = (["--root", str(root)] if root else []) + list(args)
    return CliRunner().invoke(cli, full, input=input, catch_exceptions=False)


@pytest.fixture
def workspace(tmp_path: Path) -> Callable[..., Path]:
    """Make a workspace with the given files in policies/: workspace({"demo.yaml": text})."""

    def make(files: dict[str, str | bytes]) -> Path:
        (tmp_path / "policies").mkdir(exist_ok=True)
        (tmp_path / "reports").mkdir(exist_ok=True)
        for name, content in files.items():
            path = tmp_path / "policies" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return tmp_path

    return make
