"""Where editions render: in this process, or each in a process of its own.

One edition, or editions without a PDF, with `jobs` 1: rendered one after another in this process.
Otherwise every edition is rendered in a process of its own (`ProcessPoolExecutor` with
`max_tasks_per_child=1`), at most `jobs` at a time. Those processes are forked from a server
process (multiprocessing's 'forkserver'), a fresh interpreter: each edition inherits nothing from
the calling process (whose threads and library state are its own), and leaves nothing behind.
WeasyPrint's libraries keep about 1 MiB of native memory per edition in a process that renders several
(bench/README.md); here no process renders more than one, so a portfolio of any length runs in
the memory of its largest edition. The same code renders the same bytes in every mode. A process
sends back only the names of its staged files and their hashes, or its error as one line.

The processes stop with the run: if the run ends on an error or a signal, they are killed (not
waited for), and if the run itself is killed (SIGKILL), each process sees it at once and ends
(`_watch_parent`); the server process ends when the last of them has. Ctrl-C reaches them too,
but they ignore it: the run stops them.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
import time
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, TypeVar

from tracker.errors import PoolLost, RenderError, TrackerError
from tracker.report.run.stage import Job, Staged, stage

if TYPE_CHECKING:  # imported when processes are started: a run in this process never loads them
    from concurrent.futures import Future, ProcessPoolExecutor

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (editions rendered so far, editions to render)
Render = Callable[[Job], Staged]  # a module-level function: it is sent to the processes by name
T = TypeVar("T")
R = TypeVar("R")

BROKEN = "a rendering process stopped unexpectedly (out of memory?); nothing was written"


def cpu_count() -> int:
    """Cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Workers:
    """Runs loads and renders in this process, or each in a process of its own.

    `jobs` is how many processes work at once (0: one per core). Loads are split into `jobs`
    shares, one process each; renders get one process per edition. The pool is started on
    first use and shut down with the `with` block. `render` renders and stages one edition
    (tests pass a stand-in).
    """

    def __init__(self, jobs: int, *, render: Render = stage) -> None:
        self.jobs = cpu_count() if jobs == 0 else jobs
        self.render_one = render
        self.pool: Optional[ProcessPoolExecutor] = None
        self.unavailable = False
        self._watch: Optional[contextlib.ExitStack] = None
        self.pool_failures: list[BaseException] = []  # what ended the pool's own thread
        self.submitted: list["Future[object]"] = []  # every future of the pool (an abort waits on those left)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(abort=kind is not None)

    def close(self, abort: bool = False) -> None:
        """Shut the pool down: waiting for its processes, or, when the run is stopping on an error
        or a signal (`abort`), killing them first (never waiting for a long PDF to finish)."""
        if self.pool is not None:
            if abort:
                _kill_processes(self.pool, [f for f in self.submitted if not f.done()])
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _executor(self) -> Optional[ProcessPoolExecutor]:
        """The pool, started now; None when processes cannot be made here (the work is then done
        in this process)."""
        if self.pool is None and not self.unavailable:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:
                context = multiprocessing.get_context("forkserver")  # ValueError where there is none
                self.pool = ProcessPoolExecutor(self.jobs, mp_context=context, max_tasks_per_child=1,
                                                initializer=_watch_parent)
                self._watch = contextlib.ExitStack()
                self.pool_failures = self._watch.enter_context(_pool_thread_failures())
            except (OSError, ValueError, ImportError, NotImplementedError) as error:
                self._give_up(error)
        return self.pool

    def _give_up(self, error: BaseException) -> None:
        log.warning("cannot start rendering processes (%s); rendering in this process", error)
        self.unavailable = True

    def _submit(self, pool: ProcessPoolExecutor, calls: list[tuple[Callable[..., R], tuple[object, ...]]]
                ) -> list[Optional["Future[R]"]]:
        """Submit every call; once a process cannot be started, none more (None in their place),
        and those not started yet are cancelled: the caller does them in this process."""
        futures: list[Optional[Future[R]]] = []
        for function, args in calls:
            if self.unavailable:
                futures.append(None)
                continue
            try:
                futures.append(pool.submit(function, *args))
                self.submitted.append(futures[-1])  # type: ignore[arg-type]
            except OSError as error:  # no more processes (fork fails at the process limit)
                self._give_up(error)
                futures.append(None)
                for future in futures:
                    if future is not None:
                        future.cancel()
        return futures

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """`function` of each item, in order: split into `jobs` shares, one process each."""
        items = list(items)
        shares = min(self.jobs, len(items))
        pool = self._executor() if shares > 1 else None
        if pool is None:
            return [function(item) for item in items]
        from concurrent.futures import CancelledError
        from concurrent.futures.process import BrokenProcessPool

        parts = [items[share::shares] for share in range(shares)]
        futures = self._submit(pool, [(_map_share, (function, part)) for part in parts])
        try:
            for _ in _as_completed([f for f in futures if f is not None], self.pool_failures):
                pass
        except PoolLost as lost:
            self._give_up(lost.reason)
        merged: list[R] = [None] * len(items)  # type: ignore[list-item]
        for share, future in enumerate(futures):
            try:
                values = future.result() if future is not None and future.done() else None
            except CancelledError:
                values = None
            except BrokenProcessPool:
                raise RenderError(BROKEN) from None
            merged[share::shares] = values if values is not None else _map_share(function, parts[share])
        return merged

    def render(self, jobs: list[Job], staged: dict[int, Staged], progress: Optional[Progress]) -> None:
        """Render every job into `staged`, filled as jobs finish so that a failure can clean up.
        Once one fails no more are started; those running are waited for, and their staged
        files are in `staged` too when the error is raised. If processes cannot be started (at
        all, or any more), the rest is rendered in this process, with a warning in the log."""
        total = len(jobs)
        alone = self.jobs == 1 and (total == 1 or not any("pdf" in job.formats for job in jobs))
        pool = None if alone else self._executor()
        if pool is not None:
            self._render_in_processes(pool, jobs, staged, progress)
        for job in jobs:  # this process: alone, or processes could not be made
            if job.index not in staged:
                staged[job.index] = self.render_one(job)
                if progress is not None:
                    progress(len(staged), total)

    def _render_in_processes(self, pool: ProcessPoolExecutor, jobs: list[Job], staged: dict[int, Staged],
                             progress: Optional[Progress]) -> None:
        """`jobs` at a time, each in a process of its own: the next one starts when one ends, and
        none once one has failed. Those the pool could not start are left for this process."""
        from concurrent.futures import CancelledError
        from concurrent.futures.process import BrokenProcessPool

        waiting = list(jobs)
        running: dict["Future[Staged]", Job] = {}
        failure: Optional[BaseException] = None
        try:
            while waiting or running:
                while waiting and failure is None and len(running) < self.jobs and not self.unavailable:
                    (future,) = self._submit(pool, [(_in_worker, (self.render_one, waiting[0]))])
                    if future is None:
                        break
                    running[future] = waiting.pop(0)
                if not running:
                    break
                try:
                    future = next(_as_completed(list(running), self.pool_failures))
                except PoolLost as lost:  # those still running are lost: the rest is done here
                    self._give_up(lost.reason)
                    break
                del running[future]
                try:
                    result = future.result()
                except CancelledError:
                    continue
                except BrokenProcessPool:
                    failure = failure or RenderError(BROKEN)
                except BaseException as error:  # noqa: BLE001 - raised below, once all have stopped
                    failure = failure or error
                else:
                    staged[result.index] = result
                    if progress is not None and failure is None:
                        progress(len(staged), len(jobs))
        except BaseException:
            for future in running:
                future.cancel()
            raise
        if failure is not None:
            raise failure


def _as_completed(futures: list["Future[R]"], failures: list[BaseException]) -> Iterator["Future[R]"]:
    """Each future as it completes. If the pool's own thread has died (it could not start a
    process to replace one that ended: the process limit), `failures` says why, and the futures
    left would never complete: `PoolLost` then, once those already done are passed on, never a
    run that hangs."""
    from concurrent.futures import FIRST_COMPLETED, wait

    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
        yield from (f for f in futures if f in done)
        if failures and pending:
            done, pending = wait(pending, timeout=0)
            yield from (f for f in futures if f in done)
            if pending:
                raise PoolLost(failures[0])


@contextlib.contextmanager
def _pool_thread_failures() -> Iterator[list[BaseException]]:
    """The exceptions that end the thread of `concurrent.futures.process` meanwhile (recorded
    through `threading.excepthook`, not printed); other threads' go to the hook as before."""
    failures: list[BaseException] = []
    previous = threading.excepthook

    def hook(args: "threading.ExceptHookArgs") -> None:
        if type(args.thread).__module__ == "concurrent.futures.process" and args.exc_value is not None:
            failures.append(args.exc_value)
        else:
            previous(args)

    threading.excepthook = hook
    try:
        yield failures
    finally:
        threading.excepthook = previous


#: How long a run stopping waits for the processes it killed to be gone, in seconds.
KILL_WAIT = 5.0


def _kill_processes(pool: ProcessPoolExecutor, left: list["Future[object]"]) -> None:
    """Kill the pool's processes, then let the pool see it is broken before it is shut down.

    Python 3.14 has `kill_workers` for this. Before it, the pool's processes are among this
    process's `multiprocessing.active_children()`. A process killed while it waited for work
    may leave the pool's queue locked, and a shutdown would then wait on it forever; once the
    pool's own thread has seen a process end unexpectedly, it marks the pool broken, completes
    every future left with that error and stops without waiting on the queue. So the futures
    left, and a probe submitted after the kill (which a broken pool refuses or fails), are waited
    for (a few seconds at most) before the shutdown that follows."""
    import multiprocessing
    from concurrent.futures import wait
    from concurrent.futures.process import BrokenProcessPool

    kill = getattr(pool, "kill_workers", None)
    if kill is not None:
        kill()
        return
    killed = False
    for process in multiprocessing.active_children():
        if process.pid is not None and _exists(process.pid):
            try:
                process.kill()
                killed = True
            except (OSError, ValueError, AttributeError):
                pass
    if not killed and not left:
        return
    try:
        left = [*left, pool.submit(int)]
    except (BrokenProcessPool, RuntimeError, OSError):  # broken already (or shut down): nothing to wait for
        pass
    wait(left, timeout=KILL_WAIT)


def _exists(pid: int) -> bool:
    """Whether the process is still there (a zombie not yet reaped counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True
        return True


def _watch_parent() -> None:
    """In each rendering process, first: end with the run. multiprocessing gives every process it
    starts a sentinel of the process that started it (`parent_process().sentinel`, the read end of
    a pipe only the run holds open): it becomes readable when the run ends, however it ends, even
    killed with SIGKILL. A thread waits on it and ends this process at once. (The process's own
    parent is the server process, which lives as long as any process it forked: no use waiting
    for that one, or for PR_SET_PDEATHSIG, which fires on it.)"""
    import multiprocessing
    import multiprocessing.connection

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the run stops its processes itself
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="watch-run", daemon=True).start()


def _map_share(function: Callable[[T], R], items: list[T]) -> list[R]:
    return [function(item) for item in items]


def _in_worker(render: Render, job: Job) -> Staged:
    """In a process of its own: the staged edition, or its error as one line."""
    try:
        return render(job)
    except TrackerError:
        raise
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise RenderError(f"{where}{error.strerror or error}") from None
    except Exception as error:
        raise RenderError(f"internal error while rendering {job.programme.id!r}: "
                          f"{type(error).__name__}: {error}") from None
