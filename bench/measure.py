"""What every benchmark script shares: how tracker is started, and a command timed as a whole process."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

PY = sys.executable
SCRIPT = Path(PY).with_name("tracker")
TRACKER = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "tracker"]


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    rss_mib: float


def measure(cmd: list[str], env: Optional[dict[str, str]] = None) -> Sample:
    """Run `cmd` to completion; its wall time, CPU time and peak RSS (exit on failure)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            sys.exit(f"bench: command failed ({process.returncode}): {' '.join(cmd)}\n{err.read().decode(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(getattr(s, f) for s in samples) for f in ("wall", "cpu", "rss_mib")))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"
