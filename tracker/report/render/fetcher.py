"""The only way rendering reaches a resource: `data:` URLs and files inside the workspace.

Anything else is refused: http(s), ftp and every other scheme (so no request ever leaves the
machine, loopback included), file URLs naming another host, files outside the workspace once
symbolic links are resolved, folders, devices and missing files. Redirects cannot happen (no
network scheme is served) and are switched off besides. The fetcher is built to fail on errors,
so a refusal stops rendering instead of leaving a silent hole in the PDF.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from tracker.errors import Refused
from tracker.report.render.assets import IMAGE_TYPES

MAX_BYTES = 50 * 1024 * 1024
MEDIA_TYPES = {**IMAGE_TYPES, ".css": "text/css", ".html": "text/html", ".yaml": "application/yaml",
               ".yml": "application/yaml", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
               ".woff2": "font/woff2"}


class WorkspaceFetcher(URLFetcher):
    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)
        self.root = root.resolve()
        #: Every refusal, kept because WeasyPrint swallows some (an image inside an SVG image).
        self.refusals: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        try:
            return self._fetch(url, headers)
        except Refused as refused:
            self.refusals.append(str(refused))
            raise

    def _fetch(self, url: str, headers: dict[str, str] | None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise Refused(f"refused to fetch {_short(url)}: only data: URLs and files inside the workspace are allowed")
        if parts.netloc not in ("", "localhost"):
            raise Refused(f"refused to fetch {_short(url)}: file on another host")
        path = Path(unquote(parts.path))
        resolved = path.resolve()
        try:
            resolved.relative_to(self.root)
        except ValueError:
            raise Refused(f"refused to fetch {_short(url)}: outside the workspace") from None
        if not resolved.exists():
            raise Refused(f"missing resource {_short(url)}: no such file in the workspace")
        if not resolved.is_file():
            raise Refused(f"refused to fetch {_short(url)}: not a regular file")
        if resolved.stat().st_size > MAX_BYTES:
            raise Refused(f"refused to fetch {_short(url)}: larger than {MAX_BYTES // 1024 // 1024} MiB")
        media_type = MEDIA_TYPES.get(resolved.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(resolved.as_uri(), resolved.read_bytes(), {"Content-Type": media_type})


def _short(url: str) -> str:
    return repr(url if len(url) <= 120 else url[:117] + "...")
