from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin
from apps.posyandu.models import Kader, Pengurus, Pos, Posyandu
from apps.regions.forms import clean_region_code, region_code_field

# Which schedule fields apply to which kind of schedule (the rest are hidden in the browser).
SCHEDULE_FIELDS = {
    "schedule_day": "monthly_date",
    "schedule_week": "monthly_weekday",
    "schedule_weekday": "monthly_weekday",
    "schedule_note": "other,monthly_date,monthly_weekday",
}


class PosyanduForm(BootstrapFormMixin, forms.ModelForm):
    village_code = region_code_field("Kode desa/kelurahan", "Ketik kode Kemendagri desa/kelurahan.")

    class Meta:
        model = Posyandu
        fields = [
            "name", "registration_number", "address", "dusun", "rw", "rt", "latitude", "longitude",
            "founded_on", "sk_number", "sk_date", "is_active", "closed_on", "schedule_kind", "schedule_day",
            "schedule_week", "schedule_weekday", "schedule_note",
        ]
        widgets = {"founded_on": forms.DateInput(), "sk_date": forms.DateInput(), "closed_on": forms.DateInput()}
        help_texts = {"closed_on": "Isi bila Posyandu tidak aktif lagi: laporan bulan-bulan sebelumnya tetap dihitung."}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields(["village_code", *self.Meta.fields])
        if self.instance.pk:
            self.fields["village_code"].initial = self.instance.village.code
        for name, kinds in SCHEDULE_FIELDS.items():
            self.fields[name].widget.attrs["data-show-when"] = f"schedule_kind:{kinds}"

    def clean_village_code(self) -> str:
        self.instance.village = clean_region_code(self.cleaned_data["village_code"], user=self.user, levels=(4,))
        return self.cleaned_data["village_code"]

    def clean_registration_number(self) -> str:
        value = self.cleaned_data["registration_number"].strip()
        if value and Posyandu.objects.filter(registration_number=value).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Nomor registrasi ini sudah dipakai Posyandu lain.")
        return value


class PosyanduChildForm(BootstrapFormMixin, forms.ModelForm):
    """Forms for rows of one Posyandu: the Posyandu comes from the URL, never from the POST."""

    def __init__(self, *args: Any, posyandu: Posyandu, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.posyandu = posyandu
        if "person" in self.fields:
            # Kader and pengurus are residents of the Posyandu's kecamatan, or already serve it.
            # The field's own queryset (of people.Person, which sits above this app) is narrowed.
            self.fields["person"].queryset = self.fields["person"].queryset.filter(
                district_code=posyandu.district_code
            ).order_by("name")
        if "pos" in self.fields:
            self.fields["pos"].queryset = posyandu.pos_units.all()


class PosForm(PosyanduChildForm):
    class Meta:
        model = Pos
        fields = ["name", "level", "dusun", "rw", "rt", "address", "is_active"]


class KaderForm(PosyanduChildForm):
    class Meta:
        model = Kader
        fields = ["person", "role", "field", "pos", "start_date", "end_date", "end_reason"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}


class PengurusForm(PosyanduChildForm):
    class Meta:
        model = Pengurus
        fields = ["person", "position", "field", "sk_number", "sk_date", "start_date", "end_date", "end_reason"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput(), "sk_date": forms.DateInput()}
