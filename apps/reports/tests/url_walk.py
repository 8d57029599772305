"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): the dashboards and exports
take a region `code` and a `posyandu_pk`, which the walk already fills with the outsider's village
and Posyandu. Here the outsider's Posyandu also gets last month's values and a sent report, so the
positive control renders real numbers and a leak would have something to leak."""
from __future__ import annotations

import datetime as dt
from typing import Any


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    from django.utils import timezone

    from apps.reports.models import Indicator, MonthlyReport, MonthlyValue, ReportStatus
    from apps.reports.rollups import refresh
    from apps.reports.services import months_before

    posyandu = objs["posyandu"]
    period = months_before(timezone.localdate().replace(day=1), 1).replace(day=1)
    indicator = Indicator.objects.filter(code="D").order_by("-valid_from").first()
    if indicator is not None:
        MonthlyValue.objects.get_or_create(
            indicator=indicator, posyandu=posyandu, period=period, sex="",
            defaults={"numerator": 17, "province_code": posyandu.province_code,
                      "regency_code": posyandu.regency_code, "district_code": posyandu.district_code,
                      "village_code": posyandu.village_code})
        refresh(period, [posyandu.village_code])
    report, _ = MonthlyReport.objects.get_or_create(
        posyandu=posyandu, period=period,
        defaults={"status": ReportStatus.SUBMITTED, "submitted_at": timezone.now() - dt.timedelta(days=1)})
    return {"monthly_report": report}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    return {}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    return {}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    return {}
