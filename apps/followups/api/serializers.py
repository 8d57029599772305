from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers

from apps.core.scoping import VIEW
from apps.followups import services
from apps.followups.models import FollowUp, FollowUpComment, FollowUpEvidence, FollowUpStatus
from apps.organisations.models import Opd
from apps.regions.models import Region


def django_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


class RoutableOpdField(serializers.PrimaryKeyRelatedField):
    """An OPD the user can see: those of the kab/kota above a village are readable for routing."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {
            "does_not_exist": "OPD dengan id {pk_value} tidak ditemukan di wilayah Anda.",
            "incorrect_type": "Id OPD harus berupa angka."})
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        return Opd.objects.for_user(getattr(request, "user", None), VIEW)


class FollowUpSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.current(),
        error_messages={"does_not_exist": "Kode wilayah {value} tidak dikenal atau di luar wilayah tugas Anda."})
    owner_opd = RoutableOpdField(required=False, allow_null=True)
    due_date = serializers.DateField(required=False, help_text="Kosong: hari ini + SLA hari kerja.")
    is_overdue = serializers.BooleanField(read_only=True)
    source_model = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = ["id", "region", "region_code", "title", "description", "field", "owner_opd", "owner_user",
                  "owner_name", "due_date", "status", "escalation_level", "escalated_at", "closed_at",
                  "is_overdue", "source_model", "source_id", "created_at", "updated_at"]
        read_only_fields = ["region_code", "status", "escalation_level", "escalated_at", "closed_at",
                            "source_id", "created_at", "updated_at", "owner_user"]

    def get_source_model(self, obj: FollowUp) -> str | None:
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type_id else None

    def create(self, validated_data: dict[str, Any]) -> FollowUp:
        try:
            return services.create_followup(acting_user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_errors(exc)) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        region = attrs.get("region") or getattr(self.instance, "region", None)
        opd = attrs.get("owner_opd", getattr(self.instance, "owner_opd", None))
        if region is not None and opd is not None and not region.code.startswith(opd.region_code):
            raise serializers.ValidationError({"owner_opd": "OPD harus dari wilayah tindak lanjut ini atau di atasnya."})
        return attrs


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FollowUpStatus.choices,
                                     error_messages={"invalid_choice": "Status {input} tidak dikenal."})
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = FollowUpComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField()
    url = serializers.SerializerMethodField()
    file = serializers.FileField(write_only=True)

    class Meta:
        model = FollowUpEvidence
        fields = ["id", "file", "filename", "description", "uploaded_by", "url", "created_at"]
        read_only_fields = ["id", "filename", "uploaded_by", "url", "created_at"]

    def get_url(self, obj: FollowUpEvidence) -> str:
        return obj.get_absolute_url()
