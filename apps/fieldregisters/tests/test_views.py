from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.fieldregisters.models import EducationCase, FieldActivity, HousingCase, IncidentReport, SocialCase
from apps.followups.models import FollowUp

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def test_the_kader_records_an_out_of_school_child(client_as, demo_posyandu, make_person):
    child = make_person("Joko", "L", dt.date(2012, 4, 1))
    response = client_as("kader").post(reverse("fieldregisters:pendidikan_create", args=[demo_posyandu.pk]), {
        "kind": "ats", "person": child.pk, "out_of_school_reason": "ekonomi", "recorded_on": "2026-03-10",
        "status": "tercatat", "in_paud": "unknown"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    case = EducationCase.objects.get(person=child)
    assert case.recorded_by.username == "kader.posyandu" and case.history.first().history_user is not None


def test_the_form_refuses_an_adult_as_a_child_in_indonesian(client_as, demo_posyandu, make_person):
    adult = make_person("Wati", "P", dt.date(1996, 1, 1))
    response = client_as("kader").post(reverse("fieldregisters:pendidikan_create", args=[demo_posyandu.pk]), {
        "kind": "ats", "person": adult.pk, "out_of_school_reason": "ekonomi", "recorded_on": "2026-03-10",
        "status": "tercatat", "in_paud": "unknown"})
    assert response.status_code == 200
    assert "Wati berumur 30 tahun pada tanggal pencatatan; kategori ini untuk anak 7–18 tahun." in \
        response.content.decode()
    assert not EducationCase.objects.filter(person=adult).exists()


def test_people_of_another_posyandu_are_not_choices(client_as, demo_posyandu, outsider_posyandu):
    from apps.people.models import Person

    stranger = Person.objects.filter(posyandu=outsider_posyandu).first()
    response = client_as("kader").post(reverse("fieldregisters:sosial_create", args=[demo_posyandu.pk]), {
        "kind": "kebutuhan_lain", "person": stranger.pk, "need": "x", "recorded_on": "2026-03-10",
        "status": "tercatat"})
    assert response.status_code == 200  # the form comes back: the stranger is no valid choice
    assert not SocialCase.objects.filter(person=stranger).exists()


def test_rtlh_form_computes_the_verdict(client_as, demo_posyandu, make_household):
    household = make_household("Rahmat")
    response = client_as("village_operator").post(reverse("fieldregisters:perumahan_create", args=[demo_posyandu.pk]), {
        "kind": "rtlh", "household": household.pk, "roof_ok": "on", "walls_ok": "on", "floor_ok": "on",
        "floor_area_m2": "21", "occupants": "3", "sanitation_ok": "on", "recorded_on": "2026-03-10",
        "status": "tercatat"})
    assert response.status_code == 302
    house = HousingCase.objects.get(household=household)
    assert house.uninhabitable and house.failed_criteria == ["floor_area"]  # 7.0 m² per person
    body = client_as("kecamatan_viewer").get(house.get_absolute_url()).content.decode()
    assert "Tidak layak huni" in body and "7,0 m²" in body


def test_read_only_and_outsiders(client_as, demo_posyandu, make_person):
    case = SocialCase.objects.create(posyandu=demo_posyandu, kind="kebutuhan_lain", person=make_person("Nia"),
                                     need="Kursi roda", recorded_on=DAY)
    viewer = client_as("kecamatan_viewer")
    assert viewer.get(case.get_absolute_url()).status_code == 200
    assert viewer.get(reverse("fieldregisters:sosial_update", args=[case.pk])).status_code == 403
    assert viewer.get(reverse("fieldregisters:sosial_create", args=[demo_posyandu.pk])).status_code == 403
    outsider = client_as("outsider")
    assert outsider.get(case.get_absolute_url()).status_code == 404
    assert outsider.post(reverse("fieldregisters:sosial_forward", args=[case.pk]), {}).status_code == 404


def test_the_reporter_is_masked_for_read_only_users(client_as, demo_posyandu):
    report = IncidentReport.objects.create(posyandu=demo_posyandu, kind="kdrt", occurred_on=DAY, recorded_on=DAY,
                                           location="RT 04", description="Laporan", reporter_name="Siti Pelapor",
                                           reporter_phone="081234567890")
    assert "Siti Pelapor" not in client_as("kecamatan_viewer").get(report.get_absolute_url()).content.decode()
    assert "dirahasiakan" in client_as("kecamatan_viewer").get(report.get_absolute_url()).content.decode()
    assert "Siti Pelapor" in client_as("village_operator").get(report.get_absolute_url()).content.decode()
    assert "Siti Pelapor" not in client_as("kecamatan_viewer").get(
        reverse("fieldregisters:trantibumlinmas_list")).content.decode()


def test_forwarding_through_the_page_reaches_the_dinsos_list(client_as, demo_posyandu, make_person):
    from apps.fieldregisters.services import responsible_opds

    case = SocialCase.objects.create(posyandu=demo_posyandu, kind="lansia_terlantar",
                                     person=make_person("Mbah Darmo", "L", dt.date(1940, 1, 1)), recorded_on=DAY)
    dinsos = responsible_opds(case).get(region_code="17.71", short_name__startswith="Dinsos")
    response = client_as("kader").post(reverse("fieldregisters:sosial_forward", args=[case.pk]), {"opd": dinsos.pk})
    assert response.status_code == 302
    followup = FollowUp.objects.get(owner_opd=dinsos, title__contains="Mbah Darmo")
    assert "Mbah Darmo" in client_as("opd_dinsos").get(reverse("followups:mine")).content.decode()
    assert followup.title in client_as("kader").get(case.get_absolute_url()).content.decode()


def test_forwarding_errors_come_back_as_messages(client_as, demo_posyandu, make_person):
    case = SocialCase.objects.create(posyandu=demo_posyandu, kind="kebutuhan_lain", person=make_person("Ani"),
                                     need="x", recorded_on=DAY)
    response = client_as("kader").post(reverse("fieldregisters:sosial_forward", args=[case.pk]), {}, follow=True)
    assert "Pilih OPD penanggung jawab." in response.content.decode()
    assert not FollowUp.objects.filter(source_id=case.pk, title__contains="Ani").exists()


def test_a_locked_month_is_refused(client_as, demo_posyandu, make_person):
    from apps.reports.models import MonthlyReport

    report, _ = MonthlyReport.objects.get_or_create(posyandu=demo_posyandu, period=dt.date(2026, 2, 1))
    MonthlyReport.objects.filter(pk=report.pk).update(status="dikirim")
    child = make_person("Tono", "L", dt.date(2012, 4, 1))
    response = client_as("kader").post(reverse("fieldregisters:pendidikan_create", args=[demo_posyandu.pk]), {
        "kind": "ats", "person": child.pk, "out_of_school_reason": "ekonomi", "recorded_on": "2026-02-10",
        "status": "tercatat", "in_paud": "unknown"})
    assert response.status_code == 200
    assert "Laporan bulan 02/2026 sudah dikirim atau disetujui" in response.content.decode()


def test_activities_are_recorded_and_listed(client_as, demo_posyandu):
    response = client_as("kader").post(reverse("fieldregisters:activity_create", args=[demo_posyandu.pk]), {
        "kind": "pelatihan_kesiapsiagaan", "held_on": "2026-03-12", "title": "Simulasi banjir",
        "participants_male": "7", "participants_female": "9"})
    assert response.status_code == 302
    assert FieldActivity.objects.get(title="Simulasi banjir").field.code == "trantibumlinmas"
    assert "Simulasi banjir" in client_as("kecamatan_viewer").get(reverse("fieldregisters:activity_list")).content.decode()


def test_the_index_summarises_the_area_and_the_posyandu_page_offers_the_forms(client_as, demo_posyandu, make_person):
    SocialCase.objects.create(posyandu=demo_posyandu, kind="kebutuhan_lain", person=make_person("Ina"), need="x",
                              recorded_on=DAY, status="ditangani")
    body = client_as("kecamatan_viewer").get(reverse("fieldregisters:index")).content.decode()
    assert "Kebutuhan sosial ditangani" in body and demo_posyandu.name in body
    body = client_as("kader").get(reverse("fieldregisters:posyandu", args=[demo_posyandu.pk])).content.decode()
    assert reverse("fieldregisters:sosial_create", args=[demo_posyandu.pk]) in body
    body = client_as("kecamatan_viewer").get(reverse("fieldregisters:posyandu", args=[demo_posyandu.pk])).content.decode()
    assert reverse("fieldregisters:sosial_create", args=[demo_posyandu.pk]) not in body
