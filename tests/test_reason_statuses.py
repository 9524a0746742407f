"""A reason says why a priority stalled, is at risk or was abandoned: no other status carries one,
whether written by `update`, by `correct` or by hand, and a correction can clear it."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.trust_support import HARBOUR, data, edition, html_text, problems, report, run, workspace
from tracker.edit import operations
from tracker.errors import EditRefused
from tracker.model.records import Entry
from tracker.model.workspace import Workspace

TAKES_NONE = "takes no reason: a reason says why a priority stalled, is at risk or was abandoned " \
             "(statuses that take one: at_risk, stalled, abandoned)"


@pytest.mark.parametrize("status", ["in_progress", "not_started", "achieved", "unverifiable", "partly_achieved"])
def test_update_refuses_a_reason_on_a_status_that_takes_none(tmp_path: Path, status: str) -> None:
    root = workspace(tmp_path)
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "update", "harbour/quay", "--status", status, "--note", "x", "--source", "gazette",
                 "--reason", "lacks_funding", "--date", "2025-04-01")
    assert result.exit_code == 1
    assert result.stderr == f"error: status {status!r} {TAKES_NONE}\n"
    assert (root / "policies" / "harbour.yaml").read_bytes() == before


@pytest.mark.parametrize("status", ["at_risk", "stalled", "abandoned"])
def test_update_takes_a_reason_on_a_status_in_trouble(tmp_path: Path, status: str) -> None:
    root = workspace(tmp_path)
    assert run(root, "update", "harbour/quay", "--status", status, "--note", "x", "--reason", "lacks_funding",
               "--date", "2025-04-01").exit_code == 0


@pytest.mark.parametrize("command", [
    ("update", "harbour/quay", "--status", "stalled", "--note", "x"),
    ("correct", "harbour/ferry", "--entry", "2025-01-10", "--why", "w"),
])
@pytest.mark.parametrize("reason", ["", " ", "Lacks funding"])
def test_an_empty_or_malformed_reason_is_a_usage_error(tmp_path: Path, command: tuple[str, ...], reason: str) -> None:
    root = workspace(tmp_path)
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, *command, "--reason", reason)
    assert result.exit_code == 2
    assert "Invalid value for '--reason': expected a reason id (lowercase letters, digits, underscores)" in result.stderr
    assert (root / "policies" / "harbour.yaml").read_bytes() == before


def test_correct_refuses_a_reason_on_an_entry_whose_status_takes_none(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR.replace("note: Works began., sources: [gazette]}",
                                               "note: Works began., sources: [gazette]}\n"
                                               "      - {date: 2025-02-01, status: not_started}"))
    result = run(root, "correct", "harbour/quay", "--entry", "2025-02-01", "--reason", "lacks_funding", "--why", "w")
    assert result.exit_code == 1
    assert result.stderr == ("error: the corrected entry would keep reason 'lacks_funding', but status 'not_started' "
                             f"{TAKES_NONE}; pass --reason none to clear it\n")


def test_a_correction_of_the_status_clears_the_reason_with_reason_none(tmp_path: Path) -> None:
    root = workspace(tmp_path)  # ferry: stalled since 2025-01-10, reason lacks_funding
    result = run(root, "correct", "harbour/ferry", "--entry", "2025-01-10", "--status", "in_progress",
                 "--why", "A boat was found.", "--date", "2025-02-01")
    assert result.exit_code == 1
    assert "the corrected entry would keep reason 'lacks_funding', but status 'in_progress' takes no reason" \
        in result.stderr and result.stderr.endswith("; pass --reason none to clear it\n")
    result = run(root, "correct", "harbour/ferry", "--entry", "2025-01-10", "--status", "in_progress",
                 "--reason", "none", "--why", "A boat was found.", "--date", "2025-02-01")
    assert result.exit_code == 0, result.stderr
    assert "reason: lacks_funding -> (nothing)" in result.stdout
    [correction] = data(root)["priorities"][1]["corrections"]
    assert correction["changes"]["reason"] == {"was": "lacks_funding", "now": None}
    assert "          reason:\n            was: lacks_funding\n            now: null\n" in \
        (root / "policies" / "harbour.yaml").read_text()
    assert run(root, "validate").exit_code == 0
    report(root, "2025-03-01")
    text = html_text(edition(root, "2025-03-01"))
    assert "Start a ferry Status: In progress since 2025-01-10 This assessment was corrected on 2025-02-01" in text
    assert "Reason: Lacks funding" not in text.split("Start a ferry", 1)[1].split("Corrections", 1)[0]
    log = text[text.rindex("A boat was found") - 200:]
    assert "Reason Lacks funding (nothing)" in log, log
    assert run(root, "history", "harbour/ferry").exit_code == 0


@pytest.mark.parametrize("entry, correction, message", [
    ("{date: 2025-02-01, status: in_progress, note: x, reason: lacks_funding}", "",
     f"priorities[1].history[1].reason: status 'in_progress' {TAKES_NONE}"),
    ("", "{date: 2025-02-01, entry: 2025-01-10, changes: {status: {was: stalled, now: in_progress}}, why: w}",
     "priorities[1].corrections[0].changes: the corrected entry would keep reason 'lacks_funding', but status "
     f"'in_progress' {TAKES_NONE}; clear it (reason: {{was: lacks_funding, now: null}})"),
    ("", "{date: 2025-02-01, entry: 2025-01-10, changes: {status: {was: stalled, now: null}}, why: w}",
     "priorities[1].corrections[0].changes.status.now: the status cannot be cleared: say what it is now"),
])
def test_validation_refuses_reasons_where_no_status_takes_them(tmp_path: Path, entry: str, correction: str,
                                                              message: str) -> None:
    text = HARBOUR
    if entry:
        text += f"      - {entry}\n"
    if correction:
        text += f"    corrections:\n      - {correction}\n"
    root = workspace(tmp_path, text)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in problems(result)] == [message]


def test_a_programme_says_which_of_its_statuses_take_a_reason(tmp_path: Path) -> None:
    statuses = ("statuses:\n"
                "  - {id: blocked, label: Blocked, colour: '#a4262c', definition: Stuck., takes_reason: true}\n"
                "  - {id: moving, label: Moving, colour: '#1f5fa8', definition: Going.}\n"
                "  - {id: stalled, label: Stalled, colour: '#a4262c', definition: Paused., takes_reason: false}\n")
    text = HARBOUR.replace("sources:\n", statuses + "sources:\n", 1).replace("status: in_progress", "status: moving")
    root = workspace(tmp_path, text.replace("status: stalled, note: No boat., reason: lacks_funding",
                                            "status: blocked, note: No boat., reason: lacks_funding"))
    assert run(root, "validate").exit_code == 0, run(root, "validate").stderr
    root = workspace(tmp_path, text)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert problems(result)[0].endswith("status 'stalled' takes no reason: a reason says why a priority stalled, is "
                                        "at risk or was abandoned (statuses that take one: blocked)")


def test_a_draft_correction_clearing_a_reason_is_described_as_cleared(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR.replace('method_version: "2026.1"\n', 'method_version: "2026.1"\nreview: required\n'))
    result = run(root, "correct", "harbour/ferry", "--entry", "2025-01-10", "--status", "in_progress",
                 "--reason", "none", "--why", "A boat was found.", "--date", "2025-02-01", "--by", "ana")
    assert result.exit_code == 0, result.stderr
    result = run(root, "reject", "harbour", "--all", "--by", "bob", "--why", "No boat yet.", "--date", "2025-02-02")
    assert "correction of entry 2025-01-10 on 2025-02-01: status 'in_progress', reason cleared (by ana)" in result.stdout


def test_a_batch_of_records_obeys_the_same_rules_as_update_and_record(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR + "    corrections:\n      - {date: 2025-03-05, entry: 2025-01-10, changes: "
                                         "{note: {was: No boat., now: No ferry boat.}}, why: w}\n")
    ws = Workspace.at(root)
    options = operations.Options(today=dt.date(2025, 6, 1))
    wrong = operations.Batch(entries=(("quay", Entry(dt.date(2025, 4, 1), "in_progress", "x", reason="other")),))
    with pytest.raises(EditRefused, match="the entry of harbour/quay on 2025-04-01: status 'in_progress' takes no"):
        operations.add_batches(ws, {"harbour": lambda programme: wrong}, options)
    second = operations.Batch(
        entries=(("ferry", Entry(dt.date(2025, 1, 10), "stalled", "Still no boat.", reason="lacks_funding")),),
        observations=(("quay", "berths", operations.Observation(dt.date(2025, 2, 1), 5)),))
    operations.add_batches(ws, {"harbour": lambda programme: second}, options)
    assert data(root)["priorities"][1]["corrections"][0]["entry"] == "2025-01-10#1"
    assert run(root, "validate").exit_code == 0
