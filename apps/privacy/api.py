"""The access log for API responses: a viewset names what it may reveal (`access_subject`), its
serializer adds each record it shows in full to the context's `access_shown` list, and one log
write per response covers them all (a page of 50 persons is one INSERT)."""
from __future__ import annotations

from typing import Any

from apps.privacy.models import AccessAction, AccessChannel
from apps.privacy.services import record_access


class AccessLoggedViewSetMixin:
    access_subject = ""

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        if not hasattr(self, "_access_shown"):
            self._access_shown: list[Any] = []
        context["access_shown"] = self._access_shown
        return context

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        shown = getattr(self, "_access_shown", [])
        if shown and 200 <= response.status_code < 300:
            record_access(request=request, action=AccessAction.VIEW, subject=self.access_subject,
                          channel=AccessChannel.API, objects={obj.pk: obj for obj in shown}.values())
        return response


def note_shown(serializer: Any, instance: Any) -> None:
    """Called by a serializer that has just put a record's full value in its output."""
    shown = serializer.context.get("access_shown")
    if shown is not None:
        shown.append(instance)
