"""Rendering many programmes: parallel output identical to serial, all or nothing, progress on a terminal."""
from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.batch_support import AS_OF, make_workspace, run, tree
from tracker import report
from tracker.errors import RenderError
from tracker.report import workers

FAULTS = '''
import os

if os.environ.get("TRACKER_TEST_FAULT"):
    import tracker.report as report
    from tracker.errors import RenderError

    original = report.render_programme

    def render_programme(ws, programme, *args, **kwargs):
        if programme.id == os.environ["TRACKER_TEST_FAULT_ID"]:
            fault = os.environ["TRACKER_TEST_FAULT"]
            if fault == "error":
                raise RenderError("cannot render PDF: refused to fetch 'http://example.org/logo.png'")
            if fault == "bug":
                raise KeyError("no such key")
            if fault == "crash":
                os._exit(3)
        return original(ws, programme, *args, **kwargs)

    report.render_programme = render_programme
'''


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("serial"))
    result = run(root, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root


def test_parallel_output_is_byte_identical_to_serial(serial: Path, tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    result = run(root, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout == run(serial, "--force", "--format", "all", "--out", str(tmp_path / "again")).stdout.replace(
        str(tmp_path / "again"), str(root / "reports"))
    serial_files, parallel_files = tree(serial / "reports"), tree(root / "reports")
    assert len(serial_files) == 9  # html, pdf and manifest of three programmes
    for name, data in serial_files.items():
        assert parallel_files[name] == data, name
    assert set(parallel_files) == set(serial_files)


def test_paths_are_printed_in_programme_order_whatever_finishes_first(serial: Path) -> None:
    paths = [Path(line) for line in run(serial, "--force", "--jobs", "2", "--format", "html",
                                        "gamma", "alpha").stdout.splitlines()]
    assert [p.name for p in paths] == [f"gamma-{AS_OF}.html", f"alpha-{AS_OF}.html"]


def test_jobs_zero_means_one_process_per_core() -> None:
    assert workers.Runner(0).jobs == workers.cpu_count() >= 1
    assert workers.Runner(3).jobs == 3


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
    result = run(root, "--jobs", "2", "--format", "html")
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
    result = run(serial, "--out", str(out), "--format", "html", "--force", "--jobs", "2")
    assert result.exit_code == 1
    assert tree(out) == before  # no temporary file left, nothing replaced


def test_a_failure_in_this_process_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_workspace(tmp_path / "ws")
    original = report.render_programme

    def failing(ws, programme, *args, **kwargs):  # type: ignore[no-untyped-def]
        if programme.id == "gamma":
            raise RenderError("cannot render PDF: missing resource 'file:///nowhere.png'")
        return original(ws, programme, *args, **kwargs)

    monkeypatch.setattr(report, "render_programme", failing)
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


def test_write_reports_is_still_importable_from_tracker_report(tmp_path: Path) -> None:
    from tracker.report import RenderOptions, write_reports
    from tracker.workspace import Workspace

    ws = Workspace.at(make_workspace(tmp_path / "ws", ("alpha",)))
    written = write_reports(ws, ws.load_all(), AS_OF, ("html",), ws.reports, RenderOptions())
    assert written == [ws.reports / "alpha" / f"alpha-{AS_OF}.html"]
    assert write_reports(ws, ws.load_all(), AS_OF, ("html",), ws.reports, force=True) == written


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


def test_output_folders_outside_the_workspace_get_identical_files(serial: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(serial, "--format", "html", "--out", str(one), "--jobs", "1").exit_code == 0
    assert run(serial, "--format", "html", "--out", str(two), "--jobs", "2").exit_code == 0
    assert tree(one) == tree(two) and len(tree(one)) == 6  # manifests included


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


def staging_jobs(tmp_path: Path, ids: tuple[str, ...], formats: tuple[str, ...]) -> list[workers.Job]:
    from tracker.report import RenderOptions
    from tracker.workspace import Workspace

    ws = Workspace.at(make_workspace(tmp_path / "ws", ids))
    out = tmp_path / "out"
    out.mkdir()
    return [workers.Job(i, ws, p, AS_OF, formats, RenderOptions(), {fmt: out / f"{p.id}.{fmt}" for fmt in formats})
            for i, p in enumerate(ws.load_all())]


def test_each_edition_is_rendered_in_a_process_of_its_own(tmp_path: Path) -> None:
    """No process renders two editions, so the native memory WeasyPrint keeps per edition
    never piles up, however long the portfolio; at most `jobs` run at once."""
    jobs = staging_jobs(tmp_path, ("a", "b", "c", "d", "e"), ("html", "pdf"))
    staged: dict[int, workers.Staged] = {}
    done: list[int] = []
    with workers.Runner(2) as runner:
        runner.render(jobs, staged, lambda n, total: done.append(n) or None)
    pids = [staged[i].pid for i in range(5)]
    assert len(set(pids)) == 5 and os.getpid() not in pids
    assert done == [1, 2, 3, 4, 5]
    staged_files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(staged_files) == 10 and all(name.endswith(".tmp") for name in staged_files)  # not yet in place
    one: dict[int, workers.Staged] = {}
    with workers.Runner(1) as runner:  # one at a time: still a process each
        runner.render(jobs[:2], one, None)
    assert len({one[0].pid, one[1].pid, os.getpid()}) == 3


def test_one_edition_or_html_alone_is_rendered_here(tmp_path: Path) -> None:
    jobs = staging_jobs(tmp_path, ("a", "b", "c"), ("html",))
    staged: dict[int, workers.Staged] = {}
    with workers.Runner(1, pdf=False) as runner:
        runner.render(jobs, staged, None)
    assert {staged[i].pid for i in range(3)} == {os.getpid()}
    assert runner.context is None  # no server was started
    pdf = staging_jobs(tmp_path / "pdf", ("a",), ("pdf",))
    alone: dict[int, workers.Staged] = {}
    with workers.Runner(1) as runner:
        runner.render(pdf, alone, None)
    assert alone[0].pid == os.getpid()


def test_when_processes_run_out_the_rest_is_rendered_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing.context

    jobs = staging_jobs(tmp_path, ("a", "b", "c", "d"), ("html",))
    started: list[int] = []
    original = multiprocessing.context.ForkServerProcess.start

    def start(self):  # type: ignore[no-untyped-def]
        if len(started) == 2:
            raise OSError(11, "Resource temporarily unavailable")  # what fork gives at the process limit
        started.append(1)
        return original(self)

    monkeypatch.setattr(multiprocessing.context.ForkServerProcess, "start", start)
    staged: dict[int, workers.Staged] = {}
    with workers.Runner(2, pdf=False) as runner:
        runner.render(jobs, staged, None)
    pids = [staged[i].pid for i in range(4)]
    assert os.getpid() not in pids[:2] and pids[2:] == [os.getpid()] * 2


def test_loading_in_shares_keeps_the_order_and_the_errors(tmp_path: Path) -> None:
    with workers.Runner(3, pdf=False) as runner:
        assert runner.map(str.upper, list("abcdefg")) == list("ABCDEFG")
        with pytest.raises(ValueError, match="invalid literal"):
            runner.map(int, ["1", "2", "x", "4"])
