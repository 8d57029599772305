"""Reading and writing the batch command's tables (CSV and XLSX).

Speed matters here (a province is a million rows): a CSV without any quote
character is split with ``str.split`` and written back by appending the new
fields to its untouched lines, which is several times faster than the csv
module; anything else goes through the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import methodcaller
from pathlib import Path
from typing import Any

DELIMITERS = (",", ";", "\t", "|")


class InputError(Exception):
    """The file as a whole cannot be read (a bad row is never an InputError)."""


@dataclass
class Table:
    """A table as read: header and rows, or, for an unquoted CSV, all fields in
    one flat list (a column is then a slice) and the raw lines for writing back."""

    header: list[str]
    rows: list[list[Any]] | None = None
    delimiter: str = ","
    ragged: list[int] = field(default_factory=list)  # rows whose field count was wrong
    lines: list[str] | None = None
    flat: list[str] | None = None
    from_workbook: bool = False

    @property
    def width(self) -> int:
        return len(self.header)

    def column(self, j: int) -> list[Any]:
        if self.flat is not None:
            return self.flat[j::self.width]
        return [row[j] for row in self.rows or []]

    def row_list(self) -> list[list[Any]]:
        if self.rows is None:
            w, flat = self.width, self.flat or []
            self.rows = [flat[i:i + w] for i in range(0, len(flat), w)]
        return self.rows

    def __len__(self) -> int:
        if self.flat is not None:
            return len(self.flat) // self.width
        return len(self.rows or [])


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


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"berkas tidak dapat dibaca: {exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # old Excel exports


def _even(rows: list[list[Any]], width: int) -> list[int]:
    """Pad or cut rows to the header's width; return the rows that needed it."""
    ragged = [i for i, r in enumerate(rows) if len(r) != width]
    for i in ragged:
        row = rows[i]
        rows[i] = row[:width] if len(row) > width else row + [""] * (width - len(row))
    return ragged


def read_csv(path: Path, delimiter: str | None = None) -> Table:
    text = _decode(path)
    first = text.split("\n", 1)[0]
    delimiter = delimiter or sniff_delimiter(first)
    if '"' not in text:
        lines = text.replace("\r\n", "\n").split("\n")
        blank = delimiter + " \t"
        lines = [line for line in lines if line.strip(blank)]
        if not lines:
            raise InputError("berkas kosong: baris judul kolom tidak ada")
        header = [h.strip() for h in lines[0].split(delimiter)]
        data = lines[1:]
        if set(map(methodcaller("count", delimiter), data)) <= {len(header) - 1}:
            # every line has the header's width: one split gives all the fields
            flat = delimiter.join(data).split(delimiter) if data else []
            return Table(header, None, delimiter, [], data, flat)
        rows = [line.split(delimiter) for line in data]
        return Table(header, rows, delimiter, _even(rows, len(header)))
    records = list(csv.reader(text.splitlines(), delimiter=delimiter))
    records = [r for r in records if any(field.strip() for field in r)]
    if not records:
        raise InputError("berkas kosong: baris judul kolom tidak ada")
    header = [h.strip() for h in records[0]]
    rows = records[1:]
    return Table(header, rows, delimiter, _even(rows, len(header)))


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
    _even(rows, len(header))  # trailing empty cells are not an error in a workbook
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


def _quoted(value: str, delimiter: str) -> str:
    if delimiter in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def _needs_quotes(column: Sequence[str], delimiter: str) -> bool:
    joined = "\x00".join(column)  # one C-level scan instead of a million Python tests
    return delimiter in joined or '"' in joined or "\n" in joined or "\r" in joined


def write_csv(path: Path, table: Table, header: Sequence[str],
              new_columns: Sequence[Sequence[str]]) -> None:
    """The input rows followed by the new columns, in the input's delimiter."""
    d = table.delimiter
    with open(path, "w", newline="", encoding="utf-8") as handle:
        if table.lines is not None:
            # unquoted input: reuse each line as it was, quote only where needed
            safe = [[_quoted(v, d) for v in col] if _needs_quotes(col, d) else col
                    for col in new_columns]
            handle.write(d.join(_quoted(h, d) for h in header) + "\n")
            tails = map(d.join, zip(*safe, strict=True))
            if table.lines:
                handle.write("\n".join(map(d.join, zip(table.lines, tails, strict=True))) + "\n")
            return
        writer = csv.writer(handle, delimiter=d, lineterminator="\n")
        writer.writerow(header)
        if table.from_workbook:
            rows = ([text_of(v) for v in row] for row in table.row_list())
        else:
            rows = iter(table.row_list())
        writer.writerows(r + list(t) for r, t in zip(rows, zip(*new_columns, strict=True), strict=True))


def write_xlsx(path: Path, table: Table, header: Sequence[str],
               new_columns: Sequence[Sequence[Any]]) -> None:
    # write-only mode streams rows instead of building the sheet in memory
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hasil")
    sheet.append(list(header))
    for row, extra in zip(table.row_list(), zip(*new_columns, strict=True), strict=True):
        sheet.append(list(row) + list(extra))
    workbook.save(path)
