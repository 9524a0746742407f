"""The foundation's commands, run as a user runs them."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, REPO, run
from tracker.edit.scaffold import schema_text


def test_status_table(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    result = run("status", "--as-of", "2024-03-15", root=root)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Demo programme (demo), as of 2024-03-15",
        "PRIORITY  STATUS       LAST ENTRY  NEXT MILESTONE                    FLAGS",
        "roads     In progress  2024-02-01  Contract signed (due 2024-06-30)  -",
        "schools   At risk      2024-01-01  -                                 -",
    ]


def test_status_flags_stale_and_overdue(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    lines = run("status", "--as-of", "2024-07-01", root=root).stdout.splitlines()
    assert lines[2].endswith("stale: no entry in 90 days, milestone overdue")
    assert lines[3].endswith("stale: no entry in 90 days")


def test_status_as_of_ignores_later_entries(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    data = json.loads(run("status", "--json", "--as-of", "2024-01-15", root=root).stdout)
    roads = data["programmes"][0]["priorities"][0]
    assert roads["status"] == "not_started" and roads["last_entry"] == "2024-01-01"
    assert roads["next_milestone"] == "Tender published"


def test_status_json(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    data = json.loads(run("status", "--json", "--as-of", "2024-03-15", root=root).stdout)
    assert data["as_of"] == "2024-03-15"
    assert data["programmes"][0]["id"] == "demo"
    assert data["programmes"][0]["priorities"][0] == {
        "programme": "demo", "priority": "roads", "title": "Build roads", "status": "in_progress",
        "label": "In progress", "last_entry": "2024-02-01", "next_milestone": "Contract signed",
        "next_milestone_due": "2024-06-30", "overdue": False, "stale": False,
    }


def test_priority_without_history(workspace) -> None:
    text = MINIMAL + "  - id: ports\n    title: Modernise ports\n"
    root = workspace({"demo.yaml": text})
    data = json.loads(run("status", "--json", "--as-of", "2024-03-15", root=root).stdout)
    ports = data["programmes"][0]["priorities"][2]
    assert ports["status"] is None and ports["stale"] is True and ports["label"] == "No entry yet"


def test_report_writes_dated_files_and_prints_paths(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    result = run("report", "--as-of", "2024-03-15", "--format", "html", root=root)
    assert result.exit_code == 0, result.output
    path = root / "reports" / "demo" / "demo-2024-03-15.html"
    assert result.stdout == f"{path}\n"
    assert "Progress up to 2024-03-15" in path.read_text()


def test_report_out_folder_and_programme_selection(workspace, tmp_path: Path) -> None:
    root = workspace({"demo.yaml": MINIMAL, "other.yaml": MINIMAL.replace("id: demo", "id: other")})
    out = tmp_path / "elsewhere"
    result = run("report", "other", "--as-of", "2024-03-15", "--format", "html", "--out", str(out), root=root)
    assert result.exit_code == 0
    assert result.stdout == f"{out / 'other' / 'other-2024-03-15.html'}\n"
    assert not (root / "reports" / "demo").exists()


def test_report_unknown_programme(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    result = run("report", "dem", "--format", "html", root=root)
    assert result.exit_code == 1
    assert result.stderr == "error: unknown programme 'dem'; did you mean 'demo'?\n"


@pytest.mark.parametrize("args, message", [
    (["report", "--as-of", "2024-02-30"], "expected a real date written YYYY-MM-DD but got '2024-02-30'"),
    (["report", "--format", "docx"], "'docx' is not one of 'html', 'pdf', 'all'"),
    (["status", "--as-of", "yesterday"], "expected a real date written YYYY-MM-DD but got 'yesterday'"),
    (["frobnicate"], "No such command 'frobnicate'"),
])
def test_bad_usage_exits_2(workspace, args: list[str], message: str) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    result = run(*args, root=root)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_root_is_bad_usage(tmp_path: Path) -> None:
    result = run("validate", root=tmp_path / "nope")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_workspace_without_policies(tmp_path: Path) -> None:
    result = run("validate", root=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == "error: policies: no policies/ folder here; run `tracker init DIR` or pass --root\n"


def test_tracker_root_environment_variable(workspace, monkeypatch, tmp_path: Path) -> None:
    """The workspace named by TRACKER_ROOT is the one used, wherever the command runs from."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no policies/ here: only TRACKER_ROOT can make this work
    root = workspace({"demo.yaml": MINIMAL})
    monkeypatch.setenv("TRACKER_ROOT", str(root))
    valid = run("validate")
    assert valid.exit_code == 0 and valid.stderr.startswith("1 programme(s), "), valid.output
    (root / "policies" / "broken.yaml").write_text("id: broken\n")
    broken = run("validate")
    assert broken.exit_code == 1 and broken.stderr.startswith("policies/broken.yaml:1:1: "), broken.output
    monkeypatch.setenv("TRACKER_ROOT", str(elsewhere))
    assert run("validate").exit_code == 1  # an empty folder: no policies/


def test_html_only_run_never_imports_weasyprint(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    code = ("import sys; from tracker.cli import cli\n"
            "try:\n    cli(['--root', sys.argv[1], 'report', '--format', 'html', '--as-of', '2024-03-15'])\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint was imported'\nprint('clean')")
    out = subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("clean")


def test_python_dash_m_and_console_script(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    for command in ([sys.executable, "-m", "tracker"], [str(Path(sys.executable).with_name("tracker"))]):
        out = subprocess.run([*command, "--root", str(root), "validate"], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr


def test_schema_is_json_schema_and_matches_the_shipped_copy() -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["required"] == ["id", "title", "priorities"]
    assert (REPO / "policies" / "programme.schema.json").read_text() == schema_text()


def test_schema_accepts_valid_and_rejects_invalid_files() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from tracker.model import yamlsafe

    schema = json.loads(run("schema").stdout)
    data = yamlsafe.parse(MINIMAL, "demo.yaml").data
    jsonschema.validate(data, schema)
    data["priorities"][0]["history"][0]["stauts"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_init_creates_a_valid_workspace(tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = run("init", str(target))
    assert result.exit_code == 0
    assert (target / "policies" / "digital-silk-road.yaml").read_bytes() == \
        (REPO / "policies" / "digital-silk-road.yaml").read_bytes()
    assert (target / "reports").is_dir() and not any((target / "reports").iterdir())
    assert run("validate", root=target).exit_code == 0


def test_init_never_overwrites(tmp_path: Path) -> None:
    run("init", str(tmp_path / "ws"))
    path = tmp_path / "ws" / "policies" / "digital-silk-road.yaml"
    path.write_text("# mine\n")
    result = run("init", str(tmp_path / "ws"))
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: already exists; not overwritten\n"
    assert path.read_text() == "# mine\n"


def test_every_command_has_help() -> None:
    import click

    from tracker.cli import cli

    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"validate", "status", "report", "init", "schema", "update", "record", "milestone", "source",
            "history", "distribute", "publish"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)
        assert command.help, f"{name} has no help text"
        assert run(name, "--help").exit_code == 0


def test_a_command_loads_only_its_own_module() -> None:
    code = ("import sys; from tracker.cli import cli\n"
            "try:\n    cli(['status', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('tracker.cli.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "['tracker.cli.common', 'tracker.cli.records', 'tracker.cli.records.status']"
