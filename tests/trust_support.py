"""Shared by the tests of corrections, reasons and review: a small programme, and helpers to run
the commands and read editions back as a reader does (HTML text, PDF text with pdftotext)."""
from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional

import yaml
from click.testing import CliRunner, Result

from tracker.cli import cli

HARBOUR = """\
id: harbour
title: Harbour programme
owner: Port Desk
review_every_days: 365
method_version: "2026.1"
sources:
  - {id: gazette, title: Official gazette, publisher: Ministry, date: 2025-01-02, url: "https://example.org/gazette", kind: official}
priorities:
  - id: quay
    title: Rebuild the quay
    history:
      - {date: 2025-01-10, status: in_progress, note: Works began., sources: [gazette]}
      # the March assessment
      - {date: 2025-03-01, status: in_progress, note: Piles driven.}
    milestones:
      - {id: piles, title: Piles driven, due: 2025-06-30}
    indicators:
      - id: berths
        title: Berths open
        unit: berths
        baseline: {date: 2025-01-01, value: 2}
        observations:
          - {date: 2025-02-01, value: 4, source: gazette}
  - id: ferry
    title: Start a ferry
    history:
      - {date: 2025-01-10, status: stalled, note: No boat., reason: lacks_funding}
"""


def workspace(root: Path, text: str = HARBOUR, name: str = "harbour.yaml") -> Path:
    (root / "policies").mkdir(parents=True, exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    (root / "policies" / name).write_text(text, encoding="utf-8")
    return root


def run(root: Path, *args: str, input: Optional[str] = None) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args], input=input, catch_exceptions=False)


def data(root: Path, name: str = "harbour.yaml") -> Any:
    return yaml.safe_load((root / "policies" / name).read_text(encoding="utf-8"))


def report(root: Path, as_of: str, *args: str, fmt: str = "html") -> Result:
    result = run(root, "report", "--as-of", as_of, "--format", fmt, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return result


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("style", "script"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, text: str) -> None:
        if not self.skip:
            self.parts.append(text)


def html_text(path: Path) -> str:
    """What a reader of the HTML edition reads, whitespace folded."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    text = " ".join(" ".join(parser.parts).split())
    return re.sub(r"\[\s+", "[", re.sub(r"\s+([.,;:\]])", r"\1", text))  # spaces left by inline tags


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start): text.index(end, text.index(start))]


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as pdftotext reads it, whitespace folded."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return [" ".join(page.decode("utf-8").split()) for page in out.split(b"\f")][:-1]


def edition(root: Path, as_of: str, fmt: str = "html", drafts: bool = False) -> Path:
    folder = root / "reports" / "harbour" / ("drafts" if drafts else "")
    return folder / f"harbour-{as_of}.{fmt}"


def problems(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if re.match(r"^policies/", line)]
