from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.fieldregisters import rules
from apps.fieldregisters.models import (
    CaseStatus,
    EducationCase,
    FieldActivity,
    HousingCase,
    IncidentReport,
    SocialCase,
    WaterSanitationSurvey,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def test_age_is_in_completed_years():
    assert rules.age_on(dt.date(2020, 3, 11), DAY) == 5
    assert rules.age_on(dt.date(2020, 3, 10), DAY) == 6


@pytest.mark.parametrize(("area", "occupants", "uninhabitable"), [
    (Decimal("36.0"), 5, False),  # 7.2 m² per person: exactly the threshold is enough
    (Decimal("35.9"), 5, True),
    (None, None, False),
])
def test_floor_area_per_person_uses_the_threshold_from_the_data(area, occupants, uninhabitable):
    failed = rules.rtlh_failed_criteria(roof_ok=True, walls_ok=True, floor_ok=True, floor_area_m2=area,
                                        occupants=occupants, sanitation_ok=True)
    assert rules.rtlh_is_uninhabitable(failed) is uninhabitable
    assert rules.min_floor_area_per_person() == Decimal("7.2")


def test_a_house_gets_its_verdict_and_the_failed_criteria(demo_posyandu, make_household):
    house = HousingCase.objects.create(posyandu=demo_posyandu, household=make_household("Ahmad"), roof_ok=False,
                                       sanitation_ok=False, floor_area_m2=Decimal("30"), occupants=3)
    assert house.uninhabitable and house.failed_criteria == ["roof", "sanitation"]
    assert house.region_id == demo_posyandu.village_id and house.village_code == demo_posyandu.region_code
    house.roof_ok = house.sanitation_ok = True
    house.save()
    assert not house.uninhabitable and house.area_per_person == Decimal("10.0")


def test_water_and_sanitation_are_classified_from_the_data(demo_posyandu, make_household):
    survey = WaterSanitationSurvey.objects.create(
        posyandu=demo_posyandu, household=make_household("Budi"), water_source="sumur_bor", toilet_access="sendiri",
        toilet_type="leher_angsa", disposal="tangki_septik", wastewater="spal_tertutup")
    assert survey.safe_water and survey.proper_sanitation
    survey.water_source, survey.disposal = "sumur_tak_terlindung", "sungai"
    survey.save()
    assert not survey.safe_water and not survey.proper_sanitation


def test_a_thirty_year_old_is_not_an_out_of_school_child(demo_posyandu, make_person):
    adult = make_person("Dewi", "P", dt.date(1996, 1, 1))
    case = EducationCase(posyandu=demo_posyandu, kind="ats", person=adult, recorded_on=DAY,
                         out_of_school_reason="ekonomi")
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["person"] == [
        "Dewi berumur 30 tahun pada tanggal pencatatan; kategori ini untuk anak 7–18 tahun."]


def test_a_paud_entry_needs_a_child_of_five_or_six_and_the_answer(demo_posyandu, make_person):
    child = make_person("Sari", "P", dt.date(2020, 1, 1))
    case = EducationCase(posyandu=demo_posyandu, kind="paud", person=child, recorded_on=DAY)
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert "Isi apakah anak mengikuti PAUD." in exc.value.message_dict["in_paud"]
    case.in_paud = True
    case.full_clean()
    case.person = make_person("Bayi", "P", dt.date(2023, 1, 1))
    with pytest.raises(ValidationError):
        case.full_clean()


def test_a_person_without_birth_date_cannot_be_placed_in_an_age_band(demo_posyandu, make_person):
    case = EducationCase(posyandu=demo_posyandu, kind="ats", person=make_person("Tanpa Lahir", birth=None),
                         recorded_on=DAY, out_of_school_reason="ekonomi")
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert "Tanggal lahir Tanpa Lahir belum diisi" in str(exc.value)


def test_social_kinds_check_age_and_details(demo_posyandu, make_person):
    young = make_person("Rudi", "L", dt.date(1990, 1, 1))
    with pytest.raises(ValidationError) as exc:
        SocialCase(posyandu=demo_posyandu, kind="lansia_terlantar", person=young, recorded_on=DAY).full_clean()
    assert "lansia berumur 60 tahun ke atas" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        SocialCase(posyandu=demo_posyandu, kind="anak_terlantar", person=young, recorded_on=DAY).full_clean()
    assert "anak berumur di bawah 18 tahun" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        SocialCase(posyandu=demo_posyandu, kind="usulan_bansos", person=young, recorded_on=DAY).full_clean()
    assert "Pilih program bantuan" in str(exc.value)


def test_closing_a_case_stamps_the_date_and_reopening_clears_it(demo_posyandu, make_person):
    case = SocialCase.objects.create(posyandu=demo_posyandu, kind="kebutuhan_lain", person=make_person("Yani"),
                                     need="Kursi roda", recorded_on=DAY)
    assert case.closed_on is None
    case.status = CaseStatus.HANDLED
    case.save()
    assert case.closed_on is not None and case.is_closed
    case.status = CaseStatus.PROPOSED
    case.save()
    assert case.closed_on is None


def test_an_incident_needs_a_reporter_unless_anonymous(demo_posyandu):
    report = IncidentReport(posyandu=demo_posyandu, kind="kebakaran", occurred_on=DAY, recorded_on=DAY,
                            location="RT 02", description="Api di dapur")
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert "Isi nama pelapor" in str(exc.value)
    report.is_anonymous = True
    report.full_clean()
    report.occurred_on = DAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        report.full_clean()
    assert "tidak boleh sesudah tanggal pencatatan" in str(exc.value)


def test_an_activity_takes_its_field_from_its_kind(demo_posyandu):
    activity = FieldActivity.objects.create(posyandu=demo_posyandu, kind="literasi", held_on=DAY,
                                            title="Baca bersama", participants_male=4, participants_female=6)
    assert activity.field.code == "pendidikan" and activity.participants == 10
    activity.kind = "linmas"
    activity.save()
    assert activity.field.code == "trantibumlinmas"
