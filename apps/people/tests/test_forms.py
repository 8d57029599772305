"""The person form's marital status, spouse and children (the adult card; the WUS/PUS register)."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.people.models import MaritalStatus, Person, marital_errors

pytestmark = pytest.mark.django_db

ADULT = {"name": "Sri Mulyani", "nik": "", "sex": "P", "birth_date": "1993-05-17", "village_code": "17.71.02.1001",
         "not_a_duplicate": "on"}


def test_a_married_woman_is_saved_with_her_husband_and_children(client_as):
    client = client_as("village_operator")
    response = client.post(reverse("people:create"), {**ADULT, "marital_status": "kawin",
                                                      "spouse_name": "  Budi   Hartono ", "living_children": "2",
                                                      "deceased_children": "0"})
    person = Person.objects.get(name="Sri Mulyani")
    assert response["Location"] == person.get_absolute_url()
    assert (person.marital_status, person.spouse_name, person.living_children, person.deceased_children) == (
        MaritalStatus.MARRIED, "Budi Hartono", 2, 0)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Kawin · suami: Budi Hartono · anak hidup 2 · anak meninggal 0" in page
    assert person.history.first().marital_status == "kawin"  # audited like every other field


def test_a_spouse_name_for_someone_never_married_is_refused(client_as):
    body = client_as("village_operator").post(reverse("people:create"), {
        **ADULT, "marital_status": "belum_kawin", "spouse_name": "Budi"}).content.decode()
    assert "Nama suami/istri tidak diisi untuk orang yang belum kawin." in body
    assert not Person.objects.filter(name="Sri Mulyani").exists()


@pytest.mark.parametrize(("count", "message"), [("31", "Jumlah anak paling banyak 30; periksa kembali."),
                                                ("-1", "Jumlah anak tidak boleh negatif.")])
def test_children_counts_outside_0_to_30_are_refused(client_as, count, message):
    body = client_as("village_operator").post(reverse("people:create"), {
        **ADULT, "marital_status": "kawin", "living_children": count}).content.decode()
    assert message in body
    assert not Person.objects.filter(name="Sri Mulyani").exists()


def test_thirty_children_is_the_most_accepted(client_as):
    client_as("village_operator").post(reverse("people:create"), {**ADULT, "marital_status": "cerai_mati",
                                                                  "living_children": "30", "deceased_children": "30"})
    assert Person.objects.get(name="Sri Mulyani").living_children == 30


def test_a_young_child_has_no_marital_status(client_as):
    body = client_as("village_operator").post(reverse("people:create"), {
        **ADULT, "name": "Putri Kecil", "birth_date": "2020-01-01", "marital_status": "kawin",
        "spouse_name": "X", "living_children": "1"}).content.decode()
    assert "Status kawin dicatat untuk umur 10 tahun ke atas" in body
    assert "Jumlah anak tidak diisi untuk anak umur" in body
    assert not Person.objects.filter(name="Putri Kecil").exists()


def test_the_edit_form_asks_adults_only_and_keeps_the_village(client_as, demo_posyandu):
    child = Person(name="Raka Anak", sex="L", birth_date=dt.date(2022, 3, 1), region=demo_posyandu.village,
                   posyandu=demo_posyandu)
    child.save()
    adult = Person(name="Wati Dewasa", sex="P", birth_date=dt.date(1990, 3, 1), region=demo_posyandu.village,
                   posyandu=demo_posyandu, marital_status="kawin")
    adult.save()
    client = client_as("village_operator")
    child_form = client.get(reverse("people:update", args=[child.pk])).content.decode()
    adult_form = client.get(reverse("people:update", args=[adult.pk])).content.decode()
    assert 'name="marital_status"' not in child_form and 'name="spouse_name"' not in child_form
    assert 'name="marital_status"' in adult_form and 'data-adult-only="10"' in adult_form
    assert 'data-show-when="marital_status:kawin,cerai_hidup,cerai_mati"' in adult_form
    assert f'value="{demo_posyandu.village.code}"' in adult_form  # the village code is filled in on edit


def test_the_rule_allows_a_blank_status_and_a_widow_with_her_late_husbands_name():
    on = dt.date(2026, 11, 1)
    common = {"living_children": None, "deceased_children": None, "birth_date": dt.date(1970, 1, 1), "on": on}
    assert marital_errors(marital_status="", spouse_name="Budi", **common) == {}
    assert marital_errors(marital_status="cerai_mati", spouse_name="Budi (alm.)", **common) == {}
    assert set(marital_errors(marital_status="belum_kawin", spouse_name="Budi", **common)) == {"spouse_name"}
    nine = {**common, "birth_date": dt.date(2016, 11, 2)}
    ten = {**common, "birth_date": dt.date(2016, 11, 1)}
    assert set(marital_errors(marital_status="kawin", spouse_name="", **nine)) == {"marital_status"}
    assert marital_errors(marital_status="kawin", spouse_name="", **ten) == {}
