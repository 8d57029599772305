from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.followups.models import FollowUp, FollowUpStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_followup, dinsos, dinkes):
    return make_followup(owner_opd=dinsos, title="Bansos lansia Padang Harapan"), \
        make_followup(owner_opd=dinkes, title="Jamban sehat RT 03")


def test_the_list_shows_follow_ups_of_the_area(client_as, two):
    response = client_as("kecamatan_viewer").get(reverse("followups:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bansos lansia Padang Harapan" in body and "Jamban sehat RT 03" in body


def test_the_late_tab_lists_only_overdue_open_rows(client_as, make_followup, dinsos):
    make_followup(owner_opd=dinsos, title="Sudah lewat", due_date=dt.date(2020, 1, 6))
    make_followup(owner_opd=dinsos, title="Masih lama", due_date=dt.date(2099, 1, 5))
    body = client_as("kabupaten_officer").get(reverse("followups:list"), {"state": "terlambat"}).content.decode()
    assert "Sudah lewat" in body and "Masih lama" not in body


def test_the_escalation_filter_shows_rows_escalated_to_my_level(client_as, make_followup, dinsos):
    up = make_followup(owner_opd=dinsos, title="Naik ke kecamatan")
    make_followup(owner_opd=dinsos, title="Belum naik")
    FollowUp.objects.filter(pk=up.pk).update(escalation_level=1)
    body = client_as("kecamatan_viewer").get(reverse("followups:list"), {"eskalasi": "tingkat_saya"}).content.decode()
    assert "Naik ke kecamatan" in body and "Belum naik" not in body
    body = client_as("kabupaten_officer").get(reverse("followups:list"), {"eskalasi": "tingkat_saya"}).content.decode()
    assert "Naik ke kecamatan" not in body  # once is the kecamatan, not yet the kota


def test_mine_lists_my_opd_rows_overdue_first(client_as, make_followup, dinsos, dinkes):
    make_followup(owner_opd=dinsos, title="Dinsos nanti", due_date=dt.date(2099, 1, 5))
    make_followup(owner_opd=dinsos, title="Dinsos terlambat", due_date=dt.date(2020, 1, 6))
    make_followup(owner_opd=dinkes, title="Urusan Dinkes", due_date=dt.date(2020, 1, 6))
    body = client_as("opd_dinsos").get(reverse("followups:mine")).content.decode()
    assert "Urusan Dinkes" not in body
    assert body.index("Dinsos terlambat") < body.index("Dinsos nanti")


def test_the_dinsos_user_answers_its_own_follow_up(client_as, two):
    mine, _ = two
    client = client_as("opd_dinsos")
    url = reverse("followups:detail", args=[mine.pk])
    assert "Ubah status" in client.get(url).content.decode()
    response = client.post(url, {"action": "status", "status": FollowUpStatus.IN_PROGRESS, "comment": "Survei"})
    assert response.status_code == 302
    assert client.post(url, {"action": "comment", "text": "Jadwal penyaluran Senin"}).status_code == 302
    upload = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")
    assert client.post(url, {"action": "evidence", "file": upload, "description": "Foto"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == FollowUpStatus.IN_PROGRESS
    assert mine.comments.count() == 2 and mine.evidence.count() == 1
    download = client.get(reverse("followups:evidence", args=[mine.evidence.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")


def test_the_dinsos_user_cannot_answer_another_opds_follow_up(client_as, two):
    _, theirs = two
    client = client_as("opd_dinsos")
    url = reverse("followups:detail", args=[theirs.pk])
    body = client.get(url).content.decode()
    assert "Anda hanya dapat membaca" in body and "Ubah status" not in body
    assert client.post(url, {"action": "status", "status": FollowUpStatus.DONE}).status_code == 403
    assert client.post(url, {"action": "comment", "text": "x"}).status_code == 403


def test_outsiders_get_404(client_as, two):
    mine, _ = two
    client = client_as("outsider")
    url = reverse("followups:detail", args=[mine.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "comment", "text": "x"}).status_code == 404


def test_bad_upload_shows_an_indonesian_error(client_as, two):
    mine, _ = two
    upload = SimpleUploadedFile("skrip.sh", b"#!/bin/sh", content_type="text/plain")
    response = client_as("opd_dinsos").post(reverse("followups:detail", args=[mine.pk]),
                                            {"action": "evidence", "file": upload})
    assert response.status_code == 400
    assert "Jenis berkas .sh tidak diterima" in response.content.decode()


def test_rejecting_without_reason_shows_an_error(client_as, two):
    mine, _ = two
    response = client_as("opd_dinsos").post(reverse("followups:detail", args=[mine.pk]),
                                            {"action": "status", "status": FollowUpStatus.NOT_ELIGIBLE})
    assert response.status_code == 400
    assert "Tuliskan alasan" in response.content.decode()


def test_an_officer_creates_a_follow_up_with_the_sla_due_date(client_as, dinsos, village):
    response = client_as("kabupaten_officer").post(reverse("followups:create"), {
        "region_code": village.code, "title": "Usulan RTLH", "owner_opd": dinsos.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    followup = FollowUp.objects.get(title="Usulan RTLH")
    assert followup.due_date > dt.date.today() and followup.created_by.username == "kota.bengkulu"


def test_the_village_operator_may_route_to_the_kota_opd(client_as, dinsos, village):
    response = client_as("village_operator").post(reverse("followups:create"), {
        "region_code": village.code, "title": "Anak tidak sekolah", "owner_opd": dinsos.pk,
        "due_date": "2026-09-01"})
    assert response.status_code == 302
    assert FollowUp.objects.get(title="Anak tidak sekolah").owner_opd == dinsos


def test_the_create_form_explains_its_errors(client_as, village):
    response = client_as("kabupaten_officer").post(reverse("followups:create"), {
        "region_code": "17.02", "title": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "di luar wilayah tugas Anda" in body
    assert "Pilih OPD atau tulis nama penanggung jawab" in body


def test_read_only_users_cannot_create(client_as):
    assert client_as("kecamatan_viewer").get(reverse("followups:create")).status_code == 403
