"""Odd runs and odd files: slow or silent mail servers, addresses of any shape, things in reports/
that are not editions, delivery logs that are not files, odd --base-url values and logos."""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from click.testing import CliRunner

from tests.distribute_support import AIR, WATER, copy_editions, rendered_editions, write_settings, write_workspace
from tracker.cli import cli
from tracker.distribute.send import Target, outbox_name

READER = [{"address": "ada@example.org"}]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rendered_editions(tmp_path_factory)


@pytest.fixture
def ws(tmp_path: Path, rendered: Path) -> Path:
    root = write_workspace(tmp_path / "ws", {"water-plan": WATER, "air-plan": AIR})
    copy_editions(rendered, root)
    return root


def tracker(root: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)


# --- SMTP: one deadline per exchange, and no blind retry after DATA ---------------------------------

class Script:
    """A mail server on loopback that follows a script: `greeting_delay` seconds between the bytes
    of its greeting, and after a message's final dot either replies 250 or says nothing (`silent`)."""

    def __init__(self, *, greeting_delay: float = 0.0, silent_after_data: bool = False) -> None:
        self.greeting_delay = greeting_delay
        self.silent_after_data = silent_after_data
        self.messages: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "Script":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        self.listener.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            try:
                self._session(conn)
            except OSError:
                pass

    def _session(self, conn: socket.socket) -> None:
        for byte in b"220 script.example ESMTP\r\n":
            if self.stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(self.greeting_delay)
        reader = conn.makefile("rb")
        while not self.stop.is_set():
            line = reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                conn.sendall(b"250-script.example\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                body = b""
                while not body.endswith(b"\r\n.\r\n"):
                    chunk = reader.readline()
                    if not chunk:
                        return
                    body += chunk
                self.messages.append(body)
                if self.silent_after_data:
                    self.stop.wait(30)
                    return
                conn.sendall(b"250 2.0.0 queued as 42\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")


def test_a_greeting_one_byte_every_half_second_does_not_hold_distribute(ws: Path) -> None:
    with Script(greeting_delay=0.5) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "none",
                            "timeout": 2, "retries": 0}, {"water-plan": READER})
        started = time.monotonic()
        result = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30")
        took = time.monotonic() - started
    assert result.exit_code == 1
    assert took < 4, took  # 26 bytes at 0.5 s would be 13 s: the 2 s bound the whole greeting
    assert f"127.0.0.1:{server.port} did not answer within 2 s" in result.output
    assert server.messages == []


def test_no_reply_to_data_is_recorded_as_unknown_and_not_sent_again(ws: Path) -> None:
    with Script(silent_after_data=True) as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "none", "timeout": 5,
                            "retries": 3, "data_timeout": 1}, {"water-plan": READER})
        started = time.monotonic()
        result = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30")
        assert time.monotonic() - started < 6
        assert result.exit_code == 1
        assert len(server.messages) == 1  # sent once: never retried blindly
        (row,) = result.stdout.splitlines()[1:]
        assert "unknown: the message was sent but no reply within 1 s; it may have been delivered" in row
        assert "1 message(s) sent without a reply from the server: they may have been delivered" in result.stderr
        (line,) = [json.loads(t) for t in (ws / "reports" / "water-plan" / "deliveries.jsonl").read_text().splitlines()]
        assert line["result"] == "unknown" and line["recipient"] == "ada@example.org"
        # A rerun does not send it again, and says why.
        again = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30")
        assert again.exit_code == 1 and len(server.messages) == 1
        assert "not sent again (--resend-unknown sends it)" in again.stdout
        dry = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30", "--dry-run")
        assert not (ws / "reports" / "outbox").exists() and "unknown" in dry.stdout
    # Asked to, it sends it again; the recipient then counts as delivered.
    with Script() as server:
        write_settings(ws, {"host": "127.0.0.1", "port": server.port, "security": "none"}, {"water-plan": READER})
        resent = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30", "--resend-unknown")
        assert resent.exit_code == 0, resent.output
        assert len(server.messages) == 1
        later = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30")
        assert later.exit_code == 0 and "already delivered" in later.stdout and len(server.messages) == 1


def test_the_wait_for_data_is_a_setting_checked_like_the_others(ws: Path) -> None:
    write_settings(ws, {"host": "127.0.0.1", "data_timeout": 0}, {"water-plan": READER})
    result = tracker(ws, "validate")
    assert result.exit_code == 1
    assert "smtp.data_timeout: expected a whole number from 1 to 3600 but got 0" in result.stderr


# --- dry runs: any valid address fits a file name ----------------------------------------------------

@pytest.mark.parametrize("address", [
    "a" * 64 + "@" + ".".join(["b" * 63] * 2 + ["c" * 57]) + ".org",  # 254 characters: the longest
    "o'brien+news/weekly=1@example.org",
    "Ada.Lovelace@Example.ORG",
    "x|y&z{q}~#$%^*?!@example.org",
])
def test_dry_run_names_fit_any_valid_address(ws: Path, address: str) -> None:
    write_settings(ws, {"host": "mail.example.org"}, {"water-plan": [{"address": address}]})
    result = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30", "--dry-run")
    assert result.exit_code == 0, result.output
    (eml,) = (ws / "reports" / "outbox").iterdir()
    assert len(eml.name.encode()) <= 255 and "/" not in eml.name and eml.suffix == ".eml"
    assert eml.name.startswith("water-plan-2024-06-30-")


def test_outbox_names_keep_addresses_apart() -> None:
    import datetime as dt

    day = dt.date(2024, 6, 30)
    long_a, long_b = "a" * 64 + "@" + "x" * 100 + ".org", "a" * 64 + "@" + "x" * 100 + ".net"
    names = {outbox_name("p", day, Target(a)) for a in ("a/b@x.org", "a_b@x.org", "a?b@x.org", long_a, long_b)}
    assert len(names) == 5
    assert outbox_name("p", day, Target("ada@example.org")) == "p-2024-06-30-ada@example.org.eml"


# --- reports/: only regular files are editions -------------------------------------------------------

def odd_entries(folder: Path, name: str) -> Iterator[Callable[[], None]]:
    """Ways to put something that is not a regular file where an edition `name` would be."""
    path = folder / name
    yield lambda: path.mkdir()
    yield lambda: os.mkfifo(path)
    yield lambda: path.symlink_to(folder / "water-plan-2024-06-30.html")
    yield lambda: (folder / (name + "\n")).write_text("not an edition")


@pytest.mark.parametrize("kind", range(4), ids=["directory", "fifo", "symlink", "newline"])
def test_odd_entries_are_never_editions_or_the_previous_edition(ws: Path, kind: int) -> None:
    folder = ws / "reports" / "water-plan"
    make = list(odd_entries(folder, "water-plan-2024-05-31.html"))[kind]
    make()
    # The previous edition of 2024-07-31 is still 2024-06-30, and publish lists no 2024-05-31.
    result = tracker(ws, "report", "water-plan", "--as-of", "2024-07-31", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (folder / "water-plan-2024-07-31.html").read_text("utf-8")
    assert "The previous edition, of" in html and "2024-06-30" in html and "2024-05-31" not in html
    published = tracker(ws, "publish")
    assert published.exit_code == 0, published.output
    assert "2024-05-31" not in (ws / "reports" / "index.html").read_text("utf-8")
    assert "2024-05-31" not in (ws / "reports" / "feed.xml").read_text("utf-8")


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory"])
def test_an_output_that_is_not_a_regular_file_is_never_up_to_date(ws: Path, kind: str) -> None:
    folder = ws / "reports" / "water-plan"
    html = folder / "water-plan-2024-06-30.html"
    good = html.read_bytes()
    assert tracker(ws, "report", "water-plan", "--as-of", "2024-06-30", "--format", "html").exit_code == 0
    html.unlink()
    if kind == "fifo":
        os.mkfifo(html)
    elif kind == "symlink":
        (folder / "elsewhere.html").write_bytes(good)
        html.symlink_to(folder / "elsewhere.html")
    else:
        html.mkdir()
    result = tracker(ws, "report", "water-plan", "--as-of", "2024-06-30", "--format", "html")
    if kind == "directory":
        assert result.exit_code == 1 and "Traceback" not in result.output
        return
    assert result.exit_code == 0, result.output
    assert not html.is_symlink() and html.is_file() and html.read_bytes() == good


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory"])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_delivery_log_that_is_not_a_file_is_refused(ws: Path, kind: str, dry_run: bool) -> None:
    log = ws / "reports" / "water-plan" / "deliveries.jsonl"
    if kind == "fifo":
        os.mkfifo(log)
    elif kind == "symlink":
        (ws / "elsewhere.jsonl").write_text("")
        log.symlink_to(ws / "elsewhere.jsonl")
    else:
        log.mkdir()
    write_settings(ws, {"host": "127.0.0.1", "port": 1, "security": "none", "retries": 0}, {"water-plan": READER})
    started = time.monotonic()
    result = tracker(ws, "distribute", "water-plan", "--as-of", "2024-06-30", *(["--dry-run"] if dry_run else []))
    assert time.monotonic() - started < 10  # never waits on a FIFO
    assert result.exit_code == 1
    word = {"fifo": "a FIFO", "symlink": "a symbolic link", "directory": "a directory"}[kind]
    assert (f"error: reports/water-plan/deliveries.jsonl: {word}, not a regular file; refused; "
            "the delivery log must be a regular file") in result.stderr
    if kind == "symlink":
        assert (ws / "elsewhere.jsonl").read_text() == ""


# --- publish --base-url --------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://example.org/reports/", "ftp://example.org/", "https://example.org/reports/?x=1",
    "https://example.org/reports/#top", "https://user:pw@example.org/", "https://user@example.org/",
    "https://exa mple.org/", "https://exa_mple.org/", "https://-example.org/", "https://example.org:0/",
    "https://example.org:65536/", "https://example.org:port/", "https://[::1/", "https://999.0.0.1/",
    "https:///reports/", "https://example.org/a b/", 'https://example.org/"quoted"/', "https://example.org/<x>/",
    "https://example.org/%zz/", "https://example.org/../", "//example.org/", "example.org",
])
def test_a_base_url_other_than_https_host_port_path_is_a_usage_error(ws: Path, url: str) -> None:
    result = tracker(ws, "publish", "--base-url", url)
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--base-url'" in result.stderr and "Traceback" not in result.output
    assert not (ws / "reports" / "feed.xml").exists()


@pytest.mark.parametrize("url, base", [
    ("https://example.org", "https://example.org/"),
    ("https://reports.example.org:8443/water/plan", "https://reports.example.org:8443/water/plan/"),
    ("https://[2001:db8::1]/r/", "https://[2001:db8::1]/r/"),
    ("https://192.0.2.7/a%20b/", "https://192.0.2.7/a%20b/"),
])
def test_good_base_urls_make_the_feed(ws: Path, url: str, base: str) -> None:
    result = tracker(ws, "publish", "--base-url", url)
    assert result.exit_code == 0, result.output
    feed = (ws / "reports" / "feed.xml").read_text("utf-8")
    assert f'href="{base}feed.xml"' in feed


# --- logos -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, data, message", [
    ("logo.png", b"this is not a PNG", "assets/logo.png: not an image"),
    ("logo.svg", b"<html><body>not svg</body></html>", "assets/logo.svg: not an image"),
    ("logo.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "not an image"),
    ("logo.jpg", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "holds PNG data but is named .jpg"),
    ("logo.gif", b"", "assets/logo.gif: not an image"),
    ("logo.webp", b"RIFF\x00\x00\x00\x00WEBX", "not an image"),
])
def test_a_logo_that_is_not_an_image_is_a_located_error(ws: Path, name: str, data: bytes, message: str) -> None:
    (ws / "assets").mkdir()
    (ws / "assets" / name).write_bytes(data)
    path = ws / "policies" / "water-plan.yaml"
    path.write_text(f"logo: assets/{name}\n" + WATER)
    result = tracker(ws, "report", "water-plan", "--as-of", "2024-06-30", "--format", "html")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"policies/water-plan.yaml:1:7: logo: ") and message in result.stderr, result.stderr


def test_real_images_are_logos(ws: Path) -> None:
    import base64

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (ws / "assets").mkdir()
    for name, data in (("a.png", png), ("b.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')):
        (ws / "assets" / name).write_bytes(data)
        (ws / "policies" / "water-plan.yaml").write_text(f"logo: assets/{name}\n" + WATER)
        result = tracker(ws, "report", "water-plan", "--as-of", "2024-06-30", "--format", "html")
        assert result.exit_code == 0, result.output
