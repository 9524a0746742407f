"""Many writers at once, and a writer killed mid-write: every entry lands, the file is never a mix."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from edit_helpers import TODAY, make_workspace

from tracker.edit import lock
from tracker.edit import operations as edit
from tracker.errors import WorkspaceError
from tracker.model.workspace import Workspace

ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}


def test_twenty_concurrent_updates_all_land(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tracker", "--root", str(tmp_path), "update", "harbour/quay",
             "--status", "in_progress", "--note", f"writer {i}", "--date", f"2024-05-{i + 1:02d}", "--by", f"w{i}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=ENV, text=True)
        for i in range(20)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert err == ""
    programme = Workspace.at(tmp_path).load_file(path)
    notes = [e.note for e in programme.priority("quay").history if e.note.startswith("writer ")]
    # All twenty, each once, in date order whatever order the processes ran in.
    assert notes == [f"writer {i}" for i in range(20)]
    assert [p.name for p in (tmp_path / "policies").iterdir()] == ["harbour.yaml"]  # no lock or temp file left


WRITER = textwrap.dedent("""
    import datetime as dt, sys
    from tracker.edit import operations as edit
    from tracker.model.workspace import Workspace
    ws = Workspace.at(sys.argv[1])
    options = edit.Options(today=dt.date(2100, 1, 1))
    n = int(sys.argv[2])
    print("ready", flush=True)
    while True:
        edit.add_entry(ws, "harbour", "quay", edit.Entry(dt.date(2025, 1, 1), "in_progress", f"write {n}"), options)
        n += 1
""")


def _written(tmp_path: Path) -> list[int]:
    programme = Workspace.at(tmp_path).load_file(tmp_path / "policies" / "harbour.yaml")
    return [int(e.note.split()[1]) for e in programme.priority("quay").history if e.note.startswith("write ")]


def test_a_writer_killed_at_any_moment_leaves_a_valid_file(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    rng = random.Random(4)
    count = 0
    for _ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(count)],
                                  stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=ENV)
        assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.05, 0.6))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        # Old file or new file, never a mix: it validates, and holds writes 0..n-1 with no gap.
        written = _written(tmp_path)
        assert written == list(range(len(written)))
        assert len(written) >= count
        count = len(written)
    assert count > 12  # the writers did get through many edits between kills
    # The lock of a killed writer is not stale: the next edit goes through at once.
    ws = Workspace.at(tmp_path)
    edit.add_entry(ws, "harbour", "quay", edit.Entry(TODAY, "stalled", "after the kills"),
                   edit.Options(today=TODAY, lock_timeout=5))
    assert Workspace.at(tmp_path).load_file(tmp_path / "policies" / "harbour.yaml").priority("quay") \
        .latest_entry(TODAY).note == "after the kills"
    # Temporary files a killed writer may leave are hidden, and never taken for programmes.
    assert [p.name for p in ws.programme_files()] == ["harbour.yaml"]


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tracker.edit import lock
    with lock.locked(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(30)
""")


def test_an_edit_waits_for_the_lock_and_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    before = path.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, env=ENV)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        started = time.monotonic()
        with pytest.raises(WorkspaceError) as caught:
            edit.add_entry(Workspace.at(tmp_path), "harbour", "quay", edit.Entry(TODAY, "stalled", "x"),
                           edit.Options(today=TODAY, lock_timeout=0.5))
        assert 0.5 <= time.monotonic() - started < 5
        assert str(caught.value) == ("policies/harbour.yaml: another tracker process has been editing this file "
                                     "for over 0.5 seconds; try again later")
        assert path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    with lock.locked(path, timeout=5):  # released by the kernel when the holder died
        pass
