"""Editions and `tracker status` show the evidence's state as of their date."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from html import unescape
from pathlib import Path
from typing import Iterator

import pytest

from conftest import run
from evidence_support import HTML, Route, Site
from tracker.model.workspace import Workspace
from tracker.report import RenderOptions, build

GAZETTE = b"<html><body>Official gazette, issue 12</body></html>"


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setattr("tracker.cli.editions.sources.today", lambda: dt.date.fromisoformat(day))


def programme(site: Site) -> str:
    return f"""\
id: demo
title: Demo programme
sources:
  - {{id: gazette, title: Official gazette, publisher: Ministry, url: "{site.url('/gazette')}", kind: official}}
  - {{id: daily, title: Daily News, publisher: Daily, url: "{site.url('/daily')}", kind: press}}
  - {{id: spare, title: Spare source, url: "{site.url('/spare')}"}}
priorities:
  - id: roads
    title: Build roads
    history:
      - {{date: 2024-01-01, status: in_progress, note: Tender published., sources: [gazette]}}
  - id: schools
    title: Open schools
    history:
      - {{date: 2024-01-01, status: in_progress, note: Two opened., sources: [gazette, daily]}}
"""


def text_of(path: Path) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())


@pytest.fixture
def evidenced(workspace, site: Site, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Captured on 2026-12-02; checked ok on 12-03; gazette gone on 12-05 and 12-07, daily fine."""
    site.routes.update({"/gazette": Route(body=GAZETTE), "/daily": Route(body=HTML), "/spare": Route(body=b"spare")})
    root = workspace({"demo.yaml": programme(site)})
    on(monkeypatch, "2026-12-02")
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    on(monkeypatch, "2026-12-03")
    assert run("sources", "check", "--allow-private", root=root).exit_code == 0
    del site.routes["/gazette"]
    site.routes["/spare"] = Route(500)
    for day in ("2026-12-05", "2026-12-07"):
        on(monkeypatch, day)
        assert run("sources", "check", "--allow-private", root=root).exit_code == 1
    return root


def render(root: Path, as_of: str, force: bool = False) -> tuple[Path, bool]:
    """Render the HTML edition; its path and whether it was written (not up to date)."""
    ws = Workspace.at(root)
    outcome = build(ws, dt.date.fromisoformat(as_of), ("html",), ws.reports, RenderOptions(), force=force)
    return outcome.paths[0], bool(outcome.written)


def test_an_edition_says_when_each_source_was_archived_and_which_links_are_dead(evidenced: Path) -> None:
    path, _ = render(evidenced, "2026-12-08")
    text = text_of(path)
    short = hashlib.sha256(GAZETTE).hexdigest()[:8]
    assert (f"Evidence: archived 2026-12-02, SHA-256 {short}\u2026; link dead since 2026-12-05 "
            "(archived copy: archive/demo/gazette/2026-12-02.warc.gz) .") in text
    daily = hashlib.sha256(HTML).hexdigest()[:8]
    assert f"Evidence: archived 2026-12-02, SHA-256 {daily}\u2026." in text
    assert "link dead since 2026-12-05 (archived copy: archive/demo/spare/2026-12-02.warc.gz)" in text  # uncited too
    assert "Source links are checked and each cited page is captured" in text  # the method says how


def test_an_earlier_edition_shows_what_was_known_then(evidenced: Path) -> None:
    before_capture = text_of(render(evidenced, "2026-12-01")[0])
    assert "Evidence:" not in before_capture and "Source links are checked" not in before_capture
    alive = text_of(render(evidenced, "2026-12-04")[0])
    assert "archived 2026-12-02, SHA-256" in alive and "link dead since 2026" not in alive


def test_an_edition_regenerates_byte_identical_and_later_checks_leave_it_up_to_date(
        evidenced: Path, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    path, written = render(evidenced, "2026-12-06")
    assert written
    first = path.read_bytes()
    on(monkeypatch, "2026-12-09")
    site.routes["/gazette"] = Route(body=GAZETTE)  # back again, checked after the edition's date
    assert run("sources", "check", "--allow-private", root=evidenced).exit_code == 1  # spare is still broken
    again, written = render(evidenced, "2026-12-06")
    assert not written and again.read_bytes() == first
    forced, written = render(evidenced, "2026-12-06", force=True)
    assert written and forced.read_bytes() == first
    later = text_of(render(evidenced, "2026-12-09")[0])
    assert "gazette" in later and "link dead since 2026-12-05 (archived copy: archive/demo/gazette/" not in later


def test_a_new_check_on_or_before_the_date_renders_the_edition_again(
        evidenced: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = render(evidenced, "2026-12-10")
    assert render(evidenced, "2026-12-10") == (path, False)
    on(monkeypatch, "2026-12-10")
    run("sources", "check", "--allow-private", root=evidenced)
    assert render(evidenced, "2026-12-10") == (path, True)
    manifest = json.loads((path.parent / ".demo-2026-12-10.inputs.json").read_text())
    assert set(manifest["inputs"]["fingerprint"]["evidence"]) == {"sha256"}


def test_an_edition_without_an_archive_is_as_before(workspace, site: Site) -> None:
    root = workspace({"demo.yaml": programme(site)})
    text = text_of(render(root, "2026-12-08")[0])
    assert "Evidence:" not in text and "Source links are checked" not in text
    assert not (root / "archive").exists()


def test_status_flags_a_status_resting_only_on_dead_sources(evidenced: Path) -> None:
    table = run("status", "--as-of", "2026-12-08", root=evidenced).stdout.splitlines()
    roads = [line for line in table if line.startswith("roads ")][0]
    schools = [line for line in table if line.startswith("schools ")][0]
    assert roads.endswith("rests only on dead sources: gazette")
    assert "dead" not in schools  # daily still answers
    data = json.loads(run("status", "--json", "--as-of", "2026-12-08", root=evidenced).stdout)
    rows = {r["priority"]: r for r in data["programmes"][0]["priorities"]}
    assert rows["roads"]["dead_sources"] == ["gazette"] and "dead_sources" not in rows["schools"]
    earlier = run("status", "--as-of", "2026-12-04", root=evidenced).stdout
    assert "dead" not in earlier
