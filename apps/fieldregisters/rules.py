"""Reference rules of the field registers, read from data/ (each file names its sources): RTLH
criteria, safe water and proper sanitation, activity kinds. Pure functions, no database."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def rtlh_failed_criteria(*, roof_ok: bool, walls_ok: bool, floor_ok: bool, floor_area_m2: Decimal | None,
                         occupants: int | None, sanitation_ok: bool) -> list[str]:
    """The criteria a house fails; 'floor_area' when the area per occupant is below the minimum."""
    data = load("rtlh_criteria")
    failed = [name for name, ok in (("roof", roof_ok), ("walls", walls_ok), ("floor", floor_ok)) if not ok]
    if floor_area_m2 is not None and occupants:
        if Decimal(floor_area_m2) / occupants < Decimal(data["min_floor_area_per_person_m2"]):
            failed.append("floor_area")
    if not sanitation_ok:
        failed.append("sanitation")
    return failed


def rtlh_is_uninhabitable(failed: list[str]) -> bool:
    rule = load("rtlh_criteria")["rule"]
    if rule != "any_failed":  # pragma: no cover - guard for a data edit the code does not know
        raise ValueError(f"Aturan RTLH tidak dikenal: {rule}")
    return bool(failed)


def rtlh_criterion_label(code: str) -> str:
    return load("rtlh_criteria")["criteria"].get(code, code)


def min_floor_area_per_person() -> Decimal:
    return Decimal(load("rtlh_criteria")["min_floor_area_per_person_m2"])


def is_safe_water(source: str) -> bool:
    return source in load("water_sanitation")["safe_water_sources"]


def is_proper_sanitation(*, access: str, toilet_type: str, disposal: str) -> bool:
    data = load("water_sanitation")
    return (access in data["proper_toilet_access"] and toilet_type in data["proper_toilet_types"]
            and disposal in data["proper_disposal"])


def activity_kinds() -> list[dict[str, Any]]:
    return load("activity_kinds")["kinds"]


def activity_kind(code: str) -> dict[str, Any] | None:
    return next((k for k in activity_kinds() if k["code"] == code), None)


def preparedness_kinds() -> list[str]:
    return [k["code"] for k in activity_kinds() if k.get("preparedness")]
