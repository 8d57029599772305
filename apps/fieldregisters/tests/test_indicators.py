"""compute_month on a hand-checked fixture: a new Posyandu with a few register rows in and around
March 2026; every expected number below is counted by hand from the rows set up here."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.fieldregisters.models import (
    EducationCase,
    FieldActivity,
    HousingCase,
    SocialCase,
    WaterSanitationSurvey,
)
from apps.people.models import Household, Person
from apps.posyandu.models import Posyandu
from apps.reports.models import MonthlyValue
from apps.reports.services import compute_month

pytestmark = pytest.mark.django_db
D = dt.date
MARCH = D(2026, 3, 1)


@pytest.fixture
def small_posyandu(village):
    posyandu = Posyandu.objects.create(village=village, name="Posyandu Uji Bidang")

    def person(name, sex, birth):
        return Person.objects.create(name=name, sex=sex, birth_date=birth, region=village, posyandu=posyandu)

    def household(name):
        return Household.objects.create(head_name=name, region=village, posyandu=posyandu)

    p = {"posyandu": posyandu}
    # PAUD: A (girl, 5 at 31 Mar) latest record in PAUD; B (boy, 6) not in PAUD; C (boy, 7 at 31 Mar) no longer
    # 5-6; D recorded after March.
    a, b = person("A", "P", D(2020, 6, 10)), person("B", "L", D(2019, 12, 1))
    c, d = person("C", "L", D(2019, 2, 1)), person("D", "P", D(2020, 5, 1))
    EducationCase.objects.create(**p, kind="paud", person=a, in_paud=False, recorded_on=D(2026, 1, 5))
    EducationCase.objects.create(**p, kind="paud", person=a, in_paud=True, recorded_on=D(2026, 3, 10))
    EducationCase.objects.create(**p, kind="paud", person=b, in_paud=False, recorded_on=D(2026, 2, 1))
    EducationCase.objects.create(**p, kind="paud", person=c, in_paud=True, recorded_on=D(2025, 12, 1))
    EducationCase.objects.create(**p, kind="paud", person=d, in_paud=True, recorded_on=D(2026, 4, 2))
    # ATS: E recorded in March; F recorded in February and handled in March; G recorded in April.
    e, f, g = person("E", "L", D(2012, 1, 1)), person("F", "P", D(2010, 1, 1)), person("G", "L", D(2011, 1, 1))
    EducationCase.objects.create(**p, kind="ats", person=e, out_of_school_reason="ekonomi", recorded_on=D(2026, 3, 5))
    EducationCase.objects.create(**p, kind="ats", person=f, out_of_school_reason="bekerja", recorded_on=D(2026, 2, 10),
                                 status="ditangani", closed_on=D(2026, 3, 20))
    EducationCase.objects.create(**p, kind="ats", person=g, out_of_school_reason="jarak", recorded_on=D(2026, 4, 1))
    # Housing: H1 RTLH (roof) in March; H2 fit in March; H3 disaster-damaged in March; H4 RTLH by floor area
    # (14 m² for 2 = 7.0 < 7.2) recorded in January, handled in March.
    HousingCase.objects.create(**p, household=household("H1"), roof_ok=False, floor_area_m2=Decimal(40), occupants=4,
                               recorded_on=D(2026, 3, 3))
    HousingCase.objects.create(**p, household=household("H2"), floor_area_m2=Decimal(30), occupants=3,
                               recorded_on=D(2026, 3, 4))
    HousingCase.objects.create(**p, household=household("H3"), kind="rusak_bencana", disaster_type="Banjir",
                               damage_level="berat", recorded_on=D(2026, 3, 15))
    HousingCase.objects.create(**p, household=household("H4"), floor_area_m2=Decimal(14), occupants=2,
                               recorded_on=D(2026, 1, 10), status="ditangani", closed_on=D(2026, 3, 25))
    # Water: HH1 unsafe in January, safe and proper in March (latest counts); HH2 piped water but the latrine
    # drains to the river; HH3 surveyed in April only.
    hh1, hh2, hh3 = household("HH1"), household("HH2"), household("HH3")
    bad = {"water_source": "sumur_tak_terlindung", "toilet_access": "tidak_ada", "toilet_type": "tidak_ada",
           "disposal": "terbuka", "wastewater": "tidak_ada"}
    good = {"water_source": "ledeng", "toilet_access": "sendiri", "toilet_type": "leher_angsa",
            "disposal": "tangki_septik", "wastewater": "spal_tertutup"}
    WaterSanitationSurvey.objects.create(**p, household=hh1, recorded_on=D(2026, 1, 10), **bad)
    WaterSanitationSurvey.objects.create(**p, household=hh1, recorded_on=D(2026, 3, 10), **good)
    WaterSanitationSurvey.objects.create(**p, household=hh2, recorded_on=D(2026, 2, 1), **{**good, "disposal": "sungai"})
    WaterSanitationSurvey.objects.create(**p, household=hh3, recorded_on=D(2026, 4, 5), **good)
    # Preparedness: two in March (10 + 15 and 5 + 0 participants); Linmas does not count; February does not.
    FieldActivity.objects.create(**p, kind="pelatihan_kesiapsiagaan", held_on=D(2026, 3, 12), title="Simulasi",
                                 participants_male=10, participants_female=15)
    FieldActivity.objects.create(**p, kind="informasi_risiko_bencana", held_on=D(2026, 3, 20), title="Peta rawan",
                                 participants_male=5, participants_female=0)
    FieldActivity.objects.create(**p, kind="linmas", held_on=D(2026, 3, 21), title="Ronda", participants_male=8)
    FieldActivity.objects.create(**p, kind="pelatihan_kesiapsiagaan", held_on=D(2026, 2, 28), title="Lama",
                                 participants_male=9)
    # Social: S1 (woman) recorded in March; S2 (man) recorded and handled in March; S3 recorded in February.
    SocialCase.objects.create(**p, kind="lansia_terlantar", person=person("S1", "P", D(1950, 1, 1)),
                              recorded_on=D(2026, 3, 2))
    SocialCase.objects.create(**p, kind="disabilitas", person=person("S2", "L", D(1980, 1, 1)),
                              disability_type="Netra", recorded_on=D(2026, 3, 30), status="ditangani",
                              closed_on=D(2026, 3, 31))
    SocialCase.objects.create(**p, kind="kebutuhan_lain", person=person("S3", "P", D(1985, 1, 1)), need="Sembako",
                              recorded_on=D(2026, 2, 15))
    return posyandu


def values(posyandu):
    rows = MonthlyValue.objects.filter(posyandu=posyandu, period=MARCH).values_list(
        "indicator__code", "sex", "numerator", "denominator")
    return {(code, sex): (num, den) for code, sex, num, den in rows}


def test_compute_month_counts_the_registers_exactly(small_posyandu):
    compute_month(MARCH, [small_posyandu.pk])
    v = values(small_posyandu)
    assert v[("PAUD_5_6", "")] == (1, 2)
    assert v[("PAUD_5_6", "P")] == (1, 1) and v[("PAUD_5_6", "L")] == (0, 1)
    assert v[("ATS_TERCATAT", "")] == (1, None) and v[("ATS_TERCATAT", "L")] == (1, None)
    assert v[("ATS_DITANGANI", "")] == (1, None) and v[("ATS_DITANGANI", "P")] == (1, None)
    assert v[("RTLH_TERCATAT", "")] == (2, None)
    assert v[("RTLH_DITANGANI", "")] == (1, None)
    assert v[("AIR_MINUM_LAYAK", "")] == (2, 2)
    assert v[("SANITASI_LAYAK", "")] == (1, 2)
    assert v[("SIAGA_KEGIATAN", "")] == (2, None)
    assert v[("SIAGA_PESERTA", "")] == (30, None)
    assert v[("SIAGA_PESERTA", "L")] == (15, None) and v[("SIAGA_PESERTA", "P")] == (15, None)
    assert v[("SOSIAL_TERCATAT", "")] == (2, None)
    assert v[("SOSIAL_TERCATAT", "L")] == (1, None) and v[("SOSIAL_TERCATAT", "P")] == (1, None)
    assert v[("SOSIAL_DITANGANI", "")] == (1, None) and v[("SOSIAL_DITANGANI", "L")] == (1, None)
    assert ("SOSIAL_DITANGANI", "P") not in v


def test_an_area_computation_gives_the_same_counts_and_is_idempotent(small_posyandu):
    compute_month(MARCH, area=small_posyandu.region_code)
    first = values(small_posyandu)
    compute_month(MARCH, area=small_posyandu.region_code)
    assert values(small_posyandu) == first
    assert first[("RTLH_TERCATAT", "")] == (2, None)


def test_the_new_indicators_are_in_the_catalogue():
    from apps.reports.models import Indicator

    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {"PAUD_5_6", "ATS_TERCATAT", "RTLH_TERCATAT", "RTLH_DITANGANI", "AIR_MINUM_LAYAK", "SANITASI_LAYAK",
            "SIAGA_KEGIATAN", "SIAGA_PESERTA", "SOSIAL_TERCATAT", "SOSIAL_DITANGANI"} <= codes
    paud = Indicator.objects.get(code="PAUD_5_6")
    assert paud.field.code == "pendidikan" and paud.legal_basis and paud.denominator
