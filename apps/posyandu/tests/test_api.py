"""The REST API: same scope, same validation, clear Indonesian errors."""
import pytest

from apps.posyandu.models import Posyandu

pytestmark = pytest.mark.django_db

PAYLOAD = {"name": "Posyandu API", "village": "17.71.02.1001", "schedule_kind": "monthly_date", "schedule_day": 9}


def test_list_is_scoped(client_as):
    data = client_as("village_operator").get("/api/posyandu/?limit=500").json()
    assert data["count"] == Posyandu.objects.filter(region_code="17.71.02.1001").count()
    assert {row["region_code"] for row in data["results"]} == {"17.71.02.1001"}


def test_out_of_scope_detail_is_404(client_as, outsider_posyandu):
    assert client_as("kabupaten_officer").get(f"/api/posyandu/{outsider_posyandu.pk}/").status_code == 404


def test_create_and_audit(client_as):
    response = client_as("kabupaten_officer").post("/api/posyandu/", PAYLOAD, content_type="application/json")
    assert response.status_code == 201, response.content
    created = Posyandu.objects.get(pk=response.json()["id"])
    assert created.district_code == "17.71.02"
    assert created.history.get().history_user.username == "kota.bengkulu"


def test_create_in_an_out_of_scope_village_is_refused_with_a_clear_message(client_as):
    before = Posyandu.objects.count()
    response = client_as("village_operator").post(
        "/api/posyandu/", {**PAYLOAD, "village": "17.71.02.1002"}, content_type="application/json")
    assert response.status_code == 400
    assert "di luar wilayah tugas Anda" in response.json()["village"][0]
    assert Posyandu.objects.count() == before


def test_read_only_user_write_is_403(client_as):
    client = client_as("kecamatan_viewer")
    posyandu = Posyandu.objects.filter(district_code="17.71.02").first()
    assert client.post("/api/posyandu/", PAYLOAD, content_type="application/json").status_code == 403
    response = client.patch(f"/api/posyandu/{posyandu.pk}/", {"name": "X"}, content_type="application/json")
    assert response.status_code == 403


def test_duplicate_registration_number_and_bad_schedule_are_explained(client_as):
    taken = Posyandu.objects.filter(region_code="17.71.02.1001").first().registration_number
    response = client_as("kabupaten_officer").post(
        "/api/posyandu/", {**PAYLOAD, "registration_number": taken, "schedule_day": None},
        content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert "schedule_day" in body or "registration_number" in body


def test_regions_api_finds_by_code_prefix_within_scope(client_as):
    data = client_as("kecamatan_viewer").get("/api/regions/", {"q": "17.71.0"}).json()
    codes = {row["code"] for row in data["results"]}
    assert "17.71.02" in codes and "17.71.02.1001" in codes
    assert "17.71.01" not in codes


def test_token_auth_works(persona, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=persona("village_operator"))
    response = client.get("/api/posyandu/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["count"] > 0


def test_openapi_schema_lists_the_endpoints(client_as):
    response = client_as("village_operator").get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/posyandu/" in paths and "/api/regions/{code}/" in paths
