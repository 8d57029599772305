from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.fieldregisters import models as m


class RegisterAdmin(ScopedAdmin):
    list_display = ["__str__", "posyandu", "status", "recorded_on"]
    list_filter = ["status"]
    raw_id_fields = ["posyandu"]


for model, extra in [(m.EducationCase, ["person"]), (m.SocialCase, ["person"]), (m.HousingCase, ["household"]),
                     (m.WaterSanitationSurvey, ["household"]), (m.IncidentReport, [])]:
    admin.site.register(model, type(f"{model.__name__}Admin", (RegisterAdmin,),
                                    {"raw_id_fields": ["posyandu", *extra]}))


@admin.register(m.FieldActivity)
class FieldActivityAdmin(ScopedAdmin):
    list_display = ["title", "kind", "posyandu", "held_on", "participants_male", "participants_female"]
    list_filter = ["kind"]
    raw_id_fields = ["posyandu"]
