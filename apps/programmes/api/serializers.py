"""Serializers of the programmes API. The model's own clean() runs on every write, so the API and the
pages give the same Indonesian messages."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

from apps.accounts.models import User
from apps.library.models import Document
from apps.organisations.models import Opd, TimPembina
from apps.programmes.forms import colleagues
from apps.programmes.models import Activity, Programme, ProgrammeIndicator, ProgressReport, check_villages
from apps.regions.models import Region
from apps.reports.models import Indicator
from apps.spm.models import SpmField


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}


def run_clean(serializer: serializers.ModelSerializer, attrs: dict[str, Any]) -> None:
    """Build the would-be instance and run the model's clean()."""
    model = serializer.Meta.model
    instance = serializer.instance or model()
    concrete = {f.name for f in model._meta.concrete_fields}
    probe = model(**{f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields})
    for name, value in attrs.items():
        if name in concrete:
            setattr(probe, name, value)
    try:
        probe.clean()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(django_errors(exc)) from exc
    return None


class IndicatorLinkSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="indicator.code", read_only=True)
    name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = ProgrammeIndicator
        fields = ["id", "indicator", "code", "name", "target", "direction"]


class ProgrammeSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=TimPembina.objects.all())
    field = serializers.SlugRelatedField(slug_field="code", queryset=SpmField.objects.all())
    opd = serializers.PrimaryKeyRelatedField(queryset=Opd.objects.all())
    documents = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Document.objects.all())
    responsible_user = serializers.PrimaryKeyRelatedField(required=False, allow_null=True, queryset=User.objects.all())
    indicator_links = IndicatorLinkSerializer(many=True, read_only=True)
    opd_name = serializers.CharField(source="opd.__str__", read_only=True)
    schedule_text = serializers.CharField(read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "team", "region_code", "year", "field", "opd", "opd_name", "name", "target_group",
                  "target_detail", "output", "budget", "funding_source", "start_month", "end_month", "schedule_text",
                  "responsible_name", "responsible_user", "status", "documents", "notes", "indicator_links",
                  "created_at", "updated_at"]
        read_only_fields = ["region_code", "created_at", "updated_at"]

    def validate_responsible_user(self, user: User | None) -> User | None:
        request = self.context.get("request")
        if user is not None and not colleagues(getattr(request, "user", None)).filter(pk=user.pk).exists():
            raise serializers.ValidationError("Akun ini di luar wilayah tugas Anda.")
        return user

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        run_clean(self, attrs)
        return attrs


class ActivitySerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    villages = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Region.objects.current().filter(level=4),
        error_messages={"does_not_exist": "Kode desa/kelurahan {value} tidak dikenal."})
    months = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12, error_messages={
            "min_value": "Bulan antara 1 dan 12.", "max_value": "Bulan antara 1 dan 12."}),
        required=False, allow_empty=True)

    class Meta:
        model = Activity
        fields = ["id", "programme", "name", "villages", "months", "budget", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_months(self, months: list[int]) -> list[int]:
        return sorted(set(months))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "programme" in attrs and attrs["programme"] != self.instance.programme:
            raise serializers.ValidationError({"programme": "Kegiatan tidak dapat dipindah ke program lain."})
        run_clean(self, attrs)
        programme = attrs.get("programme") or self.instance.programme
        if "villages" in attrs:
            try:
                check_villages(programme, list(attrs["villages"]))
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"villages": exc.messages}) from exc
        return attrs


class ProgressReportSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all(), required=False, allow_null=True)
    is_over_budget = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "programme", "activity", "month", "physical_progress", "financial_realisation",
                  "over_budget_confirmed", "is_over_budget", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []  # the conditional unique rules are checked below with a clear message
        extra_kwargs = {"physical_progress": {"error_messages": {
            "max_value": "Kemajuan fisik antara 0 dan 100 %%.", "min_value": "Kemajuan fisik antara 0 dan 100 %%."}}}

    def validate_month(self, month: Any) -> Any:
        return month.replace(day=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "programme" in attrs and attrs["programme"] != self.instance.programme:
            raise serializers.ValidationError({"programme": "Laporan tidak dapat dipindah ke program lain."})
        run_clean(self, attrs)
        programme = attrs.get("programme") or self.instance.programme
        activity = attrs["activity"] if "activity" in attrs else getattr(self.instance, "activity", None)
        month = attrs.get("month") or self.instance.month
        duplicate = ProgressReport.objects.filter(programme=programme, month=month, activity=activity)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError({"month": "Laporan untuk bulan ini sudah ada; ubah laporan itu."})
        return attrs


class ProgrammeIndicatorSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())

    class Meta:
        model = ProgrammeIndicator
        fields = ["id", "programme", "indicator", "target", "direction", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        run_clean(self, attrs)
        programme = attrs.get("programme") or self.instance.programme
        indicator = attrs.get("indicator") or self.instance.indicator
        duplicate = ProgrammeIndicator.objects.filter(programme=programme, indicator__code=indicator.code)
        if self.instance is not None:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise serializers.ValidationError({"indicator": "Indikator ini sudah ditautkan ke program ini."})
        return attrs
