"""The rules of a programme file, each with its exact message and location."""
from __future__ import annotations

import pytest

from tests.conftest import MINIMAL, run


def problems(workspace, text: str, name: str = "demo.yaml") -> list[str]:
    root = workspace({name: text})
    result = run("validate", root=root)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        return []
    assert result.exit_code == 1
    return result.stderr.strip().splitlines()


def test_minimal_programme_is_valid(workspace) -> None:
    root = workspace({"demo.yaml": MINIMAL})
    result = run("validate", root=root)
    assert result.exit_code == 0, result.output
    assert result.stderr == "1 programme(s), 2 priorities: valid\n"


@pytest.mark.parametrize("old, new, expected", [
    ("status: in_progress, note: Tender", "status: don, note: Tender",
     "policies/demo.yaml:13:36: priorities[0].history[1].status: expected one of not_started, in_progress, "
     "at_risk, stalled, unverifiable, achieved, partly_achieved, abandoned but got 'don'"),
    ("status: in_progress, note: Tender", "status: achived, note: Tender",
     "policies/demo.yaml:13:36: priorities[0].history[1].status: expected one of not_started, in_progress, "
     "at_risk, stalled, unverifiable, achieved, partly_achieved, abandoned but got 'achived'; did you mean 'achieved'?"),
    ("status: in_progress, note: Tender published., sources: [gazette]", "status: achieved, note: Done.",
     "policies/demo.yaml:13:9: priorities[0].history[1].sources: an entry with status 'achieved' must cite at least one source"),
    ("status: in_progress, note: Tender published., sources: [gazette]", "status: partly_achieved",
     "policies/demo.yaml:13:9: priorities[0].history[1].sources: an entry with status 'partly_achieved' must cite at least one source"),
    ("status: at_risk, note: Budget cut.", "status: at_risk",
     "policies/demo.yaml:28:9: priorities[1].history[0].note: an entry with status 'at_risk' must carry a note saying why"),
    ("status: at_risk, note: Budget cut.", "status: stalled",
     "policies/demo.yaml:28:9: priorities[1].history[0].note: an entry with status 'stalled' must carry a note saying why"),
    ("sources: [gazette]}\n    milestones", "sources: [gazete]}\n    milestones",
     "policies/demo.yaml:13:84: priorities[0].history[1].sources[0]: unknown source 'gazete'; did you mean 'gazette'? "
     "(cite an id from the programme's sources, or a URL)"),
    ("{date: 2024-01-01, status: not_started}", "{date: 2024-01-01, status: not_started, sources: [\"https://example.org/x\"]}",
     None),
    ("{date: 2024-01-01, status: not_started}", "{date: 2024-02-30, status: not_started}",
     "policies/demo.yaml:12:16: priorities[0].history[0].date: expected a real date written YYYY-MM-DD but got '2024-02-30'"),
    ("{date: 2024-01-01, status: not_started}", "{date: 01/02/2024, status: not_started}",
     "policies/demo.yaml:12:16: priorities[0].history[0].date: expected a real date written YYYY-MM-DD but got '01/02/2024'"),
    ("{date: 2024-01-01, status: not_started}", "{date: 2024-01-01, stauts: not_started}",
     "policies/demo.yaml:12:9: priorities[0].history[0].status: missing required field 'status' of the history entry\n"
     "policies/demo.yaml:12:28: priorities[0].history[0].stauts: unknown field 'stauts'; did you mean 'status'?"),
    ("  - id: schools", "  - id: ../schools",
     "policies/demo.yaml:25:9: priorities[1].id: expected an id of lowercase letters, digits and single hyphens "
     "(at most 64 characters) but got '../schools'"),
    ("  - id: schools", "  - id: roads",
     "policies/demo.yaml:25:9: priorities[1].id: duplicate id 'roads' (first used on line 9)"),
    ("{id: contract,", "{id: tender,",
     "policies/demo.yaml:16:14: priorities[0].milestones[1].id: duplicate id 'tender' (first used on line 15)"),
    ("review_every_days: 90", "review_every_days: soon",
     "policies/demo.yaml:5:20: review_every_days: expected a whole number but got 'soon'"),
    ("value: 12,", "value: twelve,",
     "policies/demo.yaml:24:39: priorities[0].indicators[0].observations[0].value: expected a number but got 'twelve'"),
    ("title: Build roads", "title: [Build, roads]",
     "policies/demo.yaml:10:12: priorities[0].title: expected text but got a list"),
    ("kind: official}", "kind: blog}",
     "policies/demo.yaml:7:125: sources[0].kind: expected one of official, press, reprint, other but got 'blog'"),
    ('url: "https://example.org/gazette"', 'url: "javascript:alert(1)"',
     "policies/demo.yaml:7:88: sources[0].url: expected an http:// or https:// URL but got 'javascript:alert(1)'"),
    ("owner: Test Desk", "ownr: Test Desk",
     "policies/demo.yaml:4:1: ownr: unknown field 'ownr'; did you mean 'owner'?"),
    ("target: {date: 2026-01-01, value: 100}", "target: {date: 2023-01-01, value: 100}",
     "policies/demo.yaml:22:24: priorities[0].indicators[0].target.date: target date 2023-01-01 must be after the baseline date 2024-01-01"),
], ids=lambda v: v[:30] if isinstance(v, str) else None)
def test_rule(workspace, old: str, new: str, expected: str | None) -> None:
    assert old in MINIMAL
    found = problems(workspace, MINIMAL.replace(old, new, 1))
    assert found == (expected.split("\n") if expected else [])


def test_every_problem_is_reported_not_the_first(workspace) -> None:
    text = (MINIMAL.replace("status: not_started}", "status: don}")
            .replace("status: at_risk, note: Budget cut.", "status: at_risk")
            .replace("owner: Test Desk", "ownr: x"))
    found = problems(workspace, text)
    assert [line.split(": ")[1] for line in found] == [
        "ownr", "priorities[0].history[0].status", "priorities[1].history[0].note"]


def test_missing_required_top_level_fields(workspace) -> None:
    assert problems(workspace, "summary: nothing else\n") == [
        "policies/demo.yaml:1:1: id: missing required field 'id' of the programme",
        "policies/demo.yaml:1:1: priorities: missing required field 'priorities' of the programme",
        "policies/demo.yaml:1:1: title: missing required field 'title' of the programme",
    ]


def test_empty_required_value(workspace) -> None:
    assert problems(workspace, MINIMAL.replace("title: Demo programme", "title:")) == [
        "policies/demo.yaml:2:7: title: required field 'title' is empty"]


def test_own_status_vocabulary(workspace) -> None:
    text = MINIMAL.replace("priorities:\n", """\
statuses:
  - {id: green, label: Green, colour: "#1e6b34", definition: On track., rank: 2}
  - {id: red, label: Red, colour: "#a4262c", definition: Off track., rank: 0, needs_note: true}
priorities:
""", 1)
    found = problems(workspace, text)
    assert found[0].endswith("priorities[0].history[0].status: expected one of green, red but got 'not_started'")
    fixed = (text.replace("status: not_started}", "status: green}")
             .replace("status: in_progress,", "status: green,")
             .replace("status: at_risk, note: Budget cut.", "status: red"))
    assert problems(workspace, fixed) == [
        "policies/demo.yaml:31:9: priorities[1].history[0].note: an entry with status 'red' must carry a note saying why"]


def test_duplicate_programme_ids_across_files(workspace) -> None:
    root = workspace({"a.yaml": MINIMAL, "b.yaml": MINIMAL})
    result = run("validate", root=root)
    assert result.exit_code == 1
    assert result.stderr.strip() == "policies/b.yaml:1:5: id: programme id 'demo' is already used by policies/a.yaml"


def test_problems_of_several_files_are_all_reported(workspace) -> None:
    root = workspace({"a.yaml": "id: [\n", "b.yaml": MINIMAL.replace("status: not_started}", "status: x}")})
    lines = run("validate", root=root).stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["policies/a.yaml", "policies/b.yaml"]


def test_distribution_settings_are_validated_with_the_programmes(workspace) -> None:
    settings = ("smtp: {host: localhost, security: none}\nsender: desk@example.org\n"
                "recipients:\n  demo:\n    - {address: reader@example.org}\n")
    root = workspace({"demo.yaml": MINIMAL, "distribution.yaml": settings})
    assert run("validate", root=root).stderr == "1 programme(s), 2 priorities, distribution settings: valid\n"
    (root / "policies" / "distribution.yaml").write_text(settings.replace("demo:", "dmeo:").replace("sender", "sendr"))
    (root / "policies" / "demo.yaml").write_text(MINIMAL.replace("status: not_started}", "status: x}"))
    result = run("validate", root=root)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["policies/demo.yaml"] + ["policies/distribution.yaml"] * (len(lines) - 1)
    assert any("unknown field 'sendr'; did you mean 'sender'?" in line for line in lines)
    assert any("'dmeo'" in line and "did you mean 'demo'?" in line for line in lines)
