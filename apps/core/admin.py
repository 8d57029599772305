"""Django admin for system admins, scoped like every other page."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from apps.core.scoping import CHANGE, is_in_scope, require_change


class ScopedAdmin(SimpleHistoryAdmin):
    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).for_user(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field.queryset, "for_user"):
            field.queryset = field.queryset.for_user(request.user, CHANGE)
        return field

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or is_in_scope(obj, request.user, CHANGE))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or is_in_scope(obj, request.user, CHANGE))

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            require_change(obj, request.user, "Data ini di luar wilayah tugas Anda.")
