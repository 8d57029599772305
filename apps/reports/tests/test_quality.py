"""The data-quality indicators, computed from real visits by the registered contributor."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports.contributions import CONTRIBUTORS
from apps.reports.models import MonthlyValue
from apps.reports.quality import data_quality, weight_ends_in_0_or_5
from apps.reports.services import compute_month
from apps.serviceday import services
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def test_the_contributor_is_registered_by_the_app():
    assert data_quality in CONTRIBUTORS


@pytest.mark.parametrize(("weight", "expected"), [("9.0", True), ("7.5", True), ("12.05", False), ("12.04", True),
                                                  ("12.45", True), ("8.3", False), ("10.96", True)])
def test_a_weight_ends_in_0_or_5_at_a_tenth_of_a_kilo(weight, expected):
    assert weight_ends_in_0_or_5(Decimal(weight)) is expected


def test_flagged_rounded_and_missing_measurements_are_counted(persona):
    """Posyandu "Uji Mutu", March 2026, three balita and one lansia:
    Ani (P, 20 mo) 9.0 kg, 80 cm → ends in .0, length measured, z plausible;
    Bima (L, 30 mo) 12.05 kg, no height → does not end in .0/.5 (12.1), height missing;
    Citra (P, 10 mo) 7.5 kg, 45 cm (re-checked) → ends in .5, length-for-age z far below -6: flagged;
    Gatot (lansia) 60.0 kg is not a balita and not counted.
    DQ_ZFLAG 1/3, DQ_DIGIT 2/3, DQ_NOHEIGHT 1/3; girls: ZFLAG 1/2, DIGIT 2/2, NOHEIGHT 0/2."""
    village = Region.objects.get(code="17.71.02.1021")
    p = Posyandu(village=village, name="Posyandu Uji Mutu", schedule_day=10)
    p.save()
    admin = persona("admin")
    day = dt.date(2026, 3, 10)
    session = services.open_session(posyandu=p, date=day, acting_user=admin)

    def visit(name, sex, birth, **values):
        person = Person(name=name, sex=sex, birth_date=birth, region=village, posyandu=p)
        person.save()
        services.record_visit(visit=Visit(session=session, posyandu=p, person=person, visit_date=day,
                                          confirmed_unusual=True, **values), acting_user=admin)

    visit("Ani", "P", dt.date(2024, 7, 5), weight_kg=Decimal("9.0"), height_cm=Decimal("80.0"), position="l")
    visit("Bima", "L", dt.date(2023, 9, 1), weight_kg=Decimal("12.05"))
    visit("Citra", "P", dt.date(2025, 5, 1), weight_kg=Decimal("7.5"), height_cm=Decimal("45.0"), position="l")
    visit("Gatot", "L", dt.date(1955, 1, 1), weight_kg=Decimal("60.0"), systolic=120, diastolic=80)
    compute_month(MARCH, [p.pk])
    rows = {(v.indicator.code, v.sex): (v.numerator, v.denominator) for v in
            MonthlyValue.objects.filter(posyandu=p, period=MARCH, indicator__code__startswith="DQ_")
            .select_related("indicator")}
    assert rows[("DQ_ZFLAG", "")] == (1, 3) and rows[("DQ_DIGIT", "")] == (2, 3) and rows[("DQ_NOHEIGHT", "")] == (1, 3)
    assert rows[("DQ_ZFLAG", "P")] == (1, 2) and rows[("DQ_DIGIT", "P")] == (2, 2) and rows[("DQ_NOHEIGHT", "P")] == (0, 2)
    assert Visit.objects.get(person__name="Citra", posyandu=p).z_flagged
