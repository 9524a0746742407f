"""Safe fetching and link checks, against real HTTP servers on loopback."""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from evidence_support import HTML, PDF, Route, Silent, Site
from tracker import __version__
from tracker.evidence import pool, records
from tracker.evidence.checks import Target, classify
from tracker.evidence.fetch import Limits, fetch, public_only
from tracker.model.records import Source

DAY = dt.date(2026, 12, 2)
LOCAL = Limits(timeout=5, allow_private=True)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    server = Site()
    server.routes.update({
        "/page": Route(body=HTML),
        "/report.pdf": Route(body=PDF, content_type="application/pdf"),
        "/old": Route(301, b"", headers={"Location": "/page"}),
        "/hop1": Route(302, b"", headers={"Location": "/hop2", "Set-Cookie": "session=abc; Path=/"}),
        "/hop2": Route(307, b"", headers={"Location": "/page"}),
        "/loop-a": Route(302, b"", headers={"Location": "/loop-b"}),
        "/loop-b": Route(302, b"", headers={"Location": "/loop-a"}),
        "/gone": Route(410, b"gone", "text/plain"),
        "/broken": Route(500, b"oops", "text/plain"),
        "/slow": Route(delay=3),
        "/big": Route(body=b"x" * 300_000),
        "/big-chunked": Route(body=b"y" * 300_000, chunked=True),
        "/chunked": Route(body=HTML * 50, chunked=True),
        "/to-ftp": Route(302, b"", headers={"Location": "ftp://example.org/file"}),
        "/to-private": Route(302, b"", headers={"Location": "http://10.1.2.3/admin"}),
        "/to-credentials": Route(302, b"", headers={"Location": "http://user:secret@127.0.0.1/"}),
    })
    yield server
    server.close()


def check(url: str, limits: Limits = LOCAL, rule: Any = None) -> records.Check:
    target = Target("demo", Source("s", "S", url=url))
    return classify(target, fetch(url, limits, rule=rule), DAY)


def test_200_html_is_ok_with_type_size_and_digest(site: Site) -> None:
    found = check(site.url("/page"))
    assert (found.result, found.http_status, found.final_url) == ("ok", 200, site.url("/page"))
    assert found.content_type == "text/html; charset=utf-8"
    assert found.bytes == len(HTML) and found.sha256 == hashlib.sha256(HTML).hexdigest()


def test_200_pdf_is_ok(site: Site) -> None:
    found = check(site.url("/report.pdf"))
    assert (found.result, found.content_type, found.sha256) == ("ok", "application/pdf", hashlib.sha256(PDF).hexdigest())


def test_301_to_200_is_moved_and_says_where(site: Site) -> None:
    found = check(site.url("/old"))
    assert (found.result, found.http_status, found.final_url) == ("moved", 200, site.url("/page"))


def test_redirects_send_no_cookie_and_name_tracker_and_its_version(site: Site) -> None:
    before = len(site.requests)
    assert check(site.url("/hop1")).result == "moved"
    sent = site.requests[before:]
    assert [path for path, _ in sent] == ["/hop1", "/hop2", "/page"]
    for _, headers in sent:
        assert "Cookie" not in headers
        assert headers["User-Agent"].startswith(f"tracker/{__version__} ")


def test_a_redirect_loop_is_an_error(site: Site) -> None:
    found = check(site.url("/loop-a"))
    assert found.result == "error" and found.reason.startswith("redirect loop")


def test_more_than_five_redirects_is_an_error(site: Site) -> None:
    for n in range(7):
        site.routes[f"/chain{n}"] = Route(302, b"", headers={"Location": f"/chain{n + 1}"})
    site.routes["/chain7"] = Route(body=HTML)
    found = check(site.url("/chain0"))
    assert (found.result, found.reason) == ("error", "more than 5 redirects")
    assert check(site.url("/chain2")).result == "moved"  # five redirects are fine


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/gone", 410)])
def test_404_and_410_are_gone(site: Site, path: str, status: int) -> None:
    found = check(site.url(path))
    assert (found.result, found.http_status) == ("gone", status)


def test_500_is_an_error_with_the_status(site: Site) -> None:
    found = check(site.url("/broken"))
    assert (found.result, found.http_status, found.reason) == ("error", 500, "HTTP 500 Internal Server Error")


def test_a_slow_answer_past_the_timeout_is_a_timeout(site: Site) -> None:
    started = time.monotonic()
    found = check(site.url("/slow"), Limits(timeout=1, allow_private=True))
    assert found.result == "timeout"
    assert time.monotonic() - started < 1.8


def test_a_server_that_accepts_and_never_answers_is_cut_off_at_the_timeout() -> None:
    silent = Silent()
    try:
        started = time.monotonic()
        found = check(silent.url(), Limits(timeout=1, allow_private=True))
        assert found.result == "timeout" and silent.accepted == 1
        assert time.monotonic() - started < 1.8
    finally:
        silent.close()


def test_a_server_answering_a_byte_at_a_time_is_cut_off_at_the_timeout() -> None:
    """Each byte comes well inside a socket timeout: only the deadline's watchdog stops it."""
    drip = Silent(drip=0.05)
    try:
        started = time.monotonic()
        found = check(drip.url(), Limits(timeout=1, allow_private=True))
        assert found.result == "timeout"
        assert time.monotonic() - started < 1.8
    finally:
        drip.close()


def test_a_body_over_the_cap_is_too_large_declared_or_not(site: Site) -> None:
    small = Limits(timeout=5, allow_private=True, max_bytes=100_000)
    for path in ("/big", "/big-chunked"):
        found = check(site.url(path), small)
        assert (found.result, found.reason) == ("error", "too large"), path
    assert check(site.url("/big"), LOCAL).result == "ok"  # the default cap is 25 MiB


def test_a_chunked_body_is_read_whole(site: Site) -> None:
    found = check(site.url("/chunked"))
    assert found.result == "ok" and found.sha256 == hashlib.sha256(HTML * 50).hexdigest()


def test_credentials_in_the_url_are_refused_before_any_request(site: Site) -> None:
    before = len(site.requests)
    url = f"http://user:secret@127.0.0.1:{site.port}/page"
    found = check(url)
    assert (found.result, found.reason) == ("error", "credentials in URL refused")
    assert len(site.requests) == before
    redirected = check(site.url("/to-credentials"))
    assert (redirected.result, redirected.reason) == ("error", "credentials in URL refused")


def test_only_http_and_https(site: Site) -> None:
    assert check("file:///etc/passwd").reason == "only http and https URLs are fetched, not file"
    found = check(site.url("/to-ftp"))
    assert (found.result, found.reason) == ("error", "only http and https URLs are fetched, not ftp")


def only(address: str) -> Any:
    """An address rule for tests: `address` stands for the public internet, the rest is judged as usual."""
    allowed = ipaddress.ip_address(address)
    return lambda found: None if found == allowed else public_only(found)


def test_loopback_is_refused_without_allow_private(site: Site) -> None:
    before = len(site.requests)
    found = check(site.url("/page"), Limits(timeout=5))
    assert (found.result, found.reason) == ("error", "loopback address 127.0.0.1 refused (--allow-private allows it)")
    assert len(site.requests) == before


def test_a_redirect_to_a_private_address_is_refused(site: Site) -> None:
    started = time.monotonic()
    found = check(site.url("/to-private"), Limits(timeout=5), rule=only("127.0.0.1"))
    assert (found.result, found.reason) == ("error", "private address 10.1.2.3 refused (--allow-private allows it)")
    assert found.http_status == 302 and found.final_url == site.url("/to-private")
    assert time.monotonic() - started < 1  # refused, not tried


def test_a_redirect_to_another_loopback_address_is_refused(site: Site) -> None:
    site.routes["/to-loopback"] = Route(302, b"", headers={"Location": f"http://127.0.0.2:{site.port}/page"})
    found = check(site.url("/to-loopback"), Limits(timeout=5), rule=only("127.0.0.1"))
    assert found.reason == "loopback address 127.0.0.2 refused (--allow-private allows it)"


def test_the_address_checked_is_the_one_a_name_resolves_to_and_is_connected_to(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        fake = {"allowed.example": "127.0.0.1", "rebound.example": "169.254.169.254"}
        return real(fake.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    before = len(site.requests)
    found = check(f"http://allowed.example:{site.port}/page", Limits(timeout=5), rule=only("127.0.0.1"))
    assert found.result == "ok"
    assert site.requests[before][1]["Host"] == f"allowed.example:{site.port}"  # the name, sent to the checked IP
    refused = check(f"http://rebound.example:{site.port}/page", Limits(timeout=5), rule=only("127.0.0.1"))
    assert refused.reason == "link-local address 169.254.169.254 refused (--allow-private allows it)"


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.8", "private"), ("192.168.1.1", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"),
    ("::ffff:127.0.0.1", "loopback"), ("2002:c0a8:0101::1", "private"), ("100.64.0.1", "non-global"),
    ("fc00::1", "private"), ("240.0.0.1", "reserved"),
])
def test_non_global_addresses_are_refused(address: str, kind: str) -> None:
    reason = public_only(ipaddress.ip_address(address))
    assert reason is not None and reason.startswith(f"{kind} address ")


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:84e5", "8.8.8.8"])
def test_global_addresses_are_allowed(address: str) -> None:
    assert public_only(ipaddress.ip_address(address)) is None


def test_a_name_that_does_not_resolve_is_an_error() -> None:
    found = check("http://no-such-host.invalid/", Limits(timeout=5))
    assert found.result in ("error", "timeout")
    assert found.reason.startswith("DNS: no-such-host.invalid") or found.result == "timeout"


def test_the_pool_runs_jobs_at_a_time_and_at_most_two_per_host() -> None:
    lock = threading.Lock()
    active: dict[str, int] = {}
    most: dict[str, int] = {}
    overall = [0, 0]

    def work(item: tuple[str, int]) -> int:
        host, n = item
        with lock:
            active[host] = active.get(host, 0) + 1
            most[host] = max(most.get(host, 0), active[host])
            overall[0] += 1
            overall[1] = max(overall[1], overall[0])
        time.sleep(0.05)
        with lock:
            active[host] -= 1
            overall[0] -= 1
        return n

    items = [(f"host{n % 6}", n) for n in range(60)]
    assert pool.run_all(items, work, lambda item: item[0], jobs=8) == list(range(60))
    assert max(most.values()) == 2
    assert overall[1] == 8


def test_the_pool_raises_what_a_worker_raised() -> None:
    def work(n: int) -> int:
        if n == 3:
            raise ValueError("three")
        return n

    with pytest.raises(ValueError, match="three"):
        pool.run_all(list(range(10)), work, str, jobs=4)


def test_concurrent_appends_keep_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "archive" / "demo" / records.CHECKS

    def writer(n: int) -> None:
        for i in range(10):
            records.append(path, [records.Check(DAY, f"s{n}-{i}", "https://example.org/", "ok", 200)])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    read = records.read_checks(path.parent)
    assert len(read) == 60 and len({c.source_id for c in read}) == 60
    assert sorted(p.name for p in path.parent.iterdir()) == [records.CHECKS]  # no temporary or lock file left


def test_unreadable_lines_are_skipped_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    good = records.Check(DAY, "a", "https://example.org/", "gone", 404)
    (folder / records.CHECKS).write_bytes(b"not json\n" + records.line_of(good) + b'{"date": "2026-13-01"}')
    assert records.read_checks(folder) == [good]
    records.append(folder / records.CHECKS, [good])
    assert records.read_checks(folder) == [good, good]
    assert "line skipped" in caplog.text


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Path]]:
    from distribute_support import make_certs

    certs = make_certs(tmp_path_factory.mktemp("certs"))
    server = Site(tls=certs.server_context())
    server.routes["/page"] = Route(body=HTML)
    yield server, certs.ca
    server.close()


def test_https_checks_the_certificate_against_the_host_name(tls_site: tuple[Site, Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    site, ca = tls_site
    untrusted = check(site.url("/page", "localhost"))
    assert untrusted.result == "error" and untrusted.reason.startswith("TLS: ")
    assert "certificate" in untrusted.reason
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # trust the test CA, as a system store would
    found = check(site.url("/page", "localhost"))
    assert (found.result, found.sha256) == ("ok", hashlib.sha256(HTML).hexdigest())
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda host, *a, **k: real("127.0.0.1" if host == "other.example" else host, *a, **k))
    mismatch = check(site.url("/page", "other.example"))
    assert mismatch.result == "error"
    assert mismatch.reason == "TLS: Hostname mismatch, certificate is not valid for 'other.example'."


def test_a_tls_handshake_that_never_comes_is_cut_off_at_the_timeout() -> None:
    silent = Silent()
    try:
        started = time.monotonic()
        found = check(f"https://127.0.0.1:{silent.port}/", Limits(timeout=1, allow_private=True))
        assert found.result == "timeout"
        assert time.monotonic() - started < 1.8
    finally:
        silent.close()
