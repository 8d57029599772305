from django.contrib import admin

from apps.core.admin import ScopedAdmin
from apps.serviceday.models import Referral, ServiceSession, Visit


@admin.register(ServiceSession)
class ServiceSessionAdmin(ScopedAdmin):
    list_display = ["posyandu", "date", "status"]
    raw_id_fields = ["posyandu", "pos", "opened_by"]
    date_hierarchy = "date"


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    list_display = ["person", "visit_date", "stage", "kms_status", "bb_u", "tb_u"]
    list_filter = ["stage", "kms_status"]
    raw_id_fields = ["session", "posyandu", "person", "recorded_by"]
    # Results are computed by services.record_visit; editing them here would bypass the rules.
    readonly_fields = ["zwei", "zlen", "zwfl", "zbmi", "zhc", "zac", "bb_u", "tb_u", "bb_tb", "imt_u", "kms_status",
                       "two_t", "bgm", "bmi", "bmi_category", "kek", "hypertension", "anaemia", "central_obesity",
                       "glucose_status", "dependent"]


@admin.register(Referral)
class ReferralAdmin(ScopedAdmin):
    list_display = ["person", "posyandu", "status", "feedback_due"]
    list_filter = ["status"]
    raw_id_fields = ["posyandu", "person", "visit", "decided_by"]
