"""One edition: rendered in memory, then staged as hidden temporary files beside its final names.

`render_edition` is the whole of rendering one edition: gather its inputs, build what it says,
render the HTML, and the PDF from it. `stage` writes the result to temporary files, on disk
before it returns; the pipeline renames them into place once every edition has rendered.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from tracker.i18n.po import Translations
from tracker.model.records import Programme
from tracker.model.workspace import Workspace
from tracker.report.content import context
from tracker.report.content.language import Language
from tracker.report.edition import RenderOptions
from tracker.report.render import html
from tracker.report.run import inputs


@dataclass(frozen=True)
class Job:
    """One edition to render: everything its process needs (it is pickled to it)."""

    index: int
    ws: Workspace
    programme: Programme
    as_of: dt.date
    formats: tuple[str, ...]
    options: RenderOptions
    fingerprint: inputs.Fingerprint  # computed once, when the run was planned
    paths: dict[str, Path]
    run: int  # the process id of the run, in the name of every file it stages
    lang: str = ""  # the edition's language ("": the programme's primary)
    translations: Optional[Translations] = None  # its PO file, for a language other than the data's


def staged_name_prefix(path: Path, run: int) -> str:
    """Files staged for `path` by the run `run` are named `.<name>.<run>.<random>.tmp`."""
    return f".{path.name}.{run}."


@dataclass(frozen=True)
class Staged:
    index: int
    files: dict[str, tuple[Path, str]]  # format -> (temporary file, sha256 of its bytes)
    pid: int  # the process that rendered it


def render_edition(ws: Workspace, programme: Programme, as_of: dt.date, formats: tuple[str, ...],
                   options: RenderOptions, fingerprint: inputs.Fingerprint, lang: str = "",
                   translations: Optional[Translations] = None) -> dict[str, bytes]:
    """Render one edition in memory, in `lang` (default the programme's primary language), in
    each format asked for (a preview with drafts: `options.drafts`)."""
    if options.drafts:
        programme = programme.with_drafts()
    gathered = inputs.gather(ws, programme, as_of, fingerprint)
    language = Language.of(programme, lang or programme.primary, translations)
    ctx = context.build(programme, as_of, gathered, language)
    page = html.render("report.html", ctx, options.template_dir)
    out = {}
    if "html" in formats:
        out["html"] = page.encode("utf-8")
    if "pdf" in formats:
        from tracker.i18n import drawn
        from tracker.report.render.pdf import html_to_pdf

        drawn.check(programme, language.located_translation)  # never an empty box: stop before the PDF is written

        out["pdf"] = html_to_pdf(page, ws.root, variant=options.pdf_variant, attachment=gathered.data,
                                 attachment_name=programme.path.name, as_of=as_of)
    return out


def stage(job: Job) -> Staged:
    """Render one edition and stage its files; nothing is left behind if it fails."""
    files: dict[str, tuple[Path, str]] = {}
    try:
        rendered = render_edition(job.ws, job.programme, job.as_of, job.formats, job.options, job.fingerprint,
                                  job.lang, job.translations)
        for fmt in job.formats:
            data = rendered[fmt]
            files[fmt] = (_write_hidden(job.paths[fmt], data, job.run), hashlib.sha256(data).hexdigest())
    except BaseException:
        for tmp, _ in files.values():
            discard(tmp)
        raise
    return Staged(job.index, files, os.getpid())


def _write_hidden(path: Path, data: bytes, run: int) -> Path:
    """Write `data` to a hidden temporary file beside `path`, on disk (fsync) before returning."""
    fd, tmp = tempfile.mkstemp(prefix=staged_name_prefix(path, run), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        discard(Path(tmp))
        raise
    return Path(tmp)


def discard(path: Path) -> None:
    """Remove a staged file if it is still there."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
