"""Writing the access log: one row per record whose full NIK or reporter identity a response
carries. Called by the views, API and exports that reveal them (grep record_access)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from apps.privacy.models import AccessLog


def record_access(*, request: Any, action: str, subject: str, channel: str, objects: Iterable[models.Model]) -> int:
    """Log that `request.user` saw or exported the given records' full value; returns rows written."""
    rows = list(objects)
    if not rows:
        return 0
    user = getattr(request, "user", None)
    now = timezone.now()
    path = request.get_full_path()[:300] if hasattr(request, "get_full_path") else ""
    ip = (getattr(request, "META", None) or {}).get("REMOTE_ADDR") or None
    types = ContentType.objects.get_for_models(*{type(obj) for obj in rows})
    AccessLog.objects.bulk_create([
        AccessLog(at=now, user=user if getattr(user, "pk", None) else None,
                  username=user.get_username() if getattr(user, "pk", None) else "", action=action,
                  subject=subject, channel=channel, content_type=types[type(obj)], object_id=obj.pk,
                  object_repr=str(obj)[:200], path=path, ip=ip)
        for obj in rows], batch_size=1000)
    return len(rows)


def prune_access_log(*, days: int, now: dt.datetime | None = None) -> int:
    """Delete rows older than `days` days; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = AccessLog.objects.filter(at__lt=cutoff).delete()
    return deleted


def prune_by_setting() -> int:
    """The nightly job: keep ACCESS_LOG_RETENTION_DAYS."""
    from django.conf import settings

    return prune_access_log(days=settings.ACCESS_LOG_RETENTION_DAYS)
