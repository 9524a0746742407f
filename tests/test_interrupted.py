"""A `--jobs` run stopped by a signal: its processes stop with it, nothing stays half-written, and
SIGTERM ends it with one line. A run killed outright leaves temporary files that the next removes."""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.conftest import MINIMAL

AS_OF = "2025-06-30"
GENERATOR = Path(__file__).resolve().parent.parent / "bench" / "generate.py"


def children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rpartition(")")[2].split()[1])
            out.setdefault(ppid, []).append(int(entry.name))
    return out


def descendants(pid: int) -> set[int]:
    tree, found, todo = children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "reports").rglob("*.tmp"))


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def start(root: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    """`tracker report --jobs 2` with PDFs that take half a minute each, once two rendering
    processes are at work (children of the server process, itself a child of the run)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--root", str(root), "report", "--as-of", AS_OF, "--jobs", "2", "--force"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def rendering() -> bool:
        tree = children()
        servers = [c for c in tree.get(process.pid, []) if b"forkserver" in command_line(c)]
        return bool(servers) and len(tree.get(servers[0], [])) >= 2

    assert wait_for(rendering, 60), "the rendering processes never started"
    time.sleep(0.5)  # well into rendering
    started = descendants(process.pid)
    STARTED.update(started | {process.pid})
    return process, started


STARTED: set[int] = set()


@pytest.fixture(autouse=True)
def no_strays() -> Iterator[None]:
    """Whatever a failing test leaves running is killed, so it cannot slow the rest of the suite."""
    yield
    for pid in STARTED:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    STARTED.clear()


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four programmes of six generated priorities: each PDF takes far longer than the tests wait."""
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    root = tmp_path_factory.mktemp("portfolio")
    generate.write_portfolio(root, 4, 6)
    (root / "policies" / "tiny.yaml").write_text(MINIMAL.replace("id: demo", "id: tiny"), encoding="utf-8")
    return root


def test_sigterm_stops_the_processes_and_prints_one_line(portfolio: Path) -> None:
    process, started = start(portfolio)
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=15)
    assert process.returncode == 128 + signal.SIGTERM
    assert stderr.decode().splitlines() == ["error: stopped by SIGTERM; nothing was left half-written"]
    assert stdout == b""
    assert wait_for(lambda: not any(alive(pid) for pid in started), 1), [p for p in started if alive(p)]
    assert leftovers(portfolio) == []
    assert not list((portfolio / "reports").rglob("*.pdf"))


def test_sigkill_takes_the_processes_with_it_and_the_next_run_cleans_up(portfolio: Path) -> None:
    process, started = start(portfolio)
    process.kill()
    process.wait(timeout=15)
    assert wait_for(lambda: not any(alive(pid) for pid in started), 1), [p for p in started if alive(p)]
    # What the killed run staged (or was writing) stays until the next run, which removes it.
    pid = sorted(p.name for p in (portfolio / "policies").glob("*.yaml"))[0].removesuffix(".yaml")
    staged = portfolio / "reports" / pid / f".{pid}-{AS_OF}.pdf.{process.pid}.x1y2z3ab.tmp"
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(b"half a PDF")
    ours = portfolio / "reports" / pid / f".{pid}-{AS_OF}.pdf.{os.getpid()}.x1y2z3ab.tmp"
    ours.write_bytes(b"a run still going")
    result = subprocess.run([sys.executable, "-m", "tracker", "--root", str(portfolio), "report", "tiny",
                             "--as-of", AS_OF, "--format", "html"], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert leftovers(portfolio) == [ours.name]  # a live process's file is left alone
    ours.unlink()
