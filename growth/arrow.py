"""Small pyarrow helpers for the batch command's CSV path (growth.csvio).

Two costs of pyarrow's convenient entry points are avoided here, both paid at
every start of the command:

- ``import pyarrow.compute`` builds a Python wrapper with a docstring for each
  of its ~300 kernels (a tenth of a second or more); kernels are called
  through ``pyarrow._compute.call_function`` instead.
- ``pa.array(...)`` from Python lists or numpy arrays imports ``numpy.ma`` and
  ``dateutil`` on first use (to recognise masked arrays and dates); string and
  integer arrays are built from their buffers instead.

Importing this module imports pyarrow: only the CSV path does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from pyarrow._compute import call_function


def call(name: str, args: list[Any], options: Any = None) -> Any:
    """A pyarrow compute kernel by name; Python texts among the arguments become
    string scalars (pyarrow's own conversion of a Python value tries, and
    fails, to import dateutil every time: milliseconds each)."""
    return call_function(name, [text(a) if isinstance(a, str) else a for a in args], options)


_TEXTS: dict[str, pa.StringScalar] = {}


def text(value: str) -> pa.StringScalar:
    """A string scalar, cut from a one-element array."""
    if value not in _TEXTS:
        _TEXTS[value] = strings([value])[0]
    return _TEXTS[value]


def strings(texts: Sequence[str]) -> pa.StringArray:
    """A string array of Python texts, from one joined buffer and its offsets."""
    joined = "".join(texts)
    data = joined.encode("utf-8")
    if len(data) == len(joined):  # ASCII: a text's length in bytes is its length
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    else:
        lengths = np.fromiter((len(t.encode("utf-8")) for t in texts), dtype=np.int64,
                              count=len(texts))
    offsets = np.zeros(len(texts) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.StringArray.from_buffers(len(texts), pa.py_buffer(offsets), pa.py_buffer(data))


def ints(values: np.ndarray) -> pa.Array:
    """An int64 array sharing the memory of a numpy array."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def filled(array: pa.Array, missing: int) -> np.ndarray:
    """An integer array as int64 numpy values, ``missing`` where it is null."""
    values = np.frombuffer(array.buffers()[1], dtype=array.type.to_pandas_dtype(),
                           count=len(array), offset=array.offset * array.type.byte_width)
    out = values.astype(np.int64)
    if array.null_count:
        bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
        out[bits[array.offset:array.offset + len(array)] == 0] = missing
    return out


def joined_rows(arrays: Sequence[pa.Array], picks: np.ndarray) -> pa.StringArray:
    """Row r: the texts ``picks[r, 0]``, ``picks[r, 1]``, ... of the arrays put
    end to end (``picks`` index their concatenation), joined.  One ``take`` of
    every pick, row after row, lays the joined texts out in order; every
    k-th offset of the result then delimits the rows.  (pyarrow's element-wise
    join costs ten times as much per text.)"""
    from pyarrow._compute import TakeOptions

    rows, k = picks.shape
    picks = np.ascontiguousarray(picks, dtype=np.int32)
    picked = pa.Array.from_buffers(pa.int32(), picks.size, [None, pa.py_buffer(picks)])
    combined = pa.concat_arrays(list(arrays)) if len(arrays) > 1 else arrays[0]
    taken = call("take", [combined, picked], TakeOptions(boundscheck=False))
    if taken.offset:  # a fresh result starts at 0; a slice would not
        taken = pa.concat_arrays([taken])
    offsets = np.frombuffer(taken.buffers()[1], dtype=np.int32, count=len(taken) + 1)
    row_offsets = np.ascontiguousarray(offsets[::k]) if k > 1 else offsets
    return pa.StringArray.from_buffers(rows, pa.py_buffer(row_offsets), taken.buffers()[2])
