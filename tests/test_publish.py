"""`tracker publish`: index.html and feed.xml, rebuilt from what is in reports/.

Editions are rendered once per session (`rendered`) and copied into each test's workspace.
"""
from __future__ import annotations

import datetime as dt
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from click.testing import CliRunner

from tests.distribute_support import AIR, WATER, rendered_editions, write_workspace
from tracker.cli import cli

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr"}


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_editions(tmp_path_factory)


@pytest.fixture
def ws(tmp_path: Path, rendered: Path) -> Path:
    """Water: editions of 2024-03-31 (HTML) and 2024-06-30 (HTML, PDF); air: 2024-03-31 (HTML) only."""
    root = tmp_path / "ws"
    shutil.copytree(rendered, root)
    for path in (root / "reports" / "air-plan").glob("air-plan-2024-06-30.*"):
        path.unlink()
    return root


def publish(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--root", str(root), "publish", *args], catch_exceptions=False)


class Page(HTMLParser):
    """Collects what the tests look at, and checks every element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.rows: list[list[str]] = []  # the text of each table row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(" ".join(data.split()))
            if "tr" in self.stack:
                self.rows[-1].append(" ".join(data.split()))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    assert page.errors == [] and page.stack == []
    return page


def test_index_lists_every_edition_newest_first_with_links_and_counts(ws: Path) -> None:
    result = publish(ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(ws / "reports" / "index.html"), str(ws / "reports" / "feed.xml")]
    page = read_page(ws / "reports" / "index.html")
    assert page.all("html") == [{"lang": "en"}]
    assert [t for t, _ in page.tags if t in ("header", "main", "footer", "h1", "h2", "table", "caption")] == [
        "header", "h1", "main", "h2", "table", "caption", "h2", "footer"]
    assert [a["scope"] for a in page.all("th")] == ["col"] * 4 + ["row"] * 3
    assert [a["datetime"] for a in page.all("time")] == ["2024-06-30", "2024-03-31", "2024-03-31"]
    hrefs = [a["href"] for a in page.all("a")]
    assert hrefs == [
        "water-plan/water-plan-2024-06-30.html", "water-plan/water-plan-2024-06-30.pdf",
        "water-plan/water-plan-2024-06-30.csv.zip", "water-plan/water-plan-2024-06-30.xlsx",
        "air-plan/air-plan-2024-03-31.html",  # Clean Air Plan sorts before Clean Water Plan on the same date
        "air-plan/air-plan-2024-03-31.csv.zip", "air-plan/air-plan-2024-03-31.xlsx",
        "water-plan/water-plan-2024-03-31.html",
        "water-plan/water-plan-2024-03-31.csv.zip", "water-plan/water-plan-2024-03-31.xlsx",
        "feed.xml",
    ]
    for href in hrefs:
        assert (ws / "reports" / href).is_file()
    text = " | ".join(page.text)
    assert "3 editions, newest first" in text
    header, june, march_air, march_water = (" | ".join(row) for row in page.rows)
    assert header == "Progress up to | Programme | Read | Status of priorities"
    assert june.startswith("2024-06-30 | Clean Water Plan | HTML | edition: Clean Water Plan: progress up to")
    assert "At risk: 1" in june and "Not yet started: 1" in june and "No entry yet: 1" in june
    assert "In progress: 1" in march_air
    assert "In progress: 1" in march_water and "At risk" not in march_water  # counts as of that edition's date
    assert "PDF | edition: Clean Water Plan: progress up to 2024-06-30" in text  # link names that stand alone
    assert page.all("td")[0]["lang"] == "en" and page.all("td")[3]["lang"] == "fr"
    assert {"rel": "alternate", "type": "application/atom+xml", "title": "Progress reports (Atom feed)",
            "href": "feed.xml"} in page.all("link")


def test_feed_parses_with_one_entry_per_edition(ws: Path) -> None:
    assert publish(ws).exit_code == 0
    feed = feedparser.parse((ws / "reports" / "feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2024-06-30T00:00:00Z"
    assert feed.feed.id == "tag:tracker.invalid,2024-03-31:archive"
    assert [e.id for e in feed.entries] == [
        "tag:tracker.invalid,2024-06-30:water-plan/2024-06-30",
        "tag:tracker.invalid,2024-03-31:air-plan/2024-03-31",
        "tag:tracker.invalid,2024-03-31:water-plan/2024-03-31",
    ]
    assert [e.title for e in feed.entries] == [
        "Clean Water Plan: progress up to 2024-06-30",
        "Clean Air Plan: progress up to 2024-03-31",
        "Clean Water Plan: progress up to 2024-03-31",
    ]
    assert [e.updated_parsed[:3] for e in feed.entries] == [(2024, 6, 30), (2024, 3, 31), (2024, 3, 31)]
    first = feed.entries[0]
    assert first.link == "water-plan/water-plan-2024-06-30.html"
    [enclosure] = first.enclosures
    assert enclosure.href == "water-plan/water-plan-2024-06-30.pdf" and enclosure.type == "application/pdf"
    assert int(enclosure.length) == (ws / "reports" / "water-plan" / "water-plan-2024-06-30.pdf").stat().st_size
    assert first.summary == "Status of 3 priorities: Not yet started: 1; At risk: 1; No entry yet: 1."
    assert first.author == "Water Desk" and feed.entries[1].author == "Clean Air Plan"
    assert feed.entries[1].title_detail.language == "fr"
    assert feed.entries[1].summary == "Status of 1 priority: In progress: 1."
    root = ET.parse(ws / "reports" / "feed.xml").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"


def test_same_reports_give_the_same_bytes(ws: Path, tmp_path: Path) -> None:
    assert publish(ws).exit_code == 0
    first = [(ws / "reports" / n).read_bytes() for n in ("index.html", "feed.xml")]
    assert publish(ws).exit_code == 0
    assert [(ws / "reports" / n).read_bytes() for n in ("index.html", "feed.xml")] == first
    # Another copy, files created in another order and at other times, with stray files around.
    other = write_workspace(tmp_path / "other", {"air-plan": AIR, "water-plan": WATER})
    for path in sorted((ws / "reports").glob("*/*-*.*"), reverse=True):
        target = other / "reports" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (other / "reports" / "outbox").mkdir()
    (other / "reports" / "outbox" / "water-plan-2024-06-30-a@example.org.eml").write_bytes(b"x")
    (other / "reports" / "water-plan" / "deliveries.jsonl").write_text("{}\n", encoding="utf-8")
    (other / "reports" / "water-plan" / "water-plan-2024-13-45.html").write_text("not an edition", encoding="utf-8")
    (other / "reports" / "water-plan" / "notes.txt").write_text("", encoding="utf-8")
    (other / "reports" / "Not_A_Programme").mkdir()
    (other / "reports" / "Not_A_Programme" / "Not_A_Programme-2024-01-01.html").write_text("", encoding="utf-8")
    assert publish(other).exit_code == 0
    assert [(other / "reports" / n).read_bytes() for n in ("index.html", "feed.xml")] == first


def test_base_url_makes_links_absolute_and_names_the_ids(ws: Path) -> None:
    result = publish(ws, "--base-url", "https://reports.example.org/water")
    assert result.exit_code == 0, result.output
    feed = feedparser.parse((ws / "reports" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.entries[0].id == "tag:reports.example.org,2024-06-30:water-plan/2024-06-30"
    assert feed.entries[0].link == "https://reports.example.org/water/water-plan/water-plan-2024-06-30.html"
    assert feed.entries[0].enclosures[0].href == "https://reports.example.org/water/water-plan/water-plan-2024-06-30.pdf"
    assert {"rel": "self", "type": "application/atom+xml", "href": "https://reports.example.org/water/feed.xml"} in [
        dict(link) for link in feed.feed.links]
    # The page keeps relative links: it is served from the same folder.
    assert 'href="water-plan/water-plan-2024-06-30.html"' in (ws / "reports" / "index.html").read_text(encoding="utf-8")
    bad = publish(ws, "--base-url", "ftp://example.org/")
    assert bad.exit_code == 2 and "Invalid value for '--base-url'" in bad.stderr


def test_titles_are_escaped(ws: Path) -> None:
    title = 'Water & <Sanitation> "Plan"'
    (ws / "policies" / "water-plan.yaml").write_text(
        WATER.replace("title: Clean Water Plan", f"title: '{title}'"), encoding="utf-8")
    assert publish(ws).exit_code == 0
    html = (ws / "reports" / "index.html").read_text(encoding="utf-8")
    assert "<Sanitation>" not in html and "Water &amp; &lt;Sanitation&gt; &#34;Plan&#34;" in html
    feed = feedparser.parse((ws / "reports" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.entries[0].title == f"{title}: progress up to 2024-06-30"


def test_edition_of_a_programme_no_longer_in_policies_stays_listed(ws: Path) -> None:
    (ws / "policies" / "air-plan.yaml").unlink()
    assert publish(ws).exit_code == 0
    rows = read_page(ws / "reports" / "index.html").rows
    assert rows[2] == ["2024-03-31", "air-plan", "HTML", "edition: air-plan: progress up to 2024-03-31",
                       "Not available: the programme is no longer in policies/."]
    feed = feedparser.parse((ws / "reports" / "feed.xml").read_bytes())
    assert feed.entries[1].summary == "Status counts not available: the programme is no longer in policies/."


def test_out_publishes_another_reports_folder(ws: Path) -> None:
    elsewhere = ws / "site"
    shutil.copytree(ws / "reports" / "air-plan", elsewhere / "air-plan")
    result = publish(ws, "--out", str(elsewhere))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["air-plan", "feed.xml", "index.html"]
    assert len(feedparser.parse((elsewhere / "feed.xml").read_bytes()).entries) == 1
    assert not (ws / "reports" / "index.html").exists()


def test_rewrites_atomically_and_leaves_no_temporary_files(ws: Path) -> None:
    (ws / "reports" / "index.html").write_text("old", encoding="utf-8")
    assert publish(ws).exit_code == 0
    assert (ws / "reports" / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in (ws / "reports").iterdir() if p.name.startswith(".")] == []


def test_nothing_to_publish(tmp_path: Path) -> None:
    root = write_workspace(tmp_path, {"water-plan": WATER})
    result = publish(root)
    assert result.exit_code == 1
    assert result.stderr == "error: reports: no editions to publish; run `tracker report` first\n"
    missing = publish(root, "--out", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1
    assert missing.stderr == "error: nowhere: no reports folder; run `tracker report` first\n"
    assert not (root / "reports" / "index.html").exists()


def test_invalid_programme_data_stops_publishing(ws: Path) -> None:
    (ws / "policies" / "water-plan.yaml").write_text(WATER.replace("id: pipes", "id: Pipes"), encoding="utf-8")
    result = publish(ws)
    assert result.exit_code == 1
    assert result.stderr.startswith("policies/water-plan.yaml:5:9: priorities[0].id: expected an id")
    assert not (ws / "reports" / "index.html").exists()


def test_each_edition_offers_its_data_as_of_its_date(ws: Path) -> None:
    import csv
    import io
    import zipfile

    import openpyxl

    assert publish(ws).exit_code == 0
    folder = ws / "reports" / "water-plan"
    archive = zipfile.ZipFile(folder / "water-plan-2024-03-31.csv.zip")
    assert archive.namelist() == ["statuses.csv", "observations.csv", "indicators.csv", "milestones.csv",
                                  "sources.csv"]
    assert {info.date_time for info in archive.infolist()} == {(2024, 3, 31, 0, 0, 0)}
    statuses = list(csv.DictReader(io.StringIO(archive.read("statuses.csv").decode("utf-8"))))
    assert [(r["priority"], r["date"], r["status"]) for r in statuses] == [
        ("pipes", "2024-01-10", "in_progress"), ("meters", "2024-02-01", "not_started")]  # not May's at_risk
    book = openpyxl.load_workbook(folder / "water-plan-2024-06-30.xlsx")
    assert [row[2:4] for row in book["statuses"].iter_rows(min_row=2, values_only=True)] == [
        (dt.datetime(2024, 1, 10), "in_progress"), (dt.datetime(2024, 5, 2), "at_risk"),
        (dt.datetime(2024, 2, 1), "not_started")]
    assert [row[4] for row in book["observations"].iter_rows(min_row=2, values_only=True)] == [12.5]
    feed = (ws / "reports" / "feed.xml").read_text(encoding="utf-8")
    assert 'rel="related" type="application/zip" href="water-plan/water-plan-2024-06-30.csv.zip"' in feed
    # Published again: the data files are left alone (same bytes, same dates).
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.csv.zip")}
    assert publish(ws).exit_code == 0
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.csv.zip")} == stamps
