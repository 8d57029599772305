from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin
from apps.core.scoping import VIEW
from apps.followups import services
from apps.followups.models import FollowUp, FollowUpStatus
from apps.organisations.models import Opd
from apps.regions.forms import clean_region_code, region_code_field


class FollowUpForm(BootstrapFormMixin, forms.ModelForm):
    """A follow-up typed in by hand (most come from a register case or a rakor decision)."""

    region_code = region_code_field("Kode wilayah", "Desa/kelurahan, kecamatan atau kab/kota yang bersangkutan.")

    class Meta:
        model = FollowUp
        fields = ["title", "description", "field", "owner_opd", "owner_name", "due_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": forms.DateInput()}
        help_texts = {"due_date": "Kosongkan untuk batas waktu otomatis (SLA hari kerja)."}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["due_date"].required = False
        self.fields = {"region_code": self.fields.pop("region_code"), **self.fields}
        if self.instance.pk:
            self.fields["region_code"].initial = self.instance.region_code

    def restrict_opd(self) -> None:
        # The OPD of the kab/kota above the user's area is readable (routing), never writable.
        self.fields["owner_opd"].queryset = Opd.objects.for_user(self.user, VIEW).filter(is_active=True)

    def clean_region_code(self) -> Any:
        return clean_region_code(self.cleaned_data["region_code"], user=self.user, levels=(1, 2, 3, 4))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        region, opd = data.get("region_code"), data.get("owner_opd")
        if not opd and not (data.get("owner_name") or "").strip():
            self.add_error("owner_opd", "Pilih OPD atau tulis nama penanggung jawab.")
        if region is not None and opd is not None and not region.code.startswith(opd.region_code):
            self.add_error("owner_opd", "OPD harus dari wilayah tindak lanjut ini atau di atasnya.")
        if not data.get("due_date") and not self.instance.pk:
            field = data.get("field")
            data["due_date"] = services.default_due_date(field_code=getattr(field, "code", None))
        elif not data.get("due_date"):
            self.add_error("due_date", "Batas waktu wajib diisi.")
        return data

    def save(self, commit: bool = True) -> FollowUp:
        self.instance.region = self.cleaned_data["region_code"]
        self.instance.due_date = self.cleaned_data["due_date"]
        if not self.instance.pk:
            self.instance.created_by = self.user
        return super().save(commit)


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status baru", choices=FollowUpStatus.choices)
    comment = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Wajib bila ditolak atau dibatalkan.")


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label="Catatan", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Catatan tidak boleh kosong."})


class EvidenceForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="Berkas bukti", error_messages={
        "required": "Pilih berkas bukti.", "empty": "Berkas kosong.", "invalid": "Berkas tidak valid."},
        help_text="PDF, foto (JPG/PNG/WEBP), atau dokumen (DOCX/XLSX/ODT/ODS); paling besar 5 MB.")
    description = forms.CharField(label="Keterangan", required=False, max_length=250)


