from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from apps.core.filters import YearFilter
from apps.library.models import Document, DocumentKind
from apps.spm.models import SpmField


class DocumentFilterSet(django_filters.FilterSet):
    """One FilterSet for the list page and the API query parameters."""

    q = django_filters.CharFilter(method="search", label="Judul, nomor atau penerbit")
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label="Jenis", empty_label="Semua jenis")
    field = django_filters.ModelChoiceFilter(field_name="fields", queryset=SpmField.objects.all(), label="Bidang",
                                             empty_label="Semua bidang")
    year = YearFilter(field_name="year", label="Tahun")
    national = django_filters.BooleanFilter(method="only_national", label="Hanya dokumen nasional")

    class Meta:
        model = Document
        fields = ["q", "kind", "field", "year", "national"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value) | Q(issuer__icontains=value))

    def only_national(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(region_code="") if value else queryset.exclude(region_code="")
