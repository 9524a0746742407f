"""Reports and status as of a date: later entries, observations and milestones are ignored, so an
old edition regenerated after an update has the same bytes as the first time."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from edit_helpers import TODAY, make_workspace, run

from tracker.cli.records import edit as update_cli

BEFORE, AFTER = "2025-01-31", "2025-05-31"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update_cli, "today", lambda: TODAY)
    monkeypatch.setattr(update_cli, "stdin_is_terminal", lambda: False)


def _update(root: Path) -> None:
    """Evidence that arrived after the first edition: a status change, a figure, a milestone."""
    for args in (
        ["update", "harbour/quay", "--status", "achieved", "--note", "All berths back in service",
         "--source", "https://example.org/reopening", "--date", "2025-05-20", "--by", "Ana"],
        ["update", "harbour/park", "--status", "stalled", "--note", "Funding withdrawn", "--date", "2025-03-01"],
        ["record", "harbour/quay/berths", "10", "--date", "2025-05-20"],
        ["milestone", "harbour/quay/opening", "--done", "2025-05-20"],
    ):
        result = run(root, *args)
        assert result.exit_code == 0, result.output


def _html(root: Path, as_of: str) -> bytes:
    result = run(root, "report", "harbour", "--as-of", as_of, "--format", "html")
    assert result.exit_code == 0, result.output
    return (root / "reports" / "harbour" / f"harbour-{as_of}.html").read_bytes()


def _status(root: Path, as_of: str) -> dict:
    result = run(root, "status", "--as-of", as_of, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_as_of_ignores_later_entries(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    first = _status(tmp_path, BEFORE)
    _update(tmp_path)
    assert _status(tmp_path, BEFORE) == first
    rows = {row["priority"]: row for row in first["programmes"][0]["priorities"]}
    assert (rows["quay"]["status"], rows["park"]["status"]) == ("in_progress", None)
    assert rows["quay"]["next_milestone"] == "Quay reopened to ships"
    rows = {row["priority"]: row for row in _status(tmp_path, AFTER)["programmes"][0]["priorities"]}
    assert (rows["quay"]["status"], rows["quay"]["last_entry"]) == ("achieved", "2025-05-20")
    assert rows["park"]["status"] == "stalled"
    assert rows["quay"]["next_milestone"] is None  # the opening is done by then
    # In between, the park's entry (2025-03-01) counts and the quay's (2025-05-20) does not.
    rows = {row["priority"]: row for row in _status(tmp_path, "2025-04-01")["programmes"][0]["priorities"]}
    assert (rows["quay"]["status"], rows["park"]["status"]) == ("in_progress", "stalled")


def test_text_status_as_of_is_unchanged_by_a_later_update(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    first = run(tmp_path, "status", "--as-of", BEFORE).stdout
    _update(tmp_path)
    assert run(tmp_path, "status", "--as-of", BEFORE).stdout == first
    assert "Achieved" not in first and "Achieved" in run(tmp_path, "status", "--as-of", AFTER).stdout


def test_an_old_edition_regenerated_after_an_update_shows_what_was_known_then(tmp_path: Path) -> None:
    make_workspace(tmp_path)
    _update(tmp_path)
    old, later = _html(tmp_path, BEFORE).decode(), _html(tmp_path, AFTER).decode()
    assert "All berths back in service" in later and "Funding withdrawn" in later
    assert "All berths back in service" not in old and "Funding withdrawn" not in old


def _git(root: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def test_an_edition_always_has_the_same_bytes(tmp_path: Path) -> None:
    """Same data and as-of date, same bytes, however and whenever it is rendered: again in this
    process, in processes of their own (--jobs), into another folder, and after a later
    `update --commit` (the attached data and the cover's git revision are those of the as-of
    date, so a later commit changes neither). The one byte-identity test of the suite."""
    from pypdf import PdfReader

    make_workspace(tmp_path)
    _git(tmp_path, "init", "-q")
    for key, value in (("user.name", "Desk"), ("user.email", "desk@example.org"), ("commit.gpgsign", "false")):
        _git(tmp_path, "config", key, value)
    _git(tmp_path, "add", "policies")
    _git(tmp_path, "commit", "-qm", "start")
    first_commit = _git(tmp_path, "rev-parse", "HEAD").strip()
    folder = tmp_path / "reports" / "harbour"
    names = [f"harbour-{BEFORE}.html", f"harbour-{BEFORE}.pdf"]

    def edition(*args: str, out: Path = tmp_path / "reports") -> list[bytes]:
        result = run(tmp_path, "report", "--as-of", BEFORE, "--out", str(out), "--force", *args)
        assert result.exit_code == 0, result.output
        return [(out / "harbour" / name).read_bytes() for name in names]

    first = edition()
    assert first[1].startswith(b"%PDF-") and b"</html>" in first[0]
    assert edition() == first  # again, in this process (one edition renders here)
    (tmp_path / "policies" / "second.yaml").write_text(
        (tmp_path / "policies" / "harbour.yaml").read_text().replace("id: harbour", "id: second"))
    assert edition("--jobs", "2") == first  # two editions: each in a process of its own
    assert edition("--jobs", "2", out=tmp_path / "elsewhere") == first  # another output folder
    (tmp_path / "policies" / "second.yaml").unlink()
    result = run(tmp_path, "update", "harbour/park", "--status", "stalled", "--note", "Funding withdrawn",
                 "--date", "2025-03-01", "--commit", "--by", "Ana")
    assert result.exit_code == 0, result.output
    assert _git(tmp_path, "rev-parse", "HEAD").strip() != first_commit
    assert edition() == first  # after a later, committed update
    pdf = folder / names[1]
    attached = PdfReader(pdf).attachments["harbour.yaml"][0].decode()
    assert "Funding withdrawn" not in attached and f"as recorded on {BEFORE}" in attached
    # The new edition carries the new entry and the new commit.
    assert run(tmp_path, "report", "harbour", "--as-of", AFTER, "--format", "html").exit_code == 0
    html = (tmp_path / "reports" / "harbour" / f"harbour-{AFTER}.html").read_text()
    assert "Funding withdrawn" in html
    assert _git(tmp_path, "rev-parse", "--short=12", "HEAD").strip() in html
    assert first_commit[:12] not in html


def test_the_fingerprint_of_an_edition_follows_the_file_and_its_git_state(tmp_path: Path) -> None:
    """What incremental rendering records: the file's bytes and git state, read without parsing."""
    import datetime as dt

    from tracker.model.workspace import Workspace
    from tracker.report import RenderOptions
    from tracker.report.run import inputs

    make_workspace(tmp_path)
    ws = Workspace.at(tmp_path)
    programme = ws.programme("harbour")
    day = dt.date.fromisoformat(BEFORE)
    first = inputs.of_programme(ws, programme, day, RenderOptions())
    assert first.git is None and first.file == programme.path.read_bytes() and first.since is None
    _git(tmp_path, "init", "-q")
    for key, value in (("user.name", "Desk"), ("user.email", "desk@example.org"), ("commit.gpgsign", "false")):
        _git(tmp_path, "config", key, value)
    assert inputs.of_programme(ws, programme, day, RenderOptions()).git is None  # a repository with no commit yet
    _git(tmp_path, "add", "policies")
    _git(tmp_path, "commit", "-qm", "start")
    committed = inputs.of_programme(ws, programme, day, RenderOptions()).git
    assert committed == inputs.revision.Head(_git(tmp_path, "rev-parse", "HEAD").strip(), False)
    _update(tmp_path)
    changed = inputs.of_programme(ws, ws.programme("harbour"), day, RenderOptions())
    assert changed.git == inputs.revision.Head(committed.commit, True) and changed.file != first.file
