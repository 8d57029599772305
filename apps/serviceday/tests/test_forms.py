"""The visit form's WUS part (contraception in use, Td/TT doses) and its screenings (TBC for every
group, PUMA for smokers aged 40+, vision and hearing for adults), with their validation."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.people.models import Person, Pregnancy
from apps.serviceday import services
from apps.serviceday.immunisation import td_interval_error, vaccine_choices, wus_dose_code
from apps.serviceday.models import Contraception, Immunisation, Visit, contraception_error, is_wus

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def person(resident):
    return resident


@pytest.fixture
def visit_of(client_as, demo_posyandu, persona):
    def make(someone, day=DAY):
        session = services.open_session(posyandu=demo_posyandu, date=day, acting_user=persona("kader"))
        client_as("kader").post(reverse("serviceday:register", args=[session.pk]), {"person": someone.pk})
        return Visit.objects.get(session=session, person=someone)
    return make


def test_a_woman_of_reproductive_age_is_asked_her_contraception_and_offered_td(client_as, person, visit_of):
    woman = visit_of(person("Lina Marlina", "P", dt.date(1996, 3, 10)))
    page = client_as("kader").get(woman.get_absolute_url()).content.decode()
    assert 'name="contraception"' in page and "— tidak ditanyakan —" in page and "MOP/vasektomi" in page
    assert "Imunisasi Td/TT diberikan hari ini" in page and 'value="TT1"' in page
    assert 'value="BCG"' not in page


@pytest.mark.parametrize(("sex", "birth"), [("L", dt.date(1990, 1, 1)),   # a man
                                            ("P", dt.date(1976, 3, 9)),   # 50 years old
                                            ("P", dt.date(2011, 3, 11))])  # 14 years old
def test_others_are_not_asked(client_as, person, visit_of, sex, birth):
    visit = visit_of(person("Orang Lain", sex, birth))
    page = client_as("kader").get(visit.get_absolute_url()).content.decode()
    assert 'name="contraception"' not in page and 'value="TT1"' not in page


def test_a_pregnant_woman_is_offered_td_but_not_asked_contraception(client_as, person, visit_of):
    mother = person("Ani Hamil", "P", dt.date(1998, 1, 1))
    Pregnancy.objects.create(person=mother, lmp_date=DAY - dt.timedelta(weeks=12))
    visit = visit_of(mother)
    assert visit.stage == "ibu_hamil"
    page = client_as("kader").get(visit.get_absolute_url()).content.decode()
    assert 'value="TT1"' in page and 'name="contraception"' not in page


def test_contraception_and_a_td_dose_are_saved_and_shown_next_time(client_as, person, visit_of):
    woman = person("Lina Marlina", "P", dt.date(1996, 3, 10))
    visit = visit_of(woman)
    client = client_as("kader")
    response = client.post(visit.get_absolute_url(), {"muac_cm": "24,0", "contraception": "suntik",
                                                      "vaccines": ["TT1"]})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.contraception == Contraception.INJECTION and visit.step_served
    assert Immunisation.objects.get(person=woman).vaccine == "TT1"
    later = visit_of(woman, DAY + dt.timedelta(days=35))
    page = client.get(later.get_absolute_url()).content.decode()
    assert "Terakhir: Suntik (10/03/2026)" in page
    assert 'value="TT1"' not in page and 'value="TT2"' in page
    assert visit.history.filter(contraception="suntik").exists()


def test_mop_is_refused_for_a_woman_with_a_clear_message(client_as, person, visit_of):
    visit = visit_of(person("Lina Marlina", "P", dt.date(1996, 3, 10)))
    body = client_as("kader").post(visit.get_absolute_url(), {"contraception": "mop"}).content.decode()
    assert "MOP/vasektomi adalah metode KB untuk laki-laki." in body
    visit.refresh_from_db()
    assert visit.contraception == ""


def test_two_td_doses_or_a_dose_too_soon_are_refused(client_as, person, visit_of):
    woman = person("Lina Marlina", "P", dt.date(1996, 3, 10))
    Immunisation.objects.create(person=woman, vaccine="TT1", given_on=DAY - dt.timedelta(days=20))
    visit = visit_of(woman)
    client = client_as("kader")
    body = client.post(visit.get_absolute_url(), {"vaccines": ["TT2", "TT3"]}).content.decode()
    assert "Hanya satu dosis Td/TT yang dapat diberikan pada satu kunjungan." in body
    body = client.post(visit.get_absolute_url(), {"vaccines": ["TT2"]}).content.decode()
    assert "Td/TT 2 paling cepat 4 minggu setelah Td/TT 1 (18/02/2026), yaitu mulai 18/03/2026." in body
    assert Immunisation.objects.filter(person=woman).count() == 1


def test_the_contraception_rule_by_sex():
    assert "untuk laki-laki" in contraception_error("mop", "P")
    assert "untuk perempuan" in contraception_error("iud", "L")
    assert contraception_error("mop", "L") is None and contraception_error("kondom", "P") is None
    assert contraception_error("kondom", "L") is None and contraception_error("tidak_kb", "L") is None
    man = Person(name="Pak Budi", sex="L")
    with pytest.raises(ValidationError) as raised:
        Visit(person=man, contraception="pil").clean()
    assert "Pil adalah metode KB untuk perempuan" in raised.value.message_dict["contraception"][0]


def test_wus_is_15_to_49_years():
    on = dt.date(2026, 3, 10)
    assert not is_wus("P", dt.date(2011, 3, 11), on)  # one day short of 15
    assert is_wus("P", dt.date(2011, 3, 10), on)
    assert is_wus("P", dt.date(1976, 3, 11), on)  # 49 until tomorrow
    assert not is_wus("P", dt.date(1976, 3, 10), on)  # 50 today
    assert not is_wus("L", dt.date(1990, 1, 1), on) and not is_wus("P", None, on)


def test_td_doses_are_data_and_their_intervals_are_checked():
    codes = [c for c, _ in vaccine_choices()]
    assert codes[-5:] == ["TT1", "TT2", "TT3", "TT4", "TT5"] and "BCG" in codes
    assert [wus_dose_code(v) for v in ("TT2", "Td 2", "td3", "BCG", "TT9")] == ["TT2", "TT2", "TT3", None, None]
    given = {"Td2": dt.date(2025, 1, 1)}
    assert "6 bulan" in td_interval_error("TT3", dt.date(2025, 6, 30), given)
    assert td_interval_error("TT3", dt.date(2025, 7, 2), given) is None
    assert td_interval_error("TT3", dt.date(2025, 1, 2), {}) is None  # T2 status from screening, no date


# --- Screenings: TBC for everyone, PUMA for smokers aged 40 and over, vision and hearing ----------


@pytest.mark.parametrize(("sex", "birth", "puma", "senses"), [
    ("P", dt.date(2025, 1, 1), False, False),   # a balita
    ("L", dt.date(2014, 1, 1), False, False),   # a school child
    ("L", dt.date(1986, 3, 11), False, True),   # 39 until tomorrow
    ("L", dt.date(1986, 3, 10), True, True),    # 40 today
    ("P", dt.date(1950, 1, 1), True, True),     # a lansia
])
def test_tbc_questions_for_everyone_puma_only_from_40(client_as, person, visit_of, sex, birth, puma, senses):
    visit = visit_of(person("Orang Diskrining", sex, birth))
    page = client_as("kader").get(visit.get_absolute_url()).content.decode()
    assert 'name="tbc_cough"' in page and 'name="tbc_contact"' in page and "Batuk terus-menerus" in page
    assert ('name="puma_cigarettes_per_day"' in page) is puma
    assert ('data-show-when="smoker:1"' in page) is puma  # shown when "merokok" is Ya
    assert ('name="vision_right"' in page and 'name="hearing_left"' in page) is senses


def test_a_balita_is_told_the_weight_item_comes_from_the_kms(client_as, person, visit_of):
    visit = visit_of(person("Balita Kms", "P", dt.date(2025, 1, 1)))
    page = client_as("kader").get(visit.get_absolute_url()).content.decode()
    assert "dibaca dari KMS (2T = ya, N = tidak)" in page


PUMA_FORM = {"puma_cigarettes_per_day": "20", "puma_smoking_years": "25", "puma_short_breath": "1",
             "puma_phlegm": "1", "puma_cough": "0", "puma_spirometry": "0"}


def test_a_smokers_puma_and_tbc_screening_are_scored_and_shown(client_as, person, visit_of):
    smoker = person("Made Wirawan", "L", dt.date(1964, 6, 1))  # 61: 2 points for age
    visit = visit_of(smoker)
    client = client_as("kader")
    response = client.post(visit.get_absolute_url(), {"smoker": "1", **PUMA_FORM, "tbc_cough": "1", "tbc_fever": "1",
                                                      "tbc_weight": "0", "tbc_contact": "0",
                                                      "vision_left": "tidak_normal"}, follow=True)
    body = response.content.decode()
    visit.refresh_from_db()
    assert (visit.puma_score, visit.tbc_symptoms, visit.vision_left) == (6, 2, "tidak_normal")
    assert "Skor PUMA: 6" in body and "Gejala TBC: 2 dari 4" in body and "Mata kiri: Tidak normal" in body
    assert "Skor PUMA tinggi" in body and "Terduga TBC" in body  # the referral proposal's reasons


def test_puma_answers_of_a_non_smoker_are_not_kept_and_the_kader_is_told(client_as, person, visit_of):
    adult = person("Nyoman Sudarsa", "L", dt.date(1970, 1, 1))
    visit = visit_of(adult)
    response = client_as("kader").post(visit.get_absolute_url(), {"smoker": "0", **PUMA_FORM}, follow=True)
    visit.refresh_from_db()
    assert visit.smoker is False and visit.puma_cigarettes_per_day is None and visit.puma_score is None
    assert "Jawaban kuesioner PUMA tidak disimpan: PUMA hanya untuk perokok." in response.content.decode()


def test_an_incomplete_puma_is_refused_on_the_form(client_as, person, visit_of):
    visit = visit_of(person("Putu Arsana", "L", dt.date(1970, 1, 1)))
    form = {**PUMA_FORM, "puma_cough": ""}
    body = client_as("kader").post(visit.get_absolute_url(), {"smoker": "1", **form}).content.decode()
    assert "Wajib diisi untuk kuesioner PUMA." in body
    visit.refresh_from_db()
    assert visit.puma_cigarettes_per_day is None


def test_saved_answers_show_again_and_survive_a_second_save(client_as, person, visit_of):
    """Ya/Tidak answers are shown as saved, so saving the page again untouched keeps them (and the PUMA)."""
    visit = visit_of(person("Made Wirawan", "L", dt.date(1964, 6, 1)))
    client = client_as("kader")
    client.post(visit.get_absolute_url(), {"smoker": "1", **PUMA_FORM, "tbc_cough": "0", "tbc_fever": "1"})
    response = client.get(visit.get_absolute_url())
    page = response.content.decode()
    assert '<option value="1" selected>Ya</option>' in page and '<option value="0" selected>Tidak</option>' in page
    # What the browser sends back for a form nobody touched: every field's shown value.
    untouched = {f.html_name: f.value() for f in response.context["form"] if f.value() not in (None, False, [])}
    assert client.post(visit.get_absolute_url(), untouched).status_code == 302
    visit.refresh_from_db()
    assert (visit.smoker, visit.tbc_cough, visit.tbc_fever, visit.puma_score) == (True, False, True, 6)
