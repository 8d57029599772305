"""The batch command's CSV path: the file streams through in blocks of a few
MB, so memory stays flat however large the file, and the blocks are scored by
``--jobs`` worker processes, written back in their order.

Reading and writing go through Apache Arrow (pyarrow): its CSV reader parses a
block in C++ and gives each measurement column as a dictionary (its distinct
values once, then a position per row), which is exactly what the parsers in
growth.cells want.  Writing does not use pyarrow's CSV writer, which quotes
every text value (the output would change byte for byte); each output line is
instead joined in C++ (``binary_join_element_wise``) from pieces that are
already quoted as Python's csv module would: the input line as it was (a
block without any quote character) or its re-quoted fields, then the new
columns, coded, with adjacent columns of few values merged into one piece.

A block that does not fit the fast path (a line with the wrong number of
fields, a line of empty fields) goes through the csv module, as before; the
output is the same either way.
"""

from __future__ import annotations

import csv
import gc
import io
import os
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from growth.batch import (
    ArrowColumn,
    BatchResult,
    Coded,
    Column,
    NumberColumn,
    Scored,
    merge_prevalences,
    output_header,
    require_sex,
    resolve_columns,
    score_columns,
)
from growth.fileio import InputError, Table, even_rows, quoted, sniff_delimiter, xlsx_writer

BLOCK_BYTES = 4 << 20  # ~50,000 register rows: small enough to keep many in flight
IN_FLIGHT_PER_JOB = 2  # blocks queued per worker: keeps them busy, bounds the memory
MERGE_LIMIT = 1 << 16  # adjacent new columns are merged while their value pairs fit this


@dataclass(frozen=True)
class Layout:
    """What every block needs to know about its file."""

    header: list[str]
    delimiter: str
    roles: dict[str, int]
    data_start: int  # byte offset of the line after the header

    @property
    def width(self) -> int:
        return len(self.header)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- the header ---------------------------------------------------------------------------

def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # old Excel exports


def _blank(fields: Sequence[str]) -> bool:
    return not any(f.strip() for f in fields)


def read_layout(path: Path, delimiter: str | None = None) -> Layout:
    """The header (the first line that is not blank) and the delimiter."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
            while head.count(b"\n") < 64 and (more := handle.read(1 << 20)):
                head += more
    except OSError as exc:
        raise InputError(f"berkas tidak dapat dibaca: {exc}") from exc
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    first = _text(head[start:].split(b"\n", 1)[0])
    delimiter = delimiter or sniff_delimiter(first)
    position = start
    while position < len(head):
        end = head.find(b"\n", position)
        end = len(head) if end < 0 else end
        line = _text(head[position:end]).rstrip("\r")
        fields = next(csv.reader([line], delimiter=delimiter), [])
        if not _blank(fields):
            header = [h.strip() for h in fields]
            roles = resolve_columns(header)
            require_sex(roles)
            return Layout(header, delimiter, roles, end + 1)
        position = end + 1
    raise InputError("berkas kosong: baris judul kolom tidak ada")


# --- blocks -------------------------------------------------------------------------------

def _record_end(data: bytes) -> int:
    """Where the last complete record of ``data`` ends (0: none yet).  A newline
    inside a quoted field has an odd number of quote characters before it."""
    if b'"' not in data:
        return data.rfind(b"\n") + 1
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    if newlines.size == 0:
        return 0
    parity = np.cumsum(arr == 34, dtype=np.uint8)[newlines] & 1  # uint8 wraps: parity survives
    outside = newlines[parity == 0]
    # a stray quote (5'3") would hide every later newline: then cut at the last one
    return int((outside[-1] if outside.size else newlines[-1]) + 1)


def blocks(path: Path, start: int, size: int | None = None) -> Iterator[bytes]:
    """The data lines of the file in blocks of whole records."""
    size = size or BLOCK_BYTES
    with open(path, "rb") as handle:
        handle.seek(start)
        carry = b""
        while True:
            chunk = handle.read(size)
            if not chunk:
                if carry:
                    yield carry
                return
            data = carry + chunk if carry else chunk
            cut = _record_end(data)
            if cut == 0:  # a record longer than a block: read on
                carry = data
                continue
            yield data[:cut]
            carry = data[cut:]


def _utf8(data: bytes) -> bytes:
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace").encode("utf-8")


def _cleaned(data: bytes) -> tuple[bytes, np.ndarray | None]:
    """UTF-8, "\\n" line ends, no empty lines, a final newline; with the
    positions of the newlines when they are known (numpy finds them, and so
    the empty lines: ``b"\\n\\n" in data`` took 14 ms per 4 MB block)."""
    data = _utf8(data)
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    ends: np.ndarray | None = newlines
    if newlines.size and (newlines[0] == 0 or bool((np.diff(newlines) == 1).any())):
        while b"\n\n" in data:
            data = data.replace(b"\n\n", b"\n")
        data, ends = data.lstrip(b"\n"), None
    if data and not data.endswith(b"\n"):
        data += b"\n"
        ends = None if ends is None else np.append(ends, len(data) - 1)
    return data, ends


def _clean(data: bytes) -> bytes:
    """UTF-8, "\\n" line ends, no empty lines, a final newline."""
    return _cleaned(data)[0]


@dataclass
class BlockOutput:
    rows: int
    rows_with_errors: int
    balita: list
    anak_5_19: list
    csv: Sequence[Any] = ()  # the output lines, as bytes-like parts to write in order
    table: Table | None = None  # for the XLSX writer
    new_columns: dict[str, list[str]] | None = None


def score_block(data: bytes, layout: Layout, for_xlsx: bool = False) -> BlockOutput:
    """Score one block of records and render it (CSV bytes, or rows for XLSX)."""
    data, ends = _cleaned(data)
    if not data:
        return BlockOutput(0, 0, [], [])
    if not for_xlsx:
        fast = _arrow_block(data, layout, ends)
        if fast is not None:
            return fast
    return _python_block(data, layout, for_xlsx)


def _summary(scored: Scored, **rendered: Any) -> BlockOutput:
    return BlockOutput(scored.rows, scored.rows_with_errors, scored.balita, scored.anak_5_19,
                       **rendered)


# --- the csv module, for blocks the fast path does not take -----------------------------

def _python_block(data: bytes, layout: Layout, for_xlsx: bool) -> BlockOutput:
    d = layout.delimiter
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=d)
    rows = [r for r in reader if not _blank(r)]
    table = Table(layout.header, rows, d, even_rows(rows, layout.width))
    columns = {role: Column.of(table.column(j)) for role, j in layout.roles.items()}
    scored = score_columns(columns, len(rows), table.ragged)
    new_columns = {name: coded.tolist() for name, coded in scored.new_columns.items()}
    if for_xlsx:
        return _summary(scored, table=table, new_columns=new_columns)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=d, lineterminator="\n")
    writer.writerows(r + list(t) for r, t in zip(rows, zip(*new_columns.values(), strict=True),
                                                 strict=True))
    return _summary(scored, csv=[out.getvalue().encode("utf-8")])


# --- the fast path: pyarrow -------------------------------------------------------------

NUMBER_ROLES = frozenset(("weight", "lenhei", "headc", "armc", "age", "age_months"))
_TEXT_ROLES: set[str] = set()  # number roles whose texts were not all plain decimals


def _plain_numbers(table: Any, number_names: set[str]) -> bool:
    """No text of a number column was read as NaN ("nan", "-nan"): the csv
    module path calls some of those not a number, so they are read as text."""
    for name in number_names:
        for chunk in table.column(name).chunks:
            if int(np.isnan(chunk.to_numpy(zero_copy_only=False)).sum()) != chunk.null_count:
                return False
    return True


def _arrow_block(data: bytes, layout: Layout, ends: np.ndarray | None = None) -> BlockOutput | None:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    from growth.arrow import call

    d, width = layout.delimiter, layout.width
    quoted_block = b'"' in data
    names = [f"c{j}" for j in range(width)]
    role_names = {names[j] for j in layout.roles.values()}
    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    # The measurement columns come as dictionaries straight from the reader
    # (their distinct values once, then a position per row), the number
    # columns as numbers while their texts are plain decimals (see
    # NumberColumn; after a block where they were not, as text); a block with
    # quotes is re-quoted from its text, so there every column is text.
    coded = pa.dictionary(pa.int32(), pa.string())
    number_names = set() if quoted_block else {
        names[j] for role, j in layout.roles.items() if role in NUMBER_ROLES and role not in _TEXT_ROLES}
    types = {n: (pa.float64() if n in number_names else coded)
             if n in role_names and not quoted_block else pa.string() for n in names}

    def read() -> Any:
        return pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False,
                                          block_size=len(data) + 1),
            parse_options=pcsv.ParseOptions(delimiter=d, quote_char='"', double_quote=True,
                                            escape_char=False, newlines_in_values=quoted_block,
                                            ignore_empty_lines=True, invalid_row_handler=on_invalid),
            convert_options=pcsv.ConvertOptions(
                column_types=types,
                include_columns=names if quoted_block else sorted(role_names, key=names.index),
                strings_can_be_null=False, quoted_strings_can_be_null=False,
                null_values=["", "-"] if number_names else []),
        )

    try:
        try:
            table = read()
            if number_names and not _plain_numbers(table, number_names):
                raise pa.ArrowInvalid("a text read as NaN")
        except pa.ArrowInvalid:
            if not number_names:
                raise
            # a number column holds something else: read those columns as text from now on
            _TEXT_ROLES.update(NUMBER_ROLES)
            types.update(dict.fromkeys(number_names, coded))
            number_names = set()
            invalid.clear()
            table = read()
    except pa.ArrowInvalid:
        return None
    n = table.num_rows
    if invalid or n == 0:
        return None  # lines of the wrong width: the csv module keeps them, with the reason
    if not quoted_block:
        if ends is None:
            ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
        ends = ends.astype(np.int32)
        if n != ends.size:
            return None  # a lone "\r" (old Mac line end) split a line
    columns = {}
    for role, j in layout.roles.items():
        chunks = table.column(names[j]).chunks
        if len(chunks) != 1:
            return None  # one block is one chunk; anything else takes the csv module
        if names[j] in number_names:
            columns[role] = NumberColumn(chunks[0].to_numpy(zero_copy_only=False))
            continue
        array = chunks[0] if not quoted_block else call("dictionary_encode", [chunks[0]])
        columns[role] = ArrowColumn(array.dictionary, array.indices.to_numpy())
    if _has_blank_rows(columns["sex"], table, names, data, d, quoted_block):
        return None  # a line of empty fields is left out, as the csv module path does
    scored = score_columns(columns, n)

    if quoted_block:
        fields = [_quote_arrow(table.column(name).combine_chunks(), d) for name in names]
        line = call("binary_join_element_wise", [*fields, d])
    else:
        # value i is "\n" + line i (line 0 has none): contiguous in ``data``, no copy
        offsets = np.concatenate([[0], ends]).astype(np.int32)
        line = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    text = _render(line, _pieces(scored.new_columns, d, newline_last=quoted_block))
    return _summary(scored, csv=[text] if quoted_block else [text, b"\n"])


@dataclass
class _Piece:
    """Adjacent output columns as one text per row: ``texts[index[i]]``.  A
    fixed piece's texts are a pyarrow array built once per process (from the
    fixed text tables, joined in C++) and named by ``key``; the others' are
    this block's texts, a list."""

    texts: Any
    index: np.ndarray
    key: tuple | None = None


def _render(line: Any, pieces: list[_Piece]) -> memoryview:
    """The output lines: the input line, then the pieces, for every row.  All
    the texts (the line, the pieces' tables) are put into one Arrow array and
    a single ``take`` picks, row after row, the line and each piece's text:
    the taken array's text buffer is the output, lines joined.  (One take of
    n x pieces values cost a third of the pieces' takes and the element-wise
    join before.)"""
    import pyarrow as pa

    from growth.arrow import joined_rows, strings

    n = len(line)
    fixed = [p for p in pieces if p.key is not None]

    def concat() -> tuple[Any, dict[tuple, int]]:
        bases: dict[tuple, int] = {}
        arrays = []
        size = 0
        for piece in fixed:
            if piece.key not in bases:
                bases[piece.key] = size
                arrays.append(piece.texts)
                size += len(piece.texts)
        return (pa.concat_arrays(arrays) if arrays else strings([])), bases

    tables, bases = _static(("tables", *(p.key for p in fixed)), concat)
    arrays = [tables, line]
    picks = np.empty((n, len(pieces) + 1), dtype=np.int32)
    picks[:, 0] = np.arange(len(tables), len(tables) + n, dtype=np.int32)
    size = len(tables) + n
    for j, piece in enumerate(pieces, start=1):
        picks[:, j] = piece.index
        if piece.key is not None:
            picks[:, j] += bases[piece.key]
            continue
        texts = strings(piece.texts)
        arrays.append(texts)
        picks[:, j] += size
        size += len(texts)
    out = joined_rows(arrays, picks)
    offsets = np.frombuffer(out.buffers()[1], dtype=np.int32, count=n + 1)
    return memoryview(out.buffers()[2])[:int(offsets[-1])]  # no copy


def _has_blank_rows(sex: Column, table: Any, names: list[str], data: bytes, d: str,
                    quoted_block: bool) -> bool:
    """Only a row with an empty sex cell can be all empty: those few are checked."""
    from growth.arrow import call, ints
    empty = [k for k, v in enumerate(sex.values) if not v.strip()]
    if not empty:
        return False
    rows = np.flatnonzero(np.isin(sex.index, empty))
    if quoted_block:

        picked = call("take", [table, ints(rows)])
        values = [picked.column(n).to_pylist() for n in names]
        return any(_blank(r) for r in zip(*values, strict=True))
    starts = np.concatenate([[0], np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + 1])
    return any(_blank(data[starts[i]:starts[i + 1] - 1].decode("utf-8").split(d))
               for i in rows.tolist())


def _quote_arrow(col: Any, d: str) -> Any:
    from pyarrow._compute import MatchSubstringOptions, ReplaceSubstringOptions

    from growth.arrow import call

    needs = call("or", [call("match_substring", [col], MatchSubstringOptions(d)),
                         call("match_substring_regex", [col], MatchSubstringOptions('["\\r\\n]'))])
    if not call("any", [needs]).as_py():
        return col
    wrapped = call("binary_join_element_wise",
                    ['"', call("replace_substring", [col], ReplaceSubstringOptions('"', '""')), '"', ""])
    return call("if_else", [needs, wrapped, col])


def _compact(c: Coded) -> Coded:
    """Only the texts the rows use (a few hundred of thousands)."""
    used = np.zeros(len(c.texts), dtype=bool)
    used[c.index] = True
    kept = np.flatnonzero(used)
    if kept.size == len(c.texts):
        return c
    renumber = np.cumsum(used) - 1
    return Coded([c.texts[k] for k in kept.tolist()], renumber[c.index])


# Built once per process: the fixed text tables (tuples, the same objects for
# every block) as pyarrow arrays, led by the delimiter, and their merged pairs.
_STATIC: dict[tuple, Any] = {}
_KEEP: list[Any] = []  # the tuples whose ids are in the keys


def _static(key: tuple, make: Any) -> Any:
    if key not in _STATIC:
        _STATIC[key] = make()
    return _STATIC[key]


def _needs_quotes(texts: Sequence[str], d: str) -> bool:
    joined = "\x00".join(texts)  # one scan: number tables never need quotes
    return d in joined or '"' in joined or "\n" in joined or "\r" in joined


def _join(*parts: Any) -> Any:
    """Texts joined row by row; a part may be a single text (for every row)."""
    from growth.arrow import joined_rows, strings

    rows = max(len(p) for p in parts if not isinstance(p, str))
    arrays, picks, size = [], np.empty((rows, len(parts)), dtype=np.int32), 0
    for j, part in enumerate(parts):
        texts = strings([part]) if isinstance(part, str) else part
        arrays.append(texts)
        picks[:, j] = size if isinstance(part, str) else np.arange(size, size + rows)
        size += len(texts)
    return joined_rows(arrays, picks)


def _led(c: Coded, d: str, end: str) -> _Piece:
    """A column's texts led by the delimiter (quoted where needed), ``end`` after."""

    from growth.arrow import strings

    if not isinstance(c.texts, tuple):
        if len(c.texts) > 256:
            c = _compact(c)
        texts = c.texts
        if _needs_quotes(texts, d):
            return _Piece([d + quoted(t, d) + end for t in texts], c.index)
        return _Piece([d + t + end for t in texts], c.index)
    key = ("led", id(c.texts), d, end)

    def make() -> Any:
        _KEEP.append(c.texts)
        if _needs_quotes(c.texts, d):
            return strings([d + quoted(t, d) + end for t in c.texts])
        return _join(d, strings(c.texts), end)

    return _Piece(_static(key, make), c.index, key)


def _constant(p: _Piece) -> bool:
    """One text on every row (zhc without a head column)."""
    return p.index.size == 0 or bool((p.index == p.index[0]).all())


def _merge(a: _Piece, b: _Piece) -> _Piece | None:
    """One piece for two adjacent ones, when that is cheap: two fixed tables
    whose value pairs are few (a z-score and its flag, the four categories),
    or a column with one text on every row (zhc without a head column) joined
    to a fixed table.  The merged tables are built once per process, by pyarrow.
    (Merging the pairs a block happens to use, in Python, cost more than the
    piece it saves in the output ``take``.)"""

    from growth.arrow import call, ints

    if a.key is None or b.key is None:
        return None
    na, nb = len(a.texts), len(b.texts)
    if na * nb <= MERGE_LIMIT:
        def pairs() -> Any:
            left = call("take", [a.texts, ints(np.repeat(np.arange(na), nb))])
            right = call("take", [b.texts, ints(np.tile(np.arange(nb), na))])
            return _join(left, right)

        key = ("merge", a.key, b.key)
        return _Piece(_static(key, pairs), a.index * nb + b.index, key)
    if _constant(b):
        k = int(b.index[0]) if b.index.size else 0
        key = ("then", a.key, b.key, k)
        return _Piece(_static(key, lambda: _join(a.texts, b.texts[k].as_py())), a.index, key)
    if _constant(a):
        k = int(a.index[0]) if a.index.size else 0
        key = ("after", a.key, b.key, k)
        return _Piece(_static(key, lambda: _join(a.texts[k].as_py(), b.texts)), b.index, key)
    return None


def _pieces(new_columns: dict[str, Coded], d: str, newline_last: bool) -> list[_Piece]:
    """The new columns as few pieces, each text led by the delimiter; adjacent
    columns merge while that is cheap (the output ``take`` costs per piece and
    row; a z-score and its flag, or the four categories, are one)."""
    names = list(new_columns)
    out: list[_Piece] = []
    current: _Piece | None = None
    for name in names:
        piece = _led(new_columns[name], d, "\n" if newline_last and name == names[-1] else "")
        merged = _merge(current, piece) if current is not None else None
        if merged is not None:
            current = merged
            continue
        if current is not None:
            out.append(current)
        current = piece
    if current is not None:
        out.append(current)
    return out


# --- the whole file -------------------------------------------------------------------------

def _lean_memory() -> None:
    """Every block allocates the same large arrays again.  pyarrow's default
    allocator (mimalloc) and glibc both give freed memory back to the system
    at once, and the next block faults it in again page by page: in the
    workers that was a quarter of their CPU time, spent in the kernel.  The
    system allocator told to keep freed memory for reuse (up to 256 MB) avoids
    it; memory stays that of the blocks in flight.  Set before the workers fork."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    libc.mallopt(m_mmap_threshold, 64 << 20)
    libc.mallopt(m_trim_threshold, 256 << 20)


class _NoLock:
    """The lock and condition of a single process: nothing to wait for."""

    def __enter__(self) -> _NoLock:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def wait(self, timeout: float | None = None) -> bool:
        raise AssertionError("a single process never waits for another")

    def notify_all(self) -> None:
        return None


# Positions in the shared state of the processes scoring one file.
_NEXT_BLOCK, _NEXT_START, _READ_TO, _NEXT_WRITE, _WRITE_AT, _FAILED = range(6)
PENDING_PER_PROCESS = 2  # blocks scored but not yet written, per process: bounds the memory


class _Failed(Exception):
    """Another process of the run failed: stop."""


class _Run:
    """The blocks of one file scored by one or more processes (this one and
    ``jobs - 1`` forked ones), all alike: a process takes the next block under
    the lock (cutting it from the file where its last record ends), scores it,
    then waits for its turn to claim the next stretch of the output file and
    writes its lines there itself (``pwrite``), in parallel with the others.
    A process does not idle while an earlier block is being scored elsewhere:
    it keeps up to PENDING_PER_PROCESS blocks and scores the next one.
    Nothing goes through pipes but the totals, and the output does not depend
    on the number of processes or on which one scored which block."""

    def __init__(self, path: Path, layout: Layout, out_fd: int, header_size: int, jobs: int) -> None:
        self.layout = layout
        self.in_fd = os.open(path, os.O_RDONLY)
        self.size = os.fstat(self.in_fd).st_size
        self.out_fd = out_fd
        initial = [0, layout.data_start, layout.data_start, 0, header_size, 0]
        if jobs > 1:
            import multiprocessing  # only here: its import is a few hundredths of a second

            context = multiprocessing.get_context("fork")
            self.lock: Any = context.Condition(context.Lock())
            self.state: Any = context.RawArray("q", initial)
        else:
            self.lock, self.state = _NoLock(), initial
        self.children: list[int] = []
        self.exited: dict[int, int] = {}

    def close(self) -> None:
        os.close(self.in_fd)

    # -- taking blocks
    def _take(self) -> tuple[int, bytes] | None:
        """The next block of whole records: as ``blocks`` cuts them."""
        state = self.state
        with self.lock:
            if state[_FAILED]:
                raise _Failed
            start, read_to = state[_NEXT_START], state[_READ_TO]
            while True:
                if start >= self.size:
                    return None
                if read_to >= self.size:  # nothing more to read: the rest is the last block
                    data, read_to = os.pread(self.in_fd, self.size - start, start), self.size
                    cut = len(data)
                    break
                read_to = min(self.size, read_to + BLOCK_BYTES)
                data = os.pread(self.in_fd, read_to - start, start)
                cut = _record_end(data)
                if cut:  # else a record longer than a block: read on
                    break
            number = state[_NEXT_BLOCK]
            state[_NEXT_BLOCK], state[_NEXT_START], state[_READ_TO] = number + 1, start + cut, read_to
        return number, data[:cut] if cut < len(data) else data

    # -- writing in file order
    def _write_ready(self, pending: deque, keep: int) -> None:
        """Write the pending blocks whose turn has come, waiting for their
        turn while more than ``keep`` would stay pending."""
        state = self.state
        while pending:
            number, parts, size = pending[0]
            with self.lock:
                while state[_NEXT_WRITE] != number:
                    if state[_FAILED]:
                        raise _Failed
                    if len(pending) <= keep:
                        return
                    self.lock.wait(0.05)
                    if self._child_failed():
                        state[_FAILED] = 1
                        self.lock.notify_all()
                        raise _Failed
                offset = state[_WRITE_AT]
                state[_WRITE_AT], state[_NEXT_WRITE] = offset + size, number + 1
                self.lock.notify_all()
            for part in parts:
                view = memoryview(part)
                while view:
                    done = os.pwrite(self.out_fd, view, offset)
                    offset += done
                    view = view[done:]
            pending.popleft()

    def _child_failed(self) -> bool:
        """A forked process that died without finishing (killed, out of memory)."""
        for pid in self.children:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                self.children.remove(pid)
                self.exited[pid] = status
                if status != 0:
                    return True
        return False

    def fail(self) -> None:
        with self.lock:
            self.state[_FAILED] = 1
            self.lock.notify_all()

    # -- one process's share
    def work(self) -> BlockOutput:
        """Take, score and write blocks until the file is done; the totals."""
        totals: list[BlockOutput] = []
        pending: deque = deque()
        while (taken := self._take()) is not None:
            number, data = taken
            block = score_block(data, self.layout)
            pending.append((number, block.csv, sum(len(memoryview(p)) for p in block.csv)))
            totals.append(_totals_only(block))
            self._write_ready(pending, keep=PENDING_PER_PROCESS)
        self._write_ready(pending, keep=0)
        return _sum_totals(totals)

    # -- the processes
    def fork(self, count: int) -> list[int]:
        """Start ``count`` more processes; each sends its totals through a pipe."""
        import pickle

        readers = []
        sys.stdout.flush()
        sys.stderr.flush()
        for _ in range(count):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: score, send the totals, leave without cleaning up the parent's state
                status = 1
                try:
                    self.children = []
                    os.close(read_end)
                    gc.disable()  # no cycles are built; millions of small objects would make it rescan
                    result: Any = self.work()
                    status = 0
                except _Failed:
                    result = None
                except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
                    import traceback

                    result = RuntimeError("".join(traceback.format_exception(exc)))
                    self.fail()
                finally:
                    try:
                        with os.fdopen(write_end, "wb") as handle:
                            pickle.dump(result, handle)
                    finally:
                        os._exit(status)
            os.close(write_end)
            self.children.append(pid)
            readers.append(read_end)
        return readers

    def collect(self, readers: list[int]) -> list[BlockOutput]:
        import pickle

        results = []
        for fd in readers:
            with os.fdopen(fd, "rb") as handle:
                try:
                    results.append(pickle.load(handle))
                except EOFError:  # killed before it could say anything
                    results.append(RuntimeError("proses pekerja berhenti tanpa hasil"))
        for pid in self.children:
            self.exited[pid] = os.waitpid(pid, 0)[1]
        self.children = []
        failed = any(status != 0 for status in self.exited.values())
        for result in results:
            if isinstance(result, BaseException):
                raise result
        if failed:
            raise RuntimeError("proses pekerja gagal")
        return results


def _sum_totals(blocks: Sequence[BlockOutput]) -> BlockOutput:
    return BlockOutput(sum(b.rows for b in blocks), sum(b.rows_with_errors for b in blocks),
                       merge_prevalences([b.balita for b in blocks]),
                       merge_prevalences([b.anak_5_19 for b in blocks]))


def _score_csv(path: Path, layout: Layout, jobs: int, out_fd: int, header_size: int) -> BlockOutput:
    """Score the file's blocks into ``out_fd`` (after its header) with ``jobs``
    processes; the totals."""
    # one block: more processes would cost more than they save
    parallel = jobs > 1 and os.stat(path).st_size - layout.data_start > BLOCK_BYTES
    run = _Run(path, layout, out_fd, header_size, jobs if parallel else 1)
    readers: list[int] = []
    try:
        if not parallel:
            return run.work()
        # Score a few lines here first: the WHO tables, the pre-formatted texts
        # and the parsed dates are then built once, and the forked processes
        # inherit them.
        head = os.pread(run.in_fd, 1 << 16, layout.data_start)
        sample = head[:_record_end(head)]
        if sample:
            score_block(sample, layout)
        readers = run.fork(jobs - 1)
        try:
            mine = run.work()
        except BaseException:
            run.fail()
            raise
        others, readers = run.collect(readers), []
        return _sum_totals([mine, *others])
    except _Failed:
        run.collect(readers)  # raises the failed process's error
        readers = []
        raise RuntimeError("proses pekerja gagal") from None
    finally:
        if readers:
            with suppress(Exception):
                run.collect(readers)
        run.close()


def run_csv(input_path: Path, output_path: Path, *, delimiter: str | None = None,
            jobs: int | None = None) -> BatchResult:
    """Score a CSV file into a CSV (or XLSX) file, streaming."""
    layout = read_layout(input_path, delimiter)
    _TEXT_ROLES.clear()  # each file shows anew whether its number columns are plain decimals
    header = output_header(layout.header)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    outputs: list[BlockOutput] = []
    if output_path.suffix.lower() == ".xlsx":
        with xlsx_writer(output_path, header) as append:
            for data in blocks(input_path, layout.data_start):
                block = score_block(data, layout, for_xlsx=True)
                if block.rows:
                    append(block.table, block.new_columns)
                outputs.append(_totals_only(block))
    else:
        d = layout.delimiter
        _lean_memory()
        head = (d.join(quoted(h, d) for h in header) + "\n").encode("utf-8")
        out_fd = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            os.write(out_fd, head)
            outputs.append(_score_csv(input_path, layout, jobs, out_fd, len(head)))
        finally:
            os.close(out_fd)
    return BatchResult(
        table=None,
        header=header,
        new_columns={},
        rows_with_errors=sum(b.rows_with_errors for b in outputs),
        column_roles={role: layout.header[i] for role, i in layout.roles.items()},
        balita=merge_prevalences([b.balita for b in outputs]),
        anak_5_19=merge_prevalences([b.anak_5_19 for b in outputs]),
        row_count=sum(b.rows for b in outputs),
    )


def _totals_only(block: BlockOutput) -> BlockOutput:
    return BlockOutput(block.rows, block.rows_with_errors, block.balita, block.anak_5_19)
