"""Sources against servers that misbehave, names that are one host, and runs side by side: one
source's failure stays that source's, the limit per host holds on the address connected to, and
nothing recorded is lost."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from html import unescape
from pathlib import Path
from typing import Any, Iterator

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import run
from evidence_support import HTML, Raw, Route, Site
from tracker.evidence import captures, fetch as fetching
from tracker.evidence.checks import Target, classify
from tracker.evidence.fetch import Limits, fetch
from tracker.evidence.state import url_source_id
from tracker.model.records import Source
from tracker.model.workspace import Workspace
from tracker.report import RenderOptions, build

DAY = dt.date(2026, 12, 2)
LOCAL = Limits(timeout=5, allow_private=True)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site()
    server.routes.update({"/page": Route(body=HTML), "/other": Route(body=HTML + b"<!-- other -->")})
    yield server
    server.close()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tracker.cli.editions.sources.today", lambda: DAY)


def programme(sources: dict[str, str | None]) -> str:
    lines = ["id: demo", "title: Demo", "sources:"]
    for sid, url in sources.items():
        lines.append(f"  - {{id: {sid}, title: Source {sid}" + (f", url: \"{url}\"}}" if url else "}"))
    lines += ["priorities:", "  - id: roads", "    title: Roads", "    history:",
              f"      - {{date: 2024-01-01, status: in_progress, note: x, sources: [{next(iter(sources))}]}}"]
    return "\n".join(lines) + "\n"


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def check(url: str) -> Any:
    return classify(Target("demo", Source("s", "S", url=url)), fetch(url, LOCAL), DAY)


# --- an answer nobody foresaw is that source's error ------------------------------------------------

@pytest.mark.parametrize("answer, reason", [
    (b"HTTP/1.1 302 Found\r\nLocation: http://[::1/x\r\nContent-Length: 0\r\n\r\n",
     "redirect to a malformed URL"),
    (b"HTTP/1.1 301 Moved\r\nLocation: http://example.org:99999999/\r\nContent-Length: 0\r\n\r\n",
     "not a valid URL"),
    ("HTTP/1.1 200 OK\r\nContent-Length: \u00b2\r\n\r\nhello".encode("latin-1"), "malformed Content-Length"),
    ("HTTP/1.1 200 OK\r\nContent-Length: \u0665\r\n\r\nhello".encode("utf-8"), "malformed Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 5, 7\r\n\r\nhello", "malformed Content-Length"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello", "malformed Content-Length"),
    (b"HTTP/9.9 200 OK\r\n\r\n", "bad HTTP answer"),
])
def test_a_malformed_answer_is_an_error_of_that_source(answer: bytes, reason: str) -> None:
    server = Raw(answer)
    try:
        found = check(server.url())
    finally:
        server.close()
    assert found.result == "error" and found.reason.startswith(reason), found


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhello",
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
])
def test_a_body_cut_short_is_an_error_and_nothing_is_stored(workspace, today, answer: bytes) -> None:
    server = Raw(answer)
    try:
        assert (check(server.url()).result, check(server.url()).reason) == ("error", "body cut short")
        root = workspace({"demo.yaml": programme({"cut": server.url("/cut")})})
        result = run("sources", "archive", "--allow-private", root=root)
    finally:
        server.close()
    assert result.exit_code == 1
    assert "error: body cut short" in result.stdout
    assert not (root / "archive" / "demo" / "cut").exists()
    assert lines_of(root / "archive" / "demo" / "captures.jsonl") == []


def test_any_exception_from_one_source_is_its_error_and_every_other_result_is_recorded(
        workspace, site: Site, today, monkeypatch: pytest.MonkeyPatch) -> None:
    bad_ipv6 = Raw(b"HTTP/1.1 302 Found\r\nLocation: http://[::1/x\r\nContent-Length: 0\r\n\r\n")
    bad_length = Raw("HTTP/1.1 200 OK\r\nContent-Length: \u00b2\r\n\r\nhello".encode("latin-1"))
    real = fetching._exchange

    def exploding(url: str, *args: Any) -> Any:  # a failure of the code itself, not of the network
        if url.endswith("/explodes"):
            raise RuntimeError("something nobody foresaw")
        return real(url, *args)

    monkeypatch.setattr(fetching, "_exchange", exploding)
    try:
        root = workspace({"demo.yaml": programme({
            "page": site.url("/page"), "ipv6": bad_ipv6.url(), "length": bad_length.url(),
            "explodes": site.url("/explodes"), "other": site.url("/other")})})
        checked = run("sources", "check", "--allow-private", "--json", root=root)
        archived = run("sources", "archive", "--allow-private", root=root)
    finally:
        bad_ipv6.close()
        bad_length.close()
    assert checked.exit_code == 1, checked.stderr
    results = {r["source_id"]: (r["result"], r["reason"]) for r in json.loads(checked.stdout)["results"]}
    assert results["page"] == results["other"] == ("ok", "")
    assert results["ipv6"][0] == results["length"][0] == results["explodes"][0] == "error"
    assert "something nobody foresaw" in results["explodes"][1]
    folder = root / "archive" / "demo"
    assert [line["source_id"] for line in lines_of(folder / "checks.jsonl")] == [
        "page", "ipv6", "length", "explodes", "other"]
    assert archived.exit_code == 1, archived.stderr
    assert "Traceback" not in archived.stdout + archived.stderr
    stored = lines_of(folder / "captures.jsonl")
    assert sorted(line["source_id"] for line in stored) == ["other", "page"]
    for line in stored:  # every WARC file written has its line: no orphans
        assert (folder / line["file"]).is_file()
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["other", "page"]


def test_no_url_results_have_the_keys_every_other_result_has(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"page": site.url("/page"), "bare": None})})
    data = json.loads(run("sources", "check", "--allow-private", "--json", root=root).stdout)
    page, bare = data["results"]
    assert list(bare) == list(page)
    assert bare == {**{key: None for key in page}, "programme": "demo", "source_id": "bare", "result": "no url",
                    "date": "2026-12-02", "reason": ""}


@pytest.mark.parametrize("header, value", [(b"X-Odd: a\rb", "a b"), (b"X-Odd: a\r ", "a"),
                                           (b"X-Odd: a\r\n folded", "a folded")])
def test_a_header_with_a_bare_cr_or_folded_does_not_hide_the_headers_after_it(workspace, today, header: bytes,
                                                                              value: str) -> None:
    server = Raw(b"HTTP/1.1 200 OK\r\n" + header + b"\r\nX-After: kept\r\nContent-Type: text/html\r\n"
                 b"Content-Length: 5\r\n\r\nhello")
    try:
        root = workspace({"demo.yaml": programme({"odd": server.url()})})
        assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    finally:
        server.close()
    with (root / "archive" / "demo" / "odd" / "2026-12-02.warc.gz").open("rb") as handle:
        found = [(r.http_headers, r.content_stream().read()) for r in ArchiveIterator(handle)
                 if r.rec_type == "response"]
    [(headers, payload)] = found
    assert headers.get_header("X-Odd") == value
    assert headers.get_header("X-After") == "kept" and headers.get_header("Content-Type") == "text/html"
    assert payload == b"hello"


# --- at most 2 at a time to one host: the address connected to ----------------------------------

def test_the_limit_per_host_holds_for_every_name_of_one_address_and_for_redirect_targets(
        workspace, today) -> None:
    target = Site()
    first, second = Site("127.0.0.2"), Site("127.0.0.3")
    target.routes["/slow"] = Route(body=HTML, delay=0.3)
    for hop in (first, second):
        hop.routes["/go"] = Route(302, b"", headers={"Location": target.url("/slow")})
    try:
        names = ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f000001"]
        sources = {f"n{i}": f"http://{name}:{target.port}/slow?{i}" for i, name in enumerate(names * 2)}
        root = workspace({"demo.yaml": programme(sources)})
        result = run("sources", "check", "--allow-private", "--jobs", "8", "--json", root=root)
        assert {r["result"] for r in json.loads(result.stdout)["results"]} == {"ok"}
        assert len(target.requests) == 10 and target.most_at_once == 2
        target.most_at_once = 0
        hops = {f"r{i}": (first if i % 2 else second).url(f"/go?{i}") for i in range(6)}
        root = workspace({"demo.yaml": programme(hops)})
        result = run("sources", "check", "--allow-private", "--jobs", "8", "--json", root=root)
        assert {r["result"] for r in json.loads(result.stdout)["results"]} == {"moved"}
        assert target.most_at_once == 2
    finally:
        for server in (target, first, second):
            server.close()


def test_waiting_for_a_host_does_not_count_against_the_timeout(workspace, today) -> None:
    target = Site()
    target.routes["/slow"] = Route(body=HTML, delay=0.6)
    try:
        root = workspace({"demo.yaml": programme({f"s{i}": target.url(f"/slow?{i}") for i in range(6)})})
        result = run("sources", "check", "--allow-private", "--timeout", "1", "--json", root=root)
    finally:
        target.close()
    assert {r["result"] for r in json.loads(result.stdout)["results"]} == {"ok"}  # 3 rounds of 0.6 s


# --- runs side by side ------------------------------------------------------------------------------

def test_concurrent_archive_runs_store_each_payload_once_and_lose_no_record(workspace, site: Site) -> None:
    site.routes["/slowish"] = Route(body=b"<p>slowish</p>", delay=0.2)
    root = workspace({"demo.yaml": programme({"page": site.url("/page"), "other": site.url("/other"),
                                              "slowish": site.url("/slowish")})})
    ws = Workspace.at(root)
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def archive() -> None:
        try:
            start.wait()
            captures.archive_sources(ws, (), (), DAY, LOCAL)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=archive) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    folder = root / "archive" / "demo"
    stored = lines_of(folder / "captures.jsonl")
    assert sorted(line["source_id"] for line in stored) == ["other", "page", "slowish"]
    for line in stored:
        with (folder / line["file"]).open("rb") as handle:
            payloads = [r.content_stream().read() for r in ArchiveIterator(handle) if r.rec_type == "response"]
        assert [hashlib.sha256(p).hexdigest() for p in payloads] == [line["payload_sha256"]]


@pytest.mark.parametrize("timeout", ["nan", "NaN", "inf", "-inf", "1e400", "0", "-1", "0.0", "3601", "", "soon"])
def test_a_timeout_that_is_not_a_finite_number_of_seconds_is_a_usage_error(workspace, today, timeout: str) -> None:
    root = workspace({"demo.yaml": programme({"a": "https://example.org/"})})
    result = run("sources", "check", "--timeout", timeout, root=root)
    assert result.exit_code == 2, result.stdout
    assert f"expected a number of seconds above 0 and at most 3600 but got {timeout!r}" in result.stderr
    assert not (root / "archive").exists()


@pytest.mark.parametrize("timeout", ["0.5", "3600", "2e1"])
def test_a_finite_timeout_is_accepted(workspace, today, timeout: str) -> None:
    root = workspace({"demo.yaml": programme({"bare": None})})
    assert run("sources", "check", "--timeout", timeout, root=root).exit_code == 0


# --- URLs cited directly are sources too -------------------------------------------------------------

def cited_programme(site: Site) -> str:
    return f"""\
id: demo
title: Demo
review: required
sources:
  - {{id: gazette, title: Gazette, url: "{site.url('/page')}"}}
priorities:
  - id: roads
    title: Roads
    history:
      - {{date: 2024-01-01, status: in_progress, note: x, sources: [gazette, "{site.url('/page')}"]}}
      - {{date: 2024-02-01, status: in_progress, note: y, sources: ["{site.url('/cited-gone')}"]}}
      - {{date: 2024-03-01, status: in_progress, note: z, sources: ["{site.url('/draft-only')}"], by: ana, draft: true}}
    milestones:
      - {{id: m, title: M, sources: ["{site.url('/other')}"]}}
    indicators:
      - id: km
        title: Km
        unit: km
        baseline: {{date: 2024-01-01, value: 0, source: "{site.url('/other')}"}}
        observations:
          - {{date: 2024-02-01, value: 3, source: "{site.url('/figure')}"}}
"""


def test_urls_cited_directly_are_checked_archived_and_flagged_dead_under_a_stable_id(
        workspace, site: Site, today) -> None:
    site.routes["/figure"] = Route(body=b"<p>3 km</p>")
    root = workspace({"demo.yaml": cited_programme(site)})
    result = run("sources", "check", "--allow-private", "--json", root=root)
    found = {r["source_id"]: (r["url"], r["result"]) for r in json.loads(result.stdout)["results"]}
    gone, other, figure = (url_source_id(site.url(p)) for p in ("/cited-gone", "/other", "/figure"))
    assert found == {"gazette": (site.url("/page"), "ok"), gone: (site.url("/cited-gone"), "gone"),
                     other: (site.url("/other"), "ok"), figure: (site.url("/figure"), "ok")}
    assert gone == "url-" + hashlib.sha256(site.url("/cited-gone").encode()).hexdigest()[:12]
    assert result.exit_code == 1  # the cited link is gone
    archived = run("sources", "archive", "--allow-private", "--source", figure, root=root)
    assert archived.exit_code == 0, archived.stderr
    assert (root / "archive" / "demo" / figure / "2026-12-02.warc.gz").is_file()
    shown = run("sources", "show", f"demo/{figure}", root=root)
    assert shown.exit_code == 0 and f"URL: {site.url('/figure')}" in shown.stdout and "Captures (1)" in shown.stdout
    status = json.loads(run("status", "--json", "--as-of", "2026-12-02", root=root).stdout)
    assert status["programmes"][0]["priorities"][0]["dead_sources"] == [site.url("/cited-gone")]


def test_an_edition_says_a_link_cited_directly_is_dead(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": cited_programme(site)})
    run("sources", "check", "--allow-private", root=root)
    ws = Workspace.at(root)
    path = build(ws, DAY, ("html",), ws.reports, RenderOptions()).paths[0]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())
    assert f"{site.url('/cited-gone')} Evidence: link dead since 2026-12-02 (no archived copy) ." in text
