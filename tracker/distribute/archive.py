"""`tracker publish`: an archive page and an Atom feed of every edition in reports/.

Both are rebuilt from the edition files found in the reports folder (`<id>/<id>-<as-of>.html`
and `.pdf`) and the programme data: each edition's status counts are computed from the data
at its as-of date. Nothing reads the clock, so the same reports give the same bytes.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlsplit

from tracker import templating
from tracker.digest.counts import Count, counts_line, status_counts
from tracker.edit import atomic
from tracker.errors import BadValue, NotFound
from tracker.model.fields import SLUG_RE
from tracker.model.records import Programme
from tracker.model.workspace import Workspace
from tracker.report.run.editions import edition_dates, is_regular_file

INDEX, FEED = "index.html", "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DEFAULT_AUTHORITY = "tracker.invalid"  # tag: URI authority when no --base-url names the site


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


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_BASE_URL = re.compile(
    r"https://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<path>/(?:[A-Za-z0-9._~!$&()*+,;=:@-]|%[0-9A-Fa-f]{2}|/)*)?", re.ASCII | re.IGNORECASE)
_DNS_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*\.?", re.ASCII)


def check_base_url(value: str) -> str:
    """The address the reports folder is served at, as https://host[:port]/path/ (a final slash
    added): a DNS name or IP address, an optional port, a path. Anything else (another scheme, a
    user name or password, a query, a fragment, spaces, quotes) would end up in every link and
    id of the feed: it is refused (`BadValue`)."""
    scheme, _, rest = value.partition("://")
    authority = rest.split("/", 1)[0]
    match = _BASE_URL.fullmatch(value)
    why = ("https:// only" if scheme.lower() != "https" or not rest
           else "no user name or password" if "@" in authority
           else "no query or fragment" if "?" in value or "#" in value
           else "a malformed address" if match is None
           else "a malformed host" if not _good_host(match["host"])
           else "a port from 1 to 65535" if match["port"] is not None and not 0 < int(match["port"]) < 65536
           else "no . or .. in the path" if any(part in (".", "..") for part in (match["path"] or "").split("/"))
           else None)
    if why is not None:
        shown = repr(value if len(value) <= 80 else value[:77] + "...")
        raise BadValue(f"expected an address such as https://example.org/reports/ ({why}) but got {shown}")
    return value if value.endswith("/") else value + "/"


def _good_host(host: str) -> bool:
    """A DNS name, an IPv4 address, or an IPv6 address in brackets."""
    if host.startswith("["):
        try:
            return ipaddress.ip_address(host[1:-1]).version == 6
        except ValueError:
            return False
    if host.replace(".", "").isdigit():
        try:
            return ipaddress.ip_address(host).version == 4
        except ValueError:
            return False
    return len(host) <= 253 and _DNS_NAME.fullmatch(host) is not None


def collect(ws: Workspace, out: Path, base_url: Optional[str] = None) -> Archive:
    """Every edition in `out`, newest first, with its status counts."""
    if not out.is_dir():
        raise NotFound(f"{ws.display(out)}: no reports folder; run `tracker report` first")
    programmes = {p.id: p for p in ws.load_all()}
    found = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and SLUG_RE.fullmatch(p.name)):
        for as_of in edition_dates(folder, folder.name):
            found.append(_edition(folder, programmes.get(folder.name), as_of))
    if not found:
        raise NotFound(f"{ws.display(out)}: no editions to publish; run `tracker report` first")
    found.sort(key=lambda e: (-e.as_of.toordinal(), e.title.casefold(), e.programme_id))
    return Archive(found, base_url)


def _edition(folder: Path, programme: Optional[Programme], as_of: dt.date) -> PublishedEdition:
    pid = folder.name
    stem = f"{pid}-{as_of.isoformat()}"
    html, pdf = folder / f"{stem}.html", folder / f"{stem}.pdf"
    href = lambda path: f"{quote(pid)}/{quote(path.name)}"  # noqa: E731
    return PublishedEdition(
        programme_id=pid,
        title=" ".join(programme.title.split()) if programme else pid,
        language=programme.language if programme else "en",
        author=(programme.owner or programme.title) if programme else pid,
        as_of=as_of,
        html=href(html) if is_regular_file(html) else None,
        pdf=href(pdf) if is_regular_file(pdf) else None,
        pdf_bytes=pdf.lstat().st_size if is_regular_file(pdf) else None,
        counts=status_counts(programme, as_of) if programme else None,
    )


def index_html(archive: Archive) -> str:
    return templating.environment().get_template("publish_index.html").render(archive=archive, feed=FEED)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(archive: Archive, edition: PublishedEdition) -> str:
    """Stable: the same edition always has the same id (RFC 4151 tag: URI)."""
    return f"tag:{archive.authority},{edition.as_of.isoformat()}:{edition.programme_id}/{edition.as_of.isoformat()}"


#: Characters XML 1.0 does not allow anywhere in a document (ElementTree would write them raw).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can hold it. Validation refuses such characters in programme files; this
    keeps the feed well-formed whatever reaches it."""
    return _NOT_XML.sub("\ufffd", text)


def feed_xml(archive: Archive) -> bytes:
    """An Atom feed (RFC 4287), one entry per edition, newest first."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: Optional[str] = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            element.text = xml_text(text)
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
        if edition.counts is None:
            summary = "Status counts not available: the programme is no longer in policies/."
        else:
            noun = "priority" if edition.total == 1 else "priorities"
            summary = f"Status of {edition.total} {noun}: {counts_line(edition.counts)}."
        sub(entry, "summary", summary, type="text")
    ET.indent(feed, space="  ")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n").encode("utf-8")


def publish(ws: Workspace, out: Path, base_url: Optional[str] = None) -> list[Path]:
    """Write index.html and feed.xml into `out`; return their paths."""
    archive = collect(ws, out, base_url)
    files = [(out / INDEX, index_html(archive).encode("utf-8")), (out / FEED, feed_xml(archive))]
    for path, data in files:
        atomic.write_bytes(path, data)
    return [path for path, _ in files]
