"""KMS / Buku KIA weight monitoring: N, T, O, B, 2T and BGM for one child.

Rules (DOMAIN.md, "Growth and nutrition"):
- B (baru): the child's first weighing in the series;
- O: no weighing in the calendar month before this one ("last month" is the
  calendar month before the visit's month: a visit on 3 March looks at
  February, whatever the day);
- N (naik): weight gain since last month's weighing >= KBM for the child's age
  in completed months at this weighing; T (tidak naik) otherwise.  "Heavier than
  last time" is *not* the rule;
- 2T: T now and T at last month's weighing;
- BGM (bawah garis merah): WAZ < -3, on the rounded WAZ as the categories.
If a calendar month holds several weighings, each is compared with the last
weighing of the month before.  Visits without a weight get no status.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from growth.ages import DAYS_PER_MONTH, completed_months, parse_date
from growth.inputs import parse_number
from growth.tables import DATA_DIR
from growth.zscores import score

NAIK, TIDAK_NAIK, TIDAK_DITIMBANG_BULAN_LALU, BARU = "N", "T", "O", "B"
KMS_MAX_MONTHS = 60


@dataclass(frozen=True)
class KmsVisit:
    """The KMS reading of one visit."""

    visit_date: dt.date | None
    weight: float | None
    age_months: int | None
    status: str | None  # N, T, O, B; None when not weighed or outside 0-60 months
    gain_g: int | None
    kbm_g: int | None
    two_t: bool
    bgm: bool | None  # None when WAZ cannot be computed
    waz: float | None


@functools.cache
def kbm_table() -> dict[int, int]:
    """KBM in grams by age in completed months (from data/kbm.json)."""
    with open(DATA_DIR / "kbm.json", encoding="utf-8") as handle:
        raw = json.load(handle)
    table: dict[int, int] = {}
    for row in raw["rows"]:
        for month in range(int(row["age_months_from"]), int(row["age_months_to"]) + 1):
            table[month] = int(row["min_gain_g"])
    return table


def kbm_for_age(age_months: int | None) -> int | None:
    """Minimal gain in grams; age 0 uses the first row, beyond the table None."""
    if age_months is None or age_months < 0 or age_months > KMS_MAX_MONTHS:
        return None
    table = kbm_table()
    return table.get(age_months, table[min(table)] if age_months < min(table) else None)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def kms_series(
    sex: Any,
    visit_dates: Sequence[Any],
    weights: Sequence[Any],
    *,
    dob: Any = None,
    ages_days: Sequence[Any] | None = None,
) -> list[KmsVisit]:
    """KMS statuses for one child's visits, returned in the order given.

    The age comes from ``dob`` (completed calendar months, as the KMS and
    e-PPGBM count them) or, without it, from ``ages_days`` (days / 30.4375).
    """
    n = len(visit_dates)
    if len(weights) != n or (ages_days is not None and len(ages_days) != n):
        raise ValueError("visit_dates, weights and ages_days must have the same length")
    birth = parse_date(dob)
    dates = [parse_date(v) for v in visit_dates]
    masses = [parse_number(w) for w in weights]
    masses = [w if math.isfinite(w) and w > 0 else None for w in masses]

    days: list[float] = []
    months: list[int | None] = []
    for i, day in enumerate(dates):
        if birth is not None and day is not None and day >= birth:
            days.append(float((day - birth).days))
            months.append(completed_months(birth, day))
        elif ages_days is not None and math.isfinite(parse_number(ages_days[i])):
            d = parse_number(ages_days[i])
            days.append(d if d >= 0 else math.nan)
            months.append(int(d // DAYS_PER_MONTH) if d >= 0 else None)
        else:
            days.append(math.nan)
            months.append(None)

    waz = score(sex, np.array(days), np.array([w if w else np.nan for w in masses]))["zwei"]

    order = sorted((i for i in range(n) if dates[i] is not None), key=lambda i: dates[i])
    results: list[KmsVisit | None] = [None] * n
    last_in_month: dict[int, tuple[float, str | None]] = {}  # month -> (weight, status)
    weighed_before = False
    for i in order:
        results[i] = _judge(dates[i], masses[i], months[i], waz[i], last_in_month, weighed_before)
        if masses[i] is not None:
            weighed_before = True
            last_in_month[_month_index(dates[i])] = (masses[i], results[i].status)
    for i in range(n):  # visits without a usable date cannot be placed on the KMS
        if results[i] is None:
            results[i] = KmsVisit(None, masses[i], months[i], None, None, None, False, None, None)
    return results  # type: ignore[return-value]


def _judge(day: dt.date, weight: float | None, age_months: int | None, waz: float,
           last_in_month: dict[int, tuple[float, str | None]], weighed_before: bool) -> KmsVisit:
    waz_value = None if np.isnan(waz) else float(waz)
    bgm = None if waz_value is None else waz_value < -3
    if weight is None:
        return KmsVisit(day, None, age_months, None, None, None, False, None, None)
    kbm = kbm_for_age(age_months)
    if age_months is not None and age_months > KMS_MAX_MONTHS:
        return KmsVisit(day, weight, age_months, None, None, None, False, bgm, waz_value)
    if not weighed_before:
        return KmsVisit(day, weight, age_months, BARU, None, kbm, False, bgm, waz_value)
    previous = last_in_month.get(_month_index(day) - 1)
    if previous is None:
        return KmsVisit(day, weight, age_months, TIDAK_DITIMBANG_BULAN_LALU, None, kbm, False,
                        bgm, waz_value)
    # Weights are recorded to 0.1 kg: compare whole grams, not float noise.
    gain = int(round((weight - previous[0]) * 1000))
    if kbm is None:  # age unknown: the KBM cannot be chosen
        return KmsVisit(day, weight, age_months, None, gain, None, False, bgm, waz_value)
    status = NAIK if gain >= kbm else TIDAK_NAIK
    two_t = status == TIDAK_NAIK and previous[1] == TIDAK_NAIK
    return KmsVisit(day, weight, age_months, status, gain, kbm, two_t, bgm, waz_value)
