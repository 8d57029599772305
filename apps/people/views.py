from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm

from apps.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WritableParentMixin,
)
from apps.people.forms import HouseholdForm, PersonForm, PregnancyForm
from apps.people.models import Household, Person, Pregnancy
from apps.people.panels import render_panels


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Nama atau NIK")
    # The work list of an import: people registered without a valid NIK (Person.nik_as_imported).
    nik_to_fix = django_filters.BooleanFilter(method="filter_nik_to_fix", label="NIK perlu diperbaiki")

    class Meta:
        model = Person
        fields = ["q", "sex", "nik_to_fix"]

    def filter_nik_to_fix(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        needs = Q(nik="") & ~Q(nik_as_imported="")
        return queryset.filter(needs) if value else queryset.exclude(needs)

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
    template_name = "people/person_form.html"

    form_takes_user = True

    def after_save(self, form: ModelForm) -> None:
        for warning in getattr(form, "warnings", []):
            messages.warning(self.request, f"Periksa NIK: {warning}")  # type: ignore[attr-defined]


class PersonCreateView(PersonFormMixin, ScopedCreateView):
    def get_initial(self) -> dict[str, Any]:
        # Coming from a hari buka or a Posyandu page: the Posyandu and its village are known.
        return {"posyandu": self.request.GET.get("posyandu"), "village_code": self.request.GET.get("village", "")}


class PersonUpdateView(PersonFormMixin, ScopedUpdateView):
    pass


class PersonDetailView(ScopedDetailView):
    """A person's page: profile and pregnancies, then the panels other apps register
    (apps.people.panels): every visit with its results, referrals, immunisations, and for a child
    under five the KMS growth chart."""

    model = Person
    template_name = "people/person_detail.html"
    queryset = Person.objects.select_related("posyandu", "household", "mother", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.object
        context.update(
            title=person.name, pregnancies=person.pregnancies.all(),
            show_nik=context["can_change"],  # the full NIK only for those who may edit the record
            panels=render_panels(self.request, person, context["can_change"]),
        )
        return context


class HouseholdTable(tables.Table):
    head_name = tables.Column(linkify=True, verbose_name="Kepala keluarga")
    kk = tables.Column(verbose_name="Nomor KK", accessor="masked_kk", orderable=False)
    region_code = tables.Column(verbose_name="Kode desa")
    posyandu = tables.Column(verbose_name="Posyandu")
    members = tables.Column(verbose_name="Anggota", accessor="member_count", orderable=False)

    class Meta:
        model = Household
        fields = ["head_name", "kk", "rw", "rt", "region_code", "posyandu", "members"]
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = "Tidak ada data keluarga."


class HouseholdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Kepala keluarga atau nomor KK")

    class Meta:
        model = Household
        fields = ["q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(kk_number=value) if value.isdigit() else queryset.filter(head_name__icontains=value)


class HouseholdListView(ScopedListView):
    model = Household
    queryset = Household.objects.select_related("posyandu").annotate(member_count=Count("members")).order_by("head_name")
    filterset_class = HouseholdFilterSet
    table_class = HouseholdTable
    title = "Keluarga"
    create_url_name = "people:household_create"


class HouseholdDetailView(ScopedDetailView):
    model = Household
    template_name = "people/household_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["members"] = Person.objects.for_user(self.request.user).filter(household=self.object)
        return context


class HouseholdCreateView(ScopedCreateView):
    model = Household
    form_class = HouseholdForm
    form_takes_user = True


class HouseholdUpdateView(ScopedUpdateView):
    model = Household
    form_class = HouseholdForm
    form_takes_user = True


class PregnancyMixin(WritableParentMixin):
    """Pregnancies are recorded on a woman's page by those who may change her record."""

    model = Pregnancy
    form_class = PregnancyForm
    parent_model = Person
    parent_kwarg = "person_pk"
    parent_field = "person"
    parent_read_only_message = "Anda hanya dapat membaca data orang ini."


class PregnancyCreateView(PregnancyMixin, ScopedCreateView):
    pass


class PregnancyUpdateView(PregnancyMixin, ScopedUpdateView):
    pass
