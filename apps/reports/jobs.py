"""Background recomputation of the monthly values.

Saving a record marks its Posyandu month stale (one upsert, cheap enough for the hari-buka save
path); a job queue (django-q2: the database by default, Redis where `REDIS_URL` is set) runs
`recompute_stale` every minute and recomputes each stale month once, however many records
changed. On demand, `enqueue_recompute` puts one month of one area on the queue. Every job is
idempotent: `compute_month` replaces the month's values.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.reports.models import StaleMonth
from apps.reports.services import compute_month


def mark_stale(pairs: Iterable[tuple[int, dt.date]]) -> None:
    """Mark (posyandu id, any day of the month) pairs for recomputation."""
    now = timezone.now()
    rows = {(pid, day.replace(day=1)) for pid, day in pairs if pid}
    if not rows:
        return
    StaleMonth.objects.bulk_create(
        [StaleMonth(posyandu_id=pid, period=period, marked_at=now) for pid, period in sorted(rows)],
        update_conflicts=True, unique_fields=["posyandu", "period"], update_fields=["marked_at"], batch_size=500)


def recompute_stale() -> int:
    """Recompute every stale month; returns the number of Posyandu months recomputed."""
    started = timezone.now()
    stale = list(StaleMonth.objects.filter(marked_at__lte=started).values_list("pk", "posyandu_id", "period"))
    by_period: dict[dt.date, list[int]] = defaultdict(list)
    for _, pid, period in stale:
        by_period[period].append(pid)
    for period, ids in sorted(by_period.items()):
        for chunk in _chunks(sorted(ids), 500):  # under SQLite's variable limit
            compute_month(period, chunk)
    with transaction.atomic():
        # Only the rows read above and not marked again since: a later change keeps its row.
        done = [pk for pk, _, _ in stale]
        for chunk in _chunks(done, 500):
            StaleMonth.objects.filter(pk__in=chunk, marked_at__lte=started).delete()
    return len(stale)


def recompute_area(period_iso: str, area: str = "") -> int:
    """The on-demand job: one month for every Posyandu under `area` ('' = everywhere)."""
    return compute_month(dt.date.fromisoformat(period_iso).replace(day=1), area=area)


def enqueue_recompute(period: dt.date, area: str = "", **options: Any) -> Any:
    """Queue one month of one area; `options` go to django-q2's async_task (broker, sync…)."""
    from django_q.tasks import async_task

    return async_task("apps.reports.jobs.recompute_area", period.replace(day=1).isoformat(), area,
                      task_name=f"Hitung ulang {period:%Y-%m} {area or 'semua'}"[:100], **options)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def recompute_recent(today: dt.date | None = None) -> int:
    """The nightly job: this month and last month everywhere."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return compute_month(last_month) + compute_month(this_month)
