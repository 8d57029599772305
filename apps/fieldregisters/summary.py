"""Per-field summary of the registers for an area (a region code) within the user's scope."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, Sum

from apps.core.scoping import VIEW, code_q
from apps.fieldregisters import rules
from apps.fieldregisters.models import (
    CLOSED_CASE_STATUSES,
    CaseStatus,
    EducationCase,
    EducationKind,
    FieldActivity,
    HousingCase,
    HousingKind,
)
from apps.fieldregisters.registers import REGISTERS


def percent(num: int, den: int) -> float | None:
    return round(100 * num / den, 1) if den else None


def area_summary(user: Any, area: str = "", *, posyandu: Any = None, today: dt.date | None = None) -> dict[str, Any]:
    """Counts per field: recorded, open, proposed, handled, with a field-specific headline."""
    today = today or dt.date.today()

    def scoped(model: type) -> Any:
        qs = model._default_manager.for_user(user, VIEW)
        if posyandu is not None:
            qs = qs.filter(posyandu=posyandu)
        elif area:
            qs = qs.filter(code_q("region_code", area))
        return qs

    fields = []
    for register in REGISTERS:
        counts = scoped(register.model).aggregate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(status__in=CLOSED_CASE_STATUSES)),
            proposed=Count("pk", filter=Q(status=CaseStatus.PROPOSED)),
            handled=Count("pk", filter=Q(status=CaseStatus.HANDLED)),
        )
        fields.append({"register": register, **counts, "headlines": []})
    by_code = {f["register"].field_code: f for f in fields}

    # Pendidikan: PAUD participation among children 5–6 today (latest record), out-of-school open.
    latest: dict[int, tuple[Any, bool]] = {}
    for person, birth, in_paud in (scoped(EducationCase).filter(kind=EducationKind.PAUD, person__birth_date__isnull=False)
                                   .order_by("recorded_on", "pk")
                                   .values_list("person_id", "person__birth_date", "in_paud")):
        latest[person] = (birth, bool(in_paud))
    children = [p for b, p in latest.values() if 5 <= rules.age_on(b, today) <= 6]
    by_code["pendidikan"]["headlines"] = [
        ("Partisipasi PAUD anak 5–6 tahun", _pct_text(sum(children), len(children))),
        ("Anak tidak sekolah belum tertangani",
         scoped(EducationCase).filter(kind=EducationKind.OUT_OF_SCHOOL).exclude(
             status__in=CLOSED_CASE_STATUSES).count()),
    ]
    houses = scoped(HousingCase)
    by_code["perumahan"]["headlines"] = [
        ("RTLH tercatat", houses.filter(kind=HousingKind.RTLH, uninhabitable=True).count()),
        ("Rumah rusak bencana", houses.filter(kind=HousingKind.DISASTER).count()),
        ("RTLH/rumah rusak ditangani", houses.filter(status=CaseStatus.HANDLED).count()),
    ]
    from apps.fieldregisters.models import WaterSanitationSurvey

    surveys: dict[int, tuple[bool, bool]] = {}
    for household, water, sanitation in (scoped(WaterSanitationSurvey).order_by("recorded_on", "pk")
                                         .values_list("household_id", "safe_water", "proper_sanitation")):
        surveys[household] = (water, sanitation)
    n = len(surveys)
    by_code["pupr"]["headlines"] = [
        ("Keluarga disurvei", n),
        ("Air minum layak", _pct_text(sum(w for w, _ in surveys.values()), n)),
        ("Sanitasi layak", _pct_text(sum(s for _, s in surveys.values()), n)),
    ]
    by_code["sosial"]["headlines"] = [("Kebutuhan sosial ditangani", _pct_text(by_code["sosial"]["handled"],
                                                                             by_code["sosial"]["total"]))]
    year = scoped(FieldActivity).filter(held_on__year=today.year)
    prepared = year.filter(kind__in=rules.preparedness_kinds()).aggregate(
        n=Count("pk"), male=Sum("participants_male"), female=Sum("participants_female"))
    by_code["trantibumlinmas"]["headlines"] = [
        (f"Kegiatan kesiapsiagaan {today.year}", prepared["n"]),
        (f"Peserta kesiapsiagaan {today.year}", (prepared["male"] or 0) + (prepared["female"] or 0)),
        (f"Kegiatan Linmas {today.year}", year.filter(kind="linmas").count()),
    ]
    activities = (year.values("field__name").annotate(n=Count("pk"), people=Sum("participants_male")
                                                       + Sum("participants_female")).order_by("field__name"))
    return {"fields": fields, "activities": list(activities), "year": today.year}


def _pct_text(num: int, den: int) -> str:
    value = percent(num, den)
    return "-" if value is None else f"{value:.1f}% ({num}/{den})".replace(".", ",", 1)
