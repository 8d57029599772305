from typing import Any

from django.contrib import admin

from apps.privacy.models import AccessAction, AccessChannel, AccessLog
from apps.privacy.services import record_access


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


class RevealLoggedAdminMixin:
    """For the admin of a model whose change page shows a full NIK or a reporter: every opening
    of the change page, or of a past version from its history, is logged. Set `reveal_subject`
    and `reveal_attribute`: the object's attribute that is true when the page shows the value."""

    reveal_subject = ""
    reveal_attribute = ""

    def reveals(self, obj: Any) -> bool:
        return bool(getattr(obj, self.reveal_attribute))

    def _log(self, request: Any, object_id: str, response: Any) -> None:
        if request.method != "GET" or getattr(response, "status_code", 0) != 200:
            return
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and self.reveals(obj):
            record_access(request=request, action=AccessAction.VIEW, subject=self.reveal_subject,
                          channel=AccessChannel.ADMIN, objects=[obj])

    def change_view(self, request: Any, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        self._log(request, object_id, response)
        return response

    def history_form_view(self, request: Any, object_id: str, version_id: str, extra_context: Any = None) -> Any:
        # A past version's form shows the values of then (a NIK since corrected, too).
        response = super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]
        self._log(request, object_id, response)
        return response
