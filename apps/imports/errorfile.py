"""The uploaded sheet given back with a "Kesalahan" column: the officer fixes every row in Excel
and uploads it again, one round instead of one per error.

Rows keep their spreadsheet row numbers (blank rows are written back as blank rows), so "Baris 57"
in the page is row 57 in this file. Text cells pass through core.cellsafety.neutralise: a name
typed as a formula must not run when the file is opened.
"""
from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from openpyxl import Workbook

from apps.core.cellsafety import neutralise
from apps.imports.models import ImportRun
from apps.imports.services import stored_file
from apps.serviceday import imports as engine

ERROR_HEADER = "Kesalahan"
WARNING_HEADER = "Peringatan"


def error_workbook(run: ImportRun) -> bytes:
    sheet, _ = engine.read_sheet(stored_file(run))
    errors: dict[int, list[str]] = defaultdict(list)
    for row, message in run.errors:
        errors[row].append(message)
    warnings: dict[int, list[str]] = defaultdict(list)
    for row, message in run.warnings:
        warnings[row].append(message)
    book = Workbook(write_only=True)
    out = book.create_sheet("Application List")
    line = 1
    while line < sheet.header_row:
        out.append([])
        line += 1
    out.append([_safe(h) for h in sheet.header] + [ERROR_HEADER, WARNING_HEADER])
    line += 1
    for number, row in zip(sheet.row_numbers, sheet.rows):
        while line < number:
            out.append([])
            line += 1
        cells: list[Any] = [_safe(c) for c in row]
        cells += ["; ".join(errors.get(number, [])), "; ".join(warnings.get(number, []))]
        out.append(cells)
        line += 1
    if errors.get(0) or errors.get(sheet.header_row):
        out.append([])
        out.append([ERROR_HEADER + " berkas: " + "; ".join(errors.get(0, []) + errors.get(sheet.header_row, []))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(cell: Any) -> Any:
    return neutralise(cell) if isinstance(cell, str) else cell
