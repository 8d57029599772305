"""The proposed agenda against a hand-built area: every source proposes what it should, and nothing
else (controls next to each case)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from apps.meetings import agenda
from apps.meetings.models import AgendaKind, Decision
from apps.meetings.tests.conftest import CITY, KELURAHAN, aware

pytestmark = pytest.mark.django_db
MAY, APRIL = dt.date(2031, 5, 1), dt.date(2031, 4, 1)
MEETING_DAY = dt.date(2031, 6, 15)


def put(posyandu: Any, code: str, period: dt.date, num: int, den: int | None) -> None:
    from apps.reports.models import MonthlyValue
    from apps.reports.rollups import refresh
    from apps.reports.services import indicators_for

    MonthlyValue.objects.create(
        indicator=indicators_for(period)[code], posyandu=posyandu, period=period, sex="", numerator=num,
        denominator=den, province_code=posyandu.province_code, regency_code=posyandu.regency_code,
        district_code=posyandu.district_code, village_code=posyandu.village_code)
    refresh(period, [posyandu.village_code])  # written directly: its areas' roll-ups too


@pytest.fixture
def two_posyandu(db: Any) -> tuple[Any, Any]:
    from apps.posyandu.models import Posyandu

    first, second = Posyandu.objects.filter(region_code__startswith=CITY + ".").order_by("pk")[:2]
    return first, second


def by_key(proposals: list[agenda.Proposal]) -> dict[str, agenda.Proposal]:
    return {p.key: p for p in proposals}


def test_it_proposes_an_indicator_lagging_its_target_from_pooled_parts(two_posyandu):
    a, b = two_posyandu
    # Mean of the Posyandu percentages is 83.3 % (above the 80 % target); the pooled value is 70 %.
    put(a, "DS", MAY, 10, 10)
    put(b, "DS", MAY, 60, 90)
    put(a, "DS", APRIL, 70, 100)
    found = by_key(agenda.indicator_proposals(CITY, MAY))
    proposal = found[f"indikator:DS:{CITY}"]
    assert proposal.kind == AgendaKind.INDICATOR
    assert "70,0 %" in proposal.title and "di bawah target 80,0 %" in proposal.detail.lower()
    assert "memburuk" not in proposal.detail  # 70 % last month too: lagging only
    assert proposal.field_code == "kesehatan"


def test_it_proposes_a_worsened_indicator_in_its_own_direction(two_posyandu):
    a, b = two_posyandu
    put(a, "STUNTING", APRIL, 10, 100)   # 10 % → 20 %: a prevalence rising is worse
    put(a, "STUNTING", MAY, 20, 100)
    put(a, "WASTING", APRIL, 20, 100)    # 20 % → 10 %: better, not proposed
    put(a, "WASTING", MAY, 10, 100)
    put(b, "ND", APRIL, 800, 1000)       # 80,0 → 79,5 %: below the 1-point threshold
    put(b, "ND", MAY, 795, 1000)
    found = by_key(agenda.indicator_proposals(CITY, MAY))
    assert "Memburuk dari 10,0 %" in found[f"indikator:STUNTING:{CITY}"].detail
    assert f"indikator:WASTING:{CITY}" not in found
    assert f"indikator:ND:{CITY}" not in found


def test_indicators_of_another_area_are_not_proposed(two_posyandu, outsider_posyandu):
    put(outsider_posyandu, "DS", MAY, 1, 100)
    assert agenda.indicator_proposals(CITY, MAY) == []
    assert [p.key for p in agenda.indicator_proposals("17.02", MAY)] == ["indikator:DS:17.02"]


def _followup(region_code: str, due: dt.date, title: str, **kwargs: Any) -> Any:
    from apps.followups.services import create_followup
    from apps.regions.models import Region

    return create_followup(region=Region.objects.get(code=region_code), title=title, due_date=due,
                           owner_name="Ibu Ketua", acting_user=None, **kwargs)


def test_it_proposes_overdue_followups_of_the_area_only(make_meeting):
    overdue = _followup(KELURAHAN, MEETING_DAY - dt.timedelta(days=3), "Perbaiki MCK umum")
    _followup(KELURAHAN, MEETING_DAY + dt.timedelta(days=3), "Belum jatuh tempo")
    _followup("17.02", MEETING_DAY - dt.timedelta(days=3), "Di kabupaten lain")
    found = by_key(agenda.followup_proposals(CITY, MEETING_DAY, make_meeting()))
    assert list(found) == [f"tindak_lanjut:{overdue.pk}"]
    assert "Terlambat 3 hari" in found[f"tindak_lanjut:{overdue.pk}"].detail


def test_open_followups_of_earlier_meetings_are_carried_until_closed(make_meeting, city_team, officer):
    from apps.followups.models import FollowUpStatus
    from apps.followups.services import set_status

    earlier = make_meeting(aware(2031, 5, 10), title="Rakor Mei")
    decision = Decision.objects.create(meeting=earlier, text="Data RTLH dikumpulkan")
    carried = _followup(CITY, MEETING_DAY + dt.timedelta(days=20), "Kumpulkan data RTLH", source=decision)
    closed = _followup(CITY, MEETING_DAY + dt.timedelta(days=20), "Sudah selesai", source=decision)
    set_status(closed, FollowUpStatus.DONE, acting_user=officer, comment="Selesai")
    meeting = make_meeting()
    found = by_key(agenda.followup_proposals(CITY, MEETING_DAY, meeting))
    assert list(found) == [f"tindak_lanjut:{carried.pk}"]
    assert "Rakor Mei" in found[f"tindak_lanjut:{carried.pk}"].detail
    # A meeting of another team, or the earlier meeting itself, does not carry it.
    assert agenda.followup_proposals(CITY, MEETING_DAY, earlier) == []


def test_it_proposes_posyandu_whose_report_was_not_sent():
    from apps.posyandu.models import Posyandu
    from apps.regions.models import Region
    from apps.reports.models import MonthlyReport, ReportStatus

    Posyandu.objects.create(village=Region.objects.get(code=KELURAHAN), name="Posyandu Uji Laporan")
    posyandu = list(Posyandu.objects.filter(region_code=KELURAHAN, is_active=True).order_by("name"))
    MonthlyReport.objects.create(posyandu=posyandu[0], period=MAY, status=ReportStatus.SUBMITTED)
    MonthlyReport.objects.create(posyandu=posyandu[1], period=MAY, status=ReportStatus.DRAFT)
    found = agenda.report_proposals(KELURAHAN, MAY)
    assert len(found) == len(posyandu) - 1  # at a desa, one item per Posyandu
    assert all(posyandu[0].name not in p.detail for p in found)
    assert any(posyandu[1].name in p.detail for p in found)
    # At the kab/kota, one item per kecamatan: Gading Cempaka counts the sent one as sent.
    city = {p.key: p for p in agenda.report_proposals(CITY, MAY)}
    district = city[f"laporan:17.71.02:{MAY:%Y-%m}"]
    assert "Gading Cempaka" in district.title
    total = Posyandu.objects.filter(region_code__startswith="17.71.02.", is_active=True).count()
    assert f"{total - 1} dari {total} Posyandu" in district.detail


def test_it_proposes_referrals_past_their_feedback_date(demo_posyandu, persona):
    from decimal import Decimal

    from apps.people.models import Person
    from apps.serviceday import services
    from apps.serviceday.models import Visit

    kader = persona("kader")
    elder = Person(name="Lansia Uji", sex="L", birth_date=dt.date(1950, 1, 1), region=demo_posyandu.village,
                   posyandu=demo_posyandu)
    elder.save()
    session = services.open_session(posyandu=demo_posyandu, date=dt.date(2026, 2, 2), acting_user=kader)
    recorded = services.record_visit(visit=Visit(session=session, posyandu=demo_posyandu, person=elder,
                                                 visit_date=session.date, weight_kg=Decimal("60"), systolic=170,
                                                 diastolic=100), acting_user=kader)
    referral = recorded.visit.referrals.get()
    services.decide_referral(referral=referral, refer=True, referred_to="Puskesmas", acting_user=kader,
                             on=dt.date(2026, 2, 2))
    found = agenda.referral_proposals("17.71.02", dt.date(2026, 6, 1))
    assert [p.key for p in found] == [f"rujukan:{KELURAHAN}"]
    assert found[0].detail.startswith("1 rujukan")
    assert "Lansia Uji" not in found[0].title + found[0].detail  # no person's name on an agenda
    assert agenda.referral_proposals("17.71.02", dt.date(2026, 2, 3)) == []  # not yet due


def test_it_proposes_fields_without_programmes():
    keys = {p.key for p in agenda.programme_proposals(CITY, 2031)}
    assert f"program:tanpa:pendidikan:{CITY}:2031" in keys
    assert len([k for k in keys if k.startswith("program:tanpa:")]) == 6


def test_the_whole_agenda_uses_last_month_and_todays_overdue(two_posyandu, make_meeting):
    a, _ = two_posyandu
    put(a, "DS", MAY, 1, 10)
    meeting = make_meeting()
    keys = {p.key for p in agenda.proposals_for_meeting(meeting, MEETING_DAY)}
    assert f"indikator:DS:{CITY}" in keys
    assert any(k.startswith("laporan:") and k.endswith(":2031-05") for k in keys)
