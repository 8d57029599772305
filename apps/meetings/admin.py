from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.meetings.models import AgendaItem, Decision, Meeting, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user", "opd"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "kind", "field", "discussed"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = ["text", "field", "agenda_item"]


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["title", "scheduled_at", "region_code", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["team"]
    inlines = [AgendaItemInline, ParticipantInline, DecisionInline]
