"""Working days and the follow-up SLA, read from data/sla.json (the rule is data with its source).

Working days skip Saturdays, Sundays and the dates in the Holiday table (national holidays and
cuti bersama, maintained in the admin).
"""
from __future__ import annotations

import datetime as dt
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data"
# Guard against a forgotten holiday table turning a loop into an endless one.
_MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=1)
def load_sla() -> dict[str, Any]:
    return json.loads((DATA / "sla.json").read_text(encoding="utf-8"))


def sla_working_days(field_code: str | None = None, on: dt.date | None = None) -> int:
    """Working days allowed to respond: a deployment setting wins, then the rule in sla.json valid
    on `on` for the field (a field-specific rule before the general one)."""
    override = getattr(settings, "FOLLOWUP_SLA_WORKING_DAYS", None)
    if override:
        return int(override)
    on = on or dt.date.today()
    candidates = []
    for rule in load_sla()["rules"]:
        start = dt.date.fromisoformat(rule["valid_from"]) if rule.get("valid_from") else dt.date.min
        end = dt.date.fromisoformat(rule["valid_to"]) if rule.get("valid_to") else dt.date.max
        if not start <= on <= end:
            continue
        if rule.get("field") in (None, field_code):
            candidates.append((rule.get("field") is not None, int(rule["working_days"])))
    if not candidates:
        raise ValueError("Tidak ada aturan SLA tindak lanjut yang berlaku pada tanggal ini (data/sla.json).")
    return max(candidates)[1]


def max_escalation_level() -> int:
    return int(load_sla()["escalation"]["max_level"])


def holidays_between(start: dt.date, end: dt.date) -> set[dt.date]:
    from apps.followups.models import Holiday

    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def is_working_day(day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: set[dt.date] | None = None) -> dt.date:
    """The date `days` working days after `start` (start itself is not counted)."""
    if holidays is None:
        # Holidays are sparse: a window of twice the span plus two weeks always holds the answer.
        holidays = holidays_between(start, start + dt.timedelta(days=days * 2 + 30))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
        if (day - start).days > _MAX_SPAN_DAYS:  # pragma: no cover - a table of only holidays
            raise ValueError("Tidak ada hari kerja dalam rentang tanggal ini.")
    return day


def working_days_between(start: dt.date, end: dt.date, holidays: set[dt.date] | None = None) -> int:
    """Working days d with start < d <= end (0 when end <= start)."""
    if end <= start:
        return 0
    if holidays is None:
        holidays = holidays_between(start, end)
    span = min((end - start).days, _MAX_SPAN_DAYS)
    return sum(1 for i in range(1, span + 1) if is_working_day(start + dt.timedelta(days=i), holidays))


def escalation_level_for(due_date: dt.date, today: dt.date, sla_days: int,
                         holidays: set[dt.date] | None = None) -> int:
    """0 while not overdue; 1 from the day after the due date; one more per further full SLA
    period of working days overdue; capped at max_level."""
    if today <= due_date:
        return 0
    late = working_days_between(due_date, today, holidays)
    level = max(1, math.ceil(late / max(sla_days, 1)))
    return min(level, max_escalation_level())
