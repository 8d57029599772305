from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.db.models import QuerySet
from django.forms import ModelForm

from apps.core.views import ScopedCreateView, ScopedListView, ScopedUpdateView
from apps.people.forms import PersonForm
from apps.people.models import Person


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Nama atau NIK")

    class Meta:
        model = Person
        fields = ["q", "sex"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(nik=value) if value.isdigit() else queryset.filter(name__icontains=value)


class PersonTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Nama")
    masked_nik = tables.Column(verbose_name="NIK", orderable=False)  # never the full number in a list
    region_code = tables.Column(verbose_name="Kode desa")
    posyandu = tables.Column(verbose_name="Posyandu")

    class Meta:
        model = Person
        fields = ["name", "masked_nik", "sex", "birth_date", "region_code", "posyandu"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada data."


class PersonListView(ScopedListView):
    model = Person
    queryset = Person.objects.select_related("posyandu")
    filterset_class = PersonFilterSet
    table_class = PersonTable
    title = "Data orang"
    create_url_name = "people:create"


class PersonFormMixin:
    model = Person
    form_class = PersonForm

    form_takes_user = True

    def after_save(self, form: ModelForm) -> None:
        for warning in getattr(form, "warnings", []):
            messages.warning(self.request, f"Periksa NIK: {warning}")  # type: ignore[attr-defined]


class PersonCreateView(PersonFormMixin, ScopedCreateView):
    pass


class PersonUpdateView(PersonFormMixin, ScopedUpdateView):
    pass



