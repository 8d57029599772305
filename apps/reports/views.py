"""Monthly report pages: the month's reports in the user's area, and one Posyandu's report with its
indicator values, history of steps, and the actions the user may take."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from apps.core.scoping import CHANGE, is_in_scope, require_change
from apps.core.views import ScopedViewMixin, get_scoped_or_404
from apps.posyandu.models import Posyandu
from apps.reports import approval
from apps.reports.models import MonthlyReport, MonthlyValue, ReportStatus
from apps.reports.services import compute_month, indicators_for, months_before


def _period(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("bulan", "") + "-01")
    except ValueError:
        return months_before(timezone.localdate().replace(day=1), 1).replace(day=1)


class ReportListView(ScopedViewMixin, TemplateView):
    model = MonthlyReport
    template_name = "reports/report_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = _period(self.request)
        posyandu = Posyandu.objects.for_user(self.request.user).filter(is_active=True).select_related("village")
        status = dict(MonthlyReport.objects.for_user(self.request.user).filter(period=period)
                      .values_list("posyandu_id", "status"))
        rows = [(p, ReportStatus(status.get(p.pk, ReportStatus.DRAFT))) for p in posyandu.order_by("region_code", "name")]
        context.update(title="Laporan bulanan", period=period, rows=rows[:500],
                       sent=sum(1 for _, s in rows if s != ReportStatus.DRAFT), expected=len(rows))
        return context


class ReportView(ScopedViewMixin, TemplateView):
    model = MonthlyReport
    template_name = "reports/report.html"

    def get_posyandu(self) -> Posyandu:
        return get_scoped_or_404(Posyandu.objects.all(), self.request.user, pk=self.kwargs["posyandu_pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        posyandu, period = self.get_posyandu(), _period(self.request)
        report = MonthlyReport.objects.filter(posyandu=posyandu, period=period).first()
        values = {(v.indicator.code, v.sex): v for v in MonthlyValue.objects.for_user(self.request.user)
                  .filter(posyandu=posyandu, period=period).select_related("indicator")}
        rows = []
        for code, indicator in indicators_for(period).items():
            total = values.get((code, ""))
            rows.append((indicator, total, values.get((code, "L")), values.get((code, "P"))))
        user = self.request.user
        status = report.status if report else ReportStatus.DRAFT
        step = approval.ROLE_STEP.get(getattr(user, "role", ""))
        writable = is_in_scope(posyandu, user, CHANGE)
        next_step = approval.CHAIN[approval.CHAIN.index(status) + 1] if status != ReportStatus.PROVINSI else None
        context.update(
            title=f"Laporan {posyandu.name} {period:%m/%Y}", posyandu=posyandu, period=period, report=report,
            status=ReportStatus(status), rows=rows, events=report.events.select_related("user") if report else [],
            can_submit=writable and status == ReportStatus.DRAFT and step is None,
            can_approve=writable and status != ReportStatus.DRAFT and (user.is_superuser or step == next_step),
            can_reopen=writable and status != ReportStatus.DRAFT and step is not None
            and approval.CHAIN.index(step) >= max(approval.CHAIN.index(status), 2),
        )
        return context

    def post(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        posyandu, period = self.get_posyandu(), _period(request)
        action = request.POST.get("action")
        require_change(posyandu, request.user, "Anda hanya dapat membaca laporan ini.")
        report = approval.report_for(posyandu, period)
        try:
            if action == "kirim":
                compute_month(period, [posyandu.pk])  # send what the records say today
                approval.submit(report=report, acting_user=request.user)
                messages.success(request, "Laporan dikirim. Data bulan ini terkunci.")
            elif action == "setujui":
                approval.approve(report=report, acting_user=request.user)
                messages.success(request, "Laporan disetujui.")
            elif action == "buka":
                approval.reopen(report=report, acting_user=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, "Laporan dibuka kembali.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("reports:report", args=[posyandu.pk]) + f"?bulan={period:%Y-%m}")
