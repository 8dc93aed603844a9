"""The one cell writer of every CSV and XLSX export: user text stays text.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
through some importers, a tab or a carriage return) as a formula: an organization's
name ``=HYPERLINK(…)`` or an employee's name ``=cmd|' /C calc'!A0`` would act when staff
open the file. Masking keeps a name's first character, so masked text needs it too.

- XLSX: every string is written as a string cell (openpyxl would otherwise store any
  string starting with ``=`` as a formula); characters XML cannot hold are dropped.
- CSV: a string that a spreadsheet would read as a formula gets a leading apostrophe,
  the usual neutraliser (OWASP, "CSV injection"); CSV has no cell types to say it.

Numbers, dates and None pass through unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# ASCII and the full-width forms that spreadsheet programs also treat as operators.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def xlsx_row(sheet, values: Iterable[Any]) -> list[WriteOnlyCell]:
    """Cells for `sheet.append`, in normal and write-only workbooks alike."""
    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            # Assigning a string starting with "=" made it a formula; it is text.
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value=value)
        cells.append(cell)
    return cells


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, with every string kept a string."""
    sheet.append(xlsx_row(sheet, values))


def csv_value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.replace("\x00", "")
        if is_formula_like(value):
            return "'" + value
    return value


class SafeCSVWriter:
    """`csv.writer` whose every string cell is neutralised by `csv_value`."""

    def __init__(self, buffer, **kwargs: Any) -> None:
        self._writer = csv.writer(buffer, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(buffer, **kwargs: Any) -> SafeCSVWriter:
    return SafeCSVWriter(buffer, **kwargs)
