"""Reference tables (catalogue, level rules) for system admins; scoped rows through ScopedAdmin."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from apps.competency.models import Certification, LevelRule, Skill, SkillGroup, Training
from apps.core.admin import ScopedAdmin


@admin.register(SkillGroup)
class SkillGroupAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "valid_from", "valid_to"]
    list_filter = ["group"]
    search_fields = ["code", "name"]


@admin.register(LevelRule)
class LevelRuleAdmin(SimpleHistoryAdmin):
    """A region changes the level rules here; every stored kader level is recomputed at once."""

    list_display = ["rank", "level", "min_skills", "description"]
    filter_horizontal = ["required_groups"]

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # the groups are saved here
        from apps.competency.services import levels_recompute_all

        changed = levels_recompute_all()  # inside the admin's transaction
        messages.info(request, f"Tingkat kader dihitung ulang: {changed} berubah.")

    def delete_model(self, request: Any, obj: Any) -> None:
        from apps.competency.services import levels_recompute_all

        super().delete_model(request, obj)
        levels_recompute_all()


@admin.register(Training)
class TrainingAdmin(ScopedAdmin):
    list_display = ["title", "region_code", "start_date", "mode"]
    raw_id_fields = ["region", "organiser_opd"]
    filter_horizontal = ["skills"]


@admin.register(Certification)
class CertificationAdmin(ScopedAdmin):
    """Read-mostly: certifications change through the pages so the level follows."""

    list_display = ["kader", "skill", "certified_on", "revoked"]
    raw_id_fields = ["kader", "training", "recorded_by"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
