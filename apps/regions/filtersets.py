import django_filters
from django.db.models import Q, QuerySet

from apps.regions.models import Level, Region


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Nama atau kode")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="Tingkat")
    parent = django_filters.CharFilter(field_name="parent_code", label="Kode induk")

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if value[0].isdigit():  # a code, or the start of one: an index range scan
            return queryset.filter(Q(code=value) | Q(code__gte=value, code__lt=value + "\uffff"))
        return queryset.filter(name__icontains=value)
