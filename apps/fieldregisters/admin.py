from typing import Any

from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.fieldregisters import models as m
from apps.privacy.models import AccessAction, AccessChannel, AccessSubject
from apps.privacy.services import record_access


class RegisterAdmin(ScopedAdmin):
    list_display = ["__str__", "posyandu", "status", "recorded_on"]
    list_filter = ["status"]
    raw_id_fields = ["posyandu"]


for model, extra in [(m.EducationCase, ["person"]), (m.SocialCase, ["person"]), (m.HousingCase, ["household"]),
                     (m.WaterSanitationSurvey, ["household"])]:
    admin.site.register(model, type(f"{model.__name__}Admin", (RegisterAdmin,),
                                    {"raw_id_fields": ["posyandu", *extra]}))


@admin.register(m.IncidentReport)
class IncidentReportAdmin(RegisterAdmin):
    """The change page shows the confidential reporter: each opening is logged."""

    def change_view(self, request: Any, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        response = super().change_view(request, object_id, form_url, extra_context)
        report = self.get_object(request, object_id) if request.method == "GET" else None
        if report is not None and report.has_reporter_identity and response.status_code == 200:
            record_access(request=request, action=AccessAction.VIEW, subject=AccessSubject.REPORTER,
                          channel=AccessChannel.ADMIN, objects=[report])
        return response


@admin.register(m.FieldActivity)
class FieldActivityAdmin(ScopedAdmin):
    list_display = ["title", "kind", "posyandu", "held_on", "participants_male", "participants_female"]
    list_filter = ["kind"]
    raw_id_fields = ["posyandu"]
