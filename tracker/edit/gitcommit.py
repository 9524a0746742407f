"""Recording an edit in git: commit one programme file, and nothing else the user has staged."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tracker.errors import WorkspaceError

_INDEX_LOCK_TRIES = 50


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise WorkspaceError("git is not installed; --commit needs it") from None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message from git"


def repository(path: Path, shown: str) -> Path:
    """The top folder of the git repository holding `path`; `WorkspaceError` when there is none."""
    out = _git(path.parent, "rev-parse", "--show-toplevel")
    if out.returncode != 0:
        raise WorkspaceError(f"{shown}: not inside a git repository; --commit needs the policies/ "
                             "folder in one (git init); nothing was written")
    return Path(out.stdout.strip())


def author(repo: Path) -> str:
    """The name git would record as the author, or "" when none is configured."""
    out = _git(repo, "var", "GIT_AUTHOR_IDENT")
    if out.returncode != 0:
        return ""
    return out.stdout.split("<", 1)[0].strip()


def commit(repo: Path, path: Path, message: str, shown: str) -> str:
    """Commit `path` alone (other staged changes stay staged); return the new commit's short id."""
    return commit_all(repo, [path], message, shown)


def commit_all(repo: Path, paths: list[Path], message: str, shown: str) -> str:
    """Commit `paths` together in one commit, and nothing else (other staged changes stay staged);
    return the new commit's short id. `shown` names the files in messages."""
    relative = [path.resolve().relative_to(repo.resolve()).as_posix() for path in paths]
    for step in (("add", "--", *relative),
                 ("commit", "--quiet", "--only", "-m", message, "--", *relative)):
        for attempt in range(_INDEX_LOCK_TRIES):
            out = _git(repo, *step)
            if out.returncode == 0 or "index.lock" not in out.stderr:
                break
            time.sleep(0.1)  # another git process (perhaps another tracker) holds the index
        if out.returncode != 0:
            raise WorkspaceError(f"{shown}: the change is written but git {step[0]} failed: "
                                 f"{_first_line(out.stderr or out.stdout)}")
    head = _git(repo, "rev-parse", "--short", "HEAD")
    return head.stdout.strip()
