from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import Assignment, User


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["region", "posyandu"]


class SuperuserOnlyMixin:
    """Accounts and their scopes are managed by system admins only."""

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Posyandu 6 SPM", {"fields": ("full_name", "role", "phone", "opd")}))
    list_display = ["username", "full_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["opd"]
    inlines = [AssignmentInline]
