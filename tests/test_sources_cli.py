"""`tracker sources check | archive | show | extract` as a user runs them, against loopback servers;
WARC files are read back with warcio."""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path
from typing import Callable, Iterator

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import run
from evidence_support import HTML, PDF, Route, Silent, Site
from tracker import __version__

DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site()
    server.routes.update({
        "/page": Route(body=HTML),
        "/report.pdf": Route(body=PDF, content_type="application/pdf"),
        "/old": Route(301, b"", headers={"Location": "/page"}),
        "/loop": Route(302, b"", headers={"Location": "/loop"}),
        "/gone": Route(410, b"gone", "text/plain"),
        "/broken": Route(500, b"oops", "text/plain"),
        "/slow": Route(delay=4),
        "/huge": Route(body=b"z" * (25 * 1024 * 1024 + 1), content_type="application/pdf"),
        "/chunked": Route(body=HTML * 20, chunked=True),
    })
    yield server
    server.close()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr("tracker.cli.editions.sources.today", lambda: day)

    set_day(DAY)
    return set_day


def programme(sources: dict[str, str | None]) -> str:
    lines = ["id: demo", "title: Demo", "sources:"]
    for sid, url in sources.items():
        lines.append(f"  - {{id: {sid}, title: Source {sid}" + (f", url: \"{url}\"}}" if url else "}"))
    lines += ["priorities:", "  - id: roads", "    title: Roads", "    history:",
              f"      - {{date: 2024-01-01, status: in_progress, note: x, sources: [{next(iter(sources))}]}}"]
    return "\n".join(lines) + "\n"


def checks_of(root: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (root / "archive" / "demo" / "checks.jsonl").read_text().splitlines()]


def test_check_lists_every_result_appends_them_and_exits_1_when_a_link_is_bad(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({
        "page": site.url("/page"), "pdf": site.url("/report.pdf"), "old": site.url("/old"),
        "missing": site.url("/nowhere"), "gone": site.url("/gone"), "broken": site.url("/broken"),
        "loop": site.url("/loop"), "slow": site.url("/slow"), "bare": None,
    })})
    result = run("sources", "check", "--allow-private", "--timeout", "1", root=root)
    assert result.exit_code == 1, result.stderr
    rows = {line.split()[1]: line for line in result.stdout.splitlines()[1:]}
    assert result.stdout.splitlines()[0].split() == ["PROGRAMME", "SOURCE", "RESULT", "HTTP", "URL"]
    assert rows["page"].split()[2:4] == ["ok", "200"]
    assert rows["old"].split()[2:4] == ["moved", "200"] and rows["old"].endswith(f"-> {site.url('/page')}")
    assert rows["missing"].split()[2:4] == ["gone", "404"]
    assert rows["gone"].split()[2:4] == ["gone", "410"]
    assert "error: HTTP 500 Internal Server Error" in rows["broken"]
    assert "error: redirect loop" in rows["loop"]
    assert "timeout" in rows["slow"]
    assert rows["bare"].split()[2:4] == ["no", "url"]
    lines = checks_of(root)
    assert [line["source_id"] for line in lines] == ["page", "pdf", "old", "missing", "gone", "broken", "loop", "slow"]
    page = lines[0]
    assert page == {"date": "2026-12-02", "source_id": "page", "url": site.url("/page"), "result": "ok",
                    "http_status": 200, "final_url": site.url("/page"), "content_type": "text/html; charset=utf-8",
                    "bytes": len(HTML), "sha256": hashlib.sha256(HTML).hexdigest(), "reason": ""}
    assert {line["source_id"]: line["result"] for line in lines} == {
        "page": "ok", "pdf": "ok", "old": "moved", "missing": "gone", "gone": "gone", "broken": "error",
        "loop": "error", "slow": "timeout"}


def test_check_exits_0_when_every_link_is_ok_or_moved_and_json_is_one_document(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"page": site.url("/page"), "old": site.url("/old"), "bare": None})})
    result = run("sources", "check", "demo", "--allow-private", "--json", root=root)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["date"] == "2026-12-02" and data["passed"] is True
    assert data["counts"] == {"ok": 1, "moved": 1, "no url": 1}
    assert [(r["source_id"], r["result"]) for r in data["results"]] == [("page", "ok"), ("old", "moved"),
                                                                        ("bare", "no url")]
    assert data["results"][1]["final_url"] == site.url("/page")


def test_check_refuses_loopback_without_allow_private_and_credentials_always(workspace, site: Site, today) -> None:
    before = len(site.requests)
    root = workspace({"demo.yaml": programme({
        "local": site.url("/page"), "named": f"http://localhost:{site.port}/page",
        "secret": f"http://user:pw@127.0.0.1:{site.port}/page"})})
    result = run("sources", "check", "--json", root=root)
    assert result.exit_code == 1
    reasons = {r["source_id"]: (r["result"], r["reason"]) for r in json.loads(result.stdout)["results"]}
    assert reasons["local"] == ("error", "loopback address 127.0.0.1 refused (--allow-private allows it)")
    assert reasons["named"][0] == "error" and "loopback address" in reasons["named"][1]
    assert reasons["secret"] == ("error", "credentials in URL refused")
    allowed = run("sources", "check", "--json", "--allow-private", root=root)
    assert {r["source_id"]: r["result"] for r in json.loads(allowed.stdout)["results"]}["secret"] == "error"
    assert [path for path, _ in site.requests[before:]] == ["/page", "/page"]  # only with --allow-private


def test_a_server_that_never_answers_does_not_hang_the_run(workspace, today) -> None:
    silent = Silent()
    try:
        root = workspace({"demo.yaml": programme({f"s{n}": silent.url(f"/{n}") for n in range(4)})})
        result = run("sources", "check", "--allow-private", "--timeout", "1", "--json", root=root)
        assert result.exit_code == 1
        assert {r["result"] for r in json.loads(result.stdout)["results"]} == {"timeout"}
    finally:
        silent.close()


def test_check_of_an_unknown_programme_is_exit_1_with_a_hint(workspace, today) -> None:
    root = workspace({"demo.yaml": programme({"a": "https://example.org/"})})
    result = run("sources", "check", "dmeo", root=root)
    assert result.exit_code == 1
    assert result.stderr == "error: unknown programme 'dmeo'; did you mean 'demo'?\n"
    assert not (root / "archive").exists()


def test_bad_options_are_usage_errors(workspace, today) -> None:
    root = workspace({"demo.yaml": programme({"a": "https://example.org/"})})
    assert run("sources", "check", "--jobs", "0", root=root).exit_code == 2
    assert run("sources", "check", "--timeout", "0", root=root).exit_code == 2
    assert run("sources", "extract", "demo/a", root=root).exit_code == 2  # --out is required
    assert run("sources", "show", "demo", root=root).exit_code == 2


def records_of(path: Path) -> list[tuple[str, str, bytes, object]]:
    out = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            payload = record.content_stream().read()
            out.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI") or "", payload,
                        record.http_headers))
    return out


def test_archive_writes_a_warc_with_request_and_response_and_records_the_capture(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"page": site.url("/page"), "pdf": site.url("/report.pdf"),
                                              "bare": None})})
    result = run("sources", "archive", "--allow-private", root=root)
    assert result.exit_code == 0, result.stderr
    assert "archived" in result.stdout and "no url" in result.stdout
    warc = root / "archive" / "demo" / "pdf" / "2026-12-02.warc.gz"
    assert gzip.decompress(warc.read_bytes()).startswith(b"WARC/1.1\r\n")
    found = records_of(warc)
    assert [kind for kind, *_ in found] == ["warcinfo", "request", "response"]
    _, uri, request, request_headers = found[1]
    assert uri == site.url("/report.pdf")
    assert request_headers.protocol == "GET" and request_headers.get_header("User-Agent").startswith(f"tracker/{__version__}")
    _, uri, payload, response_headers = found[2]
    assert payload == PDF and response_headers.get_statuscode() == "200"
    assert response_headers.get_header("Content-Type") == "application/pdf"
    lines = sorted((json.loads(line) for line in (root / "archive" / "demo" / "captures.jsonl").read_text().splitlines()),
                   key=lambda c: c["source_id"])  # in the order they were stored
    assert [(c["source_id"], c["date"], c["size"], c["payload_sha256"], c["file"]) for c in lines] == [
        ("page", "2026-12-02", len(HTML), hashlib.sha256(HTML).hexdigest(), "page/2026-12-02.warc.gz"),
        ("pdf", "2026-12-02", len(PDF), hashlib.sha256(PDF).hexdigest(), "pdf/2026-12-02.warc.gz"),
    ]
    assert lines[0]["url"] == site.url("/page")
    out = root / "copy.pdf"
    extracted = run("sources", "extract", "demo/pdf", "--out", str(out), root=root)
    assert extracted.exit_code == 0, extracted.stderr
    assert out.read_bytes() == PDF


def test_a_redirect_is_archived_hop_by_hop_and_a_chunked_body_whole(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"old": site.url("/old"), "chunked": site.url("/chunked")})})
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    found = records_of(root / "archive" / "demo" / "old" / "2026-12-02.warc.gz")
    assert [(kind, uri) for kind, uri, *_ in found] == [
        ("warcinfo", ""), ("request", site.url("/old")), ("response", site.url("/old")),
        ("request", site.url("/page")), ("response", site.url("/page"))]
    assert found[2][3].get_statuscode() == "301" and found[4][2] == HTML
    chunked = records_of(root / "archive" / "demo" / "chunked" / "2026-12-02.warc.gz")
    assert chunked[2][2] == HTML * 20
    assert chunked[2][3].get_header("Transfer-Encoding") is None  # the body is stored decoded


def test_an_unchanged_payload_is_not_stored_again_and_a_changed_one_is(workspace, site: Site, today) -> None:
    site.routes["/changing"] = Route(body=b"<p>version one</p>")
    root = workspace({"demo.yaml": programme({"page": site.url("/changing")})})
    captures = root / "archive" / "demo" / "captures.jsonl"
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    first = (root / "archive" / "demo" / "page" / "2026-12-02.warc.gz").read_bytes()
    today(dt.date(2026, 12, 9))
    again = run("sources", "archive", "--allow-private", root=root)
    assert again.exit_code == 0 and "unchanged" in again.stdout
    assert len(captures.read_text().splitlines()) == 1
    assert not (root / "archive" / "demo" / "page" / "2026-12-09.warc.gz").exists()
    site.routes["/changing"] = Route(body=b"<p>version two</p>")
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    assert len(captures.read_text().splitlines()) == 2
    site.routes["/changing"] = Route(body=b"<p>version three</p>")
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0  # same day: added to its file
    assert len(captures.read_text().splitlines()) == 3
    assert (root / "archive" / "demo" / "page" / "2026-12-02.warc.gz").read_bytes() == first
    day_file = records_of(root / "archive" / "demo" / "page" / "2026-12-09.warc.gz")
    assert [p for kind, _, p, _ in day_file if kind == "response"] == [b"<p>version two</p>", b"<p>version three</p>"]
    out = root / "page.html"
    for date, body in (("2026-12-02", b"one"), ("2026-12-05", b"one"), ("2026-12-09", b"three")):
        assert run("sources", "extract", "demo/page", "--date", date, "--out", str(out), root=root).exit_code == 0
        assert out.read_bytes() == f"<p>version {body.decode()}</p>".encode()
    before = run("sources", "extract", "demo/page", "--date", "2026-12-01", "--out", str(out), root=root)
    assert before.exit_code == 1
    assert before.stderr.startswith("error: no capture of demo/page on or before 2026-12-01 (captures: 2026-12-02, ")


def test_nothing_is_stored_for_a_body_over_the_cap_or_a_bad_answer(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"huge": site.url("/huge"), "gone": site.url("/gone"),
                                              "page": site.url("/page")})})
    result = run("sources", "archive", "--allow-private", root=root)
    assert result.exit_code == 1
    rows = {line.split()[1]: line for line in result.stdout.splitlines()[1:]}
    assert "error: too large" in rows["huge"] and " gone " in rows["gone"] and "archived" in rows["page"]
    folder = root / "archive" / "demo"
    assert sorted(p.name for p in folder.iterdir()) == ["captures.jsonl", "page"]
    check = run("sources", "check", "--allow-private", "--json", root=root)
    huge = [r for r in json.loads(check.stdout)["results"] if r["source_id"] == "huge"][0]
    assert (huge["result"], huge["reason"]) == ("error", "too large")


def test_archive_one_source_and_an_unknown_one(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"page": site.url("/page"), "pdf": site.url("/report.pdf")})})
    result = run("sources", "archive", "demo", "--source", "pdf", "--allow-private", root=root)
    assert result.exit_code == 0
    assert sorted(p.name for p in (root / "archive" / "demo").iterdir()) == ["captures.jsonl", "pdf"]
    unknown = run("sources", "archive", "--source", "pfd", "--allow-private", root=root)
    assert unknown.exit_code == 1
    assert unknown.stderr == "error: unknown source 'pfd' in programme demo; did you mean 'pdf'?\n"


def test_show_lists_captures_and_checks(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"page": site.url("/page")})})
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    today(dt.date(2026, 12, 5))
    site.routes["/page-later"] = Route(404)
    assert run("sources", "check", "--allow-private", root=root).exit_code == 0
    shown = run("sources", "show", "demo/page", root=root)
    assert shown.exit_code == 0, shown.stderr
    text = shown.stdout
    assert text.startswith(f"demo/page: Source page\nURL: {site.url('/page')}\n")
    assert "Captures (1):" in text and hashlib.sha256(HTML).hexdigest() in text
    assert "archive/demo/page/2026-12-02.warc.gz" in text
    assert "Checks (1):" in text and "2026-12-05  ok" in text
    missing = run("sources", "show", "demo/pgae", root=root)
    assert missing.exit_code == 1 and missing.stderr == "error: unknown source 'pgae' in programme 'demo'; did you mean 'page'?\n"


def test_extract_reports_a_missing_or_damaged_warc_in_one_line(workspace, site: Site, today) -> None:
    root = workspace({"demo.yaml": programme({"page": site.url("/page")})})
    assert run("sources", "archive", "--allow-private", root=root).exit_code == 0
    warc = root / "archive" / "demo" / "page" / "2026-12-02.warc.gz"
    warc.write_bytes(b"not a warc")
    out = root / "out.html"
    result = run("sources", "extract", "demo/page", "--out", str(out), root=root)
    assert result.exit_code == 1 and result.stderr.startswith("error: archive/demo/page/2026-12-02.warc.gz: ")
    assert len(result.stderr.splitlines()) == 1 and not out.exists()
    warc.unlink()
    result = run("sources", "extract", "demo/page", "--out", str(out), root=root)
    assert result.stderr == "error: archive/demo/page/2026-12-02.warc.gz: the WARC file of this capture is missing\n"


def test_validate_never_touches_the_network_or_the_archive(workspace, site: Site, today) -> None:
    before = len(site.requests)
    root = workspace({"demo.yaml": programme({"page": site.url("/page")})})
    assert run("validate", root=root).exit_code == 0
    assert len(site.requests) == before and not (root / "archive").exists()
