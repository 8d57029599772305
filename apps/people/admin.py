from typing import Any

from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.people.models import Person
from apps.privacy.models import AccessAction, AccessChannel, AccessSubject
from apps.privacy.services import record_access


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "masked_nik", "sex", "birth_date", "region_code"]
    search_fields = ["name"]
    raw_id_fields = ["region", "posyandu"]
    list_filter = ["sex", "marital_status"]

    def change_view(self, request: Any, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        person = self.get_object(request, object_id) if request.method == "GET" else None
        if person is not None and person.nik and response.status_code == 200:
            record_access(request=request, action=AccessAction.VIEW, subject=AccessSubject.NIK,
                          channel=AccessChannel.ADMIN, objects=[person])
        return response
