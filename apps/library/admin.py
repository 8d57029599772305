from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.library.models import Document


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    list_display = ["title", "kind", "issuer", "number", "year", "region_code"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "number", "issuer"]
    raw_id_fields = ["region"]
