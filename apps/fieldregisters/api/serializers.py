from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from apps.core.scoping import CHANGE, is_in_scope
from apps.fieldregisters.models import FieldActivity, IncidentReport
from apps.privacy.api import note_shown

READ_ONLY = ["region_code", "province_code", "regency_code", "district_code", "village_code", "recorded_by",
             "created_at", "updated_at"]
COMPUTED = {"uninhabitable", "failed_criteria", "safe_water", "proper_sanitation", "field", "region"}


class RegisterSerializer(serializers.ModelSerializer):
    """Every register row: the model's own rules (ages, required details, dates) run on the API
    exactly as on the pages; the Posyandu, people and households are narrowed to the user's scope."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        model = self.Meta.model
        current = {f.name: getattr(self.instance, f.name) for f in model._meta.concrete_fields} if self.instance else {}
        candidate = model(**{**current, **attrs})
        person = attrs.get("person")
        household = attrs.get("household")
        posyandu = attrs.get("posyandu") or getattr(self.instance, "posyandu", None)
        if person is not None and posyandu is not None and person.posyandu_id != posyandu.pk:
            raise serializers.ValidationError({"person": "Orang ini tidak dilayani Posyandu tersebut."})
        if household is not None and posyandu is not None and household.posyandu_id != posyandu.pk:
            raise serializers.ValidationError({"household": "Keluarga ini tidak dilayani Posyandu tersebut."})
        try:
            candidate.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) \
                from exc
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data["recorded_by"] = self.context["request"].user
        return super().create(validated_data)


def serializer_for(model: type) -> type:
    fields = [f.name for f in model._meta.concrete_fields if f.name not in ("region",)]
    meta = type("Meta", (), {"model": model, "fields": fields,
                             "read_only_fields": [*READ_ONLY, *[f for f in fields if f in COMPUTED]]})
    return type(f"{model.__name__}Serializer", (RegisterSerializer,), {"Meta": meta})


class IncidentReportSerializer(serializer_for(IncidentReport)):  # type: ignore[misc]
    def to_representation(self, instance: IncidentReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not is_in_scope(instance, getattr(request, "user", None), CHANGE):
            # The reporter's identity is confidential: only writers on the village see it.
            for name in IncidentReport.REPORTER_FIELDS:
                data[name] = "dirahasiakan" if data.get(name) else ""
        elif instance.has_reporter_identity:
            note_shown(self, instance)
        return data


FieldActivitySerializer = serializer_for(FieldActivity)
