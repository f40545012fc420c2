"""Files people open in a spreadsheet: text a spreadsheet would run as a formula opens as the text it is.

A design named "=HYPERLINK(...)" or a compound note starting "+" would run as a formula when the file is opened.
Such text gets a leading apostrophe (OWASP's advice), which a spreadsheet shows as text; curators' imports take the
apostrophe off again, so an exported file imports back unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import Any

from import_export.formats import base_formats

from compounds.numbers import JSON_NUMBER

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def spreadsheet_text(value: Any) -> Any:
    """A cell as a spreadsheet must show it: an apostrophe before text it would read as a formula; a number, negative
    ones included, stays a number."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START) or JSON_NUMBER.fullmatch(value):
        return value
    return f"{ESCAPE}{value}"


def spreadsheet_value(value: Any) -> Any:
    """A cell as spreadsheet_text wrote it, read back: the apostrophe it added taken off."""
    if isinstance(value, str) and value.startswith(ESCAPE) and spreadsheet_text(value[1:]) == value:
        return value[1:]
    return value


class SpreadsheetWriter:
    """csv.writer for files people open in a spreadsheet: every cell through spreadsheet_text."""

    def __init__(self, out: Any) -> None:
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


class CSV(_Escaped, base_formats.CSV):
    pass


class TSV(_Escaped, base_formats.TSV):
    pass


class XLSX(_Escaped, base_formats.XLSX):
    pass


# The admin's import and export formats (settings.IMPORT_EXPORT_FORMATS): the spreadsheets, escaped, and JSON.
FORMATS = [CSV, XLSX, TSV, base_formats.JSON]
