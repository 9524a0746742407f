"""Reading a CSV file or an XLSX workbook as sheets of cells, each cell knowing where it is.

A CSV file is one sheet; its rows are numbered as a spreadsheet numbers them (the header is row
1; a quoted value spanning lines is one row). A workbook gives one sheet per worksheet, read
with openpyxl (values, not formulas: a formula's last computed value). Files are bounded in
size; a file that cannot be read is one located problem.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from tracker.errors import Problem

MAX_BYTES = 64 * 1024 * 1024  # a file to import: about a million rows of CSV
MAX_UNZIPPED = 512 * 1024 * 1024  # what a workbook may hold once decompressed
_DELIMITERS = (",", ";", "\t")


@dataclass
class Sheet:
    """A table of cells read from a file: `rows` are (row number, values), blank rows left out."""

    file: str  # the file as the user named it
    name: str  # the worksheet's name; "" for a CSV file
    header: list[Any] = field(default_factory=list)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    def problem(self, row: int, column: int, fld: str, message: str) -> Problem:
        return Problem(self.file, row, column, fld, message, sheet=self.name)

    @property
    def label(self) -> str:
        """How the sheet is named in a message."""
        return f"{self.file}:{self.name}" if self.name else self.file


@dataclass
class Read:
    sheets: list[Sheet]
    problems: list[Problem]


def read(path: Path, shown: str) -> Read:
    """The sheets of the CSV file or workbook at `path` (`shown` names it in messages)."""

    def fail(message: str) -> Read:
        return Read([], [Problem(shown, 1, 1, "(file)", message)])

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return fail(f"file is larger than the {MAX_BYTES // (1024 * 1024)} MiB limit of an import")
    if data.startswith(b"PK\x03\x04"):
        return _workbook(data, shown)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return fail("this is an old Excel .xls file; save it as .xlsx or as CSV (UTF-8)")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return fail("not an XLSX workbook (a workbook is a zip file)")
    return _csv(data, shown)


def _csv(data: bytes, shown: str) -> Read:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # spreadsheets' "CSV UTF-8" has one
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = body[: exc.start]
        line = head.count(b"\n") + 1
        return Read([], [Problem(shown, line, 1, "(file)", f"file is not UTF-8 text (byte 0x{body[exc.start]:02x}); "
                                                           "save it as CSV UTF-8")])
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=lambda d: (first.count(d), -_DELIMITERS.index(d)))
    sheet = Sheet(shown, "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            if number == 1:
                sheet.header = list(values)
            elif any(value.strip() for value in values):
                sheet.rows.append((number, list(values)))
    except csv.Error as exc:
        return Read([], [Problem(shown, number + 1, 1, "(file)", f"not readable as CSV: {exc}")])
    if number == 0:
        return Read([], [Problem(shown, 1, 1, "(file)", "file is empty; expected a header row")])
    return Read([sheet], [])


def _workbook(data: bytes, shown: str) -> Read:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                return Read([], [Problem(shown, 1, 1, "(file)", "workbook holds more than "
                                         f"{MAX_UNZIPPED // (1024 * 1024)} MiB once decompressed; refused")])
    except zipfile.BadZipFile:
        return Read([], [Problem(shown, 1, 1, "(file)", "not a readable XLSX workbook (a damaged zip file)")])
    import openpyxl  # imported when a workbook is read: CSV imports never need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        return Read([], [Problem(shown, 1, 1, "(file)", f"not a readable XLSX workbook: {_one_line(exc)}")])
    sheets = []
    try:
        for worksheet in book.worksheets:
            if not hasattr(worksheet, "iter_rows"):
                continue  # a chart sheet
            sheet = Sheet(shown, worksheet.title)
            for number, values in _rows(worksheet):
                if number == 1:
                    sheet.header = values
                elif any(not _blank(value) for value in values):
                    sheet.rows.append((number, values))
            sheets.append(sheet)
    except Exception as exc:  # noqa: BLE001
        return Read([], [Problem(shown, 1, 1, "(file)", f"not a readable XLSX workbook: {_one_line(exc)}")])
    finally:
        book.close()
    return Read(sheets, [])


def _rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of a worksheet from row 1, rows absent from the file given as blank."""
    for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, list(values)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


__all__ = ["MAX_BYTES", "Read", "Sheet", "read"]
