"""The data's revision: the git commit an edition's data comes from, when there is one.

An edition shows the programme as recorded on its as-of date. Its revision is the oldest commit
of the programme file, among the latest ones, whose data as of that date is the data rendered:
so committing a later entry (`tracker update --commit`) does not change the revision, nor the
bytes, of an earlier edition regenerated afterwards. "Modified" means the data rendered is in
no commit yet. This is an input of the report's bytes (it is printed on the cover). Without
git, outside a git repository, or when git fails for any reason, there is no revision to print.
"""
from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from tracker.report.edition import Revision

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Head:
    """The latest commit touching a file (None if never committed), and whether it changed since."""

    commit: Optional[str]
    modified: bool


#: How many commits back the search for an edition's revision goes at most.
MAX_COMMITS = 50


def _git_bytes(root: Path, *args: str) -> Optional[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              timeout=20, env=env, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        log.debug("git unavailable: %s", error)
        return None
    if done.returncode != 0:
        log.debug("git %s failed: %s", " ".join(args), done.stderr.decode("utf-8", "replace").strip())
        return None
    return done.stdout


def _git(root: Path, *args: str) -> Optional[str]:
    out = _git_bytes(root, *args)
    return None if out is None else out.decode("utf-8", "replace")


def of_data(root: Path, path: Path, file_bytes: bytes, data: Callable[[], bytes],
            data_of: Callable[[bytes], Optional[bytes]]) -> Optional[Revision]:
    """The revision of the data an edition renders (see the module's docstring).

    `file_bytes` is the programme file now, `data()` what the edition renders from it, and
    `data_of` computes the same from an older version of the file (None if it is not valid).
    """
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    logged = _git(root, "log", f"-n{MAX_COMMITS}", "--format=%H %cs", "--", relative)
    if logged is None:
        return None
    commits = [line.split(" ", 1) for line in logged.splitlines() if line.strip()]
    if not commits:
        return Revision(None, None, True)
    found: Optional[list[str]] = None
    matching: set[bytes] = {file_bytes}
    for commit, date in commits:
        blob = _git_bytes(root, "show", f"{commit}:{relative}")
        if blob is None or (blob not in matching and data_of(blob) != data()):
            break
        matching.add(blob)
        found = [commit, date]
    if found is None:
        return Revision(commits[0][0], commits[0][1], True)
    return Revision(found[0], found[1], False)


def head(root: Path, path: Path) -> Optional[Head]:
    """The file's latest commit and state, or None when `root` is not in a git work tree."""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    logged = _git(root, "log", "-1", "--format=%H", "--", relative)
    status = _git(root, "status", "--porcelain", "--", relative) if logged is not None else None
    if logged is None or status is None:
        return None
    return Head(logged.strip() or None, bool(status.strip()))
