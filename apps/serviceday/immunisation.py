"""The national routine schedule (data/immunisation_schedule.json): what a child has, what is due
next, what is overdue, and whether basic immunisation is complete (IDL)."""
from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apps.serviceday.rules import completed_months

SCHEDULE_PATH = Path(__file__).resolve().parent / "data" / "immunisation_schedule.json"


@functools.cache
def schedule() -> dict[str, Any]:
    return json.loads(SCHEDULE_PATH.read_text(encoding="utf-8"))


def vaccine_choices() -> list[tuple[str, str]]:
    return [(d["code"], d["label"]) for d in schedule()["doses"]]


@dataclass(frozen=True)
class DoseStatus:
    code: str
    label: str
    age_months: int
    given_on: dt.date | None
    state: str  # sudah, terlambat, jatuh_tempo, belum_waktunya


def doses_for(birth: dt.date, on: dt.date, given: dict[str, dt.date]) -> list[DoseStatus]:
    months = completed_months(birth, on)
    grace = schedule()["grace_months"]
    rows = []
    for dose in schedule()["doses"]:
        code, due = dose["code"], dose["age_months"]
        if code in given:
            state = "sudah"
        elif months > due + grace:
            state = "terlambat"
        elif months >= due:
            state = "jatuh_tempo"
        else:
            state = "belum_waktunya"
        rows.append(DoseStatus(code, dose["label"], due, given.get(code), state))
    return rows


def next_due(birth: dt.date, on: dt.date, given: dict[str, dt.date]) -> list[DoseStatus]:
    """Doses to give now (overdue first), or else the next ones by age."""
    rows = doses_for(birth, on, given)
    now = [r for r in rows if r.state in ("terlambat", "jatuh_tempo")]
    if now:
        return sorted(now, key=lambda r: (r.state != "terlambat", r.age_months))
    later = [r for r in rows if r.state == "belum_waktunya"]
    return [r for r in later if r.age_months == later[0].age_months] if later else []


def is_complete_basic(given: dict[str, dt.date]) -> bool:
    return all(code in given for code in schedule()["complete_basic"])
