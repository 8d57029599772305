from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin, clean_region_code, region_code_field
from apps.people.models import Person
from apps.people.validators import nik_warnings


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    village_code = region_code_field("Kode desa/kelurahan domisili")

    class Meta:
        model = Person
        fields = ["name", "nik", "sex", "birth_date", "phone", "address", "posyandu"]
        widgets = {"birth_date": forms.DateInput(), "nik": forms.TextInput(attrs={"inputmode": "numeric",
                                                                                   "autocomplete": "off"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "nik", "sex", "birth_date", "village_code"])
        if self.instance.pk:
            self.fields["village_code"].initial = self.instance.region.code
        self.warnings: list[str] = []

    def clean_village_code(self) -> str:
        self.instance.region = clean_region_code(self.cleaned_data["village_code"], user=self.user, levels=(4,))
        return self.cleaned_data["village_code"]

    def clean_nik(self) -> str:
        return (self.cleaned_data.get("nik") or "").strip().replace(" ", "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # A NIK that disagrees with the record is a warning: older NIK carry old codes.
        self.warnings = nik_warnings(data.get("nik", ""), sex=data.get("sex"), birth_date=data.get("birth_date"))
        return data
