"""Tindak lanjut pages: the list (filterable, with the "Terlambat" tab), "Tindak lanjut saya", the
detail page where the owner answers (status, comments, evidence) and a scoped evidence download."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic

from apps.core.scoping import VIEW
from apps.core.views import (
    ScopedCreateView,
    ScopedListView,
    ScopedUpdateView,
    ScopedViewMixin,
    get_scoped_or_404,
)
from apps.followups import services
from apps.followups.filtersets import FollowUpFilterSet
from apps.followups.forms import CommentForm, EvidenceForm, FollowUpForm, StatusForm
from apps.followups.models import CLOSED_STATUSES, FollowUp, FollowUpEvidence
from apps.followups.tables import FollowUpTable


def overdue_first(queryset: Any) -> Any:
    """Open overdue rows first (oldest due date first), then open ones, then closed."""
    today = timezone.localdate()
    return queryset.annotate(
        _rank=Case(
            When(status__in=CLOSED_STATUSES, then=Value(2)),
            When(due_date__lt=today, then=Value(0)),
            default=Value(1), output_field=IntegerField(),
        )
    ).order_by("_rank", "due_date", "pk")


class FollowUpListView(ScopedListView):
    model = FollowUp
    queryset = FollowUp.objects.select_related("field", "owner_opd", "owner_user")
    filterset_class = FollowUpFilterSet
    table_class = FollowUpTable
    template_name = "followups/followup_list.html"
    title = "Tindak lanjut"
    create_url_name = "followups:create"

    def get_queryset(self) -> Any:
        return overdue_first(super().get_queryset())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        base = FollowUp.objects.for_user(self.request.user, VIEW)
        context.update(state=self.request.GET.get("state", ""), eskalasi=self.request.GET.get("eskalasi", ""),
                       overdue_count=base.overdue().count(), open_count=base.open().count())
        return context


class MyFollowUpListView(ScopedListView):
    """Tindak lanjut saya: owned by the user or the user's OPD, overdue first."""

    model = FollowUp
    filterset_class = FollowUpFilterSet
    table_class = FollowUpTable
    template_name = "followups/followup_list.html"
    title = "Tindak lanjut saya"

    def get_queryset(self) -> Any:
        qs = super().get_queryset().owned_by(self.request.user).select_related("field", "owner_opd", "owner_user")
        return overdue_first(qs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        mine = FollowUp.objects.for_user(self.request.user, VIEW).owned_by(self.request.user)
        context.update(mine=True, state=self.request.GET.get("state", ""), eskalasi="",
                       overdue_count=mine.overdue().count(), open_count=mine.open().count())
        return context


class FollowUpCreateView(ScopedCreateView):
    model = FollowUp
    form_class = FollowUpForm
    form_takes_user = True
    success_message = "Tindak lanjut dibuat."

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.restrict_opd()
        return form


class FollowUpUpdateView(ScopedUpdateView):
    model = FollowUp
    form_class = FollowUpForm
    form_takes_user = True
    success_message = "Tindak lanjut diperbarui."

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        form.restrict_opd()
        return form


class FollowUpDetailView(ScopedViewMixin, generic.DetailView):
    """The follow-up with its answer forms; POST `action` = status | comment | evidence."""

    model = FollowUp
    template_name = "followups/followup_detail.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("field", "owner_opd", "owner_user", "created_by", "region",
                                                     "source_type")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj: FollowUp = self.object
        context.update(
            title=obj.title,
            can_act=services.can_act(self.request.user, obj),
            status_form=kwargs.get("status_form") or StatusForm(initial={"status": obj.status}),
            comment_form=kwargs.get("comment_form") or CommentForm(),
            evidence_form=kwargs.get("evidence_form") or EvidenceForm(),
            comments=obj.comments.select_related("author"),
            evidence=obj.evidence.select_related("uploaded_by"),
            history=obj.history.select_related("history_user").order_by("-history_date")[:50],
            source=self.source_link(obj),
        )
        return context

    def source_link(self, obj: FollowUp) -> dict[str, str] | None:
        """Where it came from, linked only when the user can read the source."""
        if not obj.source_type_id:
            return None
        model = obj.source_type.model_class()
        label = str(model._meta.verbose_name).capitalize() if model else "Sumber"
        manager = getattr(model, "_default_manager", None)
        if manager is None or not hasattr(manager, "for_user"):
            return {"label": label, "url": ""}
        source = manager.for_user(self.request.user, VIEW).filter(pk=obj.source_id).first()
        if source is None:
            return {"label": label, "url": ""}
        url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
        return {"label": f"{label}: {source}", "url": url}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()  # 404 outside the readable scope
        if not services.can_act(request.user, self.object):
            raise PermissionDenied("Anda tidak dapat menindaklanjuti data ini.")
        action = request.POST.get("action")
        forms: dict[str, Any] = {}
        try:
            if action == "status":
                form = forms["status_form"] = StatusForm(request.POST)
                if form.is_valid():
                    services.set_status(self.object, form.cleaned_data["status"], acting_user=request.user,
                                        comment=form.cleaned_data["comment"])
                    messages.success(request, "Status diperbarui.")
                    return redirect(self.object)
            elif action == "comment":
                form = forms["comment_form"] = CommentForm(request.POST)
                if form.is_valid():
                    services.add_comment(self.object, form.cleaned_data["text"], acting_user=request.user)
                    messages.success(request, "Catatan ditambahkan.")
                    return redirect(self.object)
            elif action == "evidence":
                form = forms["evidence_form"] = EvidenceForm(request.POST, request.FILES)
                if form.is_valid():
                    services.add_evidence(self.object, form.cleaned_data["file"], acting_user=request.user,
                                          description=form.cleaned_data["description"])
                    messages.success(request, "Bukti diunggah.")
                    return redirect(self.object)
            else:
                messages.error(request, "Tindakan tidak dikenal.")
                return redirect(self.object)
        except ValidationError as exc:
            target = next(iter(forms.values()))
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    target.add_error(field if field in target.fields else None, errors)
            else:
                target.add_error(None, exc.messages)
        return self.render_to_response(self.get_context_data(**forms), status=400)


class EvidenceDownloadView(ScopedViewMixin, generic.View):
    """Evidence files are personal data: served only to users who can read the follow-up."""

    model = FollowUpEvidence

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = get_scoped_or_404(FollowUpEvidence.objects.all(), request.user, pk=pk)
        if not evidence.file:
            raise Http404("Berkas tidak ditemukan.")
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("Berkas tidak ditemukan.") from exc
        return FileResponse(handle, as_attachment=True, filename=evidence.filename)
