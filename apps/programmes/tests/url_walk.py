"""This app's part of the URL walk (apps/core/tests/test_url_walk.py): objects in the outsider's
area (Kabupaten Rejang Lebong, 17.02) for every model and URL parameter of this app."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def outsider_objects(objs: dict[str, Any]) -> dict[str, Any]:
    """A programme of the outsider's TP Posyandu with one activity, one indicator link and one
    progress report."""
    from apps.programmes.models import Activity, Programme, ProgrammeIndicator, ProgressReport
    from apps.reports.models import Indicator
    from apps.spm.models import SpmField

    team, opd, village = objs["team"], objs["opd"], objs["village"]
    programme = Programme.objects.filter(team=team, name="Program Uji Rejang Lebong").first()
    if programme is None:
        programme = Programme.objects.create(
            team=team, year=2026, field=SpmField.objects.get(code="kesehatan"), opd=opd,
            name="Program Uji Rejang Lebong", budget=Decimal("10000000"), funding_source="apbd_kabkota",
            start_month=1, end_month=12, responsible_name="Charlie")
    activity = programme.activities.first()
    if activity is None:
        activity = Activity.objects.create(programme=programme, name="Kegiatan Uji", months=[3, 4],
                                           budget=Decimal("1000000"))
        activity.villages.add(village)
    link = programme.indicator_links.first() or ProgrammeIndicator.objects.create(
        programme=programme, indicator=Indicator.objects.filter(code="DS").first(), target=Decimal("80"))
    report = programme.progress_reports.first() or ProgressReport.objects.create(
        programme=programme, month=dt.date(2026, 3, 1), physical_progress=Decimal("20"),
        financial_realisation=Decimal("500000"))
    return {"programme": programme, "programme_activity": activity, "programme_indicator": link,
            "programme_progress": report}


def by_model(objs: dict[str, Any]) -> dict[type, Any]:
    from apps.programmes.models import Activity, Programme, ProgrammeIndicator, ProgressReport

    return {Programme: objs["programme"], Activity: objs["programme_activity"],
            ProgrammeIndicator: objs["programme_indicator"], ProgressReport: objs["programme_progress"]}


def url_values(objs: dict[str, Any]) -> dict[str, Any]:
    return {"programme_pk": objs["programme"].pk}


def post_data(objs: dict[str, Any]) -> dict[str, Any]:
    return {}
