"""Rendering dated editions of a programme's progress report."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..model import Programme
from ..workspace import Workspace
from . import context, html, inputs

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class RenderOptions:
    """How an edition is rendered; everything here is an input of the edition's bytes."""

    template_dir: Optional[Path] = None  # --template-dir: templates looked up here first
    pdf_variant: str = "pdf/a-3b"  # --pdf-variant: pdf/a-3b (default) or pdf/ua-1
    since: Optional[dt.date] = None  # --since: compare with this date, not the previous edition
    editions: Optional[Path] = None  # folder holding earlier editions (<folder>/<id>/); default reports/


def edition_paths(out: Path, programme_id: str, as_of: dt.date) -> dict[str, Path]:
    folder = out / programme_id
    stem = f"{programme_id}-{as_of.isoformat()}"
    return {fmt: folder / f"{stem}.{fmt}" for fmt in FORMATS}


def render_programme(ws: Workspace, programme: Programme, as_of: dt.date,
                     formats: tuple[str, ...], options: RenderOptions = RenderOptions()) -> dict[str, bytes]:
    """Render one edition in memory, in each format asked for."""
    gathered = inputs.gather(ws, programme, as_of, options)
    ctx = context.build(programme, as_of, gathered)
    page = html.render("report.html", ctx, options.template_dir)
    out = {}
    if "html" in formats:
        out["html"] = page.encode("utf-8")
    if "pdf" in formats:
        from .pdf import html_to_pdf

        out["pdf"] = html_to_pdf(page, ws.root, variant=options.pdf_variant, attachment=gathered.data,
                                 attachment_name=programme.path.name, as_of=as_of)
    return out


# Orchestration of many editions (parallel, incremental, all-or-nothing) lives in batch.py.
from .batch import Outcome, publish, write_reports  # noqa: E402,F401 - the package's API
