from __future__ import annotations

from django.db.models import Prefetch

from apps.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    WritableParentMixin,
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


class MemberMixin(WritableParentMixin):
    parent_model = TimPembina
    parent_kwarg = "team_pk"
    parent_field = "team"
    parent_read_only_message = "Anda hanya dapat membaca data TP Posyandu ini."


class MemberCreateView(MemberMixin, ScopedCreateView):
    model = TimPembinaMember
    form_class = TimPembinaMemberForm


class MemberUpdateView(MemberMixin, ScopedUpdateView):
    model = TimPembinaMember
    form_class = TimPembinaMemberForm
