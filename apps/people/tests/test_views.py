import pytest
from django.urls import reverse

from apps.people.models import Person

pytestmark = pytest.mark.django_db

VALID = {"name": "Rina Marlina", "nik": "1771024512900003", "sex": "P", "birth_date": "1990-12-05",
         "village_code": "17.71.02.1001"}


def test_registering_a_person_with_a_consistent_nik(client_as):
    response = client_as("village_operator").post(reverse("people:create"), VALID, follow=True)
    person = Person.objects.get(nik=VALID["nik"])
    assert person.district_code == "17.71.02"
    assert "Periksa NIK" not in response.content.decode()


def test_a_nik_that_disagrees_is_saved_with_a_warning(client_as):
    data = {**VALID, "nik": "1771020512900003"}  # day not +40 for a woman
    response = client_as("village_operator").post(reverse("people:create"), data, follow=True)
    assert Person.objects.filter(nik=data["nik"]).exists()
    assert "Periksa NIK: Jenis kelamin tidak cocok" in response.content.decode()


def test_a_duplicate_nik_is_refused_in_indonesian(client_as):
    taken = Person.objects.filter(region_code="17.71.02.1001").exclude(nik="").first().nik
    before = Person.objects.count()
    response = client_as("village_operator").post(reverse("people:create"), {**VALID, "nik": taken})
    assert "NIK ini sudah terdaftar untuk orang lain." in response.content.decode()
    assert Person.objects.count() == before


def test_a_nik_with_fifteen_digits_is_refused(client_as):
    response = client_as("village_operator").post(reverse("people:create"), {**VALID, "nik": "177102451290000"})
    assert "NIK harus 16 angka." in response.content.decode()


def test_the_list_masks_nik(client_as):
    person = Person.objects.filter(region_code="17.71.02.1001").exclude(nik="").first()
    body = client_as("village_operator").get(reverse("people:list"), {"q": person.name}).content.decode()
    assert person.masked_nik in body
    assert person.nik not in body


def test_a_probable_duplicate_must_be_confirmed(client_as):
    existing = Person.objects.filter(region_code="17.71.02.1001", birth_date__isnull=False).first()
    variant = existing.name + "h"  # a spelling variant, same birth date
    data = {**VALID, "nik": "", "name": variant, "sex": existing.sex,
            "birth_date": existing.birth_date.isoformat()}
    client = client_as("village_operator")
    body = client.post(reverse("people:create"), data).content.decode()
    assert "Mungkin sudah terdaftar" in body and existing.name in body
    assert not Person.objects.filter(name=variant).exists()
    client.post(reverse("people:create"), {**data, "not_a_duplicate": "on"})
    assert Person.objects.filter(name=variant).exists()


def test_a_child_is_linked_to_the_mother_and_moving_away_needs_a_date(client_as):
    mother = Person.objects.filter(region_code="17.71.02.1001", sex="P").first()
    client = client_as("village_operator")
    child = {**VALID, "nik": "", "name": "Putri Kecil", "birth_date": "2025-06-01", "mother": mother.pk}
    client.post(reverse("people:create"), child)
    created = Person.objects.get(name="Putri Kecil")
    assert created.mother == mother
    body = client.post(reverse("people:update", args=[created.pk]), {**child, "status": "pindah"}).content.decode()
    assert "Isi tanggal pindah atau meninggal." in body


def test_a_household_is_registered_and_listed_with_a_masked_kk(client_as, demo_posyandu):
    from apps.people.models import Household

    client = client_as("village_operator")
    response = client.post(reverse("people:household_create"), {
        "kk_number": "1771020101250007", "head_name": "Agus Setiawan", "village_code": "17.71.02.1001",
        "rw": "02", "rt": "05", "posyandu": demo_posyandu.pk})
    household = Household.objects.get(kk_number="1771020101250007")
    assert response["Location"] == household.get_absolute_url()
    listing = client.get(reverse("people:households")).content.decode()
    assert "Agus Setiawan" in listing and "177102••••••••••" in listing and "1771020101250007" not in listing
    duplicate = client.post(reverse("people:household_create"), {
        "kk_number": "1771020101250007", "head_name": "Lain", "village_code": "17.71.02.1001"}).content.decode()
    assert "Nomor KK ini sudah terdaftar." in duplicate


def test_recording_a_pregnancy_derives_the_due_date_and_makes_her_ibu_hamil(client_as):
    import datetime as dt

    from apps.people.models import Pregnancy
    from apps.serviceday.services import stage_for

    woman = Person.objects.filter(region_code="17.71.02.1001", sex="P").first()
    client = client_as("village_operator")
    response = client.post(reverse("people:pregnancy_create", args=[woman.pk]), {"lmp_date": "2026-01-05"})
    assert response.status_code == 302
    pregnancy = Pregnancy.objects.get(person=woman)
    assert pregnancy.due_date == dt.date(2026, 10, 12)  # HPHT + 280 days
    assert stage_for(woman, dt.date(2026, 3, 10)) == "ibu_hamil"
    man = Person.objects.filter(region_code="17.71.02.1001", sex="L").first()
    body = client.post(reverse("people:pregnancy_create", args=[man.pk]), {"lmp_date": "2026-01-05"}).content.decode()
    assert "hanya dicatat untuk perempuan" in body
    assert client_as("kecamatan_viewer").get(reverse("people:pregnancy_create", args=[woman.pk])).status_code == 403
