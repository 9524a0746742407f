"""Approving and rejecting drafts edit the file in place: only the draft's own text changes, the
user's comments stay wherever they are, and a list a rejection leaves empty goes with its key."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.trust_support import data, run, workspace

HEAD = "id: p\ntitle: P\nreview: required\npriorities:\n  - id: roads\n    title: Roads\n"
LOG = ("review_log:\n  - date: 2025-06-01\n    item: '{item}'\n    by: bob\n    why: 'no'\n    drafted_by: ana\n")


def reject(root: Path) -> str:
    result = run(root, "reject", "p", "--all", "--by", "bob", "--why", "no", "--date", "2025-06-01")
    assert result.exit_code == 0, result.stderr
    return (root / "policies" / "p.yaml").read_text()


@pytest.mark.parametrize("items", [
    "      - {date: 2024-02-01, status: in_progress, note: D1, by: ana, draft: true}\n",
    "      - date: 2024-02-01\n        status: in_progress\n        note: D1\n        by: ana\n        draft: true\n",
    "      - draft: true\n        date: 2024-02-01\n        status: in_progress\n        note: D1\n        by: ana\n",
])
def test_rejecting_the_only_draft_of_a_list_that_starts_with_a_comment(tmp_path: Path, items: str) -> None:
    text = HEAD + "    history:\n      # the first assessment\n" + items + "    # Milestones agreed\n" \
        "    milestones:\n      - {id: m, title: M}\n"
    root = workspace(tmp_path, text, "p.yaml")
    assert reject(root) == (HEAD + "      # the first assessment\n    # Milestones agreed\n    milestones:\n"
                            "      - {id: m, title: M}\n"
                            + LOG.format(item="p/roads: entry 2024-02-01: status in_progress, note ''D1'' (by ana)"))
    assert "history" not in data(root, "p.yaml")["priorities"][0]


def test_rejecting_the_only_correction_removes_the_list_and_keeps_the_comments(tmp_path: Path) -> None:
    text = HEAD + ("    history:\n      - {date: 2024-01-01, status: in_progress, note: A}\n"
                   "    corrections:\n      # the only correction\n"
                   "      - {date: 2024-02-05, entry: 2024-01-01, changes: {note: {was: A, now: x}}, why: y, by: ana,"
                   " draft: true}\n      # below it\n    # after the corrections\n")
    root = workspace(tmp_path, text, "p.yaml")
    assert reject(root) == (HEAD + "    history:\n      - {date: 2024-01-01, status: in_progress, note: A}\n"
                            "      # the only correction\n      # below it\n    # after the corrections\n"
                            + LOG.format(item="p/roads: correction of entry 2024-01-01 on 2024-02-05: note ''x'' "
                                              "(by ana)"))
    assert "corrections" not in data(root, "p.yaml")["priorities"][0]


def test_a_rejected_observation_that_was_the_only_one_leaves_no_empty_list(tmp_path: Path) -> None:
    text = HEAD + ("    indicators:\n      - id: km\n        title: Km\n        unit: km\n"
                   "        baseline: {date: 2024-01-01, value: 0}\n        observations:\n"
                   "          - {date: 2024-02-01, value: 3, by: ana, draft: true}\n")
    root = workspace(tmp_path, text, "p.yaml")
    assert "observations" not in reject(root)


@pytest.mark.parametrize("draft", [
    "      - date: 2024-02-01\n        status: in_progress\n        note: D1\n        by: ana\n        draft: true\n",
    "      - date: 2024-02-01\n        status: in_progress\n        by: ana\n        draft: true   # pending\n",
    "      - {date: 2024-02-01, status: in_progress, note: D1,\n         by: ana, draft: true}\n",
])
@pytest.mark.parametrize("command", ["approve", "reject"])
def test_the_comment_after_a_block_draft_stays(tmp_path: Path, draft: str, command: str) -> None:
    text = HEAD + "    history:\n" + draft + "    # Milestones agreed with the ministry\n" \
        "    milestones:\n      - {id: m, title: M}\n"
    root = workspace(tmp_path, text, "p.yaml")
    args = ("--why", "no") if command == "reject" else ()
    result = run(root, command, "p", "--all", "--by", "bob", "--date", "2025-06-01", *args)
    assert result.exit_code == 0, result.stderr
    after = (root / "policies" / "p.yaml").read_text()
    assert "    # Milestones agreed with the ministry\n    milestones:\n      - {id: m, title: M}\n" in after
    assert after.startswith(HEAD)


@pytest.mark.parametrize("args, message", [
    (("approve", "p", "--all", "--by", "  "), "Missing option '--by'. Say who you are (no git author is configured)."),
    (("reject", "p", "--all", "--why", "no", "--by", ""), "Missing option '--by'. Say who you are (no git author is configured)."),
    (("reject", "p", "--all", "--by", "bob"), "Missing option '--why'. Say why the drafts are rejected."),
    (("reject", "p", "--all", "--by", "bob", "--why", " "), "Missing option '--why'. Say why the drafts are rejected."),
    (("correct", "p/roads", "--note", "x", "--why", "y"),
     "Missing option '--entry'. Name the entry corrected by its date (DATE or DATE#N)."),
    (("correct", "p/roads/km", "--value", "3", "--why", "y"),
     "Missing option '--observation'. Name the observation corrected by its date (DATE or DATE#N)."),
    (("correct", "p/roads", "--entry", "2024-02-01", "--note", "x", "--yes"), "Missing option '--why'."),
])
def test_a_missing_option_is_named_as_click_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    args: tuple[str, ...], message: str) -> None:
    monkeypatch.setattr("tracker.edit.gitcommit.author", lambda repo: "")  # no git author configured
    text = HEAD + "    history:\n      - {date: 2024-02-01, status: in_progress, note: D1, by: ana, draft: true}\n"
    root = workspace(tmp_path, text, "p.yaml")
    result = run(root, *args)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert "None" not in result.stderr
