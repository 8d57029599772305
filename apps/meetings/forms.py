from __future__ import annotations

from typing import Any

from django import forms

from apps.core.forms import BootstrapFormMixin
from apps.meetings.models import AgendaItem, Meeting, Participant
from apps.meetings.services import opds_for
from apps.organisations.models import Opd
from apps.spm.models import SpmField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class MeetingForm(BootstrapFormMixin, forms.ModelForm):
    invite_members = forms.BooleanField(label="Undang semua anggota TP Posyandu", required=False, initial=True)

    class Meta:
        model = Meeting
        fields = ["team", "title", "kind", "scheduled_at", "place", "status", "chair", "secretary", "documents"]
        widgets = {"scheduled_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
                   "documents": forms.SelectMultiple(attrs={"size": 5})}
        help_texts = {"team": "Wilayah TP Posyandu adalah wilayah rapat ini."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheduled_at"].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["scheduled_at"].error_messages["invalid"] = "Isi tanggal dan jam rapat, mis. 2026-03-10 09:00."
        self.fields["team"].label_from_instance = lambda t: f"{t.name} ({t.region_code})"
        if self.instance.pk:
            del self.fields["invite_members"]
            # The area decides who reads the meeting and where its follow-ups land: fixed once held.
            self.fields["team"].disabled = True


class MinutesForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["status", "chair", "secretary", "minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 14})}
        help_texts = {"minutes": "Jalannya rapat, pembahasan tiap acara dan kesimpulan."}


class ParticipantForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "opd", "position", "invited", "attended"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["opd"].queryset = opds_for(meeting)
        self.fields["opd"].empty_label = "— bukan perwakilan OPD —"


class OpdQuickAddForm(BootstrapFormMixin, forms.Form):
    opds = forms.ModelMultipleChoiceField(label="OPD yang hadir", queryset=Opd.objects.none(),
                                          widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": "Pilih paling sedikit satu OPD.",
                                                          "invalid_choice": "OPD yang dipilih tidak dikenal."})

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opds"].queryset = opds_for(meeting).exclude(
            pk__in=meeting.participants.exclude(opd=None).values("opd_id"))


class AgendaItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "kind", "field", "notes", "discussed"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        if not self.instance.pk:
            from apps.meetings.services import next_order

            self.fields["order"].initial = next_order(meeting)


class DecisionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label="Keputusan", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Isi keputusan wajib diisi."})
    agenda_item = forms.ModelChoiceField(label="Acara", queryset=AgendaItem.objects.none(), required=False,
                                         empty_label="— tidak terkait acara tertentu —")
    field = forms.ModelChoiceField(label="Bidang SPM", queryset=SpmField.objects.all(), required=False)
    create_followup = forms.BooleanField(label="Buat tindak lanjut dari keputusan ini", required=False, initial=True)
    followup_title = forms.CharField(label="Tindak lanjut", max_length=250, required=False,
                                     help_text="Kosongkan untuk memakai isi keputusan.")
    owner_opd = forms.ModelChoiceField(label="OPD penanggung jawab", queryset=Opd.objects.none(), required=False)
    owner_name = forms.CharField(label="Atau nama penanggung jawab", max_length=200, required=False)
    due_date = forms.DateField(label="Batas waktu", required=False, widget=forms.DateInput(),
                               help_text="Kosongkan untuk batas waktu layanan baku (hari kerja).",
                               error_messages={"invalid": "Tanggal tidak valid."})

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["owner_opd"].queryset = opds_for(meeting)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("create_followup") and not (data.get("owner_opd") or data.get("owner_name")):
            self.add_error("owner_opd", "Pilih OPD atau tulis nama penanggung jawab tindak lanjut.")
        return data
