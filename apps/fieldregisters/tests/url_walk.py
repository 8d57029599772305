"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

import datetime as dt
from typing import Any


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """One row of every register and one activity at the outsider's Posyandu."""
    from apps.fieldregisters import models as m

    posyandu, person, household = objs["posyandu"], objs["person"], objs["household"]
    day = dt.date(2026, 3, 2)
    common = {"posyandu": posyandu, "notes": "Data uji luar"}
    rows = {
        "fr_education": m.EducationCase.objects.filter(posyandu=posyandu).first()
        or m.EducationCase.objects.create(**common, kind="ats", person=person, recorded_on=day,
                                          out_of_school_reason="ekonomi"),
        "fr_social": m.SocialCase.objects.filter(posyandu=posyandu).first()
        or m.SocialCase.objects.create(**common, kind="kebutuhan_lain", person=person, recorded_on=day,
                                       need="Kursi roda"),
        "fr_housing": m.HousingCase.objects.filter(posyandu=posyandu).first()
        or m.HousingCase.objects.create(**common, household=household, roof_ok=False, floor_area_m2=20, occupants=5,
                                        recorded_on=day),
        "fr_water": m.WaterSanitationSurvey.objects.filter(posyandu=posyandu).first()
        or m.WaterSanitationSurvey.objects.create(**common, household=household, water_source="sumur_bor",
                                                  toilet_access="sendiri", toilet_type="leher_angsa",
                                                  disposal="tangki_septik", wastewater="spal_tertutup",
                                                  recorded_on=day),
        "fr_incident": m.IncidentReport.objects.filter(posyandu=posyandu).first()
        or m.IncidentReport.objects.create(**common, kind="kebakaran", occurred_on=day, recorded_on=day,
                                           location="RT 01 Rejang Lebong", description="Kebakaran dapur",
                                           reporter_name="Pelapor Luar"),
        "fr_activity": m.FieldActivity.objects.filter(posyandu=posyandu).first()
        or m.FieldActivity.objects.create(**common, kind="pelatihan_kesiapsiagaan", held_on=day,
                                          title="Simulasi gempa Rejang Lebong", participants_male=3,
                                          participants_female=4),
    }
    return rows


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    from apps.fieldregisters import models as m

    return {m.EducationCase: objs["fr_education"], m.SocialCase: objs["fr_social"],
            m.HousingCase: objs["fr_housing"], m.WaterSanitationSurvey: objs["fr_water"],
            m.IncidentReport: objs["fr_incident"], m.FieldActivity: objs["fr_activity"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    return {}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    return {}
