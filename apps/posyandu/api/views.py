from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.core.api import ScopedModelViewSet
from apps.posyandu.filtersets import PosyanduFilterSet
from apps.posyandu.models import Posyandu
from apps.regions.models import Region


class PosyanduSerializer(serializers.ModelSerializer):
    village = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.current().filter(level=4),
        error_messages={"does_not_exist": "Kode desa/kelurahan {value} tidak dikenal atau di luar wilayah tugas Anda."},
    )
    schedule_text = serializers.CharField(read_only=True)

    class Meta:
        model = Posyandu
        fields = [
            "id", "name", "village", "region_code", "province_code", "regency_code", "district_code",
            "registration_number", "address", "dusun", "rw", "rt", "latitude", "longitude", "founded_on",
            "sk_number", "sk_date", "is_active", "closed_on", "schedule_kind", "schedule_day", "schedule_week",
            "schedule_weekday", "schedule_note", "schedule_text",
        ]
        read_only_fields = ["region_code", "province_code", "regency_code", "district_code"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Run the model's own rules (registration format, schedule) so API and pages agree.
        from django.core.exceptions import ValidationError as DjangoValidationError

        instance = Posyandu(**{**({f.name: getattr(self.instance, f.name) for f in Posyandu._meta.concrete_fields}
                                  if self.instance else {}), **attrs})
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        number = attrs.get("registration_number")
        if number and Posyandu.objects.filter(registration_number=number).exclude(
            pk=getattr(self.instance, "pk", None)
        ).exists():
            raise serializers.ValidationError({"registration_number": "Nomor registrasi ini sudah dipakai Posyandu lain."})
        return attrs


class PosyanduViewSet(ScopedModelViewSet):
    """Posyandu dalam wilayah tugas pengguna."""

    queryset = Posyandu.objects.select_related("village").order_by("region_code", "name")
    serializer_class = PosyanduSerializer
    filterset_class = PosyanduFilterSet
