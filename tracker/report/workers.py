"""Rendering editions here or in processes of their own, each staged beside its final name.

One edition, or editions without a PDF, with `jobs` 1: rendered one after another in this process.
Otherwise every edition is rendered in a process of its own that ends when the edition is staged,
at most `jobs` at a time. Those processes are forked from a server process started for the run
(multiprocessing's 'forkserver'): a fresh interpreter that has imported tracker and WeasyPrint
once, so each edition starts warm, inherits nothing from the calling process (whose threads and
library state are its own), and leaves nothing behind. WeasyPrint's libraries keep about 1 MiB of
native memory per edition in a process that renders several (bench/README.md); here no process
renders more than one, so a portfolio of any length runs in the memory of its largest edition.
The same code renders the same bytes in every mode. A process sends back only the names of its
staged files and their hashes; every error as one line.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from ..errors import RenderError, TrackerError
from ..model import Programme
from ..workspace import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (editions rendered so far, editions to render)

#: What the server process imports before it forks a process per edition.
PRELOAD_PDF = ["tracker.report.warm"]
PRELOAD_HTML = ["tracker.report"]


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Job:
    """One edition to render: everything its process needs (it is pickled to it)."""

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


_BROKEN = "a rendering process stopped unexpectedly (out of memory?); nothing was written"


class Runner:
    """Runs loads and renders in this process, or each in a process of its own.

    `jobs` is how many processes work at once (0: one per core). Loads are split into `jobs`
    shares, one process each; renders get one process per edition. The server that forks them
    is started on first use, with WeasyPrint imported when `pdf`, and stopped with the runner.
    """

    def __init__(self, jobs: int, *, pdf: bool = True) -> None:
        self.jobs = cpu_count() if jobs == 0 else jobs
        self.preload = PRELOAD_PDF if pdf else PRELOAD_HTML
        self.context: Any = None
        self.server = False  # whether this runner started the server
        self.unavailable = False

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.context = None
        if self.server:
            _stop_server()
            self.server = False

    def _processes(self) -> Any:
        """The multiprocessing context that forks from the run's server, started now; None when
        processes cannot be made here (then the work is done in this process)."""
        if self.context is None and not self.unavailable:
            try:
                self.server = True
                self.context = _start_server(self.preload)
            except (OSError, ValueError, ImportError) as error:
                self._give_up(error)
        return self.context

    def _give_up(self, error: BaseException) -> None:
        log.warning("cannot start rendering processes (%s); rendering in this process", error)
        self.unavailable = True
        self.context = None

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        """`function` of each item, in order: split into `jobs` shares, one process each."""
        items = list(items)
        shares = min(self.jobs, len(items))
        if shares <= 1 or self._processes() is None:
            return [function(item) for item in items]
        results: dict[int, Any] = {}
        failure: list[BaseException] = []

        def done(share: int, outcome: tuple[bool, Any]) -> bool:
            ok, value = outcome
            if not ok:
                failure.append(value)
                return False
            results[share] = value
            return True

        self._each_in_a_process([(_map_share, (function, items[share::shares])) for share in range(shares)], done)
        if failure:
            raise failure[0]
        if len(results) < shares:  # processes could not be started: the rest here
            for share in range(shares):
                if share not in results:
                    results[share] = _map_share((function, items[share::shares]))
        merged: list[Any] = [None] * len(items)
        for share, values in results.items():
            merged[share::shares] = values
        return merged

    def render(self, jobs_list: list[Job], staged: dict[int, Staged], progress: Optional[Progress]) -> None:
        """Render every job into `staged`, filled as jobs finish so that a failure can clean up."""
        total = len(jobs_list)
        alone = self.jobs == 1 and (total == 1 or not any("pdf" in job.formats for job in jobs_list))
        if not alone and self._processes() is not None:
            failure: list[str] = []

            def done(index: int, outcome: tuple[bool, Any]) -> bool:
                ok, result = outcome
                if ok and isinstance(result, Staged):
                    staged[result.index] = result
                    if progress:
                        progress(len(staged), total)
                    return not failure
                failure.append(result.message if ok else _internal(result))
                return False

            self._each_in_a_process([(render_job, job) for job in jobs_list], done)
            if failure:
                raise RenderError(failure[0])
        for job in jobs_list:  # this process: alone, or processes could not be made
            if job.index not in staged:
                _collect(render_job(job, in_worker=False), staged)
                if progress:
                    progress(len(staged), total)

    def _each_in_a_process(self, tasks: list[tuple[Callable[[Any], Any], Any]],
                           done: Callable[[int, tuple[bool, Any]], bool]) -> None:
        """Run each `function(argument)` in a process of its own, `jobs` at a time, and pass
        `done(task number, (ok, result or exception))` each outcome as it comes; once `done`
        returns False no more are started. Processes already running are waited for (their
        outcomes passed on too, so their staged files are known), whatever happens here."""
        from multiprocessing.connection import wait

        running: dict[Any, tuple[int, Any]] = {}  # receiving end -> (task number, process)
        waiting = list(enumerate(tasks))
        go_on = True
        try:
            while running or (waiting and go_on):
                while waiting and go_on and len(running) < self.jobs:
                    number, task = waiting[0]
                    try:
                        running.update(self._start(number, task))
                    except OSError as error:  # no more processes: the rest is done in this process
                        self._give_up(error)
                        go_on = False
                        break
                    waiting.pop(0)
                for ready in wait(list(running)):
                    number, process = running.pop(ready)
                    go_on = done(number, _outcome(ready, process)) and go_on
        finally:
            for ready, (number, process) in running.items():
                done(number, _outcome(ready, process))

    def _start(self, number: int, task: tuple[Callable[[Any], Any], Any]) -> dict[Any, tuple[int, Any]]:
        receive, send = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_child, args=(send, *task), daemon=True)
        try:
            process.start()
        except BaseException:
            receive.close()
            raise
        finally:
            send.close()
        return {receive: (number, process)}


def _start_server(preload: list[str]) -> Any:
    import multiprocessing
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")  # ValueError where there is none
    context.set_forkserver_preload(preload)
    forkserver.ensure_running()
    return context


def _stop_server() -> None:
    """Stop the run's server process, so that the next run starts one with its own environment."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        try:
            stop()
        except OSError:
            pass


def _child(send: Any, function: Callable[[Any], Any], argument: Any) -> None:
    """In a process of its own: send back `(True, function(argument))` or `(False, the error)`."""
    try:
        outcome: tuple[bool, Any] = (True, function(argument))
    except KeyboardInterrupt:
        return
    except BaseException as error:
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as error:  # a result or an error that cannot be pickled
        send.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
    finally:
        send.close()


def _outcome(receive: Any, process: Any) -> tuple[bool, Any]:
    """What a process sent back; a process that ended without a word died (out of memory)."""
    try:
        outcome = receive.recv()
    except (EOFError, OSError):
        outcome = (False, RenderError(_BROKEN))
    finally:
        receive.close()
    process.join()
    return outcome


def _internal(error: BaseException) -> str:
    if isinstance(error, TrackerError):
        return str(error)
    return f"internal error in a rendering process: {type(error).__name__}: {error}"


def _map_share(task: tuple[Callable[[Any], Any], list[Any]]) -> list[Any]:
    function, items = task
    return [function(item) for item in items]


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

