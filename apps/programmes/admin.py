from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.programmes.models import Activity, Programme, ProgrammeIndicator, ProgressReport


class IndicatorInline(admin.TabularInline):
    model = ProgrammeIndicator
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    list_display = ["name", "year", "field", "opd", "region_code", "funding_source", "status"]
    list_filter = ["year", "field", "funding_source", "status"]
    search_fields = ["name"]
    raw_id_fields = ["team", "opd", "responsible_user"]
    filter_horizontal = ["documents"]
    inlines = [IndicatorInline]


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ["name", "programme", "budget"]
    raw_id_fields = ["programme", "villages"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdmin):
    list_display = ["programme", "activity", "month", "physical_progress", "financial_realisation"]
    raw_id_fields = ["programme", "activity"]
