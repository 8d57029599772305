from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.people.models import Person
from apps.privacy.admin import RevealLoggedAdminMixin
from apps.privacy.models import AccessSubject


@admin.register(Person)
class PersonAdmin(RevealLoggedAdminMixin, ScopedAdmin):
    reveal_subject = AccessSubject.NIK
    reveal_attribute = "nik"
    list_display = ["name", "masked_nik", "sex", "birth_date", "region_code"]
    search_fields = ["name"]
    raw_id_fields = ["region", "posyandu"]
    list_filter = ["sex", "marital_status"]
