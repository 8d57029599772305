"""The service day's part of a person's page (apps.people.panels) and the KMS growth chart."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

import growth
from apps.core.views import ScopedDetailView
from apps.people.models import Person
from apps.serviceday.immunisation import is_complete_basic
from apps.serviceday.models import Visit

CHART_MAX_AGE_DAYS = 1856  # the WHO tables' end, 5 years and a few days


def person_panel(request: HttpRequest, person: Person, can_change: bool) -> dict[str, Any]:
    """Every visit the user may see with its results and referrals, the immunisations, and
    whether the child has points for the growth chart."""
    visits = list(Visit.objects.for_user(request.user).filter(person=person)
                  .select_related("posyandu").prefetch_related("referrals").order_by("-visit_date"))
    immunisations = list(person.immunisations.order_by("given_on"))
    return {
        "visits": visits, "immunisations": immunisations,
        "complete_basic": is_complete_basic({i.vaccine: i.given_on for i in immunisations}),
        "has_chart": person.birth_date is not None and any(v.weight_kg for v in visits)
        and any(v.age_months is not None and v.age_months < 61 for v in visits),
    }


class PersonChartView(ScopedDetailView):
    """The KMS growth chart as SVG (WHO curves, KMS bands, the child's points): prints and scales."""

    model = Person

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        person = self.object
        rows = list(Visit.objects.for_user(self.request.user).filter(person=person, weight_kg__isnull=False)
                    .order_by("visit_date").values_list("age_days", "weight_kg", "height_cm", "position"))
        rows = [r for r in rows if r[0] is not None and r[0] <= CHART_MAX_AGE_DAYS]
        svg = growth.child_growth_svg(
            1 if person.sex == "L" else 2, [r[0] for r in rows], [float(r[1]) for r in rows],
            [float(r[2]) if r[2] is not None else float("nan") for r in rows], [r[3] or None for r in rows],
            child_name=person.name,
        )
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
