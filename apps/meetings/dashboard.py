"""The TP Posyandu home of one area: this month's meetings, overdue actions, programme progress by
SPM field and kader competency coverage. Each block is a few aggregate queries over the area; the
blocks of apps not installed (programmes, competency) are left out."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Subquery

from apps.competency.selectors import area_needs
from apps.core.regioncodes import within
from apps.core.scoping import VIEW, code_q, get_scope
from apps.followups.models import FollowUp
from apps.meetings.models import Meeting, MeetingStatus
from apps.organisations.models import TimPembina
from apps.posyandu.models import Posyandu
from apps.programmes.models import Programme, ProgressReport
from apps.regions.models import Region
from apps.spm.models import SpmField


def area_for(user: Any, requested: str = "") -> str | None:
    """The area the home shows: the one asked for if it lies in the user's scope, else the user's
    widest area ("" is the whole country for a national scope). None when the request is out of
    scope (a 404)."""
    scope = get_scope(user, VIEW)
    mine = sorted(scope.region_codes or scope.posyandu_village_codes, key=lambda c: (c.count("."), c))
    requested = requested.strip()
    if requested:
        allowed = scope.everything or any(within(requested, code) for code in mine)
        if not allowed or not Region.objects.current().filter(code=requested).exists():
            return None
        return requested
    if scope.everything:
        return ""
    return mine[0] if mine else None


def _area_filter(field_name: str, area: str) -> Any:
    from django.db.models import Q

    return code_q(field_name, area) if area else Q()


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def home(user: Any, area: str, today: dt.date) -> dict[str, Any]:
    region = Region.objects.current().filter(code=area).first() if area else None
    start, end = month_bounds(today)
    meetings = (Meeting.objects.for_user(user).filter(_area_filter("region_code", area))
                .filter(scheduled_at__date__gte=start, scheduled_at__date__lt=end)
                .select_related("team").order_by("scheduled_at"))
    upcoming = (Meeting.objects.for_user(user).filter(_area_filter("region_code", area))
                .filter(scheduled_at__date__gte=end, status=MeetingStatus.SCHEDULED)
                .select_related("team").order_by("scheduled_at")[:3])

    context: dict[str, Any] = {
        "area": area, "region": region, "today": today,
        "title": f"Beranda TP Posyandu {region.title if region else 'Nasional'}",
        "team": TimPembina.objects.filter(region_code=area).first() if area else None,
        "meetings": list(meetings), "upcoming": list(upcoming),
    }
    context.update(overdue_actions(user, area, today))
    context["programme_fields"] = programme_progress(user, area, today.year)
    context["competency"] = competency_coverage(user, area)
    return context


def overdue_actions(user: Any, area: str, today: dt.date) -> dict[str, Any]:
    overdue = FollowUp.objects.for_user(user).filter(_area_filter("region_code", area)).overdue(today=today)
    by_owner = (overdue.values("owner_opd__short_name", "owner_opd__name").annotate(n=Count("pk"))
                .order_by("-n", "owner_opd__name")[:10])
    return {
        "overdue": list(overdue.select_related("owner_opd", "owner_user").order_by("due_date", "pk")[:10]),
        "overdue_count": overdue.count(),
        "overdue_by_owner": [(r["owner_opd__short_name"] or r["owner_opd__name"] or "Perorangan", r["n"])
                             for r in by_owner],
    }


def programme_progress(user: Any, area: str, year: int) -> list[dict[str, Any]] | None:
    """Per SPM field: programmes of the year, their budget, and the latest reported physical
    progress and financial realisation (programme-level reports)."""
    latest = (ProgressReport.objects.filter(programme=OuterRef("pk"), activity__isnull=True)
              .order_by("-month", "-pk"))
    rows = (Programme.objects.for_user(user).filter(_area_filter("region_code", area), year=year).exclude(status="batal")
            .annotate(physical=Subquery(latest.values("physical_progress")[:1]),
                      financial=Subquery(latest.values("financial_realisation")[:1]))
            .values("field_id", "budget", "physical", "financial"))
    per_field: dict[int, dict[str, Any]] = defaultdict(lambda: {"count": 0, "budget": Decimal(0),
                                                                "physical": [], "financial": Decimal(0)})
    for r in rows:
        cell = per_field[r["field_id"]]
        cell["count"] += 1
        cell["budget"] += r["budget"] or 0
        cell["physical"].append(Decimal(r["physical"] or 0))
        cell["financial"] += Decimal(r["financial"] or 0)
    result = []
    for spm_field in SpmField.objects.order_by("order"):
        cell = per_field.get(spm_field.pk)
        if cell is None:
            result.append({"field": spm_field, "count": 0, "budget": 0, "physical": None, "financial_pct": None})
            continue
        physical = sum(cell["physical"]) / len(cell["physical"])
        financial_pct = cell["financial"] * 100 / cell["budget"] if cell["budget"] else None
        result.append({"field": spm_field, "count": cell["count"], "budget": cell["budget"],
                       "physical": round(physical, 1), "financial_pct": round(financial_pct, 1)
                       if financial_pct is not None else None})
    return result


def competency_coverage(user: Any, area: str) -> Any:
    """Kader competency over the area's active Posyandu (apps.competency's selector)."""
    posyandu = Posyandu.objects.for_user(user).filter(_area_filter("region_code", area), is_active=True)
    return area_needs(posyandu)
