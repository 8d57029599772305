"""Ages: from dates of birth and of visit to days, and the WHO rounding rules."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

import numpy as np

from growth.inputs import normalize_text

DAYS_PER_MONTH = 30.4375  # WHO anthro: 365.25 / 12

_MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "ags": 8, "agt": 8, "aug": 8, "september": 9, "sep": 9,
    "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "nopember": 11, "desember": 12, "des": 12, "dec": 12, "may": 5,
}
_NUMERIC = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_WORDS = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)[\s-]+(\d{4})$")


def parse_date(value: Any) -> dt.date | None:
    """A date, or None.  Numeric dates are day-first (Indonesian usage: 21/11/2000)
    unless they start with a four-digit year (2000-11-21)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    text = normalize_text(value)
    if not text or text == "-":
        return None
    head = re.split(r"[ t]", text, maxsplit=1)[0]  # drop a time of day
    if _NUMERIC.match(head):
        text = head
    match = _NUMERIC.match(text)
    try:
        if match:
            a, b, c = match.groups()
            if len(a) == 4:
                return dt.date(int(a), int(b), int(c))
            if len(c) == 4:
                return dt.date(int(c), int(b), int(a))
            return None  # two-digit years are ambiguous: refuse rather than guess
        match = _WORDS.match(text)
        if match and match.group(2) in _MONTHS_ID:
            return dt.date(int(match.group(3)), _MONTHS_ID[match.group(2)], int(match.group(1)))
    except ValueError:
        return None
    return None


def to_day_numbers(values: Any) -> np.ndarray:
    """Dates as float day numbers since 1970-01-01 (NaN where not a date)."""
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    arr = arr.ravel()
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64).astype(np.float64)
        out[np.isnat(days)] = np.nan
        return out
    cache: dict[Any, float] = {}
    out = np.empty(arr.shape[0], dtype=np.float64)
    epoch = dt.date(1970, 1, 1).toordinal()
    for i, v in enumerate(arr.tolist()):
        try:
            number = cache[v]
        except (KeyError, TypeError):
            parsed = parse_date(v)
            number = float(parsed.toordinal() - epoch) if parsed else float("nan")
            try:
                cache[v] = number
            except TypeError:
                pass
        out[i] = number
    return out


def age_in_days(dob: Any, visit_date: Any) -> np.ndarray:
    """Age in whole days from dates (NaN if either date is missing).

    Negative ages (visit before birth) are returned as they are; the scoring
    functions treat them as missing, and the batch command reports them.
    """
    birth = to_day_numbers(dob)
    visit = to_day_numbers(visit_date)
    if birth.shape[0] == 1 and visit.shape[0] > 1:
        birth = np.repeat(birth, visit.shape[0])
    if visit.shape[0] == 1 and birth.shape[0] > 1:
        visit = np.repeat(visit, birth.shape[0])
    return visit - birth


def round_half_up(days: np.ndarray) -> np.ndarray:
    """WHO anthro rounds age in days half up (730.5 days is 731)."""
    return np.floor(days + 0.5)


def completed_months(dob: dt.date, visit: dt.date) -> int:
    """Completed calendar months, as "umur (bulan)" on the KMS and in e-PPGBM.

    A month is complete on the same day of the month, or on the month's last
    day when that day does not exist (born 31 January: 1 month on 28/29 February).
    """
    months = (visit.year - dob.year) * 12 + (visit.month - dob.month)
    last_day = calendar.monthrange(visit.year, visit.month)[1]
    if visit.day < min(dob.day, last_day):
        months -= 1
    return months
