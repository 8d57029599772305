from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.posyandu.models import Kader, Pengurus, Pos, Posyandu


class PosInline(admin.TabularInline):
    model = Pos
    extra = 0


@admin.register(Posyandu)
class PosyanduAdmin(ScopedAdmin):
    list_display = ["name", "region_code", "registration_number", "is_active"]
    list_filter = ["is_active", "schedule_kind"]
    search_fields = ["name", "registration_number", "region_code"]
    raw_id_fields = ["village"]
    inlines = [PosInline]


@admin.register(Kader)
class KaderAdmin(ScopedAdmin):
    list_display = ["person", "posyandu", "field", "start_date", "end_date"]
    list_filter = ["field"]
    raw_id_fields = ["person", "posyandu", "pos"]


@admin.register(Pengurus)
class PengurusAdmin(ScopedAdmin):
    list_display = ["person", "posyandu", "position", "field", "start_date", "end_date"]
    raw_id_fields = ["person", "posyandu"]
