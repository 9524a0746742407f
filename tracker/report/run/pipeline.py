"""`build()`: the editions of a run, from the programme files to the files in reports/.

Read it top to bottom: remove the temporary files of runs that were killed; find a run with
nothing to do without parsing anything; load and validate every programme; plan each edition
(its inputs fingerprinted once, skipped when its manifest says it is up to date); render the
rest, each staged as hidden temporary files beside its final names; and only when every edition
has rendered, commit them all (rename into place, write the manifests). If one edition fails,
every staged file is removed and nothing is written; the error is one line.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from tracker.edit import atomic
from tracker.errors import InvalidData, NotFound, UsageProblem
from tracker.i18n import po
from tracker.model.records import Programme
from tracker.model.workspace import Workspace
from tracker.report.edition import FORMATS, Outcome, RenderOptions, edition_paths, other_language
from tracker.report.run import editions, inputs, manifest
from tracker.report.run.stage import Job, Staged, discard, remove_abandoned, staged_name_prefix
from tracker.report.run.unchanged import nothing_to_do
from tracker.report.run.workers import Progress, Workers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    """An edition to render, and what its manifest will record."""

    job: Job
    record: dict[str, object]


def build(ws: Workspace, as_of: dt.date, formats: tuple[str, ...], out: Path,
          options: RenderOptions = RenderOptions(), *, programme_ids: tuple[str, ...] = (),
          programmes: Optional[list[Programme]] = None, jobs: int = 1, force: bool = False,
          progress: Optional[Progress] = None, langs: tuple[str, ...] = ()) -> Outcome:
    """`tracker report`: the editions as of `as_of` of the programmes named (all when none), or
    of `programmes` already loaded, in each of their languages (or those of `langs` they are
    published in); those up to date are left alone unless `force`."""
    formats = tuple(fmt for fmt in FORMATS if fmt in formats)
    for leftover in remove_abandoned(out):
        log.info("removed %s, left by a run that was stopped", leftover)
    if programmes is None and not force:
        unchanged = nothing_to_do(ws, programme_ids, as_of, formats, out, options, langs)
        if unchanged is not None:
            return unchanged
    with Workers(jobs) as workers:
        if programmes is None:
            programmes = select(ws, ws.load_all(workers.map), programme_ids)
        check_languages(programmes, langs)
        outcome, todo = plan(ws, programmes, as_of, formats, out, options, force, langs)
        if todo:
            created = _make_folders({path.parent for p in todo for path in p.job.paths.values()})
            staged: dict[int, Staged] = {}
            try:
                workers.render([p.job for p in todo], staged, progress)
                commit(todo, staged, out, as_of, outcome)
            except BaseException:  # an error, or a signal (errors.Stopped)
                workers.close(abort=True)  # every process stopped first: none stages a file after this
                _remove(staged, [p.job for p in todo], created)
                raise
            _remove({}, [p.job for p in todo], [])  # what a process lost on the way may have staged
    return outcome


def select(ws: Workspace, programmes: list[Programme], programme_ids: tuple[str, ...]) -> list[Programme]:
    """The programmes named, in the order named (each once), or all when none is named."""
    if not programme_ids:
        return programmes
    by_id = {p.id: p for p in programmes}
    for pid in programme_ids:
        if pid not in by_id:
            raise NotFound(ws.unknown_programme(pid))
    return [by_id[pid] for pid in dict.fromkeys(programme_ids)]


def languages_of(programme: Programme, langs: tuple[str, ...]) -> list[str]:
    """The languages of the programme's editions in this run: all of them, or those of `langs`."""
    return [lang for lang in programme.published_in if not langs or lang in langs]


def check_languages(programmes: list[Programme], langs: tuple[str, ...]) -> None:
    """Each language asked for is one some programme of the run is published in."""
    for lang in dict.fromkeys(langs):
        if not any(lang in p.published_in for p in programmes):
            published = sorted({tag for p in programmes for tag in p.published_in})
            raise UsageProblem(f"no programme of this run is published in {lang!r} "
                               f"(their languages: {', '.join(published)}); add it to a programme's languages")


def plan(ws: Workspace, programmes: list[Programme], as_of: dt.date, formats: tuple[str, ...], out: Path,
         options: RenderOptions, force: bool, langs: tuple[str, ...] = ()) -> tuple[Outcome, list[Planned]]:
    """Every edition's paths and inputs, one edition per programme and language; those up to
    date go straight into the outcome. Every translation is read (and every problem reported)
    before anything is rendered."""
    shared = manifest.Shared.compute(ws, as_of, formats, options)
    outcome = Outcome()
    todo: list[Planned] = []
    translations: dict[tuple[str, str], po.Translations] = {}
    problems = []
    for programme in programmes:
        for lang in languages_of(programme, langs):
            if lang != programme.language:
                try:
                    translations[programme.id, lang] = po.read(po.po_path(programme, lang), ws.root)
                except InvalidData as bad:
                    problems.extend(bad.problems)
    if problems:
        raise InvalidData(problems)
    for programme in programmes:
        for lang in languages_of(programme, langs):
            suffix = other_language(lang, programme.primary)
            paths = {fmt: path for fmt, path in edition_paths(out, programme.id, as_of, suffix, options.drafts).items()
                     if fmt in formats}
            where = manifest.manifest_path(out, programme.id, as_of, suffix, options.drafts)
            previous = manifest.read_manifest(where)
            made_with = manifest.recorded_method_version(previous)
            if made_with is None:  # the edition of that date in the primary language says
                made_with = editions.method_version(where.parent, programme.id, as_of)
            shown = kept_method(programme, made_with)
            translated = translations.get((programme.id, lang))
            found = inputs.of_programme(ws, shown, as_of, options, lang, translated.raw if translated else b"")
            record = manifest.edition_record(ws, found, shown.id, shown.path, shown.logo, shared,
                                             shown.published_in, shown.language, shown.method_version)
            outcome.paths.extend(paths.values())
            if not force and manifest.is_up_to_date(previous, record, paths):
                log.info("%s (%s): up to date", programme.id, lang)
                outcome.up_to_date.extend(paths.values())
                continue
            todo.append(Planned(Job(len(todo), ws, shown, as_of, formats, options, found, paths, os.getpid(),
                                    lang, translated), record))
    return outcome, todo


def kept_method(programme: Programme, made_with: Optional[str]) -> Programme:
    """The programme as an edition made with the method version `made_with` shows it.

    The method version is dated by the editions: an edition keeps the version it was first made
    with (its manifest says which, else its HTML), so changing `method_version:` applies to
    editions made from then on, and an earlier edition regenerates byte for byte. None: no such
    edition yet, the programme's own version."""
    if made_with is None or made_with == programme.method_version:
        return programme
    return dataclasses.replace(programme, method_version=made_with)


def commit(todo: list[Planned], staged: dict[int, Staged], out: Path, as_of: dt.date, outcome: Outcome) -> None:
    """Put every staged edition in place, with its manifest (written last: it vouches for the files)."""
    for planned in todo:
        job = planned.job
        files = staged[job.index].files
        for fmt, (tmp, _) in files.items():
            _replace(tmp, job.paths[fmt])
        hashes = {fmt: sha for fmt, (_, sha) in files.items()}
        suffix = other_language(job.lang, job.programme.primary) if job.lang else None
        atomic.write_bytes(manifest.manifest_path(out, job.programme.id, as_of, suffix, job.options.drafts),
                           manifest.manifest_bytes(planned.record, job.paths, hashes))
        outcome.written.extend(job.paths[fmt] for fmt in job.formats)
        del staged[job.index]


def _replace(tmp: Path, path: Path) -> None:
    try:
        info = path.lstat()
        mode = info.st_mode & 0o7777 if stat.S_ISREG(info.st_mode) else 0o644
    except FileNotFoundError:
        mode = 0o644
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def _remove(staged: dict[int, Staged], jobs: list[Job], created: list[Path]) -> None:
    """Undo a failed run: its staged files (those of a process that was stopped or lost midway
    too, found by their names), and the folders it created (if still empty)."""
    for result in staged.values():
        for tmp, _ in result.files.values():
            discard(tmp)
    for job in jobs:
        for path in job.paths.values():
            prefix = staged_name_prefix(path, job.run)
            for leftover in path.parent.glob(f"{glob.escape(prefix)}*.tmp") if path.parent.is_dir() else ():
                discard(leftover)
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass


def _make_folders(folders: set[Path]) -> list[Path]:
    """Create the output folders that do not exist yet; return those created, parents first."""
    created: list[Path] = []
    for folder in sorted(folders):
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        created.extend(p for p in reversed(missing) if p not in created)
    return created
