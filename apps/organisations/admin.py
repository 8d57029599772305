from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.organisations.models import Opd, TimPembina, TimPembinaMember


@admin.register(Opd)
class OpdAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "region_code", "is_active"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["region"]


class MemberInline(admin.TabularInline):
    model = TimPembinaMember
    extra = 0
    raw_id_fields = ["person", "opd"]


@admin.register(TimPembina)
class TimPembinaAdmin(ScopedAdmin):
    list_display = ["name", "region_code", "sk_number", "is_active"]
    raw_id_fields = ["region"]
    inlines = [MemberInline]
