"""`tracker import`: rows of CSV files and workbooks appended to programme files, all or nothing.

Workbooks to import are made as a person's spreadsheet program would leave them: the export
(written by XlsxWriter) opened, edited and saved again with openpyxl.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from tests.conftest import MINIMAL
from tests.edit_helpers import added_lines, make_workspace, run

OBSERVATIONS = "programme,priority,indicator,date,value,unit,source,note\r\n"
STATUSES = "programme,priority,date,status,status_label,note,sources,by\r\n"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2025-06-01")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Two programmes: harbour (the commented fixture) and demo."""
    ws = tmp_path / "ws"
    make_workspace(ws)
    (ws / "policies" / "demo.yaml").write_text(MINIMAL, encoding="utf-8")
    return ws


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "policies").iterdir())}


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def fresh_copy(root: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(root / "policies", copy / "policies")
    return copy


def test_export_then_import_into_a_fresh_copy_adds_nothing(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert run(root, "export", "--as-of", "2025-06-01", "--out", str(out)).exit_code == 0
    assert run(root, "export", "--as-of", "2025-06-01", "--format", "xlsx", "--out", str(out)).exit_code == 0
    copy = fresh_copy(root, tmp_path)
    before = files(copy)
    result = run(copy, "import", str(out / "statuses.csv"), str(out / "observations.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [  # in the order the programmes first appear in the files
        "demo: 0 added, 4 skipped (policies/demo.yaml)",
        "harbour: 0 added, 5 skipped (policies/harbour.yaml)",
    ]
    workbook = run(copy, "import", str(out / "programmes.xlsx"))
    assert workbook.exit_code == 0, workbook.output
    assert "harbour: 0 added, 5 skipped" in workbook.stdout
    assert f"{out / 'programmes.xlsx'}:indicators: the indicators table is not imported" in workbook.stderr
    assert files(copy) == before


def test_a_row_added_in_a_spreadsheet_adds_exactly_that_row(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert run(root, "export", "harbour", "--format", "xlsx", "--as-of", "2025-06-01", "--out", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out / "harbour.xlsx")
    book["observations"].append(["harbour", "quay", "berths", dt.datetime(2025, 1, 20), 7, "berths", "paper-2024",
                                 "two more"])
    book["statuses"].append(["harbour", "quay", dt.datetime(2025, 2, 1), "at_risk", None, "Storm damage", None, None])
    book.save(tmp_path / "edited.xlsx")
    old = (root / "policies" / "harbour.yaml").read_text(encoding="utf-8")
    result = run(root, "import", str(tmp_path / "edited.xlsx"), "--by", "Analyst")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "harbour: 2 added (1 status entry, 1 observation), 5 skipped (policies/harbour.yaml)"]
    new = (root / "policies" / "harbour.yaml").read_text(encoding="utf-8")
    assert added_lines(old, new) == [  # every other line as it was, comments included
        "      - date: 2025-02-01\n",
        "        status: at_risk\n",
        "        note: Storm damage\n",
        "        by: Analyst\n",
        "          - date: 2025-01-20\n",
        "            value: 7\n",
        "            source: paper-2024\n",
        "            note: two more\n",
        "            by: Analyst\n",
    ]
    assert run(root, "validate").exit_code == 0
    history = run(root, "history", "harbour/quay", "--json").stdout
    assert '"Storm damage"' in history and '"Analyst"' in history and '"two more"' in history
    # The same file again adds nothing.
    again = run(root, "import", str(tmp_path / "edited.xlsx"))
    assert again.stdout.splitlines() == ["harbour: 0 added, 7 skipped (policies/harbour.yaml)"]
    assert (root / "policies" / "harbour.yaml").read_text(encoding="utf-8") == new


def test_ten_rows_are_one_edit_and_keep_date_order(root: Path, tmp_path: Path) -> None:
    rows = "".join(f"demo,roads,km,2024-{month:02d}-15,{month * 3},km,gazette,\r\n" for month in range(12, 2, -1))
    result = run(root, "import", str(write(tmp_path / "obs.csv", OBSERVATIONS + rows)))
    assert result.exit_code == 0, result.output
    assert result.stdout == "demo: 10 added (10 observations), 0 skipped (policies/demo.yaml)\n"
    data = run(root, "export", "demo", "--format", "json", "--as-of", "2025-01-01", "--out", str(tmp_path / "x"))
    assert data.exit_code == 0
    observed = json.loads((tmp_path / "x" / "demo.json").read_text())["observations"]
    assert [o["date"] for o in observed] == ["2024-03-01"] + [f"2024-{m:02d}-15" for m in range(3, 13)]


def test_every_problem_is_located_in_the_csv_and_nothing_is_written(root: Path, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", OBSERVATIONS
                + "demo,roads,km,2024-05-01,20,km,gazette,fine\r\n"
                + "demo,roads,km,2024-03-01,13,km,gazette,\r\n"  # the recorded figure of that date is 12
                + "demo,rods,km,2024-06-01,1,,,\r\n"
                + "demo,roads,kms,2024-06-01,1,,,\r\n"
                + "demo,roads,km,2024-02-30,x1,miles,nowhere,\r\n"
                + "demo,roads,km,2024-07-01,5,miles,,\r\n"
                + "demo,roads,km,2025-07-01,5,,,\r\n"
                + "dem,roads,km,2024-07-01,5,,,\r\n"
                + "demo,roads,km,,,,,\r\n")
    statuses = write(tmp_path / "st.csv", STATUSES
                     + "harbour,ferry,2025-01-01,achieved,,,,\r\n"
                     + "harbour,ferry,2025-01-02,at_risk,,,,\r\n"
                     + "harbour,ferry,2025-01-03,achieve,,x,,\r\n"
                     + "harbour,ferry,2025-01-04,in_progress,Done,x,nowhere; https://example.org/a,\r\n"
                     + "harbour,ferry,2024-05-01,in_progress,,Operator replaced,,\r\n")
    before = files(root)
    result = run(root, "import", str(bad), str(statuses))
    assert result.exit_code == 1
    assert result.stdout == ""
    b, s = str(bad), str(statuses)
    assert result.stderr.splitlines() == [
        f"{b}:3:5: value: demo/roads/km already has an observation of 2024-03-01 (value 12; source gazette); "
        "a row may add observations, never change one (to correct it: tracker correct demo/roads/km "
        "--observation 2024-03-01)",
        f"{b}:4:2: priority: unknown priority 'rods' in programme 'demo'; did you mean 'roads'?",
        f"{b}:5:3: indicator: unknown indicator 'kms' in priority demo/roads; did you mean 'km'?",
        f"{b}:6:4: date: expected a real date written YYYY-MM-DD but got '2024-02-30'",
        f"{b}:6:5: value: expected a number but got 'x1'",
        f"{b}:7:6: unit: expected the unit of indicator 'km', 'km', but got 'miles' (leave it empty or convert the value)",
        f"{b}:8:4: date: dated 2025-07-01, after today (2025-06-01); pass --allow-future to record it anyway",
        f"{b}:9:1: programme: unknown programme 'dem'; did you mean 'demo'?",
        f"{b}:10:4: date: empty; every row of the observations layout needs a date",
        f"{b}:10:5: value: empty; every row of the observations layout needs a value",
        f"{s}:2:7: sources: an entry with status 'achieved' must cite at least one source",
        f"{s}:3:6: note: an entry with status 'at_risk' must carry a note saying why",
        f"{s}:4:4: status: expected one of not_started, in_progress, at_risk, stalled, unverifiable, achieved, "
        "partly_achieved, abandoned but got 'achieve'; did you mean 'achieved'?",
        f"{s}:5:5: status_label: expected the label of status 'in_progress', 'In progress', but got 'Done' "
        "(the status column decides; leave this empty)",
        f"{s}:5:7: sources: unknown source 'nowhere' (cite an id from the programme's sources, or a URL)",
        f"{s}:6:6: note: harbour/ferry already has an entry of 2024-05-01 (in_progress; note 'Operator chosen'); "
        "a row may add entries, never change one (to correct it: tracker correct harbour/ferry --entry 2024-05-01)",
    ]
    assert files(root) == before


def test_workbook_problems_name_the_sheet_and_cell(root: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(["programme", "priority", "indicator", "date", "value", "colour", "Remarks"])
    sheet.append(["demo", "roads", "km", dt.datetime(2024, 6, 1), 3, "red", "x"])
    second = book.create_sheet("Updates")
    second.append(["programme", "priority", "date", "status", "note"])
    second.append(["demo", "roads", 45444, "in_progress", "ok"])
    second.append(["demo", "roads", dt.datetime(2024, 6, 2), "in_progress", None])
    second.append(["demo", "roads", dt.datetime(2024, 6, 3), "stalled", None])
    book.save(tmp_path / "in.xlsx")
    result = run(root, "import", str(tmp_path / "in.xlsx"))
    assert result.exit_code == 1
    f = tmp_path / "in.xlsx"
    assert result.stderr.splitlines() == [
        f"{f}:Figures!F1: colour: unknown column 'colour' in the observations layout (its columns: programme, "
        "priority, indicator, date, value, unit, source, note)",
        f"{f}:Figures!G1: Remarks: unknown column 'Remarks' in the observations layout (its columns: programme, "
        "priority, indicator, date, value, unit, source, note)",
        f"{f}:Updates!C2: date: expected a real date written YYYY-MM-DD but got the number 45444 "
        "(format the cell as a date, or write YYYY-MM-DD)",
        f"{f}:Updates!E4: note: an entry with status 'stalled' must carry a note saying why",
    ]


def test_several_files_and_programmes_are_written_together_or_not_at_all(root: Path, tmp_path: Path) -> None:
    good = write(tmp_path / "a.csv", OBSERVATIONS + "demo,roads,km,2024-06-01,30,km,,\r\n"
                 + "harbour,quay,berths,2025-01-01,6,,,\r\n")
    broken = write(tmp_path / "b.csv", STATUSES + "harbour,park,2025-01-01,stalled,,,,\r\n")
    before = files(root)
    assert run(root, "import", str(good), str(broken)).exit_code == 1
    assert files(root) == before
    dry = run(root, "import", "--dry-run", str(good))
    assert dry.exit_code == 0
    assert dry.stdout.splitlines() == ["demo: 1 added (1 observation), 0 skipped (policies/demo.yaml)",
                                       "harbour: 1 added (1 observation), 0 skipped (policies/harbour.yaml)"]
    assert "dry run: nothing written" in dry.stderr and files(root) == before
    assert run(root, "import", str(good)).exit_code == 0
    after = files(root)
    assert after["demo.yaml"] != before["demo.yaml"] and after["harbour.yaml"] != before["harbour.yaml"]
    assert [p.name for p in (root / "policies").iterdir() if p.name.startswith(".")] == []  # no lock, no temporary


def test_commit_puts_every_changed_file_in_one_commit(root: Path, tmp_path: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "policies"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    rows = write(tmp_path / "a.csv", OBSERVATIONS + "demo,roads,km,2024-06-01,30,km,,\r\n"
                 + "harbour,quay,berths,2025-01-01,6,,,\r\n")
    result = run(root, "import", str(rows), "--commit", "--by", "Analyst")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("committed ")
    log = subprocess.run(["git", "-C", str(root), "log", "--format=%s", "--name-only", "-1"], capture_output=True,
                         text=True, check=True).stdout.split()
    assert log[:4] == ["import:", "2", "records", "into"]
    assert "policies/demo.yaml" in log and "policies/harbour.yaml" in log
    count = subprocess.run(["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True, text=True)
    assert count.stdout.strip() == "2"
    status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""
    body = subprocess.run(["git", "-C", str(root), "log", "--format=%b", "-1"], capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()
    assert body == ["demo: 1 observation added, by Analyst", "harbour: 1 observation added, by Analyst"]
    mixed = write(tmp_path / "b.csv", STATUSES + "demo,schools,2024-06-01,in_progress,,Budget restored,,\r\n")
    more = write(tmp_path / "c.csv", OBSERVATIONS + "demo,roads,km,2024-07-01,31,km,,\r\n")
    assert run(root, "import", str(mixed), str(more), "--commit", "--by", "Analyst").exit_code == 0
    body = subprocess.run(["git", "-C", str(root), "log", "--format=%b", "-1"], capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()
    assert body == ["demo: 1 status entry and 1 observation added, by Analyst"]


def test_header_decides_the_layout(root: Path, tmp_path: Path) -> None:
    # Columns in another order, a byte-order mark and semicolons, as spreadsheets save "CSV UTF-8".
    text = "\ufeffdate;status;priority;programme;note\r\n2024-06-01;in_progress;schools;demo;Budget restored\r\n"
    result = run(root, "import", str(write(tmp_path / "s.csv", text)))
    assert result.exit_code == 0, result.output
    assert result.stdout == "demo: 1 added (1 status entry), 0 skipped (policies/demo.yaml)\n"
    neither = run(root, "import", str(write(tmp_path / "n.csv", "a,b\r\n1,2\r\n")))
    assert neither.exit_code == 1
    assert neither.stderr.startswith(f"{tmp_path / 'n.csv'}:1:1: (header): the header names neither the columns of "
                                     "the statuses layout")
    missing = run(root, "import", str(write(tmp_path / "m.csv", "programme,priority,indicator,date\r\n")))
    assert missing.stderr == (f"{tmp_path / 'm.csv'}:1:1: value: missing column 'value' of the observations "
                              "layout (its columns: programme, priority, indicator, date, value, unit, source, note)\n")
    binary = run(root, "import", str(write(tmp_path / "x.xlsx", "not a workbook")))
    assert binary.exit_code == 1 and binary.stderr.endswith("x.xlsx:1:1: (file): not an XLSX workbook "
                                                            "(a workbook is a zip file)\n")
    latin = tmp_path / "l.csv"
    latin.write_bytes(OBSERVATIONS.encode() + "demo,roads,km,2024-06-01,1,,,caf\xe9\r\n".encode("latin-1"))
    assert run(root, "import", str(latin)).stderr == (f"{latin}:2:8: (file): file is not UTF-8 text (byte 0xe9); "
                                                      "save it as CSV UTF-8\n")
    assert run(root, "import").exit_code == 2
    assert run(root, "import", str(tmp_path / "nowhere.csv")).exit_code == 2


def test_neutralised_cells_read_back_as_written(root: Path, tmp_path: Path) -> None:
    rows = write(tmp_path / "a.csv", STATUSES + "demo,schools,2024-06-01,in_progress,,'=1+2,,\r\n"
                 + "demo,schools,2024-06-02,in_progress,,'+44 phone,,'@desk\r\n")
    assert run(root, "import", str(rows)).exit_code == 0
    out = tmp_path / "out"
    assert run(root, "export", "demo", "--as-of", "2025-01-01", "--out", str(out)).exit_code == 0
    with (out / "statuses.csv").open(encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [(r["note"], r["by"]) for r in exported[-2:]] == [("'=1+2", ""), ("'+44 phone", "'@desk")]
    history = run(root, "history", "demo/schools", "--json").stdout
    assert '"=1+2"' in history and '"@desk"' in history
    assert run(root, "import", str(out / "statuses.csv")).stdout == "demo: 0 added, 5 skipped (policies/demo.yaml)\n"


def test_rows_are_checked_again_under_the_lock(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit landing between the first check and the import's lock is neither duplicated nor changed."""
    from tracker.tables import imports

    real = imports.operations.add_batches

    def meanwhile(*args: object, **kwargs: object) -> object:
        assert run(root, "record", "demo/roads/km", "30", "--date", "2024-06-01").exit_code == 0
        assert run(root, "record", "demo/roads/km", "41", "--date", "2024-07-01").exit_code == 0
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports.operations, "add_batches", meanwhile)
    rows = write(tmp_path / "a.csv", OBSERVATIONS + "demo,roads,km,2024-06-01,30,km,,\r\n"
                 + "demo,roads,km,2024-08-01,50,km,,\r\n")
    result = run(root, "import", str(rows))
    assert result.exit_code == 0, result.output
    text = (root / "policies" / "demo.yaml").read_text(encoding="utf-8")
    assert text.count("2024-06-01") == 1 and text.count("2024-08-01") == 1
    conflicting = write(tmp_path / "b.csv", OBSERVATIONS + "demo,roads,km,2024-09-01,40,km,,\r\n")
    monkeypatch.setattr(imports.operations, "add_batches", lambda *a, **k: (
        run(root, "record", "demo/roads/km", "42", "--date", "2024-09-01"), real(*a, **k))[1])
    failed = run(root, "import", str(conflicting))
    assert failed.exit_code == 1
    assert failed.stderr == (f"{conflicting}:2:5: value: demo/roads/km already has an observation of 2024-09-01 "
                             "(value 42); a row may add observations, never change one (to correct it: tracker "
                             "correct demo/roads/km --observation 2024-09-01)\n")
    assert "value: 40" not in (root / "policies" / "demo.yaml").read_text(encoding="utf-8")


def test_an_empty_worksheet_is_passed_over(root: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["programme", "priority", "indicator", "date", "value"])
    book.active.append(["demo", "roads", "km", dt.datetime(2024, 6, 1), 14])
    book.create_sheet("Sheet2")
    book.save(tmp_path / "w.xlsx")
    result = run(root, "import", str(tmp_path / "w.xlsx"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "demo: 1 added (1 observation), 0 skipped (policies/demo.yaml)\n"


def test_in_a_terminal_the_summary_is_confirmed_before_writing(root: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.cli.records import imports as cli_imports

    monkeypatch.setattr(cli_imports, "stdin_is_terminal", lambda: True)
    rows = write(tmp_path / "a.csv", OBSERVATIONS + "demo,roads,km,2024-06-01,30,km,,\r\n")
    before = files(root)
    refused = run(root, "import", str(rows), input="n\n")
    assert refused.exit_code == 0
    assert "demo: 1 added (1 observation), 0 skipped" in refused.stderr and "Write these changes? [y/N]" in refused.stderr
    assert "nothing written" in refused.stderr and files(root) == before
    assert run(root, "import", str(rows), input="y\n").exit_code == 0 and files(root) != before
    assert run(root, "import", str(rows), "--yes").stdout == "demo: 0 added, 1 skipped (policies/demo.yaml)\n"


def test_round_trip_of_a_corrected_record_adds_nothing(root: Path, tmp_path: Path) -> None:
    """The export shows the corrected figure; importing it back is the record already there."""
    assert run(root, "correct", "demo/roads/km", "--observation", "2024-03-01", "--value", "11",
               "--why", "Recounted.", "--by", "Ana", "--date", "2025-01-10").exit_code == 0
    out = tmp_path / "out"
    assert run(root, "export", "demo", "--as-of", "2025-06-01", "--out", str(out)).exit_code == 0
    with (out / "observations.csv").open(encoding="utf-8", newline="") as handle:
        assert [r["value"] for r in csv.DictReader(handle)] == ["11"]
    before = files(root)
    result = run(root, "import", str(out / "observations.csv"))
    assert result.stdout == "demo: 0 added, 1 skipped (policies/demo.yaml)\n"
    assert files(root) == before


def test_a_programme_under_review_receives_drafts(root: Path, tmp_path: Path) -> None:
    path = root / "policies" / "demo.yaml"
    path.write_text(MINIMAL.replace("review_every_days: 90\n", "review_every_days: 90\nreview: required\n"),
                    encoding="utf-8")
    rows = write(tmp_path / "a.csv", STATUSES + "demo,schools,2024-06-01,in_progress,,Budget restored,,\r\n"
                 + "demo,schools,2024-06-02,in_progress,,Staff hired,,Bea\r\n")
    refused = run(root, "import", str(rows))  # a draft names its author; no --by, no git here
    assert refused.exit_code == 1
    assert refused.stderr == ("error: programme 'demo' sets review: required, so this is written as a draft, "
                              "and a draft names its author: pass --by NAME\n")
    dry = run(root, "import", str(rows), "--dry-run")  # a dry run makes the same checks
    assert (dry.exit_code, dry.stdout, dry.stderr) == (1, "", refused.stderr)
    before = path.read_bytes()
    dry = run(root, "import", str(rows), "--dry-run", "--by", "Ana")
    assert dry.exit_code == 0 and dry.stdout.startswith("demo: 2 added") and path.read_bytes() == before
    result = run(root, "import", str(rows), "--by", "Ana")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("demo: 2 added (2 status entries, drafts waiting for review), 0 skipped "
                             "(policies/demo.yaml)\n")
    text = path.read_text(encoding="utf-8")
    assert "note: Budget restored, by: Ana, draft: true" in text and "note: Staff hired, by: Bea, draft: true" in text
    review = run(root, "review", "demo")
    assert review.stdout.startswith("2 drafts waiting for review, oldest first:\n")
    assert [line.split()[:4] for line in review.stdout.splitlines()[2:]] == [
        ["2024-06-01", "demo/schools", "status", "entry"], ["2024-06-02", "demo/schools", "status", "entry"]]
    # Drafts are nobody's data yet: not exported; and the same file again adds nothing.
    out = tmp_path / "out"
    assert run(root, "export", "demo", "--as-of", "2025-01-01", "--out", str(out)).exit_code == 0
    assert "Budget restored" not in (out / "statuses.csv").read_text(encoding="utf-8")
    assert run(root, "import", str(rows), "--by", "Ana").stdout == "demo: 0 added, 2 skipped (policies/demo.yaml)\n"


def test_a_csv_row_with_more_cells_than_the_header_is_refused(root: Path, tmp_path: Path) -> None:
    """An unquoted comma splits a note: the cells past the header are data, never dropped."""
    rows = write(tmp_path / "a.csv", OBSERVATIONS + "demo,roads,km,2024-06-01,20,km,,First part, and the rest\r\n"
                 + "demo,roads,km,2024-07-01,21,km,,ok,\r\n"
                 + "demo,roads,km,2024-08-01,22,km,,fine\r\n")
    semicolons = write(tmp_path / "b.csv", OBSERVATIONS.replace(",", ";")
                       + "demo;roads;km;2024-09-01;23;km;;a;b;c\r\n")
    before = files(root)
    result = run(root, "import", str(rows), str(semicolons))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{rows}:2:9: (row): 9 cells, but the header names 8 columns: ' and the rest' past the last column "
        "belongs to none (a value holding ',' must be in double quotes)",
        f"{rows}:3:9: (row): 9 cells, but the header names 8 columns: '' past the last column belongs to none "
        "(a value holding ',' must be in double quotes)",
        f"{semicolons}:2:9: (row): 10 cells, but the header names 8 columns: 'b', 'c' past the last column belong "
        "to none (a value holding ';' must be in double quotes)",
    ]
    assert files(root) == before
    quoted = write(tmp_path / "c.csv", OBSERVATIONS + 'demo,roads,km,2024-06-01,20,km,,"First part, and the rest"\r\n')
    assert run(root, "import", str(quoted)).exit_code == 0
    assert "note: 'First part, and the rest'" in (root / "policies" / "demo.yaml").read_text(encoding="utf-8")


def test_broken_csv_quoting_is_located_where_the_value_begins(root: Path, tmp_path: Path) -> None:
    """RFC 4180: a quote never closed would swallow every later row into one note."""
    unclosed = write(tmp_path / "a.csv", OBSERVATIONS + 'demo,roads,km,2024-06-01,20,km,,"two\r\nlines"\r\n'
                     + 'demo,roads,km,2024-07-01,21,km,,"Started but\r\n'
                     + "demo,roads,km,2024-08-01,22,km,,fine\r\n"
                     + "demo,roads,km,2024-09-01,23,km,,fine\r\n")
    stray = write(tmp_path / "b.csv", STATUSES + 'demo,schools,2024-06-01,in_progress,,"Said "yes" today",,\r\n')
    before = files(root)
    result = run(root, "import", str(unclosed), str(stray))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{unclosed}:3:8: (file): a quoted value opened on line 4 is never closed (the rest of the file would be "
        'its text); end it with "',
        f"{stray}:2:6: (file): text after the closing quote of a quoted value ('yes\" today\",,'); a quote inside "
        'a quoted value is written twice ("")',
    ]
    assert files(root) == before


def test_a_byte_that_is_not_utf8_is_located_by_row_and_column(root: Path, tmp_path: Path) -> None:
    """After a value spanning lines, the row is the spreadsheet's, not the file's line."""
    latin = tmp_path / "l.csv"
    latin.write_bytes(OBSERVATIONS.encode() + b'demo,roads,km,2024-06-01,1,,,"first\r\nsecond\r\nthird"\r\n'
                      + "demo,roads,km,2024-07-01,2,km,caf\xe9,\r\n".encode("latin-1"))
    result = run(root, "import", str(latin))
    assert result.exit_code == 1
    assert result.stderr == f"{latin}:3:7: (file): file is not UTF-8 text (byte 0xe9); save it as CSV UTF-8\n"


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Change one file inside a workbook (as another program might have written it)."""
    with zipfile.ZipFile(path) as archive:
        contents = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info, data in contents:
            if info.filename == member:
                changed, data = data, change(data)
                assert data != changed
            archive.writestr(info, data)


def test_a_stale_dimension_loses_no_row_or_column(root: Path, tmp_path: Path) -> None:
    """openpyxl's read-only mode trusts `<dimension>`; the cells in the file decide instead."""
    book = openpyxl.Workbook()
    book.active.append(["programme", "priority", "indicator", "date", "value", "unit", "source", "note"])
    for month in (6, 7, 8):
        book.active.append(["demo", "roads", "km", dt.datetime(2024, month, 1), month, "km", None, f"month {month}"])
    book.save(tmp_path / "w.xlsx")
    rewrite_member(tmp_path / "w.xlsx", "xl/worksheets/sheet1.xml",
                   lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:E2"/>', xml))
    result = run(root, "import", str(tmp_path / "w.xlsx"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "demo: 3 added (3 observations), 0 skipped (policies/demo.yaml)\n"
    assert "note: month 8" in (root / "policies" / "demo.yaml").read_text(encoding="utf-8")
    book.active["I3"] = "beyond the header"  # and a value in a column the header does not name
    book.save(tmp_path / "x.xlsx")
    rewrite_member(tmp_path / "x.xlsx", "xl/worksheets/sheet1.xml",
                   lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:H4"/>', xml))
    extra = run(root, "import", str(tmp_path / "x.xlsx"))
    assert extra.exit_code == 1
    assert extra.stderr == f"{tmp_path / 'x.xlsx'}:Sheet!I1: (header): a column with values but no name in the header\n"


def test_a_stray_cell_far_away_is_refused_without_reading_the_empty_grid(root: Path, tmp_path: Path) -> None:
    """Work is bounded by the cells present, not by the extent they span."""
    for far in ("ZZ20000", "XFD200000", "A1048577"):
        book = openpyxl.Workbook()
        book.active.append(["programme", "priority", "indicator", "date", "value"])
        book.active.append(["demo", "roads", "km", dt.datetime(2024, 6, 1), 14])
        book.active["A1000" if far == "A1048577" else far] = "stray"
        book.save(tmp_path / "w.xlsx")
        if far == "A1048577":  # beyond a worksheet's last row: only a program other than a spreadsheet writes it
            rewrite_member(tmp_path / "w.xlsx", "xl/worksheets/sheet1.xml",
                           lambda xml: xml.replace(b'r="1000"', b'r="1048577"').replace(b'r="A1000"', b'r="A1048577"'))
        result = run(root, "import", str(tmp_path / "w.xlsx"))
        assert result.exit_code == 1, far
        assert result.stderr == (f"{tmp_path / 'w.xlsx'}:Sheet!{far}: (cell): a value far outside any table to "
                                 "import (an import reads columns A to IV and rows 1 to 1,048,576); delete it, or "
                                 "copy the table to a sheet of its own\n")
    book = openpyxl.Workbook()  # a cell formatted far away, but empty, is no value: passed over
    book.active.append(["programme", "priority", "indicator", "date", "value"])
    book.active.append(["demo", "roads", "km", dt.datetime(2024, 6, 1), 14])
    for row in range(3, 2000):
        book.active.cell(row, 16384).number_format = "0.00"
    book.save(tmp_path / "f.xlsx")
    result = run(root, "import", str(tmp_path / "f.xlsx"))
    assert result.exit_code == 0, result.output


def test_a_formula_without_a_saved_value_or_an_error_cell_is_refused(root: Path, tmp_path: Path) -> None:
    """openpyxl saves formulas uncalculated: read as values, they would be empty cells."""
    book = openpyxl.Workbook()
    book.active.append(["programme", "priority", "indicator", "date", "value", "unit", "source", "note"])
    book.active.append(["demo", "roads", "km", dt.datetime(2024, 6, 1), "=10+4", "km", None, None])
    book.active.append(["demo", "roads", "km", dt.datetime(2024, 7, 1), 15, "km", None, '=CONCAT("a","b")'])
    book.active.append(["demo", "roads", "km", dt.datetime(2024, 8, 1), 16, "km", None, "#N/A"])  # an error cell
    book.save(tmp_path / "w.xlsx")
    before = files(root)
    result = run(root, "import", str(tmp_path / "w.xlsx"))
    assert result.exit_code == 1
    w = tmp_path / "w.xlsx"
    assert result.stderr.splitlines() == [
        f"{w}:Sheet!E2: value: a formula with no saved value (the workbook was never calculated); open and save it "
        "in a spreadsheet program, or type the value",
        f"{w}:Sheet!H3: note: a formula with no saved value (the workbook was never calculated); open and save it "
        "in a spreadsheet program, or type the value",
        f"{w}:Sheet!H4: note: the cell shows an error (#N/A); type the value",
    ]
    assert files(root) == before
    rewrite_member(w, "xl/worksheets/sheet1.xml",  # saved by a spreadsheet program: the values it computed
                   lambda xml: xml.replace(b"<f>10+4</f><v />", b"<f>10+4</f><v>14</v>")
                   .replace(b'<f>CONCAT("a","b")</f><v />', b'<f>CONCAT("a","b")</f><v>ab</v>')
                   .replace(b'<c r="H3">', b'<c r="H3" t="str">')
                   .replace(b'<c r="H4" t="e"><v>#N/A</v></c>', b""))
    saved = run(root, "import", str(w))
    assert saved.exit_code == 0, saved.output
    assert saved.stdout == "demo: 3 added (3 observations), 0 skipped (policies/demo.yaml)\n"
    assert "value: 14" in (root / "policies" / "demo.yaml").read_text(encoding="utf-8")


def test_line_breaks_and_xlsx_escapes_read_back_as_written(root: Path, tmp_path: Path) -> None:
    """A note spanning lines re-saved with CRLF or CR is the same note; `_xHHHH_` in a workbook is
    XML's escape of a character (`_x0001_`) or, its underscore escaped, literal text."""
    rows = write(tmp_path / "a.csv", OBSERVATIONS + 'demo,roads,km,2024-06-01,20,km,,"line one\nline two"\r\n'
                 + "demo,roads,km,2024-07-01,21,km,,Code _x0041_ stays\r\n")
    assert run(root, "import", str(rows)).exit_code == 0
    out = tmp_path / "out"
    assert run(root, "export", "demo", "--as-of", "2025-01-01", "--out", str(out)).exit_code == 0
    exported = (out / "observations.csv").read_bytes()
    assert b'"line one\nline two"' in exported
    for ending in (b"\r\n", b"\r"):
        resaved = write(tmp_path / "b.csv", "")
        resaved.write_bytes(exported.replace(b"line one\nline two", b"line one" + ending + b"line two"))
        again = run(root, "import", str(resaved))
        assert again.stdout == "demo: 0 added, 3 skipped (policies/demo.yaml)\n", again.output
    assert run(root, "export", "demo", "--format", "xlsx", "--as-of", "2025-01-01", "--out", str(out)).exit_code == 0
    with zipfile.ZipFile(out / "demo.xlsx") as archive:
        assert b"Code _x005F_x0041_ stays" in archive.read("xl/sharedStrings.xml")  # Excel shows it literally
    assert run(root, "import", str(out / "demo.xlsx")).stdout.startswith("demo: 0 added, ")

    import xlsxwriter

    from tracker.tables.read import read

    texts = ["c\x01d", "a_x0041_b", "x\r\ny", "_x005F_", "plain"]
    book = xlsxwriter.Workbook(str(tmp_path / "w.xlsx"))
    sheet = book.add_worksheet("S")
    for row, text in enumerate(texts):
        sheet.write_string(row, 0, text)
    book.close()
    rewrite_member(tmp_path / "w.xlsx", "xl/worksheets/sheet1.xml",  # an inline string and a formula's text
                   lambda xml: xml.replace(b'<c r="A5" t="s"><v>4</v></c>',
                                           b'<c r="A5" t="inlineStr"><is><t>in_x0009_line</t></is></c>')
                   .replace(b'<c r="A1" t="s"><v>0</v></c>',
                            b'<c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>"e"&amp;CHAR(1)</f><v>e_x0001_</v></c>'))
    found = read(tmp_path / "w.xlsx", "w.xlsx")
    assert found.problems == []
    (sheet_read,) = found.sheets
    assert sheet_read.header == ["c\x01d", "e\x01"]
    assert [values for _, values in sheet_read.rows] == [["a_x0041_b"], ["x\r\ny"], ["_x005F_"], ["in\tline"]]


def test_problems_are_grouped_by_sheet_in_the_workbook_order(root: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    updates = book.active
    updates.title = "Updates"
    updates.append(["programme", "priority", "date", "status", "note"])
    figures = book.create_sheet("Figures")
    figures.append(["programme", "priority", "indicator", "date", "value"])
    for day in (2, 3):
        updates.append(["demo", "roads", dt.datetime(2024, 6, day), "stalled", None])
        figures.append(["demo", "roads", "km", dt.datetime(2024, 6, day), "many"])
    book.save(tmp_path / "w.xlsx")
    result = run(root, "import", str(tmp_path / "w.xlsx"))
    assert result.exit_code == 1
    w = tmp_path / "w.xlsx"
    assert result.stderr.splitlines() == [
        f"{w}:Updates!E2: note: an entry with status 'stalled' must carry a note saying why",
        f"{w}:Updates!E3: note: an entry with status 'stalled' must carry a note saying why",
        f"{w}:Figures!E2: value: expected a number but got 'many'",
        f"{w}:Figures!E3: value: expected a number but got 'many'",
    ]


def test_a_sources_cell_is_split_at_commas_semicolons_and_spaces(root: Path, tmp_path: Path) -> None:
    rows = write(tmp_path / "a.csv", STATUSES
                 + "demo,roads,2024-06-01,achieved,,,\"gazette,https://example.org/a\",\r\n"
                 + "demo,roads,2024-06-02,achieved,,,gazette;https://example.org/b,\r\n"
                 + "demo,roads,2024-06-03,achieved,,,\"https://example.org/c?x=1,2; gazette\",\r\n")
    result = run(root, "import", str(rows))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert run(root, "export", "demo", "--format", "json", "--as-of", "2025-01-01", "--out", str(out)).exit_code == 0
    entries = json.loads((out / "demo.json").read_text(encoding="utf-8"))["statuses"]
    assert [e["sources"] for e in entries if e["date"].startswith("2024-06")] == [
        ["gazette", "https://example.org/a"], ["gazette", "https://example.org/b"],
        ["https://example.org/c?x=1,2", "gazette"]]


def test_header_and_empty_cell_messages_name_the_column(root: Path, tmp_path: Path) -> None:
    nameless = write(tmp_path / "a.csv", "programme,priority,date,status_label,note,by\r\n"
                     "demo,schools,2024-06-01,In progress,x,\r\n")
    result = run(root, "import", str(nameless))
    assert result.stderr == (f"{nameless}:1:1: status: missing column 'status' of the statuses layout (its columns: "
                             "programme, priority, date, status, status_label, note, sources, by)\n")
    shared = write(tmp_path / "b.csv", "programme,priority,date,note\r\ndemo,schools,2024-06-01,x\r\n")
    assert run(root, "import", str(shared)).stderr == (
        f"{shared}:1:1: (header): the header names neither the columns of the statuses layout (programme, priority, "
        "date, status, status_label, note, sources, by) nor those of the observations layout (programme, priority, "
        "indicator, date, value, unit, source, note); it lacks 'status' for the statuses layout, or 'indicator' and "
        "'value' for the observations layout\n")
    sheet = write(tmp_path / "c.csv", OBSERVATIONS + "demo,roads,,2024-06-01,5,,,\r\n,roads,km,2024-06-01,5,,,\r\n")
    assert run(root, "import", str(sheet)).stderr.splitlines() == [
        f"{sheet}:2:3: indicator: empty; every row of the observations layout needs an indicator",
        f"{sheet}:3:1: programme: empty; every row of the observations layout needs a programme",
    ]


def test_limits_of_the_programme_file_are_checked_at_the_rows(root: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Found only in the edited file, they would point at a line of a text never written."""
    start = dt.date(1990, 1, 1)
    rows = write(tmp_path / "a.csv", OBSERVATIONS + "".join(
        f"demo,roads,km,{start + dt.timedelta(days=n)},{n},,,\r\n" for n in range(10_000)))
    before = files(root)
    result = run(root, "import", str(rows))
    assert result.exit_code == 1
    assert result.stderr == (f"{rows}:10001:3: indicator: demo/roads/km would hold more than 10,000 observations, "
                             "the most a programme file allows; this row and those after it are too many\n")
    assert files(root) == before
    from tracker.model import yamlsafe  # the size of the whole file, known only once edited

    monkeypatch.setattr(yamlsafe, "MAX_BYTES", max(len(data) for data in before.values()) + 100)
    few = write(tmp_path / "b.csv", OBSERVATIONS + "".join(
        f"demo,roads,km,2024-06-{n:02d},{n},,,A note long enough to pass the limit\r\n" for n in range(1, 31)))
    for dry in ((), ("--dry-run",)):
        too_big = run(root, "import", str(few), *dry)
        assert too_big.exit_code == 1
        assert too_big.stderr.startswith(f"{few}:2:1: programme: the rows for demo would make policies/demo.yaml "
                                         "invalid: the edit would make the file larger than the ")
        assert too_big.stderr.endswith(" MiB limit for a programme; nothing was written\n")
    assert files(root) == before


def test_an_absurdly_wide_csv_is_refused_in_few_words(root: Path, tmp_path: Path) -> None:
    wide = write(tmp_path / "a.csv", "programme" + "," * 100_000 + "\r\n")
    assert run(root, "import", str(wide)).stderr == (f"{wide}:1:257: (header): 100,001 columns, far more than any "
                                                     "table to import (an import reads at most 256)\n")
    long_row = write(tmp_path / "b.csv", OBSERVATIONS + "demo,roads,km,2024-06-01,20,km,,x" + ",y" * 100_000 + "\r\n")
    assert run(root, "import", str(long_row)).stderr == (
        f"{long_row}:2:9: (row): 100,008 cells, but the header names 8 columns: 'y', 'y', 'y' and 99,997 more past "
        "the last column belong to none (a value holding ',' must be in double quotes)\n")
