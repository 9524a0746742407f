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
from click.testing import CliRunner

from tests.conftest import MINIMAL, REPO
from tests.distribute_support import Mailbox, Server, write_settings
from tracker.cli import cli

SCHEDULED = MINIMAL.replace("review_every_days: 90\n",
                            "review_every_days: 90\neditions: {every: quarter, start: 2024-01-01}\n")


def documented_line(number: int = 0) -> str:
    """The `number`th command line of docs/automation.md: the daily line, then its --due variant."""
    text = (REPO / "docs" / "automation.md").read_text(encoding="utf-8")
    line = re.findall(r"```sh\n(.*?)\n```", text, re.DOTALL)[number].strip()
    assert line == ("tracker report --due && tracker distribute && tracker publish",
                    "tracker report --due && tracker distribute --due && tracker publish")[number]
    return line


def day(root: Path, today: str, line: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_TODAY": today, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("TRACKER_ROOT", None)
    return subprocess.run(["/bin/sh", "-c", line], cwd=root, env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


@pytest.mark.skipif(not (Path(sys.executable).parent / "tracker").exists(), reason="tracker is not installed")
@pytest.mark.parametrize("number", [0, 1])
def test_the_documented_daily_line_a_day_apart(tmp_path: Path, number: int) -> None:
    line = documented_line(number)
    root = tmp_path / "ws"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "demo.yaml").write_text(SCHEDULED, encoding="utf-8")
    readers = {"demo": [{"address": "reader@example.org"}]}
    if number == 1:  # a programme without a schedule, with a reader: the --due line leaves it alone
        (root / "policies" / "plain.yaml").write_text(MINIMAL.replace("id: demo", "id: plain"), encoding="utf-8")
        readers["plain"] = [{"address": "reader@example.org"}]
    with Server(Mailbox()) as server:
        write_settings(root, {"host": "127.0.0.1", "port": server.port, "security": "none", "timeout": 10}, readers)
        first = day(root, "2024-06-29", line)
        assert first.returncode == 0, first.stderr
        if number == 1:
            assert "plain: no edition schedule (editions: {every: ..., start: ...} in its programme file); " \
                   "nothing sent for it by --due" in first.stderr
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
    assert [(entry["edition"], entry["result"], entry["time"][:11]) for entry in log] == [
        ("2024-03-31", "delivered", "2024-06-29T"), ("2024-06-30", "delivered", "2024-06-30T")]  # TRACKER_TODAY's days
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    for href in ("demo/demo-2024-06-30.html", "demo/demo-2024-06-30.csv.zip", "demo/demo-2024-06-30.xlsx",
                 "demo/demo-2024-03-31.pdf", "demo/demo-2024-03-31.xlsx"):
        assert f'href="{href}"' in index
    assert not (root / "reports" / "plain").exists()  # never rendered, never sent


def test_the_daily_line_runs_in_a_workspace_without_mail_settings(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command of the documented line, in-process: with no policies/distribution.yaml there
    is no one to send to, and the line goes on to publish."""
    monkeypatch.setenv("TRACKER_TODAY", "2024-04-01")
    root = tmp_path / "ws"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "demo.yaml").write_text(SCHEDULED, encoding="utf-8")
    outputs = []
    for command in documented_line(1).split(" && "):
        args = command.split()[1:]
        if args[0] == "report":
            args += ["--format", "html"]  # the PDF is not what this test is about
        result = CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result)
    assert outputs[1].stdout == ""
    assert outputs[1].stderr == "policies/distribution.yaml: no distribution settings, so no recipients: nothing to send\n"
    assert 'href="demo/demo-2024-03-31.html"' in (root / "reports" / "index.html").read_text(encoding="utf-8")
