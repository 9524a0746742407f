"""`tracker publish`: an archive page and an Atom feed of every edition in reports/.

Both are rebuilt from the edition files found in the reports folder (`<id>/<id>-<as-of>.html`
and `.pdf`) and the programme data: each edition's status counts are computed from the data
at its as-of date. Beside each edition of a programme still in policies/, its data is offered
too: the export of that date (tracker.tables), as a zip of the CSV tables
(`<id>-<as-of>.csv.zip`) and a workbook (`<id>-<as-of>.xlsx`). Nothing reads the clock, so the
same reports and data give the same bytes.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlsplit

from tracker import templating
from tracker.digest.counts import Count, counts_line, status_counts
from tracker.edit import atomic
from tracker.errors import NotFound
from tracker.model.fields import SLUG_RE
from tracker.model.records import Programme
from tracker.model.workspace import Workspace
from tracker.report.run.editions import edition_dates, edition_languages
from tracker.tables.write import edition_data

INDEX, FEED = "index.html", "feed.xml"
ZIP_TYPE = "application/zip"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_AUTHORITY = "tracker.invalid"  # tag: URI authority when no --base-url names the site


@dataclass(frozen=True)
class Translation:
    """The same edition in another language of the programme (`<id>-<as-of>.<lang>.html`)."""

    lang: str
    name: str  # the language named in itself: 中文（简体）
    title: str  # the programme's title in that language
    heading: str  # "<title>: progress up to <date>" in that language
    summary: str  # the status counts, in that language
    html: Optional[str]
    pdf: Optional[str]
    pdf_bytes: Optional[int]


@dataclass(frozen=True)
class PublishedEdition:
    programme_id: str
    title: str
    language: str
    author: str
    as_of: dt.date
    html: Optional[str]  # link relative to the reports folder, when the HTML exists
    pdf: Optional[str]
    pdf_bytes: Optional[int]
    counts: Optional[list[Count]]  # None when the programme is no longer in policies/
    csv_zip: Optional[str] = None  # the edition's data: CSV tables (zipped), then the workbook
    xlsx: Optional[str] = None
    translations: tuple[Translation, ...] = ()  # the edition in the programme's other languages

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts or [])

    @property
    def heading(self) -> str:
        return f"{self.title}: progress up to {self.as_of.isoformat()}"


@dataclass(frozen=True)
class Archive:
    editions: list[PublishedEdition]  # newest first
    base_url: Optional[str]
    data_files: list[tuple[Path, bytes]] = field(default_factory=list)  # each edition's data, to write

    @property
    def updated(self) -> dt.date:
        return max(e.as_of for e in self.editions)

    @property
    def oldest(self) -> dt.date:
        return min(e.as_of for e in self.editions)

    @property
    def authority(self) -> str:
        return (urlsplit(self.base_url).hostname if self.base_url else None) or DEFAULT_AUTHORITY

    def url(self, href: str) -> str:
        return (self.base_url or "") + href


def collect(ws: Workspace, out: Path, base_url: Optional[str] = None) -> Archive:
    """Every edition in `out`, newest first, with its status counts."""
    if not out.is_dir():
        raise NotFound(f"{ws.display(out)}: no reports folder; run `tracker report` first")
    programmes = {p.id: p for p in ws.load_all()}
    found = []
    data_files: list[tuple[Path, bytes]] = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and SLUG_RE.match(p.name)):
        dates = set(edition_dates(folder, folder.name)) | _dates_in_other_languages(folder, folder.name)
        for as_of in sorted(dates):
            found.append(_edition(ws, folder, programmes.get(folder.name), as_of, data_files))
    if not found:
        raise NotFound(f"{ws.display(out)}: no editions to publish; run `tracker report` first")
    found.sort(key=lambda e: (-e.as_of.toordinal(), e.title.casefold(), e.programme_id))
    return Archive(found, base_url, data_files)


def _dates_in_other_languages(folder: Path, programme_id: str) -> set[dt.date]:
    """Dates of editions found only in a language other than the primary."""
    import re

    pattern = re.compile(rf"^{re.escape(programme_id)}-(\d{{4}}-\d{{2}}-\d{{2}})\.[A-Za-z0-9-]+\.(?:html|pdf)$")
    out = set()
    for path in folder.iterdir():
        match = pattern.match(path.name)
        if match:
            try:
                out.add(dt.date.fromisoformat(match[1]))
            except ValueError:
                continue
    return out


def _translation(ws: Workspace, folder: Path, programme: Optional[Programme], as_of: dt.date,
                 lang: str) -> Translation:
    """The edition in `lang`: its files, and its title and counts in that language."""
    from tracker.i18n import po
    from tracker.i18n.locale import locale
    from tracker.report.content.language import Language

    pid = folder.name
    stem = f"{pid}-{as_of.isoformat()}.{lang}"
    html, pdf = folder / f"{stem}.html", folder / f"{stem}.pdf"
    href = lambda path: f"{quote(pid)}/{quote(path.name)}"  # noqa: E731
    name = locale(lang).get_display_name(locale(lang)) or lang
    if programme is None:
        title, heading, summary = pid, f"{pid}: {as_of.isoformat()}", ""
    else:
        translations = po.read(po.po_path(programme, lang), ws.root) if lang != programme.language else None
        words = Language.of(programme, lang, translations)
        title = " ".join(words.text(programme, "title").text.split())
        heading = words.words("{title}: progress up to {date}").format(title=title, date=words.date(as_of))
        counts = status_counts(programme, as_of)
        labels = [(words.status(programme.status(c.status), "label").text if c.status else words.words(c.label), c.count)
                  for c in counts]
        line = words.words("; ").join(words.words("{label}: {count}").format(label=label, count=words.number(count))
                                      for label, count in labels)
        total = sum(c.count for c in counts)
        summary = words.nwords("Status of {n} priority: {counts}.", "Status of {n} priorities: {counts}.",
                               total).format(n=words.number(total), counts=line)
    return Translation(lang, name, title, heading, summary, href(html) if html.is_file() else None,
                       href(pdf) if pdf.is_file() else None, pdf.stat().st_size if pdf.is_file() else None)


def _edition(ws: Workspace, folder: Path, programme: Optional[Programme], as_of: dt.date,
             data_files: list[tuple[Path, bytes]]) -> PublishedEdition:
    pid = folder.name
    stem = f"{pid}-{as_of.isoformat()}"
    html, pdf = folder / f"{stem}.html", folder / f"{stem}.pdf"
    href = lambda path: f"{quote(pid)}/{quote(path.name)}"  # noqa: E731
    links: dict[str, str] = {}
    if programme is not None:
        for suffix, data in edition_data(programme, as_of).items():
            path = folder / f"{stem}{suffix}"
            data_files.append((path, data))
            links[suffix] = href(path)
    return PublishedEdition(
        programme_id=pid,
        title=" ".join(programme.title.split()) if programme else pid,
        language=programme.primary if programme else "en",
        author=(programme.owner or programme.title) if programme else pid,
        as_of=as_of,
        html=href(html) if html.is_file() else None,
        pdf=href(pdf) if pdf.is_file() else None,
        pdf_bytes=pdf.stat().st_size if pdf.is_file() else None,
        counts=status_counts(programme, as_of) if programme else None,
        csv_zip=links.get(".csv.zip"),
        xlsx=links.get(".xlsx"),
        translations=tuple(_translation(ws, folder, programme, as_of, lang)
                           for lang in edition_languages(folder, pid, as_of)),
    )


def index_html(archive: Archive) -> str:
    return templating.environment().get_template("publish_index.html").render(archive=archive, feed=FEED)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(archive: Archive, edition: PublishedEdition) -> str:
    """Stable: the same edition always has the same id (RFC 4151 tag: URI)."""
    return f"tag:{archive.authority},{edition.as_of.isoformat()}:{edition.programme_id}/{edition.as_of.isoformat()}"


def feed_xml(archive: Archive) -> bytes:
    """An Atom feed (RFC 4287), one entry per edition, newest first."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: Optional[str] = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "en"})
    sub(feed, "id", f"tag:{archive.authority},{archive.oldest.isoformat()}:archive")
    sub(feed, "title", "Progress reports")
    titles = sorted({e.title for e in archive.editions}, key=str.casefold)
    sub(feed, "subtitle", "Dated editions of: " + "; ".join(titles))
    sub(feed, "updated", _stamp(archive.updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=archive.url(FEED))
    sub(feed, "link", rel="alternate", type="text/html", href=archive.url(INDEX))
    sub(feed, "generator", "tracker")
    for edition in archive.editions:
        entry = sub(feed, "entry", **{XML_LANG: edition.language})
        sub(entry, "id", entry_id(archive, edition))
        sub(entry, "title", edition.heading)
        sub(entry, "updated", _stamp(edition.as_of))
        author = sub(entry, "author")
        sub(author, "name", edition.author)
        if edition.html:
            sub(entry, "link", rel="alternate", type="text/html", href=archive.url(edition.html))
        if edition.pdf:
            sub(entry, "link", rel="alternate" if not edition.html else "enclosure", type="application/pdf",
                href=archive.url(edition.pdf), length=str(edition.pdf_bytes))
        for href, kind, title in ((edition.csv_zip, ZIP_TYPE, "Data: CSV tables (zip)"),
                                  (edition.xlsx, XLSX_TYPE, "Data: XLSX workbook")):
            if href:
                sub(entry, "link", rel="related", type=kind, href=archive.url(href), title=title)
        if edition.counts is None:
            summary = "Status counts not available: the programme is no longer in policies/."
        else:
            noun = "priority" if edition.total == 1 else "priorities"
            summary = f"Status of {edition.total} {noun}: {counts_line(edition.counts)}."
        sub(entry, "summary", summary, type="text")
        for other in edition.translations:  # one entry per edition and language
            translated = sub(feed, "entry", **{XML_LANG: other.lang})
            sub(translated, "id", f"{entry_id(archive, edition)}/{other.lang}")
            sub(translated, "title", other.heading)
            sub(translated, "updated", _stamp(edition.as_of))
            author = sub(translated, "author")
            sub(author, "name", edition.author)
            if other.html:
                sub(translated, "link", rel="alternate", type="text/html", href=archive.url(other.html))
            if other.pdf:
                sub(translated, "link", rel="alternate" if not other.html else "enclosure", type="application/pdf",
                    href=archive.url(other.pdf), length=str(other.pdf_bytes))
            sub(translated, "summary", other.summary or summary, type="text")
    ET.indent(feed, space="  ")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n").encode("utf-8")


def publish(ws: Workspace, out: Path, base_url: Optional[str] = None) -> list[Path]:
    """Write each edition's data files beside it, then index.html and feed.xml into `out`;
    return the paths of the last two."""
    archive = collect(ws, out, base_url)
    for path, data in archive.data_files:  # first: the page links to them
        if not _has_bytes(path, data):
            atomic.write_bytes(path, data)
    files = [(out / INDEX, index_html(archive).encode("utf-8")), (out / FEED, feed_xml(archive))]
    for path, data in files:
        atomic.write_bytes(path, data)
    return [path for path, _ in files]


def _has_bytes(path: Path, data: bytes) -> bool:
    """Whether `path` already holds `data` (then it is left alone, its date too)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
