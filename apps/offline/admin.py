from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.offline.models import SyncRecord


@admin.register(SyncRecord)
class SyncRecordAdmin(ScopedAdmin):
    list_display = ["uuid", "kind", "posyandu", "user", "status", "received_at"]
    list_filter = ["kind", "status"]
    search_fields = ["uuid", "message"]
    readonly_fields = [f.name for f in SyncRecord._meta.fields]
