"""A lock per file, so that concurrent writers queue up instead of overwriting each other: the
one lock of tracker, for programme files (edits) and delivery logs (`distribute`).

The lock is an advisory `flock` on a hidden sidecar file beside the programme
(`policies/.<name>.lock`, removed again on release), never on the programme itself: an edit
replaces the programme file with `os.replace`, and a lock held on the old file would not
protect the new one. The kernel releases the lock when its holder exits, even when it is
killed, so a lock never goes stale (a killed holder may leave the empty sidecar file behind;
the next edit reuses and removes it).
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

from tracker.errors import TrackerError, WorkspaceError

#: How long an edit waits for another one on the same file before giving up.
DEFAULT_TIMEOUT = 60.0
_POLL = 0.02

if sys.platform == "win32":  # pragma: no cover
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(path: Path) -> Path:
    """The sidecar lock file of a programme file: `.<name>.lock` in the same folder."""
    return path.with_name(f".{path.name}.lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float = DEFAULT_TIMEOUT, shown: str = "",
           busy: Optional[Callable[[], TrackerError]] = None) -> Iterator[None]:
    """Hold the lock of `path` for the duration of the block; wait up to `timeout` seconds, then
    raise `busy()` (by default a `WorkspaceError` saying another process is editing the file).

    The sidecar file is removed on release, so no lock file is left behind in policies/. A
    waiter may then hold a lock on a file that was just removed: it checks, after locking, that
    the file it locked is still the one at the sidecar path, and starts again if not.
    """
    sidecar = lock_path(path)
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(sidecar, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    if busy is not None:
                        raise busy()
                    raise WorkspaceError(f"{shown or path}: another tracker process has been editing this "
                                         f"file for over {timeout:g} seconds; try again later")
                time.sleep(_POLL)
            if _same_file(fd, sidecar):
                break
            _unlock(fd)
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(sidecar)
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)
