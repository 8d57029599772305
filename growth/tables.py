"""The vendored WHO LMS tables as dense numpy arrays.

Every table is turned into three arrays (L, M, S) of shape ``(3, n)``: row 0 is
all-NaN and stands for "sex unknown", rows 1 and 2 are boys and girls.  A
look-up is then one integer index ``sex * n + position`` into the flattened
array, so a whole column of children is scored without a Python loop, and any
invalid input can be pointed at the NaN row instead of being special-cased.
"""

from __future__ import annotations

import functools
import gzip
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class LmsTable:
    """One WHO table: L, M, S on a regular grid ``start + i * step``."""

    name: str
    start: float
    step: float
    l: np.ndarray  # noqa: E741 - L is the name WHO gives the Box-Cox power
    m: np.ndarray
    s: np.ndarray

    @property
    def size(self) -> int:
        return int(self.l.shape[1])

    @property
    def stop(self) -> float:
        """Last x value of the grid (inclusive)."""
        return self.start + (self.size - 1) * self.step

    def x_values(self) -> np.ndarray:
        return self.start + np.arange(self.size) * self.step

    def flat(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.l.ravel(), self.m.ravel(), self.s.ravel()


# file name, grid step; the start is read from the file itself
_FILES: dict[str, tuple[str, float]] = {
    "weianthro": ("weianthro.txt.gz", 1.0),
    "lenanthro": ("lenanthro.txt.gz", 1.0),
    "bmianthro": ("bmianthro.txt.gz", 1.0),
    "hcanthro": ("hcanthro.txt.gz", 1.0),
    "acanthro": ("acanthro.txt.gz", 1.0),
    "wflanthro": ("wflanthro.txt.gz", 0.1),
    "wfhanthro": ("wfhanthro.txt.gz", 0.1),
    "wfawho2007": ("wfawho2007.txt.gz", 1.0),
    "hfawho2007": ("hfawho2007.txt.gz", 1.0),
    "bfawho2007": ("bfawho2007.txt.gz", 1.0),
}

TABLE_NAMES: tuple[str, ...] = tuple(_FILES)


def read_rows(name: str) -> list[tuple[int, float, float, float, float]]:
    """Raw rows (sex, x, l, m, s) of a vendored table, as WHO wrote them."""
    file_name, _ = _FILES[name]
    with gzip.open(DATA_DIR / file_name, "rt", encoding="ascii") as handle:
        lines = handle.read().splitlines()
    rows = []
    for line in lines[1:]:  # the first line is the header
        parts = line.split("\t")
        rows.append(
            (int(parts[0]), float(parts[1]), float(parts[2]), float(parts[3]), float(parts[4]))
        )
    return rows


def _columns(raw: bytes) -> list[np.ndarray]:
    """The sex, x, L, M and S columns of a table file (tab-separated, a header).
    The batch command has pyarrow loaded anyway: its C++ reader parses the nine
    tables in a few milliseconds, where Python's float() per value took a tenth
    of a second of every start (numpy's string cast ten times that).  Both
    round every decimal to the nearest double, so the values are the same; the
    web app, which does not load pyarrow, takes the Python route."""
    header, body = raw.decode("ascii").split("\n", 1)
    width = len(header.split("\t"))  # some tables add a 6th column, L or H
    if "pyarrow.csv" in sys.modules:
        import pyarrow as pa
        import pyarrow.csv as pcsv

        names = [f"c{j}" for j in range(width)]
        table = pcsv.read_csv(
            pa.py_buffer(raw),
            read_options=pcsv.ReadOptions(use_threads=False, column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(delimiter="\t"),
            convert_options=pcsv.ConvertOptions(include_columns=names[:5],
                                                column_types=dict.fromkeys(names[:5], pa.float64())))
        return [table.column(j).to_numpy() for j in range(5)]
    tokens = body.split()
    return [np.array(list(map(float, tokens[j::width])), dtype=np.float64) for j in range(5)]


@functools.cache
def load(name: str) -> LmsTable:
    """Load one table into a dense grid (cached: tables never change at run time).
    Parsed by numpy in one go: the batch command loads six tables at every start."""
    file_name, step = _FILES[name]
    with gzip.open(DATA_DIR / file_name, "rb") as handle:
        raw = handle.read()
    sex_f, x, l_, m, s = _columns(raw)
    sex = sex_f.astype(np.intp)
    start, stop = float(x.min()), float(x.max())
    size = int(round((stop - start) / step)) + 1
    position = np.rint((x - start) / step).astype(np.intp)
    if not np.isin(sex, (1, 2)).all() or sex_f.tolist() != sex.tolist():
        raise ValueError(f"{name}: unexpected sex in the table")
    seen = np.zeros((3, size), dtype=np.intp)
    np.add.at(seen, (sex, position), 1)
    if (seen > 1).any():
        raise ValueError(f"{name}: duplicate rows in the table")
    if not (seen[1:] == 1).all():
        raise ValueError(f"{name}: the grid has holes; the index look-up would be wrong")
    arrays = [np.full((3, size), np.nan) for _ in range(3)]
    for a, column in zip(arrays, (l_, m, s), strict=True):
        a[sex, position] = column
        a.setflags(write=False)
    return LmsTable(name, start, step, arrays[0], arrays[1], arrays[2])
