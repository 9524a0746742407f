"""reports/<id>/deliveries.jsonl: append-only, durable line by line, tolerant of a torn line."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracker.distribute import deliveries
from tracker.distribute.deliveries import Delivery, LogBusy, Writer


def record(recipient: str, result: str = "delivered", edition: str = "2024-06-30", test: bool = False) -> Delivery:
    return Delivery(edition=edition, programme="water-plan", recipient=recipient, time="2024-07-01T09:00:00Z",
                    result=result, message_id=f"<{recipient}>", detail="", test=test)


def test_lines_are_appended_as_json_and_read_back(tmp_path: Path) -> None:
    with Writer(tmp_path, "log") as writer:
        writer.append(record("a@example.org"))
        writer.append(record("b@example.org", "refused"))
    lines = (tmp_path / "deliveries.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"edition": "2024-06-30", "programme": "water-plan", "recipient": "a@example.org",
         "time": "2024-07-01T09:00:00Z", "result": "delivered", "message_id": "<a@example.org>", "detail": "",
         "test": False},
        {"edition": "2024-06-30", "programme": "water-plan", "recipient": "b@example.org",
         "time": "2024-07-01T09:00:00Z", "result": "refused", "message_id": "<b@example.org>", "detail": "",
         "test": False},
    ]
    with Writer(tmp_path, "log") as writer:
        writer.append(record("c@example.org"))
    log = deliveries.read(tmp_path, "log")
    assert [r.recipient for r in log.records] == ["a@example.org", "b@example.org", "c@example.org"]
    assert log.warnings == []


def test_only_a_real_successful_delivery_of_that_edition_counts() -> None:
    log = deliveries.Log(Path("x"), [
        record("a@example.org", "failed"),
        record("b@example.org", "refused"),
        record("c@example.org", edition="2024-03-31"),
        record("d@example.org", test=True),
        record("E@example.org"),
    ], [])
    june = dt.date(2024, 6, 30)
    assert [log.delivered(june, a) is not None for a in
            ("a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org")] == [
        False, False, False, False, True]
    assert log.delivered(dt.date(2024, 3, 31), "c@example.org") is not None


def test_corrupt_and_torn_lines_are_skipped_and_reported(tmp_path: Path) -> None:
    good = record("a@example.org").line()
    (tmp_path / "deliveries.jsonl").write_bytes(
        good + b"not json\n" + b'{"edition": 1}\n' + b"\n" + b'["a list"]\n' + b"\xff\xfe\n" + good + b'{"edition": "20')
    log = deliveries.read(tmp_path, "reports/water-plan/deliveries.jsonl")
    assert len(log.records) == 2
    assert log.warnings == [
        "reports/water-plan/deliveries.jsonl:2: ignored a line that is not a delivery record",
        "reports/water-plan/deliveries.jsonl:3: ignored a line that is not a delivery record",
        "reports/water-plan/deliveries.jsonl:5: ignored a line that is not a delivery record",
        "reports/water-plan/deliveries.jsonl:6: ignored a line that is not a delivery record",
        "reports/water-plan/deliveries.jsonl:8: ignored a line that is cut short, probably by an interrupted run",
    ]


def test_appending_after_a_torn_line_starts_a_new_line(tmp_path: Path) -> None:
    path = tmp_path / "deliveries.jsonl"
    path.write_bytes(record("a@example.org").line() + b'{"edition": "20')
    with Writer(tmp_path, "log") as writer:
        assert len(writer.log.warnings) == 1
        writer.append(record("b@example.org"))
    assert path.read_bytes().split(b"\n")[1:] == [b'{"edition": "20', record("b@example.org").line().rstrip(b"\n"), b""]
    assert [r.recipient for r in deliveries.read(tmp_path, "log").records] == ["a@example.org", "b@example.org"]


def test_a_second_writer_is_refused_while_the_first_holds_the_log(tmp_path: Path) -> None:
    with Writer(tmp_path, "reports/water-plan/deliveries.jsonl"):
        with pytest.raises(LogBusy) as caught:
            Writer(tmp_path, "reports/water-plan/deliveries.jsonl").__enter__()
    assert str(caught.value) == ("reports/water-plan/deliveries.jsonl: another `tracker distribute` is sending "
                                 "this programme; wait for it to finish")
    with Writer(tmp_path, "log"):  # released
        pass


def test_missing_log_reads_as_empty(tmp_path: Path) -> None:
    log = deliveries.read(tmp_path / "nowhere", "log")
    assert log.records == [] and log.warnings == []


def test_timestamps_are_utc() -> None:
    moment = dt.datetime(2024, 7, 1, 11, 30, 5, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert deliveries.timestamp(moment) == "2024-07-01T09:30:05Z"
