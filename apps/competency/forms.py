from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from apps.competency.models import ParticipantResult, Skill, Training
from apps.core.forms import BootstrapFormMixin
from apps.core.scoping import CHANGE, get_scope
from apps.regions.forms import clean_region_code, region_code_field


class SkillChoiceField(forms.ModelMultipleChoiceField):
    """Skills as checkboxes labelled with their code, grouped by the template."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Skill) -> str:
        return f"{obj.code} · {obj.name}"


def _skill_field(label: str, required: bool = False) -> SkillChoiceField:
    return SkillChoiceField(queryset=Skill.objects.current().select_related("group"), label=label, required=required)


class TrainingForm(BootstrapFormMixin, forms.ModelForm):
    region_code = region_code_field("Kode wilayah pelatihan",
                                    "Provinsi, kab/kota, kecamatan atau desa/kelurahan penyelenggara, mis. 17.71.")
    skills = _skill_field("Kurikulum (keterampilan yang dilatih)")

    class Meta:
        model = Training
        fields = ["title", "start_date", "end_date", "mode", "organiser_opd", "organiser", "trainers", "location",
                  "skills", "notes"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.order_fields(["title", "region_code", *self.Meta.fields])
        if self.instance.pk:
            self.fields["region_code"].initial = self.instance.region.code
        else:
            codes = get_scope(user, CHANGE).region_codes
            self.fields["region_code"].initial = codes[0] if len(codes) == 1 else ""
        self.fields["skills"].widget.attrs["class"] = "form-check-input"

    def clean_region_code(self) -> str:
        self.instance.region = clean_region_code(self.cleaned_data["region_code"], user=self.user, levels=(1, 2, 3, 4))
        return self.cleaned_data["region_code"]


class ParticipantAddForm(BootstrapFormMixin, forms.Form):
    """Enrol several kader of one Posyandu at once (a phone-sized list, not 2,000 options)."""

    kader = forms.ModelMultipleChoiceField(queryset=None, label="Kader", widget=forms.CheckboxSelectMultiple,  # type: ignore[arg-type]
                                           error_messages={"required": "Pilih sedikitnya satu kader.",
                                                           "invalid_choice": "Kader tidak dapat dipilih."})

    def __init__(self, *args: Any, kader_qs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kader"].queryset = kader_qs
        self.fields["kader"].label_from_instance = lambda k: f"{k.person.name} ({k.field})"
        self.fields["kader"].widget.attrs["class"] = "form-check-input"


class AssessmentFields(forms.Form):
    certified_on = forms.DateField(label="Tanggal dinyatakan cakap", required=False, widget=forms.DateInput())
    assessed_by = forms.CharField(label="Penilai (Puskesmas pendamping)", max_length=200, required=False)
    tkk_given = forms.BooleanField(label="Tanda Kecakapan Kader (TKK) sudah diberikan", required=False)

    def clean_certified_on(self) -> Any:
        value = self.cleaned_data.get("certified_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Tanggal dinyatakan cakap tidak boleh di masa depan.")
        return value


class ParticipantResultForm(BootstrapFormMixin, AssessmentFields):
    attended = forms.BooleanField(label="Hadir", required=False)
    result = forms.ChoiceField(label="Hasil penilaian", choices=ParticipantResult.choices)
    skills = _skill_field("Keterampilan yang dinyatakan cakap (jika lulus)")
    notes = forms.CharField(label="Catatan", max_length=300, required=False)

    field_order = ["attended", "result", "skills", "certified_on", "assessed_by", "tkk_given", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("result") == ParticipantResult.PASSED:
            if not data.get("attended"):
                self.add_error("result", "Peserta yang tidak hadir tidak dapat dinyatakan lulus.")
            if data.get("skills"):
                if not data.get("certified_on") and "certified_on" not in self.errors:
                    self.add_error("certified_on", "Isi tanggal kader dinyatakan cakap.")
                if not (data.get("assessed_by") or "").strip():
                    self.add_error("assessed_by", "Isi penilai (mis. Puskesmas yang mendampingi penilaian).")
        return data


class CertificationForm(BootstrapFormMixin, AssessmentFields):
    """Skills assessed outside a training (e.g. on a hari buka, supervised by the Puskesmas)."""

    skills = _skill_field("Keterampilan yang dinyatakan cakap", required=True)
    field_order = ["skills", "certified_on", "assessed_by", "tkk_given"]

    def __init__(self, *args: Any, held: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = self.fields["skills"].queryset.exclude(pk__in=held)
        self.fields["skills"].error_messages["required"] = "Pilih sedikitnya satu keterampilan."
        self.fields["skills"].widget.attrs["class"] = "form-check-input"
        self.fields["certified_on"].required = True
        self.fields["assessed_by"].required = True
        self.fields["certified_on"].error_messages["required"] = "Isi tanggal kader dinyatakan cakap."
        self.fields["assessed_by"].error_messages["required"] = "Isi penilai (mis. Puskesmas yang mendampingi penilaian)."


class RevokeForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label="Alasan pencabutan", max_length=300,
                             error_messages={"required": "Isi alasan pencabutan."})
