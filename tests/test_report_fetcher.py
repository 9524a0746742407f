"""Rendering reaches only data: URLs and files inside the workspace: never the network, never outside."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import run
from tests.report_demo import AS_OF, make_workspace, pdf_text
from tracker.report.render.fetcher import Refused, WorkspaceFetcher


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        Recorder.hits.append(self.path)
        body = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_recorder_does_record(loopback: str) -> None:
    import urllib.request

    with urllib.request.urlopen(loopback + "/check", timeout=5) as response:
        assert response.status == 200
    assert Recorder.hits == ["/check"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "assets").mkdir(parents=True)
    (ws / "assets" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "outside.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><text>secret</text></svg>")
    return ws


def test_data_urls_and_workspace_files_are_served(root: Path) -> None:
    fetcher = WorkspaceFetcher(root)
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    response = fetcher.fetch((root / "assets" / "logo.svg").as_uri())
    assert response.read().startswith(b"<svg") and response.content_type == "image/svg+xml"
    (root / "assets" / "inside.svg").symlink_to(root / "assets" / "logo.svg")
    assert fetcher.fetch((root / "assets" / "inside.svg").as_uri()).read().startswith(b"<svg")


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "outside the workspace"),
    ("file://otherhost/etc/passwd", "file on another host"),
    ("ftp://127.0.0.1/x", "only data: URLs and files inside the workspace are allowed"),
    ("https://example.org/x.png", "only data: URLs and files inside the workspace are allowed"),
])
def test_other_urls_are_refused(root: Path, url: str, message: str) -> None:
    with pytest.raises(Refused, match=message):
        WorkspaceFetcher(root).fetch(url)


def test_loopback_is_never_contacted(root: Path, loopback: str) -> None:
    for url in (loopback + "/image.png", loopback.replace("http:", "https:") + "/x"):
        with pytest.raises(Refused, match="only data: URLs"):
            WorkspaceFetcher(root).fetch(url)
    assert Recorder.hits == []


def test_symlinks_out_of_the_workspace_and_escapes_are_refused(root: Path) -> None:
    (root / "assets" / "link.svg").symlink_to(root.parent / "outside.svg")
    (root / "assets" / "dir-link").symlink_to(root.parent)
    fetcher = WorkspaceFetcher(root)
    for url in ((root / "assets" / "link.svg").as_uri(), (root / "assets" / "dir-link" / "outside.svg").as_uri(),
                root.as_uri() + "/assets/../../outside.svg", root.as_uri() + "/assets/%2e%2e/%2e%2e/outside.svg"):
        with pytest.raises(Refused, match="outside the workspace"):
            fetcher.fetch(url)


def test_missing_files_and_folders_are_errors(root: Path) -> None:
    with pytest.raises(Refused, match="missing resource"):
        WorkspaceFetcher(root).fetch((root / "assets" / "nothing.png").as_uri())
    with pytest.raises(Refused, match="not a regular file"):
        WorkspaceFetcher(root).fetch((root / "assets").as_uri())


def test_yaml_note_and_source_url_cannot_pull_anything_in(tmp_path: Path, loopback: str) -> None:
    ws = make_workspace(tmp_path, loopback=loopback + "/evidence")
    path = ws / "policies" / "demo.yaml"
    path.write_text(path.read_text().replace(
        "note: Plan adopted.",
        f'note: "<img src=\'file:///etc/passwd\'> <link rel=attachment href=\'{loopback}/attach\'> '
        f'<style>@import url({loopback}/css);</style> Plan adopted."'))
    result = run("report", "--as-of", AS_OF, "--format", "pdf", root=ws)
    assert result.exit_code == 0, result.output
    text = pdf_text(ws / "reports" / "demo" / f"demo-{AS_OF}.pdf")
    assert f"<img src='file:///etc/passwd'> <link rel=attachment href='{loopback}/attach'>" in text
    assert "root:x:0:0" not in text
    assert loopback + "/evidence" in text  # shown as a cited address, never fetched
    assert Recorder.hits == []


def test_logo_that_reaches_out_stops_the_render(tmp_path: Path, loopback: str) -> None:
    ws = make_workspace(tmp_path)
    (ws / "assets" / "logo.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='40' height='40'>"
        f"<image href='{loopback}/pixel.svg' width='40' height='40'/></svg>")
    result = run("report", "--as-of", AS_OF, "--format", "pdf", root=ws)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot render PDF: refused to fetch")
    assert "only data: URLs and files inside the workspace are allowed" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert Recorder.hits == []
    assert not any((ws / "reports").iterdir())


def test_template_that_reaches_out_stops_the_render(tmp_path: Path, loopback: str) -> None:
    ws = make_workspace(tmp_path / "ws")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "_colophon.html").write_text("<footer><img src='/etc/passwd' alt='x'></footer>")
    result = run("report", "--as-of", AS_OF, "--format", "pdf", "--template-dir", str(templates), root=ws)
    assert result.exit_code == 1
    assert result.stderr == "error: cannot render PDF: refused to fetch 'file:///etc/passwd': outside the workspace\n"


def test_logo_that_cannot_be_read_is_an_error_not_a_hole(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    path = ws / "policies" / "demo.yaml"
    path.write_text(path.read_text().replace("logo: assets/logo.svg", "logo: assets/logo.png"))
    # It starts like a PNG (so it passes the check of its bytes where the logo is set) but is not one.
    (ws / "assets" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"not a picture at all" * 3)
    result = run("report", "--as-of", AS_OF, "--format", "pdf", root=ws)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot render PDF: Failed to load image at 'data:image/png;base64,")
    assert not any((ws / "reports").iterdir())
