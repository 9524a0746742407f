"""Rendering many programmes: parallel output identical to serial, all or nothing, progress on a terminal."""
from __future__ import annotations

import hashlib
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.batch_support import AS_OF, make_workspace, run, run_process, stub_jobs, stub_stage, tree
from tracker.errors import RenderError
from tracker.report.run import stage as report
from tracker.report.run import workers
from tracker.report.run.stage import staged_name_prefix

FAULTS = '''
import os

if os.environ.get("TRACKER_TEST_FAULT"):
    import tracker.report.run.stage as report
    from tracker.errors import RenderError

    original = report.render_edition

    def render_edition(ws, programme, *args, **kwargs):
        if programme.id == os.environ["TRACKER_TEST_FAULT_ID"]:
            fault = os.environ["TRACKER_TEST_FAULT"]
            if fault == "error":
                raise RenderError("cannot render PDF: refused to fetch 'http://example.org/logo.png'")
            if fault == "bug":
                raise KeyError("no such key")
            if fault == "crash":
                os._exit(3)
        return original(ws, programme, *args, **kwargs)

    report.render_edition = render_edition
'''


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("serial"))
    result = run(root, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root


def test_parallel_output_is_that_of_a_serial_run(serial: Path, tmp_path: Path) -> None:
    """The same files and manifests (the editions' own bytes: test_asof.py's byte-identity test)."""
    root = make_workspace(tmp_path / "ws")
    result = run(root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout == run(serial, "--force", "--format", "all", "--out", str(tmp_path / "again")).stdout.replace(
        str(tmp_path / "again"), str(root / "reports"))
    serial_files, parallel_files = tree(serial / "reports"), tree(root / "reports")
    assert len(serial_files) == 9  # html, pdf and manifest of three programmes
    assert set(parallel_files) == set(serial_files)
    for name, data in serial_files.items():
        if name.endswith(".inputs.json"):
            assert parallel_files[name] == data, name


def test_paths_are_printed_in_programme_order_whatever_finishes_first(serial: Path) -> None:
    paths = [Path(line) for line in run(serial, "--force", "--jobs", "2", "--format", "html",
                                        "gamma", "alpha").stdout.splitlines()]
    assert [p.name for p in paths] == [f"gamma-{AS_OF}.html", f"alpha-{AS_OF}.html"]


def test_jobs_zero_means_one_process_per_core() -> None:
    assert workers.Workers(0).jobs == workers.cpu_count() >= 1
    assert workers.Workers(3).jobs == 3


@pytest.mark.parametrize("value", ["-1", "two", ""])
def test_a_bad_jobs_value_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = run(make_workspace(tmp_path), "--jobs", value)
    assert result.exit_code == 2
    assert "--jobs" in result.stderr and "Traceback" not in result.output


def faulty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str, programme_id: str) -> None:
    """Worker processes start with a sitecustomize that breaks one programme's rendering."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAULTS)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("TRACKER_TEST_FAULT", fault)
    monkeypatch.setenv("TRACKER_TEST_FAULT_ID", programme_id)


@pytest.mark.parametrize("fault, message", [
    ("error", "error: cannot render PDF: refused to fetch 'http://example.org/logo.png'"),
    ("bug", "error: internal error while rendering 'beta': KeyError: 'no such key'"),
    ("crash", "error: a rendering process stopped unexpectedly (out of memory?); nothing was written"),
])
def test_a_failure_in_a_worker_is_one_line_and_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   fault: str, message: str) -> None:
    root = make_workspace(tmp_path / "ws")
    faulty_env(tmp_path, monkeypatch, fault, "beta")
    result = run_process(root, "--jobs", "2", "--format", "html")
    assert result.exit_code == 1
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert not (root / "reports").exists()  # not a file, not a temporary file, not a folder


def test_a_failure_leaves_earlier_editions_untouched(serial: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run(serial, "--out", str(out), "--format", "html").exit_code == 0
    before = tree(out)
    faulty_env(tmp_path, monkeypatch, "error", "gamma")
    result = run_process(serial, "--out", str(out), "--format", "html", "--force", "--jobs", "2")
    assert result.exit_code == 1
    assert tree(out) == before  # no temporary file left, nothing replaced


def test_a_failure_in_this_process_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path / "ws")
    original = report.render_edition

    def failing(ws, programme, *args, **kwargs):  # type: ignore[no-untyped-def]
        if programme.id == "gamma":
            raise RenderError("cannot render PDF: missing resource 'file:///nowhere.png'")
        return original(ws, programme, *args, **kwargs)

    monkeypatch.setattr(report, "render_edition", failing)
    result = run(root, "--jobs", "1", "--format", "html")
    assert result.exit_code == 1
    assert result.stderr == "error: cannot render PDF: missing resource 'file:///nowhere.png'\n"
    assert not (root / "reports").exists()


def test_invalid_files_are_reported_the_same_when_loaded_in_workers(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    (root / "policies" / "broken.yaml").write_text("id: broken\ntitle: Broken\npriorities: 3\nsummary: [\n")
    (root / "policies" / "twin.yaml").write_text((root / "policies" / "alpha.yaml").read_text())
    serial_result, parallel_result = run(root, "--jobs", "1"), run(root, "--jobs", "2")
    assert serial_result.exit_code == parallel_result.exit_code == 1
    assert parallel_result.stderr == serial_result.stderr
    assert parallel_result.stderr.splitlines() == [
        "policies/broken.yaml:5:1: (file): YAML syntax error: expected the node content, but found '<stream end>'",
        "policies/twin.yaml:1:5: id: programme id 'alpha' is already used by policies/alpha.yaml",
    ]
    assert not (root / "reports").exists()


def test_build_renders_programmes_already_loaded(tmp_path: Path) -> None:
    from tracker.model.workspace import Workspace
    from tracker.report import RenderOptions, build

    ws = Workspace.at(make_workspace(tmp_path / "ws", ("alpha",)))
    written = build(ws, AS_OF, ("html",), ws.reports, RenderOptions(), programmes=ws.load_all()).written
    assert written == [ws.reports / "alpha" / f"alpha-{AS_OF}.html"]
    assert build(ws, AS_OF, ("html",), ws.reports, programmes=ws.load_all()).written == []
    assert build(ws, AS_OF, ("html",), ws.reports, programmes=ws.load_all(), force=True).written == written


def run_on_terminal(root: Path, *args: str) -> tuple[str, str, int]:
    """Run tracker with stderr on a pseudo-terminal; return stdout, what the terminal showed, exit code."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--root", str(root), "report", "--as-of", AS_OF.isoformat(), *args],
        stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL,
    )
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    stdout = process.stdout.read().decode() if process.stdout else ""
    code = process.wait(timeout=60)
    os.close(master)
    return stdout, shown.decode(errors="replace"), code


def test_a_progress_bar_on_a_terminal_and_up_to_date_editions_said_there(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    stdout, shown, code = run_on_terminal(root, "--format", "html")
    assert code == 0
    assert len(stdout.splitlines()) == 3  # paths still go to stdout, and only paths
    assert "Rendering" in shown and "0/3" in shown and "3/3" in shown
    again, shown, code = run_on_terminal(root, "--format", "html")
    assert code == 0 and again == stdout
    assert shown.splitlines() == ["3 files up to date, not rendered again (--force renders them)"]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = run(make_workspace(tmp_path / "ws"), "--format", "html", "--jobs", "2")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_output_folders_outside_the_workspace_get_the_same_manifests(serial: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(serial, "--format", "html", "--out", str(one), "--jobs", "1").exit_code == 0
    assert run(serial, "--format", "html", "--out", str(two), "--jobs", "2").exit_code == 0
    assert set(tree(one)) == set(tree(two)) and len(tree(one)) == 6
    assert {k: v for k, v in tree(one).items() if k.endswith(".json")} == \
        {k: v for k, v in tree(two).items() if k.endswith(".json")}


def test_without_processes_the_work_is_done_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    import multiprocessing

    def unavailable(method=None):  # type: ignore[no-untyped-def]
        raise ValueError(f"cannot find context for {method!r}")  # a platform without it

    monkeypatch.setattr(multiprocessing, "get_context", unavailable)
    root = make_workspace(tmp_path / "ws")
    result = run(root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 6
    assert "cannot start rendering processes (cannot find context for 'forkserver'); rendering in this process" \
        in caplog.messages


def test_each_edition_is_rendered_in_a_process_of_its_own(tmp_path: Path) -> None:
    """No process renders two editions, so the native memory WeasyPrint keeps per edition
    never piles up, however long the portfolio; at most `jobs` run at once."""
    jobs = stub_jobs(tmp_path, ("a", "b", "c", "d", "e"))
    staged: dict[int, workers.Staged] = {}
    done: list[int] = []
    with workers.Workers(2, render=stub_stage) as pool:
        pool.render(jobs, staged, lambda n, total: done.append(n) or None)
    pids = [staged[i].pid for i in range(5)]
    assert len(set(pids)) == 5 and os.getpid() not in pids
    assert done == [1, 2, 3, 4, 5]
    staged_files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(staged_files) == 10 and all(name.endswith(".tmp") for name in staged_files)  # not yet in place
    one: dict[int, workers.Staged] = {}
    with workers.Workers(1, render=stub_stage) as pool:  # one at a time: still a process each
        pool.render(jobs[:2], one, None)
    assert len({one[0].pid, one[1].pid, os.getpid()}) == 3


def test_one_real_render_per_process(tmp_path: Path) -> None:
    """The same isolation with WeasyPrint itself: two PDF editions, two processes, real files."""
    jobs = stub_jobs(tmp_path, ("a", "b"), ("pdf",))
    staged: dict[int, workers.Staged] = {}
    with workers.Workers(2) as pool:
        pool.render(jobs, staged, None)
    assert len({staged[0].pid, staged[1].pid, os.getpid()}) == 3
    for result in staged.values():
        tmp, sha = result.files["pdf"]
        assert tmp.read_bytes().startswith(b"%PDF-") and hashlib.sha256(tmp.read_bytes()).hexdigest() == sha


def test_one_edition_or_html_alone_is_rendered_here(tmp_path: Path) -> None:
    jobs = stub_jobs(tmp_path, ("a", "b", "c"), ("html",))
    staged: dict[int, workers.Staged] = {}
    with workers.Workers(1, render=stub_stage) as pool:
        pool.render(jobs, staged, None)
        assert pool.pool is None  # no process was started
    assert {staged[i].pid for i in range(3)} == {os.getpid()}
    pdf = stub_jobs(tmp_path / "pdf", ("a",), ("pdf",))
    alone: dict[int, workers.Staged] = {}
    with workers.Workers(1, render=stub_stage) as pool:
        pool.render(pdf, alone, None)
    assert alone[0].pid == os.getpid()


@pytest.mark.parametrize("failing, message", [
    ("a-fail", "cannot render a-fail"),
    ("a-bug", "internal error while rendering 'a-bug': KeyError: 'no such key'"),
    ("a-crash", workers.BROKEN),
])
def test_a_failure_stops_the_run_and_every_staged_file_is_known(tmp_path: Path, failing: str, message: str) -> None:
    jobs = stub_jobs(tmp_path, (failing, "b-slow", "c", "d", "e", "f"), ("html",))
    staged: dict[int, workers.Staged] = {}
    with workers.Workers(2, render=stub_stage) as pool:
        with pytest.raises(RenderError) as raised:
            pool.render(jobs, staged, None)
    assert str(raised.value) == message
    assert len(staged) <= 1  # the one running beside it at most: no more were started
    prefixes = {staged_name_prefix(path, os.getpid()) for job in jobs for path in job.paths.values()}
    assert all(any(p.name.startswith(prefix) for prefix in prefixes) for p in (tmp_path / "out").iterdir())


def test_when_the_pool_cannot_start_a_process_midway_the_rest_is_rendered_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import multiprocessing.context

    jobs = stub_jobs(tmp_path, ("a", "b", "c", "d"), ("html",))
    started: list[int] = []
    original = multiprocessing.context.ForkServerProcess.start

    def start(self):  # type: ignore[no-untyped-def]
        if len(started) == 2:
            raise OSError(11, "Resource temporarily unavailable")  # what fork gives at the process limit
        started.append(1)
        return original(self)

    monkeypatch.setattr(multiprocessing.context.ForkServerProcess, "start", start)
    staged: dict[int, workers.Staged] = {}
    with workers.Workers(2, render=stub_stage) as pool:
        pool.render(jobs, staged, None)  # returns: the pool's thread died, nothing hangs
    assert sorted(staged) == [0, 1, 2, 3]
    assert os.getpid() in {result.pid for result in staged.values()}  # the rest, here
    assert any("cannot start rendering processes ([Errno 11] Resource temporarily unavailable)" in message
               for message in caplog.messages)


def test_many_editions_over_one_two_and_four_processes_do_not_hang(tmp_path: Path) -> None:
    jobs = stub_jobs(tmp_path, tuple(f"p{i}" for i in range(24)), ("html",))
    for count in (1, 2, 4):
        staged: dict[int, workers.Staged] = {}
        with workers.Workers(count, render=stub_stage) as pool:
            pool.render(jobs, staged, None)
        assert sorted(staged) == list(range(24))
        for result in staged.values():
            for tmp, _ in result.files.values():
                tmp.unlink()


def test_loading_in_shares_keeps_the_order_and_the_errors(tmp_path: Path) -> None:
    with workers.Workers(3) as pool:
        assert pool.map(str.upper, list("abcdefg")) == list("ABCDEFG")
        with pytest.raises(ValueError, match="invalid literal"):
            pool.map(int, ["1", "2", "x", "4"])
