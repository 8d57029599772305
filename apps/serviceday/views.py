"""The hari buka pages: open a session, go through the roster, record each visit, act on referrals."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from apps.core.scoping import CHANGE, IMPORT, is_in_scope, require_change, require_import
from apps.core.views import ScopedViewMixin, get_scoped_or_404
from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.serviceday import immunisation, rules, services
from apps.serviceday.forms import FeedbackForm, VisitForm, stage_group
from apps.serviceday.models import Referral, ReferralStatus, ServiceSession, Visit


def _given(person: Person) -> dict[str, dt.date]:
    return dict(person.immunisations.values_list("vaccine", "given_on"))


class SessionListView(ScopedViewMixin, TemplateView):
    """A Posyandu's hari buka, newest first, with the form to open today's."""

    model = ServiceSession
    template_name = "serviceday/session_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        posyandu = get_scoped_or_404(Posyandu.objects.all(), self.request.user, pk=self.kwargs["posyandu_pk"])
        context.update(
            posyandu=posyandu, title=f"Hari buka {posyandu.name}",
            sessions=ServiceSession.objects.for_user(self.request.user).filter(posyandu=posyandu)[:24],
            can_change=is_in_scope(posyandu, self.request.user, CHANGE),
            today=timezone.localdate(),
        )
        return context

    def post(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        posyandu = get_scoped_or_404(Posyandu.objects.all(), request.user, pk=posyandu_pk)
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            messages.error(request, "Tanggal hari buka tidak valid.")
            return redirect("serviceday:sessions", posyandu_pk=posyandu.pk)
        if day > timezone.localdate():
            messages.error(request, "Hari buka tidak dapat dibuka untuk tanggal yang akan datang.")
            return redirect("serviceday:sessions", posyandu_pk=posyandu.pk)
        session = services.open_session(posyandu=posyandu, date=day, acting_user=request.user)
        return redirect(session)


class SessionView(ScopedViewMixin, TemplateView):
    """The roster: who is expected, who came, what is done, who needs a referral."""

    model = ServiceSession
    template_name = "serviceday/session.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        session = get_scoped_or_404(ServiceSession.objects.select_related("posyandu"), user, pk=self.kwargs["pk"])
        rows = services.roster(session)
        q = self.request.GET.get("q", "").strip().lower()
        if q:
            rows = [r for r in rows if q in r[0].name.lower()]
        groups: dict[str, list[Any]] = {}
        for person, stage, visit in rows:
            groups.setdefault(rules.stage_label(stage), []).append((person, visit))
        visits = session.visits.select_related("person")
        context.update(
            session=session, posyandu=session.posyandu, groups=groups, title=str(session),
            can_change=is_in_scope(session, user, CHANGE),
            came=visits.count(), measured=visits.filter(step_measured=True).count(),
            proposed=Referral.objects.filter(visit__session=session, status=ReferralStatus.PROPOSED)
            .select_related("person", "visit"),
            q=q,
        )
        return context


class RegisterVisitView(ScopedViewMixin, View):
    """Langkah 1, pendaftaran: mark a person present (from the roster, or a walk-in)."""

    # The model the URL's pk names (the hari buka), not the visit it creates: the URL walk fills
    # the pk from this, and with Visit it had passed only while a visit's id happened to equal a
    # session's (PostgreSQL sequences, not rolled back, broke the coincidence).
    model = ServiceSession

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = get_scoped_or_404(ServiceSession.objects.all(), request.user, pk=pk)
        require_change(session, request.user)
        person = get_scoped_or_404(Person.objects.all(), request.user, pk=request.POST.get("person") or 0)
        if person.posyandu_id != session.posyandu_id:
            # A walk-in served by another Posyandu: they are registered here for today only.
            walk_in = True
        else:
            walk_in = request.POST.get("walk_in") == "1"
        try:
            with transaction.atomic():
                visit, _ = Visit.objects.get_or_create(
                    session=session, person=person,
                    defaults={"posyandu": session.posyandu, "visit_date": session.date, "walk_in": walk_in,
                              "stage": services.stage_for(person, session.date) or "",
                              "recorded_by": request.user},
                )
        except IntegrityError:
            visit = Visit.objects.get(session=session, person=person)
        return redirect(visit)


class VisitView(ScopedViewMixin, TemplateView):
    """Langkah 2–5 for one person: measure, record (results computed on save), serve, counsel."""

    model = Visit
    template_name = "serviceday/visit.html"

    def get_visit(self) -> Visit:
        return get_scoped_or_404(Visit.objects.select_related("person", "session", "posyandu"), self.request.user,
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visit = kwargs.get("visit") or self.get_visit()
        given = _given(visit.person)
        due = (immunisation.next_due(visit.person.birth_date, visit.visit_date, given)
               if visit.person.birth_date and stage_group(visit.stage) == "child" else [])
        context.update(
            visit=visit, person=visit.person, title=f"{visit.person.name} · {visit.visit_date:%d-%m-%Y}",
            form=kwargs.get("form") or VisitForm(instance=visit, stage=visit.stage or "produktif", given=given),
            due_vaccines=due,
            group=stage_group(visit.stage), stage_label=rules.stage_label(visit.stage),
            can_change=is_in_scope(visit, self.request.user, CHANGE),
            referrals=visit.referrals.all(),
            tbc_suspect=rules.is_tbc_suspect(visit.tbc_symptoms), puma_high=rules.is_puma_high(visit.puma_score),
            senses=[("Mata kanan", visit.get_vision_right_display()), ("Mata kiri", visit.get_vision_left_display()),
                    ("Telinga kanan", visit.get_hearing_right_display()),
                    ("Telinga kiri", visit.get_hearing_left_display())],
        )
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        visit = self.get_visit()
        require_change(visit, request.user)
        form = VisitForm(request.POST, instance=visit, stage=visit.stage or "produktif", given=_given(visit.person))
        if form.is_valid():
            visit = form.save(commit=False)
            visit.step_served = any([visit.vitamin_a, visit.deworming, visit.supplementary_food, visit.iron_tablets])
            visit.step_counselled = bool(visit.counselling_topics)
            try:
                recorded = services.record_visit(visit=visit, acting_user=request.user,
                                                 vaccines=form.cleaned_data.get("vaccines") or [])
            except ValidationError as exc:
                by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Hasil tersimpan.")
                if form.dropped_puma:
                    messages.info(request, "Jawaban kuesioner PUMA tidak disimpan: PUMA hanya untuk perokok.")
                if recorded.referral:
                    messages.warning(request, "Perlu rujukan: " + ", ".join(
                        rules.reason_label(r) for r in recorded.referral.reasons))
                return redirect(visit)
        return self.render_to_response(self.get_context_data(visit=Visit.objects.get(pk=visit.pk), form=form))


class ReferralListView(ScopedViewMixin, TemplateView):
    """Referrals in the user's area: proposals to decide, those awaiting a balasan, overdue first."""

    model = Referral
    template_name = "serviceday/referral_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        scoped = Referral.objects.for_user(self.request.user).select_related("person", "posyandu", "visit")
        show = self.request.GET.get("status", "terbuka")
        if show == "terlambat":
            rows = services.overdue_referrals(scoped, today)
        elif show == "selesai":
            rows = scoped.filter(Q(status=ReferralStatus.ANSWERED) | Q(status=ReferralStatus.DISMISSED))
        else:
            rows = scoped.filter(status__in=[ReferralStatus.PROPOSED, ReferralStatus.REFERRED])
        context.update(title="Rujukan", rows=rows.order_by("feedback_due", "-created_at")[:200], show=show,
                       today=today, overdue_count=services.overdue_referrals(scoped, today).count())
        return context


class ReferralDecideView(ScopedViewMixin, View):
    model = Referral

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        referral = get_scoped_or_404(Referral.objects.all(), request.user, pk=pk)
        services.decide_referral(referral=referral, refer=request.POST.get("refer") == "1",
                                 referred_to=request.POST.get("referred_to", "").strip(), acting_user=request.user,
                                 on=timezone.localdate())
        messages.success(request, "Rujukan dicatat." if referral.status == ReferralStatus.REFERRED
                         else "Usulan rujukan ditutup.")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = referral.get_absolute_url()
        return redirect(target)


class ReferralFeedbackView(ScopedViewMixin, TemplateView):
    model = Referral
    template_name = "serviceday/referral_feedback.html"

    def get_referral(self) -> Referral:
        return get_scoped_or_404(Referral.objects.select_related("person", "visit"), self.request.user,
                                 pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        referral = self.get_referral()
        context.update(referral=referral, title=f"Balasan rujukan {referral.person.name}",
                       form=kwargs.get("form") or FeedbackForm(initial={"feedback_on": timezone.localdate()}))
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        referral = self.get_referral()
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.record_feedback(referral=referral, feedback=form.cleaned_data["feedback"],
                                         on=form.cleaned_data["feedback_on"], acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "Balasan rujukan tersimpan.")
                return redirect("serviceday:referrals")
        return self.render_to_response(self.get_context_data(form=form))


class ImportView(ScopedViewMixin, TemplateView):
    """Upload an e-PPGBM-style sheet or CSV of people and past measurements for one Posyandu:
    all or nothing, with errors named by spreadsheet row."""

    model = ServiceSession
    template_name = "serviceday/import.html"
    max_upload_mb = 50

    def get_posyandu(self) -> Posyandu:
        return get_scoped_or_404(Posyandu.objects.all(), self.request.user, pk=self.kwargs["posyandu_pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        posyandu = kwargs.get("posyandu") or self.get_posyandu()
        context.update(posyandu=posyandu, title=f"Impor data · {posyandu.name}",
                       can_change=is_in_scope(posyandu, self.request.user, IMPORT))
        return context

    def post(self, request: HttpRequest, posyandu_pk: int) -> HttpResponse:
        from apps.serviceday.imports import import_measurements

        posyandu = self.get_posyandu()
        require_import(posyandu, request.user)
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Pilih berkas CSV atau XLSX.")
            return redirect("serviceday:import", posyandu_pk=posyandu.pk)
        if upload.size > self.max_upload_mb * 1024 * 1024:
            messages.error(request, f"Berkas lebih dari {self.max_upload_mb} MB; bagi menjadi beberapa berkas.")
            return redirect("serviceday:import", posyandu_pk=posyandu.pk)
        result = import_measurements(posyandu=posyandu, source=upload, acting_user=request.user,
                                     dry_run=request.POST.get("dry_run") == "1")
        return self.render_to_response(self.get_context_data(posyandu=posyandu, result=result))
