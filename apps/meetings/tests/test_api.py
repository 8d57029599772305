"""The rakor API: scoped reads, writes re-checked, decisions through the same service."""
from __future__ import annotations

import pytest

from apps.meetings.models import Decision, Meeting

pytestmark = pytest.mark.django_db


def test_the_api_lists_only_meetings_of_the_users_area(client_as, make_meeting):
    from apps.organisations.models import TimPembina

    mine = make_meeting()
    other = make_meeting(team=TimPembina.objects.get(region_code="17.02"), title="Rakor luar")
    data = client_as("kabupaten_officer").get("/api/meetings/").json()
    ids = {row["id"] for row in data.get("results", data)}
    assert mine.pk in ids and other.pk not in ids


def test_the_api_creates_a_meeting_and_a_decision_with_its_followup(client_as, city_team, opd):
    client = client_as("kabupaten_officer")
    response = client.post("/api/meetings/", {"team": city_team.pk, "title": "Rakor API", "kind": "rakor",
                                              "scheduled_at": "2031-06-10T09:00:00+07:00"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.region_code == "17.71"
    response = client.post("/api/meeting-decisions/", {
        "meeting": meeting.pk, "text": "Bantuan sosial diverifikasi", "owner_opd": opd("Dinsos").pk,
        "due_date": "2031-07-01", "field": "sosial"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert len(response.json()["followups"]) == 1
    proposals = client.get(f"/api/meetings/{meeting.pk}/usulan-agenda/").json()
    assert any(p["kind"] == "laporan" for p in proposals)


def test_the_api_refuses_writes_of_read_only_users_and_foreign_opd(client_as, make_meeting, opd):
    meeting = make_meeting()
    reader = client_as("opd_dinsos")
    response = reader.post("/api/meeting-decisions/", {"meeting": meeting.pk, "text": "X",
                                                       "owner_opd": opd("Dinsos").pk}, content_type="application/json")
    assert response.status_code == 403
    officer = client_as("kabupaten_officer")
    response = officer.post("/api/meeting-participants/", {"meeting": meeting.pk, "name": "Tamu",
                                                           "opd": opd("Dinsos", "17.02").pk},
                            content_type="application/json")
    assert response.status_code == 400
    assert not Decision.objects.filter(meeting=meeting).exists()
