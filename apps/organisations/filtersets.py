import django_filters
from django.db.models import Q, QuerySet

from apps.organisations.models import Opd, TimPembina
from apps.spm.models import SpmField


class OpdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Nama")
    field = django_filters.ModelChoiceFilter(field_name="fields", queryset=SpmField.objects.all(), label="Bidang")

    class Meta:
        model = Opd
        fields = ["q", "field"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value)) if value else queryset


class TimPembinaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Nama")

    class Meta:
        model = TimPembina
        fields = ["q"]
