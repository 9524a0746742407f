"""Writing files so that a crash leaves the old file or the new one, never a mix; and opening the
files tracker keeps beside its outputs (logs, manifests) only when they are regular files."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Optional

from tracker.errors import NotRegular

# Never follow a symbolic link, never wait on a FIFO or device: open without blocking, then check.
_SAFE_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o644) -> int:
    """A file descriptor on `path` if it is a regular file (not a symbolic link, FIFO, directory,
    socket or device: `NotRegular`, never a hang on a FIFO); other errors as `OSError`s."""
    try:
        fd = os.open(path, flags | _SAFE_FLAGS, mode)
    except IsADirectoryError:
        raise NotRegular(0, "a directory, not a regular file; refused", str(path)) from None
    except OSError as error:
        if os.path.islink(path):
            raise NotRegular(error.errno, "a symbolic link, not a regular file; refused", str(path)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(0, f"{_kind(info.st_mode)}, not a regular file; refused", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path) -> Optional[bytes]:
    """The bytes of `path` if it is a regular file; None when it does not exist; `NotRegular`
    when it is something else."""
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "not a file"


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: temporary file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # `.<name>.<pid>.<random>.tmp`: a later run can tell a file whose writer is gone (killed) from
    # one being written, and remove it (report/run/stage.py).
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def fsync_dir(folder: Path) -> None:
    """Make a file's creation or renaming in `folder` durable (best effort where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
