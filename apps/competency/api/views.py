"""Competency API: the same scoping and the same services as the pages."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Value
from django.db.models.functions import Coalesce
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.competency import services
from apps.competency.filtersets import (
    CertificationFilterSet,
    KaderLevelFilterSet,
    ParticipantFilterSet,
    TrainingFilterSet,
)
from apps.competency.models import (
    Certification,
    KaderLevel,
    Skill,
    Training,
    TrainingParticipant,
)
from apps.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSetMixin
from apps.core.scoping import get_scope
from apps.posyandu.models import Kader
from apps.regions.models import Region


def _drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class SkillSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "code", "name", "group", "group_name", "order", "valid_from", "valid_to"]


class SkillViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Keterampilan dasar kader (katalog Kemenkes; data rujukan tanpa data pribadi). List only: a
    skill is named by its code everywhere else."""

    queryset = Skill.objects.select_related("group").order_by("group__order", "order")
    serializer_class = SkillSerializer
    filterset_fields = ["group__code", "code"]

    def get_queryset(self) -> Any:
        # Reference data: every user with an assignment reads it; it has no region to scope by.
        qs = self.queryset.all()
        return qs if not get_scope(self.request.user).is_empty else qs.none()


class TrainingSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.current(),
        error_messages={"does_not_exist": "Kode wilayah {value} tidak dikenal atau di luar wilayah tugas Anda."})
    skills = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Skill.objects.current(), required=False)

    class Meta:
        model = Training
        fields = ["id", "title", "region", "region_code", "skills", "start_date", "end_date", "mode", "organiser_opd",
                  "organiser", "trainers", "location", "notes"]
        read_only_fields = ["region_code"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": "Tanggal selesai tidak boleh sebelum tanggal mulai."})
        return attrs


class TrainingViewSet(ScopedModelViewSet):
    """Pelatihan kader dalam wilayah tugas pengguna (dan pelatihan provinsi/kab-kota di atasnya)."""

    queryset = Training.objects.select_related("region").prefetch_related("skills").order_by("-start_date", "pk")
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet


class TrainingParticipantSerializer(serializers.ModelSerializer):
    # Write-only assessment details: a pass with skills creates certifications.
    skills = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Skill.objects.current(), required=False,
                                          write_only=True)
    certified_on = serializers.DateField(required=False, write_only=True)
    assessed_by = serializers.CharField(required=False, allow_blank=True, write_only=True)
    tkk_given = serializers.BooleanField(required=False, write_only=True)

    class Meta:
        model = TrainingParticipant
        fields = ["id", "training", "kader", "attended", "result", "notes", "skills", "certified_on", "assessed_by",
                  "tkk_given"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["training"].read_only = True  # a participant never moves to another training
            fields["kader"].read_only = True
        return fields


class ParticipantViewSet(ScopedModelViewSet):
    """Peserta pelatihan; hasil 'lulus' dengan keterampilan mencatat sertifikasi."""

    queryset = TrainingParticipant.objects.select_related("training", "kader").order_by("training", "pk")
    serializer_class = TrainingParticipantSerializer
    filterset_class = ParticipantFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _result(self, participant: TrainingParticipant, data: dict[str, Any]) -> None:
        services.participant_record_result(
            participant=participant, attended=data.get("attended", participant.attended),
            result=data.get("result", participant.result), notes=data.get("notes", participant.notes),
            skills=data.get("skills", []), certified_on=data.get("certified_on"),
            assessed_by=data.get("assessed_by", ""), tkk_given=data.get("tkk_given", False),
            acting_user=self.request.user)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        try:
            added = services.participants_add(training=data["training"], kaders=[data["kader"]], acting_user=self.request.user)
            if not added:
                raise DjangoValidationError("Kader ini sudah menjadi peserta pelatihan ini.")
            participant = added[0]
            if any(k in data for k in ("attended", "result", "notes")):
                self._result(participant, data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        serializer.instance = participant

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        try:
            self._result(serializer.instance, serializer.validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        serializer.instance.refresh_from_db()


class CertificationSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="code", queryset=Skill.objects.current())

    class Meta:
        model = Certification
        fields = ["id", "kader", "skill", "certified_on", "assessed_by", "training", "tkk_given", "revoked",
                  "revoked_on", "revoked_reason"]
        read_only_fields = ["revoked", "revoked_on", "revoked_reason"]


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class CertificationViewSet(ScopedModelViewSet):
    """Sertifikasi keterampilan kader. Tidak diubah atau dihapus: dicabut (POST .../revoke/)."""

    queryset = Certification.objects.select_related("skill").order_by("kader", "skill__group__order", "skill__order")
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        try:
            created = services.certify(kader=data["kader"], skills=[data["skill"]], certified_on=data["certified_on"],
                                       assessed_by=data["assessed_by"], training=data.get("training"),
                                       tkk_given=data.get("tkk_given", False), acting_user=self.request.user)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        if not created:
            raise serializers.ValidationError({"skill": "Kader ini sudah bersertifikat untuk keterampilan ini."})
        serializer.instance = created[0]

    @action(detail=True, methods=["post"], serializer_class=RevokeSerializer)
    def revoke(self, request: Request, pk: Any = None) -> Response:
        certification = self.get_object()  # 404 out of scope, 403 read-only
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            services.revoke(certification=certification, reason=body.validated_data["reason"], acting_user=request.user)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc
        return Response(CertificationSerializer(certification).data)


class KaderLevelSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    posyandu_name = serializers.CharField(source="posyandu.name", read_only=True)
    region_code = serializers.CharField(source="posyandu.region_code", read_only=True)
    field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level = serializers.CharField(source="level_code", read_only=True)
    level_label = serializers.SerializerMethodField()
    skill_count = serializers.IntegerField(source="skill_total", read_only=True)

    class Meta:
        model = Kader
        fields = ["id", "name", "posyandu", "posyandu_name", "region_code", "field", "start_date", "end_date", "level",
                  "level_label", "skill_count"]

    def get_level_label(self, obj: Kader) -> str:
        return str(KaderLevel(obj.level_code).label)  # type: ignore[attr-defined]


class KaderLevelViewSet(ScopedReadOnlyViewSet):
    """Tingkat kader (Purwa, Madya, Utama) dihitung dari sertifikasi yang berlaku."""

    queryset = (Kader.objects.select_related("person", "posyandu", "field")
                .annotate(level_code=Coalesce("competency__level", Value(KaderLevel.NONE.value)),
                          skill_total=Coalesce("competency__skill_count", Value(0)))
                .order_by("posyandu__region_code", "pk"))
    serializer_class = KaderLevelSerializer
    filterset_class = KaderLevelFilterSet


__all__ = ["SkillViewSet", "TrainingViewSet", "ParticipantViewSet", "CertificationViewSet", "KaderLevelViewSet"]
