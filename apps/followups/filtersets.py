from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.core.scoping import code_q, get_scope
from apps.followups.models import CLOSED_STATUSES, FollowUp, FollowUpStatus
from apps.organisations.models import Opd
from apps.regions.models import Region
from apps.spm.models import SpmField

STATE_CHOICES = [("terbuka", "Terbuka"), ("terlambat", "Terlambat"), ("selesai", "Ditutup")]
ESCALATION_CHOICES = [("ya", "Semua yang dieskalasi"), ("tingkat_saya", "Dieskalasi ke tingkat saya")]


def user_level(user: Any) -> int | None:
    """The highest region level the user is assigned to (1 provinsi … 4 desa); None for none."""
    scope = get_scope(user)
    if scope.everything:
        return 0
    codes = list(scope.region_codes) + list(scope.posyandu_village_codes)
    levels = Region.objects.filter(code__in=codes).values_list("level", flat=True)
    return min(levels, default=None)


class FollowUpFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Cari")
    state = django_filters.ChoiceFilter(method="by_state", choices=STATE_CHOICES, label="Keadaan",
                                        empty_label="Semua")
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label="Status", empty_label="Semua")
    field = django_filters.ModelChoiceFilter(queryset=SpmField.objects.all(), label="Bidang", empty_label="Semua")
    owner_opd = django_filters.ModelChoiceFilter(queryset=Opd.objects.none(), label="OPD", empty_label="Semua")
    eskalasi = django_filters.ChoiceFilter(method="by_escalation", choices=ESCALATION_CHOICES, label="Eskalasi",
                                           empty_label="Semua")
    region = django_filters.CharFilter(method="by_region", label="Kode wilayah")

    class Meta:
        model = FollowUp
        fields = ["q", "state", "status", "field", "owner_opd", "eskalasi", "region"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["owner_opd"].queryset = Opd.objects.for_user(user).order_by("region_code", "name")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)
                               | Q(owner_name__icontains=value))

    def by_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "terbuka":
            return queryset.exclude(status__in=CLOSED_STATUSES)
        if value == "terlambat":
            return queryset.exclude(status__in=CLOSED_STATUSES).filter(due_date__lt=timezone.localdate())
        if value == "selesai":
            return queryset.filter(status__in=CLOSED_STATUSES)
        return queryset

    def by_escalation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "ya":
            return queryset.filter(escalation_level__gte=1)
        if value == "tingkat_saya":
            level = user_level(getattr(self.request, "user", None))
            if level is None:
                return queryset.none()
            return queryset.escalated_to_level(level)
        return queryset

    def by_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().rstrip(".")
        return queryset.filter(code_q("region_code", value)) if value else queryset
