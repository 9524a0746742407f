"""Rendering many editions: skip those already current, render the rest, then write all or none.

Editions are rendered one after another in this process (`jobs=1`), or in `jobs` separate
processes started with the 'spawn' method: each worker is a fresh interpreter that imports
tracker and WeasyPrint itself, so no fontconfig, Pango or Jinja state is shared with or
inherited from the calling process (forking a process that has already rendered a PDF copies
library state that is not fork-safe), and the same code renders the same bytes in every mode.

Rendered files are staged as hidden temporary files beside their final names; only when every
edition has rendered are they renamed into place and their manifests written. If one edition
fails, every staged file is removed and nothing is written; the error is one line.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Union

if TYPE_CHECKING:
    from concurrent.futures import Future

    from . import RenderOptions

from .. import atomic
from ..errors import NotFound, RenderError, TrackerError
from ..model import Programme
from ..workspace import Workspace
from . import manifest


log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (editions rendered so far, editions to render)


@dataclass
class Outcome:
    """What a run did: the files it wrote, and those it left alone because they were current."""

    written: list[Path] = field(default_factory=list)
    current: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # every edition file of the run, in programme order


@dataclass(frozen=True)
class Job:
    """One edition to render: everything a worker process needs (it is pickled to it)."""

    index: int
    ws: Workspace
    programme: Programme
    as_of: dt.date
    formats: tuple[str, ...]
    options: Any  # RenderOptions
    paths: dict[str, Path]


@dataclass(frozen=True)
class Staged:
    index: int
    files: dict[str, tuple[Path, str]]  # format -> (temporary file, sha256 of its bytes)


@dataclass(frozen=True)
class Failed:
    index: int
    message: str


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def publish(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
            out: Path, options: Optional["RenderOptions"] = None, *, jobs: int = 1, force: bool = False,
            progress: Optional[Progress] = None) -> Outcome:
    """`tracker report`: the editions of the programmes named (all when none), as of `as_of`.

    When every programme file is byte for byte the one its current edition was rendered from,
    nothing is parsed: the manifests prove the files valid and the editions current. Otherwise
    every file is loaded and validated (by the worker processes when `jobs` is not 1), then the
    editions that are not current are rendered.
    """
    from . import RenderOptions

    options = options or RenderOptions()
    if not force:
        shortcut = _all_current(ws, programme_ids, as_of, formats, out, options)
        if shortcut is not None:
            return shortcut
    with Runner(jobs) as runner:
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

    with Runner(jobs) as runner:
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
                _unlink(tmp)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return outcome


class Runner:
    """Runs loads and renders in this process (`jobs` 1), or in a pool of spawned processes.

    The pool is started on first use, sized for the work at hand, and kept for the whole run:
    the processes that loaded the programme files then render them.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = cpu_count() if jobs == 0 else jobs
        self.pool: Any = None

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _pool(self, work: int) -> Any:
        """The process pool, started now if there is work for more than one process; else None."""
        if self.pool is None and min(self.jobs, work) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                self.pool = ProcessPoolExecutor(max_workers=min(self.jobs, work),
                                                mp_context=multiprocessing.get_context("spawn"))
            except (OSError, NotImplementedError, ImportError) as error:  # no semaphores (no /dev/shm)
                log.warning("cannot start worker processes (%s); rendering in this process", error)
                self.jobs = 1
        return self.pool

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        items = list(items)
        pool = self._pool(len(items))
        if pool is None:
            return [function(item) for item in items]
        from concurrent.futures.process import BrokenProcessPool

        try:
            return list(pool.map(function, items))
        except BrokenProcessPool:
            raise RenderError(_BROKEN) from None

    def render(self, jobs_list: list[Job], staged: dict[int, Staged], progress: Optional[Progress]) -> None:
        """Render every job into `staged`, filled as jobs finish so that a failure can clean up."""
        total = len(jobs_list)
        pool = self._pool(total)
        if pool is None:
            for job in jobs_list:
                _collect(render_job(job, in_worker=False), staged)
                if progress:
                    progress(len(staged), total)
            return
        from concurrent.futures import FIRST_COMPLETED, wait

        failure: Optional[Failed] = None
        pending: set["Future[Union[Staged, Failed]]"] = {pool.submit(render_job, job) for job in jobs_list}
        try:
            while pending and failure is None:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    result = _result(future)
                    if isinstance(result, Failed):
                        failure = failure or result
                    else:
                        staged[result.index] = result
                if progress:
                    progress(len(staged), total)
        finally:
            for future in pending:
                future.cancel()
            wait(pending)
            for future in pending:  # already running when the failure came: their files go too
                if not future.cancelled() and future.exception() is None:
                    result = future.result()
                    if isinstance(result, Staged):
                        staged[result.index] = result
        if failure is not None:
            raise RenderError(failure.message)


_BROKEN = "a rendering process stopped unexpectedly (out of memory?); nothing was written"


def _result(future: "Future[Union[Staged, Failed]]") -> Union[Staged, Failed]:
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        return Failed(-1, _BROKEN)
    except Exception as error:  # the job could not reach its worker, or its result could not come back
        return Failed(-1, f"internal error in a rendering process: {type(error).__name__}: {error}")


def _collect(result: Union[Staged, Failed], staged: dict[int, Staged]) -> None:
    if isinstance(result, Failed):
        raise RenderError(result.message)
    staged[result.index] = result


def render_job(job: Job, in_worker: bool = True) -> Union[Staged, Failed]:
    """Render one edition and stage its files. In a worker, every error comes back as one line."""
    from .. import report

    files: dict[str, tuple[Path, str]] = {}
    try:
        rendered = report.render_programme(job.ws, job.programme, job.as_of, job.formats, job.options)
        for fmt in job.formats:
            data = rendered[fmt]
            files[fmt] = (_stage(job.paths[fmt], data), _sha256(data))
        return Staged(job.index, files)
    except BaseException as error:
        for tmp, _ in files.values():
            _unlink(tmp)
        if not in_worker or not isinstance(error, Exception):
            raise
        return Failed(job.index, _one_line(error, job.programme.id))


def _one_line(error: Exception, programme_id: str) -> str:
    if isinstance(error, TrackerError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    return f"internal error while rendering {programme_id!r}: {type(error).__name__}: {error}"


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a hidden temporary file beside `path`, on disk (fsync) before returning."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _unlink(Path(tmp))
        raise
    return Path(tmp)


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


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _all_current(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
                 out: Path, options: Any) -> Optional[Outcome]:
    """The outcome of a run with nothing to do, found without parsing any programme file; else None.

    Sound because a programme file's validity depends only on its bytes and tracker's code, both
    recorded in the manifests: if every file in policies/ is byte for byte the one a current
    edition was rendered from, `load_all` would accept them all and nothing would be rendered.
    Any doubt (a file without a manifest, a changed byte, an id not found) gives None, and the
    caller takes the full path, which reports problems exactly as usual.
    """
    try:
        return _shortcut(ws, programme_ids, as_of, formats, out, options)
    except Exception as error:  # noqa: BLE001 - the full path will meet (and report) the same problem
        log.debug("full run: %s", error)
        return None


def _shortcut(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
              out: Path, options: Any) -> Optional[Outcome]:
    from . import FORMATS, edition_paths

    formats = tuple(fmt for fmt in FORMATS if fmt in formats)
    files = ws.programme_files()
    by_file: dict[str, dict[str, Any]] = {}
    for manifest_file in sorted(out.glob(f"*/.*-{as_of.isoformat()}.inputs.json")):
        recorded = manifest.read_manifest(manifest_file)
        source = recorded["inputs"].get("programme") if recorded else None
        if not isinstance(source, dict) or source.get("id") != manifest_file.parent.name:
            continue
        if source.get("file") in by_file:
            return None  # two editions claim one file
        by_file[source["file"]] = recorded  # type: ignore[assignment]
    found: dict[str, tuple[SimpleNamespace, dict[str, Any]]] = {}
    for path in files:
        recorded = by_file.get(ws.display(path))
        if recorded is None or not ws.inside(path) or not path.resolve().is_file():
            return None
        source = recorded["inputs"]["programme"]
        if (source["id"] in found or recorded["inputs"].get("code") != manifest.code_fingerprint()
                or manifest.sha256_file(path) != source.get("sha256")):
            return None
        found[source["id"]] = (SimpleNamespace(id=source["id"], path=path, logo=source.get("logo")), recorded)
    wanted = list(dict.fromkeys(programme_ids)) if programme_ids else list(found)
    if any(pid not in found for pid in wanted):
        return None
    outcome = Outcome()
    shared = manifest.Shared.compute(ws, as_of, formats, options)
    for pid in wanted:
        stand_in, recorded = found[pid]
        paths = {fmt: p for fmt, p in edition_paths(out, pid, as_of).items() if fmt in formats}
        if not manifest.is_current(recorded, manifest.edition_record(ws, stand_in, shared), paths):
            return None
        outcome.current.extend(paths.values())
        outcome.paths.extend(paths.values())
    return outcome
