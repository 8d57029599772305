"""Base API viewset: the same scoping as the pages (NetBox's restrict() in every viewset)."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from apps.core.scoping import CHANGE, VIEW, get_scope, is_in_scope


class SingleObjectSchema(AutoSchema):
    """For a collection URL that answers one object (an area's report), not a page of rows."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class ScopedViewSetMixin:
    """Reads are scoped to the user's area; writes need a read-write assignment and are re-checked
    inside the transaction, so a write that lands outside the area rolls back."""

    is_scoped_view = True

    def get_queryset(self) -> Any:
        return super().get_queryset().for_user(self.request.user, VIEW)  # type: ignore[misc]

    def get_serializer(self, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        serializer = super().get_serializer(*args, **kwargs)  # type: ignore[misc]
        fields = getattr(serializer, "fields", {})
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user"):
                field.queryset = queryset.for_user(self.request.user, CHANGE)  # type: ignore[attr-defined]
        return serializer

    def check_write_allowed(self) -> None:
        if get_scope(self.request.user, CHANGE).is_empty:  # type: ignore[attr-defined]
            raise PermissionDenied("Akun Anda hanya dapat membaca data.")

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not is_in_scope(obj, self.request.user, CHANGE):  # type: ignore[attr-defined]
            raise PermissionDenied("Anda hanya dapat membaca data ini.")
        return obj

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self._save_in_scope(serializer)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self._save_in_scope(serializer)

    def _save_in_scope(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            obj = serializer.save()
            if not is_in_scope(obj, self.request.user, CHANGE):  # type: ignore[attr-defined]
                raise PermissionDenied("Data ini di luar wilayah tugas Anda.")


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    # Only here, not on the mixin: a `create` on a read-only viewset made the router route POST to
    # it (listed in the schema, a 500 on call; found by the API fuzzer).
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.check_write_allowed()
        return super().create(request, *args, **kwargs)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


__all__ = ["ScopedModelViewSet", "ScopedReadOnlyViewSet"]
