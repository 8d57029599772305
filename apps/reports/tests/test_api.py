"""The reports API: an area's values per child area × indicator × sex, scoped like the pages."""
from __future__ import annotations

import pytest
from django.urls import include, path

from apps.reports.tests.dashboard_fixtures import dashboard_data

pytestmark = pytest.mark.django_db
__all__ = ["dashboard_data"]


def test_values_per_child_area_indicator_and_sex(client_as, dashboard_data):
    body = client_as("kabupaten_officer").get("/api/report-values/?wilayah=17.71.02&bulan=2026-03").json()
    assert body["area"] == {"code": "17.71.02", "name": body["area"]["name"], "level": 3} and body["period"] == "2026-03"
    rows = {(r["area_code"], r["indicator"], r["sex"]): r for r in body["rows"]}
    v1 = dashboard_data.v1
    assert rows[(v1, "S", "")]["numerator"] == 30 and rows[(v1, "S", "L")]["numerator"] == 14
    assert rows[(v1, "DS", "")]["denominator"] == 30 and rows[(v1, "DS", "")]["value"] == 60.0
    assert {r["area_code"] for r in body["rows"]} == {dashboard_data.v1, dashboard_data.v2}
    # the sum of the child areas is the area's own total
    total = sum(r["numerator"] for r in body["rows"] if r["indicator"] == "S" and r["sex"] == "")
    assert total == 35


def test_a_posyandu_and_the_default_area(client_as, dashboard_data):
    client = client_as("kecamatan_viewer")
    body = client.get(f"/api/report-values/?posyandu={dashboard_data.a.pk}&bulan=2026-03").json()
    assert {r["area_code"] for r in body["rows"]} == {str(dashboard_data.a.pk)}
    assert client.get("/api/report-values/?bulan=2026-03").json()["area"]["code"] == "17.71.02"


def test_out_of_scope_is_404_and_anonymous_is_refused(client_as, client, dashboard_data):
    viewer = client_as("kecamatan_viewer")
    assert viewer.get("/api/report-values/?wilayah=17.71").status_code == 404
    assert viewer.get(f"/api/report-values/?posyandu={dashboard_data.f.pk}").status_code == 404
    assert viewer.get("/api/report-values/?posyandu=abc").status_code == 404
    client.logout()
    assert client.get("/api/report-values/").status_code in (401, 403)


def test_the_schema_of_these_endpoints_generates_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    from apps.reports.api.urls import router

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator(patterns=[path("api/", include(router.urls))]).get_schema(request=None, public=True)
    problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert problems == []
