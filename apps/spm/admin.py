from django.contrib import admin

from apps.spm.models import SpmField


@admin.register(SpmField)
class SpmFieldAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "short_name", "name", "legal_basis"]
