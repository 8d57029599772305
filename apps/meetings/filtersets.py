import django_filters
from django.db.models import QuerySet

from apps.core.scoping import code_q
from apps.meetings.models import Meeting, MeetingKind, MeetingStatus


class MeetingFilterSet(django_filters.FilterSet):
    """One filter set for the list page and the API."""

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Judul")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label="Jenis", empty_label="Semua jenis")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label="Status", empty_label="Semua status")
    region = django_filters.CharFilter(method="in_region", label="Kode wilayah")
    since = django_filters.DateFilter(field_name="scheduled_at", lookup_expr="date__gte", label="Sejak")

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "region", "since"]

    def in_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(code_q("region_code", value)) if value else queryset
