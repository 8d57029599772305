from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.followups.models import FollowUp, FollowUpStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(make_followup, dinsos):
    return make_followup(owner_opd=dinsos)


@pytest.fixture
def theirs(make_followup, dinkes):
    return make_followup(owner_opd=dinkes)


def test_the_api_lists_the_area(client_as, mine, theirs):
    data = client_as("opd_dinsos").get("/api/followups/", {"owner_opd": mine.owner_opd_id}).json()
    ids = {row["id"] for row in data["results"]} if isinstance(data, dict) else {row["id"] for row in data}
    assert mine.pk in ids and theirs.pk not in ids


def test_the_owner_opd_changes_status_through_the_api(client_as, mine):
    client = client_as("opd_dinsos")
    response = client.post(f"/api/followups/{mine.pk}/status/", {"status": "selesai", "comment": "Tuntas"},
                           content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == FollowUpStatus.DONE
    assert client.post(f"/api/followups/{mine.pk}/comments/", {"text": "ok"},
                       content_type="application/json").status_code == 201
    upload = SimpleUploadedFile("surat.pdf", b"%PDF-1.7 x")
    response = client.post(f"/api/followups/{mine.pk}/evidence/", {"file": upload, "description": "Surat"})
    assert response.status_code == 201, response.json()
    assert len(client.get(f"/api/followups/{mine.pk}/evidence/").json()) == 1


def test_another_opds_follow_up_is_403_and_an_outsider_gets_404(client_as, theirs):
    response = client_as("opd_dinsos").post(f"/api/followups/{theirs.pk}/status/", {"status": "selesai"},
                                            content_type="application/json")
    assert response.status_code == 403
    assert client_as("outsider").get(f"/api/followups/{theirs.pk}/").status_code == 404


def test_the_read_only_owner_cannot_edit_the_follow_up_itself(client_as, mine):
    response = client_as("opd_dinsos").patch(f"/api/followups/{mine.pk}/", {"title": "x"},
                                             content_type="application/json")
    assert response.status_code == 403


def test_api_errors_are_indonesian(client_as, mine):
    client = client_as("opd_dinsos")
    response = client.post(f"/api/followups/{mine.pk}/status/", {"status": "ditolak"}, content_type="application/json")
    assert response.status_code == 400 and "alasan" in str(response.json())
    upload = SimpleUploadedFile("a.exe", b"MZ")
    response = client.post(f"/api/followups/{mine.pk}/evidence/", {"file": upload})
    assert response.status_code == 400 and "tidak diterima" in str(response.json())


def test_an_officer_creates_through_the_api(client_as, village, dinsos):
    response = client_as("kabupaten_officer").post("/api/followups/", {
        "region": village.code, "title": "Dari API", "owner_opd": dinsos.pk}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert FollowUp.objects.get(title="Dari API").due_date.isoformat() == response.json()["due_date"]


def test_the_api_refuses_to_create_outside_the_area(client_as, dinsos):
    response = client_as("kabupaten_officer").post("/api/followups/", {
        "region": "17.02", "title": "Luar", "owner_name": "Pak RT"}, content_type="application/json")
    assert response.status_code == 400
    assert "di luar wilayah tugas Anda" in str(response.json())
    assert not FollowUp.objects.filter(title="Luar").exists()
