"""Turning whatever callers pass (lists, scalars, strings, numpy arrays) into
clean numpy columns.  Nothing here raises on bad values: a value that cannot be
understood becomes "missing" (NaN or code 0), as WHO's anthro does.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

SEX_UNKNOWN, SEX_MALE, SEX_FEMALE = 0, 1, 2
MEASURE_UNKNOWN, MEASURE_LYING, MEASURE_STANDING = 0, 1, 2

# Indonesian forms sit beside WHO's: JK is written L (laki-laki) / P (perempuan).
SEX_WORDS: dict[str, int] = {
    "1": SEX_MALE, "m": SEX_MALE, "male": SEX_MALE, "l": SEX_MALE, "lk": SEX_MALE,
    "laki-laki": SEX_MALE, "laki laki": SEX_MALE, "lakilaki": SEX_MALE, "laki": SEX_MALE,
    "pria": SEX_MALE, "boy": SEX_MALE,
    "2": SEX_FEMALE, "f": SEX_FEMALE, "female": SEX_FEMALE, "p": SEX_FEMALE,
    "pr": SEX_FEMALE, "perempuan": SEX_FEMALE, "wanita": SEX_FEMALE, "girl": SEX_FEMALE,
}
# e-PPGBM writes "Terlentang"/"Berdiri" in its Cara Ukur column.
MEASURE_WORDS: dict[str, int] = {
    "l": MEASURE_LYING, "lying": MEASURE_LYING, "length": MEASURE_LYING,
    "recumbent": MEASURE_LYING, "terlentang": MEASURE_LYING, "telentang": MEASURE_LYING,
    "berbaring": MEASURE_LYING, "pb": MEASURE_LYING, "1": MEASURE_LYING,
    "h": MEASURE_STANDING, "standing": MEASURE_STANDING, "height": MEASURE_STANDING,
    "berdiri": MEASURE_STANDING, "tb": MEASURE_STANDING, "2": MEASURE_STANDING,
}
# WHO: "y", "Y", "1" mean oedema; everything else (including missing) is "n".
YES_WORDS = frozenset({"y", "1", "yes", "ya", "iya", "true", "ada"})
NO_WORDS = frozenset({"n", "2", "no", "tidak", "tdk", "false", "t", "0", "-"})


def normalize_text(value: Any) -> str:
    """Lower-case, trimmed text; spreadsheets leave non-breaking spaces behind."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1.0 read from a spreadsheet means "1"
    return str(value).replace("\xa0", " ").strip().lower()


def _map_values(values: np.ndarray, convert: Callable[[Any], int], dtype: type) -> np.ndarray:
    # Columns repeat few distinct values, so a per-value cache keeps this fast.
    cache: dict[Hashable, int] = {}
    out = np.empty(values.shape[0], dtype=dtype)
    for i, v in enumerate(values.tolist()):
        try:
            code = cache[v]
        except KeyError:
            code = cache[v] = convert(v)
        except TypeError:  # unhashable garbage
            code = convert(v)
        out[i] = code
    return out


def _sex_of(value: Any) -> int:
    return SEX_WORDS.get(normalize_text(value), SEX_UNKNOWN)


def _measure_of(value: Any) -> int:
    return MEASURE_WORDS.get(normalize_text(value), MEASURE_UNKNOWN)


def _oedema_of(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)):
        return int(bool(value))
    return int(normalize_text(value) in YES_WORDS)


def _as_array(values: Any) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    return arr.ravel()


def sex_codes(values: Any) -> np.ndarray:
    """1 boy, 2 girl, 0 unknown (no z-score will be computed)."""
    arr = _as_array(values)
    if arr.dtype.kind in "iuf":
        return np.where(arr == 1, SEX_MALE, np.where(arr == 2, SEX_FEMALE, SEX_UNKNOWN)).astype(
            np.int8
        )
    if arr.dtype.kind == "b":
        return np.zeros(arr.shape[0], dtype=np.int8)
    return _map_values(arr, _sex_of, np.int8)


def measure_codes(values: Any) -> np.ndarray:
    """1 lying (recumbent length), 2 standing (height), 0 unknown."""
    arr = _as_array(values)
    if arr.dtype.kind in "iuf":
        return np.where(
            arr == MEASURE_LYING,
            MEASURE_LYING,
            np.where(arr == MEASURE_STANDING, MEASURE_STANDING, MEASURE_UNKNOWN),
        ).astype(np.int8)
    return _map_values(arr, _measure_of, np.int8)


def oedema_flags(values: Any) -> np.ndarray:
    """True where oedema is reported; missing or unknown values mean no oedema."""
    arr = _as_array(values)
    if arr.dtype.kind == "b":
        return arr.astype(bool)
    if arr.dtype.kind in "iuf":
        return arr == 1
    return _map_values(arr, _oedema_of, np.int8).astype(bool)


def parse_number(value: Any) -> float:
    """A float, or NaN when the value is missing or not a number.

    Accepts the Indonesian decimal comma ("10,5") and spreadsheet leftovers.
    """
    if value is None or isinstance(value, bool):
        return float("nan")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    text = str(value).replace("\xa0", "").strip()
    if not text or text == "-":
        return float("nan")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return float("nan")


def float_array(values: Any) -> np.ndarray:
    """A float64 column; anything non-numeric or non-finite becomes NaN."""
    if values is None:
        return np.full(1, np.nan)
    arr = _as_array(values)
    if arr.dtype == np.float64:
        finite = np.isfinite(arr)
        if finite.all():
            return arr  # no copy: the scoring never writes into its inputs
        out = arr.copy()
        out[~finite] = np.nan
        return out
    if arr.dtype.kind in "iub":
        return arr.astype(np.float64)
    try:
        out = arr.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        out = np.fromiter((parse_number(v) for v in arr.tolist()), np.float64, arr.shape[0])
    out[~np.isfinite(out)] = np.nan
    return out


def broadcast(*columns: np.ndarray) -> list[np.ndarray]:
    """Repeat length-1 columns to the common length (as R's rep_len does for scalars)."""
    lengths = {c.shape[0] for c in columns} - {1}
    if len(lengths) > 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}")
    n = lengths.pop() if lengths else 1  # numpy's rule: (0,) with (1,) gives (0,)
    return [c if c.shape[0] == n else np.repeat(c, n) for c in columns]
