"""The notulen (minutes) of a meeting as a printable page and as an A4 PDF, from one template.

The PDF is rendered by the service day's WeasyPrint setup (`render_pdf`), whose URL fetcher serves
only our own static files, so a name or a link in the minutes can never make the render fetch a
remote URL.
"""
from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from apps.meetings.models import Meeting
from apps.meetings.services import followups_of
from apps.serviceday.exporters import css_string, generated_line, render_pdf


def minutes_context(meeting: Meeting, *, generated_by: str = "") -> dict[str, Any]:
    decisions = list(meeting.decisions.select_related("field", "agenda_item"))
    followups = followups_of(decisions)
    generated = generated_line(generated_by)
    return {
        "meeting": meeting,
        "items": meeting.agenda_items.select_related("field"),
        "participants": meeting.participants.select_related("opd").order_by("-attended", "pk"),
        "attended": meeting.participants.filter(attended=True).count(),
        "invited": meeting.participants.filter(invited=True).count(),
        "decisions": [(d, followups.get(d.pk, [])) for d in decisions],
        "generated": generated,
        "css_title": css_string(f"Notulen {meeting.title}"),
        "css_generated": css_string(generated),
    }


def minutes_html(meeting: Meeting, *, generated_by: str = "", screen: bool = False) -> str:
    return render_to_string("meetings/minutes_print.html",
                            {**minutes_context(meeting, generated_by=generated_by), "screen": screen})


def minutes_pdf(meeting: Meeting, *, generated_by: str = "") -> bytes:
    return render_pdf(minutes_html(meeting, generated_by=generated_by))
