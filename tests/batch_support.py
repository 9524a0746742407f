"""Small workspaces for the batch, incremental and benchmark-generator tests."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from click.testing import CliRunner, Result

from tracker.cli import cli

AS_OF = dt.date(2024, 6, 30)

PROGRAMME = """\
id: {pid}
title: Programme {pid}
summary: A small programme for tests.
sources:
  - id: gazette
    title: Official gazette
    kind: official
priorities:
  - id: roads
    title: Build the {pid} roads
    history:
      - date: 2024-01-10
        status: in_progress
        note: Tender published.
        sources: [gazette]
      - date: 2024-05-02
        status: at_risk
        note: Contractor {pid} reports delays.
    milestones:
      - id: tender
        title: Tender awarded
        due: 2024-03-31
        done: 2024-03-15
    indicators:
      - id: km
        title: Kilometres built
        unit: km
        baseline:
          date: 2023-12-31
          value: 0
        observations:
          - date: 2024-04-30
            value: {km}
"""


def programme_text(pid: str, km: int = 12) -> str:
    return PROGRAMME.format(pid=pid, km=km)


def make_workspace(root: Path, ids: tuple[str, ...] = ("alpha", "beta", "gamma")) -> Path:
    (root / "policies").mkdir(parents=True, exist_ok=True)
    for n, pid in enumerate(ids):
        (root / "policies" / f"{pid}.yaml").write_text(programme_text(pid, 10 + n), encoding="utf-8")
    return root


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), "report", "--as-of", AS_OF.isoformat(), *args])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) by relative name, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Inode, modification time and hash of every file: what a rewrite would change."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return out
