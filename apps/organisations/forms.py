from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin
from apps.core.regioncodes import ancestors_of
from apps.organisations.models import Opd, TimPembina, TimPembinaMember
from apps.regions.forms import clean_region_code, region_code_field


class RegionCodeFormMixin:
    region_levels: tuple[int, ...] = ()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.order_fields(["region_code_input", *self.Meta.fields])  # type: ignore[attr-defined]
        if self.instance.pk:  # type: ignore[attr-defined]
            self.fields["region_code_input"].initial = self.instance.region.code  # type: ignore[attr-defined]

    def clean_region_code_input(self) -> str:
        code = self.cleaned_data["region_code_input"]  # type: ignore[attr-defined]
        self.instance.region = clean_region_code(code, user=self.user, levels=self.region_levels)  # type: ignore[attr-defined]
        return code


class OpdForm(RegionCodeFormMixin, BootstrapFormMixin, forms.ModelForm):
    region_code_input = region_code_field("Kode wilayah (provinsi atau kabupaten/kota)")
    region_levels = (1, 2)

    class Meta:
        model = Opd
        fields = ["name", "short_name", "fields", "address", "phone", "is_active"]
        widgets = {"fields": forms.CheckboxSelectMultiple()}


class TimPembinaForm(RegionCodeFormMixin, BootstrapFormMixin, forms.ModelForm):
    region_code_input = region_code_field("Kode wilayah (provinsi, kab/kota, kecamatan, desa/kelurahan)")
    region_levels = (1, 2, 3, 4)

    class Meta:
        model = TimPembina
        fields = ["name", "sk_number", "sk_date", "term_start", "term_end", "is_active"]
        widgets = {"sk_date": forms.DateInput(), "term_start": forms.DateInput(), "term_end": forms.DateInput()}


class TimPembinaMemberForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TimPembinaMember
        fields = ["person", "position", "title", "opd", "field", "sk_number", "start_date", "end_date"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}

    def __init__(self, *args: Any, team: TimPembina, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.team = team
        # OPD of the team's own region or above it.
        self.fields["opd"].queryset = Opd.objects.filter(
            region_code__in=[team.region_code, *ancestors_of(team.region_code)]
        )
