"""Programme pages over HTTP: personas, validation messages in Indonesian, the sync page."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.programmes.models import Activity, Programme, ProgressReport
from apps.programmes.tests.conftest import YEAR, _opd

pytestmark = pytest.mark.django_db


def programme_data(world, **changes):
    data = {"team": world.team.pk, "year": YEAR, "field": world.fields["pendidikan"].pk,
            "opd": _opd("Dikbud").pk, "name": "Gerakan PAUD untuk semua", "target_group": "bayi_balita",
            "target_detail": "Anak 5-6 tahun", "output": "50 anak masuk PAUD", "budget": "75000000",
            "funding_source": "apbd_kabkota", "start_month": 2, "end_month": 11, "responsible_name": "Kadis Dikbud",
            "status": "rencana"}
    data.update(changes)
    return data


def test_the_kabupaten_officer_creates_a_programme_for_education_owned_by_dikbud(client_as, world):
    client = client_as("kabupaten_officer")
    response = client.post(reverse("programmes:create"), programme_data(world))
    programme = Programme.objects.get(name="Gerakan PAUD untuk semua")
    assert response.status_code == 302 and response["Location"] == programme.get_absolute_url()
    assert programme.region_code == "17.71" and programme.regency_code == "17.71"
    assert programme.history.count() == 1
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Gerakan PAUD untuk semua" in page and "Dikbud Kota Bengkulu" in page


def test_it_rejects_an_opd_of_another_kabupaten_in_indonesian(client_as, world):
    from apps.organisations.models import Opd

    client = client_as("admin")  # admin can choose any OPD: the model rule must still hold
    outsider_opd = Opd.objects.filter(region_code="17.02").first()
    response = client.post(reverse("programmes:create"), programme_data(world, opd=outsider_opd.pk))
    assert response.status_code == 200
    assert "OPD penanggung jawab harus dari wilayah TP Posyandu ini atau wilayah di atasnya." in response.content.decode()


def test_it_rejects_an_end_month_before_the_start(client_as, world):
    response = client_as("kabupaten_officer").post(reverse("programmes:create"),
                                                   programme_data(world, start_month=6, end_month=3))
    assert "Bulan selesai tidak boleh sebelum bulan mulai." in response.content.decode()


def test_a_kecamatan_team_may_name_an_opd_of_its_kabupaten(client_as, world):
    from apps.accounts.models import Assignment, Role, User
    from apps.regions.models import Region

    officer = User.objects.create_user("kec.tulis", password="x", role=Role.KECAMATAN)
    Assignment.objects.create(user=officer, region=Region.objects.get(code="17.71.02"), can_write=True)
    client = client_as("kabupaten_officer")
    client.force_login(officer)
    response = client.post(reverse("programmes:create"), programme_data(world, team=world.kec_team.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Programme.objects.get(name="Gerakan PAUD untuk semua").region_code == "17.71.02"


def test_kader_reads_but_sees_no_editing(client_as, world):
    client = client_as("kader")
    page = client.get(world.p1.get_absolute_url())
    assert page.status_code == 200
    assert reverse("programmes:update", args=[world.p1.pk]) not in page.content.decode()
    assert client.get(reverse("programmes:create")).status_code == 403
    assert client.get(reverse("programmes:update", args=[world.p1.pk])).status_code == 403
    assert client.get(reverse("programmes:activity_create", args=[world.p1.pk])).status_code == 403
    listing = client.get(reverse("programmes:list")).content.decode()
    assert reverse("programmes:create") not in listing


def test_kecamatan_viewer_reads_and_gets_403_on_every_write(client_as, world):
    client = client_as("kecamatan_viewer")
    assert client.get(world.p1.get_absolute_url()).status_code == 200
    assert client.get(world.p6.get_absolute_url()).status_code == 200
    assert client.post(reverse("programmes:create"), programme_data(world)).status_code == 403
    assert client.post(reverse("programmes:update", args=[world.p6.pk]), programme_data(world)).status_code == 403
    assert client.post(reverse("programmes:progress_create", args=[world.p6.pk]), {}).status_code == 403
    assert client.post(reverse("programmes:activity_update", args=[world.p1.pk, world.a1.pk]), {}).status_code == 403
    assert client.get(reverse("programmes:indicator_create", args=[world.p1.pk])).status_code == 403


def test_outsider_gets_404_for_the_city_programmes(client_as, world):
    client = client_as("outsider")
    assert client.get(world.p1.get_absolute_url()).status_code == 404
    assert client.get(reverse("programmes:update", args=[world.p1.pk])).status_code == 404
    assert client.get(reverse("programmes:activity_create", args=[world.p1.pk])).status_code == 404
    assert client.get(reverse("programmes:sync") + "?wilayah=17.71").status_code == 404
    assert "P1 Penimbangan" not in client.get(reverse("programmes:list")).content.decode()


def test_the_list_filters_by_field_opd_and_funding_source(client_as, world):
    client = client_as("kabupaten_officer")
    url = reverse("programmes:list")
    page = client.get(url, {"year": YEAR, "field": world.fields["kesehatan"].pk, "opd": _opd("Dinkes").pk}).content.decode()
    assert "P1 Penimbangan" in page and "P4 Gizi" in page and "P2 Cegah" not in page and "P3 PAUD" not in page
    page = client.get(url, {"funding_source": "apbn"}).content.decode()
    assert "P1 Penimbangan" not in page


def test_an_activity_rejects_villages_outside_the_programme_area_and_months_off_schedule(client_as, world):
    from apps.regions.models import Region

    client = client_as("kabupaten_officer")
    world.p6.start_month, world.p6.end_month = 3, 6
    world.p6.save()
    other_kecamatan = Region.objects.current().filter(level=4, code__startswith="17.71.01.").first()
    url = reverse("programmes:activity_create", args=[world.p6.pk])
    response = client.post(url, {"name": "Kunjungan", "villages": [other_kecamatan.pk], "months": [2],
                                 "budget": "100"})
    body = response.content.decode()
    assert response.status_code == 200
    # Neither the village nor the month is a choice of a kecamatan programme running March-June.
    assert body.count("Masukkan pilihan yang valid") == 2
    response = client.post(url, {"name": "Kunjungan", "villages": [world.v1.pk], "months": [3, 4], "budget": "100"})
    assert response.status_code == 302
    assert Activity.objects.get(name="Kunjungan").months == [3, 4]


def test_progress_is_validated_in_indonesian(client_as, world):
    client = client_as("kabupaten_officer")
    url = reverse("programmes:progress_create", args=[world.p1.pk])
    body = client.post(url, {"month": f"{YEAR}-03", "physical_progress": "120", "financial_realisation": "0"}).content.decode()
    assert "Kemajuan fisik antara 0 dan 100 %." in body
    body = client.post(url, {"month": f"{YEAR - 1}-03", "physical_progress": "10", "financial_realisation": "0"}).content.decode()
    assert f"Bulan laporan harus dalam tahun program ({YEAR})." in body
    over = {"month": f"{YEAR}-03", "physical_progress": "40", "financial_realisation": "60000000"}
    body = client.post(url, over).content.decode()
    assert "melebihi anggaran Rp50.000.000" in body
    assert not ProgressReport.objects.filter(programme=world.p1).exists()
    response = client.post(url, {**over, "over_budget_confirmed": "on"})
    assert response.status_code == 302
    report = ProgressReport.objects.get(programme=world.p1)
    assert report.month == dt.date(YEAR, 3, 1) and report.reported_by.username == "kota.bengkulu"
    body = client.post(url, {"month": f"{YEAR}-03", "physical_progress": "45", "financial_realisation": "0"}).content.decode()
    assert "sudah ada" in body
    # The same month for one activity is a different report.
    response = client.post(url, {"month": f"{YEAR}-03", "activity": world.a1.pk, "physical_progress": "45",
                                 "financial_realisation": "500000"})
    assert response.status_code == 302
    assert ProgressReport.objects.filter(programme=world.p1).count() == 2


def test_the_programme_page_shows_indicator_values_chart_and_documents(client_as, world):
    from django.core.files.base import ContentFile

    from apps.library.models import Document

    ProgressReport.objects.create(programme=world.p1, month=dt.date(YEAR, 2, 1), physical_progress=Decimal("25"),
                                  financial_realisation=Decimal("1000000"))
    doc = Document(title="Permendagri 13 Tahun 2024 tentang Posyandu", issuer="Kemendagri", number="13", year=2024)
    doc.file.save("permendagri-13-2024.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    world.p1.documents.add(doc)
    page = client_as("village_operator").get(world.p1.get_absolute_url()).content.decode()
    assert "progress-chart" in page and "echarts.min.js" in page
    assert "Permendagri 13 Tahun 2024" in page and doc.get_download_url() in page
    assert "Tidak bergerak" in page  # DS 60 → 62 → 58 against 80 (the real date is after March 2026)


def test_the_sync_page_shows_gaps_overlaps_and_stalled_programmes(client_as, world):
    client = client_as("kabupaten_officer")
    response = client.get(reverse("programmes:sync"), {"tahun": YEAR})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="jumlah-bidang-kosong">4<' in body
    assert 'id="jumlah-opd-kosong">7<' in body
    assert 'id="jumlah-tumpang-tindih">1<' in body
    assert 'id="jumlah-tidak-bergerak">2<' in body
    assert "A1 Sweeping balita" in body and "A2 PMT lokal" in body
    assert "Rejang Lebong" not in body


def test_the_sync_page_of_a_kecamatan_is_for_its_own_officers_only(client_as, world):
    client = client_as("kecamatan_viewer")
    assert client.get(reverse("programmes:sync"), {"wilayah": "17.71", "tahun": YEAR}).status_code == 404
    body = client.get(reverse("programmes:sync"), {"tahun": YEAR}).content.decode()
    assert "17.71.02" in body and 'id="jumlah-tidak-bergerak">1<' in body


def test_the_sync_page_asks_national_users_for_an_area_and_tells_the_unassigned(client_as, world):
    body = client_as("national_viewer").get(reverse("programmes:sync")).content.decode()
    assert "Isi kode wilayah" in body
    body = client_as("unassigned").get(reverse("programmes:sync")).content.decode()
    assert "17.71" not in body.replace('placeholder="mis. 17.71"', "")
    assert client_as("national_viewer").get(reverse("programmes:sync"), {"wilayah": "17.71", "tahun": YEAR}).status_code == 200


def test_an_indicator_link_is_added_once_and_removed(client_as, world):
    from apps.reports.models import Indicator

    client = client_as("kabupaten_officer")
    url = reverse("programmes:indicator_create", args=[world.p3.pk])
    stunting = Indicator.objects.filter(code="STUNTING").order_by("-valid_from").first()
    assert client.post(url, {"indicator": stunting.pk, "target": "14"}).status_code == 302
    link = world.p3.indicator_links.get(indicator=stunting)
    assert link.direction == "turun"  # the default direction of the indicator (data file)
    body = client.post(url, {"indicator": stunting.pk, "target": "10"}).content.decode()
    assert "Indikator ini sudah ditautkan ke program ini." in body
    body = client.post(reverse("programmes:indicator_create", args=[world.p4.pk]), {
        "indicator": Indicator.objects.filter(code="DS").order_by("-valid_from").first().pk, "target": "120"}).content.decode()
    assert "Target indikator persen tidak boleh lebih dari 100." in body
    delete = reverse("programmes:indicator_delete", args=[world.p3.pk, link.pk])
    assert client.post(delete).status_code == 302
    assert not world.p3.indicator_links.filter(pk=link.pk).exists()


def test_the_model_rules_name_the_months_and_villages_that_are_wrong(world):
    from django.core.exceptions import ValidationError

    from apps.programmes.models import check_villages
    from apps.regions.models import Region

    world.p6.start_month, world.p6.end_month = 3, 6
    world.p6.save()
    with pytest.raises(ValidationError) as error:
        Activity(programme=world.p6, name="x", months=[2, 7]).clean()
    assert "Bulan Februari, Juli di luar jadwal program (Maret–Juni)." in error.value.messages
    other = Region.objects.current().filter(level=4, code__startswith="17.71.01.").first()
    with pytest.raises(ValidationError) as error:
        check_villages(world.p6, [world.v1, other])
    assert error.value.messages == [f"Desa/kelurahan di luar wilayah program: {other.name}."]


def test_a_programme_entered_by_mistake_is_deleted_but_one_with_progress_is_kept(client_as, world):
    client = client_as("kabupaten_officer")
    page = client.get(world.p3.get_absolute_url()).content.decode()
    assert reverse("programmes:delete", args=[world.p3.pk]) in page
    assert client.post(reverse("programmes:delete", args=[world.p3.pk])).status_code == 302
    assert not Programme.objects.filter(pk=world.p3.pk).exists()
    assert Programme.history.filter(id=world.p3.pk, history_type="-").exists()  # who deleted it stays known

    ProgressReport.objects.create(programme=world.p4, month=dt.date(YEAR, 3, 1), physical_progress=Decimal("10"),
                                  financial_realisation=Decimal("0"))
    refused = client.post(reverse("programmes:delete", args=[world.p4.pk]), follow=True)
    assert Programme.objects.filter(pk=world.p4.pk).exists()
    assert "Ubah status program menjadi Dibatalkan" in refused.content.decode()


def test_an_activity_is_deleted_from_its_programme_and_only_there(client_as, world):
    client = client_as("kabupaten_officer")
    # Another programme's id in the URL does not reach the activity.
    assert client.post(reverse("programmes:activity_delete", args=[world.p2.pk, world.a5.pk])).status_code == 404
    response = client.post(reverse("programmes:activity_delete", args=[world.p1.pk, world.a5.pk]))
    assert response.status_code == 302 and response["Location"] == world.p1.get_absolute_url()
    assert not Activity.objects.filter(pk=world.a5.pk).exists()


def test_deleting_needs_write_scope(client_as, world):
    assert client_as("kecamatan_viewer").post(reverse("programmes:delete", args=[world.p1.pk])).status_code == 403
    assert client_as("outsider").post(reverse("programmes:delete", args=[world.p1.pk])).status_code == 404
    assert client_as("kader").post(
        reverse("programmes:activity_delete", args=[world.p1.pk, world.a1.pk])).status_code == 403
    assert Programme.objects.filter(pk=world.p1.pk).exists() and Activity.objects.filter(pk=world.a1.pk).exists()
