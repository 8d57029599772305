import django_filters
from django.db.models import Q, QuerySet

from apps.core.scoping import code_q
from apps.posyandu.models import Posyandu


class PosyanduFilterSet(django_filters.FilterSet):
    """One FilterSet for the list page, the API and exports."""

    q = django_filters.CharFilter(method="search", label="Nama / nomor registrasi")
    region = django_filters.CharFilter(method="in_region", label="Kode wilayah")
    is_active = django_filters.BooleanFilter(label="Aktif")

    class Meta:
        model = Posyandu
        fields = ["q", "region", "is_active"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(registration_number__startswith=value)) if value else queryset

    def in_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(code_q("region_code", value))
