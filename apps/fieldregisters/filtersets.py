from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from apps.core.scoping import code_q
from apps.fieldregisters import models as m
from apps.posyandu.models import Posyandu


class RegisterFilterSet(django_filters.FilterSet):
    """Shared filters: Posyandu (in the user's area), status, region code, free text."""

    posyandu = django_filters.ModelChoiceFilter(queryset=Posyandu.objects.none(), label="Posyandu",
                                                empty_label="Semua")
    region = django_filters.CharFilter(method="by_region", label="Kode wilayah")
    q = django_filters.CharFilter(method="search", label="Cari")
    search_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["posyandu"].queryset = Posyandu.objects.for_user(user).order_by("name")

    def by_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().rstrip(".")
        return queryset.filter(code_q("region_code", value)) if value else queryset

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        q = Q(pk__in=[])
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


def case_filterset(model: type, extra: list[str], search: tuple[str, ...]) -> type:
    meta = type("Meta", (), {"model": model, "fields": ["q", "posyandu", *extra, "status", "region"]})
    return type(f"{model.__name__}FilterSet", (RegisterFilterSet,), {"Meta": meta, "search_fields": search})


EducationCaseFilterSet = case_filterset(m.EducationCase, ["kind"], ("person__name",))
SocialCaseFilterSet = case_filterset(m.SocialCase, ["kind", "programme", "outcome"], ("person__name", "need"))
HousingCaseFilterSet = case_filterset(m.HousingCase, ["kind", "uninhabitable", "repair_outcome"],
                                      ("household__head_name",))
WaterSanitationFilterSet = case_filterset(m.WaterSanitationSurvey, ["water_source", "safe_water",
                                                                    "proper_sanitation"], ("household__head_name",))
IncidentReportFilterSet = case_filterset(m.IncidentReport, ["kind"], ("location", "description"))


class FieldActivityFilterSet(RegisterFilterSet):
    search_fields = ("title", "location")
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="Dari tanggal")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="Sampai tanggal")

    class Meta:
        model = m.FieldActivity
        fields = ["q", "posyandu", "kind", "held_from", "held_to", "region"]
