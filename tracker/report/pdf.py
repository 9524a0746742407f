"""PDF rendering with WeasyPrint, imported only here so HTML-only runs never load it."""
from __future__ import annotations

from pathlib import Path

from ..errors import RenderError


def html_to_pdf(html: str, root: Path) -> bytes:
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from .fetcher import WorkspaceFetcher

    try:
        document = weasyprint.HTML(string=html, base_url=root.resolve().as_uri() + "/",
                                   url_fetcher=WorkspaceFetcher(root))
        pdf = document.write_pdf()
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"cannot render PDF: {cause}") from None
    assert pdf is not None
    return pdf
