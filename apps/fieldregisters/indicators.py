"""The field registers' part of the monthly report (apps.reports.contributions): counts per
Posyandu for the non-health indicators appended to apps/reports/data/indicators.json.

Case counts are flows (recorded, or closed as handled, within the month); coverage is a stock
(the latest record of each child or household up to the month's end).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from apps.fieldregisters import rules
from apps.fieldregisters.models import (
    CaseStatus,
    EducationCase,
    EducationKind,
    FieldActivity,
    HousingCase,
    HousingKind,
    SocialCase,
    WaterSanitationSurvey,
)


def contribute(where: Q, start: dt.date, end: dt.date, add: Any) -> None:
    last_day = end - dt.timedelta(days=1)
    in_month = {"recorded_on__gte": start, "recorded_on__lt": end}
    handled_in_month = {"status": CaseStatus.HANDLED, "closed_on__gte": start, "closed_on__lt": end}

    # PAUD participation: the latest PAUD record of each child aged 5–6 at the month's end.
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    paud = (EducationCase.objects.filter(where, kind=EducationKind.PAUD, recorded_on__lte=last_day,
                                         person__birth_date__isnull=False)
            .order_by("recorded_on", "pk").values("posyandu_id", "person_id", "person__sex", "person__birth_date",
                                                  "in_paud"))
    for row in paud:
        latest[(row["posyandu_id"], row["person_id"])] = row
    for (pid, _), row in latest.items():
        if 5 <= rules.age_on(row["person__birth_date"], last_day) <= 6:
            add(pid, "PAUD_5_6", row["person__sex"], int(bool(row["in_paud"])), 1)

    ats = EducationCase.objects.filter(where, kind=EducationKind.OUT_OF_SCHOOL)
    for row in ats.filter(**in_month).values("posyandu_id", "person__sex"):
        add(row["posyandu_id"], "ATS_TERCATAT", row["person__sex"], 1)
    for row in ats.filter(**handled_in_month).values("posyandu_id", "person__sex"):
        add(row["posyandu_id"], "ATS_DITANGANI", row["person__sex"], 1)

    houses = HousingCase.objects.filter(where)
    recorded = houses.filter(**in_month).filter(Q(kind=HousingKind.DISASTER) | Q(kind=HousingKind.RTLH,
                                                                                   uninhabitable=True))
    for pid in recorded.values_list("posyandu_id", flat=True):
        add(pid, "RTLH_TERCATAT", "", 1)
    for pid in houses.filter(**handled_in_month).values_list("posyandu_id", flat=True):
        add(pid, "RTLH_DITANGANI", "", 1)

    # Water and sanitation: the latest survey of each household up to the month's end.
    surveys: dict[tuple[int, int], tuple[bool, bool]] = {}
    rows = (WaterSanitationSurvey.objects.filter(where, recorded_on__lte=last_day).order_by("recorded_on", "pk")
            .values_list("posyandu_id", "household_id", "safe_water", "proper_sanitation"))
    for pid, household, water, sanitation in rows:
        surveys[(pid, household)] = (water, sanitation)
    for (pid, _), (water, sanitation) in surveys.items():
        add(pid, "AIR_MINUM_LAYAK", "", int(water), 1)
        add(pid, "SANITASI_LAYAK", "", int(sanitation), 1)

    activities = (FieldActivity.objects.filter(where, kind__in=rules.preparedness_kinds(), held_on__gte=start,
                                               held_on__lt=end)
                  .values_list("posyandu_id", "participants_male", "participants_female"))
    for pid, male, female in activities:
        add(pid, "SIAGA_KEGIATAN", "", 1)
        add(pid, "SIAGA_PESERTA", "L", male)
        add(pid, "SIAGA_PESERTA", "P", female)

    social = SocialCase.objects.filter(where)
    for row in social.filter(**in_month).values("posyandu_id", "person__sex"):
        add(row["posyandu_id"], "SOSIAL_TERCATAT", row["person__sex"], 1)
    for row in social.filter(**handled_in_month).values("posyandu_id", "person__sex"):
        add(row["posyandu_id"], "SOSIAL_DITANGANI", row["person__sex"], 1)
