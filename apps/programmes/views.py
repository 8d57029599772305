"""Programme pages: list, detail (activities, progress chart, linked indicators and documents),
create/update, indicators, activities, monthly progress, and the synchronisation view per area."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView

from apps.core.regioncodes import is_valid_code, within
from apps.core.scoping import VIEW, get_scope
from apps.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopedViewMixin,
    WritableParentMixin,
)
from apps.organisations.models import Opd
from apps.programmes import selectors
from apps.programmes.filtersets import ProgrammeFilterSet
from apps.programmes.forms import ActivityForm, ProgrammeForm, ProgrammeIndicatorForm, ProgressReportForm
from apps.programmes.models import SHORT_MONTHS, Activity, Programme, ProgrammeIndicator, ProgressReport
from apps.programmes.tables import ProgrammeTable
from apps.regions.models import Region


class ProgrammeListView(ScopedListView):
    model = Programme
    queryset = Programme.objects.select_related("field", "opd", "team")
    filterset_class = ProgrammeFilterSet
    table_class = ProgrammeTable
    template_name = "programmes/programme_list.html"
    title = "Program kerja TP Posyandu"
    create_url_name = "programmes:create"


class ProgrammeDetailView(ScopedDetailView):
    model = Programme
    queryset = Programme.objects.select_related("field", "opd", "team", "responsible_user")
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        programme: Programme = self.object
        activities = list(programme.activities.prefetch_related(
            Prefetch("villages", queryset=Region.objects.order_by("code"))).order_by("pk"))
        reports = list(programme.progress_reports.select_related("activity").order_by("month", "activity_id"))
        overall = [r for r in reports if r.activity_id is None]
        context.update(
            activities=activities,
            activity_budget=sum((a.budget for a in activities), Decimal(0)),
            reports=reports,
            trends=selectors.programme_trends(programme),
            documents=programme.documents.all(),
            chart={"months": [f"{SHORT_MONTHS[r.month.month - 1]} {r.month.year}" for r in overall],
                   "physical": [float(r.physical_progress) for r in overall],
                   "financial": [float(r.financial_realisation) for r in overall],
                   "budget": float(programme.budget)},
            title=programme.name,
        )
        return context


class ProgrammeEditMixin:
    model = Programme
    form_class = ProgrammeForm
    form_takes_user = True
    template_name = "programmes/programme_form.html"

    def get_form(self, form_class: Any = None) -> ModelForm:
        form = super().get_form(form_class)  # type: ignore[misc]
        # The responsible OPD may sit above the team (a kecamatan team's programme run by a Dinas
        # of the kabupaten): choosing it needs only to read it; the model checks the level.
        form.fields["opd"].queryset = Opd.objects.for_user(self.request.user, VIEW).filter(  # type: ignore[attr-defined]
            is_active=True).order_by("region_code", "name")
        return form


class ProgrammeCreateView(ProgrammeEditMixin, ScopedCreateView):
    success_message = "Program kerja tersimpan. Tambahkan kegiatan dan indikatornya."


class ProgrammeUpdateView(ProgrammeEditMixin, ScopedUpdateView):
    pass


class ProgrammeChildMixin(WritableParentMixin):
    parent_model = Programme
    parent_kwarg = "programme_pk"
    parent_field = "programme"
    parent_read_only_message = "Anda hanya dapat membaca program ini."
    template_name = "programmes/child_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["programme"] = self.get_parent()
        return context


class ActivityCreateView(ProgrammeChildMixin, ScopedCreateView):
    model = Activity
    form_class = ActivityForm
    success_message = "Kegiatan tersimpan."


class ActivityUpdateView(ProgrammeChildMixin, ScopedUpdateView):
    model = Activity
    form_class = ActivityForm


class ProgressCreateView(ProgrammeChildMixin, ScopedCreateView):
    model = ProgressReport
    form_class = ProgressReportForm
    success_message = "Laporan kemajuan tersimpan."

    def after_save(self, form: ModelForm) -> None:
        form.instance.reported_by = self.request.user
        form.instance.save(update_fields=["reported_by"])


class ProgressUpdateView(ProgrammeChildMixin, ScopedUpdateView):
    model = ProgressReport
    form_class = ProgressReportForm


class IndicatorLinkCreateView(ProgrammeChildMixin, ScopedCreateView):
    model = ProgrammeIndicator
    form_class = ProgrammeIndicatorForm
    success_message = "Indikator ditautkan."


class IndicatorLinkDeleteView(ScopedDeleteView):
    model = ProgrammeIndicator

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().filter(programme_id=self.kwargs["programme_pk"])

    def get_success_url(self) -> str:
        return self.object.programme.get_absolute_url()


class ProgressGuardMixin:
    """A programme or activity entered by mistake may be deleted; once progress has been reported
    on it, it is part of the record (the sync view, rakor and the monthly monitoring read it): set the
    programme's status to Dibatalkan instead. The history keeps what was deleted and by whom."""

    def form_valid(self, form: Any) -> HttpResponse:
        if self.object.progress_reports.exists():
            messages.error(self.request, "Sudah ada laporan kemajuan, sehingga tidak dapat dihapus. "
                                         "Ubah status program menjadi Dibatalkan.")
            return redirect(self.get_cancel_url())
        return super().form_valid(form)  # type: ignore[misc]


class ProgrammeDeleteView(ProgressGuardMixin, ScopedDeleteView):
    model = Programme
    success_url = reverse_lazy("programmes:list")

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()


class ActivityDeleteView(ProgressGuardMixin, ScopedDeleteView):
    model = Activity

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().filter(programme_id=self.kwargs["programme_pk"])

    def get_cancel_url(self) -> str:
        return self.object.programme.get_absolute_url()

    def get_success_url(self) -> str:
        return self.get_cancel_url()


# --- synchronisation view ----------------------------------------------------------------------


def default_area(user: Any) -> str:
    scope = get_scope(user, VIEW)
    codes = scope.region_codes or scope.posyandu_village_codes
    return codes[0] if codes else ""


def area_for_user(user: Any, code: str) -> Region:
    """The region the user asked for, if it lies inside their own area (not merely above it:
    a kecamatan officer may not read the kabupaten's sync view, which names other kecamatan)."""
    scope = get_scope(user, VIEW)
    code = (code or "").strip()
    allowed = scope.everything or any(within(code, c) for c in scope.region_codes + scope.posyandu_village_codes)
    region = Region.objects.current().filter(code=code).first() if is_valid_code(code) and allowed else None
    if region is None:
        raise Http404("Wilayah tidak ditemukan.")
    return region


def year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("tahun", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2020 <= year <= 2100 else timezone.localdate().year


OVERLAPS_SHOWN = 50  # the page lists the first ones; the API gives them all


class SyncView(ScopedViewMixin, TemplateView):
    """The six fields × OPD × months of an area: gaps, overlaps and programmes that do not move."""

    model = Programme
    template_name = "programmes/sync.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        code = self.request.GET.get("wilayah", "").strip() or default_area(user)
        year = year_param(self.request)
        this_year = timezone.localdate().year
        context.update(title="Sinkronisasi program", year=year, code=code,
                       years=list(range(this_year + 1, this_year - 5, -1)), overview=None, area=None)
        if not code:
            return context  # no area yet (national users choose one; unassigned users have none)
        area = area_for_user(user, code)
        opds = selectors.area_opds(area.code).for_user(user, VIEW)
        context.update(area=area, overview=selectors.sync_overview(area.code, year, opds=opds,
                                                                   overlap_limit=OVERLAPS_SHOWN))
        return context
