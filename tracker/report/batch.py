"""Rendering many editions: skip those already current, render the rest, then write all or none.

Rendered files are staged as hidden temporary files beside their final names (workers.py);
only when every edition has rendered are they renamed into place and their manifests
(manifest.py) written. If one edition fails, every staged file is removed and nothing is
written; the error is one line.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from .. import atomic
from ..errors import NotFound
from ..model import Programme
from ..workspace import Workspace
from . import manifest
from .workers import Job, Progress, Runner, Staged, discard

if TYPE_CHECKING:
    from . import RenderOptions

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a run did: the files it wrote, and those it left alone because they were current."""

    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # every edition file of the run, in programme order


def publish(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
            out: Path, options: Optional["RenderOptions"] = None, *, jobs: int = 1, force: bool = False,
            progress: Optional[Progress] = None) -> Outcome:
    """`tracker report`: the editions of the programmes named (all when none), as of `as_of`.

    When every programme file is byte for byte the one its current edition was rendered from,
    nothing is parsed: the manifests prove the files valid and the editions current. Otherwise
    every file is loaded and validated (in `jobs` processes when `jobs` is not 1), then the
    editions that are not current are rendered.
    """
    from . import RenderOptions

    options = options or RenderOptions()
    if not force:
        from .current import all_current

        shortcut = all_current(ws, programme_ids, as_of, formats, out, options)
        if shortcut is not None:
            return shortcut
    with Runner(jobs, pdf="pdf" in formats) as runner:
        programmes = select(ws, ws.load_all(runner.map), programme_ids)
        return _render_editions(ws, programmes, as_of, formats, out, options, runner, force, progress)


def select(ws: Workspace, programmes: list[Programme], programme_ids: tuple[str, ...]) -> list[Programme]:
    """The programmes named, in the order named (each once), or all when none is named."""
    if not programme_ids:
        return programmes
    by_id = {p.id: p for p in programmes}
    for pid in programme_ids:
        if pid not in by_id:
            raise NotFound(ws.unknown_programme(pid))
    return [by_id[pid] for pid in dict.fromkeys(programme_ids)]


def write_reports(ws: Workspace, programmes: list[Programme], as_of: dt.date, formats: tuple[str, ...],
                  out: Path, options: Optional["RenderOptions"] = None, *, jobs: int = 1, force: bool = False,
                  progress: Optional[Progress] = None) -> list[Path]:
    """Render every edition that is not current, then write them all; return the paths written."""
    return render_editions(ws, programmes, as_of, formats, out, options,
                           jobs=jobs, force=force, progress=progress).written


def render_editions(ws: Workspace, programmes: list[Programme], as_of: dt.date, formats: tuple[str, ...],
                    out: Path, options: Optional["RenderOptions"] = None, *, jobs: int = 1,
                    force: bool = False, progress: Optional[Progress] = None) -> Outcome:
    """Render the editions of `programmes` that are not current (all with `force`), write them."""
    from . import RenderOptions

    with Runner(jobs, pdf="pdf" in formats) as runner:
        return _render_editions(ws, programmes, as_of, formats, out, options or RenderOptions(),
                                runner, force, progress)


def _render_editions(ws: Workspace, programmes: list[Programme], as_of: dt.date, formats: tuple[str, ...],
                     out: Path, options: "RenderOptions", runner: "Runner", force: bool,
                     progress: Optional[Progress]) -> Outcome:
    from . import FORMATS, edition_paths

    formats = tuple(fmt for fmt in FORMATS if fmt in formats)
    shared = manifest.Shared.compute(ws, as_of, formats, options)
    outcome = Outcome()
    todo: list[tuple[Job, dict[str, Any]]] = []
    for programme in programmes:
        paths = {fmt: path for fmt, path in edition_paths(out, programme.id, as_of).items() if fmt in formats}
        recorded = manifest.edition_record(ws, programme, shared)
        previous = manifest.read_manifest(manifest.manifest_path(out, programme.id, as_of))
        outcome.paths.extend(paths.values())
        if not force and manifest.is_current(previous, recorded, paths):
            log.info("%s: up to date", programme.id)
            outcome.current.extend(paths.values())
            continue
        todo.append((Job(len(todo), ws, programme, as_of, formats, options, paths), recorded))
    if not todo:
        return outcome
    created = _make_folders({path.parent for job, _ in todo for path in job.paths.values()})
    staged: dict[int, Staged] = {}
    try:
        runner.render([job for job, _ in todo], staged, progress)
        for job, recorded in todo:
            files = staged[job.index].files
            for fmt, (tmp, _) in files.items():
                _commit(tmp, job.paths[fmt])
            hashes = {fmt: sha for fmt, (_, sha) in files.items()}
            atomic.write_bytes(manifest.manifest_path(out, job.programme.id, as_of),
                               manifest.manifest_bytes(recorded, job.paths, hashes))
            outcome.written.extend(job.paths[fmt] for fmt in formats)
            del staged[job.index]
    except BaseException:
        for result in staged.values():
            for tmp, _ in result.files.values():
                discard(tmp)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return outcome


def _commit(tmp: Path, path: Path) -> None:
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _make_folders(folders: set[Path]) -> list[Path]:
    """Create the output folders that do not exist yet; return those created, parents first."""
    created: list[Path] = []
    for folder in sorted(folders):
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        created.extend(p for p in reversed(missing) if p not in created)
    return created

