"""Submission and approval of a Posyandu's monthly report: Posyandu → desa/kelurahan → kecamatan
→ kab/kota → provinsi. Each step is taken by a user with write scope over the Posyandu at that
level; a level at or above the current step can reopen with a reason. Every step is logged."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.scoping import require_change
from apps.reports.models import MonthlyReport, ReportEvent, ReportStatus

CHAIN = [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.DESA, ReportStatus.KECAMATAN,
         ReportStatus.KABKOTA, ReportStatus.PROVINSI]
# The step each role approves (the status it moves the report to).
ROLE_STEP = {"operator_desa": ReportStatus.DESA, "kecamatan": ReportStatus.KECAMATAN,
             "kabkota": ReportStatus.KABKOTA, "provinsi": ReportStatus.PROVINSI}


def report_for(posyandu: Any, period: dt.date) -> MonthlyReport:
    report, _ = MonthlyReport.objects.get_or_create(posyandu=posyandu, period=period.replace(day=1))
    return report


def is_month_locked(posyandu_id: int, day: dt.date) -> bool:
    return bool(locked_months([(posyandu_id, day)]))


def locked_months(pairs: Iterable[tuple[int, dt.date]]) -> set[tuple[int, dt.date]]:
    """Of these (Posyandu id, any day of the month) pairs, the (Posyandu id, first of the month)
    whose report was sent or approved, so its records stay as reported. One query for all."""
    wanted = {(pid, day.replace(day=1)) for pid, day in pairs}
    if not wanted:
        return set()
    found = MonthlyReport.objects.filter(posyandu_id__in={p for p, _ in wanted}, period__in={d for _, d in wanted})
    return set(found.exclude(status=ReportStatus.DRAFT).values_list("posyandu_id", "period")) & wanted


def _log(report: MonthlyReport, action: str, old: str, user: Any, reason: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, from_status=old, to_status=report.status,
                               reason=reason, user=user)


def _check_scope(report: MonthlyReport, user: Any) -> None:
    require_change(report.posyandu, user, "Laporan ini di luar wilayah tugas Anda.")


@transaction.atomic
def submit(*, report: MonthlyReport, acting_user: Any) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _check_scope(report, acting_user)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Laporan ini sudah dikirim.")
    old, report.status, report.submitted_at = report.status, ReportStatus.SUBMITTED, timezone.now()
    report.save()
    _log(report, "kirim", old, acting_user)
    return report


@transaction.atomic
def approve(*, report: MonthlyReport, acting_user: Any) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _check_scope(report, acting_user)
    step = ROLE_STEP.get(acting_user.role)
    if step is None and not acting_user.is_superuser:
        raise PermissionDenied("Peran Anda tidak menyetujui laporan.")
    if report.status == ReportStatus.DRAFT:
        raise ValidationError("Laporan belum dikirim Posyandu.")
    next_step = CHAIN[CHAIN.index(report.status) + 1] if report.status != ReportStatus.PROVINSI else None
    if next_step is None:
        raise ValidationError("Laporan sudah disetujui sampai provinsi.")
    if not acting_user.is_superuser and step != next_step:
        raise ValidationError(f"Laporan menunggu persetujuan tingkat {ReportStatus(next_step).label.split()[-1]}.")
    old, report.status = report.status, next_step
    report.save()
    _log(report, "setujui", old, acting_user)
    return report


@transaction.atomic
def reopen(*, report: MonthlyReport, acting_user: Any, reason: str) -> MonthlyReport:
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _check_scope(report, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": "Tuliskan alasan membuka kembali laporan."})
    if report.status == ReportStatus.DRAFT:
        raise ValidationError("Laporan belum dikirim.")
    step = ROLE_STEP.get(acting_user.role)
    # The level that approved last, or any level above it, may reopen; the Posyandu itself may not.
    if not acting_user.is_superuser and (step is None or CHAIN.index(step) < max(CHAIN.index(report.status), 2)):
        raise PermissionDenied("Hanya tingkat di atas yang dapat membuka kembali laporan ini.")
    old, report.status = report.status, ReportStatus.DRAFT
    report.save()
    _log(report, "buka", old, acting_user, reason.strip())
    return report
