"""Everything outside the programme's records that goes into an edition's bytes, gathered once.

An edition depends on: the programme data as of its date (attached to the PDF), the as-of
date, the previous edition's date (or --since), the git revision of the programme file, the logo,
the templates, the PDF variant, and the evidence of its sources known on its date (the lines of
archive/<programme>/checks.jsonl and captures.jsonl dated on or before it: the Sources section
shows the latest capture and dead links), and for an edition in another language than the
data's, the PO file its texts are translated with (tracker's own catalogs are part of its
code: manifest.code_fingerprint). `fingerprint` reads what decides all of these without
parsing the programme (incremental rendering records it); `gather` completes it into the
`EditionInputs` the content is built from.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from tracker.errors import InvalidData, display_path
from tracker.evidence import state
from tracker.model import yamlsafe
from tracker.model.records import Programme
from tracker.model.validate import check_document
from tracker.report.edition import EDITION, OPTION, EditionInputs, RenderOptions
from tracker.report.render import assets
from tracker.report.run import editions, revision, snapshot

if TYPE_CHECKING:  # pragma: no cover
    from tracker.model.workspace import Workspace


@dataclass(frozen=True)
class Fingerprint:
    """What decides an edition's inputs, read without parsing the programme: while it stays the
    same, `gather` returns the same `EditionInputs` (incremental rendering records this)."""

    data_file: str
    file: bytes  # the programme file's bytes: those parsed, when the programme is loaded
    since: Optional[dt.date]
    since_from: str
    git: Optional[revision.Head]  # the file's latest commit and whether it has changes since
    logo: Optional[str]  # data: URL
    template_dir: Optional[Path]
    pdf_variant: str
    lang: str = ""  # the edition's language ("": the data's own, as before languages existed)
    translations: bytes = b""  # the PO file the edition's texts are translated with (b"": none)
    evidence: Optional[bytes] = None  # archive lines known on the as-of date (state.Known.data); None: none
    drafts: bool = False  # a preview with the drafts waiting for review
    since_method: Optional[str] = None  # the method version of the edition compared with (see EditionInputs)


def fingerprint(ws: "Workspace", programme_id: str, path: Path, logo: Optional[str], file: bytes,
                as_of: dt.date, options: RenderOptions, *, programme: Optional[Programme] = None,
                lang: str = "", translations: bytes = b"") -> Fingerprint:
    """The fingerprint of an edition of the programme `programme_id` kept in `path`, whose bytes are
    `file` (those parsed) and which sets `logo`. `programme`, when loaded, locates a bad logo."""
    since, since_from = _since(ws, programme_id, as_of, options)
    known = state.known_on(ws.archive, programme_id, as_of)
    folder = (options.editions or ws.reports) / programme_id
    return Fingerprint(
        data_file=display_path(path, ws.root),
        file=file,
        since=since,
        since_from=since_from,
        git=revision.head(ws.root, path),
        logo=assets.logo_data_url(ws.root, logo, programme),
        template_dir=options.template_dir,
        pdf_variant=options.pdf_variant,
        lang=lang,
        translations=translations,
        evidence=None if known.empty else known.data,
        drafts=options.drafts,
        since_method=editions.method_version(folder, programme_id, since) if since else None,
    )


def of_programme(ws: "Workspace", programme: Programme, as_of: dt.date, options: RenderOptions,
                 lang: str = "", translations: bytes = b"") -> Fingerprint:
    """The fingerprint of a loaded programme's edition in `lang`: of the bytes it was parsed from,
    and of its translations."""
    assert programme.origin is not None, "a programme built by validation carries its origin"
    return fingerprint(ws, programme.id, programme.path, programme.logo, programme.origin.raw, as_of, options,
                       programme=programme, lang=lang, translations=translations)


def _since(ws: "Workspace", programme_id: str, as_of: dt.date, options: RenderOptions) -> tuple[Optional[dt.date], str]:
    if options.since is not None:
        return options.since, OPTION
    if options.previous is not None:  # a scheduled edition: the one scheduled before it
        return options.previous, EDITION
    folder = (options.editions or ws.reports) / programme_id
    return editions.previous_edition(folder, programme_id, as_of), EDITION


def gather(ws: "Workspace", programme: Programme, as_of: dt.date, found: Fingerprint) -> EditionInputs:
    """The edition's inputs, from its fingerprint (computed once per run) and the loaded programme."""
    data = lru_cache(maxsize=None)(lambda: snapshot.snapshot(programme, as_of, found.data_file))

    def data_of(older: bytes) -> Optional[bytes]:
        try:
            doc = yamlsafe.parse_bytes(older, found.data_file)
        except InvalidData:
            return None
        version, problems = check_document(doc, programme.path)
        return None if version is None or problems else snapshot.snapshot(version, as_of, found.data_file)

    return EditionInputs(
        root=ws.root,
        data_file=found.data_file,
        snapshot_of=data,
        since=found.since,
        since_from=found.since_from,
        revision=revision.of_data(ws.root, programme.path, found.file, data, data_of) if found.git else None,
        logo=found.logo,
        template_dir=found.template_dir,
        pdf_variant=found.pdf_variant,
        evidence=state.from_data(found.evidence, as_of) if found.evidence is not None else None,
        drafts=found.drafts,
        since_method=found.since_method,
    )
