"""PDF rendering with WeasyPrint, imported only here so HTML-only runs never load it.

PDF/A-3b by default, or a tagged PDF/UA-1. Either way the programme's YAML file rides along as
an embedded file, dated with the as-of date, so the same data and date give the same bytes
(the document /ID is a hash of the content, and the XMP packet holds no random identifiers).
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gc
import logging
import re
import threading
from pathlib import Path
from typing import Iterator

from tracker.errors import RenderError
from tracker.report.edition import PDF_VARIANTS as VARIANTS


def html_to_pdf(html: str, root: Path, *, variant: str = "pdf/a-3b", attachment: bytes | None = None,
                attachment_name: str = "programme.yaml", as_of: dt.date | None = None) -> bytes:
    """Render `html` (whose relative URLs resolve inside `root`) to PDF bytes."""
    if variant not in VARIANTS:
        raise RenderError(f"unknown PDF variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from tracker.report.render.fetcher import WorkspaceFetcher

    fetcher = WorkspaceFetcher(root)
    attachments = []
    if attachment is not None:
        stamp = dt.datetime.combine(as_of or dt.date(1970, 1, 1), dt.time())
        # A data: URL fixes the media type; a file name alone would be guessed per machine.
        url = "data:application/yaml;base64," + base64.b64encode(attachment).decode("ascii")
        attachments.append(weasyprint.Attachment(
            url=url, url_fetcher=fetcher, name=attachment_name, created=stamp, modified=stamp,
            description="The programme data this edition was rendered from", relationship="Source",
        ))
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        with _collector_paused():
            document = weasyprint.HTML(string=html, base_url=root.resolve().as_uri() + "/", url_fetcher=fetcher)
            pdf = document.write_pdf(pdf_variant=variant, attachments=attachments, finisher=_finish)
            del document
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"cannot render PDF: {cause}") from None
    finally:
        logger.removeHandler(problems)
    # Some failures are only logged by WeasyPrint (a resource inside an SVG image, an image it
    # cannot decode): they are errors here, never silent holes in the PDF.
    if fetcher.refusals:
        raise RenderError(f"cannot render PDF: {fetcher.refusals[0]}")
    if problems.messages:
        raise RenderError(f"cannot render PDF: {problems.messages[0]}")
    assert pdf is not None
    return pdf


#: Warnings WeasyPrint only logs that leave a PDF broken: a font embedded whole instead of as a
#: subset (a CJK face is 16 MiB) or not at all, glyphs drawn as .notdef (PDF/A forbids them).
FONT_FAILURES = re.compile(r"Unable to subset|Unable to instantiate|Too many glyphs missing|Unable to save emoji font")


class _Problems(logging.Handler):
    """Collects the errors WeasyPrint logs while this thread renders, and the font warnings
    that are errors here (FONT_FAILURES)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.ERROR and not FONT_FAILURES.search(str(record.msg)):
            return
        if record.thread == self.thread:
            message = " ".join(record.getMessage().split())
            self.messages.append(re.sub(r"(data:[^'\"\s,]*,)[^'\"\s]{20,}", r"\1...", message))


def _finish(document: object, pdf: object) -> None:
    """List each associated file once in the catalogue's /AF (WeasyPrint 70 adds PDF/A-3's twice)."""
    catalog = getattr(pdf, "catalog", {})
    if "AF" in catalog:
        unique: dict[str, object] = {}
        for ref in catalog["AF"]:
            unique.setdefault(str(ref), ref)
        catalog["AF"][:] = list(unique.values())


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while WeasyPrint lays out and writes a document.

    Layout builds millions of objects that all stay alive until the PDF is written, and each
    full collection walks all of them, so collections cost more the longer the document: about
    a fifth of a render's time (bench/README.md). Nothing is garbage until the document is
    dropped; the collector's next pass frees its cycles (a forced collection here would cost a
    one-edition run about a second, for memory the process's exit gives back anyway).

    Safe here because a PDF is rendered in a process that renders that one edition and ends
    (workers.py): a run of one edition, or a process of its own per edition. Memory the pause
    keeps is what the document holds anyway; the collector is switched back on whatever happens,
    so a process that renders several (where processes cannot be started) collects between them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
