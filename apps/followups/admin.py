from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import ScopedAdmin
from apps.followups.models import FollowUp, Holiday


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = ["title", "region_code", "owner_opd", "due_date", "status", "escalation_level"]
    list_filter = ["status", "escalation_level"]
    search_fields = ["title"]
    raw_id_fields = ["region", "owner_opd", "owner_user", "created_by"]
    readonly_fields = ["source_type", "source_id", "escalated_at", "closed_at"]


@admin.register(Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    """National holidays and cuti bersama: national reference data, edited by system admins."""

    list_display = ["date", "name", "is_collective_leave"]
    list_filter = ["is_collective_leave"]
    date_hierarchy = "date"
    search_fields = ["name"]
