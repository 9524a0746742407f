"""Editions on a schedule: `editions: {every, start}`, `report --due`, `report --every`, and
what `status` and `distribute` make of a schedule. Renders are HTML only, except where a PDF is
what is sent."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, run
from tracker.model.records import Schedule

SCHEDULED = MINIMAL.replace("review_every_days: 90\n", "review_every_days: 90\neditions: {every: quarter, start: 2024-01-01}\n")
PLAIN = MINIMAL.replace("id: demo", "id: plain").replace("Demo programme", "Plain programme")


@pytest.mark.parametrize(("every", "start", "until", "expected"), [
    ("month", "2024-01-01", "2024-04-29", ["2024-01-31", "2024-02-29", "2024-03-31"]),  # a leap February
    ("month", "2023-01-15", "2023-03-31", ["2023-01-31", "2023-02-28", "2023-03-31"]),  # the day itself is due
    ("quarter", "2024-02-10", "2024-12-31", ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]),
    ("half-year", "2024-07-01", "2025-12-30", ["2024-12-31", "2025-06-30"]),
    ("year", "2023-02-14", "2025-12-31", ["2023-12-31", "2024-12-31", "2025-12-31"]),
    ("year", "2023-02-14", "2023-12-30", []),
])
def test_edition_dates_are_the_last_days_of_calendar_periods(every: str, start: str, until: str,
                                                             expected: list[str]) -> None:
    schedule = Schedule(every, dt.date.fromisoformat(start))
    assert [d.isoformat() for d in schedule.dates(dt.date.fromisoformat(until))] == expected
    after = schedule.next_after(dt.date.fromisoformat(until))
    assert after is not None and after > dt.date.fromisoformat(until) and after.isoformat() not in expected


@pytest.mark.parametrize(("line", "message"), [
    ("editions: {every: monthly, start: 2024-01-01}",
     "policies/demo.yaml:6:19: editions.every: expected one of month, quarter, half-year, year but got 'monthly'; "
     "did you mean 'month'?"),
    ("editions: {every: month}", "policies/demo.yaml:6:11: editions.start: missing required field 'start' of the editions"),
    ("editions: {every: year, start: 2024-02-30}",
     "policies/demo.yaml:6:32: editions.start: expected a real date written YYYY-MM-DD but got '2024-02-30'"),
    ("editions: {every: year, start: 2024-01-01, until: 2025-01-01}",
     "policies/demo.yaml:6:44: editions.until: unknown field 'until'"),
])
def test_a_bad_schedule_is_located(workspace, line: str, message: str) -> None:
    root = workspace({"demo.yaml": MINIMAL.replace("review_every_days: 90\n", f"review_every_days: 90\n{line}\n")})
    result = run("validate", root=root)
    assert result.exit_code == 1
    assert result.stdout + result.stderr == message + "\n"


def html_lines(result_stdout: str) -> list[str]:
    return [Path(line).name for line in result_stdout.splitlines()]


def test_due_renders_every_missing_scheduled_edition_oldest_first(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace({"demo.yaml": SCHEDULED, "plain.yaml": PLAIN})
    # An edition made by hand between two scheduled ones: scheduled editions are not compared with it.
    assert run("report", "demo", "--as-of", "2024-08-15", "--format", "html", root=root).exit_code == 0
    monkeypatch.setenv("TRACKER_TODAY", "2024-10-15")
    result = run("report", "--due", "--format", "html", root=root)
    assert result.exit_code == 0, result.output
    assert html_lines(result.stdout) == ["demo-2024-03-31.html", "demo-2024-06-30.html", "demo-2024-09-30.html"]
    assert result.stderr == ("plain: no edition schedule (editions: {every: ..., start: ...} in its programme file); "
                             "nothing rendered for it by --due\n")
    folder = root / "reports" / "demo"
    first = (folder / "demo-2024-03-31.html").read_text(encoding="utf-8")
    assert "Nothing: this is the first edition." in first
    june = (folder / "demo-2024-06-30.html").read_text(encoding="utf-8")
    assert 'The previous edition, of <time datetime="2024-03-31">' in june
    september = (folder / "demo-2024-09-30.html").read_text(encoding="utf-8")
    assert 'The previous edition, of <time datetime="2024-06-30">' in september  # not the hand-made 2024-08-15
    assert "Progress up to" in september and 'datetime="2024-09-30"' in september
    assert not (root / "reports" / "plain").exists()
    # Existing editions are left alone, even when the data they were made from has changed since.
    bytes_before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert run("record", "demo/roads/km", "40", "--date", "2024-05-01", root=root).exit_code == 0
    again = run("report", "--due", "--format", "html", root=root)
    assert again.exit_code == 0 and again.stdout == ""
    assert "no scheduled edition is due" in again.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == bytes_before
    # A quarter later, only the new one.
    monkeypatch.setenv("TRACKER_TODAY", "2024-12-31")
    assert html_lines(run("report", "demo", "--due", "--format", "html", root=root).stdout) == ["demo-2024-12-31.html"]


def test_every_renders_a_series_for_any_programme(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace({"plain.yaml": PLAIN})
    monkeypatch.setenv("TRACKER_TODAY", "2024-04-10")
    result = run("report", "--every", "month", "--from", "2024-01-10", "--format", "html", root=root)
    assert result.exit_code == 0, result.output
    assert html_lines(result.stdout) == ["plain-2024-01-31.html", "plain-2024-02-29.html", "plain-2024-03-31.html"]
    march = (root / "reports" / "plain" / "plain-2024-03-31.html").read_text(encoding="utf-8")
    assert 'The previous edition, of <time datetime="2024-02-29">' in march
    bounded = run("report", "plain", "--every", "half-year", "--from", "2023-01-01", "--to", "2023-12-31",
                  "--format", "html", root=root)
    assert html_lines(bounded.stdout) == ["plain-2023-06-30.html", "plain-2023-12-31.html"]


@pytest.mark.parametrize(("args", "message"), [
    (["--due", "--every", "month", "--from", "2024-01-01"], "--due and --every cannot be used together"),
    (["--every", "month"], "--every needs --from DATE"),
    (["--from", "2024-01-01"], "--from goes with --every PERIOD"),
    (["--due", "--as-of", "2024-01-01"], "--as-of cannot be used with --due"),
    (["--every", "year", "--from", "2024-01-01", "--since", "2023-01-01"], "--since cannot be used with --every"),
    (["--every", "year", "--from", "2024-01-01", "--to", "2023-12-31"], "2023-12-31 is before --from 2024-01-01"),
    (["--every", "week", "--from", "2024-01-01"], "'week' is not one of 'month', 'quarter', 'half-year', 'year'"),
])
def test_series_options_that_do_not_go_together_are_usage_errors(workspace, args: list[str], message: str) -> None:
    root = workspace({"demo.yaml": SCHEDULED})
    result = run("report", *args, root=root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list((root / "reports").iterdir()) == []


@pytest.mark.parametrize(("args", "message"), [
    (["--every", "month", "--from", "2026-05-01"], "Invalid value for '--from': no month edition from --from "
     "2026-05-01 falls on or before today (2026-01-01; --to defaults to it): the first is 2026-05-31"),
    (["--every", "year", "--from", "2026-01-01"], "the first is 2026-12-31"),
    (["--every", "quarter", "--from", "2024-01-01", "--to", "2024-02-01"], "Invalid value for '--to': no quarter "
     "edition from --from 2024-01-01 falls on or before --to 2024-02-01: the first is 2024-03-31"),
])
def test_a_series_with_no_edition_is_a_usage_error(workspace, monkeypatch: pytest.MonkeyPatch, args: list[str],
                                                   message: str) -> None:
    """As --to before --from is: rendering nothing and exiting 0 would hide the mistake."""
    monkeypatch.setenv("TRACKER_TODAY", "2026-01-01")
    root = workspace({"demo.yaml": SCHEDULED})
    result = run("report", *args, root=root)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert list((root / "reports").iterdir()) == []


def test_status_shows_the_next_scheduled_edition_and_what_is_overdue(workspace) -> None:
    root = workspace({"demo.yaml": SCHEDULED, "plain.yaml": PLAIN})
    assert run("report", "demo", "--as-of", "2024-03-31", "--format", "html", root=root).exit_code == 0
    table = run("status", "--as-of", "2024-10-01", root=root).stdout.split("\n\n")
    assert table[0].splitlines()[-1] == (
        "Next scheduled edition: 2024-12-31 (every quarter from 2024-01-01); overdue: 2 scheduled editions not "
        "rendered (2024-06-30, 2024-09-30); run tracker report --due")
    assert "Next scheduled edition" not in table[1]  # no schedule, no line
    on_time = run("status", "--as-of", "2024-05-01", root=root).stdout.split("\n\n")[0].splitlines()[-1]
    assert on_time == ("Next scheduled edition: 2024-06-30 (every quarter from 2024-01-01); every scheduled edition "
                       "is rendered")
    data = json.loads(run("status", "--json", "--as-of", "2024-10-01", root=root).stdout)
    assert data["programmes"][0]["editions"] == {"every": "quarter", "start": "2024-01-01", "next": "2024-12-31",
                                                 "overdue": True, "missing": ["2024-06-30", "2024-09-30"]}
    assert data["programmes"][1]["editions"] is None


def test_today_can_be_fixed_for_tests_and_rehearsals(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace({"demo.yaml": SCHEDULED})
    monkeypatch.setenv("TRACKER_TODAY", "2024-03-15")
    assert run("status", root=root).stdout.startswith("Demo programme (demo), as of 2024-03-15\n")
    monkeypatch.setenv("TRACKER_TODAY", "15/03/2024")
    bad = run("status", root=root)
    assert bad.exit_code == 2
    assert "TRACKER_TODAY='15/03/2024' in the environment: expected a real date written YYYY-MM-DD" in bad.stderr


def test_distribute_sends_the_latest_scheduled_edition(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace({"demo.yaml": SCHEDULED})
    (root / "policies" / "distribution.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 2525, security: none}\nsender: Desk <desk@example.org>\n"
        "recipients:\n  demo:\n    - {address: reader@example.org}\n", encoding="utf-8")
    monkeypatch.setenv("TRACKER_TODAY", "2024-05-20")
    result = run("distribute", "--dry-run", root=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split() == ["demo", "2024-03-31", "reader@example.org", "written:",
                                                     "reports/outbox/demo-2024-03-31-reader@example.org.eml"]
    assert (root / "reports" / "demo" / "demo-2024-03-31.pdf").is_file()
    assert not (root / "reports" / "demo" / "demo-2024-05-20.pdf").exists()
    eml = (root / "reports" / "outbox" / "demo-2024-03-31-reader@example.org.eml").read_bytes()
    sent = email.message_from_bytes(eml, policy=email.policy.default)["Date"].datetime
    assert sent.date() == dt.date(2024, 5, 20) and sent.tzinfo is not None  # TRACKER_TODAY's day: the one clock
    monkeypatch.setenv("TRACKER_TODAY", "2023-12-01")  # before the first scheduled edition: nothing to send
    early = run("distribute", "--dry-run", root=root)
    assert early.exit_code == 0
    assert "warning: demo: no scheduled edition yet (the first is 2024-03-31); nothing sent" in early.stderr


def test_distribute_due_leaves_out_programmes_without_a_schedule(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    root = workspace({"demo.yaml": SCHEDULED, "plain.yaml": MINIMAL.replace("id: demo", "id: plain")})
    monkeypatch.setenv("TRACKER_TODAY", "2024-05-20")
    (root / "policies" / "distribution.yaml").write_text(
        "smtp: {host: 127.0.0.1, port: 2525, security: none}\nsender: Desk <desk@example.org>\n"
        "recipients:\n  plain:\n    - {address: reader@example.org}\n", encoding="utf-8")
    alone = run("distribute", "--due", "--dry-run", root=root)
    assert (alone.exit_code, alone.stdout) == (0, "")
    assert alone.stderr == ("plain: no edition schedule (editions: {every: ..., start: ...} in its programme file); "
                            "nothing sent for it by --due\nno programme to send has an edition schedule: nothing to "
                            "send\n")
    assert not (root / "reports" / "plain").exists()
    assert run("distribute", "--due", "--as-of", "2024-05-20", root=root).exit_code == 2
