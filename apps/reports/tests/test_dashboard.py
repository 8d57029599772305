"""Dashboards against hand-checked MonthlyValue rows (see dashboard_fixtures), the roll-up property
at every level, scoping, and reading only the aggregates."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports import dashboard as d
from apps.reports.models import MonthlyValue
from apps.reports.rollups import refresh
from apps.reports.tests.dashboard_fixtures import MARCH, build, dashboard_data, parse_number, put, table_rows

pytestmark = pytest.mark.django_db
__all__ = ["dashboard_data"]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def headline(html, code):
    import re

    match = re.search(rf'data-code="{code}"[^>]*>\s*<div class="card-body p-2">\s*<div[^>]*>[^<]*</div>\s*'
                      r'<div class="value">([^<]*)</div>', html)
    assert match, code
    return parse_number(match.group(1))


def test_the_kecamatan_dashboard_shows_the_hand_sums(client_as, dashboard_data):
    html = page(client_as("kabupaten_officer"), "/laporan/dasbor/wilayah/17.71.02/?bulan=2026-03")
    assert headline(html, "S") == 35 and headline(html, "D") == 23
    assert headline(html, "DS") == 65.7 and headline(html, "STUNTING") == 34.8 and headline(html, "WASTING") == 4.3
    rows = table_rows(html, "tabel-rinci", "data-key")
    v1, v2 = rows[dashboard_data.v1], rows[dashboard_data.v2]
    # columns: name, S, D, D/S, N/D, stunting, wasting, underweight, reports
    assert [parse_number(x) for x in v1[1:8]] == [30, 18, 60.0, 75.0, 44.4, 5.6, 0.0]
    assert [parse_number(x) for x in v2[1:8]] == [5, 5, 100.0, None, 0.0, 0.0, 0.0]
    # every desa of the kecamatan is listed, with or without data
    villages = Region.objects.current().filter(parent_code="17.71.02").count()
    assert len(rows) == villages


def test_the_ranking_scores_the_gap_to_target_and_to_the_whole_area(client_as, dashboard_data):
    user_area = d.resolve_area(client_as("kabupaten_officer") and _user("kabupaten_officer"), "17.71.02")
    user = _user("kabupaten_officer")
    catalogue = d.catalogue_for(MARCH)
    rows = d.drill_down(user, user_area, MARCH, {c: i.unit for c, i in catalogue.items()})
    ranked = d.ranking(rows, d.area_values(user, user_area, MARCH), catalogue)
    assert [(r.key, r.score) for r in ranked] == [(dashboard_data.v1, 30.9)]
    html = page(client_as("kabupaten_officer"), "/laporan/dasbor/wilayah/17.71.02/?bulan=2026-03")
    assert f'data-key="{dashboard_data.v1}"' in html.split('id="peringkat"')[1].split("</ol>")[0]
    assert "30,9" in html


def _user(name):
    from apps.accounts.models import User
    from conftest import PERSONAS

    return User.objects.get(username=PERSONAS[name])


def test_drill_down_goes_from_province_to_posyandu(client_as, dashboard_data):
    client = client_as("province_officer")
    html = page(client, "/laporan/dasbor/wilayah/17/?bulan=2026-03")
    kab = table_rows(html, "tabel-rinci", "data-key")
    assert parse_number(kab["17.71"][1]) == 135 and parse_number(kab["17.02"][1]) == 1000  # S
    assert "/laporan/dasbor/wilayah/17.71/" in html
    html = page(client, "/laporan/dasbor/wilayah/17.71/?bulan=2026-03")
    kec = table_rows(html, "tabel-rinci", "data-key")
    assert parse_number(kec["17.71.02"][1]) == 35 and parse_number(kec["17.71.01"][1]) == 100
    html = page(client, f"/laporan/dasbor/wilayah/{dashboard_data.v1}/?bulan=2026-03")
    posyandu = table_rows(html, "tabel-rinci", "data-key")
    a, b = dashboard_data.a, dashboard_data.b
    assert parse_number(posyandu[str(a.pk)][3]) == 80.0 and parse_number(posyandu[str(b.pk)][3]) == 50.0
    assert f"/laporan/dasbor/posyandu/{a.pk}/" in html
    html = page(client, f"/laporan/dasbor/posyandu/{a.pk}/?bulan=2026-03")
    assert headline(html, "DS") == 80.0 and headline(html, "D") == 8
    assert 'id="tabel-rinci"' not in html  # a Posyandu has no child areas


def test_the_trend_has_twelve_months_ending_with_the_chosen_one(client_as, dashboard_data):
    html = page(client_as("kabupaten_officer"), f"/laporan/dasbor/posyandu/{dashboard_data.a.pk}/?bulan=2026-03")
    data = json.loads(html.split('id="data-tren" type="application/json">')[1].split("</script>")[0])
    assert data["months"][0] == "04/2025" and data["months"][-1] == "03/2026" and len(data["months"]) == 12
    assert data["series"]["DS"][-2:] == [40.0, 80.0] and data["series"]["DS"][:10] == [None] * 10
    assert data["series"]["D"][-1] == 8


def test_the_map_lists_posyandu_with_coordinates_and_loads_no_tiles_by_default(client_as, dashboard_data, settings):
    settings.MAP_TILE_URL = ""
    html = page(client_as("kabupaten_officer"), f"/laporan/dasbor/wilayah/{dashboard_data.v1}/?bulan=2026-03")
    data = json.loads(html.split('id="data-peta" type="application/json">')[1].split("</script>")[0])
    expected = Posyandu.objects.filter(village_code=dashboard_data.v1, is_active=True, latitude__isnull=False).count()
    assert len(data["points"]) == expected and data["tiles"] == ""
    a = next(p for p in data["points"] if p["url"].endswith(f"/{dashboard_data.a.pk}/"))
    assert a["ds"] == 80.0
    assert "vendor/leaflet-1.9.4/leaflet.js" in html and "vendor/echarts-6.1.0/echarts.min.js" in html
    assert "http://" not in html.split("<body")[1].replace("http://www.w3.org", "")
    assert "https://" not in html.split("<body")[1].replace("https://www.w3.org", "")


def test_the_data_quality_panel_reads_its_indicators(client_as, dashboard_data):
    a = dashboard_data.a
    put(a, MARCH, "DQ_ZFLAG", 1, 8), put(a, MARCH, "DQ_DIGIT", 4, 8), put(a, MARCH, "DQ_NOHEIGHT", 2, 8)
    html = page(client_as("kabupaten_officer"), f"/laporan/dasbor/posyandu/{a.pk}/?bulan=2026-03")
    rows = table_rows(html, "tabel-kualitas")
    assert [parse_number(x) for x in rows["DQ_ZFLAG"][1:]] == [1, 8, 12.5]
    assert [parse_number(x) for x in rows["DQ_DIGIT"][1:]] == [4, 8, 50.0]
    assert [parse_number(x) for x in rows["DQ_NOHEIGHT"][1:]] == [2, 8, 25.0]


def test_the_dashboard_reads_only_the_aggregates(client_as, dashboard_data):
    client = client_as("province_officer")
    with CaptureQueriesContext(connection) as queries:
        page(client, "/laporan/dasbor/wilayah/17/?bulan=2026-03")
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "serviceday_visit" not in tables and "people_person" not in tables
    assert len(queries.captured_queries) < 40


# --- Scoping ------------------------------------------------------------------------------------
def test_a_kecamatan_user_sees_their_kecamatan_and_below_only(client_as, dashboard_data):
    client = client_as("kecamatan_viewer")  # read-only 17.71.02
    html = page(client, "/laporan/dasbor/?bulan=2026-03")
    assert "Dasbor Kecamatan" in html and headline(html, "S") == 35
    assert page(client, f"/laporan/dasbor/wilayah/{dashboard_data.v1}/?bulan=2026-03")
    for url in ("/laporan/dasbor/wilayah/17.71/", "/laporan/dasbor/wilayah/17/", "/laporan/dasbor/wilayah/17.71.01/",
                "/laporan/dasbor/wilayah/17.02/", f"/laporan/dasbor/posyandu/{dashboard_data.e.pk}/",
                f"/laporan/dasbor/posyandu/{dashboard_data.f.pk}/", "/laporan/dasbor/wilayah/99.99/",
                "/laporan/kelengkapan/wilayah/17.71/"):
        assert client.get(url).status_code == 404, url


def test_a_kader_gets_their_posyandu_and_nothing_above(client_as, demo_posyandu):
    client = client_as("kader")
    html = page(client, "/laporan/dasbor/")
    assert demo_posyandu.name in html and 'id="tabel-rinci"' not in html
    assert client.get(f"/laporan/dasbor/wilayah/{demo_posyandu.village_code}/").status_code == 404


def test_the_province_sums_its_kabupaten_but_the_city_never_sees_the_outsider(client_as, dashboard_data):
    assert headline(page(client_as("province_officer"), "/laporan/dasbor/wilayah/17/?bulan=2026-03"), "S") == 1135
    html = page(client_as("kabupaten_officer"), "/laporan/dasbor/?bulan=2026-03")
    assert headline(html, "S") == 135 and "Rejang Lebong" not in html


def test_a_user_without_assignment_gets_a_clear_message(client_as):
    html = page(client_as("unassigned"), "/laporan/dasbor/")
    assert "belum mendapat wilayah tugas" in html


def test_a_national_viewer_starts_at_the_provinces(client_as, dashboard_data):
    html = page(client_as("national_viewer"), "/laporan/dasbor/?bulan=2026-03")
    assert "Dasbor Indonesia" in html and 'data-key="17"' in html


# --- Roll-up property ---------------------------------------------------------------------------
CODES = ["S", "D", "DS", "STUNTING"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=8, max_size=8))
def test_area_values_equal_the_sum_of_their_parts_at_every_level(persona, counts):
    """Random numerators/denominators at 8 Posyandu in two kecamatan and two kabupaten: at every
    level the area's totals equal the sum of its child areas' totals."""
    MonthlyValue.objects.filter(period=MARCH).delete()
    posyandu = (list(Posyandu.objects.filter(regency_code="17.71").order_by("district_code", "pk")[:6])
                + list(Posyandu.objects.filter(regency_code="17.02").order_by("pk")[:2]))
    for p, (num, den) in zip(posyandu, counts, strict=True):
        put(p, MARCH, "S", den), put(p, MARCH, "D", min(num, den)), put(p, MARCH, "DS", min(num, den), den)
        put(p, MARCH, "STUNTING", num // 2, num)
    refresh(MARCH)
    admin = persona("admin")
    codes = {"17", "17.71", "17.02"} | {p.district_code for p in posyandu} | {p.village_code for p in posyandu}
    areas = [d.Area("", d.NATION, "Indonesia"), *[d.resolve_area(admin, c) for c in sorted(codes)]]
    for area in areas:
        totals = d.area_values(admin, area, MARCH, CODES)
        parts = d.child_values(admin, area, MARCH, CODES)
        for code in CODES:
            num = sum(v.get((code, ""), (0, None))[0] for v in parts.values())
            den = sum((v.get((code, ""), (0, 0))[1] or 0) for v in parts.values())
            got = totals.get((code, ""), (0, None))
            assert (got[0], got[1] or 0) == (num, den), (area.code, code)
    # and the province is the sum of every Posyandu written
    province = d.area_values(admin, areas[1], MARCH, ["S"])[("S", "")][0]
    assert province == sum(den for _, den in counts)


def test_the_period_defaults_to_last_month_and_bad_input_does_too():
    assert d.parse_period("2026-03", dt.date(2026, 11, 5)) == MARCH
    assert d.parse_period("maret", dt.date(2026, 11, 5)) == dt.date(2026, 10, 1)
    assert d.parse_period(None, dt.date(2026, 1, 5)) == dt.date(2025, 12, 1)


def test_build_is_repeatable(db):
    first = build()
    second = build()
    assert first.a == second.a and MonthlyValue.objects.filter(period=MARCH, posyandu=first.a, sex="").count() == 9


def test_the_map_starts_at_kabkota_so_the_national_page_does_not_grow_with_the_country(client_as, dashboard_data):
    for who, url in (("national_viewer", "/laporan/dasbor/?bulan=2026-03"),
                     ("province_officer", "/laporan/dasbor/wilayah/17/?bulan=2026-03")):
        html = page(client_as(who), url)
        data = json.loads(html.split('id="data-peta" type="application/json">')[1].split("</script>")[0])
        assert data["points"] == [] and "Peta Posyandu ditampilkan mulai tingkat kabupaten/kota" in html
    html = page(client_as("kabupaten_officer"), "/laporan/dasbor/wilayah/17.71/?bulan=2026-03")
    data = json.loads(html.split('id="data-peta" type="application/json">')[1].split("</script>")[0])
    assert data["points"] and "Posyandu berkoordinat" in html
