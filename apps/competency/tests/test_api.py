"""The competency API: the same scoping and services as the pages."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from apps.competency.models import Certification, KaderCompetency, Training

pytestmark = pytest.mark.django_db
API = "/api/competency"


def test_skills_are_listed_for_assigned_users_only(client_as: Any, catalogue: None) -> None:
    body = client_as("kader").get(f"{API}/skills/?limit=100").json()
    assert body["count"] == 25 and body["results"][0]["code"] == "PP-1"
    assert body["results"][0]["group"] == "pengelolaan"
    assert client_as("unassigned").get(f"{API}/skills/").json()["count"] == 0


def test_officer_creates_a_training_and_a_viewer_cannot(client_as: Any, catalogue: None) -> None:
    payload = {"title": "Pelatihan daring", "region": "17.71", "skills": ["PP-1", "PP-2"], "start_date": "2026-03-02",
               "end_date": "2026-03-03", "mode": "daring", "organiser": "Dinkes Kota Bengkulu"}
    created = client_as("kabupaten_officer").post(f"{API}/trainings/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["region_code"] == "17.71" and created.json()["skills"] == ["PP-1", "PP-2"]
    assert client_as("kecamatan_viewer").post(f"{API}/trainings/", payload, content_type="application/json").status_code == 403
    outside = client_as("kabupaten_officer").post(f"{API}/trainings/", {**payload, "region": "17.02"},
                                                  content_type="application/json")
    assert outside.status_code == 400
    wrong = client_as("kabupaten_officer").post(f"{API}/trainings/", {**payload, "end_date": "2026-03-01"},
                                                content_type="application/json")
    assert wrong.status_code == 400 and "Tanggal selesai" in wrong.content.decode()


def test_participant_pass_certifies_and_sets_the_level(client_as: Any, new_kader: Any, catalogue: None) -> None:
    client = client_as("kabupaten_officer")
    training = Training.objects.create(region=new_kader.posyandu.village, title="Pelatihan", start_date=dt.date(2026, 1, 5),
                                       end_date=dt.date(2026, 1, 6))
    codes = ["PP-1", "PP-2", "PP-3", "PP-4", "BB-1", "BB-2", "BB-3", "BB-4", "BB-5", "BB-6"]
    response = client.post(f"{API}/participants/", {
        "training": training.pk, "kader": new_kader.pk, "attended": True, "result": "lulus", "skills": codes,
        "certified_on": "2026-01-06", "assessed_by": "Puskesmas Jembatan Kecil"}, content_type="application/json")
    assert response.status_code == 201, response.content
    level = client.get(f"{API}/kader-levels/{new_kader.pk}/").json()
    assert (level["level"], level["level_label"], level["skill_count"]) == ("purwa", "Purwa", 10)
    again = client.post(f"{API}/participants/", {"training": training.pk, "kader": new_kader.pk},
                        content_type="application/json")
    assert again.status_code == 400
    pid = response.json()["id"]
    failed = client.patch(f"{API}/participants/{pid}/", {"result": "tidak_lulus"}, content_type="application/json")
    assert failed.status_code == 200 and failed.json()["result"] == "tidak_lulus"
    assert KaderCompetency.objects.get(kader=new_kader).level == "belum"


def test_certifications_create_revoke_and_permissions(client_as: Any, new_kader: Any, catalogue: None) -> None:
    payload = {"kader": new_kader.pk, "skill": "PP-1", "certified_on": "2026-02-01", "assessed_by": "Puskesmas"}
    assert client_as("kader").post(f"{API}/certifications/", payload, content_type="application/json").status_code == 403
    assert client_as("kecamatan_viewer").post(f"{API}/certifications/", payload,
                                              content_type="application/json").status_code == 403
    officer = client_as("kabupaten_officer")
    created = officer.post(f"{API}/certifications/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    duplicate = officer.post(f"{API}/certifications/", payload, content_type="application/json")
    assert duplicate.status_code == 400
    cid = created.json()["id"]
    assert client_as("kecamatan_viewer").post(f"{API}/certifications/{cid}/revoke/", {"reason": "x"}).status_code == 403
    assert client_as("outsider").post(f"{API}/certifications/{cid}/revoke/", {"reason": "x"}).status_code == 404
    officer = client_as("kabupaten_officer")
    assert officer.delete(f"{API}/certifications/{cid}/").status_code == 405
    revoked = officer.post(f"{API}/certifications/{cid}/revoke/", {"reason": "Salah catat"})
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert Certification.objects.get(pk=cid).revoked
    assert officer.post(f"{API}/certifications/{cid}/revoke/", {"reason": "lagi"}).status_code == 400


def test_kader_levels_are_scoped_and_filterable(client_as: Any, small_area: Any) -> None:
    from apps.competency.tests.conftest import AREA

    body = client_as("kabupaten_officer").get(f"{API}/kader-levels/?region={AREA}&level=madya").json()
    assert [r["name"] for r in body["results"]] == ["Kader Empat"]
    assert client_as("outsider").get(f"{API}/kader-levels/?region={AREA}").json()["count"] == 0
    assert client_as("outsider").get(f"{API}/kader-levels/{small_area.k['K4'].pk}/").status_code == 404
    assert client_as("kader").get(f"{API}/trainings/{small_area.training.pk}/").status_code == 404
