from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.scoping import CHANGE, get_scope
from apps.library.forms import NATIONAL_ONLY
from apps.library.models import Document
from apps.regions.models import Region
from apps.spm.models import SpmField


class DocumentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.current(), allow_null=True, required=False,
        error_messages={"does_not_exist": "Kode wilayah {value} tidak dikenal atau di luar wilayah tugas Anda."})
    spm_fields = serializers.SlugRelatedField(source="fields", slug_field="code", many=True,
                                              queryset=SpmField.objects.all(), required=False)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_national = serializers.BooleanField(read_only=True)
    download_url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = Document
        fields = ["id", "title", "kind", "kind_label", "issuer", "number", "year", "spm_fields", "description",
                  "file", "download_url", "region", "region_code", "is_national", "created_at", "updated_at"]
        read_only_fields = ["region_code", "created_at", "updated_at"]
        extra_kwargs = {"file": {"write_only": True}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        region = attrs.get("region", getattr(self.instance, "region", None))
        if region is None:
            request = self.context.get("request")
            if not get_scope(getattr(request, "user", None), CHANGE).everything:
                raise serializers.ValidationError({"region": NATIONAL_ONLY})
        return attrs
