"""The audit trail of every model that holds people's data or decisions (django-simple-history).

`AuditHistory` is simple-history's `HistoricalRecords` with one change: the manager behind
`instance.history` is built once per model, not on every access. simple-history's descriptor
calls `Manager.from_queryset()` (a new class, introspected with `inspect.getmembers`) each time,
and saving an audited row reads it, so every save paid for a class build (about 4 % of saving a
visit through the API).
"""
from __future__ import annotations

from typing import Any

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class CachedHistoryManager(HistoryManager):
    _classes: dict[tuple[type, type, str | None], type] = {}

    @classmethod
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> type:
        key = (cls, queryset_class, class_name)
        made = cls._classes.get(key)
        if made is None:
            made = cls._classes[key] = super().from_queryset(queryset_class, class_name)
        return made


class AuditHistory(HistoricalRecords):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("history_manager", CachedHistoryManager)
        super().__init__(*args, **kwargs)


__all__ = ["AuditHistory", "CachedHistoryManager"]
