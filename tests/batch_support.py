"""Small workspaces for the batch, incremental and benchmark-generator tests."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.errors import RenderError
from tracker.model.workspace import Workspace
from tracker.report.run.stage import Job, Staged, staged_name_prefix

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


class Ran:
    """What a `tracker` process did: its exit code, stdout and stderr (as CliRunner's Result has them)."""

    def __init__(self, done: "subprocess.CompletedProcess[str]") -> None:
        self.exit_code, self.stdout, self.stderr = done.returncode, done.stdout, done.stderr
        self.output = done.stdout + done.stderr


def run_process(root: Path, *args: str) -> Ran:
    """`tracker report` in a process of its own, so that its rendering processes start afresh
    (with the environment of the test, e.g. a sitecustomize that counts or breaks renders)."""
    done = subprocess.run([sys.executable, "-m", "tracker", "--root", str(root), "report", "--as-of",
                           AS_OF.isoformat(), *args], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    return Ran(done)


# --- a stand-in for rendering, for the tests of the orchestration -----------------------------

def stub_stage(job: Job) -> Staged:
    """Stages a few bytes naming the programme and format. Programmes whose ids hold `fail`,
    `bug` or `crash` fail as a bad edition, a bug or a killed process would; `slow` takes 0.5 s."""
    if "fail" in job.programme.id:
        raise RenderError(f"cannot render {job.programme.id}")
    if "bug" in job.programme.id:
        raise KeyError("no such key")
    if "crash" in job.programme.id:
        os._exit(3)
    files = {}
    for fmt in job.formats:
        data = f"{job.programme.id} {fmt}".encode()
        fd, tmp = tempfile.mkstemp(prefix=staged_name_prefix(job.paths[fmt], job.run), suffix=".tmp",
                                   dir=job.paths[fmt].parent)
        os.write(fd, data)
        os.close(fd)
        files[fmt] = (Path(tmp), hashlib.sha256(data).hexdigest())
    if "slow" in job.programme.id:
        time.sleep(0.5)
    return Staged(job.index, files, os.getpid())


def stub_jobs(tmp_path: Path, ids: tuple[str, ...], formats: tuple[str, ...] = ("html", "pdf")) -> list[Job]:
    """Jobs for the programmes `ids` (loaded for real), staging into tmp_path/out."""
    from tracker.report import RenderOptions
    from tracker.report.run import inputs

    ws = Workspace.at(make_workspace(tmp_path / "ws", ids))
    out = tmp_path / "out"
    out.mkdir()
    jobs = []
    for i, programme in enumerate(ws.load_all()):
        found = inputs.of_programme(ws, programme, AS_OF, RenderOptions())
        jobs.append(Job(i, ws, programme, AS_OF, formats, RenderOptions(), found,
                        {fmt: out / f"{programme.id}.{fmt}" for fmt in formats}, os.getpid()))
    return jobs
