from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.people.models import Person


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["name", "masked_nik", "sex", "birth_date", "region_code"]
    search_fields = ["name"]
    raw_id_fields = ["region", "posyandu"]
    list_filter = ["sex", "marital_status"]
