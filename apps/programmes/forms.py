from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.core.forms import BootstrapFormMixin
from apps.core.scoping import CHANGE, code_q, get_scope
from apps.programmes.models import (
    MONTH_CHOICES,
    Activity,
    Programme,
    ProgrammeIndicator,
    ProgressReport,
    check_villages,
)
from apps.regions.models import Region
from apps.reports.models import Indicator


def colleagues(user: Any) -> Any:
    """Accounts a programme may name as responsible: active users assigned inside the acting user's
    writable area (never the whole user table: names are personal data)."""
    scope = get_scope(user, CHANGE)
    users = User.objects.filter(is_active=True)
    if scope.everything:
        return users.order_by("full_name", "username")
    q = Q(pk__in=[])
    for code in scope.region_codes:
        q |= code_q("assignments__region__code", code) | code_q("assignments__posyandu__region_code", code)
    return users.filter(q, assignments__is_active=True).distinct().order_by("full_name", "username")


class ProgrammeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["team", "year", "field", "opd", "name", "target_group", "target_detail", "output", "budget",
                  "funding_source", "start_month", "end_month", "responsible_name", "responsible_user", "status",
                  "documents", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}),
                   "documents": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {"budget": "Dalam rupiah, tanpa titik pemisah ribuan.",
                      "opd": "OPD wilayah TP Posyandu ini atau wilayah di atasnya."}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["responsible_user"].queryset = colleagues(user)
        self.fields["responsible_user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year


class MonthInput(forms.TextInput):
    """<input type="month">: the value is YYYY-MM."""

    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Masukkan bulan dengan format tahun-bulan, mis. 2026-03."}

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class ActivityForm(BootstrapFormMixin, forms.ModelForm):
    months = forms.TypedMultipleChoiceField(
        label="Bulan pelaksanaan", choices=MONTH_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple())

    class Meta:
        model = Activity
        fields = ["name", "villages", "months", "budget", "notes"]
        widgets = {"villages": forms.SelectMultiple(attrs={"size": 8}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"villages": "Desa/kelurahan di wilayah program (tahan Ctrl untuk memilih beberapa).",
                      "budget": "Dalam rupiah, tanpa titik pemisah ribuan."}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.programme = programme
        self.fields["villages"].queryset = (Region.objects.current().filter(level=4)
                                            .filter(code_q("code", programme.region_code)).order_by("code"))
        self.fields["villages"].label_from_instance = lambda r: f"{r.title} ({r.code})"
        self.fields["months"].choices = [(m, n) for m, n in MONTH_CHOICES if m in programme.months]
        self.fields["months"].widget.attrs["class"] = "form-check-input"

    def clean_villages(self) -> Any:
        villages = self.cleaned_data.get("villages")
        if villages:
            check_villages(self.programme, list(villages))  # the same rule as the API
        return villages

    def clean_months(self) -> list[int]:
        return sorted(set(self.cleaned_data.get("months") or []))


class ProgressReportForm(BootstrapFormMixin, forms.ModelForm):
    month = MonthField(label="Bulan")

    class Meta:
        model = ProgressReport
        fields = ["activity", "month", "physical_progress", "financial_realisation", "over_budget_confirmed", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"physical_progress": "Kumulatif sampai akhir bulan, 0–100.",
                      "financial_realisation": "Kumulatif sampai akhir bulan, dalam rupiah tanpa titik."}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.programme = programme
        self.fields["activity"].queryset = Activity.objects.filter(programme=programme).order_by("pk")
        self.fields["activity"].empty_label = "— Program secara keseluruhan —"
        if not self.instance.pk:
            today = timezone.localdate()
            self.fields["month"].initial = (today if today.year == programme.year else dt.date(programme.year, 1, 1))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        month, activity = data.get("month"), data.get("activity")
        if month:
            duplicate = ProgressReport.objects.filter(programme=self.programme, month=month, activity=activity)
            if self.instance.pk:
                duplicate = duplicate.exclude(pk=self.instance.pk)
            if duplicate.exists():
                what = "kegiatan ini" if activity else "program ini"
                self.add_error("month", f"Laporan {what} untuk bulan {month:%m/%Y} sudah ada; ubah laporan itu.")
        return data


class ProgrammeIndicatorForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProgrammeIndicator
        fields = ["indicator", "target", "direction"]
        help_texts = {"target": "Dalam satuan indikator (persen atau jumlah) untuk wilayah TP Posyandu."}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.programme = programme
        day = dt.date(programme.year, 1, 1)
        self.fields["indicator"].queryset = (Indicator.objects.filter(valid_from__lte=dt.date(programme.year, 12, 31))
                                             .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
                                             .select_related("field").order_by("field__order", "pk"))
        self.fields["indicator"].label_from_instance = lambda i: f"{i.field.short_name} · {i.name} ({i.unit})"

    def clean_indicator(self) -> Indicator:
        indicator = self.cleaned_data["indicator"]
        duplicate = ProgrammeIndicator.objects.filter(programme=self.programme, indicator__code=indicator.code)
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError("Indikator ini sudah ditautkan ke program ini.")
        return indicator

