"""The reporting period's hooks: answered by apps.reports once Django has started, loud without it."""
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.periods import hooks
from apps.reports import approval, jobs
from apps.reports.models import MonthlyReport, ReportStatus, StaleMonth

DAY = dt.date(2026, 3, 17)


def test_reports_registers_its_answers_at_start_up():
    assert hooks._provider.locked_months is approval.locked_months
    assert hooks._provider.mark_stale is jobs.mark_stale


def test_without_a_provider_a_call_fails_instead_of_skipping_the_check(monkeypatch):
    monkeypatch.setattr(hooks, "_provider", hooks._Provider())
    with pytest.raises(ImproperlyConfigured, match="locked_months"):
        hooks.is_month_locked(1, DAY)
    with pytest.raises(ImproperlyConfigured, match="mark_stale"):
        hooks.mark_stale([(1, DAY)])


@pytest.mark.django_db
def test_a_sent_month_is_locked_and_a_marked_month_is_stale(demo_posyandu):
    assert not hooks.is_month_locked(demo_posyandu.pk, DAY)
    MonthlyReport.objects.create(posyandu=demo_posyandu, period=DAY.replace(day=1), status=ReportStatus.SUBMITTED)
    assert hooks.is_month_locked(demo_posyandu.pk, DAY)
    assert hooks.locked_months([(demo_posyandu.pk, DAY), (demo_posyandu.pk, dt.date(2026, 4, 2))]) == {
        (demo_posyandu.pk, dt.date(2026, 3, 1))}
    hooks.mark_stale([(demo_posyandu.pk, DAY), (demo_posyandu.pk, DAY.replace(day=2))])
    assert list(StaleMonth.objects.values_list("posyandu_id", "period")) == [(demo_posyandu.pk, dt.date(2026, 3, 1))]
