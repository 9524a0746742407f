"""`tracker sources check`: is every source link still there?

Each registered source with a URL is fetched (fetch.py, safely) and its result is one of `ok`
(a 2xx answer at that URL), `moved` (a 2xx answer after redirects to another URL, reported),
`gone` (404 or 410), `error` (any other status, a refused URL or address, too large, a TLS or
DNS failure, with the reason) or `timeout`. A source with no URL is listed as `no url`, and
checking nothing is not an error. Every result is appended, dated, to
`archive/<programme>/checks.jsonl`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any, Optional, Sequence
from urllib.parse import urlsplit

from tracker.errors import NotFound
from tracker.evidence import pool, records, state
from tracker.evidence.fetch import Fetched, Limits, fetch
from tracker.evidence.records import GONE, MOVED, NO_URL, OK, Check
from tracker.model.fields import did_you_mean
from tracker.model.records import Programme, Source
from tracker.model.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """One source of one programme."""

    programme_id: str
    source: Source

    @property
    def host(self) -> str:
        try:
            return (urlsplit(self.source.url or "").hostname or "").lower()
        except ValueError:
            return ""


@dataclass(frozen=True)
class Outcome:
    """What a check found for one source: a `Check`, or `no url`."""

    target: Target
    check: Optional[Check]

    @property
    def result(self) -> str:
        return self.check.result if self.check else NO_URL

    @property
    def passed(self) -> bool:
        return self.check is None or self.check.result in records.ALIVE

    def as_json(self, date: dt.date) -> dict[str, Any]:
        """The result as JSON: every result has the same keys, those a check cannot have null."""
        if self.check is not None:
            return {"programme": self.target.programme_id, **self.check.as_json()}
        shape = Check(date, self.target.source.id, "", NO_URL).as_json()
        return {"programme": self.target.programme_id, **shape, "url": None}


def select(ws: Workspace, programme_ids: tuple[str, ...]) -> list[Programme]:
    """The programmes named, in the order named (each once), or every programme when none is."""
    programmes = ws.load_all()
    if not programme_ids:
        return programmes
    by_id = {p.id: p for p in programmes}
    for pid in programme_ids:
        if pid not in by_id:
            raise NotFound(f"unknown programme {pid!r}{did_you_mean(pid, list(by_id))}")
    return [by_id[pid] for pid in dict.fromkeys(programme_ids)]


def targets(programmes: list[Programme], source_ids: tuple[str, ...] = ()) -> list[Target]:
    """Every source of the programmes (the registry, then the URLs cited directly: state.sources_of),
    or those with the ids given (each must exist)."""
    wanted = set(source_ids)
    every = [Target(p.id, s) for p in programmes for s in state.sources_of(p)]
    found = [t for t in every if not wanted or t.source.id in wanted]
    missing = wanted - {t.source.id for t in found}
    if missing:
        known = sorted({t.source.id for t in every})
        first = sorted(missing)[0]
        raise NotFound(f"unknown source {first!r} in programme{'s' if len(programmes) > 1 else ''} "
                       f"{', '.join(p.id for p in programmes)}{did_you_mean(first, known)}")
    return found


def classify(target: Target, fetched: Fetched, date: dt.date) -> Check:
    """The check record of one fetch."""
    url = target.source.url or ""
    if fetched.failed is not None:
        last = fetched.exchanges[-1] if fetched.exchanges else None
        return Check(date, target.source.id, url, fetched.failed.result,
                     http_status=last.status if last else None, final_url=fetched.final_url if last else None,
                     reason=fetched.failed.reason)
    final = fetched.final
    assert final is not None
    body = final.body
    common: dict[str, Any] = dict(http_status=final.status, final_url=final.url,
                                  content_type=final.header("Content-Type"), bytes=len(body),
                                  sha256=hashlib.sha256(body).hexdigest())
    if 200 <= final.status < 300:
        result = OK if final.url == url else MOVED
        return Check(date, target.source.id, url, result, **common)
    if final.status in (404, 410):
        return Check(date, target.source.id, url, GONE, **common, reason=f"HTTP {final.status}")
    return Check(date, target.source.id, url, records.ERROR, **common,
                 reason=f"HTTP {final.status}{' ' + final.reason if final.reason else ''}")


def failure(target: Target, date: dt.date, error: BaseException) -> Check:
    """The check of a source whose checking raised what nobody foresaw: that source's `error`,
    never the run's (the other sources' results are still recorded)."""
    log.debug("%s/%s: %s", target.programme_id, target.source.id, error, exc_info=error)
    return Check(date, target.source.id, target.source.url or "", records.ERROR,
                 reason=f"unexpected failure ({type(error).__name__}: {error})")


def check_sources(ws: Workspace, programme_ids: tuple[str, ...], date: dt.date, limits: Limits = Limits(),
                  jobs: int = pool.DEFAULT_JOBS) -> list[Outcome]:
    """Check every source of the programmes named (all when none); append the results, dated
    `date`, to each programme's checks.jsonl; return them in programme and registry order.

    Whatever happens to one source is that source's result; the results of the sources checked
    are appended even when the run is cut short (Ctrl-C)."""
    found = targets(select(ws, programme_ids))
    with_url = [t for t in found if t.source.url]
    slots = pool.HostSlots()
    checked: dict[int, Check] = {}

    def one(target: Target) -> Check:
        assert target.source.url is not None
        try:
            check = classify(target, fetch(target.source.url, limits, slots=slots), date)
        except Exception as error:  # noqa: BLE001 - one source's failure is its result
            check = failure(target, date, error)
        log.info("%s/%s: %s", target.programme_id, target.source.id, check.result)
        checked[id(target)] = check
        return check

    try:
        pool.run_all(with_url, one, lambda t: t.host, jobs=jobs)
    finally:
        for programme_id in dict.fromkeys(t.programme_id for t in found):
            folder = records.programme_folder(ws.archive, programme_id)
            records.append(folder / records.CHECKS, [checked[id(t)] for t in with_url
                                                     if t.programme_id == programme_id and id(t) in checked])
    return [Outcome(t, checked.get(id(t))) for t in found]


def shown_result(result: str, reason: str) -> str:
    """A result as the tables print it: `error: too large`, `timeout`, `gone`..."""
    return f"{result}: {reason}" if result in (records.ERROR, records.TIMEOUT) and reason else result


def table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """Plain-text columns; the last column is not padded."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]).rstrip()
                     for row in [header, *rows])


def as_table(outcomes: list[Outcome]) -> str:
    """One line per source: programme, source, result (with the reason), HTTP status, URL (and
    where it moved to)."""
    rows = []
    for outcome in outcomes:
        check = outcome.check
        url = outcome.target.source.url or "-"
        if check is not None and check.final_url and check.final_url != check.url:
            url = f"{url} -> {check.final_url}"
        rows.append((outcome.target.programme_id, outcome.target.source.id,
                     shown_result(check.result, check.reason) if check else NO_URL,
                     str(check.http_status) if check and check.http_status is not None else "-", url))
    return table(rows, ("PROGRAMME", "SOURCE", "RESULT", "HTTP", "URL"))


def as_json(outcomes: list[Outcome], date: dt.date) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.result] = counts.get(outcome.result, 0) + 1
    return {"date": date.isoformat(), "passed": all(o.passed for o in outcomes), "counts": counts,
            "results": [o.as_json(date) for o in outcomes]}
