"""Nothing reaches readers before it, and everything it depends on, is approved: a correction
that builds on a draft correction, or corrects a record readers were not yet shown, stays out of
every edition, and its `was` is what readers were shown."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.trust_support import HARBOUR, data, edition, html_text, problems, report, run, workspace
from tracker.report.content.corrections import lines as emailed
from tracker.report.content.language import Language
from tracker.model.records import Correction, Entry, FieldChange, Priority
from tracker.model.workspace import Workspace
from tracker.report.run.snapshot import data_as_of

REVIEWED = HARBOUR.replace('method_version: "2026.1"\n', 'method_version: "2026.1"\nreview: required\n')


def ok(root: Path, *args: str) -> str:
    result = run(root, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def chained(root: Path) -> None:
    """Two draft corrections by ana of the quay's March entry: NOTEB, then NOTEC on top of it."""
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "NOTEB", "--why", "first try",
       "--by", "ana", "--date", "2025-06-01")
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "NOTEC", "--why", "second try",
       "--by", "ana", "--date", "2025-06-05")


def test_a_correction_that_builds_on_a_draft_cannot_be_approved_before_it(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    chained(root)
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "approve", "harbour", "--entry", "2025-06-05", "--by", "bob", "--date", "2025-06-06")
    assert result.exit_code == 1
    assert ("it builds on the draft correction of 2025-06-01 (by ana), still waiting for review: approve that "
            "one first, or both together") in result.stderr
    assert (root / "policies" / "harbour.yaml").read_bytes() == before
    ok(root, "approve", "harbour", "--entry", "2025-06-01", "--entry", "2025-06-05", "--by", "bob",
       "--date", "2025-06-06")
    report(root, "2025-06-10")
    text = html_text(edition(root, "2025-06-10"))
    assert "NOTEC" in text and "NOTEB" in text  # both published: the chain is told whole


def test_an_approved_correction_never_shows_the_draft_it_builds_on(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    chained(root)
    path = root / "policies" / "harbour.yaml"
    # Approved by hand, the draft it builds on still waiting: valid, and nothing of either reaches readers.
    path.write_text(path.read_text().replace("by: ana\n        draft: true\n", "by: ana\n        approved_by: bob\n"
                                             "        approved_on: 2025-06-06\n").replace(
        "why: first try\n        by: ana\n        approved_by: bob\n        approved_on: 2025-06-06\n",
        "why: first try\n        by: ana\n        draft: true\n"))
    assert run(root, "validate").exit_code == 0
    report(root, "2025-06-10")
    text = html_text(edition(root, "2025-06-10"))
    assert "NOTEB" not in text and "NOTEC" not in text and "Piles driven." in text
    programme = Workspace.at(root).load_all()[0]
    assert "NOTEB" not in repr(data_as_of(programme, dt.date(2025, 6, 10)))  # the data attached to the PDF
    assert "NOTEB" not in run(root, "status", "--as-of", "2025-06-10").stdout


def test_rejecting_a_draft_another_correction_builds_on_relinks_that_one(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    chained(root)
    text = (root / "policies" / "harbour.yaml").read_text()
    ok(root, "reject", "harbour", "--entry", "2025-06-01", "--by", "bob", "--why", "Not confirmed.")
    [left] = data(root)["priorities"][0]["corrections"]
    assert left["changes"] == {"note": {"was": "Piles driven.", "now": "NOTEC"}} and left["draft"] is True
    after = (root / "policies" / "harbour.yaml").read_text()
    assert after.count("date: 2025-06-05") == 1 and "'2025-06-05'" not in after  # written in place
    assert len(after.splitlines()) == len(text.splitlines()) - 9 + 6  # its 9 lines out, a review_log line in
    ok(root, "approve", "harbour", "--all", "--by", "bob", "--date", "2025-06-06")
    report(root, "2025-06-10")
    shown = html_text(edition(root, "2025-06-10"))
    assert "NOTEC" in shown and "NOTEB" not in shown


def test_rejecting_a_draft_that_would_leave_the_next_correction_changing_nothing_is_refused(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "NOTEB", "--why", "w",
       "--by", "ana", "--date", "2025-06-01")
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "Piles driven.", "--why", "back",
       "--by", "ana", "--date", "2025-06-05")
    result = run(root, "reject", "harbour", "--entry", "2025-06-01", "--by", "bob", "--why", "no")
    assert result.exit_code == 1
    assert ("rejecting it would leave the correction of entry 2025-03-01 made on 2025-06-05 changing nothing: "
            "reject that one too (--entry 2025-06-05)") in result.stderr
    ok(root, "reject", "harbour", "--entry", "2025-06-01", "--entry", "2025-06-05", "--by", "bob", "--why", "no")
    assert "corrections" not in data(root)["priorities"][0] or not data(root)["priorities"][0]["corrections"]


def secret(root: Path) -> None:
    """An entry drafted on 2025-06-01 that reaches readers only when approved, on 2025-08-01."""
    ok(root, "update", "harbour/quay", "--status", "in_progress", "--date", "2025-06-01", "--note", "SECRETDRAFT",
       "--by", "ana")
    ok(root, "approve", "harbour", "--all", "--by", "bob", "--date", "2025-08-01")


def test_a_correction_dated_before_its_entry_reached_readers_is_refused(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    secret(root)
    result = run(root, "correct", "harbour/quay", "--entry", "2025-06-01", "--note", "NEWNOTE", "--why", "REASON",
                 "--by", "bob", "--date", "2025-07-01")
    assert result.exit_code == 1
    assert ("the correction is dated 2025-07-01, before the entry 2025-06-01 of priority harbour/quay reached "
            "readers (approved on 2025-08-01): date it 2025-08-01 or later") in result.stderr
    path = root / "policies" / "harbour.yaml"
    hand = ("    corrections:\n      - {date: 2025-07-01, entry: 2025-06-01, changes: {note: {was: SECRETDRAFT, "
            "now: NEWNOTE}}, why: REASON, by: bob, approved_by: ana, approved_on: 2025-07-02}\n")
    text = path.read_text().replace("  - id: ferry\n", hand + "  - id: ferry\n")
    path.write_text(text)
    line = text.splitlines().index(hand.splitlines()[1]) + 1
    result = run(root, "validate")
    assert result.exit_code == 1
    assert problems(result) == [
        f"policies/harbour.yaml:{line}:16: priorities[0].corrections[0].date: the correction is dated 2025-07-01, "
        "before the entry it corrects reached readers (approved on 2025-08-01): it would correct what no reader "
        "was shown"]


def test_corrections_reach_readers_only_with_their_record_and_the_corrections_before_them() -> None:
    day = dt.date

    def correction(on: dt.date, now: str, approved: dt.date | None, draft: bool = False) -> Correction:
        return Correction(on, {"note": FieldChange(now)}, "why", entry="2025-06-01", by="ana", draft=draft,
                          approved_by="bob" if approved else "", approved_on=approved)

    entry = Entry(day(2025, 6, 1), "in_progress", "SECRET", by="ana", draft=True, approved_by="bob",
                  approved_on=day(2025, 8, 1))
    early = correction(day(2025, 7, 1), "NEW", day(2025, 7, 2), draft=True)
    priority = Priority("p", "P", history=(entry,), corrections=(early,))
    assert priority.corrections_until(day(2025, 7, 15)) == []  # its entry was not published yet
    assert priority.corrections_until(day(2025, 8, 1)) == [early]
    waiting = correction(day(2025, 8, 2), "B", None, draft=True)
    built = correction(day(2025, 8, 3), "C", day(2025, 8, 4), draft=True)
    priority = Priority("p", "P", history=(entry,), corrections=(early, waiting, built))
    assert priority.corrections_until(day(2025, 9, 1)) == [early]
    assert priority.history_until(day(2025, 9, 1))[0].note == "NEW"


def test_an_approval_dated_before_the_draft_is_refused_by_approve_and_by_validation(tmp_path: Path) -> None:
    root = workspace(tmp_path, REVIEWED)
    ok(root, "update", "harbour/quay", "--status", "at_risk", "--note", "Cracks.", "--date", "2025-05-01",
       "--by", "ana")
    ok(root, "milestone", "harbour/quay/piles", "--done", "2025-05-03", "--by", "ana")
    for day in ("2025-04-30", "2025-05-02"):  # before the entry; before the milestone's completion
        result = run(root, "approve", "harbour", "--all", "--by", "bob", "--date", day)
        assert result.exit_code == 1
        assert f"the approval is dated {day}, before the draft itself (2025-05-0" in result.stderr
    ok(root, "approve", "harbour", "--all", "--by", "bob", "--date", "2025-05-03")
    path = root / "policies" / "harbour.yaml"
    path.write_text(path.read_text().replace("approved_on: 2025-05-03", "approved_on: 2025-04-01"))
    result = run(root, "validate")
    assert result.exit_code == 1
    assert [line.split(": ", 2)[2] for line in problems(result)] == [
        "the entry is approved on 2025-04-01, before its own date (2025-05-01)",
        "the milestone completion is approved on 2025-04-01, before its own date (2025-05-03)"]


def test_a_correction_dated_before_a_later_correction_of_its_entry_is_refused_in_so_many_words(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR)
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "NOTEB", "--why", "w", "--date", "2025-06-05")
    before = (root / "policies" / "harbour.yaml").read_bytes()
    for day in ("2025-06-01", "2025-06-04"):
        result = run(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "NOTEC", "--why", "w",
                     "--date", day)
        assert result.exit_code == 1
        assert result.stderr == ("error: the entry 2025-03-01 of priority harbour/quay already has a correction dated "
                                 "2025-06-05; a new one goes after it in the chain of corrections: date it 2025-06-05 "
                                 "or later\n")
    assert (root / "policies" / "harbour.yaml").read_bytes() == before
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "NOTEC", "--why", "w", "--date", "2025-06-05")
    assert [c["changes"]["note"] for c in data(root)["priorities"][0]["corrections"]] == [
        {"was": "Piles driven.", "now": "NOTEB"}, {"was": "NOTEB", "now": "NOTEC"}]
    # Written by hand before it, the later one's `was` is named as the chain now gives it.
    path = root / "policies" / "harbour.yaml"
    text = path.read_text().replace("    corrections:\n", "    corrections:\n      - {date: 2025-06-02, entry: 2025-03-01, "
                                    "changes: {note: {was: Piles driven., now: EARLY}}, why: w}\n", 1)
    path.write_text(text)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert [line.split(": ", 2)[2] for line in problems(result)] == [
        "the entry said 'EARLY' before this correction (as the correction of 2025-06-02 left it), not 'Piles driven.'"]


@pytest.mark.parametrize("approver", [
    "Ana Mari\u0301a",  # NFD: a combining acute accent
    "ANA MARÍA", "  ana   maría ", "Ana\u00a0María", "Ana\u200b María", "\uff21na María",  # fullwidth A
])
def test_nobody_approves_their_own_draft_whatever_the_unicode_form_of_their_name(tmp_path: Path,
                                                                               approver: str) -> None:
    root = workspace(tmp_path, REVIEWED)
    ok(root, "update", "harbour/quay", "--status", "at_risk", "--note", "Cracks.", "--date", "2025-05-01",
       "--by", "Ana Mar\u00eda")
    result = run(root, "approve", "harbour", "--all", "--by", approver, "--date", "2025-05-02")
    assert result.exit_code == 1
    assert "cannot approve their own draft" in result.stderr
    path = root / "policies" / "harbour.yaml"
    path.write_text(path.read_text().replace("draft: true", f'approved_by: "{approver}", approved_on: 2025-05-02'))
    result = run(root, "validate")
    assert result.exit_code == 1 and "approved by its own author" in result.stderr


def test_a_corrected_record_whose_date_has_several_is_named_with_its_number(tmp_path: Path) -> None:
    text = HARBOUR.replace("          - {date: 2025-02-01, value: 4, source: gazette}\n",
                           "          - {date: 2025-02-01, value: 4, source: gazette}\n"
                           "          - {date: 2025-02-01, value: 5, note: Revised count.}\n").replace(
        "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n",
        "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n"
        "      - {date: 2025-03-01, status: at_risk, note: Cracks.}\n")
    root = workspace(tmp_path, text)
    ok(root, "correct", "harbour/quay/berths", "--observation", "2025-02-01#2", "--value", "6", "--why", "Recount.",
       "--date", "2025-03-05")
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01#1", "--note", "Piles done.", "--why", "Typo.",
       "--date", "2025-03-06")
    programme = Workspace.at(root).load_all()[0]
    lines = emailed(Language(programme, programme.language), dt.date(2025, 3, 2), dt.date(2025, 4, 1))
    assert [line.split(": ", 2)[1] for line in lines] == [
        "Rebuild the quay, Berths open, the figure of 2025-02-01#2", "Rebuild the quay, the status entry of 2025-03-01#1"]
    report(root, "2025-04-01")
    shown = html_text(edition(root, "2025-04-01"))
    assert "the figure of 2025-02-01#2" in shown and "the status entry of 2025-03-01#1" in shown


TWICE = HARBOUR.replace("          - {date: 2025-02-01, value: 4, source: gazette}\n",
                        "          - {date: 2025-02-01, value: 4, source: gazette}\n"
                        "          - {date: 2025-02-01, value: 5}\n").replace(
    "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n",
    "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n"
    "      - {date: 2025-03-01, status: at_risk, note: Cracks.}\n")


@pytest.mark.parametrize("correction, field, message", [
    ("{date: 2025-04-01, entry: 2025-03-01, changes: {note: {was: Piles driven., now: x}}, why: w}", "entry",
     "priority 'quay' has 2 entries dated 2025-03-01: name the one corrected as 2025-03-01#1, 2025-03-01#2"),
    ("{date: 2025-04-01, indicator: berths, observation: 2025-02-01, changes: {value: {was: 4, now: 3}}, why: w}",
     "observation",
     "indicator 'berths' has 2 observations dated 2025-02-01: name the one corrected as 2025-02-01#1, 2025-02-01#2"),
])
def test_a_hand_written_correction_naming_an_ambiguous_date_is_refused(tmp_path: Path, correction: str, field: str,
                                                                      message: str) -> None:
    hand = f"    corrections:\n      - {correction}\n"
    text = TWICE.replace("  - id: ferry\n", hand + "  - id: ferry\n")
    root = workspace(tmp_path, text)
    result = run(root, "validate")
    assert result.exit_code == 1
    line = text.splitlines().index(hand.splitlines()[1]) + 1
    [problem] = problems(result)
    assert problem.startswith(f"policies/harbour.yaml:{line}:") and problem.endswith(
        f": priorities[0].corrections[0].{field}: {message}")
    fixed = text.replace("entry: 2025-03-01,", "entry: 2025-03-01#1,").replace("observation: 2025-02-01,",
                                                                              "observation: 2025-02-01#1,")
    (root / "policies" / "harbour.yaml").write_text(fixed)
    assert run(root, "validate").exit_code == 0


def test_a_second_record_of_a_date_a_correction_names_pins_the_correction_to_the_first(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR)
    ok(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "Piles done.", "--why", "w",
       "--date", "2025-03-05")
    ok(root, "correct", "harbour/quay/berths", "--observation", "2025-02-01", "--value", "3", "--why", "w",
       "--date", "2025-03-05")
    ok(root, "update", "harbour/quay", "--status", "at_risk", "--note", "Cracks.", "--date", "2025-03-01")
    ok(root, "record", "harbour/quay/berths", "5", "--date", "2025-02-01")
    [entry_fix, figure_fix] = data(root)["priorities"][0]["corrections"]
    assert entry_fix["entry"] == "2025-03-01#1" and figure_fix["observation"] == "2025-02-01#1"
    assert run(root, "validate").exit_code == 0
