"""What the phone keeps for the day: the Posyandu's roster (persons, their last weighings, due
immunisations, today's visits) and the rules as data (rules.json, the Permenkes cut-offs, the KBM
table, the WHO LMS tables and the visit form's fields), read from the same files and the same form
the server uses, so the phone's provisional results follow the server's data and never a copy."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef

from apps.core.ages import age_in_years
from apps.people.models import MARITAL_MIN_AGE_YEARS, Person, Pregnancy
from apps.serviceday import forms as visit_forms
from apps.serviceday import immunisation, rules, services
from apps.serviceday.forms import VisitForm, stage_group
from apps.serviceday.models import Immunisation, ServiceSession, Visit, is_wus

# The WHO tables the phone scores with: BB/U, PB/U-TB/U, BB/PB and BB/TB below 60 months.
PHONE_TABLES = ("weianthro", "lenanthro", "wflanthro", "wfhanthro")


def _field_spec(name: str, field: Any) -> dict[str, Any]:
    widget = type(field.widget).__name__
    if name in visit_forms.NULLABLE_BOOLEANS:
        kind = "nullbool"
    elif widget == "CheckboxInput":
        kind = "bool"
    elif widget == "CheckboxSelectMultiple":
        kind = "multi"
    elif widget == "Select":
        kind = "choice"
    elif widget == "Textarea":
        kind = "text"
    elif name in visit_forms.DECIMAL_FIELDS:
        kind = "decimal"
    elif type(field).__name__ in ("IntegerField", "TypedChoiceField"):
        kind = "int"
    else:
        kind = "string"
    spec: dict[str, Any] = {"label": str(field.label or name), "kind": kind}
    choices = getattr(field, "choices", None)
    if choices and kind in ("choice", "multi"):
        spec["choices"] = [[str(v), str(label)] for v, label in choices if str(v) != ""]
    return spec


@functools.cache
def rules_bundle() -> dict[str, Any]:
    """Everything the phone computes with; cached per process (the files never change at run time)."""
    import growth.tables as growth_tables
    from growth.kms import kbm_table

    lms = {}
    for name in PHONE_TABLES:
        table = growth_tables.load(name)
        lms[name] = {"start": table.start, "step": table.step,
                     "L": [table.l[1].tolist(), table.l[2].tolist()],
                     "M": [table.m[1].tolist(), table.m[2].tolist()],
                     "S": [table.s[1].tolist(), table.s[2].tolist()]}
    with open(growth_tables.DATA_DIR / "permenkes_2_2020.json", encoding="utf-8") as handle:
        permenkes = json.load(handle)
    # Field types and labels from the online visit form itself (two sample instances give the
    # fields some groups add: the PUMA questionnaire and the WUS contraception).
    fields = {name: _field_spec(name, f) for name, f in VisitForm.base_fields.items()}
    for name in visit_forms.NULLABLE_BOOLEANS:
        if name in fields:
            fields[name]["kind"] = "nullbool"
    for name in visit_forms.SENSE_FIELDS + ["position", "development", "contraception"]:
        model_field = Visit._meta.get_field(name)
        fields[name] = {"label": str(model_field.verbose_name), "kind": "choice",
                        "choices": [[str(v), str(label)] for v, label in model_field.choices]}
    for name in ("danger_signs", "counselling_topics"):
        fields[name]["kind"] = "multi"
    body = {
        "rules": rules.rules(),
        "permenkes": permenkes,
        "kbm": {str(k): v for k, v in kbm_table().items()},
        "lms": lms,
        "form": {
            "fields": fields,
            "stage_fields": visit_forms.STAGE_FIELDS,
            "tbc_fields": visit_forms.TBC_FIELDS,
            "puma_fields": visit_forms.PUMA_FIELDS,
            "common": visit_forms.COMMON,
            "wus_fields": visit_forms.WUS_FIELDS,
            "decimal_fields": list(visit_forms.DECIMAL_FIELDS),
        },
        "labels": rules.LABELS,
        "marital_min_age_years": MARITAL_MIN_AGE_YEARS,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    body["version"] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return body


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def day_bundle(*, posyandu: Any, user: Any, today: dt.date) -> dict[str, Any]:
    """The roster of `posyandu` for `today`, as the online roster orders it, with what the phone
    needs to fill and score each visit without a signal."""
    session = ServiceSession.objects.filter(posyandu=posyandu, pos=None, date=today).first()
    # services.roster reads the session's Posyandu, date and visits: a day not opened yet has none.
    roster_session = session or SimpleNamespace(posyandu=posyandu, date=today, visits=Visit.objects.none())
    rows = services.roster(roster_session)  # type: ignore[arg-type]
    ids = [person.pk for person, _, _ in rows]
    weighings: dict[int, list[tuple[dt.date, float, str, bool, float | None]]] = {}
    month_start = today.replace(day=1)
    previous_month = (month_start - dt.timedelta(days=1)).replace(day=1)
    for person_id, day, weight, status, two_t, height in (
            Visit.objects.filter(person_id__in=ids, weight_kg__isnull=False, visit_date__lt=today)
            .order_by("person_id", "visit_date", "pk")
            .values_list("person_id", "visit_date", "weight_kg", "kms_status", "two_t", "height_cm")):
        weighings.setdefault(person_id, []).append(
            (day, float(weight), status, two_t, float(height) if height is not None else None))
    given: dict[int, dict[str, dt.date]] = {}

    for person_id, vaccine, given_on in Immunisation.objects.filter(person_id__in=ids).values_list(
            "person_id", "vaccine", "given_on"):
        given.setdefault(person_id, {})[vaccine] = given_on
    women = set(Person.objects.filter(pk__in=ids, sex="P").annotate(
        pregnant=Exists(Pregnancy.objects.filter(person=OuterRef("pk")))).values_list("pk", flat=True))
    puma_age = rules.rules()["puma"]["age_from_years"]
    persons = []
    for person, stage, visit in rows:
        group = stage_group(stage or "produktif")
        series = weighings.get(person.pk, [])
        # The weighings the KMS reading of today needs: any before (B or not), and those of the
        # calendar month before (N/T, and their status for 2T).
        last_month = [w for w in series if previous_month <= w[0] < month_start]
        this_month = [w for w in series if w[0] >= month_start]
        person_given = given.get(person.pk, {})

        age = age_in_years(person.birth_date, today)
        wus = person.sex == "P" and (is_wus(person.sex, person.birth_date, today) or group == "ibu")
        if group == "child":
            vaccines = [[c, label] for c, label in immunisation.child_vaccine_choices() if c not in person_given]
        elif wus:
            recorded = {immunisation.wus_dose_code(code) for code in person_given}
            vaccines = [[c, label] for c, label in immunisation.wus_vaccine_choices() if c not in recorded]
        else:
            vaccines = []
        due = (immunisation.next_due(person.birth_date, today, person_given)
               if person.birth_date and group == "child" else [])
        last = series[-1] if series else None
        persons.append({
            "id": person.pk, "name": person.name, "sex": person.sex, "birth_date": _iso(person.birth_date),
            "stage": stage or "", "stage_label": rules.stage_label(stage), "group": group,
            "wus": wus and stage != "ibu_hamil", "asks_puma": group in ("adult", "lansia") and age is not None
            and age >= puma_age, "pregnancy_known": person.pk in women,
            "walk_in": person.posyandu_id != posyandu.pk,
            "vaccines": vaccines,
            "due": [{"code": d.code, "label": d.label, "state": d.state} for d in due],
            "last": {"date": _iso(last[0]), "weight_kg": last[1], "kms_status": last[2], "height_cm": last[4]}
            if last else None,
            "weighed_before": bool(series),
            "kms_previous_month": [{"date": _iso(w[0]), "weight_kg": w[1], "kms_status": w[2], "two_t": w[3]}
                                   for w in last_month],
            "kms_this_month": [{"date": _iso(w[0]), "weight_kg": w[1]} for w in this_month],
            "today_visit": {"id": visit.pk, "measured": bool(visit.step_measured),
                            "kms_status": visit.kms_status} if visit else None,
        })
    return {
        "posyandu": {"id": posyandu.pk, "name": posyandu.name, "village_code": posyandu.region_code},
        "date": today.isoformat(),
        "session": session.pk if session else None,
        "user": user.get_username(),
        "persons": persons,
        "mothers": [{"id": p["id"], "name": p["name"]} for p in persons if p["sex"] == "P"
                    and p["group"] in ("ibu", "adult")],
        "rules_version": rules_bundle()["version"],
    }
