"""The only way rendering reaches a resource: `data:` URLs and files inside the workspace.

Anything else (http, ftp, a file outside the workspace after resolving symbolic links, a
redirect) is refused, and a refusal stops rendering instead of leaving a silent hole.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class Refused(ValueError):
    """A resource the report may not use."""


class WorkspaceFetcher(URLFetcher):
    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise Refused(f"refused to fetch {url!r}: only data: URLs and workspace files are allowed")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise Refused(f"refused to fetch {url!r}: remote file URL")
        path = Path(unquote(parts.path)).resolve()
        try:
            path.relative_to(self.root)
        except ValueError:
            raise Refused(f"refused to fetch {url!r}: outside the workspace") from None
        if not path.is_file():
            raise Refused(f"missing resource {url!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
