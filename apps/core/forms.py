"""Shared form pieces: Bootstrap classes and a region-code field checked against the user's scope."""
from __future__ import annotations

from typing import Any

from django import forms

from apps.core.scoping import CHANGE


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                # Lists of radios or checkboxes (CheckboxSelectMultiple is a RadioSelect): Django puts
                # the class on the wrapper and on every option, so none is given; static/css/app.css lays them out.
                continue
            if isinstance(widget, (forms.CheckboxInput,)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


def region_code_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=13, help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                      "placeholder": "mis. 17.71.01.1001"}),
    )


def clean_region_code(code: str, *, user: Any, levels: tuple[int, ...]) -> Any:
    """Resolve a typed region code, with a message that says what is wrong."""
    from apps.regions.models import Region

    code = (code or "").strip()
    region = Region.objects.current().filter(code=code).first()
    if region is None:
        raise forms.ValidationError(f"Kode wilayah {code} tidak dikenal.")
    if region.level not in levels:
        raise forms.ValidationError(f"{region.title} bukan wilayah tingkat yang diminta.")
    if not Region.objects.for_user(user, CHANGE).filter(pk=region.pk).exists():
        raise forms.ValidationError(f"{region.title} di luar wilayah tugas Anda.")
    return region
