"""`tracker export`: tidy tables as CSV, XLSX and JSON, as of a date, the same bytes for the same data.

The workbooks are written by XlsxWriter and read here by openpyxl, as a reader's spreadsheet
program would open them; the CSV files by the standard library's csv module.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import MINIMAL, run

STATUSES = ["programme", "priority", "date", "status", "status_label", "note", "sources", "by"]
OBSERVATIONS = ["programme", "priority", "indicator", "date", "value", "unit", "source", "note"]
INDICATORS = ["programme", "priority", "indicator", "title", "unit", "direction", "baseline_date", "baseline_value",
              "target_date", "target_value", "latest_date", "latest_value", "progress_percent"]
MILESTONES = ["programme", "priority", "milestone", "title", "due", "done", "overdue"]
SOURCES = ["programme", "source", "title", "publisher", "date", "url", "kind"]
TABLES = {"statuses": STATUSES, "observations": OBSERVATIONS, "indicators": INDICATORS, "milestones": MILESTONES,
          "sources": SOURCES}

# The minimal programme, plus text a spreadsheet would run as a formula, and a negative figure.
RISKY = MINIMAL.replace(
    "          - {date: 2024-03-01, value: 12, source: gazette}\n",
    "          - {date: 2024-03-01, value: 12, source: gazette}\n"
    "          - {date: 2024-04-01, value: -3, note: \"=HYPERLINK(\\\"http://x.invalid\\\",\\\"x\\\")\"}\n"
    "          - {date: 2024-05-01, value: 20.5, note: \"@SUM(A1)\"}\n",
).replace("      - {date: 2024-01-01, status: at_risk, note: Budget cut.}\n",
          "      - {date: 2024-01-01, status: at_risk, note: \"-2% budget, +1 teacher\"}\n"
          "      - {date: 2024-04-02, status: in_progress, note: \"'=quoted already\", by: \"+Desk\"}\n")

OTHER = """\
id: other
title: Other programme
priorities:
  - id: ports
    title: Ports
    history:
      - {date: 2024-01-05, status: in_progress, note: Started.}
"""


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def root(workspace) -> Path:
    return workspace({"demo.yaml": RISKY, "other.yaml": OTHER})


def test_csv_one_rfc4180_file_per_table_in_the_programme_data_folder(root: Path) -> None:
    result = run("export", "demo", "--as-of", "2024-12-31", root=root)
    assert result.exit_code == 0, result.output
    folder = root / "reports" / "demo" / "data"
    assert result.stdout.splitlines() == [str(folder / f"{t}.csv") for t in TABLES]
    for table, columns in TABLES.items():
        raw = (folder / f"{table}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark
        assert raw.count(b"\r\n") >= 1 and raw.replace(b"\r\n", b"").count(b"\n") == 0  # CRLF line ends
        assert next(csv.reader(io.StringIO(raw.decode("utf-8")))) == columns
    statuses = read_csv(folder / "statuses.csv")
    assert [(r["priority"], r["date"], r["status"], r["status_label"]) for r in statuses] == [
        ("roads", "2024-01-01", "not_started", "Not yet started"), ("roads", "2024-02-01", "in_progress", "In progress"),
        ("schools", "2024-01-01", "at_risk", "At risk"), ("schools", "2024-04-02", "in_progress", "In progress")]
    assert statuses[1]["sources"] == "gazette" and statuses[1]["note"] == "Tender published."
    observations = read_csv(folder / "observations.csv")
    assert [(r["indicator"], r["date"], r["value"], r["unit"]) for r in observations] == [
        ("km", "2024-03-01", "12", "km"), ("km", "2024-04-01", "-3", "km"), ("km", "2024-05-01", "20.5", "km")]
    [km] = read_csv(folder / "indicators.csv")
    assert km == {"programme": "demo", "priority": "roads", "indicator": "km", "title": "Kilometres built",
                  "unit": "km", "direction": "up", "baseline_date": "2024-01-01", "baseline_value": "0",
                  "target_date": "2026-01-01", "target_value": "100", "latest_date": "2024-05-01",
                  "latest_value": "20.5", "progress_percent": "20.5"}
    assert read_csv(folder / "milestones.csv") == [
        {"programme": "demo", "priority": "roads", "milestone": "tender", "title": "Tender published",
         "due": "2024-02-15", "done": "2024-02-01", "overdue": "false"},
        {"programme": "demo", "priority": "roads", "milestone": "contract", "title": "Contract signed",
         "due": "2024-06-30", "done": "", "overdue": "true"}]
    assert read_csv(folder / "sources.csv") == [
        {"programme": "demo", "source": "gazette", "title": "Official gazette", "publisher": "Ministry",
         "date": "2024-01-02", "url": "https://example.org/gazette", "kind": "official"}]


def test_text_that_would_run_as_a_formula_is_neutralised_and_numbers_stay_numbers(root: Path, tmp_path: Path) -> None:
    assert run("export", "demo", "--as-of", "2024-12-31", "--out", str(tmp_path / "c"), root=root).exit_code == 0
    notes = [r["note"] for r in read_csv(tmp_path / "c" / "observations.csv")]
    assert notes == ["", "'=HYPERLINK(\"http://x.invalid\",\"x\")", "'@SUM(A1)"]
    assert [r["value"] for r in read_csv(tmp_path / "c" / "observations.csv")] == ["12", "-3", "20.5"]
    statuses = read_csv(tmp_path / "c" / "statuses.csv")
    assert statuses[2]["note"] == "'-2% budget, +1 teacher"
    assert statuses[3]["note"] == "''=quoted already" and statuses[3]["by"] == "'+Desk"
    assert run("export", "demo", "--as-of", "2024-12-31", "--format", "xlsx", "--out", str(tmp_path / "x"),
               root=root).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "x" / "demo.xlsx")
    sheet = book["observations"]
    assert [sheet.cell(row, 8).value for row in (3, 4)] == ["'=HYPERLINK(\"http://x.invalid\",\"x\")", "'@SUM(A1)"]
    assert all(sheet.cell(row, 8).data_type == "s" for row in (3, 4))  # text, never a formula
    assert sheet.cell(3, 5).value == -3 and sheet.cell(3, 5).data_type == "n"
    for row in book["statuses"].iter_rows(min_row=2, values_only=True):
        for value in row:
            assert not (isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_has_a_sheet_per_table_real_dates_and_numbers_and_a_frozen_header(root: Path, tmp_path: Path) -> None:
    result = run("export", "demo", "--format", "xlsx", "--as-of", "2024-12-31", "--out", str(tmp_path), root=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(tmp_path / "demo.xlsx")]
    book = openpyxl.load_workbook(tmp_path / "demo.xlsx")
    assert book.sheetnames == list(TABLES)
    for table, columns in TABLES.items():
        sheet = book[table]
        assert [cell.value for cell in sheet[1]] == columns
        assert sheet.freeze_panes == "A2"
    indicators = list(book["indicators"].iter_rows(min_row=2, values_only=True))
    assert indicators == [("demo", "roads", "km", "Kilometres built", "km", "up", dt.datetime(2024, 1, 1), 0,
                           dt.datetime(2026, 1, 1), 100, dt.datetime(2024, 5, 1), 20.5, 20.5)]
    milestones = list(book["milestones"].iter_rows(min_row=2, values_only=True))
    assert milestones[1] == ("demo", "roads", "contract", "Contract signed", dt.datetime(2024, 6, 30), None, True)
    assert book["milestones"].cell(3, 7).data_type == "b"
    assert book["observations"].cell(2, 4).is_date and book["observations"].cell(2, 4).number_format == "yyyy-mm-dd"


def test_same_data_same_bytes_with_fixed_workbook_dates(root: Path, tmp_path: Path) -> None:
    def export(fmt: str, out: Path) -> dict[str, bytes]:  # both programmes in one set of files
        assert run("export", "--format", fmt, "--as-of", "2024-12-31", "--out", str(out), root=root).exit_code == 0
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    first = {fmt: export(fmt, tmp_path / f"a-{fmt}") for fmt in ("csv", "xlsx", "json")}
    time.sleep(1.1)  # a clock read anywhere would now differ by a second
    assert {fmt: export(fmt, tmp_path / f"b-{fmt}") for fmt in ("csv", "xlsx", "json")} == first
    workbook = zipfile.ZipFile(io.BytesIO(first["xlsx"]["programmes.xlsx"]))
    assert {info.date_time for info in workbook.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = workbook.read("docProps/core.xml").decode("utf-8")
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-12-31T00:00:00Z</dcterms:created>" in core
    assert "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-12-31T00:00:00Z</dcterms:modified>" in core
    properties = openpyxl.load_workbook(io.BytesIO(first["xlsx"]["programmes.xlsx"])).properties
    assert properties.created == properties.modified == dt.datetime(2024, 12, 31)


def test_as_of_gives_what_the_data_said_then(root: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    assert run("export", "demo", "--format", "json", "--as-of", "2024-02-10", "--out", str(tmp_path), root=root).exit_code == 0
    data = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2024-02-10" and data["programmes"] == ["demo"]
    assert list(data) == ["as_of", "programmes", *TABLES]
    assert [(r["priority"], r["date"]) for r in data["statuses"]] == [
        ("roads", "2024-01-01"), ("roads", "2024-02-01"), ("schools", "2024-01-01")]
    assert data["observations"] == []
    assert data["indicators"][0]["latest_value"] is None and data["indicators"][0]["progress_percent"] == 0
    assert [(m["milestone"], m["done"], m["overdue"]) for m in data["milestones"]] == [
        ("tender", "2024-02-01", False), ("contract", None, False)]
    assert list(data["statuses"][1]) == STATUSES and data["statuses"][1]["sources"] == ["gazette"]
    # Before the tender was done, it was open (and overdue after its due date).
    assert run("export", "demo", "--format", "json", "--as-of", "2024-01-20", "--out", str(tmp_path), root=root).exit_code == 0
    data = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    assert [(m["done"], m["overdue"]) for m in data["milestones"]] == [(None, False), (None, False)]


def test_several_programmes_share_one_set_of_tables_with_out(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("export", "--as-of", "2024-12-31", "--out", str(out), root=root).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    assert {r["programme"] for r in read_csv(out / "statuses.csv")} == {"demo", "other"}
    # Without --out, each programme's own folder.
    assert run("export", "--as-of", "2024-12-31", "--format", "json", root=root).exit_code == 0
    assert (root / "reports" / "demo" / "data" / "demo.json").is_file()
    assert json.loads((root / "reports" / "other" / "data" / "other.json").read_text())["programmes"] == ["other"]


def test_bad_usage_and_unknown_programmes(root: Path) -> None:
    bad = run("export", "--format", "xls", root=root)
    assert bad.exit_code == 2 and "'xls' is not one of 'csv', 'xlsx', 'json'" in bad.stderr
    unknown = run("export", "dem", root=root)
    assert unknown.exit_code == 1
    assert unknown.stderr == "error: unknown programme 'dem'; did you mean 'demo'?\n"
    assert not (root / "reports" / "demo" / "data").exists()


def test_dates_before_1900_03_01_are_text_in_a_workbook_and_read_back_exactly(workspace, tmp_path: Path) -> None:
    """Excel's serial dates start in 1900 (with a 29 February that never was): earlier dates as text."""
    old = MINIMAL.replace("        baseline: {date: 2024-01-01, value: 0, source: gazette}\n",
                          "        baseline: {date: 0001-01-01, value: 0, source: gazette}\n").replace(
        "          - {date: 2024-03-01, value: 12, source: gazette}\n",
        "          - {date: 1850-03-01, value: 1}\n          - {date: 1900-02-28, value: 2}\n"
        "          - {date: 1900-03-01, value: 3}\n          - {date: 2024-03-01, value: 12, source: gazette}\n")
    root = workspace({"demo.yaml": old})
    assert run("export", "demo", "--format", "xlsx", "--as-of", "2025-01-01", "--out", str(tmp_path), root=root).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "demo.xlsx")
    assert [row[3] for row in book["observations"].iter_rows(min_row=2, values_only=True)] == [
        "1850-03-01", "1900-02-28", dt.datetime(1900, 3, 1), dt.datetime(2024, 3, 1)]
    assert book["indicators"]["G2"].value == "0001-01-01"
    result = run("import", str(tmp_path / "demo.xlsx"), root=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("demo: 0 added, ")
