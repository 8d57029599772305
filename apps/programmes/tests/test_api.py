"""The programmes API: same scope and the same rules as the pages."""
from __future__ import annotations

import pytest

from apps.programmes.models import Programme
from apps.programmes.tests.conftest import YEAR, _opd

pytestmark = pytest.mark.django_db


def payload(world, **changes):
    data = {"team": world.team.pk, "year": YEAR, "field": "pendidikan", "opd": _opd("Dikbud").pk,
            "name": "Program API", "budget": "1000000", "funding_source": "apbdes", "start_month": 1,
            "end_month": 6, "responsible_name": "Pak Kadis"}
    data.update(changes)
    return data


def test_the_officer_lists_and_creates_programmes(client_as, world):
    client = client_as("kabupaten_officer")
    listing = client.get("/api/programmes/", {"year": YEAR}).json()
    names = {p["name"] for p in listing["results"]} if "results" in listing else {p["name"] for p in listing}
    assert "P1 Penimbangan balita" in names
    response = client.post("/api/programmes/", payload(world), content_type="application/json")
    assert response.status_code == 201, response.json()
    assert Programme.objects.get(name="Program API").region_code == "17.71"


def test_the_api_gives_the_model_messages(client_as, world):
    from apps.organisations.models import Opd

    client = client_as("admin")
    outsider_opd = Opd.objects.filter(region_code="17.02").first()
    response = client.post("/api/programmes/", payload(world, opd=outsider_opd.pk), content_type="application/json")
    assert response.status_code == 400
    assert "OPD penanggung jawab harus dari wilayah" in response.json()["opd"][0]


def test_read_only_users_get_403_and_outsiders_404(client_as, world):
    viewer = client_as("kecamatan_viewer")
    assert viewer.get(f"/api/programmes/{world.p1.pk}/").status_code == 200
    assert viewer.post("/api/programmes/", payload(world), content_type="application/json").status_code == 403
    assert viewer.patch(f"/api/programmes/{world.p6.pk}/", {"name": "x"},
                        content_type="application/json").status_code == 403
    outsider = client_as("outsider")
    assert outsider.get(f"/api/programmes/{world.p1.pk}/").status_code == 404
    assert outsider.get(f"/api/programme-activities/{world.a1.pk}/").status_code == 404


def test_activities_and_progress_through_the_api(client_as, world):
    client = client_as("kabupaten_officer")
    response = client.post("/api/programme-activities/", {
        "programme": world.p3.pk, "name": "Lomba APE", "villages": [world.v1.code], "months": [5, 4, 5],
        "budget": "200000"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["months"] == [4, 5]
    response = client.post("/api/programme-progress/", {
        "programme": world.p3.pk, "month": f"{YEAR}-04-01", "physical_progress": "101",
        "financial_realisation": "0"}, content_type="application/json")
    assert response.status_code == 400 and "antara 0 dan 100" in str(response.json())
    response = client.post("/api/programme-progress/", {
        "programme": world.p3.pk, "month": f"{YEAR}-04-09", "physical_progress": "30",
        "financial_realisation": "90000000"}, content_type="application/json")
    assert response.status_code == 400 and "melebihi anggaran" in str(response.json())
    response = client.post("/api/programme-progress/", {
        "programme": world.p3.pk, "month": f"{YEAR}-04-09", "physical_progress": "30",
        "financial_realisation": "10000000"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["month"] == f"{YEAR}-04-01"


def test_the_sync_endpoint_matches_the_page(client_as, world):
    data = client_as("kabupaten_officer").get("/api/programmes/sync/", {"tahun": YEAR}).json()
    assert data["area"]["code"] == "17.71"
    assert [f["code"] for f in data["fields_without_programmes"]] == ["sosial", "perumahan", "pupr", "trantibumlinmas"]
    assert len(data["overlaps"]) == 1 and len(data["opds_without_programmes"]) == 7
    assert len(data["stalled_programmes"]) == 2
    assert client_as("outsider").get("/api/programmes/sync/", {"wilayah": "17.71"}).status_code == 404
