from typing import Any

from django.contrib import admin

from apps.privacy.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, written only by the code that reveals the data."""

    list_display = ["at", "username", "action", "subject", "channel", "object_repr", "object_id", "ip"]
    list_filter = ["action", "subject", "channel", "content_type"]
    search_fields = ["username", "object_repr", "=object_id"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
