from typing import Any

from django import template

from apps.competency.tables import level_badge as _level_badge

register = template.Library()


@register.filter
def level_badge(level: str | None) -> str:
    """The kader level as a coloured pill: {{ kader.competency.level|level_badge }}."""
    return _level_badge(level)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def selected_ids(bound_field: Any) -> set[str]:
    """The chosen ids of a multiple-choice field, from POST data (strings) or initial values
    (ids or model instances), as strings to compare with option values."""
    value = bound_field.value() or []
    if isinstance(value, str | int):
        value = [value]
    return {str(getattr(v, "pk", v)) for v in value}


@register.filter
def str_pk(obj: Any) -> str:
    return str(getattr(obj, "pk", obj))
