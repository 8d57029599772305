"""A hand-built programme world in Kota Bengkulu (17.71) for 2026, counted by hand in the tests.

Programmes (kab/kota TP Posyandu unless said):
  P1 kesehatan · Dinkes       A1 in V1, V2 months 3-5; A5 in V1 month 4 (same programme as A1)
  P2 kesehatan · DP3AP2KB     A2 in V2 months 5-6        → overlaps A1 in V2, month 5
  P3 pendidikan · Dikbud      A3 in V1 month 3           (other field: no overlap with A1)
  P4 kesehatan · Dinkes       A4 in V3 month 3           (other village: no overlap)
  P5 sosial · Dinsos, cancelled (counts for nothing)
  P6 kesehatan · Dinkes, of the TP Posyandu of Kecamatan Gading Cempaka (17.71.02)
Indicator links (monthly values: one Posyandu in 17.71.02, Jan-Mar 2026):
  P1 DS target 80 naik: 60, 62, 58 %          → stalled
  P2 STUNTING target 14 turun: 30, 25, 20 %   → improving
  P3 DS target 50 naik: 58 ≥ 50               → reached
  P4 WASTING target 5: one month only          → not enough data
  P6 DS target 90 naik (kecamatan area)        → stalled
Fields without programmes in 17.71: sosial, perumahan, pupr, trantibumlinmas.
OPD of 17.71 without programmes: Dinsos, Perkim, PUPR, Satpol PP, BPBD, DPMD, Bappeda.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

YEAR = 2026
TODAY = dt.date(2026, 4, 15)


def _opd(prefix: str) -> Any:
    from apps.organisations.models import Opd

    return Opd.objects.get(region_code="17.71", short_name__startswith=prefix + " ")


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    from apps.organisations.models import TimPembina
    from apps.posyandu.models import Posyandu
    from apps.programmes.models import Activity, Programme, ProgrammeIndicator
    from apps.regions.models import Region
    from apps.reports.models import Indicator, MonthlyValue
    from apps.reports.rollups import refresh_all
    from apps.spm.models import SpmField

    fields = {f.code: f for f in SpmField.objects.all()}
    team = TimPembina.objects.get(region_code="17.71")
    kec_team = TimPembina.objects.get(region_code="17.71.02")
    villages = list(Region.objects.current().filter(level=4, code__startswith="17.71.02.").order_by("code")[:3])
    v1, v2, v3 = villages

    def programme(name: str, field: str, opd: str, *, on: Any = team, status: str = "berjalan") -> Programme:
        return Programme.objects.create(
            team=on, year=YEAR, field=fields[field], opd=_opd(opd), name=name, budget=Decimal("50000000"),
            funding_source="apbd_kabkota", start_month=1, end_month=12, responsible_name="Ibu Ketua",
            status=status)

    def activity(p: Programme, name: str, places: list[Any], months: list[int]) -> Activity:
        a = Activity.objects.create(programme=p, name=name, months=months, budget=Decimal("1000000"))
        a.villages.set(places)
        return a

    p1 = programme("P1 Penimbangan balita", "kesehatan", "Dinkes")
    p2 = programme("P2 Cegah stunting", "kesehatan", "DP3AP2KB")
    p3 = programme("P3 PAUD", "pendidikan", "Dikbud")
    p4 = programme("P4 Gizi", "kesehatan", "Dinkes")
    p5 = programme("P5 Bansos", "sosial", "Dinsos", status="batal")
    p6 = programme("P6 Posyandu kecamatan", "kesehatan", "Dinkes", on=kec_team)
    a1 = activity(p1, "A1 Sweeping balita", [v1, v2], [3, 4, 5])
    a5 = activity(p1, "A5 Kelas ibu", [v1], [4])
    a2 = activity(p2, "A2 PMT lokal", [v2], [5, 6])
    a3 = activity(p3, "A3 APE", [v1], [3])
    a4 = activity(p4, "A4 Konseling", [v3], [3])
    activity(p5, "A6 Data fakir miskin", [v1], [3])  # cancelled programme: no overlap, no count

    def indicator(code: str) -> Indicator:
        return Indicator.objects.filter(code=code).order_by("-valid_from").first()

    ProgrammeIndicator.objects.create(programme=p1, indicator=indicator("DS"), target=Decimal("80"))
    ProgrammeIndicator.objects.create(programme=p2, indicator=indicator("STUNTING"), target=Decimal("14"))
    ProgrammeIndicator.objects.create(programme=p3, indicator=indicator("DS"), target=Decimal("50"))
    ProgrammeIndicator.objects.create(programme=p4, indicator=indicator("WASTING"), target=Decimal("5"))
    ProgrammeIndicator.objects.create(programme=p6, indicator=indicator("DS"), target=Decimal("90"))

    posyandu = Posyandu.objects.filter(region_code__startswith="17.71.02.").order_by("pk").first()
    rows = []
    series = {"DS": [(60, 100), (62, 100), (58, 100)], "STUNTING": [(30, 100), (25, 100), (20, 100)]}
    for code, values in series.items():
        for month, (num, den) in enumerate(values, start=1):
            rows.append((code, dt.date(YEAR, month, 1), num, den))
    rows.append(("WASTING", dt.date(YEAR, 3, 1), 7, 100))
    MonthlyValue.objects.bulk_create([MonthlyValue(
        indicator=indicator(code), posyandu=posyandu, period=period, sex="", numerator=num, denominator=den,
        province_code=posyandu.province_code, regency_code=posyandu.regency_code,
        district_code=posyandu.district_code, village_code=posyandu.village_code)
        for code, period, num, den in rows])
    refresh_all()  # the areas' roll-ups, as compute_month would have kept them
    return SimpleNamespace(team=team, kec_team=kec_team, p1=p1, p2=p2, p3=p3, p4=p4, p5=p5, p6=p6, a1=a1, a2=a2,
                           a3=a3, a4=a4, a5=a5, v1=v1, v2=v2, v3=v3, fields=fields)
