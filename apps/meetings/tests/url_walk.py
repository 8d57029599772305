"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

import datetime as dt
from typing import Any


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """A rakor of the outsider's TP Posyandu with a participant, an agenda item and a decision."""
    from django.utils import timezone

    from apps.meetings.models import AgendaItem, Decision, Meeting, Participant

    team = objs["team"]
    meeting = Meeting.objects.filter(team=team, title="Rakor Rejang Lebong").first()
    if meeting is None:
        meeting = Meeting.objects.create(
            team=team, title="Rakor Rejang Lebong", place="Aula Rejang Lebong",
            scheduled_at=timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0)))
        Participant.objects.create(meeting=meeting, name="Peserta Rejang Lebong", opd=objs["opd"])
        item = AgendaItem.objects.create(meeting=meeting, order=1, title="Acara Rejang Lebong")
        Decision.objects.create(meeting=meeting, agenda_item=item, text="Keputusan Rejang Lebong")
    return {
        "meeting": meeting,
        "meeting_participant": meeting.participants.first(),
        "meeting_agenda_item": meeting.agenda_items.first(),
        "meeting_decision": meeting.decisions.first(),
    }


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    """{Model: object} used for a route's `pk` when the view's model is Model."""
    from apps.meetings.models import AgendaItem, Decision, Meeting, Participant

    return {Meeting: objs["meeting"], Participant: objs["meeting_participant"],
            AgendaItem: objs["meeting_agenda_item"], Decision: objs["meeting_decision"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    """Values for other URL parameters (e.g. "meeting_pk")."""
    return {"meeting_pk": objs["meeting"].pk}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    """Form data for this app's POST-only views (merged into the walk's POST body)."""
    return {"agenda_key": "tidak-ada"}
