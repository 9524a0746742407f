"""The data's revision: the git commit that last changed a programme file, when there is one.

This is an input of the report's bytes (it is printed on the cover). Without git, outside a git
repository, or when git fails for any reason, there is simply no revision to print.
"""
from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Revision:
    commit: Optional[str]  # full hash of the last commit touching the file; None when never committed
    date: Optional[str]  # that commit's date, YYYY-MM-DD
    modified: bool  # the file has changes not yet committed (or is not tracked)

    @property
    def short(self) -> str:
        return self.commit[:12] if self.commit else ""


def _git(root: Path, *args: str) -> Optional[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["LC_ALL"] = "C"
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=20, env=env, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        log.debug("git unavailable: %s", error)
        return None
    if done.returncode != 0:
        log.debug("git %s failed: %s", " ".join(args), done.stderr.strip())
        return None
    return done.stdout


def of_file(root: Path, path: Path) -> Optional[Revision]:
    """The revision of `path` (inside `root`), or None when `root` is not in a git work tree."""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    logged = _git(root, "log", "-1", "--format=%H %cs", "--", relative)  # fails outside a git work tree
    if logged is None:
        return None
    status = _git(root, "status", "--porcelain", "--", relative)
    if status is None:
        return None
    commit, _, date = logged.strip().partition(" ")
    return Revision(commit or None, date or None, bool(status.strip()))
