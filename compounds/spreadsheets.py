"""Files people open in a spreadsheet: text a spreadsheet would run as a formula opens as the text it is.

A design named "=HYPERLINK(...)" or a compound note starting "+" would run as a formula when the file is opened.
Such text gets a leading apostrophe (OWASP's advice), which a spreadsheet shows as text; curators' imports take the
apostrophe off again, so an exported file imports back unchanged.

Files a spreadsheet saved in a way the import would misread (formulas without their results, another encoding,
semicolons between columns) are refused in words (UnreadableFile) rather than read as empty or one column.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Callable, Iterable
from io import BytesIO, StringIO
from typing import Any

import tablib
from import_export.formats import base_formats

from compounds.numbers import JSON_NUMBER
from formulator import labels

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def _escaped(value: Any) -> bool:
    """Whether a cell needs an apostrophe before it: text a spreadsheet would read as a formula, or text that already
    starts with an apostrophe before such text ("'+20% absorption'", a quoted seed claim), which reading the file back
    would otherwise take for the apostrophe added."""
    if not isinstance(value, str):
        return False
    if value.startswith(ESCAPE):
        return _escaped(value[1:])
    return value.startswith(FORMULA_START) and not JSON_NUMBER.fullmatch(value)


def spreadsheet_text(value: Any) -> Any:
    """A cell as a spreadsheet must show it: an apostrophe before text it would read as a formula; a number, negative
    ones included, stays a number."""
    return f"{ESCAPE}{value}" if _escaped(value) else value


def spreadsheet_value(value: Any) -> Any:
    """A cell as spreadsheet_text wrote it, read back: the apostrophe it added taken off."""
    if isinstance(value, str) and value.startswith(ESCAPE) and _escaped(value[1:]):
        return value[1:]
    return value


BYTE_ORDER_MARK = "\ufeff"


class SpreadsheetWriter:
    """csv.writer for files people open in a spreadsheet: every cell through spreadsheet_text, after a byte-order mark.

    Excel reads a CSV without one in the machine's legacy code page: "µg" opened as "Âµg", "—" as "â€”".
    """

    def __init__(self, out: Any) -> None:
        out.write(BYTE_ORDER_MARK)
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_text(value) for value in row])


class _Escaped:
    """An import-export format whose exports escape formula-like text and whose imports unescape it."""

    def export_data(self, dataset: Any, **kwargs: Any) -> Any:
        return super().export_data(_each_cell(dataset, spreadsheet_text), **kwargs)  # type: ignore[misc]

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        return _each_cell(super().create_dataset(in_stream, **kwargs), spreadsheet_value)  # type: ignore[misc]


def _each_cell(dataset: Any, cell: Callable[[Any], Any]) -> Any:
    """A copy of a tablib dataset with `cell` applied to every cell (not the headers, which are the columns' names)."""
    copied = dataset.__class__(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copied.append([cell(value) for value in row])
    return copied


ERROR_FORMULA_WITHOUT_RESULT = (
    "{cells} {holds} a formula without a saved result, which would import as empty: open the file in the spreadsheet "
    "and save it there (that saves each formula's result), or paste the values over the formulas, and import it again."
)
ERROR_NOT_UTF8 = (
    "The file is not UTF-8 text (at byte {position}), as spreadsheets save “CSV” in some languages: save it as "
    "“CSV UTF-8” (or as XLSX) and import it again."
)
ERROR_SEMICOLONS = (
    "The file's columns are separated by semicolons, as spreadsheets save CSV in some languages: save it with commas "
    "between columns and points in decimal numbers (or as XLSX), and import it again."
)
ERROR_OTHER_FORMAT = "The file's columns are separated as in {format}: choose {format} as its format, and import it again."
ERROR_EMPTY_SHEET = ("The workbook's first sheet is empty: the import reads the first sheet only, its first row the "
                     "column names. Put the rows there, or save the sheet that has them as the first.")
ERROR_NOT_XLSX = ("The file is not an XLSX workbook: choose the format the file is in (CSV for a .csv file), or save it "
                  "from the spreadsheet as XLSX, and import it again.")
ERROR_ROW_WIDTH = ("Line {line} of the file has another number of cells than its first line's {columns} columns: a "
                   "comma inside a cell (\"Bought from ACME, lot 42\") must be within quotes, as a spreadsheet saves it. Save "
                   "the file from the spreadsheet, or quote that cell, and import it again.")
ERROR_JSON_ROWS = ("The file is not JSON as an export writes it: a list of objects, one for each row, whose keys are the "
                   "columns. Export a few rows to see the shape, and import it again.")
CELLS_NAMED = 5  # beyond these, "and n more": a sheet of formulas would make a message as long as the sheet


class UnreadableFile(ValueError):
    """A file the import cannot read as the spreadsheet meant it, with what to do about it in words."""


def unreadable_message(exc: Exception) -> str | None:
    """What to do about a file the import could not read, in words; None for a failure this module does not know."""
    if isinstance(exc, UnreadableFile):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):  # raised reading the upload back as text, before a format sees it
        return ERROR_NOT_UTF8.format(position=exc.start)
    if isinstance(exc, zipfile.BadZipFile):  # an XLSX is a zip: "'BadZipFile' encountered while trying to read file"
        return ERROR_NOT_XLSX
    if isinstance(exc, StopIteration):  # a workbook whose first sheet has no row: "'StopIteration' encountered …"
        return ERROR_EMPTY_SHEET
    return None


def _text_dataset(create: Callable[..., Any], in_stream: Any, delimiter: str, **kwargs: Any) -> Any:
    # Looked at before reading: a row holding the delimiter in a cell ("Food, 2001") has more cells than the header.
    text = in_stream if isinstance(in_stream, str) else bytes(in_stream).decode("utf-8", "replace")
    header = text.partition("\n")[0]
    if ";" in header and delimiter not in header:
        raise UnreadableFile(ERROR_SEMICOLONS)
    other = {",": ("\t", "TSV"), "\t": (",", "CSV")}.get(delimiter)
    if other and other[0] in header and delimiter not in header:
        # Read as one column named by the whole first line: "The file has no 'slug' column", where it has one.
        raise UnreadableFile(ERROR_OTHER_FORMAT.format(format=other[1]))
    try:
        return create(in_stream, **kwargs)
    except tablib.InvalidDimensions:
        # tablib says only "'InvalidDimensions' encountered while trying to read file", naming no row.
        rows = list(csv.reader(StringIO(text.lstrip(BYTE_ORDER_MARK)), delimiter=delimiter))
        width = len(rows[0]) if rows else 0
        line = next((number for number, row in enumerate(rows[1:], 2) if row and len(row) != width), "?")
        raise UnreadableFile(ERROR_ROW_WIDTH.format(line=line, columns=width)) from None


class JSON(base_formats.JSON):
    """JSON as the export writes it: a list of objects, one a row, its keys the columns. A list of lists gave a 500;
    malformed JSON, "'JSONDecodeError' encountered while trying to read file"."""

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        try:
            rows = json.loads(in_stream)
        except ValueError:
            raise UnreadableFile(ERROR_JSON_ROWS) from None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise UnreadableFile(ERROR_JSON_ROWS)
        return super().create_dataset(in_stream, **kwargs)


def formulas_without_results(content: bytes) -> list[str]:
    """The cells of an XLSX file's first sheet holding a formula whose result the file does not hold."""
    import openpyxl

    formulas = openpyxl.load_workbook(BytesIO(content), read_only=True).active
    results = openpyxl.load_workbook(BytesIO(content), read_only=True, data_only=True).active
    return [formula.coordinate
            for formula_row, result_row in zip(formulas.iter_rows(), results.iter_rows())
            for formula, result in zip(formula_row, result_row)
            if formula.data_type == "f" and result.value is None]


class _Text(_Escaped):
    """A text format: exported after a byte-order mark, as SpreadsheetWriter writes (the import reads UTF-8 with or
    without one); imported only with the columns it separates by."""

    delimiter = ","

    def export_data(self, dataset: Any, **kwargs: Any) -> Any:
        return BYTE_ORDER_MARK + super().export_data(dataset, **kwargs)

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        return _text_dataset(super().create_dataset, in_stream, self.delimiter, **kwargs)


class CSV(_Text, base_formats.CSV):
    pass


class TSV(_Text, base_formats.TSV):
    delimiter = "\t"


class XLSX(_Escaped, base_formats.XLSX):
    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        # import-export reads each formula's saved result; a file written by a program that saves none (or saved
        # before it calculated) would import those cells as empty: a limit or a fraction silently gone.
        cells = formulas_without_results(in_stream)
        if cells:
            named = cells[:CELLS_NAMED] + ([f"{len(cells) - CELLS_NAMED} more"] if len(cells) > CELLS_NAMED else [])
            raise UnreadableFile(ERROR_FORMULA_WITHOUT_RESULT.format(
                cells=("Cell " if len(cells) == 1 else "Cells ") + labels.listed(named),
                holds="holds" if len(cells) == 1 else "each hold"))
        return super().create_dataset(in_stream, **kwargs)


# The admin's import and export formats (settings.IMPORT_EXPORT_FORMATS): the spreadsheets, escaped, and JSON.
FORMATS = [CSV, XLSX, TSV, JSON]
