"""Everything outside the programme's records that goes into an edition's bytes, gathered once.

An edition depends on: the programme data as of its date (attached to the PDF), the as-of
date, the previous edition's date (or --since), the git revision of the programme file, the logo,
the templates and the PDF variant. Incremental rendering can fingerprint this record.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from .. import editions, yamlsafe
from ..errors import InvalidData, display_path
from ..model import Programme
from ..validate import check_document
from . import assets, revision, snapshot

if TYPE_CHECKING:  # pragma: no cover
    from ..workspace import Workspace
    from . import RenderOptions

EDITION, OPTION = "edition", "option"


@dataclass(frozen=True)
class EditionInputs:
    root: Path
    data_file: str  # the programme file as a reader names it, e.g. policies/demo.yaml
    snapshot_of: Callable[[], bytes] = field(repr=False, compare=False)  # see `data`
    since: Optional[dt.date]  # the date compared with; None for a first edition
    since_from: str  # "edition" (latest earlier report found) or "option" (--since)
    revision: Optional[revision.Revision]
    logo: Optional[str]  # data: URL
    template_dir: Optional[Path]
    pdf_variant: str

    @property
    def data(self) -> bytes:
        """The programme data as recorded on the as-of date (snapshot.py), attached to the PDF.
        Made only when needed (a PDF, or a git history to compare with): HTML-only runs skip it."""
        return self.snapshot_of()


@dataclass(frozen=True)
class Fingerprint:
    """What decides an edition's inputs, read without parsing the programme: while it stays the
    same, `gather` returns the same `EditionInputs` (incremental rendering records this)."""

    data_file: str
    file: bytes  # the programme file's bytes
    since: Optional[dt.date]
    since_from: str
    git: Optional[revision.Head]  # the file's latest commit and whether it has changes since
    logo: Optional[str]  # data: URL
    template_dir: Optional[Path]
    pdf_variant: str


def fingerprint(ws: "Workspace", programme: Programme, as_of: dt.date, options: "RenderOptions") -> Fingerprint:
    """Needs only the programme's `id`, `path` and `logo`."""
    since, since_from = _since(ws, programme, as_of, options)
    return Fingerprint(
        data_file=display_path(programme.path, ws.root),
        file=programme.path.read_bytes(),
        since=since,
        since_from=since_from,
        git=revision.head(ws.root, programme.path),
        logo=assets.logo_data_url(ws.root, programme),
        template_dir=options.template_dir,
        pdf_variant=options.pdf_variant,
    )


def _since(ws: "Workspace", programme: Programme, as_of: dt.date,
           options: "RenderOptions") -> tuple[Optional[dt.date], str]:
    if options.since is not None:
        return options.since, OPTION
    folder = (options.editions or ws.reports) / programme.id
    return editions.previous_edition(folder, programme.id, as_of), EDITION


def gather(ws: "Workspace", programme: Programme, as_of: dt.date, options: "RenderOptions") -> EditionInputs:
    since, since_from = _since(ws, programme, as_of, options)
    data_file = display_path(programme.path, ws.root)
    data = lru_cache(maxsize=None)(lambda: snapshot.snapshot(programme, as_of, data_file))

    def data_of(older: bytes) -> Optional[bytes]:
        try:
            doc = yamlsafe.parse(older.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), data_file)
        except (InvalidData, UnicodeDecodeError):
            return None
        version, problems = check_document(doc, programme.path)
        return None if version is None or problems else snapshot.snapshot(version, as_of, data_file)

    return EditionInputs(
        root=ws.root,
        data_file=data_file,
        snapshot_of=data,
        since=since,
        since_from=since_from,
        revision=revision.of_data(ws.root, programme.path, programme.path.read_bytes(), data, data_of),
        logo=assets.logo_data_url(ws.root, programme),
        template_dir=options.template_dir,
        pdf_variant=options.pdf_variant,
    )
