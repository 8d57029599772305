from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.fieldregisters import models as m
from apps.privacy.admin import RevealLoggedAdminMixin
from apps.privacy.models import AccessSubject


class RegisterAdmin(ScopedAdmin):
    list_display = ["__str__", "posyandu", "status", "recorded_on"]
    list_filter = ["status"]
    raw_id_fields = ["posyandu"]


for model, extra in [(m.EducationCase, ["person"]), (m.SocialCase, ["person"]), (m.HousingCase, ["household"]),
                     (m.WaterSanitationSurvey, ["household"])]:
    admin.site.register(model, type(f"{model.__name__}Admin", (RegisterAdmin,),
                                    {"raw_id_fields": ["posyandu", *extra]}))


@admin.register(m.IncidentReport)
class IncidentReportAdmin(RevealLoggedAdminMixin, RegisterAdmin):
    """The change page shows the confidential reporter: each opening is logged."""

    reveal_subject = AccessSubject.REPORTER
    reveal_attribute = "has_reporter_identity"
