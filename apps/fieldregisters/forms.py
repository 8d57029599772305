"""Forms of the field registers: the Posyandu comes from the URL (or the row), people and
households are those the Posyandu serves, and a month whose report was sent is locked."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q

from apps.core.forms import BootstrapFormMixin
from apps.fieldregisters.models import (
    EducationCase,
    FieldActivity,
    HousingCase,
    IncidentReport,
    SocialCase,
    WaterSanitationSurvey,
)
from apps.people.models import Household, Person
from apps.periods.hooks import locked_months

DATE = forms.DateInput()


class RegisterFormMixin(BootstrapFormMixin):
    """Binds the row to its Posyandu and refuses dates in a month whose report is locked."""

    date_fields: tuple[str, ...] = ("recorded_on", "closed_on")

    def __init__(self, *args: Any, posyandu: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance  # type: ignore[attr-defined]
        self.posyandu = posyandu or instance.posyandu
        instance.posyandu = self.posyandu
        self._old_dates = [getattr(instance, f, None) for f in self.date_fields] if instance.pk else []
        self.restrict_to_posyandu()

    def restrict_to_posyandu(self) -> None:
        """People and households the Posyandu serves (the view calls it again after the generic
        scope narrowing, which works on the user's whole area)."""
        current = getattr(self.instance, "person_id", None)  # type: ignore[attr-defined]
        if "person" in self.fields:  # type: ignore[attr-defined]
            self.fields["person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
                Q(posyandu=self.posyandu, status="aktif") | Q(pk=current)).order_by("name")
        if "household" in self.fields:  # type: ignore[attr-defined]
            self.fields["household"].queryset = Household.objects.filter(  # type: ignore[attr-defined]
                posyandu=self.posyandu).order_by("head_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        dates = [d for d in [data.get(f) for f in self.date_fields] + self._old_dates if isinstance(d, dt.date)]
        locked = sorted(period for _, period in locked_months((self.posyandu.pk, d) for d in dates))
        if locked:
            months = ", ".join(f"{m:%m/%Y}" for m in locked)
            raise forms.ValidationError(f"Laporan bulan {months} sudah dikirim atau disetujui, sehingga datanya "
                                        "terkunci. Minta tingkat di atas membuka kembali laporan.")
        return data

    def report_dates(self) -> list[dt.date]:
        """The months this save touches (for the monthly report's recomputation)."""
        instance = self.instance  # type: ignore[attr-defined]
        new = [getattr(instance, f, None) for f in self.date_fields]
        return [d for d in new + self._old_dates if isinstance(d, dt.date)]


CASE_FIELDS = ["recorded_on", "status", "closed_on", "notes"]


class EducationCaseForm(RegisterFormMixin, forms.ModelForm):
    class Meta:
        model = EducationCase
        fields = ["kind", "person", "in_paud", "institution", "out_of_school_reason", "reason_detail", *CASE_FIELDS]
        widgets = {"recorded_on": DATE, "closed_on": DATE, "notes": forms.Textarea(attrs={"rows": 2}),
                   "in_paud": forms.NullBooleanSelect()}


class SocialCaseForm(RegisterFormMixin, forms.ModelForm):
    date_fields = ("recorded_on", "closed_on")

    class Meta:
        model = SocialCase
        fields = ["kind", "person", "disability_type", "need", "programme", "outcome", "outcome_on", *CASE_FIELDS]
        widgets = {"recorded_on": DATE, "closed_on": DATE, "outcome_on": DATE,
                   "notes": forms.Textarea(attrs={"rows": 2})}


class HousingCaseForm(RegisterFormMixin, forms.ModelForm):
    class Meta:
        model = HousingCase
        fields = ["kind", "household", "roof_ok", "walls_ok", "floor_ok", "floor_area_m2", "occupants",
                  "sanitation_ok", "disaster_type", "damage_level", "repair_proposed_on", "repair_outcome",
                  "repair_outcome_on", *CASE_FIELDS]
        widgets = {"recorded_on": DATE, "closed_on": DATE, "repair_proposed_on": DATE, "repair_outcome_on": DATE,
                   "notes": forms.Textarea(attrs={"rows": 2})}


class WaterSanitationForm(RegisterFormMixin, forms.ModelForm):
    class Meta:
        model = WaterSanitationSurvey
        fields = ["household", "water_source", "water_liters_per_person_day", "toilet_access", "toilet_type",
                  "disposal", "wastewater", *CASE_FIELDS]
        widgets = {"recorded_on": DATE, "closed_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"recorded_on": "tanggal survei"}


class IncidentReportForm(RegisterFormMixin, forms.ModelForm):
    class Meta:
        model = IncidentReport
        fields = ["kind", "occurred_on", "location", "description", "is_anonymous", "reporter_name",
                  "reporter_address", "reporter_phone", "reporter_nik", "kades_approved_on", *CASE_FIELDS]
        widgets = {"recorded_on": DATE, "closed_on": DATE, "occurred_on": DATE, "kades_approved_on": DATE,
                   "description": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"reporter_name": "Identitas pelapor dirahasiakan: hanya terlihat oleh pengguna yang dapat "
                                       "mengubah data desa ini."}


class FieldActivityForm(RegisterFormMixin, forms.ModelForm):
    date_fields = ("held_on",)

    class Meta:
        model = FieldActivity
        fields = ["kind", "held_on", "title", "location", "organiser", "participants_male", "participants_female",
                  "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}


class FollowUpProposalForm(BootstrapFormMixin, forms.Form):
    """Forward a case to the responsible OPD as a tindak lanjut."""

    opd = forms.ModelChoiceField(label="OPD penanggung jawab", queryset=None,
                                 error_messages={"required": "Pilih OPD penanggung jawab.",
                                                 "invalid_choice": "OPD ini tidak menangani bidang ini di wilayah "
                                                                   "Posyandu."})
    title = forms.CharField(label="Judul", max_length=250, required=False,
                            help_text="Kosongkan untuk judul otomatis dari data.")
    due_date = forms.DateField(label="Batas waktu", required=False, widget=DATE,
                               help_text="Kosongkan untuk batas waktu otomatis (SLA hari kerja).")
    description = forms.CharField(label="Uraian", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, opds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opds
