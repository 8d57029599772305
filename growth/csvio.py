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
import io
import itertools
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from growth.batch import (
    BatchResult,
    Coded,
    Column,
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
PAIRS_LIMIT = 1 << 17  # possible pairs looked through (a mark per pair) before giving up


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


def _clean(data: bytes) -> bytes:
    """UTF-8, "\\n" line ends, no empty lines, a final newline."""
    data = _utf8(data)
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    while b"\n\n" in data:
        data = data.replace(b"\n\n", b"\n")
    data = data.lstrip(b"\n")
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data


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
    data = _clean(data)
    if not data:
        return BlockOutput(0, 0, [], [])
    if not for_xlsx:
        fast = _arrow_block(data, layout)
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

def _arrow_block(data: bytes, layout: Layout) -> BlockOutput | None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    d, width = layout.delimiter, layout.width
    quoted_block = b'"' in data
    names = [f"c{j}" for j in range(width)]
    role_names = {names[j] for j in layout.roles.values()}
    invalid: list[Any] = []

    def on_invalid(row: Any) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False,
                                          block_size=len(data) + 1),
            parse_options=pcsv.ParseOptions(delimiter=d, quote_char='"', double_quote=True,
                                            escape_char=False, newlines_in_values=quoted_block,
                                            ignore_empty_lines=True, invalid_row_handler=on_invalid),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                include_columns=names if quoted_block else sorted(role_names, key=names.index),
                strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[]),
        )
    except pa.ArrowInvalid:
        return None
    n = table.num_rows
    if invalid or n == 0:
        return None  # lines of the wrong width: the csv module keeps them, with the reason
    if not quoted_block and n != data.count(b"\n"):
        return None  # a lone "\r" (old Mac line end) split a line
    columns = {}
    for role, j in layout.roles.items():
        array = pc.dictionary_encode(table.column(names[j]).combine_chunks())
        columns[role] = Column(array.dictionary.to_pylist(),
                               array.indices.to_numpy(zero_copy_only=False))
    if _has_blank_rows(columns["sex"], table, names, data, d, quoted_block):
        return None  # a line of empty fields is left out, as the csv module path does
    scored = score_columns(columns, n)

    if quoted_block:
        fields = []
        for name in names:
            fields.append(_quote_arrow(table.column(name).combine_chunks(), d))
        line = pc.binary_join_element_wise(*fields, d)
    else:
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10).astype(np.int32)
        # value i is "\n" + line i (line 0 has none): contiguous in ``data``, no copy
        offsets = np.concatenate([[0], ends]).astype(np.int32)
        line = pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))
    pieces = [_arrow_texts(c) for c in _pieces(scored.new_columns, d, newline_last=quoted_block)]
    joined = pc.binary_join_element_wise(line, *pieces, "")
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int32, count=n + 1, offset=joined.offset * 4)
    text = memoryview(joined.buffers()[2])[int(offsets[0]):int(offsets[-1])]  # no copy
    return _summary(scored, csv=[text] if quoted_block else [text, b"\n"])


def _has_blank_rows(sex: Column, table: Any, names: list[str], data: bytes, d: str,
                    quoted_block: bool) -> bool:
    """Only a row with an empty sex cell can be all empty: those few are checked."""
    empty = [k for k, v in enumerate(sex.values) if not v.strip()]
    if not empty:
        return False
    rows = np.flatnonzero(np.isin(sex.index, empty))
    if quoted_block:
        picked = table.take(rows)
        values = [picked.column(n).to_pylist() for n in names]
        return any(_blank(r) for r in zip(*values, strict=True))
    starts = np.concatenate([[0], np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + 1])
    return any(_blank(data[starts[i]:starts[i + 1] - 1].decode("utf-8").split(d))
               for i in rows.tolist())


def _quote_arrow(col: Any, d: str) -> Any:
    import pyarrow.compute as pc

    needs = pc.or_(pc.match_substring(col, d),
                   pc.match_substring_regex(col, '["\\r\\n]'))
    if not pc.any(needs).as_py():
        return col
    wrapped = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
    return pc.if_else(needs, wrapped, col)


def _compact(c: Coded) -> Coded:
    """Only the texts the rows use (a few hundred of thousands)."""
    used = np.zeros(len(c.texts), dtype=bool)
    used[c.index] = True
    kept = np.flatnonzero(used)
    if kept.size == len(c.texts):
        return c
    renumber = np.cumsum(used) - 1
    return Coded([c.texts[k] for k in kept.tolist()], renumber[c.index])


# Texts computed once per process: the fixed tables (tuples, the same objects
# for every block), led by the delimiter, and their merged pairs.
_STATIC: dict[tuple, tuple[Any, ...]] = {}


def _static(key: tuple, keep: tuple, make: Any) -> Any:
    if key not in _STATIC:
        _STATIC[key] = (keep, make())  # ``keep`` holds the tuples whose ids are in the key
    return _STATIC[key][1]


def _led_texts(texts: Sequence[str], d: str) -> list[str]:
    joined = "\x00".join(texts)  # one scan: number tables never need quotes
    if d in joined or '"' in joined or "\n" in joined or "\r" in joined:
        return [d + quoted(t, d) for t in texts]
    return list(map(d.__add__, texts))


def _led(c: Coded, d: str) -> Coded:
    """Texts led by the delimiter and quoted where needed."""
    if isinstance(c.texts, tuple):
        texts = _static(("led", id(c.texts), d), (c.texts,), lambda: tuple(_led_texts(c.texts, d)))
        return Coded(texts, c.index)
    return Coded(_led_texts(c.texts, d), c.index)


def _constant(c: Coded) -> bool:
    """One text on every row (zhc without a head column)."""
    return c.index.size == 0 or bool((c.index == c.index[0]).all())


def _merge(a: Coded, b: Coded) -> Coded | None:
    """One piece for two adjacent columns, if their value pairs are few."""
    na, nb = len(a.texts), len(b.texts)
    if isinstance(a.texts, tuple) and isinstance(b.texts, tuple) and na * nb <= MERGE_LIMIT:
        texts = _static(("merge", id(a.texts), id(b.texts)), (a.texts, b.texts),
                        lambda: tuple(x + y for x in a.texts for y in b.texts))
        return Coded(texts, a.index * nb + b.index)
    if min(na, nb) > 256 and not (_constant(a) or _constant(b)):
        return None  # two number columns (cbmi and zlen...): their pairs are never few
    if na * nb > PAIRS_LIMIT:
        a, b = _compact(a), _compact(b)
        na, nb = len(a.texts), len(b.texts)
        if na * nb > PAIRS_LIMIT:
            return None
    pairs = _compact(Coded(range(na * nb), a.index * nb + b.index))  # the pairs the rows use
    if len(pairs.texts) > MERGE_LIMIT:
        return None
    return Coded([a.texts[k // nb] + b.texts[k % nb] for k in pairs.texts], pairs.index)


def _pieces(new_columns: dict[str, Coded], d: str, newline_last: bool) -> list[Coded]:
    """The new columns as few pieces, each text led by the delimiter; adjacent
    columns merge while their value pairs are few (the C++ join costs per
    piece and row; a z-score and its flag, or the four categories, are one)."""
    names = list(new_columns)
    out: list[Coded] = []
    current: Coded | None = None
    for name in names:
        col = _led(new_columns[name], d)
        if newline_last and name == names[-1]:
            col = Coded([t + "\n" for t in col.texts], col.index)
        merged = _merge(current, col) if current is not None else None
        if merged is not None:
            current = merged
            continue
        if current is not None:
            out.append(current)
        current = col
    if current is not None:
        out.append(current)
    return out


def _arrow_texts(c: Coded) -> Any:
    import pyarrow as pa

    if isinstance(c.texts, tuple):
        texts = _static(("arrow", id(c.texts)), (c.texts,), lambda: pa.array(c.texts, type=pa.string()))
    else:
        if len(c.texts) > 4 * len(c.index):
            c = _compact(c)
        texts = pa.array(c.texts, type=pa.string())
    return texts.take(pa.array(c.index, type=pa.int64()))


# --- the whole file -------------------------------------------------------------------------

_WORKER_LAYOUT: Layout | None = None
_WORKER_PARTS: Path | None = None


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


def _init_worker(layout: Layout, parts: Path) -> None:
    global _WORKER_LAYOUT, _WORKER_PARTS
    import gc

    gc.disable()  # no cycles are built; millions of small objects would make it rescan
    _WORKER_LAYOUT, _WORKER_PARTS = layout, parts


def _work(number: int, data: bytes) -> BlockOutput:
    """Score a block and write its lines to a part file: sending 200 MB of
    output back through a pipe cost as much CPU as scoring it."""
    assert _WORKER_LAYOUT is not None and _WORKER_PARTS is not None
    block = score_block(data, _WORKER_LAYOUT)
    with open(_WORKER_PARTS / f"{number}.part", "wb") as handle:
        for part in block.csv:
            handle.write(part)
    block.csv = ()
    return block


def _append_part(handle: Any, part: Path) -> None:
    with open(part, "rb") as source:
        size = os.fstat(source.fileno()).st_size
        handle.flush()
        try:
            copied = 0
            while copied < size:  # in the kernel, no copy through this process
                done = os.copy_file_range(source.fileno(), handle.fileno(), size - copied)
                if done == 0:
                    break
                copied += done
        except (AttributeError, OSError):
            source.seek(copied)
            shutil.copyfileobj(source, handle)
    part.unlink()


def _scored_blocks(path: Path, layout: Layout, jobs: int, handle: Any) -> Iterator[BlockOutput]:
    """Score the blocks and write their lines to ``handle`` in file order; with
    jobs > 1 a pool of forked workers scores them, a bounded number in flight so
    that memory does not grow with the file."""
    source = blocks(path, layout.data_start)

    def inline(data: bytes) -> BlockOutput:
        block = score_block(data, layout)
        for part in block.csv:
            handle.write(part)
        block.csv = ()
        return block

    first = next(source, None)
    if first is None:
        return
    if jobs <= 1 or len(first) < BLOCK_BYTES // 2:  # one block: workers would cost more than they save
        yield inline(first)
        yield from map(inline, source)
        return
    # Score a few lines here first: the WHO tables, the pre-formatted texts and
    # the parsed dates are then built once, and the forked workers inherit them.
    sample = first[:_record_end(first[:1 << 16])]
    if sample:
        score_block(sample, layout)
    parts = Path(tempfile.mkdtemp(prefix=".zskor-", dir=Path(handle.name).parent))
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(jobs, initializer=_init_worker, initargs=(layout, parts)) as pool:
            pending: deque = deque()
            for number, data in enumerate(itertools.chain([first], source)):
                pending.append((number, pool.apply_async(_work, (number, data))))
                if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    yield _collect(pending.popleft(), parts, handle)
            while pending:
                yield _collect(pending.popleft(), parts, handle)
    finally:
        shutil.rmtree(parts, ignore_errors=True)


def _collect(pending: tuple[int, Any], parts: Path, handle: Any) -> BlockOutput:
    number, result = pending
    block = result.get()
    _append_part(handle, parts / f"{number}.part")
    return block


def run_csv(input_path: Path, output_path: Path, *, delimiter: str | None = None,
            jobs: int | None = None) -> BatchResult:
    """Score a CSV file into a CSV (or XLSX) file, streaming."""
    layout = read_layout(input_path, delimiter)
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
        with open(output_path, "wb") as handle:
            handle.write((d.join(quoted(h, d) for h in header) + "\n").encode("utf-8"))
            for block in _scored_blocks(input_path, layout, jobs, handle):
                outputs.append(_totals_only(block))
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
