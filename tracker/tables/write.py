"""The tables as files: CSV (one per table), an XLSX workbook (a sheet per table), one JSON document.

The same tables give the same bytes: nothing here reads the clock. A workbook's creation and
modification dates are the as-of date, and the dates of the files inside it (and inside the CSV
zip of `tracker publish`) are fixed too.

Workbooks are written with XlsxWriter: it writes real date (from 1900-03-01: `FIRST_SERIAL_DATE`),
number and boolean cells, a frozen header and filters, and sets every date inside the file from what it is given (openpyxl, which
reads the workbooks `tracker import` takes, stamps them with the clock).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from tracker.edit import atomic
from tracker.model.records import Programme
from tracker.tables.cells import LIST_SEPARATOR, neutralise, text_of
from tracker.tables.columns import TABLES
from tracker.tables.rows import Tables, tables

FORMATS = ("csv", "xlsx", "json")
#: The first day a workbook's date cell holds the same in every spreadsheet program. Excel's
#: serial numbers start on 1900-01-01 and count a 29 February 1900 that never was; before
#: 1900-03-01 programs disagree (LibreOffice and openpyxl read the serials as other days), and
#: a date before 1900 has no serial at all (a negative number; 0001-01-01 reads as #VALUE!).
#: Such dates are written as text, YYYY-MM-DD, which `tracker import` reads back exactly.
FIRST_SERIAL_DATE = dt.date(1900, 3, 1)
DATA_FOLDER = "data"  # reports/<id>/data/: where `tracker export` writes by default


def csv_bytes(data: Tables, table: str) -> bytes:
    """One table as RFC 4180 CSV: UTF-8 (no byte-order mark), CRLF line ends, a header row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([column.name for column in TABLES[table]])
    for row in data.rows[table]:
        writer.writerow([text_of(value) for value in row])
    return out.getvalue().encode("utf-8")


def json_bytes(data: Tables) -> bytes:
    """One document: the as-of date, the programmes, and each table as a list of rows (objects
    with the tables' columns, in order; dates as YYYY-MM-DD, lists as arrays, empty as null)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return list(value)
        return value

    document: dict[str, Any] = {"as_of": data.as_of.isoformat(), "programmes": list(data.programmes)}
    for table in TABLES:
        document[table] = [{name: plain(value) for name, value in row.items()} for row in data.records(table)]
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def xlsx_bytes(data: Tables) -> bytes:
    """One workbook, a sheet per table: dates, numbers and booleans as such, header frozen."""
    import xlsxwriter  # imported when a workbook is written: `tracker export` to CSV never needs it

    out = io.BytesIO()
    stamp = dt.datetime(data.as_of.year, data.as_of.month, data.as_of.day, tzinfo=dt.timezone.utc)
    # in_memory: XlsxWriter then dates every file inside the zip 1980-01-01 (on disk, it would use
    # the temporary files' own dates). No strings become formulas, numbers or links.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                     "strings_to_urls": False})
    book.set_properties({
        "title": f"{', '.join(data.programmes) or 'No programme'}: data as recorded on {data.as_of.isoformat()}",
        "created": stamp,
        "comments": "Written by tracker export.",
    })
    header = book.add_format({"bold": True, "bottom": 1})
    formats = {
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "number": book.add_format({"num_format": "General"}),
    }
    for table, columns in TABLES.items():
        sheet = book.add_worksheet(table)
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column.name, header)
            sheet.set_column(c, c, column.width)
        for r, row in enumerate(data.rows[table], start=1):
            for c, value in enumerate(row):
                _write_cell(sheet, r, c, value, formats)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(data.rows[table]), 1), len(columns) - 1)
    book.close()
    return out.getvalue()


def _write_cell(sheet: Any, r: int, c: int, value: Any, formats: dict[str, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value, formats["number"])
    elif isinstance(value, dt.date) and value < FIRST_SERIAL_DATE:
        sheet.write_string(r, c, value.isoformat())
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), formats["date"])
    elif isinstance(value, tuple):
        sheet.write_string(r, c, neutralise(LIST_SEPARATOR.join(value)))
    else:
        sheet.write_string(r, c, neutralise(str(value)))


def zip_bytes(members: list[tuple[str, bytes]], day: dt.date) -> bytes:
    """A zip of `members` (name, bytes), each dated `day` at midnight: the same members, the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, (max(day.year, 1980), day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix: the permission bits above mean what they say
            archive.writestr(info, data)
    return out.getvalue()


def files_of(data: Tables, fmt: str, name: str) -> list[tuple[str, bytes]]:
    """The files of one export: (file name, bytes). `name` names the workbook or document."""
    if fmt == "csv":
        return [(f"{table}.csv", csv_bytes(data, table)) for table in TABLES]
    if fmt == "xlsx":
        return [(f"{name}.xlsx", xlsx_bytes(data))]
    if fmt == "json":
        return [(f"{name}.json", json_bytes(data))]
    raise ValueError(f"unknown format {fmt!r}")


@dataclass(frozen=True)
class Exported:
    paths: list[Path]


def export(programmes: list[Programme], as_of: dt.date, fmt: str, out: Optional[Path], reports: Path) -> Exported:
    """`tracker export`: the tables of `programmes` as of `as_of`, in `fmt`.

    With `out`, one set of files there holding every programme (the `programme` column tells
    them apart); without, each programme's own in `reports/<id>/data/`. A workbook or document
    is named after its programme (`<id>.xlsx`), or `programmes.xlsx` when it holds several.
    Every file is written atomically.
    """
    batches: list[tuple[Path, Tables, str]] = []
    if out is not None:
        name = programmes[0].id if len(programmes) == 1 else "programmes"
        batches.append((out, tables(programmes, as_of), name))
    else:
        for programme in programmes:
            batches.append((reports / programme.id / DATA_FOLDER, tables([programme], as_of), programme.id))
    planned = [(folder / file, data) for folder, data_set, name in batches
               for file, data in files_of(data_set, fmt, name)]
    for path, data in planned:
        atomic.write_bytes(path, data)
    return Exported([path for path, _ in planned])


def edition_data(programme: Programme, as_of: dt.date) -> dict[str, bytes]:
    """The data offered beside an edition (`tracker publish`): by suffix, `.csv.zip` (the CSV
    tables) and `.xlsx` (the workbook), each the export of the programme as of the edition's date."""
    data = tables([programme], as_of)
    return {".csv.zip": zip_bytes(files_of(data, "csv", programme.id), as_of), ".xlsx": xlsx_bytes(data)}
