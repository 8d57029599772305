"""One FilterSet per model: the list pages and the API share them."""
from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from apps.competency.models import Certification, KaderLevel, Training, TrainingMode, TrainingParticipant
from apps.core.filters import YearFilter
from apps.core.scoping import code_q
from apps.posyandu.models import Kader
from apps.spm.models import SpmField


def _in_region(field_name: str):  # type: ignore[no-untyped-def]
    def method(self: django_filters.FilterSet, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(code_q(field_name, value)) if value else queryset
    return method


class TrainingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Judul / penyelenggara")
    region = django_filters.CharFilter(method="in_region", label="Kode wilayah")
    mode = django_filters.ChoiceFilter(choices=TrainingMode.choices, label="Cara pelatihan", empty_label="Semua")
    year = YearFilter(field_name="start_date", lookup_expr="year", label="Tahun")

    class Meta:
        model = Training
        fields = ["q", "region", "mode", "year"]

    in_region = _in_region("region_code")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(organiser__icontains=value)
                               | Q(organiser_opd__name__icontains=value) | Q(trainers__icontains=value))


class KaderLevelFilterSet(django_filters.FilterSet):
    """Kader with their level (list page and /api/competency/kader-levels/)."""

    q = django_filters.CharFilter(field_name="person__name", lookup_expr="icontains", label="Nama kader")
    level = django_filters.ChoiceFilter(choices=KaderLevel.choices, method="with_level", label="Tingkat",
                                        empty_label="Semua")
    field = django_filters.ModelChoiceFilter(queryset=SpmField.objects.all(), label="Bidang", empty_label="Semua")
    region = django_filters.CharFilter(method="in_region", label="Kode wilayah")
    active = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull", label="Aktif")

    class Meta:
        model = Kader
        fields = ["q", "level", "field", "region", "active"]

    in_region = _in_region("posyandu__region_code")

    def with_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == KaderLevel.NONE:  # no stored record means no certification yet
            return queryset.filter(Q(competency__isnull=True) | Q(competency__level=value))
        return queryset.filter(competency__level=value) if value else queryset


class ParticipantFilterSet(django_filters.FilterSet):
    class Meta:
        model = TrainingParticipant
        fields = ["training", "kader", "result", "attended"]


class CertificationFilterSet(django_filters.FilterSet):
    skill = django_filters.CharFilter(field_name="skill__code", label="Kode keterampilan")
    region = django_filters.CharFilter(method="in_region", label="Kode wilayah")

    class Meta:
        model = Certification
        fields = ["kader", "skill", "training", "revoked", "tkk_given", "region"]

    in_region = _in_region("kader__posyandu__region_code")
