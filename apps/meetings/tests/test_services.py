"""Decisions make follow-ups for the meeting's area; attendance and quick adds stay inside the
meeting and its area."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.meetings import services
from apps.meetings.agenda import Proposal
from apps.meetings.models import AgendaKind

pytestmark = pytest.mark.django_db


def test_a_decision_creates_a_followup_owned_by_the_opd_for_the_meeting_area(make_meeting, officer, opd):
    from apps.followups.models import FollowUp

    meeting = make_meeting()
    dinsos = opd("Dinsos")
    decision, followup = services.record_decision(
        meeting=meeting, text="Data fakir miskin diverifikasi ulang", acting_user=officer, owner_opd=dinsos,
        due_date=dt.date(2031, 7, 1), followup_title="Verifikasi data fakir miskin")
    followup = FollowUp.objects.get(pk=followup.pk)
    assert followup.source == decision
    assert followup.region == meeting.region and followup.region_code == "17.71"
    assert followup.owner_opd == dinsos and followup.due_date == dt.date(2031, 7, 1)
    assert followup.title == "Verifikasi data fakir miskin"
    assert services.followups_of([decision]) == {decision.pk: [followup]}


def test_a_decision_without_followup_makes_none(make_meeting, officer):
    from apps.followups.models import FollowUp

    before = FollowUp.objects.count()
    decision, followup = services.record_decision(meeting=make_meeting(), text="Rakor berikutnya bulan Juli",
                                                  acting_user=officer, create_followup=False)
    assert followup is None and decision.pk and FollowUp.objects.count() == before


def test_a_decision_refuses_an_opd_of_another_kabupaten(make_meeting, officer, opd):
    from apps.meetings.models import Decision

    with pytest.raises(ValidationError) as exc:
        services.record_decision(meeting=make_meeting(), text="X", acting_user=officer,
                                 owner_opd=opd("Dinsos", "17.02"))
    assert "wilayah rapat" in str(exc.value)
    assert not Decision.objects.filter(text="X").exists()


def test_a_read_only_user_cannot_decide(make_meeting, persona, opd):
    with pytest.raises(PermissionDenied):
        services.record_decision(meeting=make_meeting(), text="X", acting_user=persona("opd_dinsos"),
                                 owner_opd=opd("Dinsos"))


def test_a_proposal_is_added_once(make_meeting, officer):
    meeting = make_meeting()
    proposal = Proposal(key="indikator:DS:17.71", kind=AgendaKind.INDICATOR, title="D/S 50 %", detail="Di bawah target",
                        field_code="kesehatan")
    item = services.add_proposal(meeting=meeting, proposal=proposal, acting_user=officer)
    assert item.order == 1 and item.field.code == "kesehatan" and item.notes == "Di bawah target"
    with pytest.raises(ValidationError):
        services.add_proposal(meeting=meeting, proposal=proposal, acting_user=officer)


def test_attendance_and_quick_adds(make_meeting, officer, opd):
    meeting = make_meeting()
    invited = services.invite_team_members(meeting=meeting, acting_user=officer)
    assert invited == meeting.team.members.count() > 0
    assert services.invite_team_members(meeting=meeting, acting_user=officer) == 0
    province_opd = opd("Dinkes", "17")
    # Dikbud sits in the team (Ketua Bidang Pendidikan): already represented, not added twice.
    added = services.add_opd_representatives(meeting=meeting, opds=[opd("Bappeda"), province_opd, opd("Dikbud")],
                                             acting_user=officer)
    assert added == 2
    with pytest.raises(ValidationError):
        services.add_opd_representatives(meeting=meeting, opds=[opd("Dikbud", "17.02")], acting_user=officer)
    first = meeting.participants.order_by("pk").first()
    services.record_attendance(meeting=meeting, present_ids={first.pk}, acting_user=officer)
    assert list(meeting.participants.filter(attended=True)) == [first]
    other = make_meeting(title="Rakor lain")
    with pytest.raises(ValidationError):
        services.record_attendance(meeting=other, present_ids={first.pk}, acting_user=officer)
