"""Writes of a meeting that touch several rows or another app: keyword-only, atomic, with the acting
user, each checked against the user's write scope on the meeting."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from apps.core.regioncodes import ancestors_of
from apps.core.scoping import require_change
from apps.followups.models import FollowUp
from apps.followups.services import create_followup as create
from apps.meetings.agenda import Proposal
from apps.meetings.models import AgendaItem, Decision, Meeting, Participant
from apps.organisations.models import Opd
from apps.spm.models import SpmField

READ_ONLY = "Anda hanya dapat membaca rapat ini."


def opds_for(meeting: Meeting) -> Any:
    """OPD a participant or a follow-up owner may come from: the meeting's area and above."""
    return Opd.objects.filter(region_code__in=[meeting.region_code, *ancestors_of(meeting.region_code)],
                              is_active=True)


def next_order(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def add_proposal(*, meeting: Meeting, proposal: Proposal, acting_user: Any) -> AgendaItem:
    """One click on "Tambahkan ke agenda": the proposal becomes an agenda item (once)."""
    require_change(meeting, acting_user, READ_ONLY)
    if meeting.agenda_items.filter(source_key=proposal.key).exists():
        raise ValidationError("Usulan ini sudah ada di agenda.")

    item = AgendaItem(meeting=meeting, order=next_order(meeting), title=proposal.title[:250], kind=proposal.kind,
                      source_key=proposal.key, notes=proposal.detail,
                      field=SpmField.objects.filter(code=proposal.field_code).first() if proposal.field_code else None)
    if proposal.source is not None:
        item.source_type = ContentType.objects.get_for_model(proposal.source)
        item.source_id = proposal.source.pk
    item.save()
    return item


@transaction.atomic
def invite_team_members(*, meeting: Meeting, acting_user: Any) -> int:
    """Invite every current member of the meeting's TP Posyandu not yet on the list."""
    require_change(meeting, acting_user, READ_ONLY)
    # A member is on the list when someone of that name holds that position (two members may share
    # a name; the list has no link to the person record).
    present = set(meeting.participants.values_list("name", "position"))
    added = 0
    members = meeting.team.members.select_related("person", "opd").filter(end_date__isnull=True)
    for member in members.order_by("position", "pk"):
        key = (member.person.name, member.title or member.get_position_display())
        if key in present:
            continue
        Participant.objects.create(meeting=meeting, name=key[0], opd=member.opd, position=key[1])
        present.add(key)
        added += 1
    return added


@transaction.atomic
def add_opd_representatives(*, meeting: Meeting, opds: list[Opd], acting_user: Any) -> int:
    """Quick add: one "Perwakilan <OPD>" row per chosen OPD that has nobody on the list yet; the name
    can be corrected on the attendance page when the person arrives."""
    require_change(meeting, acting_user, READ_ONLY)
    allowed = set(opds_for(meeting).values_list("pk", flat=True))
    represented = set(meeting.participants.exclude(opd=None).values_list("opd_id", flat=True))
    added = 0
    for opd in opds:
        if opd.pk not in allowed:
            raise ValidationError(f"{opd} bukan OPD wilayah rapat ini atau di atasnya.")
        if opd.pk in represented:
            continue
        Participant.objects.create(meeting=meeting, name=f"Perwakilan {opd}", opd=opd, position="Perwakilan OPD",
                                   attended=True)
        represented.add(opd.pk)
        added += 1
    return added


@transaction.atomic
def record_attendance(*, meeting: Meeting, present_ids: set[int], acting_user: Any) -> int:
    """Tick who came: every participant of the meeting is set present or absent."""
    require_change(meeting, acting_user, READ_ONLY)
    participants = list(meeting.participants.all())
    unknown = present_ids - {p.pk for p in participants}
    if unknown:
        raise ValidationError("Peserta yang dipilih bukan peserta rapat ini.")
    changed = 0
    for participant in participants:
        attended = participant.pk in present_ids
        if participant.attended != attended:
            participant.attended = attended
            participant.save(update_fields=["attended", "updated_at"])  # history row per change
            changed += 1
    return changed


@transaction.atomic
def record_decision(*, meeting: Meeting, text: str, acting_user: Any, field: Any = None, agenda_item: Any = None,
                    followup_title: str = "", owner_opd: Opd | None = None, owner_name: str = "",
                    due_date: dt.date | None = None, create_followup: bool = True) -> tuple[Decision, Any]:
    """A decision and, when asked, its follow-up (apps.followups) for the meeting's area, owned by
    an OPD of the area or above (or a named person)."""
    require_change(meeting, acting_user, READ_ONLY)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Isi keputusan wajib diisi."})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Acara ini bukan dari rapat yang sama."})
    if owner_opd is not None and not opds_for(meeting).filter(pk=owner_opd.pk).exists():
        raise ValidationError({"owner_opd": "OPD penanggung jawab harus dari wilayah rapat ini atau di atasnya."})
    if agenda_item is not None and field is None:
        field = agenda_item.field
    decision = Decision.objects.create(meeting=meeting, text=text, field=field, agenda_item=agenda_item,
                                       created_by=acting_user)
    followup = None
    if create_followup:
        followup = create(region=meeting.region, title=(followup_title or text)[:250], acting_user=acting_user,
                          due_date=due_date, owner_opd=owner_opd, owner_name=owner_name, field=field,
                          source=decision, description=f"Keputusan {meeting.title}: {text}")
    return decision, followup


def followups_of(decisions: Any) -> dict[int, list[Any]]:
    """{decision id: [follow-ups]} in one query."""
    ids = [d.pk for d in decisions]
    result: dict[int, list[Any]] = {i: [] for i in ids}
    rows = (FollowUp.objects.filter(source_type=ContentType.objects.get_for_model(Decision), source_id__in=ids)
            .select_related("owner_opd", "owner_user").order_by("pk"))
    for followup in rows:
        result[followup.source_id].append(followup)
    return result
