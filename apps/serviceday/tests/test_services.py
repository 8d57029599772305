"""Recording visits end to end on the database: results, referrals, validation, scope."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Assignment, User
from apps.core.scoping import CHANGE
from apps.people.models import Person, Pregnancy
from apps.serviceday import services
from apps.serviceday.models import Referral, ReferralStatus, Visit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def resident(demo_posyandu):
    def make(name, sex, birth, **extra):
        person = Person(name=name, sex=sex, birth_date=birth, region=demo_posyandu.village, posyandu=demo_posyandu,
                        **extra)
        person.save()
        return person
    return make


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
    visit(demo_posyandu, child, dt.date(2026, 2, 10), kader, weight_kg=Decimal("9.45"))  # entered late
    march.refresh_from_db()
    assert march.kms_status == "T"  # 50 g is below the KBM of 200 g


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
