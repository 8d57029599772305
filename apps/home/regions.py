"""The region browser: the tree of the user's area with the Posyandu counted under each region."""
from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from apps.core.scoping import code_q, get_scope
from apps.core.views import ScopedViewMixin
from apps.posyandu.models import Posyandu
from apps.regions.breadcrumbs import region_breadcrumbs
from apps.regions.filtersets import RegionFilterSet
from apps.regions.models import Region

CHILD_CODE_FIELD = {1: "regency_code", 2: "district_code", 3: "village_code"}


class RegionBrowseView(ScopedViewMixin, TemplateView):
    """The user's top of the tree: provinces for national users, else their assigned areas."""

    model = Region
    template_name = "home/region_browse.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = get_scope(self.request.user)
        regions = Region.objects.current()
        if scope.everything:
            roots = regions.filter(level=1)
        else:
            roots = regions.filter(code__in=scope.anchor_codes())
        context["roots"] = roots.order_by("code")
        context["title"] = "Wilayah"
        context["breadcrumbs"] = region_breadcrumbs(None, self.request.user)
        return context


class RegionDetailView(ScopedViewMixin, TemplateView):
    model = Region
    template_name = "home/region_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = Region.objects.current().for_user(user).filter(code=self.kwargs["code"]).first()
        if region is None:
            raise Http404("Wilayah tidak ditemukan.")
        children = Region.objects.current().for_user(user).filter(parent_code=region.code).order_by("code")
        posyandu = Posyandu.objects.for_user(user).filter(
            code_q("region_code", region.code)
        )
        counts: dict[str, int] = {}
        if region.level < 4:
            # Posyandu per child region: one GROUP BY on the denormalised code.
            child_field = CHILD_CODE_FIELD[region.level]
            counts = dict(posyandu.values(child_field).annotate(n=Count("pk")).values_list(child_field, "n"))
        context.update(
            region=region,
            title=region.title,
            children=[(child, counts.get(child.code, 0)) for child in children],
            posyandu_list=posyandu.filter(region_code=region.code) if region.level == 4 else None,
            posyandu_total=posyandu.count(),
            breadcrumbs=region_breadcrumbs(region, user),
        )
        return context


class RegionSearchView(ScopedViewMixin, TemplateView):
    """Search by name or code; htmx asks for the result rows only."""

    model = Region
    template_name = "home/region_search.html"

    def get_template_names(self) -> list[str]:
        return ["home/region_search_results.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = Region.objects.current().for_user(self.request.user)
        filterset = RegionFilterSet(self.request.GET or None, queryset=queryset)
        has_query = bool(self.request.GET.get("q", "").strip())
        context.update(
            filter=filterset,
            results=filterset.qs.order_by("level", "code")[:50] if has_query else [],
            has_query=has_query,
            title="Cari wilayah",
            breadcrumbs=[("Wilayah", reverse("regions:browse")), ("Cari", "")],
        )
        return context
