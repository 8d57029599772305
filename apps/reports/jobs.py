"""Background recomputation of the monthly values.

Saving a record marks its Posyandu month stale (one upsert, cheap enough for the hari-buka save
path); a job queue (django-q2: the database by default, Redis where `REDIS_URL` is set) runs
`recompute_stale` every minute and recomputes each stale month once, however many records
changed. On demand, `enqueue_recompute` puts one month of one area on the queue.

A whole month (the nightly job, `compute_monthly --antrean` for a province or the nation) is split
by `enqueue_month` into one job per kab/kota: the jobs share nothing but the month's roll-ups
above them (province, nation), which each job redoes at its end under a short per-month lock
(`rollups.refresh`), so any number of workers on any number of machines can take them in any
order. Every job is idempotent, and so safe to retry: `compute_month` replaces the area's values
and the roll-ups above it in one transaction; a job that dies leaves the previous values.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.regioncodes import level_of
from apps.posyandu.models import Posyandu
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
    """Queue one month of one area; `options` go to django-q2's async_task (broker, sync, group…)."""
    from django_q.tasks import async_task

    return async_task("apps.reports.jobs.recompute_area", period.replace(day=1).isoformat(), area,
                      task_name=f"Hitung ulang {period:%Y-%m} {area or 'semua'}"[:100], **options)


def job_areas(area: str = "") -> list[str]:
    """The independent pieces of a month under `area`: each kab/kota that has a Posyandu (an area
    at or below kab/kota is one piece). A kab/kota is a few hundred Posyandu, seconds of work: large
    enough that the queue's own cost per job does not count, small enough to spread over workers."""
    if area and level_of(area) >= 2:
        return [area]
    posyandu = Posyandu.objects.filter(province_code=area) if area else Posyandu.objects.all()
    # order_by(): the model's default ordering would make DISTINCT keep one row per Posyandu.
    return sorted(c for c in posyandu.order_by().values_list("regency_code", flat=True).distinct() if c)


def group_name(period: dt.date, area: str = "") -> str:
    return f"hitung-{period:%Y-%m}-{area or 'id'}"


def enqueue_month(period: dt.date, area: str = "", **options: Any) -> list[Any]:
    """Queue one month under `area` ('' = the nation) as one job per kab/kota, in one django-q2
    group (`group_name`) so its progress can be counted; returns the task ids."""
    options.setdefault("group", group_name(period, area))
    return [enqueue_recompute(period, code, **options) for code in job_areas(area)]


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def recompute_recent(today: dt.date | None = None) -> int:
    """The nightly job: this month and last month everywhere, queued as one job per kab/kota and
    month for the workers to share. Returns the number of jobs queued."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    return len(enqueue_month(last_month)) + len(enqueue_month(this_month))
