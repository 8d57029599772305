"""Rakor pages: list, schedule, the meeting page with its proposed agenda, attendance, minutes,
decisions with follow-ups, the printed notulen (HTML and PDF) and the TP Posyandu home."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.views import generic

from apps.core.scoping import CHANGE, get_scope, require_change
from apps.core.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopedViewMixin,
    WritableParentMixin,
    get_scoped_or_404,
)
from apps.meetings import agenda, dashboard, exporters, services
from apps.meetings.filtersets import MeetingFilterSet
from apps.meetings.forms import AgendaItemForm, DecisionForm, MeetingForm, MinutesForm, OpdQuickAddForm, ParticipantForm
from apps.meetings.models import AgendaItem, Decision, Meeting, Participant
from apps.meetings.tables import MeetingTable
from apps.organisations.models import TimPembina


class MeetingListView(ScopedListView):
    model = Meeting
    queryset = Meeting.objects.select_related("team")
    filterset_class = MeetingFilterSet
    table_class = MeetingTable
    title = "Rapat koordinasi (rakor)"
    create_url_name = "meetings:create"


class MeetingCreateView(ScopedCreateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    success_message = "Rapat dijadwalkan."

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        scope = get_scope(self.request.user, CHANGE)
        codes = sorted(scope.region_codes, key=lambda c: (c.count("."), c))
        team = TimPembina.objects.filter(region_code=codes[0], is_active=True).first() if codes else None
        if team is not None:
            initial["team"] = team.pk
        initial["kind"] = "rakor"
        return initial

    def after_save(self, form: MeetingForm) -> None:
        Meeting.objects.filter(pk=self.object.pk).update(created_by=self.request.user)
        if form.cleaned_data.get("invite_members"):
            services.invite_team_members(meeting=self.object, acting_user=self.request.user)


class MeetingUpdateView(ScopedUpdateView):
    model = Meeting
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"


class MinutesView(ScopedUpdateView):
    model = Meeting
    form_class = MinutesForm
    template_name = "meetings/minutes_form.html"
    success_message = "Notulen tersimpan."


class MeetingDetailView(ScopedDetailView):
    model = Meeting
    queryset = Meeting.objects.select_related("team", "region")
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting: Meeting = self.object
        items = list(meeting.agenda_items.select_related("field"))
        present_keys = {i.source_key for i in items if i.source_key}
        proposals = [(p, p.key in present_keys)
                     for p in agenda.proposals_for_meeting(meeting, timezone.localdate())]
        decisions = list(meeting.decisions.select_related("field", "agenda_item"))
        followups = services.followups_of(decisions)
        participants = meeting.participants.aggregate(invited=Count("pk", filter=Q(invited=True)),
                                                      attended=Count("pk", filter=Q(attended=True)))
        context.update(
            title=meeting.title, items=items, proposals=proposals,
            open_proposals=sum(1 for _, added in proposals if not added),
            decisions=[(d, followups.get(d.pk, [])) for d in decisions], participants=participants,
            documents=linked_documents(meeting, self.request.user),
            breadcrumbs=[("Rakor", "/rakor/"), (meeting.title, "")],
        )
        return context


def linked_documents(meeting: Meeting, user: Any) -> list[Any]:
    return list(meeting.documents.for_user(user).order_by("-year", "title"))


class AgendaAddView(ScopedViewMixin, generic.View):
    """POST: add one data proposal to the agenda (the "Tambahkan ke agenda" button)."""

    model = Meeting

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_scoped_or_404(Meeting.objects.all(), request.user, pk=pk)
        require_change(meeting, request.user, services.READ_ONLY)
        key = request.POST.get("agenda_key", "")
        proposal = next((p for p in agenda.proposals_for_meeting(meeting, timezone.localdate()) if p.key == key), None)
        if proposal is None:
            messages.error(request, "Usulan ini tidak ada lagi: datanya sudah berubah.")
        else:
            try:
                services.add_proposal(meeting=meeting, proposal=proposal, acting_user=request.user)
                messages.success(request, f"Ditambahkan ke agenda: {proposal.title}")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect(meeting.get_absolute_url() + "#agenda")


class MeetingChildMixin(WritableParentMixin):
    parent_model = Meeting
    parent_kwarg = "meeting_pk"
    parent_field = "meeting"
    parent_read_only_message = services.READ_ONLY


class AgendaItemCreateView(MeetingChildMixin, ScopedCreateView):
    model = AgendaItem
    form_class = AgendaItemForm


class AgendaItemUpdateView(MeetingChildMixin, ScopedUpdateView):
    model = AgendaItem
    form_class = AgendaItemForm


class MeetingChildDeleteMixin(MeetingChildMixin):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.pop(self.parent_field, None)  # the delete confirmation form takes no parent
        return kwargs


class AgendaItemDeleteView(MeetingChildDeleteMixin, ScopedDeleteView):
    model = AgendaItem

    def get_success_url(self) -> str:
        return self.get_parent().get_absolute_url() + "#agenda"


class ParticipantMixin(MeetingChildMixin):
    model = Participant
    form_class = ParticipantForm

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        # Participants may represent an OPD above the meeting's area (read-only to the user).
        form.fields["opd"].queryset = services.opds_for(self.get_parent())
        return form

    def get_success_url(self) -> str:
        return self.get_parent().get_absolute_url().rstrip("/") + "/kehadiran/"


class ParticipantCreateView(ParticipantMixin, ScopedCreateView):
    success_message = "Peserta ditambahkan."


class ParticipantUpdateView(ParticipantMixin, ScopedUpdateView):
    pass


class AttendanceView(ScopedViewMixin, generic.TemplateView):
    """Who was invited and who came, ticked on one page; OPD representatives added in one go."""

    model = Meeting
    template_name = "meetings/attendance.html"

    def get_meeting(self) -> Meeting:
        return get_scoped_or_404(Meeting.objects.select_related("team"), self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        context.update(
            meeting=meeting, object=meeting, title=f"Kehadiran · {meeting.title}",
            can_change=self.can_change(meeting),
            participants=meeting.participants.select_related("opd"),
            quick_form=kwargs.get("quick_form") or OpdQuickAddForm(meeting=meeting),
            breadcrumbs=[("Rakor", "/rakor/"), (meeting.title, meeting.get_absolute_url()), ("Kehadiran", "")],
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = self.get_meeting()
        require_change(meeting, request.user, services.READ_ONLY)
        try:
            if request.POST.get("action") == "tambah_opd":
                form = OpdQuickAddForm(request.POST, meeting=meeting)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(meeting=meeting, quick_form=form))
                added = services.add_opd_representatives(meeting=meeting, opds=list(form.cleaned_data["opds"]),
                                                         acting_user=request.user)
                messages.success(request, f"{added} perwakilan OPD ditambahkan.")
            elif request.POST.get("action") == "undang_anggota":
                added = services.invite_team_members(meeting=meeting, acting_user=request.user)
                messages.success(request, f"{added} anggota TP Posyandu ditambahkan.")
            else:
                try:
                    present = {int(v) for v in request.POST.getlist("hadir")}
                except ValueError:
                    raise ValidationError("Data kehadiran tidak valid.") from None
                services.record_attendance(meeting=meeting, present_ids=present, acting_user=request.user)
                messages.success(request, "Kehadiran tersimpan.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(request.path)


class DecisionCreateView(ScopedViewMixin, generic.FormView):
    """A decision and its follow-up in one form."""

    model = Decision
    form_class = DecisionForm
    template_name = "meetings/decision_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            self.meeting = get_scoped_or_404(Meeting.objects.all(), request.user, pk=kwargs["meeting_pk"])
            require_change(self.meeting, request.user, services.READ_ONLY)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        item = self.request.GET.get("acara")
        if item and item.isdigit():
            initial["agenda_item"] = item
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, title=f"Keputusan · {self.meeting.title}",
                       breadcrumbs=[("Rakor", "/rakor/"), (self.meeting.title, self.meeting.get_absolute_url()),
                                    ("Keputusan", "")])
        return context

    def form_valid(self, form: DecisionForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            with transaction.atomic():
                _, followup = services.record_decision(
                    meeting=self.meeting, text=data["text"], acting_user=self.request.user, field=data["field"],
                    agenda_item=data["agenda_item"], followup_title=data["followup_title"],
                    owner_opd=data["owner_opd"], owner_name=data["owner_name"], due_date=data["due_date"],
                    create_followup=data["create_followup"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        if followup is not None:
            messages.success(self.request, f"Keputusan dicatat; tindak lanjut dibuat untuk "
                                           f"{followup.owner_opd or followup.owner_name}, batas {followup.due_date:%d/%m/%Y}.")
        else:
            messages.success(self.request, "Keputusan dicatat.")
        return redirect(self.meeting.get_absolute_url() + "#keputusan")


class DecisionDeleteView(MeetingChildDeleteMixin, ScopedDeleteView):
    """Removing a decision keeps its follow-ups (they have their own history and owners)."""

    model = Decision

    def get_success_url(self) -> str:
        return self.get_parent().get_absolute_url() + "#keputusan"


class MinutesPrintView(ScopedViewMixin, generic.View):
    """The notulen as a printable page (browser print) and as a PDF."""

    model = Meeting
    as_pdf = False

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_scoped_or_404(Meeting.objects.select_related("team", "region"), request.user, pk=pk)
        generated_by = getattr(request.user, "display_name", "") or request.user.get_username()
        if not self.as_pdf:
            return HttpResponse(exporters.minutes_html(meeting, generated_by=generated_by, screen=True))
        pdf = exporters.minutes_pdf(meeting, generated_by=generated_by)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"notulen-{slugify(meeting.title)[:60]}-{timezone.localdate(meeting.scheduled_at):%Y%m%d}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class HomeView(ScopedViewMixin, generic.TemplateView):
    """The TP Posyandu home of the user's area (or of an area below it chosen with ?wilayah=)."""

    model = Meeting
    template_name = "meetings/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        requested = self.request.GET.get("wilayah", "")
        area = dashboard.area_for(self.request.user, requested)
        if area is None:
            if requested:
                raise Http404("Wilayah tidak ditemukan.")
            context.update(title="Beranda TP Posyandu", no_area=True)
            return context
        context.update(dashboard.home(self.request.user, area, timezone.localdate()))
        context["can_change"] = get_scope(self.request.user, CHANGE).can_place_in_region
        return context
