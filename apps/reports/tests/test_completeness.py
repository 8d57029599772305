"""Completeness and timeliness per child area: expected, received, on time, approved per level."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports import dashboard as d
from apps.reports.completeness import completeness, deadline_for
from apps.reports.models import MonthlyReport, ReportStatus
from apps.reports.tests.dashboard_fixtures import MARCH, parse_number, table_rows

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def reports():
    """Kecamatan 17.71.02, desa V1 (first desa with a Posyandu) and V2 (the second):
    V1: its Posyandu plus "Uji Lengkap" (sent 10 April 23.00 WIB → on time, approved up to
        kecamatan), plus one inactive and one founded in April (neither expected);
    V2: its first Posyandu sent 11 April 00.30 WIB (late, approved by the desa); any other
        Posyandu of V2 sent nothing."""
    MonthlyReport.objects.filter(period=MARCH).delete()
    villages = list(Posyandu.objects.filter(district_code="17.71.02", is_active=True).order_by("village_code")
                    .values_list("village_code", flat=True).distinct())
    v1, v2 = villages[0], villages[1]
    region = Region.objects.current().get(code=v1)
    existing = list(Posyandu.objects.filter(village_code=v1, is_active=True).order_by("pk"))
    extra = Posyandu(village=region, name="Posyandu Uji Lengkap", schedule_day=10)
    extra.save()
    Posyandu(village=region, name="Posyandu Tidak Aktif", schedule_day=10, is_active=False).save()
    Posyandu(village=region, name="Posyandu Baru April", schedule_day=10, founded_on=dt.date(2026, 4, 2)).save()
    first_v2 = Posyandu.objects.filter(village_code=v2).order_by("pk").first()
    MonthlyReport.objects.create(posyandu=existing[0], period=MARCH, status=ReportStatus.KECAMATAN,
                                 submitted_at=dt.datetime(2026, 4, 10, 23, 0, tzinfo=WIB))
    MonthlyReport.objects.create(posyandu=extra, period=MARCH, status=ReportStatus.DRAFT)
    MonthlyReport.objects.create(posyandu=first_v2, period=MARCH, status=ReportStatus.DESA,
                                 submitted_at=dt.datetime(2026, 4, 11, 0, 30, tzinfo=WIB))
    v2_count = Posyandu.objects.filter(village_code=v2, is_active=True).count()
    return {"v1": v1, "v2": v2, "v1_expected": len(existing) + 1, "v2_expected": v2_count}


def test_the_deadline_is_the_tenth_of_the_next_month_by_default(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    assert deadline_for(MARCH) == dt.datetime(2026, 4, 11, tzinfo=WIB)
    settings.REPORT_DEADLINE_DAY = 5
    assert deadline_for(dt.date(2026, 12, 1)) == dt.datetime(2027, 1, 6, tzinfo=WIB)


def test_counts_per_desa_of_a_kecamatan(persona, reports):
    user = persona("kabupaten_officer")
    rows, total = completeness(user, d.resolve_area(user, "17.71.02"), MARCH)
    by_key = {r.key: r for r in rows}
    v1, v2 = by_key[reports["v1"]], by_key[reports["v2"]]
    assert (v1.expected, v1.received, v1.on_time, v1.approved) == (reports["v1_expected"], 1, 1, [1, 1, 0, 0])
    assert (v2.expected, v2.received, v2.on_time, v2.approved) == (reports["v2_expected"], 1, 0, [1, 0, 0, 0])
    assert total.received == 2 and total.on_time == 1
    assert total.expected == Posyandu.objects.filter(district_code="17.71.02", is_active=True).exclude(
        name="Posyandu Baru April").count()


def test_a_later_deadline_setting_makes_the_late_report_on_time(persona, reports, settings):
    settings.REPORT_DEADLINE_DAY = 11
    user = persona("kabupaten_officer")
    _, total = completeness(user, d.resolve_area(user, "17.71.02"), MARCH)
    assert total.on_time == 2


def test_the_page_per_posyandu_of_a_desa_and_its_scope(client_as, reports):
    client = client_as("kecamatan_viewer")
    response = client.get(f"/laporan/kelengkapan/wilayah/{reports['v1']}/?bulan=2026-03")
    assert response.status_code == 200
    rows = table_rows(response.content.decode(), "tabel-kelengkapan", "data-key")
    assert [parse_number(x) for x in rows["total"][1:4]] == [reports["v1_expected"], 1,
                                                             round(100 / reports["v1_expected"], 1)]
    assert len(rows) == reports["v1_expected"] + 1  # every expected Posyandu, and the total
    assert client.get("/laporan/kelengkapan/wilayah/17.71/").status_code == 404
    assert client.get("/laporan/kelengkapan/wilayah/17.02/").status_code == 404
    html = client.get("/laporan/kelengkapan/?bulan=2026-03").content.decode()
    assert "Kecamatan" in html and table_rows(html, "tabel-kelengkapan", "data-key")["total"][2] == "2"


def test_the_api_gives_the_same_counts(client_as, reports):
    body = client_as("kabupaten_officer").get("/api/report-completeness/?wilayah=17.71.02&bulan=2026-03").json()
    row = next(r for r in body["rows"] if r["area_code"] == reports["v1"])
    assert (row["expected"], row["received"], row["on_time"]) == (reports["v1_expected"], 1, 1)
    assert row["approved"] == {"desa": 1, "kecamatan": 1, "kabkota": 0, "provinsi": 0}
    assert body["total"]["received"] == 2
    assert client_as("kecamatan_viewer").get("/api/report-completeness/?wilayah=17.71").status_code == 404


def test_a_posyandu_closed_later_still_owes_the_months_it_served(persona, reports):
    """Closed on 20 March: expected in March (and in the report of any earlier month), not in
    April. Closed on 28 February: not expected in March. Inactive with no date: never expected."""
    region = Region.objects.current().get(code=reports["v1"])
    Posyandu(village=region, name="Posyandu Tutup Maret", schedule_day=10, is_active=False,
             closed_on=dt.date(2026, 3, 20)).save()
    Posyandu(village=region, name="Posyandu Tutup Februari", schedule_day=10, is_active=False,
             closed_on=dt.date(2026, 2, 28)).save()
    user = persona("kabupaten_officer")
    area = d.resolve_area(user, "17.71.02")

    def expected_in_v1(period):
        return {r.key: r for r in completeness(user, area, period)[0]}[reports["v1"]].expected

    assert expected_in_v1(MARCH) == reports["v1_expected"] + 1
    # April: the Posyandu founded on 2 April joins; the one closed in March has left.
    assert expected_in_v1(dt.date(2026, 4, 1)) == reports["v1_expected"] + 1
    assert expected_in_v1(dt.date(2026, 2, 1)) == reports["v1_expected"] + 2


def test_closing_dates_are_checked_in_indonesian():
    from django.core.exceptions import ValidationError

    region = Region.objects.current().filter(level=4, code__startswith="17.71.02.").first()
    open_one = Posyandu(village=region, name="Posyandu Aktif", schedule_day=10, closed_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        open_one.full_clean()
    assert "masih aktif" in exc.value.message_dict["closed_on"][0]
    early = Posyandu(village=region, name="Posyandu Tutup", schedule_day=10, is_active=False,
                     founded_on=dt.date(2026, 3, 1), closed_on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as exc:
        early.full_clean()
    assert "sebelum tanggal pembentukan" in exc.value.message_dict["closed_on"][0]
