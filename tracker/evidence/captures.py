"""`tracker sources archive`, `show` and `extract`: web-archive captures of the sources.

A capture is a WARC file (ISO 28500, written and read with warcio) holding, for each HTTP
exchange of the fetch (redirects included), the request as sent and the response as received,
at `archive/<programme>/<source-id>/<YYYY-MM-DD>.warc.gz`, and a line in
`archive/<programme>/captures.jsonl` (date, URL, SHA-256 and size of the payload, the file).
Only a final 2xx answer is stored. A payload whose SHA-256 equals that of the source's latest
capture is not stored again. A second capture on the same day, of a changed payload, is added
to that day's file (WARC files are a sequence of records). Each capture is stored as soon as it
is fetched, under the lock of the programme's archive (the lock file of captures.jsonl): the
source's latest capture is read again, the WARC file is written to a temporary file and renamed,
and then its line is added. So concurrent runs see each other's captures (an unchanged payload
is stored once) and never rewrite a WARC file another run is adding to; a line vouches for its
file, which is always in place before it. Lines come in the order sources were stored.

Responses are stored with their body after transfer decoding (http.client undoes chunking),
so a `Transfer-Encoding` header is kept as `X-Archive-Orig-Transfer-Encoding` (the name pywb
and others use), and readers find the payload as it was served.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tracker import __version__
from tracker.edit import atomic, lock
from tracker.errors import EvidenceError, NotFound
from tracker.evidence import pool, records, state
from tracker.evidence.checks import Target, classify, failure, select, shown_result, table, targets
from tracker.evidence.fetch import USER_AGENT, Exchange, Fetched, Limits, fetch
from tracker.evidence.records import NO_URL, Capture, Check
from tracker.model.lookup import find_source
from tracker.model.records import Source
from tracker.model.workspace import Workspace

log = logging.getLogger(__name__)

ARCHIVED, UNCHANGED = "archived", "unchanged"


@dataclass(frozen=True)
class Archived:
    """What archiving one source did: `archived` (stored), `unchanged` (same payload as the latest
    capture, not stored again), `no url`, or the check result that kept it from being stored."""

    target: Target
    result: str
    capture: Optional[Capture] = None  # the new capture, or the latest one when unchanged
    check: Optional[Check] = None  # what the fetch found (None for no url)

    @property
    def passed(self) -> bool:
        return self.result in (ARCHIVED, UNCHANGED, NO_URL)

    def as_json(self) -> dict[str, Any]:
        return {"programme": self.target.programme_id, "source_id": self.target.source.id,
                "url": self.target.source.url, "result": self.result,
                "reason": self.check.reason if self.check else "",
                "capture": self.capture.as_json() if self.capture else None}


def warc_name(date: dt.date) -> str:
    return f"{date.isoformat()}.warc.gz"


def archive_sources(ws: Workspace, programme_ids: tuple[str, ...], source_ids: tuple[str, ...], date: dt.date,
                    limits: Limits = Limits(), jobs: int = pool.DEFAULT_JOBS) -> list[Archived]:
    """Capture the sources named (all when none) of the programmes named (all when none).

    Whatever happens to one source (an answer nobody foresaw included) is that source's result,
    never the run's. Each capture is stored under the lock of its programme's archive: the
    latest capture is read again there, the WARC file appended to and the line added, so that
    concurrent runs neither lose each other's records nor store one payload twice."""
    found = targets(select(ws, programme_ids), source_ids)
    slots = pool.HostSlots()

    def one(target: Target) -> Archived:
        if not target.source.url:
            return Archived(target, NO_URL)
        try:
            fetched = fetch(target.source.url, limits, slots=slots)
            check = classify(target, fetched, date)
            if check.result not in records.ALIVE:
                return Archived(target, check.result, check=check)
            return _store(ws, target, fetched, check, date)
        except Exception as error:  # noqa: BLE001 - one source's failure is its result
            check = failure(target, date, error)
            return Archived(target, check.result, check=check)

    return pool.run_all(found, one, lambda t: t.host, jobs=jobs)


def _store(ws: Workspace, target: Target, fetched: Fetched, check: Check, date: dt.date) -> Archived:
    """Store a fetched payload unless it is the source's latest capture, under the archive's lock."""
    assert check.sha256 is not None and check.bytes is not None and target.source.url
    folder = records.programme_folder(ws.archive, target.programme_id)
    index = folder / records.CAPTURES
    folder.mkdir(parents=True, exist_ok=True)
    with lock.locked(index, shown=ws.display(index)):
        previous = None
        for capture in records.read_captures(folder):
            if capture.source_id == target.source.id and (previous is None or capture.date >= previous.date):
                previous = capture
        if previous is not None and previous.payload_sha256 == check.sha256:
            return Archived(target, UNCHANGED, previous, check)
        file = f"{target.source.id}/{warc_name(date)}"
        capture = Capture(date, target.source.id, target.source.url, check.sha256, check.bytes, file,
                          final_url=check.final_url, http_status=check.http_status, content_type=check.content_type)
        path = folder / file
        atomic.write_bytes(path, records.read_bytes(path) + warc_bytes(fetched, path.name))
        records.append_locked(index, records.line_of(capture))  # the line vouches for the file written
    log.info("%s/%s: archived to %s", target.programme_id, target.source.id, file)
    return Archived(target, ARCHIVED, capture, check)


def warc_bytes(fetched: Fetched, filename: str) -> bytes:
    """A gzipped WARC of a fetch: a warcinfo record, then a request and a response record per exchange."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": f"tracker {__version__}", "http-header-user-agent": USER_AGENT,
        "format": "WARC File Format 1.1", "conformsTo": "https://iso.org/standard/68004.html",
        "description": f"capture of {fetched.url}",
    }))
    for exchange in fetched.exchanges:
        response = _response_record(writer, exchange)
        request = writer.create_warc_record(exchange.url, "request", payload=io.BytesIO(exchange.request),
                                            length=len(exchange.request),
                                            warc_headers_dict={"WARC-IP-Address": exchange.address,
                                                               "WARC-Concurrent-To": _id(response)})
        writer.write_record(request)
        writer.write_record(response)
    return out.getvalue()


def _one_line(text: str) -> str:
    """A header name or value that cannot end its line early: a WARC reader splits header lines at
    any CR or LF, so one left in a value (a folded header, a bare CR) would hide the headers after it."""
    return _LINE_BREAKS.sub(" ", text)


_LINE_BREAKS = re.compile("[\r\n]+")


def _response_record(writer: WARCWriter, exchange: Exchange) -> Any:
    headers = [("X-Archive-Orig-Transfer-Encoding" if k.lower() == "transfer-encoding" else _one_line(k), _one_line(v))
               for k, v in exchange.headers]
    http_headers = StatusAndHeaders(f"{exchange.status} {exchange.reason}".rstrip(), headers,
                                    protocol=exchange.protocol)
    return writer.create_warc_record(exchange.url, "response", payload=io.BytesIO(exchange.body),
                                     length=len(exchange.body), http_headers=http_headers,
                                     warc_headers_dict={"WARC-IP-Address": exchange.address})


def _id(record: Any) -> str:
    return str(record.rec_headers.get_header("WARC-Record-ID"))


@dataclass(frozen=True)
class History:
    """Everything the archive holds about one source: `tracker sources show`."""

    programme_id: str
    source: Source
    captures: list[Capture]
    checks: list[Check]


def history(ws: Workspace, programme_id: str, source_id: str) -> History:
    programme = select(ws, (programme_id,))[0]
    source = next((s for s in state.sources_of(programme) if s.id == source_id), None) or find_source(programme, source_id)
    folder = records.programme_folder(ws.archive, programme_id)
    return History(programme_id, source,
                   sorted((c for c in records.read_captures(folder) if c.source_id == source_id), key=lambda c: c.date),
                   sorted((c for c in records.read_checks(folder) if c.source_id == source_id), key=lambda c: c.date))


def capture_on(ws: Workspace, programme_id: str, source_id: str, date: Optional[dt.date]) -> Capture:
    """The source's latest capture on or before `date` (the latest of all when None)."""
    found = history(ws, programme_id, source_id).captures
    known = [c for c in found if date is None or c.date <= date]
    if not known:
        when = f" on or before {date.isoformat()}" if date else ""
        dates = f" (captures: {', '.join(c.date.isoformat() for c in found)})" if found else ""
        raise NotFound(f"no capture of {programme_id}/{source_id}{when}{dates}; "
                       f"run `tracker sources archive {programme_id} --source {source_id}`")
    return known[-1]


def extract(ws: Workspace, programme_id: str, source_id: str, date: Optional[dt.date], out: Path) -> Capture:
    """Write the payload of the source's capture on `date` (latest on or before it) to `out`."""
    capture = capture_on(ws, programme_id, source_id, date)
    path = records.programme_folder(ws.archive, programme_id) / capture.file
    payload = payload_of(path, capture.payload_sha256, ws.display(path))
    atomic.write_bytes(out, payload)
    return capture


def payload_of(path: Path, sha256: str, shown: str) -> bytes:
    """The payload of the response record in the WARC file `path` whose SHA-256 is `sha256`."""
    try:
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type != "response":
                    continue
                payload = record.raw_stream.read()
                if hashlib.sha256(payload).hexdigest() == sha256:
                    return bytes(payload)
    except FileNotFoundError:
        raise EvidenceError(f"{shown}: the WARC file of this capture is missing") from None
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        raise EvidenceError(f"{shown}: not a readable WARC file ({error})") from None
    raise EvidenceError(f"{shown}: no response with payload SHA-256 {sha256[:12]}… in this WARC file")


def as_table(done: list[Archived]) -> str:
    """One line per source: programme, source, result (with the reason), the capture's file and digest."""
    rows = []
    for item in done:
        result = shown_result(item.result, item.check.reason if item.check else "")
        where = "-"
        if item.capture is not None:
            where = f"archive/{item.target.programme_id}/{item.capture.file} SHA-256 {item.capture.payload_sha256[:8]}…"
            if item.result == UNCHANGED:
                where = f"same as {item.capture.date.isoformat()}: {where}"
        rows.append((item.target.programme_id, item.target.source.id, result, where))
    return table(rows, ("PROGRAMME", "SOURCE", "RESULT", "CAPTURE"))


def history_text(found: History) -> str:
    """`tracker sources show`: the source, its captures and its checks, oldest first."""
    source = found.source
    lines = [f"{found.programme_id}/{source.id}: {source.title}", f"URL: {source.url or 'none recorded'}", ""]
    if found.captures:
        lines.append(f"Captures ({len(found.captures)}):")
        lines.append(table([(c.date.isoformat(), c.payload_sha256, str(c.size), c.content_type or "-",
                             f"archive/{found.programme_id}/{c.file}") for c in found.captures],
                           ("DATE", "PAYLOAD SHA-256", "BYTES", "CONTENT TYPE", "FILE")))
    else:
        lines.append("Captures: none")
    lines.append("")
    if found.checks:
        lines.append(f"Checks ({len(found.checks)}):")
        lines.append(table([(c.date.isoformat(), shown_result(c.result, c.reason),
                             str(c.http_status) if c.http_status is not None else "-",
                             c.url if not c.final_url or c.final_url == c.url else f"{c.url} -> {c.final_url}")
                            for c in found.checks], ("DATE", "RESULT", "HTTP", "URL")))
    else:
        lines.append("Checks: none")
    return "\n".join(lines)
