"""The service-day rules, read from data/rules.json: life stage, KEK, hypertension, anaemia,
adult BMI, central obesity, glucose, dependency, head circumference, a child's LILA band, the TBC
screening, the PUMA score, plausibility and referral triggers.

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


def head_circumference_category(zhc: float | None, *, flagged: bool = False) -> str:
    """LK/U: mikrosefali, normal or makrosefali from the growth engine's z (already rounded to 2
    decimals, so -2.00 is normal). No z, or one flagged as implausible: no category."""
    if zhc is None or flagged or zhc != zhc:  # NaN
        return ""
    r = rules()["head_circumference"]
    if zhc < r["below_z"]:
        return r["labels"]["below"]
    if zhc > r["above_z"]:
        return r["labels"]["above"]
    return r["labels"]["normal"]


def is_muac_red(muac_cm: float | None, age_months: int | None) -> bool | None:
    """A child's LILA in the red band of the tape (6-59 months); None outside those ages or unmeasured."""
    r = rules()["muac_child"]
    if muac_cm is None or age_months is None or not r["from_months"] <= age_months < r["to_months"]:
        return None
    return muac_cm < r["red_below_cm"]


def kms_with_source(own: str, source: str) -> tuple[str, bool]:
    """The KMS status to report, and whether it is the import source's. The system's own reading
    wins wherever it could judge the gain (N or T). A B ("first weighing") or O ("not weighed last
    month") of its own only means the system lacks the earlier weighings: then the source's N/T/O/B,
    read from the history the source has, is kept (an O of the source means it knows an older
    weighing; an N or T that it knows last month's). The system never invents an N or T itself."""
    if own in ("B", "O") and source in ("N", "T", "O", "B") and source != own:
        return source, True
    return own, False


def tbc_weight_symptom(answer: bool | None, *, kms_status: str = "", two_t: bool = False) -> bool | None:
    """'Weight not rising 2 months in a row' for the TBC screening. A child weighed on the KMS
    answers it from the series (2T: yes; N this month: no); otherwise (O, B, a single T whose
    month before is unknown, no weighing, an adult) the kader's answer stands."""
    if two_t:
        return True
    if kms_status == "N":
        return False
    return answer


def tbc_symptom_count(*, cough: bool | None, fever: bool | None, weight: bool | None, contact: bool | None,
                      kms_status: str = "", two_t: bool = False) -> int | None:
    """How many of the four TBC symptoms are present; None when the screening was not done (no
    answer at all: the KMS alone does not make a screening)."""
    answers = (cough, fever, weight, contact)
    if all(a is None for a in answers):
        return None
    weight = tbc_weight_symptom(weight, kms_status=kms_status, two_t=two_t)
    return sum(1 for a in (cough, fever, weight, contact) if a)


def is_tbc_suspect(count: int | None) -> bool:
    return count is not None and count >= rules()["tbc_screening"]["refer_at_least"]


def puma_applies(*, smoker: bool | None, age_years: int | None) -> bool:
    """The PUMA questionnaire is for smokers aged 40 and over (data/rules.json, "puma")."""
    return bool(smoker) and age_years is not None and age_years >= rules()["puma"]["age_from_years"]


def pack_years(cigarettes_per_day: int, years: int) -> float:
    return cigarettes_per_day * years / 20


def puma_score(*, sex: str, age_years: int, cigarettes_per_day: int, smoking_years: int, short_breath: bool,
               phlegm: bool, cough: bool, spirometry: bool) -> int:
    """The PUMA total (0-9): sex, age band, pack-year band, and one point per 'ya'."""
    r = rules()["puma"]
    score = r["sex_points"].get(sex, 0)
    for band in r["age_points"]:
        if "below_years" not in band or age_years < band["below_years"]:
            score += band["points"]
            break
    packs = pack_years(cigarettes_per_day, smoking_years)
    for band in r["pack_year_points"]:
        if ("below" in band and packs < band["below"]) or ("at_most" in band and packs <= band["at_most"]) \
                or ("below" not in band and "at_most" not in band):
            score += band["points"]
            break
    return score + sum(1 for answer in (short_breath, phlegm, cough, spirometry) if answer)


def is_puma_high(score: int | None) -> bool:
    return score is not None and score >= rules()["puma"]["refer_at_least"]


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
    """Codes of the triggers a visit's results meet (see rules.json referral_triggers).

    `result` holds the stored results (services.RESULT_FIELDS) and the inputs some triggers read
    directly: danger_signs, development and the four TBC answers (tbc_cough, tbc_fever,
    tbc_weight, tbc_contact)."""
    reasons = []
    if result.get("two_t"):
        reasons.append("2T")  # a 2T is a T too: one reason, the stronger
    elif result.get("kms_status") == "T":
        reasons.append("T")
    if result.get("bgm"):
        reasons.append("BGM")
    if result.get("bb_tb") == "gizi buruk":
        reasons.append("gizi_buruk")
    if result.get("bb_tb") == "gizi kurang":
        reasons.append("gizi_kurang")
    overweight = rules()["overweight"]
    if result.get("bb_tb") in overweight["bb_tb_labels"]:
        reasons.append("gizi_lebih")
    elif not result.get("bb_tb") and result.get("bb_u") in overweight["bb_u_labels_without_bb_tb"]:
        reasons.append("risiko_bb_lebih")
    if result.get("tb_u") in ("pendek", "sangat pendek"):
        reasons.append("stunting")
    head = rules()["head_circumference"]
    if result.get("lk_u") in head["refer"]:
        reasons.append("mikrosefali" if result["lk_u"] == head["labels"]["below"] else "makrosefali")
    if result.get("muac_red"):
        reasons.append("lila_merah")
    if result.get("kek"):
        reasons.append("kek")
    if result.get("hypertension"):
        reasons.append("hipertensi")
    if result.get("glucose_status") == "tinggi":
        reasons.append("gula_tinggi")
    if result.get("glucose_status") == "rendah":
        reasons.append("gula_rendah")
    if is_puma_high(result.get("puma_score")):
        reasons.append("puma")
    if result.get("anaemia"):
        reasons.append("anemia")
    tbc = tbc_symptom_count(cough=result.get("tbc_cough"), fever=result.get("tbc_fever"),
                            weight=result.get("tbc_weight"), contact=result.get("tbc_contact"),
                            kms_status=result.get("kms_status") or "", two_t=bool(result.get("two_t")))
    if is_tbc_suspect(tbc):
        reasons.append("tbc")
    if result.get("development") in rules()["development"]["refer_when"]:
        reasons.append("perkembangan")
    if result.get("danger_signs"):
        reasons.append("tanda_bahaya")
    if result.get("dependent"):
        reasons.append("ketergantungan")
    return reasons


def reason_label(code: str) -> str:
    return rules()["referral_triggers"]["codes"].get(code, code)
