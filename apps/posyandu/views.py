from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from apps.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WritableParentMixin,
)
from apps.posyandu.filtersets import PosyanduFilterSet
from apps.posyandu.forms import KaderForm, PengurusForm, PosForm, PosyanduForm
from apps.posyandu.models import Kader, Pengurus, Pos, Posyandu
from apps.posyandu.tables import PosyanduTable
from apps.regions.breadcrumbs import region_breadcrumbs


class PosyanduListView(ScopedListView):
    model = Posyandu
    queryset = Posyandu.objects.select_related("village")
    filterset_class = PosyanduFilterSet
    table_class = PosyanduTable
    title = "Daftar Posyandu"
    create_url_name = "posyandu:create"


class PosyanduDetailView(ScopedDetailView):
    model = Posyandu
    template_name = "posyandu/posyandu_detail.html"
    queryset = Posyandu.objects.select_related("village").prefetch_related(
        "pos_units",
        Prefetch("kader", queryset=Kader.objects.select_related("person", "field", "pos")),
        Prefetch("pengurus", queryset=Pengurus.objects.select_related("person", "field")),
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = region_breadcrumbs(self.object.village, self.request.user)[:-1] + [
            (self.object.village.title, reverse("regions:detail", args=[self.object.village.code])),
            (self.object.name, ""),
        ]
        context["history"] = self.object.history.select_related("history_user")[:10]
        return context


class PosyanduFormMixin:
    model = Posyandu
    form_class = PosyanduForm

    form_takes_user = True


class PosyanduCreateView(PosyanduFormMixin, ScopedCreateView):
    def get_initial(self) -> dict[str, Any]:
        return {"village_code": self.request.GET.get("village", "")}


class PosyanduUpdateView(PosyanduFormMixin, ScopedUpdateView):
    pass


class PosyanduChildMixin(WritableParentMixin):
    """Create/update rows of one Posyandu; the Posyandu must be writable for the user."""

    parent_model = Posyandu
    parent_kwarg = "posyandu_pk"
    parent_field = "posyandu"
    parent_read_only_message = "Anda hanya dapat membaca data Posyandu ini."


class PosCreateView(PosyanduChildMixin, ScopedCreateView):
    model = Pos
    form_class = PosForm


class PosUpdateView(PosyanduChildMixin, ScopedUpdateView):
    model = Pos
    form_class = PosForm


class KaderCreateView(PosyanduChildMixin, ScopedCreateView):
    model = Kader
    form_class = KaderForm


class KaderUpdateView(PosyanduChildMixin, ScopedUpdateView):
    model = Kader
    form_class = KaderForm


class PengurusCreateView(PosyanduChildMixin, ScopedCreateView):
    model = Pengurus
    form_class = PengurusForm


class PengurusUpdateView(PosyanduChildMixin, ScopedUpdateView):
    model = Pengurus
    form_class = PengurusForm
