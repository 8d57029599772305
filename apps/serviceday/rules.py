"""The service-day rules, read from data/rules.json: life stage, KEK, hypertension, anaemia,
adult BMI, central obesity, glucose, dependency, plausibility and referral triggers.

Pure functions (no database), so every cut-off is tested at its boundary.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RULES_PATH = Path(__file__).resolve().parent / "data" / "rules.json"


@functools.cache
def rules() -> dict[str, Any]:
    return json.loads(RULES_PATH.read_text(encoding="utf-8"))


def completed_months(birth: dt.date, on: dt.date) -> int:
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    return months - (1 if on.day < birth.day else 0)


def life_stage(birth: dt.date | None, on: dt.date) -> str | None:
    """The age band (bayi, balita, prasekolah, remaja, produktif, lansia); pregnancy is an episode."""
    if birth is None or on < birth:
        return None
    months = completed_months(birth, on)
    for band in rules()["life_stages"]["bands"]:
        if months >= band["from_months"] and (band["to_months"] is None or months < band["to_months"]):
            return band["code"]
    return None


def stage_label(code: str | None) -> str:
    if code in ("ibu_hamil", "ibu_nifas"):
        return {"ibu_hamil": "Ibu hamil", "ibu_nifas": "Ibu nifas/menyusui"}[code]
    for band in rules()["life_stages"]["bands"]:
        if band["code"] == code:
            return band["label"]
    return "-"


def is_kek(muac_cm: float | None) -> bool | None:
    return None if muac_cm is None else muac_cm < rules()["kek"]["lila_below_cm"]


def is_hypertensive(systolic: int | None, diastolic: int | None) -> bool | None:
    if systolic is None and diastolic is None:
        return None
    r = rules()["hypertension"]
    return (systolic or 0) >= r["systolic_at_least"] or (diastolic or 0) >= r["diastolic_at_least"]


def glucose_status(mg_dl: float | None) -> str | None:
    if mg_dl is None:
        return None
    r = rules()["glucose"]
    if mg_dl > r["high_above"]:
        return "tinggi"
    if mg_dl < r["low_below"]:
        return "rendah"
    return "normal"


def anaemia_cutoff(*, age_months: int, sex: str, pregnant: bool) -> float | None:
    r = rules()["anaemia"]
    if pregnant:
        return r["pregnant_below"]
    if age_months < 6:
        return None
    if age_months < 60:
        return r["child_6_59_months_below"]
    if age_months < 144:
        return r["child_5_11_years_below"]
    if age_months < 180:
        return r["child_12_14_years_below"]
    return r["women_15_plus_below"] if sex == "P" else r["men_15_plus_below"]


def is_anaemic(hb: float | None, *, age_months: int, sex: str, pregnant: bool) -> bool | None:
    cutoff = anaemia_cutoff(age_months=age_months, sex=sex, pregnant=pregnant)
    return None if hb is None or cutoff is None else hb < cutoff


def adult_bmi_category(bmi: float | None) -> str:
    if bmi is None:
        return ""
    for band in rules()["adult_bmi"]["bands"]:
        if "below" in band and bmi < band["below"]:
            return band["label"]
        if "at_most" in band and bmi <= band["at_most"]:
            return band["label"]
        if "below" not in band and "at_most" not in band:
            return band["label"]
    return ""


def has_central_obesity(waist_cm: float | None, sex: str) -> bool | None:
    if waist_cm is None:
        return None
    r = rules()["central_obesity"]
    return waist_cm > (r["male_above_cm"] if sex == "L" else r["female_above_cm"])


def is_dependent(adl_score: int | None) -> bool | None:
    return None if adl_score is None else adl_score < rules()["adl"]["dependent_below"]


LABELS = {
    "weight_kg": "Berat badan", "height_cm": "Panjang/tinggi badan", "head_circ_cm": "Lingkar kepala",
    "muac_cm": "LILA", "waist_cm": "Lingkar perut", "systolic": "Tekanan darah sistolik",
    "diastolic": "Tekanan darah diastolik", "glucose_mg_dl": "Gula darah", "hb_g_dl": "Hb",
    "gestational_age_weeks": "Usia kehamilan",
}


@dataclass
class Plausibility:
    errors: dict[str, str] = field(default_factory=dict)  # refused outright
    warnings: dict[str, str] = field(default_factory=dict)  # must be confirmed


def plausibility_band(months: int | None) -> str:
    """Which 'usual' range applies: under 5 years, 5-18 years, adults (unknown age: adult)."""
    if months is None or months >= 228:
        return "adult"
    return "child" if months < 60 else "school"


def check_plausible(values: dict[str, float | None], *, band: str) -> Plausibility:
    """Impossible values are refused; unusual ones need the kader's confirmation. `band` is
    plausibility_band() of the person's age."""
    result = Plausibility()
    for name, value in values.items():
        limits = rules()["plausible"].get(name)
        if value is None or limits is None:
            continue
        low, high = limits["possible"]
        label = LABELS.get(name, name)
        if not low <= value <= high:
            result.errors[name] = f"{label} {_num(value)} tidak mungkin (batas {_num(low)}–{_num(high)})."
            continue
        usual = limits.get("usual") or limits.get(f"usual_{band}") or limits.get("usual_adult")
        if usual and not usual[0] <= value <= usual[1]:
            result.warnings[name] = f"{label} {_num(value)} tidak biasa: periksa ulang lalu centang konfirmasi."
    return result


def _num(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def referral_reasons(result: dict[str, Any]) -> list[str]:
    """Codes of the triggers a visit's results meet (see rules.json referral_triggers)."""
    reasons = []
    if result.get("two_t"):
        reasons.append("2T")
    if result.get("bgm"):
        reasons.append("BGM")
    if result.get("bb_tb") == "gizi buruk":
        reasons.append("gizi_buruk")
    if result.get("bb_tb") == "gizi kurang":
        reasons.append("gizi_kurang")
    if result.get("tb_u") in ("pendek", "sangat pendek"):
        reasons.append("stunting")
    if result.get("kek"):
        reasons.append("kek")
    if result.get("hypertension"):
        reasons.append("hipertensi")
    if result.get("glucose_status") == "tinggi":
        reasons.append("gula_tinggi")
    if result.get("glucose_status") == "rendah":
        reasons.append("gula_rendah")
    if result.get("anaemia"):
        reasons.append("anemia")
    if result.get("danger_signs"):
        reasons.append("tanda_bahaya")
    if result.get("dependent"):
        reasons.append("ketergantungan")
    return reasons


def reason_label(code: str) -> str:
    return rules()["referral_triggers"]["codes"].get(code, code)
