"""Pages of the field registers: the per-field summary of an area, a Posyandu's register home,
and per field a list, create/update forms, a detail page with its tindak lanjut, and forwarding to
the responsible OPD. The per-field classes are generated from registers.REGISTERS so every route
names its model (the URL walker and the scoping read it)."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import generic

from apps.core.scoping import CHANGE, VIEW, code_q, get_scope, is_in_scope
from apps.core.views import (
    ScopedCreateView,
    ScopedListView,
    ScopedUpdateView,
    ScopedViewMixin,
    WritableParentMixin,
    get_scoped_or_404,
)
from apps.fieldregisters import services
from apps.fieldregisters.filtersets import FieldActivityFilterSet
from apps.fieldregisters.forms import FieldActivityForm, FollowUpProposalForm
from apps.fieldregisters.models import FieldActivity, IncidentReport
from apps.fieldregisters.registers import REGISTERS, Register
from apps.fieldregisters.summary import area_summary
from apps.fieldregisters.tables import FieldActivityTable
from apps.periods.hooks import mark_stale
from apps.posyandu.models import Posyandu
from apps.regions.models import Region

HIDDEN_FIELDS = {"id", "region_code", "province_code", "regency_code", "district_code", "village_code", "region",
                 "created_at", "updated_at", "posyandu", "failed_criteria"}


def mark_report_stale(form: Any) -> None:
    """The monthly report reads these rows: mark the months they touch for recomputation."""
    mark_stale([(form.instance.posyandu_id, day) for day in form.report_dates()])


class FieldIndexView(ScopedViewMixin, generic.TemplateView):
    """Bidang SPM: per-field summary for an area (?area=<code>) and the Posyandu to open."""

    model = Posyandu
    template_name = "fieldregisters/index.html"

    def default_area(self) -> str:
        scope = get_scope(self.request.user, VIEW)
        codes = sorted(scope.region_codes, key=len)
        if codes:
            return codes[0]
        return scope.posyandu_village_codes[0] if scope.posyandu_village_codes else ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        area = (self.request.GET.get("area") or "").strip().rstrip(".") or self.default_area()
        region = Region.objects.for_user(self.request.user, VIEW).filter(code=area).first() if area else None
        posyandu = Posyandu.objects.for_user(self.request.user, VIEW)
        if region is not None:
            posyandu = posyandu.filter(code_q("region_code", region.code))
        context.update(title="Bidang SPM non-kesehatan", area=region, registers=REGISTERS,
                       summary=area_summary(self.request.user, region.code if region else ""),
                       posyandu_list=posyandu.order_by("region_code", "name")[:100],
                       posyandu_count=posyandu.count())
        return context


class PosyanduRegistersView(ScopedViewMixin, generic.TemplateView):
    """A Posyandu's five registers and activities at a glance, with the buttons to add."""

    model = Posyandu
    template_name = "fieldregisters/posyandu.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        posyandu = get_scoped_or_404(Posyandu.objects.select_related("village"), self.request.user,
                                     pk=self.kwargs["posyandu_pk"])
        context.update(title=f"Bidang SPM {posyandu.name}", posyandu=posyandu, registers=REGISTERS,
                       can_write=is_in_scope(posyandu, self.request.user, CHANGE),
                       summary=area_summary(self.request.user, posyandu=posyandu),
                       activities=FieldActivity.objects.for_user(self.request.user).filter(posyandu=posyandu)[:10])
        return context

    def can_change(self, obj: models.Model | None = None) -> bool:
        return False  # the page's own buttons use can_write


class RegisterMixin:
    register: Register

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["register"] = self.register
        return context


class CaseListView(RegisterMixin, ScopedListView):
    template_name = "fieldregisters/case_list.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("posyandu", *self.related)

    @property
    def related(self) -> list[str]:
        names = {f.name for f in self.model._meta.get_fields()}
        return [n for n in ("person", "household") if n in names]


class CaseEditMixin(RegisterMixin):
    template_name = "fieldregisters/case_form.html"

    def form_valid(self, form: Any) -> HttpResponse:
        if not form.instance.pk:
            form.instance.recorded_by = self.request.user  # type: ignore[attr-defined]
        return super().form_valid(form)  # type: ignore[misc]

    def after_save(self, form: Any) -> None:
        mark_report_stale(form)

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()  # type: ignore[attr-defined]


class CaseCreateView(CaseEditMixin, WritableParentMixin, ScopedCreateView):
    parent_model = Posyandu
    parent_kwarg = "posyandu_pk"
    parent_field = "posyandu"
    parent_read_only_message = "Anda hanya dapat membaca data Posyandu ini."
    success_message = "Data tersimpan."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["posyandu"] = self.get_parent()
        return context


class CaseUpdateView(CaseEditMixin, ScopedUpdateView):
    success_message = "Perubahan tersimpan."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["posyandu"] = self.object.posyandu
        return kwargs


def display_rows(obj: models.Model, *, show_confidential: bool) -> list[tuple[str, Any]]:
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        if isinstance(obj, IncidentReport) and field.name in IncidentReport.REPORTER_FIELDS and not show_confidential:
            value: Any = "dirahasiakan" if getattr(obj, field.name) else "-"
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")() or "-"
        else:
            value = getattr(obj, field.name)
            if isinstance(value, bool):
                value = "Ya" if value else "Tidak"
            elif value in (None, ""):
                value = "-"
        rows.append((str(field.verbose_name).capitalize(), value))
    return rows


class CaseDetailView(RegisterMixin, ScopedViewMixin, generic.DetailView):
    template_name = "fieldregisters/case_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.object
        writable = context["can_change"]
        context.update(
            title=str(obj), rows=display_rows(obj, show_confidential=writable),
            followups=obj.followups.select_related("owner_opd"),
            history=obj.history.select_related("history_user").order_by("-history_date")[:30],
            proposal_form=kwargs.get("proposal_form") or FollowUpProposalForm(opds=services.responsible_opds(obj)),
        )
        return context


class CaseForwardView(RegisterMixin, ScopedViewMixin, generic.View):
    """POST: forward the case to the chosen OPD as a tindak lanjut (errors come back as messages)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        case = get_scoped_or_404(self.model._default_manager.all(), request.user, pk=pk)
        form = FollowUpProposalForm(request.POST, opds=services.responsible_opds(case))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(case)
        try:
            followup = services.forward_to_opd(case, opd=form.cleaned_data["opd"], acting_user=request.user,
                                               title=form.cleaned_data["title"],
                                               due_date=form.cleaned_data["due_date"],
                                               description=form.cleaned_data["description"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(case)
        messages.success(request, f"Diteruskan ke {followup.owner_opd} dengan batas waktu "
                                  f"{followup.due_date:%d/%m/%Y}.")
        return redirect(case)


def register_views(register: Register) -> dict[str, Any]:
    """The five view classes of one register, each naming its model."""
    base = {"model": register.model, "register": register}
    name = register.model.__name__
    return {
        "list": type(f"{name}ListView", (CaseListView,), {
            **base, "filterset_class": register.filterset, "table_class": register.table,
            "title": f"Bidang {register.title}"}),
        "create": type(f"{name}CreateView", (CaseCreateView,), {**base, "form_class": register.form}),
        "detail": type(f"{name}DetailView", (CaseDetailView,), base),
        "update": type(f"{name}UpdateView", (CaseUpdateView,), {**base, "form_class": register.form}),
        "forward": type(f"{name}ForwardView", (CaseForwardView,), base),
    }


# --- Activities --------------------------------------------------------------------------------

class ActivityListView(ScopedListView):
    model = FieldActivity
    queryset = FieldActivity.objects.select_related("posyandu", "field")
    filterset_class = FieldActivityFilterSet
    table_class = FieldActivityTable
    title = "Kegiatan bidang SPM"


class ActivityCreateView(WritableParentMixin, ScopedCreateView):
    model = FieldActivity
    form_class = FieldActivityForm
    parent_model = Posyandu
    parent_kwarg = "posyandu_pk"
    parent_field = "posyandu"
    success_message = "Kegiatan tersimpan."

    def form_valid(self, form: Any) -> HttpResponse:
        form.instance.recorded_by = self.request.user
        return super().form_valid(form)

    def after_save(self, form: Any) -> None:
        mark_report_stale(form)

    def get_success_url(self) -> str:
        return reverse("fieldregisters:activity_list") + f"?posyandu={self.object.posyandu_id}"


class ActivityUpdateView(ScopedUpdateView):
    model = FieldActivity
    form_class = FieldActivityForm
    success_message = "Kegiatan diperbarui."

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["posyandu"] = self.object.posyandu
        return kwargs

    def after_save(self, form: Any) -> None:
        mark_report_stale(form)

    def get_success_url(self) -> str:
        return reverse("fieldregisters:activity_list") + f"?posyandu={self.object.posyandu_id}"
