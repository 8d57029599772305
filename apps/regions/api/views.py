from rest_framework import serializers

from apps.core.api import ScopedReadOnlyViewSet
from apps.regions.filtersets import RegionFilterSet
from apps.regions.models import Region


class RegionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "parent_code", "level", "kind", "kind_display", "name", "decree", "valid_from", "valid_to"]


class RegionViewSet(ScopedReadOnlyViewSet):
    """Wilayah Kemendagri yang terlihat oleh pengguna (wilayah tugas, isinya, dan induknya)."""

    queryset = Region.objects.current().order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
