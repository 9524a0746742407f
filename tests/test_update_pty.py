"""Prompting in a real terminal (a pseudo-terminal), as a person at the keyboard sees it."""
from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from edit_helpers import make_workspace

from tracker.model.workspace import Workspace

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "COLUMNS": "200"}


class Terminal:
    def __init__(self, *args: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "tracker", *args], stdin=slave, stdout=slave,
                                        stderr=slave, env=ENV, close_fds=True)
        os.close(slave)
        self.screen = ""

    def expect(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never appeared; screen: {self.screen!r}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the program ended
                    chunk = b""
                if not chunk:
                    assert text in self.screen, f"{text!r} never appeared; screen: {self.screen!r}"
                self.screen += chunk.decode("utf-8", "replace")

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self) -> int:
        code = self.process.wait(timeout=30)
        try:
            while select.select([self.master], [], [], 0.1)[0]:
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.screen += chunk.decode("utf-8", "replace")
        except OSError:
            pass
        os.close(self.master)
        return code


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a POSIX pseudo-terminal")
def test_update_asks_for_status_and_note_in_a_terminal(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    term = Terminal("--root", str(tmp_path), "update", "harbour/quay", "--date", "2025-01-01")
    term.expect("Status (not_started, in_progress, at_risk, stalled, unverifiable, achieved, partly_achieved, abandoned): ")
    term.type("at risk")
    term.expect("'at risk' is not one of")
    term.type("at_risk")
    term.expect("Note (what the evidence shows): ")
    term.type("Piles cracked")
    assert term.finish() == 0, term.screen
    assert "policies/harbour.yaml: harbour/quay: At risk (at_risk) on 2025-01-01" in term.screen
    entry = Workspace.at(tmp_path).load_file(path).priority("quay").latest_entry(dt.date(2025, 1, 1))
    assert (entry.status, entry.note) == ("at_risk", "Piles cracked")


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a POSIX pseudo-terminal")
def test_yes_in_a_terminal_asks_nothing(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    before = path.read_bytes()
    term = Terminal("--root", str(tmp_path), "update", "harbour/quay", "--yes")
    assert term.finish() == 2
    assert "Missing option '--status'" in term.screen
    assert path.read_bytes() == before
