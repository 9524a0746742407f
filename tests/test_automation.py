"""docs/automation.md's daily line, run as cron would run it, on two consecutive days.

The command is read from the documentation (its first `sh` block), run by /bin/sh in the
workspace with tracker on PATH, `TRACKER_TODAY` fixing the day, and a real SMTP server on
127.0.0.1 receiving the editions.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO
from tests.distribute_support import Mailbox, Server, write_settings

SCHEDULED = MINIMAL.replace("review_every_days: 90\n",
                            "review_every_days: 90\neditions: {every: quarter, start: 2024-01-01}\n")


def documented_line() -> str:
    text = (REPO / "docs" / "automation.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)\n```", text, re.DOTALL)
    assert block is not None
    line = block[1].strip()
    assert line == "tracker report --due && tracker distribute && tracker publish"
    return line


def day(root: Path, today: str, line: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_TODAY": today, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("TRACKER_ROOT", None)
    return subprocess.run(["/bin/sh", "-c", line], cwd=root, env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


@pytest.mark.skipif(not (Path(sys.executable).parent / "tracker").exists(), reason="tracker is not installed")
def test_the_documented_daily_line_a_day_apart(tmp_path: Path) -> None:
    line = documented_line()
    root = tmp_path / "ws"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "demo.yaml").write_text(SCHEDULED, encoding="utf-8")
    with Server(Mailbox()) as server:
        write_settings(root, {"host": "127.0.0.1", "port": server.port, "security": "none", "timeout": 10},
                       {"demo": [{"address": "reader@example.org"}]})
        first = day(root, "2024-06-29", line)
        assert first.returncode == 0, first.stderr
        folder = root / "reports" / "demo"
        assert sorted(p.name for p in folder.glob("demo-*")) == [
            "demo-2024-03-31.csv.zip", "demo-2024-03-31.html", "demo-2024-03-31.pdf", "demo-2024-03-31.xlsx"]
        assert [r.message["Subject"] for r in server.mailbox.received] == [
            "Demo programme: progress up to 2024-03-31"]

        second = day(root, "2024-06-30", line)
        assert second.returncode == 0, second.stderr
        assert second.stdout.splitlines()[:2] == [str(folder / "demo-2024-06-30.html"),
                                                  str(folder / "demo-2024-06-30.pdf")]
        assert len(server.mailbox.received) == 2
        june = server.mailbox.received[1].message
        assert june["Subject"] == "Demo programme: progress up to 2024-06-30"
        assert [part.get_filename() for part in june.iter_attachments()] == ["demo-2024-06-30.pdf"]

        rerun = day(root, "2024-06-30", line)  # the same day again: nothing rendered, nothing sent twice
        assert rerun.returncode == 0, rerun.stderr
        assert len(server.mailbox.received) == 2
        assert "already delivered" in rerun.stdout
    log = [json.loads(x) for x in (folder / "deliveries.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(entry["edition"], entry["result"]) for entry in log] == [("2024-03-31", "delivered"),
                                                                     ("2024-06-30", "delivered")]
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    for href in ("demo/demo-2024-06-30.html", "demo/demo-2024-06-30.csv.zip", "demo/demo-2024-06-30.xlsx",
                 "demo/demo-2024-03-31.pdf", "demo/demo-2024-03-31.xlsx"):
        assert f'href="{href}"' in index
