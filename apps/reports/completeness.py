"""Completeness and timeliness of the monthly reports, per child area of an area.

- expected: active Posyandu (founded by the end of the month when the founding date is known);
- received: reports sent by the Posyandu (status "dikirim" or any approval after it);
- on time: received, with the standing submission made by the deadline;
- approved at each level: reports that have reached desa, kecamatan, kab/kota, provinsi.

The deadline is a regional choice: day `REPORT_DEADLINE_DAY` (setting, default 10) of the month
after the reported month, to the end of that day in the server's time zone (TIME_ZONE). A report
that was reopened and sent again counts with its latest submission (`submitted_at`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import VIEW
from apps.posyandu.models import Posyandu
from apps.reports.dashboard import Area, children
from apps.reports.models import MonthlyReport, ReportStatus
from apps.reports.services import month_bounds

DEFAULT_DEADLINE_DAY = 10
RECEIVED = [ReportStatus.SUBMITTED, ReportStatus.DESA, ReportStatus.KECAMATAN, ReportStatus.KABKOTA,
            ReportStatus.PROVINSI]
APPROVAL_LEVELS = [(ReportStatus.DESA, "Desa/Kel."), (ReportStatus.KECAMATAN, "Kecamatan"),
                   (ReportStatus.KABKOTA, "Kab/Kota"), (ReportStatus.PROVINSI, "Provinsi")]


def deadline_day() -> int:
    day = int(getattr(settings, "REPORT_DEADLINE_DAY", DEFAULT_DEADLINE_DAY) or DEFAULT_DEADLINE_DAY)
    return max(1, min(day, 28))


def deadline_for(period: dt.date) -> dt.datetime:
    """The first instant after the deadline: reports submitted before it are on time."""
    _, next_month = month_bounds(period)
    last_day = next_month.replace(day=deadline_day())
    return timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min))


@dataclass
class CompletenessRow:
    key: Any
    name: str
    url: str
    expected: int = 0
    received: int = 0
    on_time: int = 0
    approved: list[int] = field(default_factory=lambda: [0] * len(APPROVAL_LEVELS))

    @staticmethod
    def _pct(num: int, den: int) -> float | None:
        return round(100 * num / den, 1) if den else None

    @property
    def received_pct(self) -> float | None:
        return self._pct(self.received, self.expected)

    @property
    def on_time_pct(self) -> float | None:
        return self._pct(self.on_time, self.expected)

    def add(self, other: CompletenessRow) -> None:
        self.expected += other.expected
        self.received += other.received
        self.on_time += other.on_time
        self.approved = [a + b for a, b in zip(self.approved, other.approved, strict=True)]


def _statuses_from(status: str) -> list[str]:
    return [s.value for s in RECEIVED[RECEIVED.index(ReportStatus(status)):]]


def completeness(user: Any, area: Area, period: dt.date) -> tuple[list[CompletenessRow], CompletenessRow]:
    """(a row per child area, the area's total) for the month."""
    start, end = month_bounds(period)
    group = "pk" if area.level == 4 or area.is_posyandu else area.child_field
    # Expected: every Posyandu active in the month, i.e. founded before its end and active today or
    # closed on or after its first day (a Posyandu closed since still owes the months it served).
    posyandu = (Posyandu.objects.for_user(user, VIEW).filter(area.value_q(posyandu_field="pk"))
                .filter(Q(is_active=True) | Q(closed_on__gte=start))
                .filter(Q(founded_on__isnull=True) | Q(founded_on__lt=end)))
    expected = {r[group]: r["n"] for r in posyandu.values(group).annotate(n=Count("pk")).order_by()}

    deadline = deadline_for(start)
    received_q = Q(status__in=[s.value for s in RECEIVED])
    aggregates = {"received": Count("pk", filter=received_q),
                  "on_time": Count("pk", filter=received_q & Q(submitted_at__lt=deadline))}
    for n, (status, _) in enumerate(APPROVAL_LEVELS):
        aggregates[f"a{n}"] = Count("pk", filter=Q(status__in=_statuses_from(status)))
    reports = (MonthlyReport.objects.for_user(user, VIEW)
               .filter(period=start, posyandu__in=posyandu.values("pk"))
               .values(f"posyandu__{group}").annotate(**aggregates).order_by())
    counted = {r[f"posyandu__{group}"]: r for r in reports}

    if area.is_posyandu:
        assert area.posyandu is not None
        listing = [(area.posyandu.pk, area.posyandu.name, reverse("reports:dashboard_posyandu",
                                                                  args=[area.posyandu.pk]))]
    else:
        listing = children(user, area)
    rows, total = [], CompletenessRow(area.code, area.name, "")
    for key, name, url in listing:
        row = CompletenessRow(key, name, url, expected=expected.get(key, 0))
        got = counted.get(key)
        if area.level == 4 and not row.expected and not got:
            continue  # a Posyandu founded after the month owes no report for it
        if got:
            row.received, row.on_time = got["received"], got["on_time"]
            row.approved = [got[f"a{n}"] for n in range(len(APPROVAL_LEVELS))]
        rows.append(row)
        total.add(row)
    return rows, total
