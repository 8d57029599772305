"""Recording visits end to end on the database: results, referrals, validation, scope."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Assignment, User
from apps.core.scoping import CHANGE
from apps.people.models import Pregnancy
from apps.serviceday import services
from apps.serviceday.models import Referral, ReferralStatus, Visit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)




def visit(session_or_posyandu, person, day, user, **values):
    session = services.open_session(posyandu=session_or_posyandu, date=day, acting_user=user)
    v = Visit(session=session, posyandu=session.posyandu, person=person, visit_date=day, **values)
    return services.record_visit(visit=v, acting_user=user)


def test_a_balita_weighed_three_months_gets_2t_and_a_referral_proposal(resident, demo_posyandu, persona):
    kader = persona("kader")
    child = resident("Aisyah Putri", "P", dt.date(2024, 12, 5))
    for day, kg in [(dt.date(2026, 1, 10), "9.00"), (dt.date(2026, 2, 10), "9.10"), (DAY, "9.15")]:
        recorded = visit(demo_posyandu, child, day, kader, weight_kg=Decimal(kg), height_cm=Decimal("80.0"),
                         position="l")
    v = recorded.visit
    assert (v.stage, v.kms_status, v.two_t) == ("balita", "T", True)
    assert v.zwei is not None and v.bb_u
    assert recorded.referral is not None and "2T" in recorded.referral.reasons
    assert recorded.referral.status == ReferralStatus.PROPOSED


def test_first_weighing_is_b_and_proposes_nothing_when_all_is_well(resident, demo_posyandu, persona):
    child = resident("Budi Santoso", "L", dt.date(2025, 3, 1))
    recorded = visit(demo_posyandu, child, DAY, persona("kader"), weight_kg=Decimal("9.6"),
                     height_cm=Decimal("75.5"), position="l")
    assert recorded.visit.kms_status == "B"
    assert recorded.visit.bb_u == "berat badan normal"
    assert recorded.referral is None


def test_ibu_hamil_with_lila_22_is_kek_and_referred(resident, demo_posyandu, persona):
    mother = resident("Siti Rahmawati", "P", dt.date(1998, 4, 2))
    Pregnancy.objects.create(person=mother, lmp_date=DAY - dt.timedelta(weeks=20))
    recorded = visit(demo_posyandu, mother, DAY, persona("kader"), weight_kg=Decimal("52"), muac_cm=Decimal("22.0"),
                     systolic=110, diastolic=70, gestational_age_weeks=20)
    assert recorded.visit.stage == "ibu_hamil"
    assert recorded.visit.kek is True
    assert recorded.referral.reasons == ["kek"]


def test_lansia_with_160_over_100_is_hypertensive_and_referred(resident, demo_posyandu, persona):
    elder = resident("Bambang Hidayat", "L", dt.date(1955, 8, 17))
    recorded = visit(demo_posyandu, elder, DAY, persona("kader"), weight_kg=Decimal("61"), height_cm=Decimal("163"),
                     systolic=160, diastolic=100, adl_score=20)
    v = recorded.visit
    assert (v.stage, v.hypertension, v.dependent) == ("lansia", True, False)
    assert v.bmi == 23.0 and v.bmi_category == "normal"
    assert recorded.referral.reasons == ["hipertensi"]


def test_impossible_values_are_refused_and_nothing_is_saved(resident, demo_posyandu, persona):
    child = resident("Citra Lestari", "P", dt.date(2025, 1, 1))
    before = Visit.objects.count()
    with pytest.raises(ValidationError) as exc:
        visit(demo_posyandu, child, DAY, persona("kader"), weight_kg=Decimal("350"))
    assert "tidak mungkin" in str(exc.value)
    assert Visit.objects.count() == before


def test_a_male_contraception_method_is_refused_for_a_woman_on_every_save_path(resident, demo_posyandu, persona):
    """The check lives in record_visit, so the page, the API and anything else that saves a visit share it."""
    woman = resident("Dewi Anggraini", "P", dt.date(1995, 6, 1))
    before = Visit.objects.count()
    with pytest.raises(ValidationError) as exc:
        visit(demo_posyandu, woman, DAY, persona("kader"), contraception="mop")
    assert "metode KB untuk laki-laki" in exc.value.message_dict["contraception"][0]
    assert Visit.objects.count() == before
    assert visit(demo_posyandu, woman, DAY, persona("kader"), contraception="suntik").visit.contraception == "suntik"


def test_unusual_values_need_confirmation(resident, demo_posyandu, persona):
    child = resident("Dedi Pratama", "L", dt.date(2025, 1, 1))
    with pytest.raises(ValidationError, match="konfirmasi"):
        visit(demo_posyandu, child, DAY, persona("kader"), weight_kg=Decimal("45"))
    recorded = visit(demo_posyandu, child, DAY, persona("kader"), weight_kg=Decimal("45"), confirmed_unusual=True)
    assert recorded.visit.pk and recorded.warnings


def test_correcting_a_value_withdraws_a_proposal_that_no_longer_applies(resident, demo_posyandu, persona):
    elder = resident("Herman Siregar", "L", dt.date(1950, 1, 1))
    kader = persona("kader")
    recorded = visit(demo_posyandu, elder, DAY, kader, systolic=160, diastolic=100)
    assert recorded.referral
    v = recorded.visit
    v.systolic, v.diastolic = 128, 82
    again = services.record_visit(visit=v, acting_user=kader)
    assert again.referral is None and not Referral.objects.filter(visit=v).exists()


def test_a_kader_cannot_record_at_another_posyandu(resident, outsider_posyandu, persona):
    with pytest.raises(PermissionDenied):
        services.open_session(posyandu=outsider_posyandu, date=DAY, acting_user=persona("kader"))


def test_a_read_only_user_cannot_record(resident, demo_posyandu, persona):
    with pytest.raises(PermissionDenied):
        services.open_session(posyandu=demo_posyandu, date=DAY, acting_user=persona("kecamatan_viewer"))


def test_referral_is_tracked_until_feedback_and_listed_when_overdue(resident, demo_posyandu, persona):
    kader = persona("kader")
    elder = resident("Iwan Kusuma", "L", dt.date(1952, 5, 5))
    referral = visit(demo_posyandu, elder, DAY, kader, systolic=170, diastolic=105).referral
    services.decide_referral(referral=referral, refer=True, referred_to="Puskesmas Padang Harapan",
                             acting_user=kader, on=DAY)
    assert referral.feedback_due == DAY + dt.timedelta(days=14)
    overdue = services.overdue_referrals(Referral.objects.for_user(kader), DAY + dt.timedelta(days=15))
    assert referral in overdue
    services.record_feedback(referral=referral, feedback="Diberi amlodipin, kontrol 1 bulan", on=DAY, acting_user=kader)
    assert referral not in services.overdue_referrals(Referral.objects.all(), DAY + dt.timedelta(days=15))
    assert referral.history.count() == 3  # proposed, referred, answered: who and when for each


def test_roster_lists_balita_and_ibu_hamil_first(resident, demo_posyandu, persona):
    child = resident("Eko Saputra", "L", dt.date(2024, 6, 1))
    session = services.open_session(posyandu=demo_posyandu, date=DAY, acting_user=persona("kader"))
    rows = services.roster(session)
    assert rows[0][0] == child and rows[0][1] == "balita"


def test_saving_a_visit_again_after_the_decision_does_not_propose_twice(resident, demo_posyandu, persona):
    kader = persona("kader")
    elder = resident("Ridwan Nasution", "L", dt.date(1951, 3, 3))
    recorded = visit(demo_posyandu, elder, DAY, kader, systolic=165, diastolic=100)
    services.decide_referral(referral=recorded.referral, refer=True, referred_to="Puskesmas", acting_user=kader, on=DAY)
    v = recorded.visit
    v.notes = "diperiksa ulang"
    services.record_visit(visit=v, acting_user=kader)
    assert Referral.objects.filter(visit=v).count() == 1


def test_a_person_who_moves_keeps_their_history_for_the_new_posyandu(resident, demo_posyandu, persona):
    from apps.posyandu.models import Posyandu

    kader = persona("kader")
    child = resident("Fitri Hasibuan", "P", dt.date(2025, 1, 20))
    old = visit(demo_posyandu, child, DAY, kader, weight_kg=Decimal("8.6"), height_cm=Decimal("73"), position="l").visit
    neighbour = Posyandu.objects.filter(district_code=demo_posyandu.district_code).exclude(pk=demo_posyandu.pk).first()
    assert neighbour is not None
    child.posyandu = neighbour
    child.save()
    other_kader = User.objects.create(username="kader.tetangga", role="kader")
    Assignment.objects.create(user=other_kader, posyandu=neighbour, can_write=True)
    assert Visit.objects.for_user(other_kader).filter(pk=old.pk).exists()  # history follows the person
    assert not Visit.objects.for_user(other_kader, CHANGE).filter(pk=old.pk).exists()  # not theirs to edit
    assert Visit.objects.for_user(kader).filter(pk=old.pk).exists()  # and stays with the old Posyandu


def test_a_late_earlier_weighing_updates_the_later_kms_status(resident, demo_posyandu, persona):
    kader = persona("kader")
    child = resident("Gilang Kurniawan", "L", dt.date(2025, 1, 5))
    march = visit(demo_posyandu, child, dt.date(2026, 3, 10), kader, weight_kg=Decimal("9.50")).visit
    assert march.kms_status == "B"  # first weighing known so far
    from apps.reports.models import StaleMonth

    StaleMonth.objects.all().delete()  # as after the job's run
    visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.45"))  # entered late
    march.refresh_from_db()
    assert march.kms_status == "T"  # 50 g is below the KBM of 200 g
    # Both months' report values are recomputed: February's new visit and March's changed N/T.
    assert set(StaleMonth.objects.values_list("period", flat=True)) == {dt.date(2026, 2, 1), dt.date(2026, 3, 1)}


def test_a_late_weighing_leaves_a_later_visit_in_a_sent_month_as_it_was(resident, demo_posyandu, persona):
    from apps.reports.approval import report_for, submit

    kader = persona("kader")
    child = resident("Gilang Saputra", "L", dt.date(2025, 1, 5))
    march = visit(demo_posyandu, child, dt.date(2026, 3, 10), kader, weight_kg=Decimal("9.50")).visit
    submit(report=report_for(demo_posyandu, march.visit_date), acting_user=kader)
    visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.45"))  # entered late
    march.refresh_from_db()
    assert march.kms_status == "B"  # the sent March report keeps what it said (T once reopened and saved)


def test_correcting_a_weighing_withdraws_a_2t_proposal_after_it(resident, demo_posyandu, persona):
    kader = persona("kader")
    child = resident("Hana Oktaviani", "P", dt.date(2024, 12, 1))
    jan = visit(demo_posyandu, child, dt.date(2026, 1, 10), kader, weight_kg=Decimal("9.00")).visit
    visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.05"))
    mar = visit(demo_posyandu, child, dt.date(2026, 3, 10), kader, weight_kg=Decimal("9.10"))
    assert mar.visit.two_t and "2T" in mar.referral.reasons
    feb = Visit.objects.get(person=child, visit_date=dt.date(2026, 2, 10))
    feb.weight_kg = Decimal("8.80")  # a typing error corrected
    services.record_visit(visit=feb, acting_user=kader)
    mar_visit = Visit.objects.get(pk=mar.visit.pk)
    assert (mar_visit.kms_status, mar_visit.two_t) == ("N", False)  # 8.80 → 9.10 is +300 g
    assert not Referral.objects.filter(visit=mar_visit, status=ReferralStatus.PROPOSED).exists()
    assert jan.pk  # January untouched


# --- The referral triggers DOMAIN.md adds: T, overweight, head, LILA, TBC, development, PUMA -------


def test_a_single_t_proposes_a_referral_and_an_n_does_not(resident, demo_posyandu, persona):
    kader = persona("kader")
    child = resident("Indah Permata", "P", dt.date(2024, 12, 1))
    visit(demo_posyandu, child, dt.date(2026, 1, 10), kader, weight_kg=Decimal("9.00"))
    feb = visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.20"))  # +200 g = KBM: N
    assert feb.visit.kms_status == "N" and feb.referral is None
    mar = visit(demo_posyandu, child, DAY, kader, weight_kg=Decimal("9.39"))  # +190 g: T
    assert (mar.visit.kms_status, mar.visit.two_t) == ("T", False)
    assert mar.referral.reasons == ["T"]


@pytest.mark.parametrize(("sex", "age_days", "head", "lk_u", "reasons"), [
    ("P", 301, "41.5", "normal", []), ("P", 302, "41.5", "mikrosefali", ["mikrosefali"]),
    ("L", 301, "47.9", "normal", []), ("L", 308, "48.0", "makrosefali", ["makrosefali"])])
def test_head_circumference_beyond_2_sd_proposes_a_referral(resident, demo_posyandu, persona, sex, age_days, head,
                                                            lk_u, reasons):
    baby = resident("Bayi Lingkar", sex, DAY - dt.timedelta(days=age_days))
    recorded = visit(demo_posyandu, baby, DAY, persona("kader"), head_circ_cm=Decimal(head))
    assert recorded.visit.lk_u == lk_u and abs(recorded.visit.zhc) in (2.0, 2.01)
    assert (recorded.referral.reasons if recorded.referral else []) == reasons


def test_an_implausible_head_z_gets_no_category_and_no_referral(resident, demo_posyandu, persona):
    baby = resident("Bayi Salah Ukur", "P", DAY - dt.timedelta(days=301))
    recorded = visit(demo_posyandu, baby, DAY, persona("kader"), head_circ_cm=Decimal("30.0"), confirmed_unusual=True)
    assert recorded.visit.z_flagged and recorded.visit.zhc < -5
    assert recorded.visit.lk_u == "" and recorded.referral is None


def _born_months_before(months: int) -> dt.date:
    index = DAY.year * 12 + DAY.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, DAY.day)  # exactly `months` completed months on DAY


@pytest.mark.parametrize(("months", "muac", "red"), [
    (6, "11.4", True), (6, "11.5", False), (59, "11.4", True), (59, "11.5", False), (5, "11.4", None),
    (60, "11.4", None)])
def test_lila_red_band_at_6_and_59_months_and_not_outside(resident, demo_posyandu, persona, months, muac, red):
    child = resident("Anak Lila", "L", _born_months_before(months))
    recorded = visit(demo_posyandu, child, DAY, persona("kader"), muac_cm=Decimal(muac), confirmed_unusual=True)
    assert recorded.visit.age_months == months and recorded.visit.muac_red is red
    assert ("lila_merah" in (recorded.referral.reasons if recorded.referral else [])) is bool(red)


@pytest.mark.parametrize(("development", "referred"), [("sesuai", False), ("meragukan", True),
                                                        ("penyimpangan", True)])
def test_a_development_screening_not_sesuai_proposes_a_referral(resident, demo_posyandu, persona, development,
                                                                referred):
    child = resident("Anak Kpsp", "P", dt.date(2024, 9, 1))
    recorded = visit(demo_posyandu, child, DAY, persona("kader"), development=development)
    assert (recorded.referral is not None and recorded.referral.reasons == ["perkembangan"]) is referred


@pytest.mark.parametrize(("answers", "referred"), [
    ({"tbc_cough": True, "tbc_fever": False, "tbc_weight": False, "tbc_contact": False}, False),
    ({"tbc_cough": True, "tbc_fever": False, "tbc_weight": False, "tbc_contact": True}, True)])
def test_two_tbc_symptoms_of_an_adult_propose_a_referral(resident, demo_posyandu, persona, answers, referred):
    adult = resident("Joko Susilo", "L", dt.date(1985, 2, 2))
    recorded = visit(demo_posyandu, adult, DAY, persona("kader"), **answers)
    assert recorded.visit.tbc_symptoms == (2 if referred else 1)
    assert (recorded.referral is not None and recorded.referral.reasons == ["tbc"]) is referred


def test_a_child_weighed_2t_with_a_cough_is_a_tbc_suspect_whatever_the_weight_answer(resident, demo_posyandu, persona):
    kader = persona("kader")
    child = resident("Kiki Amelia", "P", dt.date(2024, 12, 5))
    visit(demo_posyandu, child, dt.date(2026, 1, 10), kader, weight_kg=Decimal("9.00"))
    visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.10"))
    recorded = visit(demo_posyandu, child, DAY, kader, weight_kg=Decimal("9.15"), tbc_cough=True, tbc_fever=False,
                     tbc_weight=False, tbc_contact=False)
    v = recorded.visit
    assert v.two_t and v.tbc_weight is False and v.tbc_weight_effective is True and v.tbc_symptoms == 2
    assert recorded.referral.reasons == ["2T", "tbc"]


def test_a_late_weighing_that_makes_a_2t_also_makes_the_tbc_screening_positive(resident, demo_posyandu, persona):
    """The weight item follows the KMS when an earlier weighing is entered late (_refresh_later_kms)."""
    kader = persona("kader")
    child = resident("Lukman Hakim", "L", dt.date(2024, 12, 5))
    visit(demo_posyandu, child, dt.date(2026, 1, 10), kader, weight_kg=Decimal("9.00"))
    mar = visit(demo_posyandu, child, DAY, kader, weight_kg=Decimal("9.15"), tbc_cough=True, tbc_fever=False,
                tbc_contact=False)
    assert mar.visit.kms_status == "O" and mar.referral is None  # February unknown: one symptom
    visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.10"))  # entered late: T, then 2T
    again = Visit.objects.get(pk=mar.visit.pk)
    assert again.two_t and again.tbc_symptoms == 2
    assert again.referrals.get().reasons == ["2T", "tbc"]


PUMA_YES = {"puma_cigarettes_per_day": 20, "puma_smoking_years": 25, "puma_short_breath": True, "puma_phlegm": True,
            "puma_cough": False, "puma_spirometry": False}


@pytest.mark.parametrize(("birth", "phlegm", "score", "referred"), [
    # A man (1) of 55 (1) with 25 pack-years (1), breathless (1) = 4, with phlegm 5: no referral.
    (dt.date(1970, 6, 1), True, 5, False),
    # The same at 61 (2): 6, a referral.
    (dt.date(1964, 6, 1), True, 6, True),
])
def test_puma_score_is_computed_for_a_smoker_over_40_and_6_proposes_a_referral(resident, demo_posyandu, persona,
                                                                              birth, phlegm, score, referred):
    smoker = resident("Made Wirawan", "L", birth)
    recorded = visit(demo_posyandu, smoker, DAY, persona("kader"), smoker=True, **{**PUMA_YES, "puma_phlegm": phlegm})
    assert recorded.visit.puma_score == score
    assert (recorded.referral is not None and recorded.referral.reasons == ["puma"]) is referred


@pytest.mark.parametrize(("birth", "smoker", "message"), [
    (dt.date(1986, 3, 11), True, "berusia 40 tahun ke atas; orang ini berusia 39 tahun"),  # 40 tomorrow
    (dt.date(1970, 1, 1), False, "hanya untuk perokok"),
    (dt.date(1970, 1, 1), None, "hanya untuk perokok"),
])
def test_puma_is_refused_for_anyone_but_a_smoker_aged_40_or_more(resident, demo_posyandu, persona, birth, smoker,
                                                                 message):
    person = resident("Nyoman Sudarsa", "L", birth)
    before = Visit.objects.count()
    with pytest.raises(ValidationError) as exc:
        visit(demo_posyandu, person, DAY, persona("kader"), smoker=smoker, **PUMA_YES)
    assert message in exc.value.message_dict["puma_cigarettes_per_day"][0]
    assert Visit.objects.count() == before


def test_the_day_someone_turns_40_the_puma_is_theirs(resident, demo_posyandu, persona):
    person = resident("Wayan Sukarta", "L", dt.date(1986, 3, 10))
    recorded = visit(demo_posyandu, person, DAY, persona("kader"), smoker=True, **PUMA_YES)
    assert recorded.visit.puma_score == 4  # man 1, age 40-49 0, 25 pack-years 1, breathless 1, phlegm 1


def test_an_incomplete_puma_names_each_missing_answer(resident, demo_posyandu, persona):
    smoker = resident("Putu Arsana", "L", dt.date(1970, 1, 1))
    answers = {**PUMA_YES, "puma_cough": None, "puma_smoking_years": None}
    with pytest.raises(ValidationError) as exc:
        visit(demo_posyandu, smoker, DAY, persona("kader"), smoker=True, **answers)
    assert set(exc.value.message_dict) == {"puma_cough", "puma_smoking_years"}
    assert "Wajib diisi" in exc.value.message_dict["puma_cough"][0]


def test_puma_smoking_longer_than_a_lifetime_is_refused(resident, demo_posyandu, persona):
    smoker = resident("Ketut Budiarta", "L", dt.date(1980, 1, 1))
    with pytest.raises(ValidationError) as exc:
        visit(demo_posyandu, smoker, DAY, persona("kader"), smoker=True, **{**PUMA_YES, "puma_smoking_years": 50})
    assert "melebihi umurnya (46 tahun)" in exc.value.message_dict["puma_smoking_years"][0]
