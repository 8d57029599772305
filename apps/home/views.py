"""The landing page after login: the user's area at a glance."""
from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.generic import TemplateView

from apps.core.scoping import get_scope
from apps.core.views import ScopedViewMixin, public_view
from apps.followups.models import FollowUp
from apps.organisations.models import Opd, TimPembina
from apps.posyandu.models import Kader, Posyandu
from apps.regions.models import Region


class HomeView(ScopedViewMixin, TemplateView):
    template_name = "home/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = get_scope(user)
        posyandu = Posyandu.objects.for_user(user)
        context.update(
            title="Beranda",
            has_scope=not scope.is_empty,
            areas=Region.objects.current().filter(code__in=scope.anchor_codes()).order_by("code")
            if not scope.everything else [],
            everything=scope.everything,
            assigned_posyandu=posyandu.filter(pk__in=scope.posyandu_ids) if scope.posyandu_ids else [],
            stats=[
                ("Posyandu aktif", posyandu.filter(is_active=True).count(), "hospital"),
                ("Kader aktif", Kader.objects.for_user(user).filter(end_date__isnull=True).count(), "person-badge"),
                ("OPD", Opd.objects.for_user(user).count(), "building"),
                ("TP Posyandu", TimPembina.objects.for_user(user).count(), "people"),
            ],
        )
        context["work"] = self.work_links(user, scope)
        return context

    def work_links(self, user: Any, scope: Any) -> list[tuple[str, str, str, int | None]]:
        """Shortcuts to the user's own work: their follow-ups (overdue count), the TP Posyandu home."""
        if scope.is_empty:
            return []
        mine = FollowUp.objects.for_user(user).owned_by(user)
        links = [("Tindak lanjut saya", reverse("followups:mine"), "list-check", mine.overdue().count())]
        if getattr(user, "role", "") not in ("kader", "pengurus"):
            links.append(("Beranda TP Posyandu", reverse("meetings:home"), "diagram-3", None))
            links.append(("Dasbor wilayah", reverse("reports:dashboard"), "bar-chart", None))
        return links


@public_view
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without touching personal data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
