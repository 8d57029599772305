from django.contrib import admin

from apps.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    show_full_result_count = False

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).for_user(request.user)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # regions come from the Kemendagri decree via load_regions

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
