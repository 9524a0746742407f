"""What names an edition and what it is made from: the types every part of `report` shares.

An edition is one programme's report as of one date, in one or more formats. `RenderOptions`
says how it is rendered, `edition_paths` where its files go, and `EditionInputs` holds what
its bytes depend on besides the programme's records (gathered by `run.inputs`, shown by
`content`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tracker.evidence.state import Known

FORMATS = ("html", "pdf")
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")


@dataclass(frozen=True)
class RenderOptions:
    """How an edition is rendered; everything here is an input of the edition's bytes."""

    template_dir: Optional[Path] = None  # --template-dir: templates looked up here first
    pdf_variant: str = PDF_VARIANTS[0]  # --pdf-variant: pdf/a-3b (default) or pdf/ua-1
    since: Optional[dt.date] = None  # --since: compare with this date, not the previous edition
    previous: Optional[dt.date] = None  # compare with the edition of this date (a schedule's previous one)
    editions: Optional[Path] = None  # folder holding earlier editions (<folder>/<id>/); default reports/
    drafts: bool = False  # --drafts: a preview with drafts waiting for review, into <out>/<id>/drafts/


DRAFTS = "drafts"  # the folder of previews beside a programme's editions


def edition_stem(programme_id: str, as_of: dt.date, lang: Optional[str] = None) -> str:
    """`<id>-<as-of>` for the primary language (lang None), `<id>-<as-of>.<lang>` for the others."""
    stem = f"{programme_id}-{as_of.isoformat()}"
    return f"{stem}.{lang}" if lang else stem


def edition_paths(out: Path, programme_id: str, as_of: dt.date, lang: Optional[str] = None,
                  drafts: bool = False) -> dict[str, Path]:
    """Where an edition's files go, by format: `<out>/<id>/<id>-<as-of>.<format>` in the primary
    language (lang None), `<out>/<id>/<id>-<as-of>.<lang>.<format>` in another; a preview with
    drafts (never distributed or published) goes to `<out>/<id>/drafts/`, named the same way
    (`<out>/<id>/drafts/<id>-<as-of>.zh-Hans.html`)."""
    folder = out / programme_id / DRAFTS if drafts else out / programme_id
    stem = edition_stem(programme_id, as_of, lang)
    return {fmt: folder / f"{stem}.{fmt}" for fmt in FORMATS}


def other_language(programme_lang: str, primary: str) -> Optional[str]:
    """The `lang` of `edition_paths` for an edition in `programme_lang`: None for the primary."""
    return None if programme_lang == primary else programme_lang


@dataclass(frozen=True)
class Revision:
    """The git commit an edition's data comes from (printed on the cover)."""

    commit: Optional[str]  # full hash of the last commit touching the file; None when never committed
    date: Optional[str]  # that commit's date, YYYY-MM-DD
    modified: bool  # the data rendered is in no commit yet (or the file is not tracked)

    @property
    def short(self) -> str:
        return self.commit[:12] if self.commit else ""


EDITION, OPTION = "edition", "option"  # where `since` came from


@dataclass(frozen=True)
class EditionInputs:
    """Everything outside the programme's records that goes into an edition's bytes."""

    root: Path
    data_file: str  # the programme file as a reader names it, e.g. policies/demo.yaml
    snapshot_of: Callable[[], bytes] = field(repr=False, compare=False)  # see `data`
    since: Optional[dt.date]  # the date compared with; None for a first edition
    since_from: str  # EDITION (latest earlier report found) or OPTION (--since)
    revision: Optional[Revision]
    logo: Optional[str]  # data: URL
    template_dir: Optional[Path]
    pdf_variant: str
    evidence: Optional["Known"] = None  # checks and captures of the sources known on the as-of date
    drafts: bool = False  # a preview with drafts included, marked "DRAFT — not for distribution"
    #: The method version the edition compared with was made with: "" when it stated none, None
    #: when unknown (no earlier edition, or one made before tracker recorded it).
    since_method: Optional[str] = None

    @property
    def data(self) -> bytes:
        """The programme data as recorded on the as-of date (run/snapshot.py), attached to the PDF.
        Made only when needed (a PDF, or a git history to compare with): HTML-only runs skip it."""
        return self.snapshot_of()


@dataclass
class Outcome:
    """What a run did: the files it wrote, and those it left alone because they were up to date."""

    written: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # every edition file of the run, in programme order
