"""The rakor pages over real HTTP: scheduling, the proposed agenda with its one-click add,
attendance, decisions with follow-ups, the notulen (HTML and PDF), the TP Posyandu home, and
scoping by persona."""
from __future__ import annotations

import datetime as dt

import pytest

from apps.meetings.models import AgendaItem, Decision, Meeting

pytestmark = pytest.mark.django_db


def test_the_officer_schedules_a_rakor_and_the_team_is_invited(client_as, city_team):
    client = client_as("kabupaten_officer")
    page = client.get("/rakor/tambah/")
    assert page.status_code == 200 and page.context["form"].initial["team"] == city_team.pk
    response = client.post("/rakor/tambah/", {
        "team": city_team.pk, "title": "Rakor Sinergitas Posyandu", "kind": "rakor",
        "scheduled_at": "2031-06-10T09:00", "place": "Ruang Hidayah I", "status": "dijadwalkan",
        "invite_members": "on"})
    meeting = Meeting.objects.get(title="Rakor Sinergitas Posyandu")
    assert response.status_code == 302 and response["Location"] == f"/rakor/{meeting.pk}/"
    assert meeting.region_code == "17.71" and meeting.regency_code == "17.71"
    assert meeting.participants.count() == city_team.members.count()


def test_a_bad_date_gets_an_indonesian_message(client_as, city_team):
    response = client_as("kabupaten_officer").post("/rakor/tambah/", {
        "team": city_team.pk, "title": "Rakor", "kind": "rakor", "scheduled_at": "besok", "status": "dijadwalkan"})
    assert response.status_code == 200
    assert "Isi tanggal dan jam rapat" in response.content.decode()


def test_a_team_of_another_kabupaten_cannot_be_chosen(client_as):
    from apps.organisations.models import TimPembina

    other = TimPembina.objects.get(region_code="17.02")
    response = client_as("kabupaten_officer").post("/rakor/tambah/", {
        "team": other.pk, "title": "Rakor luar", "kind": "rakor", "scheduled_at": "2031-06-10T09:00",
        "status": "dijadwalkan"})
    assert response.status_code == 200 and not Meeting.objects.filter(title="Rakor luar").exists()


def test_the_meeting_page_shows_proposals_and_adds_one_in_a_click(client_as, make_meeting):
    meeting = make_meeting()
    client = client_as("kabupaten_officer")
    body = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert "Usulan agenda dari data" in body and "Tambahkan ke agenda" in body
    key = "laporan:17.71.02:2031-05"
    assert key in body
    response = client.post(f"/rakor/{meeting.pk}/agenda/usulan/", {"agenda_key": key})
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.source_key == key and item.kind == "laporan"
    body = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert "Sudah di agenda" in body


def test_attendance_is_ticked_on_one_page(client_as, make_meeting, officer):
    from apps.meetings import services

    meeting = make_meeting()
    services.invite_team_members(meeting=meeting, acting_user=officer)
    first, second = meeting.participants.order_by("pk")[:2]
    client = client_as("kabupaten_officer")
    assert first.name in client.get(f"/rakor/{meeting.pk}/kehadiran/").content.decode()
    client.post(f"/rakor/{meeting.pk}/kehadiran/", {"hadir": [first.pk, second.pk]})
    assert set(meeting.participants.filter(attended=True)) == {first, second}
    response = client.post(f"/rakor/{meeting.pk}/kehadiran/", {"hadir": ["abc"]})
    assert response.status_code == 302
    assert meeting.participants.filter(attended=True).count() == 2  # nothing changed


def test_a_decision_form_creates_the_followup(client_as, make_meeting, opd):
    meeting = make_meeting()
    client = client_as("kabupaten_officer")
    dinsos = opd("Dinsos")
    response = client.post(f"/rakor/{meeting.pk}/keputusan/tambah/", {
        "text": "Verifikasi DTKS per kelurahan", "create_followup": "on", "owner_opd": dinsos.pk,
        "due_date": "2031-07-01", "field": ""})
    assert response.status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    from apps.meetings.services import followups_of

    [followup] = followups_of([decision])[decision.pk]
    assert followup.owner_opd == dinsos
    missing_owner = client.post(f"/rakor/{meeting.pk}/keputusan/tambah/", {"text": "Tanpa pemilik",
                                                                         "create_followup": "on"})
    assert "Pilih OPD atau tulis nama penanggung jawab" in missing_owner.content.decode()


def test_the_notulen_prints_with_the_attendance_list(client_as, make_meeting, officer, opd):
    from apps.meetings import services

    meeting = make_meeting()
    meeting.minutes = "Rapat dibuka pukul 09.00 oleh Ketua TP Posyandu."
    meeting.save()
    services.add_opd_representatives(meeting=meeting, opds=[opd("Dikbud")], acting_user=officer)
    services.record_decision(meeting=meeting, text="Kelas parenting di 5 kelurahan", acting_user=officer,
                             owner_opd=opd("Dikbud"), due_date=dt.date(2031, 8, 1))
    client = client_as("kecamatan_viewer")  # read-only users print too
    assert client.get(f"/rakor/{meeting.pk}/").status_code == 404  # … but only their own area's
    client = client_as("opd_dinsos")
    html = client.get(f"/rakor/{meeting.pk}/cetak/").content.decode()
    assert "Perwakilan Dikbud Kota Bengkulu" in html and "Kelas parenting di 5 kelurahan" in html
    response = client.get(f"/rakor/{meeting.pk}/notulen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response.content.rstrip().endswith(b"%%EOF")
    # No PDF text extractor is installed: the PDF is rendered from exactly this HTML.
    from apps.meetings.exporters import minutes_html

    document = minutes_html(meeting)
    assert "Daftar hadir" in document and "Perwakilan Dikbud Kota Bengkulu" in document


def test_read_only_users_read_but_cannot_write(client_as, make_meeting):
    meeting = make_meeting()
    client = client_as("opd_dinsos")
    body = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert meeting.title in body and "Tambahkan ke agenda" not in body
    assert client.post(f"/rakor/{meeting.pk}/agenda/usulan/", {"agenda_key": "x"}).status_code == 403
    assert client.get(f"/rakor/{meeting.pk}/notulen/").status_code == 403
    assert client.get(f"/rakor/{meeting.pk}/keputusan/tambah/").status_code == 403
    assert client.post(f"/rakor/{meeting.pk}/kehadiran/", {}).status_code == 403


@pytest.mark.parametrize("name", ["outsider", "kecamatan_viewer", "kader", "unassigned"])
def test_a_city_meeting_is_not_found_outside_its_area(client_as, make_meeting, name):
    meeting = make_meeting()
    client = client_as(name)
    for url in (f"/rakor/{meeting.pk}/", f"/rakor/{meeting.pk}/cetak/", f"/rakor/{meeting.pk}/kehadiran/",
                f"/api/meetings/{meeting.pk}/"):
        assert client.get(url).status_code == 404, url
    assert meeting.title not in client.get("/rakor/").content.decode()


def test_the_home_shows_this_months_meetings_and_overdue_actions(client_as, make_meeting, officer, opd):
    from django.utils import timezone

    from apps.followups.services import create_followup

    today = timezone.localdate()
    meeting = make_meeting(timezone.make_aware(dt.datetime(today.year, today.month, 1, 9)), title="Rakor bulan ini")
    late = create_followup(region=meeting.region, title="Laporan RTLH terlambat", owner_opd=opd("Perkim"),
                           due_date=today - dt.timedelta(days=2), acting_user=officer)
    client = client_as("kabupaten_officer")
    response = client.get("/rakor/beranda/")
    body = response.content.decode()
    assert response.status_code == 200 and "Beranda TP Posyandu Kota Bengkulu" in body
    assert "Rakor bulan ini" in body and late.title in body
    assert "Kemajuan program kerja" in body and "Kompetensi kader" in body
    assert client.get("/rakor/beranda/?wilayah=17.71.02").status_code == 200
    assert client.get("/rakor/beranda/?wilayah=17.02").status_code == 404
    assert client_as("kecamatan_viewer").get("/rakor/beranda/").context["area"] == "17.71.02"


def test_an_agenda_item_is_removed_after_confirmation(client_as, make_meeting):
    meeting = make_meeting()
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Acara salah")
    client = client_as("kabupaten_officer")
    url = f"/rakor/{meeting.pk}/agenda/{item.pk}/hapus/"
    assert client.get(url).status_code == 200
    assert client_as("opd_dinsos").post(url).status_code == 403
    response = client_as("kabupaten_officer").post(url)
    assert response.status_code == 302 and not AgendaItem.objects.filter(pk=item.pk).exists()
