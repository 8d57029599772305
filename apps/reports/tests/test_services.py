"""Monthly values against a small Posyandu counted by hand, and roll-ups that equal their parts."""
import datetime as dt
from decimal import Decimal

import pytest

from apps.people.models import Person, Pregnancy
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports.models import MonthlyValue
from apps.reports.services import LEVEL_FIELDS, compute_month, rollup
from apps.serviceday import services
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def small_posyandu(persona):
    """Kelurahan Sidomulyo gets a new Posyandu "Uji" with, in March 2026:
    balita   Ani (P, 20 mo)  weighed Feb 9.0 → Mar 9.3 kg: N; length 80 cm
             Bima (L, 30 mo) weighed Feb 12.0 → Mar 12.05 kg: T; no Buku KIA
             Citra (P, 10 mo) registered, not weighed in March
             Dodi (L, 70 mo) not a balita (S excludes him)
    ibu hamil Eka LILA 22 cm (KEK); Fani LILA 25 cm
    lansia   Gatot 150/95 (hypertensive); Hadi 120/80
    """
    village = Region.objects.get(code="17.71.02.1021")
    p = Posyandu(village=village, name="Posyandu Uji", schedule_day=10)
    p.save()
    admin = persona("admin")

    def person(name, sex, birth, **kw):
        x = Person(name=name, sex=sex, birth_date=birth, region=village, posyandu=p, **kw)
        x.save()
        return x

    def record(who, day, **values):
        session = services.open_session(posyandu=p, date=day, acting_user=admin)
        services.record_visit(visit=Visit(session=session, posyandu=p, person=who, visit_date=day, **values),
                              acting_user=admin)

    feb, mar = dt.date(2026, 2, 10), dt.date(2026, 3, 10)
    ani = person("Ani", "P", dt.date(2024, 7, 5), has_kia_book=True)
    bima = person("Bima", "L", dt.date(2023, 9, 1), has_kia_book=False)
    person("Citra", "P", dt.date(2025, 5, 1))  # Buku KIA not recorded: unknown, not counted in K
    person("Dodi", "L", dt.date(2020, 5, 1))
    record(ani, feb, weight_kg=Decimal("9.0"))
    record(ani, mar, weight_kg=Decimal("9.3"), height_cm=Decimal("80.0"), position="l")
    record(bima, feb, weight_kg=Decimal("12.0"))
    record(bima, mar, weight_kg=Decimal("12.05"))
    for name, lila in (("Eka", "22.0"), ("Fani", "25.0")):
        mother = person(name, "P", dt.date(1998, 1, 1))
        Pregnancy.objects.create(person=mother, lmp_date=mar - dt.timedelta(weeks=20))
        record(mother, mar, muac_cm=Decimal(lila))
    record(person("Gatot", "L", dt.date(1955, 1, 1)), mar, systolic=150, diastolic=95)
    record(person("Hadi", "L", dt.date(1956, 1, 1)), mar, systolic=120, diastolic=80)
    return p


def values(posyandu, sex=""):
    rows = MonthlyValue.objects.filter(posyandu=posyandu, period=MARCH, sex=sex).select_related("indicator")
    return {r.indicator.code: (r.numerator, r.denominator) for r in rows}


def test_skdn_and_screening_match_the_hand_count(small_posyandu):
    compute_month(MARCH, [small_posyandu.pk])
    got = values(small_posyandu)
    assert got["S"] == (3, None) and got["K"] == (1, None) and got["D"] == (2, None)
    assert got["N"] == (1, None) and got["T"] == (1, None)
    assert got["DS"] == (2, 3) and got["ND"] == (1, 2)
    assert got["2T"] == (0, None) and got["BGM"] == (0, None)
    assert got["STUNTING"] == (0, 1)  # only Ani's length was measured
    assert got["BUMIL_KEK"] == (1, 2)
    assert got["LANSIA_HT"] == (1, 2)
    girls, boys = values(small_posyandu, "P"), values(small_posyandu, "L")
    assert girls["S"] == (2, None) and boys["S"] == (1, None)
    assert girls["D"][0] + boys["D"][0] == got["D"][0]


def test_recomputing_is_idempotent(small_posyandu):
    first = compute_month(MARCH, [small_posyandu.pk])
    again = compute_month(MARCH, [small_posyandu.pk])
    assert first == again == MonthlyValue.objects.filter(posyandu=small_posyandu, period=MARCH).count()


def test_roll_ups_equal_the_sum_of_their_parts_at_every_level():
    from apps.demo.visits import build_demo_visits

    build_demo_visits("17.71.02", today=dt.date(2026, 4, 20))
    ids = list(Posyandu.objects.filter(district_code="17.71.02").values_list("pk", flat=True))
    compute_month(MARCH, ids)
    rows = MonthlyValue.objects.filter(district_code="17.71.02")
    assert rows.filter(indicator__code="D", sex="").exists()
    per_posyandu = rollup(rows, MARCH, "posyandu_id")
    by_level = {level: rollup(rows, MARCH, field) for level, field in LEVEL_FIELDS.items()}
    totals: dict = {}
    for (_, code, sex), (num, den) in per_posyandu.items():
        n, d = totals.get((code, sex), (0, None))
        totals[(code, sex)] = (n + num, None if den is None else (d or 0) + den)
    for level, table in by_level.items():
        summed: dict = {}
        for (_, code, sex), (num, den) in table.items():
            n, d = summed.get((code, sex), (0, None))
            summed[(code, sex)] = (n + num, None if den is None else (d or 0) + den)
        assert summed == totals, level
    # Disaggregation adds up too: L + P = total, for every indicator.
    for (code, sex), (num, _) in totals.items():
        if sex == "":
            assert totals.get((code, "L"), (0, 0))[0] + totals.get((code, "P"), (0, 0))[0] == num, code


def test_monthly_values_are_scoped(small_posyandu, persona):
    compute_month(MARCH, [small_posyandu.pk])
    assert MonthlyValue.objects.for_user(persona("kecamatan_viewer")).filter(posyandu=small_posyandu).exists()
    assert not MonthlyValue.objects.for_user(persona("outsider")).filter(posyandu=small_posyandu).exists()
    assert not MonthlyValue.objects.for_user(persona("kader")).filter(posyandu=small_posyandu).exists()


def test_the_command_recomputes_an_area(small_posyandu):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("compute_monthly", bulan="2026-03", wilayah="17.71.02.1021", stdout=out)
    assert "nilai indikator untuk 03/2026" in out.getvalue()
    assert values(small_posyandu)["D"] == (2, None)


def test_computing_everywhere_and_by_area_give_the_same_rows(small_posyandu):
    compute_month(MARCH)  # no list: every Posyandu, without an IN list of ids
    everywhere = values(small_posyandu)
    compute_month(MARCH, area="17.71.02")
    assert values(small_posyandu) == everywhere and everywhere["D"] == (2, None)


def test_coverage_indicators_match_the_hand_count(small_posyandu, persona):
    """Added to the small Posyandu in March 2026:
    Eli (P, born 15 Mar 2025: first birthday in March) with every basic dose: IDL;
    Fajar (L, born 2 Mar 2025) without MR1: not IDL; Gita (P, born 2 Apr 2025): birthday in April;
    Hana (P, 7 mo) given vitamin A in March; Intan (P, 15 y) Hb 10.5 (anaemic), Joko (L, 14 y) no Hb;
    Eka (ibu hamil) was given TTD at a second March visit; Fani was not.
    Vitamin A over balita 6-59 months: Ani, Bima, Citra, Eli, Fajar, Gita, Hana = 7, given 1.
    """
    from apps.serviceday.immunisation import schedule
    from apps.serviceday.models import Immunisation

    p, admin = small_posyandu, persona("admin")
    village = p.village
    mar = dt.date(2026, 3, 20)
    session = services.open_session(posyandu=p, date=mar, acting_user=admin)

    def person(name, sex, birth):
        x = Person(name=name, sex=sex, birth_date=birth, region=village, posyandu=p)
        x.save()
        return x

    def record(who, **values):
        services.record_visit(visit=Visit(session=session, posyandu=p, person=who, visit_date=mar, **values),
                              acting_user=admin)

    codes = schedule()["complete_basic"]
    eli, fajar = person("Eli", "P", dt.date(2025, 3, 15)), person("Fajar", "L", dt.date(2025, 3, 2))
    person("Gita", "P", dt.date(2025, 4, 2))
    for child, given in ((eli, codes), (fajar, [c for c in codes if c != "MR1"])):
        for code in given:
            Immunisation.objects.create(person=child, vaccine=code, given_on=dt.date(2026, 3, 1))
    record(person("Hana", "P", dt.date(2025, 8, 1)), weight_kg=Decimal("7.5"), vitamin_a=True)
    record(person("Intan", "P", dt.date(2010, 6, 1)), weight_kg=Decimal("45"), hb_g_dl=Decimal("10.5"))
    record(person("Joko", "L", dt.date(2011, 6, 1)), weight_kg=Decimal("40"))
    record(Person.objects.get(posyandu=p, name="Eka"), iron_tablets=30)
    compute_month(MARCH, [p.pk])
    got = values(p)
    assert got["IDL"] == (1, 2)
    assert got["VITA"] == (1, 7)
    assert got["BUMIL_TTD"] == (1, 2)
    assert got["REMAJA_HB"] == (1, 2) and got["REMAJA_ANEMIA"] == (1, 1)
    assert got["LANSIA_SKRINING"] == (2, 2)
    assert values(p, "P")["IDL"] == (1, 1) and values(p, "L")["IDL"] == (0, 1)
