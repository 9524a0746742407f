"""Why a priority stalled (`reason:` from the programme's reasons), "cannot be verified", and the
method version printed on every edition, with a change of it in "what changed"."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.trust_support import HARBOUR, data, edition, html_text, problems, report, run, section, workspace
from tracker.model.statuses import DEFAULT_REASONS, DEFAULT_STATUSES


def test_default_vocabularies() -> None:
    assert [r.id for r in DEFAULT_REASONS] == ["not_prioritised", "reversed", "lacks_funding", "partner_withdrew",
                                               "external_shock", "superseded", "already_done", "other"]
    assert all(r.label and r.definition for r in DEFAULT_REASONS)
    [unverifiable] = [s for s in DEFAULT_STATUSES if s.id == "unverifiable"]
    assert unverifiable.definition.startswith(
        "No public evidence either way: the claim can be neither confirmed nor refuted")
    assert unverifiable.needs_note and not unverifiable.final


def test_update_records_a_reason_from_the_vocabulary(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    before = (root / "policies" / "harbour.yaml").read_bytes()
    result = run(root, "update", "harbour/quay", "--status", "stalled", "--note", "Money ran out.",
                 "--reason", "lacks_fundng", "--date", "2025-04-01")
    assert result.exit_code == 1
    assert result.stderr == ("error: unknown reason 'lacks_fundng' in programme 'harbour'; expected one of "
                             "not_prioritised, reversed, lacks_funding, partner_withdrew, external_shock, superseded, "
                             "already_done, other; did you mean 'lacks_funding'?\n")
    assert (root / "policies" / "harbour.yaml").read_bytes() == before
    result = run(root, "update", "harbour/quay", "--status", "stalled", "--note", "Money ran out.",
                 "--reason", "lacks_funding", "--date", "2025-04-01")
    assert result.exit_code == 0, result.stderr
    assert data(root)["priorities"][0]["history"][-1] == {
        "date": dt.date(2025, 4, 1), "status": "stalled", "note": "Money ran out.", "reason": "lacks_funding"}


def test_a_programme_may_replace_the_reasons(tmp_path: Path) -> None:
    text = HARBOUR.replace("sources:\n", "reasons:\n  - {id: no_majority, label: No majority, definition: "
                                         "Parliament voted it down.}\nsources:\n", 1)
    root = workspace(tmp_path, text)
    result = run(root, "validate")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in problems(result)] == [
        "priorities[1].history[0].reason: expected one of no_majority but got 'lacks_funding'"]
    root = workspace(tmp_path, text.replace("reason: lacks_funding", "reason: no_majority"))
    assert run(root, "validate").exit_code == 0


def test_unverifiable_needs_a_note(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    result = run(root, "update", "harbour/quay", "--status", "unverifiable", "--note", " ", "--date", "2025-04-01")
    assert result.exit_code == 1
    assert "an entry with status 'unverifiable' must carry a note saying why" in result.stderr
    result = run(root, "update", "harbour/quay", "--status", "unverifiable", "--date", "2025-04-01",
                 "--note", "The port authority publishes nothing.")
    assert result.exit_code == 0, result.stderr
    report(root, "2025-04-30")
    text = html_text(edition(root, "2025-04-30"))
    assert "Status: Cannot be verified since 2025-04-01" in text
    assert ("Cannot be verified means: No public evidence either way: the claim can be neither confirmed nor "
            "refuted") in text


def test_reports_show_reasons_and_count_troubled_priorities_by_reason(tmp_path: Path) -> None:
    root = workspace(tmp_path, HARBOUR.replace(
        "      - {date: 2025-03-01, status: in_progress, note: Piles driven.}\n",
        "      - {date: 2025-03-01, status: at_risk, note: Piles cracked., reason: external_shock}\n"))
    report(root, "2025-04-30")
    text = html_text(edition(root, "2025-04-30"))
    assert "Start a ferry Stalled Reason: Lacks funding since 2025-01-10" in text  # the summary row
    assert "Status: Stalled Reason: Lacks funding since 2025-01-10" in text  # the priority's section
    table = section(text, "Stalled, at-risk and abandoned priorities by reason", "What changed")
    assert table.startswith("Stalled, at-risk and abandoned priorities by reason, up to 2025-04-30 "
                            "Reason At risk Stalled Abandoned Total "
                            "Lacks funding 0 1 0 1 External shock 1 0 0 1 Total 1 1 0 2")
    method = text[text.index("Reasons A stalled"):]
    assert "Lacks funding The money needed has not been found, or has been cut." in method


def test_the_method_version_is_on_every_edition_and_its_change_in_what_changed(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    report(root, "2025-03-31")
    text = html_text(edition(root, "2025-03-31"))
    assert "Method Version 2026.1" in text  # the cover
    assert "This edition follows method version 2026.1." in text
    assert "progress up to 2025-03-31, method version 2026.1." in text  # the colophon
    path = root / "policies" / "harbour.yaml"
    path.write_text(path.read_text().replace('method_version: "2026.1"', 'method_version: "2026.2"'))
    report(root, "2025-04-30")
    changed = section(html_text(edition(root, "2025-04-30")), "What changed since the previous edition Changes",
                      "Corrections")
    assert "Method The method changed from version 2026.1 to version 2026.2: see the Method section." in changed
    # Without the earlier edition's manifest, its HTML says which version it followed.
    (root / "reports" / "harbour" / ".harbour-2025-03-31.inputs.json").unlink()
    (root / "reports" / "harbour" / "harbour-2025-04-30.html").unlink()
    report(root, "2025-04-30")
    assert "The method changed from version 2026.1 to version 2026.2" in html_text(edition(root, "2025-04-30"))
    # Same version: nothing said.
    report(root, "2025-05-31")
    assert "The method changed" not in html_text(edition(root, "2025-05-31"))


@pytest.mark.parametrize("written, shown", [('"2027"', "2027"), ('"2026.10"', "2026.10"), ("v3 (2026)", "v3 (2026)")])
def test_method_version_is_free_text(tmp_path: Path, written: str, shown: str) -> None:
    root = workspace(tmp_path, HARBOUR.replace('method_version: "2026.1"', f"method_version: {written}"))
    report(root, "2025-03-31")
    assert f"This edition follows method version {shown}." in html_text(edition(root, "2025-03-31"))


@pytest.mark.parametrize("written", ["2026.10", "2027", "1e3", "0x1F", "-2.50", "2026.1"])
def test_a_method_version_yaml_reads_as_a_number_is_refused_with_a_hint_to_quote_it(tmp_path: Path,
                                                                                   written: str) -> None:
    root = workspace(tmp_path, HARBOUR.replace('method_version: "2026.1"', f"method_version:  {written}"))
    result = run(root, "validate")
    assert result.exit_code == 1
    [problem] = problems(result)
    assert problem.startswith("policies/harbour.yaml:5:18: method_version: expected text but got the number ")
    assert problem.endswith(f"YAML reads {written} written without quotes as a number; write it in quotes, "
                            f'"{written}"')
    assert run(root, "report", "--as-of", "2025-03-31", "--format", "html").exit_code == 1  # nothing rendered


def test_an_edition_keeps_the_method_version_it_was_made_with(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    report(root, "2025-03-31")
    path = edition(root, "2025-03-31")
    first = path.read_bytes()
    programme = root / "policies" / "harbour.yaml"
    programme.write_text(programme.read_text().replace('method_version: "2026.1"', 'method_version: "2026.2"'))
    for force in ((), ("--force",)):
        report(root, "2025-03-31", *force)
        assert path.read_bytes() == first  # regenerated byte for byte: still 2026.1
    report(root, "2025-04-30")
    later = html_text(edition(root, "2025-04-30"))
    assert "This edition follows method version 2026.2." in later
    assert "The method changed from version 2026.1 to version 2026.2" in later
    for name in ("harbour-2025-03-31.html", ".harbour-2025-03-31.inputs.json"):  # to restate it: delete it
        (root / "reports" / "harbour" / name).unlink()
    report(root, "2025-03-31")
    assert "This edition follows method version 2026.2." in html_text(path)
