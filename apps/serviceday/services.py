"""Recording a service day: the multi-step writes, each in one transaction.

`record_visit` validates plausibility, computes every result through the growth engine and the
rules in data/rules.json, saves, and proposes referrals; the kader then confirms or dismisses them.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

import growth
from apps.core.ages import age_in_years
from apps.core.scoping import require_change
from apps.people.models import Person
from apps.periods.hooks import is_month_locked, locked_months, mark_stale
from apps.serviceday import rules
from apps.serviceday.immunisation import vaccine_choices
from apps.serviceday.models import (
    Immunisation,
    Referral,
    ReferralStatus,
    ServiceSession,
    Visit,
    contraception_error,
)

MEASURE_FIELDS = ["weight_kg", "height_cm", "head_circ_cm", "muac_cm", "waist_cm", "systolic", "diastolic",
                  "glucose_mg_dl", "hb_g_dl", "gestational_age_weeks"]
CHILD_STAGES = {"bayi", "balita", "prasekolah", "remaja"}
# The PUMA questionnaire's answers (the score is a result); all or none, smokers aged 40+ only.
PUMA_FIELDS = ["puma_cigarettes_per_day", "puma_smoking_years", "puma_short_breath", "puma_phlegm", "puma_cough",
               "puma_spirometry"]
# Inputs that referral_reasons reads besides the stored results.
REASON_INPUTS = ["danger_signs", "development", "tbc_cough", "tbc_fever", "tbc_weight", "tbc_contact"]


def stage_for(person: Person, on: dt.date) -> str | None:
    """Pregnancy and nifas are episodes that take precedence over the age band. A person loaded
    with `has_pregnancies` (annotated False) is known to have none: no query."""
    if person.sex == "P" and getattr(person, "has_pregnancies", True):
        for pregnancy in person.pregnancies.all():
            stage = pregnancy.stage_on(on)
            if stage:
                return stage
    return rules.life_stage(person.birth_date, on)


def _float(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def compute_results(visit: Visit, person: Person) -> dict[str, Any]:
    """Every derived value of a visit, from its measurements and the person's earlier weighings."""
    on = visit.visit_date
    result: dict[str, Any] = {}
    age_days = (on - person.birth_date).days if person.birth_date else None
    result["age_days"] = age_days
    result["age_months"] = rules.completed_months(person.birth_date, on) if person.birth_date else None
    stage = stage_for(person, on)
    result["stage"] = stage or ""
    weight, height = _float(visit.weight_kg), _float(visit.height_cm)
    sex = 1 if person.sex == "L" else 2
    months = result["age_months"]

    if age_days is not None and months is not None and months < 228:
        scored = growth.assess(sex=sex, age_days=[age_days], weight=[weight], lenhei=[height],
                               measure=[visit.position or None], oedema=["y" if visit.oedema else "n"],
                               headc=[_float(visit.head_circ_cm)], armc=[_float(visit.muac_cm)])
        flagged = False
        for z, f in (("zwei", "fwei"), ("zlen", "flen"), ("zwfl", "fwfl"), ("zbmi", "fbmi"), ("zhc", "fhc"),
                     ("zac", "fac")):
            value = float(scored[z][0])
            result[z] = None if math.isnan(value) else value
            flagged |= float(scored[f][0]) == 1
        result["z_flagged"] = flagged
        result.update(bb_u=scored["bb_u"][0] or "", tb_u=scored["pb_tb_u"][0] or "",
                      bb_tb=scored["bb_pb_tb"][0] or "", imt_u=scored["imt_u"][0] or "",
                      lk_u=rules.head_circumference_category(result["zhc"], flagged=float(scored["fhc"][0]) == 1))
        if months < 60 and weight is not None:
            result.update(_kms(visit, person, weight))
    if weight and height and (months is None or months >= 228):
        bmi = round(weight / (height / 100) ** 2, 1)
        result["bmi"] = bmi
        result["bmi_category"] = rules.adult_bmi_category(bmi)
    if months is None or months >= 180 or stage in ("ibu_hamil", "ibu_nifas"):
        result["kek"] = rules.is_kek(_float(visit.muac_cm)) if (person.sex == "P") else None
        result["hypertension"] = rules.is_hypertensive(visit.systolic, visit.diastolic)
        result["central_obesity"] = rules.has_central_obesity(_float(visit.waist_cm), person.sex)
        result["glucose_status"] = rules.glucose_status(_float(visit.glucose_mg_dl)) or ""
    if stage == "lansia":
        result["dependent"] = rules.is_dependent(visit.adl_score)
    if visit.hb_g_dl is not None and months is not None:
        result["anaemia"] = rules.is_anaemic(_float(visit.hb_g_dl), age_months=months, sex=person.sex,
                                             pregnant=stage == "ibu_hamil")
    result["muac_red"] = rules.is_muac_red(_float(visit.muac_cm), months)
    age_years = age_in_years(person.birth_date, on)
    if rules.puma_applies(smoker=visit.smoker, age_years=age_years) and all(
            getattr(visit, name) is not None for name in PUMA_FIELDS):
        result["puma_score"] = rules.puma_score(
            sex=person.sex, age_years=age_years, cigarettes_per_day=visit.puma_cigarettes_per_day,
            smoking_years=visit.puma_smoking_years, short_breath=visit.puma_short_breath, phlegm=visit.puma_phlegm,
            cough=visit.puma_cough, spirometry=visit.puma_spirometry)
    result.update({name: getattr(visit, name) for name in REASON_INPUTS})
    return result


def puma_errors(visit: Visit, person: Person) -> dict[str, str]:
    """Why the PUMA answers of this visit cannot be kept, per field, in Indonesian (empty: fine).
    The questionnaire is for smokers aged 40 and over, and is scored only when complete."""
    given = [name for name in PUMA_FIELDS if getattr(visit, name) is not None]
    if not given:
        return {}
    spec = rules.rules()["puma"]
    age = age_in_years(person.birth_date, visit.visit_date)
    if age is None:
        return {given[0]: "Kuesioner PUMA memerlukan tanggal lahir: hanya untuk perokok berusia "
                          f"{spec['age_from_years']} tahun ke atas."}
    if age < spec["age_from_years"]:
        return {given[0]: f"Kuesioner PUMA hanya untuk perokok berusia {spec['age_from_years']} tahun ke atas; "
                          f"orang ini berusia {age} tahun. Kosongkan jawaban PUMA."}
    if not visit.smoker:
        return {given[0]: "Kuesioner PUMA hanya untuk perokok: isi 'merokok: Ya', atau kosongkan jawaban PUMA."}
    errors = {name: "Wajib diisi untuk kuesioner PUMA." for name in PUMA_FIELDS if getattr(visit, name) is None}
    per_day, years = visit.puma_cigarettes_per_day, visit.puma_smoking_years
    if per_day is not None and per_day > spec["cigarettes_per_day_max"]:
        errors["puma_cigarettes_per_day"] = (f"{per_day} batang per hari tidak mungkin (paling banyak "
                                             f"{spec['cigarettes_per_day_max']}).")
    if years is not None and years > age:
        errors["puma_smoking_years"] = f"Lama merokok {years} tahun melebihi umurnya ({age} tahun)."
    return errors


def _kms(visit: Visit, person: Person, weight: float) -> dict[str, Any]:
    # One query for the whole series: the earlier weighings score this one, and whether later
    # ones exist tells _refresh_later_kms if it has anything to do (usually not: today's visit).
    series = list(
        Visit.objects.filter(person=person, weight_kg__isnull=False)
        .exclude(pk=visit.pk).order_by("visit_date").values_list("visit_date", "weight_kg")
    )
    earlier = [(d, w) for d, w in series if d < visit.visit_date]
    visit._has_later_weighings = len(earlier) < len(series)  # type: ignore[attr-defined]
    dates = [d for d, _ in earlier] + [visit.visit_date]
    weights = [float(w) for _, w in earlier] + [weight]
    last = growth.kms_series(1 if person.sex == "L" else 2, dates, weights, dob=person.birth_date)[-1]
    status, from_source = rules.kms_with_source(last.status or "", visit.source_kms_status)
    return {"kms_status": status, "kms_from_source": from_source, "two_t": bool(last.two_t), "bgm": bool(last.bgm)}


@dataclass
class Recorded:
    visit: Visit
    warnings: dict[str, str]
    referral: Referral | None


RESULT_FIELDS = ["stage", "age_days", "age_months", "zwei", "zlen", "zwfl", "zbmi", "zhc", "zac", "z_flagged", "bb_u",
                 "tb_u", "bb_tb", "imt_u", "lk_u", "kms_status", "kms_from_source", "two_t", "bgm", "muac_red", "bmi",
                 "bmi_category", "kek", "hypertension", "anaemia", "central_obesity", "glucose_status", "dependent", "puma_score"]
RESULT_DEFAULTS = {"z_flagged": False, "kms_from_source": False, "two_t": False, "bgm": False, "bb_u": "", "tb_u": "",
                   "bb_tb": "", "imt_u": "",
                   "lk_u": "", "kms_status": "", "bmi_category": "", "glucose_status": "", "stage": ""}


def record_visit(*, visit: Visit, acting_user: Any, vaccines: Sequence[str] = ()) -> Recorded:
    """Validate, compute and save one visit with its referral proposal, all or nothing.

    Impossible values raise ValidationError; unusual ones raise too unless `confirmed_unusual` is set.
    """
    person = visit.person
    if is_month_locked(visit.posyandu_id, visit.visit_date):
        raise ValidationError("Laporan bulan ini sudah dikirim atau disetujui, sehingga datanya terkunci. "
                              "Minta tingkat di atas membuka kembali laporan.")
    months = rules.completed_months(person.birth_date, visit.visit_date) if person.birth_date else None
    check = rules.check_plausible({f: _float(getattr(visit, f)) for f in MEASURE_FIELDS},
                                  band=rules.plausibility_band(months))
    if check.errors:
        raise ValidationError(check.errors)
    if person.birth_date and visit.visit_date < person.birth_date:
        raise ValidationError({"visit_date": "Tanggal kunjungan sebelum tanggal lahir."})
    problem = contraception_error(visit.contraception, person.sex) if visit.contraception else None
    if problem:
        raise ValidationError({"contraception": problem})
    problems = puma_errors(visit, person)
    if problems:
        raise ValidationError(problems)
    if check.warnings and not visit.confirmed_unusual:
        raise ValidationError({**check.warnings, "confirmed_unusual": "Centang konfirmasi bila nilai sudah benar."})
    result = compute_results(visit, person)
    for name in RESULT_FIELDS:
        setattr(visit, name, result.get(name, RESULT_DEFAULTS.get(name)))
    if any(getattr(visit, f) is not None for f in ("weight_kg", "height_cm", "muac_cm", "systolic")):
        visit.step_measured = visit.step_recorded = True
    unknown = set(vaccines) - {code for code, _ in vaccine_choices()}
    if unknown:
        raise ValidationError({"vaccines": f"Vaksin tidak dikenal: {', '.join(sorted(unknown))}."})
    if vaccines:
        visit.step_served = True
    visit.recorded_by = acting_user
    with transaction.atomic():
        new = visit.pk is None
        visit.save()
        require_change(visit, acting_user, "Data ini di luar wilayah tugas Anda.")
        referral = _propose_referral(visit, rules.referral_reasons(result), new=new)
        changed = _refresh_later_kms(visit)
        # The months' report values (this visit's, and any later one whose N/T changed), recomputed by the job.
        mark_stale([(visit.posyandu_id, visit.visit_date), *changed])
        for code in vaccines:  # doses given today, once per person and dose
            Immunisation.objects.get_or_create(person=person, vaccine=code,
                                               defaults={"given_on": visit.visit_date, "visit": visit})
    return Recorded(visit=visit, warnings=check.warnings, referral=referral)


def _refresh_later_kms(visit: Visit) -> list[tuple[int, dt.date]]:
    """A weighing entered late or corrected changes the N/T/2T of the visits after it: recompute
    their KMS status (and their referral proposals) from the whole series. Returns the (Posyandu,
    date) of the visits changed, whose months' report values must be recomputed."""
    person = visit.person
    if person.birth_date is None or getattr(visit, "_has_later_weighings", True) is False:
        return []
    # KMS readings exist below 60 months (compute_results); a visit in a month whose report was
    # sent or approved keeps its reading, as the import does: the sent figures stay what they were.
    later = list(Visit.objects.filter(person=person, visit_date__gt=visit.visit_date, weight_kg__isnull=False,
                                      age_months__lt=60).order_by("visit_date"))
    locked = locked_months((v.posyandu_id, v.visit_date) for v in later)
    later = [v for v in later if (v.posyandu_id, v.visit_date.replace(day=1)) not in locked]
    if not later:
        return []
    series = list(Visit.objects.filter(person=person, weight_kg__isnull=False).order_by("visit_date"))
    readings = growth.kms_series(1 if person.sex == "L" else 2, [v.visit_date for v in series],
                                 [float(v.weight_kg) for v in series], dob=person.birth_date)
    by_pk = {v.pk: r for v, r in zip(series, readings)}
    changed = []
    for other in later:
        reading = by_pk[other.pk]
        status, from_source = rules.kms_with_source(reading.status or "", other.source_kms_status)
        new = (status, bool(reading.two_t), bool(reading.bgm))
        if new == (other.kms_status, other.two_t, other.bgm) and from_source == other.kms_from_source:
            continue
        other.kms_status, other.two_t, other.bgm = new
        other.kms_from_source = from_source
        other.save(update_fields=["kms_status", "kms_from_source", "two_t", "bgm", "updated_at"])
        _propose_referral(other, rules.referral_reasons(_stored_result(other)))
        changed.append((other.posyandu_id, other.visit_date))
    return changed


def _stored_result(visit: Visit) -> dict[str, Any]:
    """What referral_reasons reads, from a saved visit (as compute_results returned it)."""
    return {name: getattr(visit, name) for name in RESULT_FIELDS + REASON_INPUTS}


def _propose_referral(visit: Visit, reasons: list[str], *, new: bool = False) -> Referral | None:
    existing = [] if new else list(visit.referrals.all())  # a visit just inserted has none
    decided = next((r for r in existing if r.status != ReferralStatus.PROPOSED), None)
    if decided is not None:
        return decided  # the kader already decided for this visit; a correction does not re-ask
    referral = next((r for r in existing if r.status == ReferralStatus.PROPOSED), None)
    if not reasons:
        if referral:
            referral.delete()  # the corrected values no longer meet a trigger
        return None
    if referral is None:
        referral = Referral(visit=visit, person=visit.person, posyandu=visit.posyandu)
    referral.reasons = reasons
    referral.save()
    return referral


@transaction.atomic
def decide_referral(*, referral: Referral, refer: bool, referred_to: str, acting_user: Any,
                    on: dt.date | None = None) -> Referral:
    """The kader confirms (dirujuk, with a due date for the balasan) or dismisses the proposal."""
    require_change(referral, acting_user, "Data ini di luar wilayah tugas Anda.")
    on = on or dt.date.today()
    referral.decided_by, referral.decided_on = acting_user, on
    if refer:
        referral.status = ReferralStatus.REFERRED
        referral.referred_to = referred_to or "Puskesmas"
        referral.feedback_due = on + dt.timedelta(days=rules.rules()["referral_feedback_days"]["days"])
    else:
        referral.status = ReferralStatus.DISMISSED
    referral.save()
    return referral


@transaction.atomic
def record_feedback(*, referral: Referral, feedback: str, on: dt.date, acting_user: Any) -> Referral:
    require_change(referral, acting_user, "Data ini di luar wilayah tugas Anda.")
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError("Balasan hanya untuk rujukan yang sudah dirujuk.")
    if not feedback.strip():
        raise ValidationError({"feedback": "Isi balasan rujukan."})
    referral.status, referral.feedback, referral.feedback_on = ReferralStatus.ANSWERED, feedback.strip(), on
    referral.save()
    return referral


def overdue_referrals(queryset: Any, today: dt.date) -> Any:
    return queryset.filter(status=ReferralStatus.REFERRED, feedback_due__lt=today)


@transaction.atomic
def open_session(*, posyandu: Any, date: dt.date, acting_user: Any, pos: Any = None) -> ServiceSession:
    require_change(posyandu, acting_user, "Anda hanya dapat membaca data Posyandu ini.")
    session, _ = ServiceSession.objects.get_or_create(
        posyandu=posyandu, pos=pos, date=date, defaults={"opened_by": acting_user})
    return session


def roster(session: ServiceSession) -> list[tuple[Person, str | None, Visit | None]]:
    """Who is expected: every active person of the Posyandu in a target group on the day, with
    their visit if they have come. Balita and ibu hamil first, as on the paper register."""
    people = (Person.objects.filter(posyandu=session.posyandu, status="aktif")
              .prefetch_related("pregnancies").order_by("name"))
    visits = {v.person_id: v for v in session.visits.all()}
    order = {"bayi": 0, "balita": 1, "ibu_hamil": 2, "ibu_nifas": 3, "prasekolah": 4, "remaja": 5,
             "produktif": 6, "lansia": 7}
    rows = []
    kader_ids = set(session.posyandu.kader.filter(end_date__isnull=True).values_list("person_id", flat=True))
    for person in people:
        stage = stage_for(person, session.date)
        if person.pk in kader_ids and person.pk not in visits:
            continue  # kader serve at the hari buka; they appear when registered as visitors
        rows.append((person, stage, visits.get(person.pk)))
    rows.sort(key=lambda r: (order.get(r[1] or "", 9), r[0].name))
    return rows


__all__ = ["Recorded", "compute_results", "decide_referral", "open_session", "overdue_referrals",
           "record_feedback", "record_visit", "roster", "stage_for"]
