from __future__ import annotations

from typing import Any

from django import forms

from apps.core.ages import age_in_years
from apps.core.forms import BootstrapFormMixin
from apps.serviceday import rules, services
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

# Tes hitung jari and tes bisik, per eye and ear (KBP dewasa and lansia).
SENSE_FIELDS = ["vision_right", "vision_left", "hearing_right", "hearing_left"]
# The fields each target group records (issue 4, item 4); the form shows only these.
STAGE_FIELDS: dict[str, list[str]] = {
    "child": ["weight_kg", "height_cm", "position", "head_circ_cm", "muac_cm", "oedema", "exclusive_breastfeeding",
              "complementary_feeding", "vitamin_a", "deworming", "supplementary_food", "development"],
    "ibu": ["gestational_age_weeks", "weight_kg", "muac_cm", "systolic", "diastolic", "iron_tablets", "hb_g_dl",
            "mothers_class", "danger_signs"],
    "remaja": ["weight_kg", "height_cm", "muac_cm", "systolic", "diastolic", "hb_g_dl", "iron_tablets"],
    "adult": ["weight_kg", "height_cm", "waist_cm", "muac_cm", "systolic", "diastolic", "glucose_mg_dl", "smoker",
              "active", *SENSE_FIELDS],
    "lansia": ["weight_kg", "height_cm", "waist_cm", "systolic", "diastolic", "glucose_mg_dl", "smoker", "active",
               "adl_score", "cognition_impaired", "fall_risk", *SENSE_FIELDS],
}
DECIMAL_FIELDS = ("weight_kg", "height_cm", "head_circ_cm", "muac_cm", "waist_cm", "hb_g_dl")
# Skrining gejala TBC: asked of every group (KBP balita and dewasa).
TBC_FIELDS = ["tbc_cough", "tbc_fever", "tbc_weight", "tbc_contact"]
# Kuesioner PUMA: adults and lansia aged 40 and over, shown when "merokok" is Ya.
PUMA_FIELDS = services.PUMA_FIELDS
NULLABLE_BOOLEANS = ["exclusive_breastfeeding", "complementary_feeding", "smoker", "active", "cognition_impaired",
                     "fall_risk", *TBC_FIELDS, "puma_short_breath", "puma_phlegm", "puma_cough", "puma_spirometry"]
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

    def prepare_value(self, value: Any) -> Any:
        # A saved True/False must show as Ya/Tidak: rendered as "True" it matched no option, and
        # saving the page again without touching the field erased the answer.
        return {True: "1", False: "0", None: ""}.get(value, value) if not isinstance(value, str) else value


class VisitForm(BootstrapFormMixin, forms.ModelForm):
    vaccines = forms.MultipleChoiceField(label="Imunisasi diberikan hari ini", required=False,
                                         widget=forms.CheckboxSelectMultiple)
    danger_signs = forms.MultipleChoiceField(label="Tanda bahaya", choices=DANGER_SIGNS, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    counselling_topics = forms.MultipleChoiceField(label="Topik penyuluhan", choices=TOPICS, required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Visit
        fields = sorted({f for fields in STAGE_FIELDS.values() for f in fields} | set(COMMON) | set(WUS_FIELDS)
                        | set(TBC_FIELDS) | set(PUMA_FIELDS))
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
        age = age_in_years(person.birth_date, self.instance.visit_date) if person else None
        self.asks_puma = group in ("adult", "lansia") and age is not None and \
            age >= rules.rules()["puma"]["age_from_years"]
        self.dropped_puma = False
        wanted = STAGE_FIELDS[group] + extra + TBC_FIELDS + (PUMA_FIELDS if self.asks_puma else []) + COMMON
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.order_fields(wanted)
        for name in NULLABLE_BOOLEANS:
            if name in self.fields:
                label = self.fields[name].label
                self.fields[name] = NullableBooleanChoice(label=label)
                self.fields[name].widget.attrs["class"] = "form-select"
        self._describe_screenings(group)
        for name, field in self.fields.items():
            if name in DECIMAL_FIELDS:
                field.widget = forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal",
                                                      "autocomplete": "off"})
            if name in ("systolic", "diastolic", "glucose_mg_dl", "gestational_age_weeks", "adl_score", "iron_tablets",
                        "puma_cigarettes_per_day", "puma_smoking_years"):
                field.widget.attrs.update(inputmode="numeric")
        if "confirmed_unusual" in self.fields:
            self.fields["confirmed_unusual"].help_text = "Centang bila nilai yang tidak biasa sudah diperiksa ulang."

    def _describe_screenings(self, group: str) -> None:
        first = self.fields.get("tbc_cough")
        if first is not None:
            first.help_text = "Skrining gejala TBC: kosongkan semua bila tidak ditanyakan. Rujuk bila 2 gejala atau lebih."
        weight = self.fields.get("tbc_weight")
        if weight is not None and group == "child":
            weight.help_text = ("Balita yang ditimbang: dibaca dari KMS (2T = ya, N = tidak); jawaban ini dipakai bila "
                                "KMS belum dapat menilainya (O, B, atau T pertama).")
        for name in SENSE_FIELDS:
            if name in self.fields:
                self.fields[name].choices = [("", "— tidak diperiksa —"), *self.fields[name].choices[1:]]
        for name in PUMA_FIELDS:
            if name in self.fields:
                # Shown when "merokok" is Ya (static/js/app.js); without JavaScript the server decides.
                self.fields[name].widget.attrs["data-show-when"] = "smoker:1"
        if "puma_cigarettes_per_day" in self.fields:
            self.fields["puma_cigarettes_per_day"].help_text = (
                "Kuesioner PUMA (PPOK), untuk perokok berusia 40 tahun ke atas: isi semua butir. "
                "Bungkus-tahun = batang per hari × lama merokok ÷ 20.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.asks_puma and cleaned.get("smoker") is not True:
            # The questionnaire is hidden unless "merokok" is Ya: answers left in it are not kept.
            for name in PUMA_FIELDS:
                if cleaned.get(name) is not None:
                    self.dropped_puma = True
                    cleaned[name] = None
        return cleaned

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
