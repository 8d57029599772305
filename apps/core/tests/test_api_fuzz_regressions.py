"""What the API fuzzer (test_api_fuzz.py) found, each kept as an explicit test.

1. POST on read-only endpoints was routed (the base viewset's `create` existed on every viewset)
   and raised AttributeError: a 500, and the schema listed the POST.
2. Id and year filters were decimals: a huge or fractional value became an integer SQLite cannot
   bind (OverflowError) or a year dates cannot hold: a 500.
3. `?offset=` had no ceiling (a 500 past 2**63 on SQLite) and `?limit=` none either (one request
   could read a whole table).
4. The monthly values and completeness endpoints answer one object, but the schema said a
   paginated list; clients generated from the schema expected `count` and `results`.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

READ_ONLY_COLLECTIONS = ["/api/competency/kader-levels/", "/api/competency/skills/", "/api/referrals/",
                         "/api/regions/", "/api/report-values/", "/api/report-completeness/"]


@pytest.mark.parametrize("url", READ_ONLY_COLLECTIONS)
def test_a_post_to_a_read_only_endpoint_is_405_and_not_in_the_schema(client_as, url):
    from apps.core.tests.test_api_fuzz import _schema_dict

    response = client_as("kabupaten_officer").post(url, {}, content_type="application/json")
    assert response.status_code == 405
    assert "post" not in _schema_dict()["paths"][url]


@pytest.mark.parametrize("query", [
    "/api/households/?posyandu=-1.8903594925943185e%2B23",
    "/api/pregnancies/?posyandu=1.4420704373363172e%2B27",
    "/api/programme-progress/?programme=1.1993092295279348e%2B35",
    "/api/visits/?person=99999999999999999999",
    "/api/persons/?posyandu=1.5",
    "/api/competency/trainings/?year=4.241380357917012e%2B16",
    "/api/documents/?year=-3",
])
def test_an_id_or_year_filter_out_of_range_is_a_400_in_indonesian(client_as, query):
    response = client_as("kader").get(query)
    assert response.status_code == 400, response.content
    message = str(response.json())
    assert "Masukkan keseluruhan angka bilangan" in message or "Pastikan nilai ini lebih" in message


def test_an_id_filter_in_range_still_filters(client_as, demo_posyandu):
    body = client_as("kader").get(f"/api/persons/?posyandu={demo_posyandu.pk}").json()
    assert body["count"] >= 1 and all(r["posyandu"] == demo_posyandu.pk for r in body["results"])


def test_pages_have_a_ceiling_and_an_offset_past_every_table_is_an_empty_page(client_as):
    client = client_as("kabupaten_officer")
    big = client.get("/api/persons/?limit=68482763").json()
    assert big["count"] > 0 and len(big["results"]) == min(big["count"], 1000)
    far = client.get("/api/persons/?offset=100000000000000000000")
    assert far.status_code == 200 and far.json()["results"] == []


@pytest.mark.parametrize("url,component", [("/api/report-values/", "Values"),
                                           ("/api/report-completeness/", "Completeness")])
def test_the_area_endpoints_answer_one_object_as_the_schema_says(client_as, url, component):
    from apps.core.tests.test_api_fuzz import _schema_dict

    body = client_as("kader").get(url).json()
    assert "count" not in body and {"area", "period", "rows"} <= body.keys()
    ok = _schema_dict()["paths"][url]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": f"#/components/schemas/{component}"}
