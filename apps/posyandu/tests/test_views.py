"""Registering and editing Posyandu through the pages: scope, validation, all-or-nothing."""
import pytest
from django.urls import reverse

from apps.posyandu.models import Kader, Posyandu
from apps.spm.models import SpmField

pytestmark = pytest.mark.django_db

VALID = {
    "village_code": "17.71.02.1001", "name": "Posyandu Uji", "schedule_kind": "monthly_date",
    "schedule_day": "12", "rw": "03", "is_active": "on",
}


def post_create(client, **overrides):
    return client.post(reverse("posyandu:create"), {**VALID, **overrides})


def test_kabupaten_officer_registers_a_posyandu_with_its_codes_filled(client_as):
    response = post_create(client_as("kabupaten_officer"), registration_number="17.71.02.1001.099")
    created = Posyandu.objects.get(registration_number="17.71.02.1001.099")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert (created.province_code, created.regency_code, created.district_code, created.village_code) == (
        "17", "17.71", "17.71.02", "17.71.02.1001")
    assert created.history.count() == 1
    assert created.history.first().history_user.username == "kota.bengkulu"


def test_it_refuses_an_unknown_region_code_in_indonesian(client_as):
    before = Posyandu.objects.count()
    response = post_create(client_as("kabupaten_officer"), village_code="17.71.02.9999")
    assert response.status_code == 200
    assert "Kode wilayah 17.71.02.9999 tidak dikenal." in response.content.decode()
    assert Posyandu.objects.count() == before


def test_it_refuses_a_village_outside_the_users_scope(client_as):
    before = Posyandu.objects.count()
    outsider_village = Posyandu.objects.filter(regency_code="17.02").first().village_code
    response = post_create(client_as("kabupaten_officer"), village_code=outsider_village)
    assert "di luar wilayah tugas Anda" in response.content.decode()
    assert Posyandu.objects.count() == before


def test_it_refuses_a_kecamatan_code_where_a_village_is_needed(client_as):
    response = post_create(client_as("kabupaten_officer"), village_code="17.71.02")
    assert "bukan wilayah tingkat yang diminta" in response.content.decode()


def test_it_refuses_a_duplicate_registration_number(client_as):
    taken = Posyandu.objects.filter(region_code="17.71.02.1001").exclude(registration_number="").first()
    before = Posyandu.objects.count()
    response = post_create(client_as("kabupaten_officer"), registration_number=taken.registration_number)
    assert "Nomor registrasi ini sudah dipakai Posyandu lain." in response.content.decode()
    assert Posyandu.objects.count() == before


def test_it_refuses_a_registration_number_of_another_village(client_as):
    response = post_create(client_as("kabupaten_officer"), registration_number="17.71.01.1001.099")
    assert "harus diawali kode desa/kelurahan" in response.content.decode()


def test_a_read_only_user_gets_403_on_create_and_update(client_as):
    client = client_as("kecamatan_viewer")
    posyandu = Posyandu.objects.filter(district_code="17.71.02").first()
    assert client.get(reverse("posyandu:update", args=[posyandu.pk])).status_code == 403
    response = client.post(reverse("posyandu:update", args=[posyandu.pk]), {**VALID, "name": "Diubah"})
    assert response.status_code == 403
    posyandu.refresh_from_db()
    assert posyandu.name != "Diubah"
    assert post_create(client).status_code == 403


def test_a_forged_post_on_another_kabupatens_posyandu_is_404_and_changes_nothing(client_as, outsider_posyandu):
    client = client_as("kabupaten_officer")
    response = client.post(reverse("posyandu:update", args=[outsider_posyandu.pk]), {**VALID, "name": "Dipalsukan"})
    assert response.status_code == 404
    outsider_posyandu.refresh_from_db()
    assert outsider_posyandu.name != "Dipalsukan"


def test_a_village_operator_cannot_move_a_posyandu_to_the_next_village(client_as):
    client = client_as("village_operator")
    posyandu = Posyandu.objects.filter(region_code="17.71.02.1001").first()
    response = client.post(reverse("posyandu:update", args=[posyandu.pk]),
                           {**VALID, "village_code": "17.71.02.1002", "name": posyandu.name})
    assert "di luar wilayah tugas Anda" in response.content.decode()
    posyandu.refresh_from_db()
    assert posyandu.region_code == "17.71.02.1001"


def test_a_kader_cannot_create_a_new_posyandu_even_in_their_village(client_as):
    """Their write scope is one Posyandu; the re-check inside the transaction rolls back."""
    before = Posyandu.objects.count()
    client = client_as("kader")
    assert post_create(client).status_code == 403
    assert Posyandu.objects.count() == before
    assert reverse("posyandu:create") not in client.get(reverse("posyandu:list")).content.decode()


def test_the_rollback_guard_catches_a_write_the_form_let_through(client_as, monkeypatch):
    """Belt and braces: even if a form forgot to narrow a choice, the re-check inside the
    transaction refuses the write and leaves nothing behind."""
    from apps.regions.models import Region

    # Region choices stop being narrowed; Posyandu scoping (the re-check) stays real.
    monkeypatch.setattr(type(Region.objects.all()), "for_user", lambda self, *a, **k: self)
    before = Posyandu.objects.count()
    outsider_village = Posyandu.objects.filter(regency_code="17.02").first().village_code
    response = post_create(client_as("kabupaten_officer"), village_code=outsider_village, name="Bocor")
    assert response.status_code == 403
    assert Posyandu.objects.count() == before
    assert not Posyandu.objects.filter(name="Bocor").exists()


def test_kader_registration_refuses_a_second_active_bidang(client_as, demo_posyandu):
    client = client_as("pengurus")
    active = Kader.objects.filter(posyandu=demo_posyandu, end_date__isnull=True).first()
    other_field = SpmField.objects.exclude(pk=active.field_id).first()
    before = Kader.objects.count()
    response = client.post(reverse("posyandu:kader_create", args=[demo_posyandu.pk]), {
        "person": active.person_id, "role": "kader", "field": other_field.pk, "start_date": "2026-01-01",
    })
    assert "hanya melayani satu bidang" in response.content.decode()
    assert Kader.objects.count() == before


def test_kader_form_offers_no_person_of_another_kabupaten(client_as, demo_posyandu, outsider_posyandu):
    client = client_as("pengurus")
    outsider_person = outsider_posyandu.kader.first().person
    response = client.post(reverse("posyandu:kader_create", args=[demo_posyandu.pk]), {
        "person": outsider_person.pk, "role": "kader", "field": SpmField.objects.first().pk,
        "start_date": "2026-01-01",
    })
    assert response.status_code == 200
    assert "Pilih pilihan yang valid" in response.content.decode() or "valid" in response.content.decode()
    assert not Kader.objects.filter(person=outsider_person, posyandu=demo_posyandu).exists()


def test_posyandu_page_shows_its_kader_and_pengurus(client_as, demo_posyandu):
    body = client_as("kader").get(demo_posyandu.get_absolute_url()).content.decode()
    assert demo_posyandu.name in body
    for kader in demo_posyandu.kader.select_related("person")[:3]:
        assert kader.person.name in body
    assert "Ketua" in body


def test_list_filter_by_region_code_uses_the_same_filterset(client_as):
    client = client_as("kabupaten_officer")
    body = client.get(reverse("posyandu:list"), {"region": "17.71.02.1001"}).content.decode()
    names = set(Posyandu.objects.filter(region_code="17.71.02.1001").values_list("name", flat=True))
    assert all(name in body for name in names)
    other = Posyandu.objects.filter(district_code="17.71.05").values_list("registration_number", flat=True).first()
    assert other not in body


def test_list_pages_and_dates_speak_indonesian(client_as, demo_posyandu):
    body = client_as("kabupaten_officer").get(reverse("posyandu:list")).content.decode()
    assert "berikutnya" in body and ">\n                                next" not in body
    detail = client_as("kabupaten_officer").get(demo_posyandu.get_absolute_url()).content.decode()
    assert f"{demo_posyandu.sk_date.day} " in detail
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]
    assert f"{demo_posyandu.sk_date.day} {months[demo_posyandu.sk_date.month - 1]} {demo_posyandu.sk_date.year}" in detail
