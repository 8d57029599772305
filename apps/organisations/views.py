from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from apps.core.scoping import CHANGE, is_in_scope
from apps.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    get_scoped_or_404,
)
from apps.organisations.filtersets import OpdFilterSet, TimPembinaFilterSet
from apps.organisations.forms import OpdForm, TimPembinaForm, TimPembinaMemberForm
from apps.organisations.models import Opd, TimPembina, TimPembinaMember
from apps.organisations.tables import OpdTable, TimPembinaTable


class OpdListView(ScopedListView):
    model = Opd
    queryset = Opd.objects.prefetch_related("fields")
    filterset_class = OpdFilterSet
    table_class = OpdTable
    title = "Organisasi Perangkat Daerah (OPD)"
    create_url_name = "organisations:opd_create"


class OpdDetailView(ScopedDetailView):
    model = Opd
    template_name = "organisations/opd_detail.html"


class OpdCreateView(ScopedCreateView):
    form_takes_user = True
    model = Opd
    form_class = OpdForm


class OpdUpdateView(ScopedUpdateView):
    form_takes_user = True
    model = Opd
    form_class = OpdForm


class TimPembinaListView(ScopedListView):
    model = TimPembina
    filterset_class = TimPembinaFilterSet
    table_class = TimPembinaTable
    title = "Tim Pembina Posyandu"
    create_url_name = "organisations:team_create"


class TimPembinaDetailView(ScopedDetailView):
    model = TimPembina
    template_name = "organisations/team_detail.html"
    queryset = TimPembina.objects.prefetch_related(
        Prefetch("members", queryset=TimPembinaMember.objects.select_related("person", "opd", "field"))
    )


class TimPembinaCreateView(ScopedCreateView):
    form_takes_user = True
    model = TimPembina
    form_class = TimPembinaForm


class TimPembinaUpdateView(ScopedUpdateView):
    form_takes_user = True
    model = TimPembina
    form_class = TimPembinaForm


class MemberMixin:
    def get_team(self) -> TimPembina:
        if not hasattr(self, "_team"):
            team = get_scoped_or_404(TimPembina.objects.all(), self.request.user, pk=self.kwargs["team_pk"])  # type: ignore[attr-defined]
            if not is_in_scope(team, self.request.user, CHANGE):  # type: ignore[attr-defined]
                raise PermissionDenied("Anda hanya dapat membaca data TP Posyandu ini.")
            self._team = team
        return self._team

    needs_region_write = False

    def resolve_parent(self) -> None:
        self.get_team()

    def get_queryset(self) -> Any:
        return super().get_queryset().filter(team=self.get_team())  # type: ignore[misc]

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["team"] = self.get_team()
        return kwargs

    def get_success_url(self) -> str:
        return self.get_team().get_absolute_url()


class MemberCreateView(MemberMixin, ScopedCreateView):
    model = TimPembinaMember
    form_class = TimPembinaMemberForm


class MemberUpdateView(MemberMixin, ScopedUpdateView):
    model = TimPembinaMember
    form_class = TimPembinaMemberForm
