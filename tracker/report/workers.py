"""Rendering editions here or in worker processes, each staged beside its final name.

With `jobs` 1 editions are rendered one after another in this process (in one worker process,
replaced every `EDITIONS_PER_WORKER` editions, when there are more than that). Otherwise in a pool of
`jobs` processes started with the 'spawn' method: each worker is a fresh interpreter that imports
tracker and WeasyPrint itself, so no fontconfig, Pango or Jinja state is shared with or inherited
from the calling process (forking a process that has already rendered a PDF copies library state
that is not fork-safe), and the same code renders the same bytes in every mode. A worker sends
back only the names of its staged files and their hashes; every error as one line.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Union

from ..errors import RenderError, TrackerError
from ..model import Programme
from ..workspace import Workspace

if TYPE_CHECKING:
    from concurrent.futures import Future

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (editions rendered so far, editions to render)


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


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
    pid: int = 0  # the process that rendered it


@dataclass(frozen=True)
class Failed:
    index: int
    message: str


#: Editions a worker process renders before a fresh one replaces it. WeasyPrint's libraries keep
#: about 1 MiB of native memory per edition rendered (bench/README.md); replacing the workers
#: bounds that, at the cost of one interpreter start per worker and round (about 0.5 s).
EDITIONS_PER_WORKER = 40


class Runner:
    """Runs loads and renders in this process (`jobs` 1), or in a pool of spawned processes.

    The pool is started on first use, sized for the work at hand; the processes that loaded the
    programme files then render them, in rounds of `editions_per_worker` editions per worker,
    with fresh processes for each round.
    """

    def __init__(self, jobs: int, editions_per_worker: Optional[int] = None) -> None:
        self.jobs = cpu_count() if jobs == 0 else jobs
        self.editions_per_worker = editions_per_worker or EDITIONS_PER_WORKER
        self.pool: Any = None
        self.size = 0

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _pool(self, work: int) -> Any:
        """The process pool, started now if there is work for more than one process, or more
        editions than one process should render (with `jobs` 1: one worker, replaced in rounds,
        so memory stays bounded across a long portfolio); else None."""
        if self.pool is None and (min(self.jobs, work) > 1 or work > self.editions_per_worker):
            self._start(max(1, min(self.jobs, work)))
        return self.pool

    def _start(self, size: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            self.pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"))
            self.size = size
        except (OSError, NotImplementedError, ImportError) as error:  # no semaphores (no /dev/shm)
            log.warning("cannot start worker processes (%s); rendering in this process", error)
            self.jobs = 1

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
        if self._pool(total) is None:
            for job in jobs_list:
                _collect(render_job(job, in_worker=False), staged)
                if progress:
                    progress(len(staged), total)
            return
        per_round = self.size * self.editions_per_worker
        for start in range(0, total, per_round):
            if start:  # fresh workers for the next round
                size = self.size
                self._stop()
                self._start(size)
            if self.pool is None:
                for job in jobs_list[start:]:
                    _collect(render_job(job, in_worker=False), staged)
                    if progress:
                        progress(len(staged), total)
                return
            self._round(jobs_list[start:start + per_round], staged, progress, total)

    def _round(self, jobs_list: list[Job], staged: dict[int, Staged], progress: Optional[Progress],
               total: int) -> None:
        from concurrent.futures import FIRST_COMPLETED, wait

        failure: Optional[Failed] = None
        pending: set["Future[Union[Staged, Failed]]"] = {self.pool.submit(render_job, job) for job in jobs_list}
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
        return Staged(job.index, files, os.getpid())
    except BaseException as error:
        for tmp, _ in files.values():
            discard(tmp)
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
        discard(Path(tmp))
        raise
    return Path(tmp)


def discard(path: Path) -> None:
    """Remove a staged file if it is still there."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass

