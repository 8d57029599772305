"""A region-code field for the forms of every app, checked against the user's scope."""
from __future__ import annotations

from typing import Any

from django import forms

from apps.core.scoping import CHANGE
from apps.regions.models import Region


def region_code_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=13, help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                      "placeholder": "mis. 17.71.01.1001"}),
    )


def clean_region_code(code: str, *, user: Any, levels: tuple[int, ...]) -> Any:
    """Resolve a typed region code, with a message that says what is wrong."""
    code = (code or "").strip()
    region = Region.objects.current().filter(code=code).first()
    if region is None:
        raise forms.ValidationError(f"Kode wilayah {code} tidak dikenal.")
    if region.level not in levels:
        raise forms.ValidationError(f"{region.title} bukan wilayah tingkat yang diminta.")
    if not Region.objects.for_user(user, CHANGE).filter(pk=region.pk).exists():
        raise forms.ValidationError(f"{region.title} di luar wilayah tugas Anda.")
    return region
