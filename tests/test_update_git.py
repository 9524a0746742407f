"""--commit: the edit is committed in git, alone, with a message naming priority, status and author."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from edit_helpers import TODAY, make_workspace, run

from tracker.cli.records import edit as update_cli


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update_cli, "today", lambda: TODAY)
    monkeypatch.setattr(update_cli, "stdin_is_terminal", lambda: False)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    make_workspace(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "Repo Owner")
    git(tmp_path, "config", "user.email", "owner@example.org")
    git(tmp_path, "config", "commit.gpgsign", "false")
    git(tmp_path, "add", "policies")
    git(tmp_path, "commit", "-qm", "start")
    return tmp_path


def test_commit_records_only_the_programme_file(repo: Path) -> None:
    # The user has other work staged and unstaged: none of it goes into tracker's commit.
    (repo / "notes.txt").write_text("draft\n")
    git(repo, "add", "notes.txt")
    (repo / "scratch.txt").write_text("untracked\n")
    result = run(repo, "update", "harbour/quay", "--status", "at_risk", "--note", "Cracks in the piles",
                 "--source", "paper-2024", "--by", "Ana Lima", "--commit")
    assert result.exit_code == 0, result.output
    head = git(repo, "rev-parse", "--short", "HEAD").strip()
    assert result.stdout.splitlines()[-1] == f"committed {head}"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["policies/harbour.yaml"]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "harbour/quay: status at_risk (At risk) on 2025-06-01, by Ana Lima"
    assert "Cracks in the piles" in message and "Sources: paper-2024" in message
    assert git(repo, "log", "-1", "--format=%an").strip() == "Repo Owner"
    # The user's staged file is still staged, not committed; the working tree is clean for our file.
    assert git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]
    assert git(repo, "status", "--porcelain", "policies").strip() == ""


def test_commit_names_gits_author_when_no_by_is_given(repo: Path) -> None:
    assert run(repo, "record", "harbour/quay/berths", "6", "--date", "2025-01-01", "--commit").exit_code == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == \
        "harbour/quay/berths: 6 berths on 2025-01-01, by Repo Owner"
    assert run(repo, "milestone", "harbour/quay/opening", "--done", "2025-05-01", "--commit").exit_code == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == \
        "harbour/quay/opening: milestone done on 2025-05-01, by Repo Owner"
    assert run(repo, "source", "add", "harbour", "--id", "x-1", "--title", "X", "--commit").exit_code == 0
    assert git(repo, "log", "-1", "--format=%s").strip() == "harbour: source x-1 added, by Repo Owner"
    assert len(git(repo, "log", "--format=%h").split()) == 4


def test_commit_outside_a_git_repository_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    path = make_workspace(tmp_path)
    before = path.read_bytes()
    result = run(tmp_path, "update", "harbour/quay", "--status", "in_progress", "--note", "x", "--commit")
    assert result.exit_code == 1
    assert result.stderr == ("error: policies/harbour.yaml: not inside a git repository; --commit needs the "
                             "policies/ folder in one (git init); nothing was written\n")
    assert path.read_bytes() == before


def test_invalid_update_with_commit_commits_nothing(repo: Path) -> None:
    result = run(repo, "update", "harbour/quay", "--status", "achieved", "--note", "x", "--commit")
    assert result.exit_code == 1
    assert len(git(repo, "log", "--format=%h").split()) == 1
    assert git(repo, "status", "--porcelain").strip() == ""
