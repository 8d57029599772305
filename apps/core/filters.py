"""Query-string filters that refuse what a database column cannot hold.

django-filter's NumberFilter is a decimal: `?posyandu=1.4e27` became an integer too large for
SQLite (OverflowError) and `?year=4e16` a year Python's dates cannot hold, both a 500 (found by
the API fuzzer). These keep ids and years whole numbers in range, so a bad value is a 400 with the
form's message, like any other invalid filter.
"""
from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1  # a signed 64-bit key, the widest id column on SQLite and PostgreSQL


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """The id of a related row (`posyandu_id`, `person_id`...)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    """A calendar year."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
