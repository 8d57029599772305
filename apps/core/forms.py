"""Shared form pieces: Bootstrap classes for every widget."""
from __future__ import annotations

from typing import Any

from django import forms


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
