from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin
from apps.serviceday.immunisation import (
    child_vaccine_choices,
    td_interval_error,
    wus_dose_code,
    wus_vaccine_choices,
)
from apps.serviceday.models import Contraception, Visit, is_wus

DANGER_SIGNS = [
    ("perdarahan", "Perdarahan"), ("demam", "Demam tinggi"), ("kejang", "Kejang"),
    ("bengkak", "Bengkak kaki, tangan atau wajah"), ("sakit_kepala", "Sakit kepala hebat / pandangan kabur"),
    ("ketuban", "Keluar air ketuban"), ("gerak_janin", "Gerakan janin berkurang"), ("sesak", "Sesak napas"),
    ("diare", "Diare terus-menerus"), ("tidak_mau_menyusu", "Tidak mau menyusu / makan"),
]
TOPICS = [
    ("gizi", "Gizi seimbang / isi piringku"), ("asi", "ASI eksklusif dan MP-ASI"), ("imunisasi", "Imunisasi"),
    ("stimulasi", "Stimulasi perkembangan"), ("ttd", "Tablet tambah darah"), ("kb", "Keluarga berencana"),
    ("ptm", "Pencegahan penyakit tidak menular"), ("phbs", "Perilaku hidup bersih dan sehat"),
    ("tbc", "Gejala TBC"), ("bencana", "Kesiapsiagaan bencana"),
]

# The fields each target group records (issue 4, item 4); the form shows only these.
STAGE_FIELDS: dict[str, list[str]] = {
    "child": ["weight_kg", "height_cm", "position", "head_circ_cm", "muac_cm", "oedema", "exclusive_breastfeeding",
              "complementary_feeding", "vitamin_a", "deworming", "supplementary_food", "development"],
    "ibu": ["gestational_age_weeks", "weight_kg", "muac_cm", "systolic", "diastolic", "iron_tablets", "hb_g_dl",
            "mothers_class", "danger_signs"],
    "remaja": ["weight_kg", "height_cm", "muac_cm", "systolic", "diastolic", "hb_g_dl", "iron_tablets"],
    "adult": ["weight_kg", "height_cm", "waist_cm", "muac_cm", "systolic", "diastolic", "glucose_mg_dl", "smoker",
              "active"],
    "lansia": ["weight_kg", "height_cm", "waist_cm", "systolic", "diastolic", "glucose_mg_dl", "smoker", "active",
               "adl_score", "cognition_impaired", "fall_risk"],
}
DECIMAL_FIELDS = ("weight_kg", "height_cm", "head_circ_cm", "muac_cm", "waist_cm", "hb_g_dl")
COMMON = ["counselling_topics", "counselled", "notes", "confirmed_unusual"]
# Asked of women of reproductive age (WUS) besides their group's fields: the contraception in use
# (not during a pregnancy) and the Td/TT doses of the WUS/PUS register (SIP Format 3).
WUS_FIELDS = ["contraception"]


def stage_group(stage: str) -> str:
    if stage in ("bayi", "balita", "prasekolah"):
        return "child"
    if stage in ("ibu_hamil", "ibu_nifas"):
        return "ibu"
    if stage in ("remaja", "lansia"):
        return stage
    return "adult"


class NullableBooleanChoice(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("", "—"), ("1", "Ya"), ("0", "Tidak")],
                         coerce=lambda v: {"1": True, "0": False}.get(v), empty_value=None, required=False, **kwargs)


class VisitForm(BootstrapFormMixin, forms.ModelForm):
    vaccines = forms.MultipleChoiceField(label="Imunisasi diberikan hari ini", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    danger_signs = forms.MultipleChoiceField(label="Tanda bahaya", choices=DANGER_SIGNS, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    counselling_topics = forms.MultipleChoiceField(label="Topik penyuluhan", choices=TOPICS, required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Visit
        fields = sorted({f for fields in STAGE_FIELDS.values() for f in fields} | set(COMMON) | set(WUS_FIELDS))
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, data: Any = None, *args: Any, stage: str, given: Any = (), **kwargs: Any) -> None:
        if data is not None:
            # Kader type "7,2" (the Indonesian decimal comma) as often as "7.2": accept both.
            # Django's localized parsing would read "76.0" as 760 (dot = thousands separator).
            data = data.copy()
            for name in DECIMAL_FIELDS:
                if isinstance(data.get(name), str):
                    data[name] = data[name].strip().replace(",", ".")
        super().__init__(data, *args, **kwargs)
        group = stage_group(stage)
        person = self.instance.person if self.instance.person_id else None
        self.given = dict(given) if isinstance(given, dict) else {}
        self.wus = person is not None and (
            is_wus(person.sex, person.birth_date, self.instance.visit_date) or (person.sex == "P" and group == "ibu"))
        extra: list[str] = []
        if group == "child":
            extra.append("vaccines")
            self.fields["vaccines"].choices = [(c, label) for c, label in child_vaccine_choices() if c not in set(given)]
        elif self.wus:
            extra.append("vaccines")
            recorded = {wus_dose_code(code) for code in given}
            self.fields["vaccines"].label = "Imunisasi Td/TT diberikan hari ini"
            self.fields["vaccines"].choices = [(c, label) for c, label in wus_vaccine_choices() if c not in recorded]
            if stage != "ibu_hamil":  # no contraception while pregnant
                extra += WUS_FIELDS
                self._set_up_contraception(person)
        wanted = STAGE_FIELDS[group] + extra + COMMON
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        for name in ("exclusive_breastfeeding", "complementary_feeding", "smoker", "active", "cognition_impaired",
                     "fall_risk"):
            if name in self.fields:
                label = self.fields[name].label
                self.fields[name] = NullableBooleanChoice(label=label)
                self.fields[name].widget.attrs["class"] = "form-select"
        for name, field in self.fields.items():
            if name in DECIMAL_FIELDS:
                field.widget = forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal",
                                                      "autocomplete": "off"})
            if name in ("systolic", "diastolic", "glucose_mg_dl", "gestational_age_weeks", "adl_score", "iron_tablets"):
                field.widget.attrs.update(inputmode="numeric")
        if "confirmed_unusual" in self.fields:
            self.fields["confirmed_unusual"].help_text = "Centang bila nilai yang tidak biasa sudah diperiksa ulang."

    def _set_up_contraception(self, person: Any) -> None:
        field = self.fields["contraception"]
        field.choices = [("", "— tidak ditanyakan —"), *Contraception.choices]
        help_text = "Kosongkan bila tidak ditanyakan. Cara KB yang berganti tercatat sebagai penggantian di register WUS/PUS."
        last = (Visit.objects.filter(person=person, visit_date__lte=self.instance.visit_date)
                .exclude(pk=self.instance.pk).exclude(contraception="")
                .order_by("-visit_date", "-pk").values_list("contraception", "visit_date").first())
        if last:
            help_text = f"Terakhir: {Contraception(last[0]).label} ({last[1]:%d/%m/%Y}). " + help_text
        field.help_text = help_text

    def clean_vaccines(self) -> list[str]:
        codes = self.cleaned_data.get("vaccines") or []
        doses = [c for c in codes if wus_dose_code(c)]
        if len(doses) > 1:
            raise forms.ValidationError("Hanya satu dosis Td/TT yang dapat diberikan pada satu kunjungan.")
        for code in doses:
            problem = td_interval_error(code, self.instance.visit_date, self.given)
            if problem:
                raise forms.ValidationError(problem)
        return codes


class FeedbackForm(BootstrapFormMixin, forms.Form):
    feedback_on = forms.DateField(label="Tanggal balasan", widget=forms.DateInput())
    feedback = forms.CharField(label="Isi balasan rujukan", widget=forms.Textarea(attrs={"rows": 3}))
