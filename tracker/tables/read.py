"""Reading a CSV file or an XLSX workbook as sheets of cells, each cell knowing where it is.

A CSV file is one sheet; its rows are numbered as a spreadsheet numbers them (the header is row
1; a quoted value spanning lines is one row). A workbook gives one sheet per worksheet, read
with openpyxl (values, not formulas: a formula's last computed value). Files are bounded in
size; a file that cannot be read is one located problem.
"""
from __future__ import annotations

import csv
import functools
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from tracker.errors import Problem, column_letters
from tracker.tables.cells import xlsx_unescape

MAX_BYTES = 64 * 1024 * 1024  # a file to import: about a million rows of CSV
MAX_UNZIPPED = 512 * 1024 * 1024  # what a workbook may hold once decompressed
_DELIMITERS = (",", ";", "\t")
MAX_ROWS = 1_048_576  # a worksheet's last row
MAX_COLUMNS = 256  # column IV: far beyond the widest layout of an import (eight columns)


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
        row, column = _place(body[: exc.start].decode("utf-8"))
        return Read([], [Problem(shown, row, column, "(file)", f"file is not UTF-8 text (byte "
                                                               f"0x{body[exc.start]:02x}); save it as CSV UTF-8")])
    delimiter = _delimiter(text)
    sheet = Sheet(shown, "")
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            if number == 1:
                sheet.header = list(values)
                if len(values) > MAX_COLUMNS:
                    return Read([], [sheet.problem(1, MAX_COLUMNS + 1, "(header)", f"{len(values):,} columns, far more "
                                                   "than any table to import (an import reads at most "
                                                   f"{MAX_COLUMNS})")])
            elif any(value.strip() for value in values):
                if len(values) > len(sheet.header):
                    problems.append(_extra_cells(sheet, number, values, delimiter))
                    values = values[: len(sheet.header)]
                sheet.rows.append((number, list(values)))
    except csv.Error as exc:
        row, column, message = _quoting(text, delimiter) or (number + 1, 1, f"not readable as CSV: {exc}")
        return Read([], [Problem(shown, row, column, "(file)", message)])
    if number == 0:
        return Read([], [Problem(shown, 1, 1, "(file)", "file is empty; expected a header row")])
    return Read([sheet], problems)


def _quoting(text: str, delimiter: str) -> Optional[tuple[int, int, str]]:
    """Where a CSV text breaks RFC 4180's quoting, and how: (row, column, message), or None.

    A quoted value never closed would take the rest of the file as its text; text after a
    closing quote means a quote inside a quoted value that was not doubled. The csv module
    (strict) refuses both, but says neither where the value began nor in which column; this
    scan, run only then, does. Rows are counted as `csv` and spreadsheets count them.
    """
    row, column, line, i, n = 1, 1, 1, 0, len(text)
    start = True  # at the start of a value: only there does a quote open a quoted value
    while i < n:
        char = text[i]
        if start and char == '"':
            opened = (row, column, line)
            i += 1
            while True:
                if i >= n:
                    return (opened[0], opened[1], f"a quoted value opened on line {opened[2]} is never closed "
                                                  "(the rest of the file would be its text); end it with \"")
                if text[i] == '"':
                    if text[i + 1: i + 2] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                if text[i] == "\n" or (text[i] == "\r" and text[i + 1: i + 2] != "\n"):
                    line += 1
                i += 1
            if i < n and text[i] not in (delimiter, "\r", "\n"):
                after = (text[i:].splitlines() or [""])[0][:20]
                return (opened[0], opened[1],
                        f"text after the closing quote of a quoted value ({after!r}); a quote inside a quoted value "
                        'is written twice ("")')
            start = False
            continue
        if char == delimiter:
            column += 1
            start = True
        elif char in "\r\n":
            if char == "\r" and text[i + 1: i + 2] == "\n":
                i += 1
            row, column, line, start = row + 1, 1, line + 1, True
        else:
            start = False
        i += 1
    return None


def _place(head: str) -> tuple[int, int]:
    """The row and column (as spreadsheets count them) of the character that follows `head`, the
    start of a CSV text: a quoted value holding line breaks is one row, not several."""
    mark = "\ufdd0"  # a noncharacter: it ends no value and opens no quote
    records = list(csv.reader(io.StringIO(head + mark, newline=""), delimiter=_delimiter(head), strict=False))
    for number in range(len(records), 0, -1):
        for column, value in enumerate(records[number - 1], start=1):
            if mark in value:
                return number, column
    return len(records) or 1, 1


def _delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one of `_DELIMITERS` its header line holds most of."""
    first = text.split("\n", 1)[0]
    return max(_DELIMITERS, key=lambda d: (first.count(d), -_DELIMITERS.index(d)))


def _extra_cells(sheet: Sheet, number: int, values: list[str], delimiter: str) -> Problem:
    """A row with more cells than the header has columns (RFC 4180: every record has as many
    fields as the header). Its cells past the last column belong to none, and dropping them
    would lose data; most often a value holds the delimiter without being quoted."""
    width = len(sheet.header)
    extra = values[width:]
    shown = ", ".join(repr(value) for value in extra[:3]) + (f" and {len(extra) - 3:,} more" if len(extra) > 3 else "")
    return sheet.problem(number, width + 1, "(row)",
                         f"{len(values):,} cells, but the header names {width:,} column{'s' if width != 1 else ''}: "
                         f"{shown} past the last column belong{'s' if len(extra) == 1 else ''} to none "
                         f"(a value holding {delimiter!r} must be in double quotes)")


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
    problems: list[Problem] = []
    try:
        strings = _shared_strings(book)
        for worksheet in book.worksheets:
            if not hasattr(worksheet, "iter_rows"):
                continue  # a chart sheet
            sheet = Sheet(shown, worksheet.title)
            for number, values in _rows(book, worksheet, strings, sheet, problems):
                if number == 1:
                    sheet.header = values
                else:
                    sheet.rows.append((number, values))
            sheets.append(sheet)
    except Exception as exc:  # noqa: BLE001
        return Read([], [Problem(shown, 1, 1, "(file)", f"not a readable XLSX workbook: {_one_line(exc)}")])
    finally:
        book.close()
    return Read(sheets, problems)


def _rows(book: Any, worksheet: Any, strings: list[str], sheet: Sheet,
          problems: list[Problem]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of the rows of a worksheet that hold a value, each as wide as its last
    value, read from the cells the file holds.

    Not through `iter_rows`: in read-only mode openpyxl trusts the sheet's declared `<dimension>`
    (a stale one loses rows and columns) and pads every row to the widest column (a stray cell at
    XFD200000 makes millions of empty cells). Its sheet parser gives the cells present, and only
    those are looked at (it is what `ReadOnlyWorksheet` itself reads with; `openpyxl` is pinned
    below 4 in pyproject.toml). A value beyond `MAX_COLUMNS` or `MAX_ROWS` is refused: no table
    to import reaches there, and reading up to it would be unbounded work.
    """
    with book._archive.open(worksheet._worksheet_path) as source:
        parser = _parser()(source, strings, data_only=True, epoch=book.epoch,
                           date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            unusable = [cell for cell in cells if UNUSABLE in cell]
            for cell in unusable:
                column = cell["column"]
                name = sheet.header[column - 1] if number > 1 and column <= len(sheet.header) else None
                problems.append(sheet.problem(number, column, str(name).strip() if not _blank(name) else "(cell)",
                                              cell[UNUSABLE]))
            present = {cell["column"]: cell["value"] for cell in cells if not _blank(cell["value"])}
            if not present or unusable:  # a row with a cell refused is not checked further
                continue
            far = max(present)
            if number > MAX_ROWS or far > MAX_COLUMNS:
                column = far if far > MAX_COLUMNS else min(present)
                problems.append(sheet.problem(number, column, "(cell)",
                                              "a value far outside any table to import (an import reads columns A to "
                                              f"{column_letters(MAX_COLUMNS)} and rows 1 to {MAX_ROWS:,}); delete it, "
                                              "or copy the table to a sheet of its own"))
                return
            values: list[Any] = [None] * far
            for column, value in present.items():
                values[column - 1] = value
            yield number, values


def _shared_strings(book: Any) -> list[str]:
    """The workbook's shared strings (most of its text cells), unescaped (`cells.xlsx_unescape`)."""
    from openpyxl.cell.text import Text
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import fromstring, iterparse

    manifest = Manifest.from_tree(fromstring(book._archive.read("[Content_Types].xml")))
    part = manifest.find(SHARED_STRINGS) if manifest is not None else None
    if part is None:
        return []
    strings = []
    tag = f"{{{SHEET_MAIN_NS}}}si"
    with book._archive.open(part.PartName[1:]) as source:
        for _, node in iterparse(source):
            if node.tag == tag:
                text = Text.from_tree(node)
                strings.append(xlsx_unescape(text.content if text is not None else ""))
                node.clear()
    return strings


UNUSABLE = "unusable"  # a cell's key in `_parser`'s output: why its value cannot be imported


@functools.lru_cache(maxsize=None)
def _parser() -> Any:
    """openpyxl's sheet parser, telling apart what its `data_only` mode reads alike.

    A formula's value is the one the spreadsheet program saved with it; a formula never
    calculated (a workbook written by a program that does not compute) has none (no `<v>`, or
    an empty one in a cell not typed as text), and reads as an empty cell: in a required column
    a misleading "empty", in an optional one a value lost. A cell holding an error (#N/A,
    #DIV/0!) reads as that text. Both are refused, at their cell. Text not from the shared
    strings is unescaped here (`cells.xlsx_unescape`).
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            with warnings.catch_warnings():  # a date serial out of range warns, then reads as #VALUE!
                warnings.simplefilter("ignore")
                cell: dict[str, Any] = super().parse_cell(element)
            kind = element.get("t")
            if element.find(FORMULA_TAG) is not None and not element.findtext(VALUE_TAG) and kind != "str":
                cell[UNUSABLE] = ("a formula with no saved value (the workbook was never calculated); open and save it "
                                  "in a spreadsheet program, or type the value")
            elif cell["data_type"] == "e":
                cell[UNUSABLE] = (f"the cell shows an error ({cell['value']}); type the value" if kind == "e" else
                                  "a number formatted as a date, but out of a date's range; write the date as text "
                                  "YYYY-MM-DD")
            elif kind in ("inlineStr", "str") and isinstance(cell["value"], str):
                cell["value"] = xlsx_unescape(cell["value"])
            return cell

    return Parser


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


__all__ = ["MAX_BYTES", "Read", "Sheet", "read"]
