"""Reading and writing the batch command's workbooks (XLSX), and what the CSV
path (growth.csvio) shares with them: tables, quoting, the delimiter.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DELIMITERS = (",", ";", "\t", "|")
XLSX_MAX_ROWS = 1_048_576  # Excel's limit, the header row included
XLSX_MAX_COLUMNS = 16_384


class InputError(Exception):
    """The file as a whole cannot be read (a bad row is never an InputError)."""


@dataclass
class Table:
    """A table as read: header and rows (of the header's width)."""

    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    delimiter: str = ","
    ragged: list[int] = field(default_factory=list)  # rows whose field count was wrong
    from_workbook: bool = False

    @property
    def width(self) -> int:
        return len(self.header)

    def column(self, j: int) -> list[Any]:
        return [row[j] for row in self.rows]

    def row_list(self) -> list[list[Any]]:
        return self.rows

    def __len__(self) -> int:
        return len(self.rows)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Millions of small lists make the cyclic garbage collector rescan the heap
    again and again; nothing here builds cycles, so it can rest meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sniff_delimiter(first_line: str) -> str:
    # Indonesian Excel writes ";" (the comma is the decimal mark); WHO files use ",".
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def even_rows(rows: list[list[Any]], width: int) -> list[int]:
    """Pad or cut rows to the header's width; return the rows that needed it."""
    ragged = [i for i, r in enumerate(rows) if len(r) != width]
    for i in ragged:
        row = rows[i]
        rows[i] = row[:width] if len(row) > width else row + [""] * (width - len(row))
    return ragged


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    """Header (first row) and rows of a sheet, values typed as the workbook
    stores them (numbers, dates, text)."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if sheet is None:
            # e-PPGBM puts its data in "Application List"; otherwise the first sheet
            sheet = "Application List" if "Application List" in names else names[0]
        if sheet not in names:
            raise InputError(f"lembar '{sheet}' tidak ada; lembar yang ada: {', '.join(names)}")
        data = workbook.get_sheet_by_name(sheet).to_python()
    except InputError:
        raise
    except Exception as exc:  # calamine raises several unrelated types
        raise InputError(f"berkas XLSX tidak dapat dibaca: {exc}") from exc
    data = [row for row in data if any(cell not in ("", None) for cell in row)]
    if not data:
        raise InputError("lembar kosong: baris judul kolom tidak ada")
    header = [str(h).strip() for h in data[0]]
    while header and header[-1] == "":
        header.pop()
    rows = [list(r) for r in data[1:]]
    even_rows(rows, len(header))  # trailing empty cells are not an error in a workbook
    return Table(header, rows, from_workbook=True)


def text_of(value: Any) -> str:
    """How a cell read from a workbook is written into a CSV file."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def quoted(value: str, delimiter: str) -> str:
    """A field as Python's csv module writes it (QUOTE_MINIMAL)."""
    if delimiter in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def write_csv(path: Path, table: Table, header: Sequence[str],
              new_columns: Sequence[Sequence[str]]) -> None:
    """The rows of a workbook followed by the new columns (CSV files stream
    through growth.csvio instead)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=table.delimiter, lineterminator="\n")
        writer.writerow(header)
        if table.from_workbook:
            rows = ([text_of(v) for v in row] for row in table.rows)
        else:
            rows = iter(table.rows)
        writer.writerows(r + list(t) for r, t in zip(rows, zip(*new_columns, strict=True), strict=True))


NUMERIC_OUTPUT = frozenset(("umur_hari", "umur_bulan", "clenhei", "c9mo_flag", "cbmi", "zlen",
                            "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi", "zhc", "fhc",
                            "zac", "fac"))


def _id_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def too_many_rows_for_xlsx(rows: int) -> str:
    return (f"hasil terlalu besar untuk XLSX: lebih dari {_id_number(rows)} baris data, sedangkan "
            f"satu lembar Excel memuat paling banyak {_id_number(XLSX_MAX_ROWS - 1)} baris data; "
            "simpan hasilnya sebagai berkas .csv (misalnya -o hasil.csv)")


def too_many_columns_for_xlsx(columns: int) -> str:
    return (f"hasil terlalu lebar untuk XLSX: {_id_number(columns)} kolom, sedangkan satu lembar "
            f"Excel memuat paling banyak {_id_number(XLSX_MAX_COLUMNS)} kolom; simpan hasilnya "
            "sebagai berkas .csv (misalnya -o hasil.csv)")


@contextmanager
def xlsx_writer(path: Path, header: Sequence[str]) -> Iterator[Callable[[Table, dict[str, list[str]]], None]]:
    """Append blocks of rows to a streamed XLSX sheet ("Hasil"); numbers as
    numbers, so that Excel users can sort and compute.  Past Excel's limits
    it stops with an InputError and leaves no half-written file."""
    # write-only mode streams rows instead of building the sheet in memory
    from openpyxl import Workbook

    if len(header) > XLSX_MAX_COLUMNS:
        raise InputError(too_many_columns_for_xlsx(len(header)))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hasil")
    sheet.append(list(header))
    written = 0

    def append(table: Table, new_columns: dict[str, list[str]]) -> None:
        nonlocal written
        written += len(table)
        if written > XLSX_MAX_ROWS - 1:
            raise InputError(too_many_rows_for_xlsx(XLSX_MAX_ROWS - 1))
        typed = [[float(v) if v else None for v in col] if name in NUMERIC_OUTPUT else col
                 for name, col in new_columns.items()]
        for row, extra in zip(table.rows, zip(*typed, strict=True), strict=True):
            sheet.append(list(row) + list(extra))

    try:
        yield append
        workbook.save(path)
    except BaseException:
        with suppress(OSError):
            path.unlink()
        raise


def write_xlsx(path: Path, table: Table, header: Sequence[str],
               new_columns: dict[str, list[str]]) -> None:
    with xlsx_writer(path, header) as append:
        append(table, new_columns)
