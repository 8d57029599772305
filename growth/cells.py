"""Parsing spreadsheet columns cell by cell, fast: a column repeats few distinct
values (dates, weights to 0.1 kg, "L"/"P"), so each distinct value is parsed
once and the column is mapped through a dict at C speed.  Each parser also
returns which filled cells could not be understood, for the error column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from growth.ages import parse_date
from growth.inputs import normalize_text, parse_number

EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


class _Cache(dict):
    """value -> parsed value, computing misses once; used through map() so that
    a million cells cost a million C-level dict look-ups."""

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.parse(key)
        return value


def _is_blank(value: Any) -> bool:
    return value is None or normalize_text(value) in ("", "-", "na", "nan")


def numbers(values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Floats (NaN when missing) and a mask of cells that are filled but not numbers."""
    cache = _Cache(parse_number)
    out = np.fromiter(map(cache.__getitem__, values), dtype=np.float64, count=len(values))
    bad_keys = {k for k, v in cache.items() if np.isnan(v) and not _is_blank(k)}
    return out, _mask_of(values, bad_keys)


def _mask_of(values: list[Any], keys: set[Any]) -> np.ndarray:
    if not keys:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((v in keys for v in values), dtype=bool, count=len(values))


def dates(values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (NaN when missing) and a mask of filled cells that are not dates."""

    def parse(value: Any) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float("nan")  # a bare number is not a date (Excel serials are ambiguous)
        day = parse_date(value)
        return float(day.toordinal() - EPOCH_ORDINAL) if day else float("nan")

    cache = _Cache(parse)
    out = np.fromiter(map(cache.__getitem__, values), dtype=np.float64, count=len(values))
    bad_keys = {k for k, v in cache.items() if np.isnan(v) and not _is_blank(k)}
    return out, _mask_of(values, bad_keys)


def codes(values: list[Any], words: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Codes from a vocabulary (0 when unknown) and a mask of filled, unknown cells."""
    cache = _Cache(lambda v: words.get(normalize_text(v), 0))
    out = np.fromiter(map(cache.__getitem__, values), dtype=np.int8, count=len(values))
    bad_keys = {k for k, v in cache.items() if v == 0 and not _is_blank(k)}
    return out, _mask_of(values, bad_keys)
