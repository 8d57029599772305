from __future__ import annotations

import datetime as dt

import pytest

from apps.fieldregisters.models import EducationCase, IncidentReport

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def test_the_kader_records_through_the_api(client_as, demo_posyandu, make_person):
    child = make_person("Api Anak", "P", dt.date(2020, 5, 5))
    response = client_as("kader").post("/api/fieldregisters/education/", {
        "posyandu": demo_posyandu.pk, "kind": "paud", "person": child.pk, "in_paud": True,
        "recorded_on": "2026-03-10"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["village_code"] == demo_posyandu.region_code
    assert EducationCase.objects.get(person=child).recorded_by.username == "kader.posyandu"


def test_the_api_refuses_an_adult_child_in_indonesian(client_as, demo_posyandu, make_person):
    adult = make_person("Api Dewasa", "L", dt.date(1990, 5, 5))
    response = client_as("kader").post("/api/fieldregisters/education/", {
        "posyandu": demo_posyandu.pk, "kind": "ats", "person": adult.pk, "out_of_school_reason": "ekonomi",
        "recorded_on": "2026-03-10"}, content_type="application/json")
    assert response.status_code == 400
    assert "kategori ini untuk anak 7–18 tahun" in str(response.json()["person"])


def test_the_api_masks_the_reporter_for_read_only_users(client_as, demo_posyandu):
    report = IncidentReport.objects.create(posyandu=demo_posyandu, kind="kebakaran", occurred_on=DAY, recorded_on=DAY,
                                           location="RT 01", description="x", reporter_name="Rahasia Sekali")
    data = client_as("kecamatan_viewer").get(f"/api/fieldregisters/incidents/{report.pk}/").json()
    assert data["reporter_name"] == "dirahasiakan"
    data = client_as("village_operator").get(f"/api/fieldregisters/incidents/{report.pk}/").json()
    assert data["reporter_name"] == "Rahasia Sekali"


def test_read_only_users_cannot_write_and_outsiders_get_404(client_as, demo_posyandu, make_person):
    case = EducationCase.objects.create(posyandu=demo_posyandu, kind="ats", person=make_person("Z"),
                                        out_of_school_reason="jarak", recorded_on=DAY)
    url = f"/api/fieldregisters/education/{case.pk}/"
    assert client_as("kecamatan_viewer").patch(url, {"notes": "x"}, content_type="application/json").status_code == 403
    assert client_as("outsider").get(url).status_code == 404
