"""Corrections in the open: `tracker correct` appends a dated, explained correction; the entry stays
as written; editions before its date show the original and regenerate byte for byte; editions
from its date on show the corrected value, "corrected on DATE" with the reason, the Corrections
section and the appendix; `tracker history` and the email name them."""
from __future__ import annotations

import datetime as dt
import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.edit_helpers import added_lines
from tests.trust_support import HARBOUR, data, edition, html_text, problems, report, run, section, workspace
from tracker.model.workspace import Workspace
from tracker.report.run.snapshot import snapshot

FIX = ("correct", "harbour/quay", "--entry", "2025-03-01", "--status", "at_risk", "--note", "Piles cracked.",
       "--why", "The March site report was misread.", "--by", "Ana", "--date", "2025-04-01")


def test_correct_appends_a_correction_and_leaves_the_entry_as_written(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    before = (root / "policies" / "harbour.yaml").read_text()
    result = run(root, *FIX)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("policies/harbour.yaml: harbour/quay: entry 2025-03-01 corrected on 2025-04-01 "
                             "(status: in_progress -> at_risk; note: Piles driven. -> Piles cracked.)\n")
    after = (root / "policies" / "harbour.yaml").read_text()
    added = added_lines(before, after)  # nothing of the file changed or moved: the entry, its comment
    assert "".join(added).startswith("    corrections:\n")
    quay = data(root)["priorities"][0]
    assert quay["history"][1] == {"date": "2025-03-01", "status": "in_progress", "note": "Piles driven."} or \
        quay["history"][1] == {"date": dt.date(2025, 3, 1), "status": "in_progress", "note": "Piles driven."}
    [correction] = quay["corrections"]
    assert correction == {"date": dt.date(2025, 4, 1), "entry": dt.date(2025, 3, 1),
                          "changes": {"status": {"was": "in_progress", "now": "at_risk"},
                                      "note": {"was": "Piles driven.", "now": "Piles cracked."}},
                          "why": "The March site report was misread.", "by": "Ana"}
    assert run(root, "validate").exit_code == 0


def test_editions_apply_a_correction_from_its_date_and_old_ones_regenerate_byte_identical(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    report(root, "2025-03-31")
    old = edition(root, "2025-03-31").read_bytes()
    programme = Workspace.at(root).programme("harbour")
    old_snapshot = snapshot(programme, dt.date(2025, 3, 31), "policies/harbour.yaml")

    assert run(root, *FIX).exit_code == 0
    # Before the correction's date: what was said then, byte for byte (HTML and the PDF's attachment).
    report(root, "2025-03-31", "--force")
    assert edition(root, "2025-03-31").read_bytes() == old
    programme = Workspace.at(root).programme("harbour")
    assert snapshot(programme, dt.date(2025, 3, 31), "policies/harbour.yaml") == old_snapshot
    text = html_text(edition(root, "2025-03-31"))
    quay = section(text, "Rebuild the quay Status:", "Start a ferry Status:")
    assert "2025-03-01 In progress current status Piles driven." in quay
    assert "Piles cracked." not in text and "corrected on 2025" not in text

    # From its date: the corrected value, marked, with the reason.
    report(root, "2025-04-01")
    text = html_text(edition(root, "2025-04-01"))
    quay = section(text, "Rebuild the quay Status:", "Start a ferry Status:")
    assert "Status: At risk" in quay
    assert ("2025-03-01 At risk current status Piles cracked. Assessment corrected on 2025-04-01: "
            "The March site report was misread.") in quay
    assert "Piles driven." not in quay
    corrections = section(text, "Corrections Earlier", "Rebuild the quay Status:")
    assert ("2025-04-01 Rebuild the quay: the status entry of 2025-03-01 Field Was Now Status In progress At risk "
            "Note Piles driven. Piles cracked. Why: The March site report was misread. Corrected by Ana.") in corrections
    appendix = text[text.index("Appendix: corrections log Every correction"):]
    assert "2025-04-01 Rebuild the quay: the status entry of 2025-03-01" in appendix
    changed = section(text, "What changed since the previous edition Changes", "Corrections Earlier")
    assert "Status corrected from In progress to At risk on 2025-04-01: The March site report was misread." in changed
    # The next edition: the correction is in the log, no longer among the recent ones.
    report(root, "2025-05-01")
    text = html_text(edition(root, "2025-05-01"))
    assert "Corrections No correction was made after 2025-04-01; earlier corrections are in the appendix." in text
    assert "Appendix: corrections log Every correction made up to 2025-05-01, oldest first. 2025-04-01" in text


def test_observation_corrections_apply_by_date(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    result = run(root, "correct", "harbour/quay/berths", "--observation", "2025-02-01", "--value", "3",
                 "--why", "Two berths were counted twice.", "--date", "2025-02-10", "--by", "Ana")
    assert result.exit_code == 0, result.stderr
    [correction] = data(root)["priorities"][0]["corrections"]
    assert correction["indicator"] == "berths" and correction["observation"] == dt.date(2025, 2, 1)
    assert correction["changes"] == {"value": {"was": 4, "now": 3}}
    berths = Workspace.at(root).programme("harbour").priorities[0].indicators[0]
    assert [o.value for o in berths.observations_until(dt.date(2025, 2, 9))] == [4]
    assert [o.value for o in berths.observations_until(dt.date(2025, 2, 10))] == [3]
    report(root, "2025-02-09")
    report(root, "2025-02-10")
    assert "Observation 2025-02-01 4 berths" in html_text(edition(root, "2025-02-09"))
    assert ("Observation 2025-02-01 3 berths [1] Figure corrected on 2025-02-10: Two berths were counted twice."
            in html_text(edition(root, "2025-02-10")))


@pytest.mark.parametrize("args, message", [
    (("--entry", "2025-03-02", "--status", "at_risk"),
     "error: no entry dated 2025-03-02 in priority harbour/quay; its entries are dated 2025-01-10, 2025-03-01"),
    (("--entry", "2025-03-01", "--status", "in_progress"),
     "error: the correction changes nothing: the entry 2025-03-01 of priority harbour/quay already says status "
     "'in_progress'"),
    (("--entry", "2025-03-01", "--status", "at_risk", "--date", "2025-02-01"),
     "error: the correction is dated 2025-02-01, before the entry it corrects (2025-03-01)"),
    (("--entry", "2025-03-01", "--status", "achieved"),
     "policies/harbour.yaml:28:11: priorities[0].corrections[0].changes: the corrected entry has status 'achieved', "
     "which must cite at least one source"),
    (("--entry", "2025-03-01", "--status", "stalld"),
     "error: unknown status 'stalld' in programme 'harbour'; expected one of not_started, in_progress, at_risk, "
     "stalled, unverifiable, achieved, partly_achieved, abandoned; did you mean 'stalled'?"),
    (("--entry", "2025-03-01#2", "--status", "at_risk"),
     "error: no entry 2025-03-01#2 in priority harbour/quay: it has 1 dated 2025-03-01"),
])
def test_a_bad_correction_writes_nothing(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    root = workspace(tmp_path)
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "correct", "harbour/quay", *args, "--why", "Because.", *(() if "--date" in args else
                                                                                ("--date", "2025-04-01")))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message]
    assert (root / "policies" / "harbour.yaml").read_bytes() == before


@pytest.mark.parametrize("args", [
    ("harbour/quay", "--entry", "2025-03-01", "--status", "at_risk", "--yes"),  # no --why
    ("harbour/quay", "--entry", "2025-03-01", "--why", "x"),  # nothing to change
    ("harbour/quay", "--status", "at_risk", "--why", "x"),  # no --entry
    ("harbour/quay/berths", "--entry", "2025-03-01", "--value", "3", "--why", "x"),
    ("harbour/quay", "--entry", "2025-13-01", "--status", "at_risk", "--why", "x"),
])
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = workspace(tmp_path)
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "correct", *args)
    assert result.exit_code == 2, result.stderr
    assert (root / "policies" / "harbour.yaml").read_bytes() == before


def test_a_date_with_several_entries_is_named_by_number(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR.replace(
        "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n",
        "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n"
        "      - {date: 2025-03-01, status: at_risk, note: Then a crack.}\n"))
    result = run(root, "correct", "harbour/quay", "--entry", "2025-03-01", "--note", "x", "--why", "y",
                 "--date", "2025-04-01")
    assert result.exit_code == 1
    assert result.stderr == ("error: priority harbour/quay has 2 entries dated 2025-03-01: name one as "
                             "2025-03-01#1, 2025-03-01#2\n")
    result = run(root, "correct", "harbour/quay", "--entry", "2025-03-01#2", "--note", "Then a large crack.",
                 "--why", "The size matters.", "--date", "2025-04-01")
    assert result.exit_code == 0, result.stderr
    assert data(root)["priorities"][0]["corrections"][0]["entry"] == "2025-03-01#2"
    history = Workspace.at(root).programme("harbour").priorities[0].history_until(dt.date(2025, 4, 1))
    assert [e.note for e in history] == ["Works began.", "Piles driven.", "Then a large crack."]


@pytest.mark.parametrize("correction, message", [
    ("{date: 2025-04-01, entry: 2025-03-02, changes: {status: {now: at_risk}}, why: W}",
     "priorities[0].corrections[0].entry: names no existing history entry: priority 'quay' has no history "
     "entry dated 2025-03-02"),
    ("{date: 2025-04-01, entry: 2025-03-01, changes: {status: {was: in_progress, now: in_progress}}, why: W}",
     "priorities[0].corrections[0].changes.status.now: changes nothing: the entry already says 'in_progress'"),
    ("{date: 2025-04-01, entry: 2025-03-01, changes: {status: {now: at_risk}}}",
     "priorities[0].corrections[0].why: missing required field 'why' of the correction"),
    ("{date: 2025-02-01, entry: 2025-03-01, changes: {status: {was: in_progress, now: at_risk}}, why: W}",
     "priorities[0].corrections[0].date: the correction is dated 2025-02-01, before the entry it corrects "
     "(2025-03-01)"),
    ("{date: 2025-04-01, entry: 2025-03-01, changes: {status: {was: stalled, now: at_risk}}, why: W}",
     "priorities[0].corrections[0].changes.status.was: the entry said 'in_progress' before this correction, "
     "not 'stalled'"),
    ("{date: 2025-04-01, entry: 2025-03-01, changes: {value: {now: 3}}, why: W}",
     "priorities[0].corrections[0].changes.value: a correction of an entry may change status, note, sources, "
     "reason, not 'value'"),
    ("{date: 2025-04-01, entry: 2025-03-01, changes: {}, why: W}",
     "priorities[0].corrections[0].changes: changes nothing: name at least one field of the entry and what it "
     "says now"),
    ("{date: 2025-04-01, indicator: berth, observation: 2025-02-01, changes: {value: {now: 3}}, why: W}",
     "priorities[0].corrections[0].indicator: unknown indicator 'berth' in priority 'quay'; did you mean "
     "'berths'?"),
    ("{date: 2025-04-01, indicator: berths, observation: 2025-02-02, changes: {value: {now: 3}}, why: W}",
     "priorities[0].corrections[0].observation: names no existing observation: indicator 'berths' has no "
     "observation dated 2025-02-02"),
])
def test_validation_of_hand_written_corrections(tmp_path: Path, correction: str, message: str) -> None:
    text = HARBOUR.replace("  - id: ferry\n", f"    corrections:\n      - {correction}\n  - id: ferry\n")
    root = workspace(tmp_path, text)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in problems(result)] == [message], result.stderr


def test_history_shows_corrections(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    assert run(root, *FIX).exit_code == 0
    table = run(root, "history", "harbour/quay").stdout
    assert ("2025-04-01  correction   2025-03-01   corrected the status entry of 2025-03-01: status In progress -> "
            "At risk; note Piles driven. -> Pi...") in table
    events = json.loads(run(root, "history", "harbour/quay", "--json").stdout)["events"]
    assert events[-1] == {"date": "2025-04-01", "kind": "correction", "entry": "2025-03-01", "indicator": None,
                          "observation": None,
                          "changes": {"status": {"was": "in_progress", "now": "at_risk"},
                                      "note": {"was": "Piles driven.", "now": "Piles cracked."}},
                          "why": "The March site report was misread.", "by": "Ana"}
    # The entry itself is shown as it was written.
    assert events[2]["note"] == "Piles driven."


def test_the_email_names_corrections_since_the_last_one_sent(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "policies" / "distribution.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 2525, security: none}\nsender: desk@example.org\n"
        "recipients:\n  harbour: [{address: reader@example.org}]\n", encoding="utf-8")
    assert run(root, "correct", "harbour/quay/berths", "--observation", "2025-02-01", "--value", "3",
               "--why", "Counted twice.", "--date", "2025-03-15").exit_code == 0
    assert run(root, *FIX).exit_code == 0
    folder = root / "reports" / "harbour"
    folder.mkdir(parents=True)
    (folder / "deliveries.jsonl").write_text(json.dumps({
        "edition": "2025-03-31", "programme": "harbour", "recipient": "reader@example.org",
        "time": "2025-03-31T08:00:00Z", "result": "delivered", "message_id": "<x@example.org>"}) + "\n")
    (folder / "harbour-2025-04-30.pdf").write_bytes(b"%PDF-1.4 stand-in\n")  # no render needed
    result = run(root, "distribute", "--as-of", "2025-04-30", "--dry-run")
    assert result.exit_code == 0, result.stderr
    [eml] = (root / "reports" / "outbox").glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert ("Corrections since the last edition sent (2025-03-31):\n"
            "- 2025-04-01: Rebuild the quay, the status entry of 2025-03-01: status was In progress, now At risk; "
            "note was Piles driven., now Piles cracked.. Why: The March site report was misread.\n") in body
    assert "Counted twice" not in body  # corrected before the last edition sent
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Corrections since the last edition sent" in html and "The March site report was misread." in html
