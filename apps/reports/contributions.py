"""Counts other apps add to the monthly report (the registers of the non-health SPM fields).

A contributor is called by `compute_month` as `fn(where, start, end, add)`:
- `where`: a Q over the contributor's own rows, on `posyandu_id` / `posyandu__region_code`
  (so the contributor's model needs a `posyandu` foreign key, or must translate the Q);
- `start`, `end`: the month as a half-open date range [start, end);
- `add(posyandu_id, indicator_code, sex, numerator, denominator=0)`: adds to the month's counts
  (sex '' when the indicator has no sex breakdown: it is added to the total only once).
Register it in the app's `AppConfig.ready()` with `register(fn)`. Indicator codes must exist in
`apps/reports/data/indicators.json`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

Contributor = Callable[..., Any]
CONTRIBUTORS: list[Contributor] = []


def register(fn: Contributor) -> Contributor:
    if fn not in CONTRIBUTORS:
        CONTRIBUTORS.append(fn)
    return fn
