"""The editing commands: update, record, milestone, source add, history; rules, hints and exit codes."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from edit_helpers import TODAY, added_lines, make_workspace, run

from tracker.cli.records import edit as update_cli
from tracker.edit import roundtrip
from tracker.model.workspace import Workspace


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is TODAY for every command; no terminal unless a test says so."""
    monkeypatch.setattr(update_cli, "today", lambda: TODAY)
    monkeypatch.setattr(update_cli, "stdin_is_terminal", lambda: False)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    make_workspace(tmp_path)
    return tmp_path


def programme_file(root: Path) -> Path:
    return root / "policies" / "harbour.yaml"


def load(root: Path):
    return Workspace.at(root).load_file(programme_file(root))


# --- update -----------------------------------------------------------------------------------

def test_update_appends_an_entry_dated_today(ws: Path) -> None:
    result = run(ws, "update", "harbour/quay", "--status", "at_risk", "--note", "Cracks in the piles",
                 "--source", "paper-2024", "--source", "https://example.org/inspection", "--by", "Ana Lima")
    assert result.exit_code == 0, result.output
    assert result.stdout == "policies/harbour.yaml: harbour/quay: At risk (at_risk) on 2025-06-01\n"
    entry = load(ws).priority("quay").latest_entry(TODAY)
    assert (entry.date, entry.status, entry.note, entry.sources, entry.by) == (
        TODAY, "at_risk", "Cracks in the piles", ("paper-2024", "https://example.org/inspection"), "Ana Lima")


def test_update_with_a_date_back_fills_in_date_order(ws: Path) -> None:
    assert run(ws, "update", "harbour/quay", "--status", "in_progress", "--note", "Mid-way",
               "--date", "2023-07-01").exit_code == 0
    history = load(ws).priority("quay").history
    assert [e.date.isoformat() for e in history] == ["2023-01-10", "2023-07-01", "2024-03-15"]
    # The current status is still the latest entry.
    assert load(ws).priority("quay").latest_entry(TODAY).status == "in_progress"
    assert load(ws).priority("quay").latest_entry(dt.date(2023, 8, 1)).note == "Mid-way"


@pytest.mark.parametrize("args, message", [
    (["--status", "achieved", "--note", "Done"],
     "priorities[0].history[2].sources: an entry with status 'achieved' must cite at least one source"),
    (["--status", "partly_achieved", "--note", "Half"],
     "priorities[0].history[2].sources: an entry with status 'partly_achieved' must cite at least one source"),
    (["--status", "at_risk"],
     "priorities[0].history[2].note: an entry with status 'at_risk' must carry a note saying why"),
    (["--status", "stalled", "--note", "  "],
     "priorities[0].history[2].note: an entry with status 'stalled' must carry a note saying why"),
    (["--status", "in_progress", "--note", "x", "--source", "no-such-source"],
     "priorities[0].history[2].sources[0]: unknown source 'no-such-source'"),
    (["--status", "in_progress", "--note", "x", "--source", "paper-2023"],
     "unknown source 'paper-2023'; did you mean 'paper-2024'?"),
    (["--status", "in_progress", "--note", "x", "--by", "x" * 201],
     "priorities[0].history[2].by: text is longer than 200 characters"),
])
def test_rules_are_checked_before_writing_and_the_file_is_left_byte_identical(
        ws: Path, args: list[str], message: str) -> None:
    before = programme_file(ws).read_bytes()
    result = run(ws, "update", "harbour/quay", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("policies/harbour.yaml:") for line in lines), lines
    line, column = lines[0].split(":")[1:3]
    assert line.isdigit() and column.isdigit()
    assert programme_file(ws).read_bytes() == before
    assert result.stdout == ""


def test_rules_of_a_custom_vocabulary_apply(tmp_path: Path) -> None:
    text = (
        "id: custom\ntitle: Custom vocabulary\n"
        "statuses:\n"
        "  - {id: green, label: Green, colour: '#1e6b34', definition: On track.}\n"
        "  - {id: red, label: Red, colour: '#a4262c', definition: Off track., needs_note: true, needs_source: true}\n"
        "priorities:\n  - id: one\n    title: One\n"
    )
    make_workspace(tmp_path, text, "custom.yaml")
    before = (tmp_path / "policies" / "custom.yaml").read_bytes()
    result = run(tmp_path, "update", "custom/one", "--status", "red", "--note", "Late")
    assert result.exit_code == 1 and "'red' must cite at least one source" in result.stderr
    result = run(tmp_path, "update", "custom/one", "--status", "in_progress", "--note", "x")
    assert result.exit_code == 1
    assert "unknown status 'in_progress' in programme 'custom'; expected one of green, red" in result.stderr
    assert (tmp_path / "policies" / "custom.yaml").read_bytes() == before
    assert run(tmp_path, "update", "custom/one", "--status", "green", "--note", "Fine").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["update", "harbor/quay", "--status", "in_progress", "--note", "x"],
     "error: unknown programme 'harbor'; did you mean 'harbour'?"),
    (["update", "harbour/quays", "--status", "in_progress", "--note", "x"],
     "error: unknown priority 'quays' in programme 'harbour'; did you mean 'quay'?"),
    (["update", "harbour/quay", "--status", "in-progress", "--note", "x"],
     "error: unknown status 'in-progress' in programme 'harbour'; expected one of not_started, in_progress, "
     "at_risk, stalled, unverifiable, achieved, partly_achieved, abandoned; did you mean 'in_progress'?"),
    (["update", "harbour/quay", "--status", "done", "--note", "x"],
     "error: unknown status 'done' in programme 'harbour'"),
    (["record", "harbour/quay/berth", "3"],
     "error: unknown indicator 'berth' in priority harbour/quay; did you mean 'berths'?"),
    (["record", "harbour/ferry/berths", "3"],
     "error: unknown indicator 'berths' in priority harbour/ferry"),
    (["milestone", "harbour/quay/openng", "--done", "2025-01-01"],
     "error: unknown milestone 'openng' in priority harbour/quay; did you mean 'opening'?"),
    (["source", "add", "harbor", "--id", "x", "--title", "X"],
     "error: unknown programme 'harbor'; did you mean 'harbour'?"),
    (["history", "harbour/quai"], "error: unknown priority 'quai' in programme 'harbour'; did you mean 'quay'?"),
])
def test_unknown_references_are_bad_data_with_a_hint(ws: Path, args: list[str], message: str) -> None:
    before = programme_file(ws).read_bytes()
    result = run(ws, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(message)
    assert programme_file(ws).read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["update", "harbour", "--status", "in_progress", "--note", "x"], "expected PROGRAMME/PRIORITY"),
    (["update", "harbour/quay/extra", "--status", "in_progress", "--note", "x"], "expected PROGRAMME/PRIORITY"),
    (["update", "../x", "--status", "in_progress", "--note", "x"], "PROGRAMME must be an id"),
    (["update", "harbour/Quay", "--status", "in_progress", "--note", "x"], "PRIORITY must be an id"),
    (["update", "harbour/", "--status", "in_progress", "--note", "x"], "PRIORITY must be an id"),
    (["update", "harbour/quay", "--status", "in_progress", "--note", "x", "--date", "2025-02-30"],
     "expected a real date written YYYY-MM-DD"),
    (["update", "harbour/quay", "--status", "in_progress", "--note", "x", "--date", "yesterday"],
     "expected a real date"),
    (["update", "harbour/quay", "--status", "in_progress", "--note", "x", "--source", "not a url"],
     "expected a source id or an http(s) URL"),
    (["update", "harbour/quay", "--note", "x"], "Missing option '--status'"),
    (["update", "harbour/quay", "--status", "in_progress"], "Missing option '--note'"),
    (["update", "harbour/quay", "--status", "in_progress", "--note", "x", "--bogus"], "No such option"),
    (["record", "harbour/quay", "3"], "expected PROGRAMME/PRIORITY/INDICATOR"),
    (["record", "harbour/quay/berths", "many"], "expected a number such as 36 or 2.5 but got 'many'"),
    (["record", "harbour/quay/berths", "nan"], "expected a number"),
    (["record", "harbour/quay/berths", "1e999"], "too large"),
    (["record", "harbour/quay/berths"], "Missing argument 'VALUE'"),
    (["milestone", "harbour/quay/opening"], "Missing option '--done'"),
    (["milestone", "harbour/quay/opening", "--done", "2025-13-01"], "expected a real date"),
    (["milestone", "harbour/quay/../x", "--done", "2025-01-01"], "expected PROGRAMME/PRIORITY/MILESTONE"),
    (["source", "add", "harbour", "--title", "X"], "Missing option '--id'"),
    (["source", "add", "harbour", "--id", "x"], "Missing option '--title'"),
    (["source", "add", "harbour", "--id", "../x", "--title", "X"], "expected an id of lowercase letters"),
    (["source", "add", "harbour", "--id", "x", "--title", "X", "--url", "ftp://x"], "expected an http:// or https://"),
    (["source", "add", "harbour", "--id", "x", "--title", "X", "--date", "2024-13"], "expected a date written YYYY"),
    (["source", "add", "harbour", "--id", "x", "--title", "X", "--kind", "blog"], "'blog' is not one of"),
    (["source", "add", "harbour/quay", "--id", "x", "--title", "X"], "PROGRAMME must be an id"),
    (["history", "harbour"], "expected PROGRAMME/PRIORITY"),
])
def test_bad_usage_exits_2_and_writes_nothing(ws: Path, args: list[str], message: str) -> None:
    before = programme_file(ws).read_bytes()
    result = run(ws, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert programme_file(ws).read_bytes() == before


def test_future_dates_need_allow_future(ws: Path) -> None:
    for args in (["update", "harbour/quay", "--status", "in_progress", "--note", "x", "--date", "2025-06-02"],
                 ["record", "harbour/quay/berths", "7", "--date", "2030-01-01"],
                 ["milestone", "harbour/quay/opening", "--done", "2025-06-02"],
                 ["source", "add", "harbour", "--id", "future", "--title", "F", "--date", "2025-07"]):
        before = programme_file(ws).read_bytes()
        result = run(ws, *args)
        assert result.exit_code == 1
        assert "after today (2025-06-01); pass --allow-future" in result.stderr
        assert programme_file(ws).read_bytes() == before
        assert run(ws, *args, "--allow-future").exit_code == 0
    assert run(ws, "source", "add", "harbour", "--id", "this-month", "--title", "T", "--date", "2025-06").exit_code == 0
    assert run(ws, "source", "add", "harbour", "--id", "today", "--title", "T", "--date", "2025-06-01").exit_code == 0
    assert "  - id: today\n    title: T\n    date: 2025-06-01\n" in programme_file(ws).read_text()
    assert load(ws).source("today").date == "2025-06-01"
    programme = load(ws)
    assert programme.source("future").date == "2025-07"
    assert programme.priority("quay").history[-1].date == dt.date(2025, 6, 2)
    # An entry planned for later does not count before its date.
    assert programme.priority("quay").latest_entry(TODAY).status == "in_progress"
    assert programme.priority("quay").latest_entry(TODAY).date == dt.date(2024, 3, 15)


def test_an_entry_dated_today_needs_no_flag(ws: Path) -> None:
    assert run(ws, "update", "harbour/quay", "--status", "stalled", "--note", "Paused",
               "--date", TODAY.isoformat()).exit_code == 0


def test_a_broken_file_is_reported_and_left_alone(ws: Path) -> None:
    path = programme_file(ws)
    broken = path.read_text().replace("status: not_started\n        note: Priority", "status: not_begun\n        note: Priority")
    path.write_text(broken)
    result = run(ws, "update", "harbour/quay", "--status", "in_progress", "--note", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith("policies/harbour.yaml:33:17: priorities[0].history[0].status: expected one of")
    assert path.read_text() == broken


def test_an_edit_whose_result_would_mean_something_else_writes_nothing(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # If the text written in place ever meant other data than asked for, the check catches it.
    original = roundtrip.scalar_text
    monkeypatch.setattr(roundtrip, "scalar_text",
                        lambda value, flow: original(value + " (altered)" if value == "x" else value, flow))
    before = programme_file(ws).read_bytes()
    result = run(ws, "update", "harbour/quay", "--status", "in_progress", "--note", "x")
    assert result.exit_code == 1
    assert result.stderr == ("error: policies/harbour.yaml: the edit could not be written without changing "
                             "other data; nothing was written\n")
    assert programme_file(ws).read_bytes() == before


def test_a_second_programme_with_problems_does_not_block_an_edit(ws: Path) -> None:
    (ws / "policies" / "other.yaml").write_text("id: other\ntitle: [broken\n")
    assert run(ws, "update", "harbour/quay", "--status", "in_progress", "--note", "x").exit_code == 0


def test_programme_found_by_id_not_file_name(tmp_path: Path) -> None:
    make_workspace(tmp_path, name="renamed.yaml")
    result = run(tmp_path, "update", "harbour/quay", "--status", "in_progress", "--note", "x")
    assert result.exit_code == 0 and result.stdout.startswith("policies/renamed.yaml: ")


# --- record -----------------------------------------------------------------------------------

def test_record_appends_an_observation(ws: Path) -> None:
    result = run(ws, "record", "harbour/quay/berths", "7", "--date", "2025-05-01", "--source", "paper-2024",
                 "--note", "Two more berths")
    assert result.exit_code == 0, result.output
    assert result.stdout == "policies/harbour.yaml: harbour/quay/berths: 7 berths on 2025-05-01\n"
    latest = load(ws).priority("quay").indicators[0].latest(TODAY)
    assert (latest.date, latest.value, latest.source, latest.note) == (dt.date(2025, 5, 1), 7, "paper-2024",
                                                                       "Two more berths")


@pytest.mark.parametrize("value, expected", [("-3", -3), ("-0.5", -0.5), ("2.50", 2.5), ("1e3", 1000.0), ("+4", 4)])
def test_record_accepts_signed_and_decimal_values(ws: Path, value: str, expected: float) -> None:
    result = run(ws, "record", "harbour/park/trees", value, "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert load(ws).priority("park").indicators[0].latest(TODAY).value == expected


def test_record_defaults_to_today_and_creates_the_list(ws: Path) -> None:
    before = programme_file(ws).read_text()
    assert run(ws, "record", "harbour/park/trees", "40").exit_code == 0
    assert added_lines(before, programme_file(ws).read_text()) == [
        "        observations:\n", "          - date: 2025-06-01\n", "            value: 40\n"]


def test_record_checks_the_source(ws: Path) -> None:
    before = programme_file(ws).read_bytes()
    result = run(ws, "record", "harbour/park/trees", "40", "--source", "plan-2032")
    assert result.exit_code == 1
    assert "source: unknown source 'plan-2032'; did you mean 'plan-2023'?" in result.stderr
    assert programme_file(ws).read_bytes() == before


# --- milestone --------------------------------------------------------------------------------

def test_milestone_done_with_sources(ws: Path) -> None:
    result = run(ws, "milestone", "harbour/quay/opening", "--done", "2025-05-20", "--source", "paper-2024")
    assert result.exit_code == 0, result.output
    assert result.stdout == "policies/harbour.yaml: harbour/quay/opening: done on 2025-05-20\n"
    opening = load(ws).priority("quay").milestones[1]
    assert (opening.done, opening.sources) == (dt.date(2025, 5, 20), ("paper-2024",))
    assert "        due: 2026-06-30\n        done: 2025-05-20\n        sources: [paper-2024]\n" in \
        programme_file(ws).read_text()


def test_flow_style_milestone_stays_flow(ws: Path) -> None:
    assert run(ws, "milestone", "harbour/ferry/licence", "--done", "2024-11-02").exit_code == 0
    assert ("      - {id: licence, title: Operating licence granted, due: 2024-12-31, done: 2024-11-02}\n"
            in programme_file(ws).read_text())


def test_milestone_already_done_is_refused(ws: Path) -> None:
    before = programme_file(ws).read_bytes()
    result = run(ws, "milestone", "harbour/quay/tender", "--done", "2023-09-20")
    assert result.exit_code == 1
    assert result.stderr == ("error: milestone harbour/quay/tender is already done (on 2023-09-12); "
                             "edit the file to correct it\n")
    assert programme_file(ws).read_bytes() == before


# --- source add -------------------------------------------------------------------------------

def test_source_add(ws: Path) -> None:
    before = programme_file(ws).read_text()
    result = run(ws, "source", "add", "harbour", "--id", "audit-2025", "--title", "Audit: harbour works",
                 "--url", "https://example.org/audit", "--publisher", "Audit office", "--date", "2025-04",
                 "--kind", "official")
    assert result.exit_code == 0, result.output
    assert added_lines(before, programme_file(ws).read_text()) == [
        "  - id: audit-2025\n", "    title: 'Audit: harbour works'\n", "    publisher: Audit office\n",
        "    date: 2025-04\n", "    url: https://example.org/audit\n", "    kind: official\n"]
    source = load(ws).source("audit-2025")
    assert (source.title, source.date, source.kind) == ("Audit: harbour works", "2025-04", "official")
    # The new source can be cited at once.
    assert run(ws, "update", "harbour/quay", "--status", "achieved", "--note", "Done",
               "--source", "audit-2025").exit_code == 0


def test_source_add_refuses_a_duplicate_id(ws: Path) -> None:
    before = programme_file(ws).read_bytes()
    result = run(ws, "source", "add", "harbour", "--id", "plan-2023", "--title", "Again")
    assert result.exit_code == 1
    assert result.stderr == ("error: source 'plan-2023' is already in the registry of programme 'harbour' "
                             "(Harbour plan 2023)\n")
    assert programme_file(ws).read_bytes() == before


def test_source_add_creates_the_registry(tmp_path: Path) -> None:
    make_workspace(tmp_path, "id: bare\ntitle: Bare\npriorities:\n  - id: one\n    title: One\n", "bare.yaml")
    assert run(tmp_path, "source", "add", "bare", "--id", "s", "--title", "S").exit_code == 0
    assert (tmp_path / "policies" / "bare.yaml").read_text() == (
        "id: bare\ntitle: Bare\nsources:\n  - id: s\n    title: S\npriorities:\n  - id: one\n    title: One\n")


# --- history ----------------------------------------------------------------------------------

def test_history_json_is_a_dated_log_oldest_first(ws: Path) -> None:
    run(ws, "update", "harbour/quay", "--status", "at_risk", "--note", "Cracks", "--date", "2025-05-02", "--by", "Ana")
    run(ws, "record", "harbour/quay/berths", "6", "--date", "2023-05-01")
    result = run(ws, "history", "harbour/quay", "--json")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert (log["programme"], log["priority"], log["title"]) == ("harbour", "quay", "Rebuild the north quay")
    assert [(e["date"], e["kind"]) for e in log["events"]] == [
        ("2023-01-10", "status"), ("2023-05-01", "observation"), ("2023-09-12", "milestone"),
        ("2024-03-15", "status"), ("2024-03-15", "observation"), ("2025-05-02", "status")]
    last = log["events"][-1]
    assert last == {"date": "2025-05-02", "kind": "status", "status": "at_risk", "label": "At risk",
                    "previous": "in_progress", "changed": True, "note": "Cracks", "sources": [], "by": "Ana"}
    assert log["events"][1] == {"date": "2023-05-01", "kind": "observation", "indicator": "berths", "value": 6,
                                "unit": "berths", "note": None, "source": None}
    assert log["events"][2]["milestone"] == "tender" and log["events"][2]["title"] == "Tender awarded"


def test_history_table(ws: Path) -> None:
    result = run(ws, "history", "harbour/quay")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Rebuild the north quay (harbour/quay)",
        "DATE        EVENT        WHAT         DETAIL",
        "2023-01-10  status       not_started  set to Not yet started (not_started): Priority stated in the plan. "
        "[plan-2023]",
        "2023-09-12  milestone    tender       done: Tender awarded",
        "2024-03-15  status       in_progress  changed from not_started to In progress (in_progress): Works began "
        "in March, as reported by the l... [paper-2024]",
        "2024-03-15  observation  berths       Berths in service: 5 berths [paper-2024]",
    ]


def test_history_of_a_priority_with_nothing_yet(ws: Path) -> None:
    result = run(ws, "history", "harbour/park")
    assert result.exit_code == 0
    assert result.stdout == ("Waterfront park (harbour/park)\n"
                             "no status entries, observations or completed milestones yet\n")
    assert json.loads(run(ws, "history", "harbour/park", "--json").stdout)["events"] == []


# --- prompting --------------------------------------------------------------------------------

def test_in_a_terminal_missing_options_are_asked_for(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update_cli, "stdin_is_terminal", lambda: True)
    result = run(ws, "update", "harbour/quay", input="finished\nachieved\nQuay reopened\npaper-2024\n")
    assert result.exit_code == 0, result.output
    # The status is offered from the programme's vocabulary; a wrong answer is asked again.
    assert "Status (not_started, in_progress, at_risk, stalled, unverifiable, achieved, partly_achieved, abandoned):" in result.stderr
    assert "'finished' is not one of" in result.stderr
    assert "Note (what the evidence shows):" in result.stderr
    assert "Source for 'achieved' (id or URL):" in result.stderr
    entry = load(ws).priority("quay").latest_entry(TODAY)
    assert (entry.status, entry.note, entry.sources) == ("achieved", "Quay reopened", ("paper-2024",))


def test_with_yes_nothing_is_asked_even_in_a_terminal(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update_cli, "stdin_is_terminal", lambda: True)
    before = programme_file(ws).read_bytes()
    result = run(ws, "update", "harbour/quay", "--yes", input="in_progress\nx\n")
    assert result.exit_code == 2
    assert "Missing option '--status'" in result.stderr
    assert programme_file(ws).read_bytes() == before


def test_prompts_for_record_milestone_and_source(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update_cli, "stdin_is_terminal", lambda: True)
    result = run(ws, "record", "harbour/quay/berths", "--date", "2025-01-01", input="lots\n8\n")
    assert result.exit_code == 0, result.output
    assert "Value (berths):" in result.stderr
    assert load(ws).priority("quay").indicators[0].latest(TODAY).value == 8
    result = run(ws, "milestone", "harbour/quay/opening", input="2025-02-30\n2025-05-05\n")
    assert result.exit_code == 0, result.output
    assert load(ws).priority("quay").milestones[1].done == dt.date(2025, 5, 5)
    result = run(ws, "source", "add", "harbour", input="Bad Id\nnew-one\nNew one\nnot-a-url\n\n\n2025\npress\n")
    assert result.exit_code == 0, result.output
    source = load(ws).source("new-one")
    assert (source.title, source.url, source.publisher, source.date, source.kind) == ("New one", None, "", "2025",
                                                                                      "press")


def test_without_a_terminal_missing_value_is_usage_error(ws: Path) -> None:
    result = run(ws, "record", "harbour/quay/berths", input="8\n")
    assert result.exit_code == 2 and "Missing argument 'VALUE'" in result.stderr


def test_a_programme_linked_from_outside_the_workspace_is_refused_unread(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    text = (Path(__file__).parent / "data" / "edit" / "commented.yaml").read_bytes()
    outside.write_bytes(text)
    root = tmp_path / "ws"
    (root / "policies").mkdir(parents=True)
    (root / "policies" / "harbour.yaml").symlink_to(outside)
    result = run(root, "update", "harbour/quay", "--status", "in_progress", "--note", "x")
    assert result.exit_code == 1
    assert result.stderr == ("policies/harbour.yaml:1:1: (file): symbolic link points outside the workspace; "
                             "refused\n")
    assert outside.read_bytes() == text


def test_a_workspace_without_policies_is_reported(tmp_path: Path) -> None:
    result = run(tmp_path, "update", "harbour/quay", "--status", "in_progress", "--note", "x")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: policies: no policies/ folder here")
