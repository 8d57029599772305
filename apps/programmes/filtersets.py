from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from apps.core.filters import IdFilter, YearFilter
from apps.core.scoping import code_q
from apps.organisations.models import Opd
from apps.programmes.models import Activity, FundingSource, Programme, ProgrammeStatus, ProgressReport
from apps.spm.models import SpmField


def opd_choices(request: object) -> QuerySet:
    """OPD the user may read (their area's and those above it)."""
    return Opd.objects.for_user(getattr(request, "user", None)).order_by("region_code", "name")


def in_area(queryset: QuerySet, name: str, value: str) -> QuerySet:
    value = (value or "").strip()
    return queryset.filter(code_q("region_code", value)) if value else queryset


class ProgrammeFilterSet(django_filters.FilterSet):
    """One FilterSet for the list page and the API."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Nama program")
    year = YearFilter(field_name="year", label="Tahun")
    field = django_filters.ModelChoiceFilter(queryset=SpmField.objects.all(), label="Bidang",
                                             empty_label="Semua bidang")
    opd = django_filters.ModelChoiceFilter(queryset=opd_choices, label="OPD", empty_label="Semua OPD")
    funding_source = django_filters.ChoiceFilter(choices=FundingSource.choices, label="Sumber dana",
                                                 empty_label="Semua sumber dana")
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices, label="Status", empty_label="Semua status")
    area = django_filters.CharFilter(method=in_area, label="Kode wilayah")

    class Meta:
        model = Programme
        fields = ["q", "year", "field", "opd", "funding_source", "status", "area"]


class ActivityFilterSet(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label="Id program")
    year = YearFilter(field_name="programme__year", label="Tahun")
    village = django_filters.CharFilter(field_name="villages__code", label="Kode desa/kelurahan", distinct=True)

    class Meta:
        model = Activity
        fields = ["programme", "year", "village"]


class ProgressReportFilterSet(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label="Id program")
    activity = IdFilter(field_name="activity_id", label="Id kegiatan")
    month = django_filters.DateFilter(field_name="month", label="Bulan (tanggal 1)")

    class Meta:
        model = ProgressReport
        fields = ["programme", "activity", "month"]
