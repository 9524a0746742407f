"""Everything outside the programme's records that goes into an edition's bytes, gathered once.

An edition depends on: the programme file (its bytes are also attached to the PDF), the as-of
date, the previous edition's date (or --since), the git revision of the programme file, the logo,
the templates and the PDF variant. Incremental rendering can fingerprint this record.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from .. import editions
from ..errors import display_path
from ..model import Programme
from . import assets, revision

if TYPE_CHECKING:  # pragma: no cover
    from ..workspace import Workspace
    from . import RenderOptions

EDITION, OPTION = "edition", "option"


@dataclass(frozen=True)
class EditionInputs:
    root: Path
    data_file: str  # the programme file as a reader names it, e.g. policies/demo.yaml
    data: bytes  # the programme file's bytes, attached to the PDF
    since: Optional[dt.date]  # the date compared with; None for a first edition
    since_from: str  # "edition" (latest earlier report found) or "option" (--since)
    revision: Optional[revision.Revision]
    logo: Optional[str]  # data: URL
    template_dir: Optional[Path]
    pdf_variant: str


def gather(ws: "Workspace", programme: Programme, as_of: dt.date, options: "RenderOptions") -> EditionInputs:
    if options.since is not None:
        since, since_from = options.since, OPTION
    else:
        folder = (options.editions or ws.reports) / programme.id
        since, since_from = editions.previous_edition(folder, programme.id, as_of), EDITION
    return EditionInputs(
        root=ws.root,
        data_file=display_path(programme.path, ws.root),
        data=programme.path.read_bytes(),
        since=since,
        since_from=since_from,
        revision=revision.of_file(ws.root, programme.path),
        logo=assets.logo_data_url(ws.root, programme),
        template_dir=options.template_dir,
        pdf_variant=options.pdf_variant,
    )
