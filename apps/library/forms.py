from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin
from apps.core.scoping import CHANGE, get_scope
from apps.library.models import Document
from apps.regions.forms import clean_region_code, region_code_field

NATIONAL_ONLY = "Hanya pengguna tingkat nasional yang dapat menyimpan dokumen nasional; isi kode wilayah Anda."


def check_national_allowed(user: Any) -> None:
    if not get_scope(user, CHANGE).everything:
        raise forms.ValidationError(NATIONAL_ONLY)


class DocumentForm(BootstrapFormMixin, forms.ModelForm):
    region_code_input = region_code_field(
        "Kode wilayah", help_text="Kosongkan untuk dokumen nasional (hanya pengguna tingkat nasional).")

    class Meta:
        model = Document
        fields = ["title", "kind", "issuer", "number", "year", "fields", "description", "file"]
        widgets = {"fields": forms.CheckboxSelectMultiple(), "description": forms.Textarea(attrs={"rows": 3}),
                   "file": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["region_code_input"].required = False
        self.order_fields(["title", "kind", "issuer", "number", "year", "region_code_input"])
        if self.instance.pk and self.instance.region_id:
            self.fields["region_code_input"].initial = self.instance.region.code
        elif not self.instance.pk and not get_scope(user, CHANGE).everything:
            # Most users write for their own area: start them there instead of at "national".
            codes = get_scope(user, CHANGE).region_codes
            if codes:
                self.fields["region_code_input"].initial = codes[0]

    def clean_region_code_input(self) -> str:
        code = (self.cleaned_data.get("region_code_input") or "").strip()
        if not code:
            check_national_allowed(self.user)
            self.instance.region = None
            return ""
        self.instance.region = clean_region_code(code, user=self.user, levels=(1, 2, 3, 4))
        return code
