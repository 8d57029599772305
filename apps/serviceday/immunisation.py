"""The national routine schedule (data/immunisation_schedule.json): what a child has, what is due
next, what is overdue, and whether basic immunisation is complete (IDL); and the Td/TT doses of
wanita usia subur (T1-T5 status) with their minimum intervals."""
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


def child_vaccine_choices() -> list[tuple[str, str]]:
    return [(d["code"], d["label"]) for d in schedule()["doses"]]


def wus_vaccine_choices() -> list[tuple[str, str]]:
    return [(d["code"], d["label"]) for d in schedule()["wus"]["doses"]]


def vaccine_choices() -> list[tuple[str, str]]:
    """Every dose the system records: the children's schedule and the WUS Td/TT doses."""
    return child_vaccine_choices() + wus_vaccine_choices()


def wus_dose_code(vaccine: str) -> str | None:
    """TT1-TT5 for a recorded Td/TT dose however it was typed ("TT2", "Td 2", "td2"), else None."""
    key = vaccine.replace(" ", "").replace("/", "").upper()
    key = "TT" + key[2:] if key.startswith("TD") else key
    return key if key in {d["code"] for d in schedule()["wus"]["doses"]} else None


def td_interval_error(code: str, on: dt.date, given: dict[str, dt.date]) -> str | None:
    """Why a Td/TT dose cannot be given on `on`: too soon after the dose before it."""
    doses = {d["code"]: d for d in schedule()["wus"]["doses"]}
    dose = doses[code]
    previous = dose["after"]
    earlier = {wus_dose_code(k): v for k, v in given.items() if wus_dose_code(k)}
    if previous is None or previous not in earlier or not dose["min_interval_days"]:
        return None  # the first dose, or a status from screening without the earlier date: nothing to compare
    soonest = earlier[previous] + dt.timedelta(days=dose["min_interval_days"])
    if on < soonest:
        return (f"{dose['label']} paling cepat {_interval_words(dose['min_interval_days'])} setelah "
                f"{doses[previous]['label']} ({earlier[previous]:%d/%m/%Y}), yaitu mulai {soonest:%d/%m/%Y}.")
    return None


def _interval_words(days: int) -> str:
    if days % 365 == 0:
        return f"{days // 365} tahun"
    if days >= 180:
        return f"{round(days / 30.4)} bulan"
    return f"{days // 7} minggu"


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
