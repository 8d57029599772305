"""Kader development pages: training needs per area and Posyandu, a kader's skills and level badge,
trainings with participants and results, certifications outside a training."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from apps.competency import selectors, services
from apps.competency.filtersets import KaderLevelFilterSet, TrainingFilterSet
from apps.competency.forms import CertificationForm, ParticipantAddForm, ParticipantResultForm, RevokeForm, TrainingForm
from apps.competency.models import (
    LEVEL_RANK,
    Certification,
    KaderLevel,
    LevelRule,
    Skill,
    Training,
    TrainingParticipant,
)
from apps.competency.tables import KaderLevelTable, TrainingTable
from apps.core.scoping import CHANGE, code_q, get_scope, is_in_scope
from apps.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopedViewMixin,
    get_scoped_or_404,
)
from apps.posyandu.models import Kader, Posyandu
from apps.regions.models import Region


def _apply_service_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Training needs ----------------------------------------------------------------------------
class OverviewView(ScopedViewMixin, TemplateView):
    """Kompetensi kader for an area: levels, skills no active kader holds, SPM fields uncovered."""

    model = Posyandu
    template_name = "competency/overview.html"
    per_page = 100

    def get_area(self) -> Region | None:
        code = self.request.GET.get("wilayah", "").strip()
        if code:
            return get_scoped_or_404(Region.objects.current(), self.request.user, code=code)  # type: ignore[return-value]
        scope = get_scope(self.request.user)
        if len(scope.region_codes) == 1:
            return Region.objects.current().filter(code=scope.region_codes[0]).first()
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        area = self.get_area()
        posyandu = Posyandu.objects.for_user(self.request.user).filter(is_active=True)
        if area is not None:
            posyandu = posyandu.filter(code_q("region_code", area.code))
        needs = selectors.area_needs(posyandu)
        page = Paginator(posyandu.select_related("village").order_by("region_code", "name"), self.per_page).get_page(
            self.request.GET.get("halaman"))
        needs.posyandu_rows = selectors.posyandu_rows(list(page.object_list), needs.skill_count)
        children = []
        if area is not None and area.level < 4:
            children = list(Region.objects.current().for_user(self.request.user).filter(parent_code=area.code)
                            .order_by("code"))
        context.update(title="Kompetensi kader", area=area, needs=needs, page=page, children=children,
                       levels=[(value, label) for value, label in KaderLevel.choices],
                       can_change=get_scope(self.request.user, CHANGE).can_place_in_region)
        return context


class PosyanduCompetencyView(ScopedDetailView):
    """One Posyandu: its kader and levels, every skill with who holds it, the six fields."""

    model = Posyandu
    template_name = "competency/posyandu.html"
    queryset = Posyandu.objects.select_related("village")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.posyandu_needs(self.object), title=f"Kompetensi kader {self.object.name}",
                       level_choices=KaderLevel.choices)
        return context


# --- Kader -------------------------------------------------------------------------------------
class KaderListView(ScopedListView):
    model = Kader
    filterset_class = KaderLevelFilterSet
    table_class = KaderLevelTable
    title = "Tingkat kader"
    queryset = (Kader.objects.select_related("person", "posyandu", "field")
                .annotate(level_code=Coalesce("competency__level", Value(KaderLevel.NONE.value)),
                          skill_total=Coalesce("competency__skill_count", Value(0)),
                          level_rank=Case(*[When(competency__level=k, then=Value(v)) for k, v in LEVEL_RANK.items()],
                                          default=Value(0), output_field=IntegerField()))
                .order_by("posyandu__region_code", "posyandu__name", "person__name"))

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs.get("data") is None or "active" not in kwargs["data"]:
            data = kwargs.get("data").copy() if kwargs.get("data") is not None else {}
            data["active"] = "true"  # active kader unless asked otherwise
            kwargs["data"] = data
        return kwargs


class KaderCompetencyView(ScopedDetailView):
    """A kader's level badge, skills by group (held or missing) and trainings attended."""

    model = Kader
    template_name = "competency/kader_detail.html"
    queryset = Kader.objects.select_related("person", "posyandu", "field", "competency")
    context_object_name = "kader"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.kader_competency(self.object, self.request.user), title=str(self.object.person),
                       can_certify=services.can_certify(self.request.user, self.object))
        return context


class KaderParentMixin:
    """Pages about one kader named in the URL: readable (else 404) and certifiable (else 403)."""

    def get_kader(self) -> Kader:
        if not hasattr(self, "_kader"):
            kader = get_scoped_or_404(Kader.objects.select_related("person", "posyandu"),
                                      self.request.user, pk=self.kwargs["kader_pk"])  # type: ignore[attr-defined]
            if not services.can_certify(self.request.user, kader):  # type: ignore[attr-defined]
                raise PermissionDenied("Sertifikasi dicatat oleh petugas desa/kelurahan ke atas.")
            self._kader = kader
        return self._kader  # type: ignore[return-value]


class CertificationCreateView(KaderParentMixin, ScopedViewMixin, TemplateView):
    """Skills assessed outside a training."""

    model = Certification
    template_name = "competency/certification_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_kader()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kader = self.get_kader()
        context.setdefault("form", CertificationForm(held=services.held_skills(kader)))
        context.update(kader=kader, title=f"Catat keterampilan {kader.person}")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kader = self.get_kader()
        form = CertificationForm(request.POST, held=services.held_skills(kader))
        if form.is_valid():
            try:
                created = services.certify(kader=kader, skills=form.cleaned_data["skills"],
                                           certified_on=form.cleaned_data["certified_on"],
                                           assessed_by=form.cleaned_data["assessed_by"],
                                           tkk_given=form.cleaned_data["tkk_given"], acting_user=request.user)
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                messages.success(request, f"{len(created)} keterampilan dicatat.")
                return redirect("competency:kader_detail", pk=kader.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CertificationRevokeView(ScopedViewMixin, TemplateView):
    model = Certification
    template_name = "competency/certification_revoke.html"

    def get_certification(self) -> Certification:
        cert: Certification = get_scoped_or_404(Certification.objects.select_related("kader__person", "kader__posyandu",
                                                                                     "skill"),
                                                self.request.user, pk=self.kwargs["pk"])  # type: ignore[assignment]
        if not services.can_certify(self.request.user, cert.kader):
            raise PermissionDenied("Sertifikasi dicabut oleh petugas desa/kelurahan ke atas.")
        return cert

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cert = self.get_certification()
        context.setdefault("form", RevokeForm())
        context.update(certification=cert, title="Cabut sertifikasi")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cert = self.get_certification()
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.revoke(certification=cert, reason=form.cleaned_data["reason"], acting_user=request.user)
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                messages.success(request, f"Sertifikasi {cert.skill.code} dicabut.")
                return redirect("competency:kader_detail", pk=cert.kader_id)
        return self.render_to_response(self.get_context_data(form=form))


# --- Trainings ---------------------------------------------------------------------------------
class TrainingListView(ScopedListView):
    model = Training
    queryset = (Training.objects.select_related("organiser_opd").annotate(participant_count=Count("participants"))
                .order_by("-start_date", "title"))
    filterset_class = TrainingFilterSet
    table_class = TrainingTable
    title = "Pelatihan kader"
    create_url_name = "competency:training_create"


class TrainingFormMixin:
    model = Training
    form_class = TrainingForm
    form_takes_user = True
    template_name = "competency/training_form.html"


class TrainingCreateView(TrainingFormMixin, ScopedCreateView):
    pass


class TrainingUpdateView(TrainingFormMixin, ScopedUpdateView):
    pass


class TrainingDetailView(ScopedDetailView):
    model = Training
    template_name = "competency/training_detail.html"
    queryset = Training.objects.select_related("organiser_opd", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        training = self.object
        participants = (TrainingParticipant.objects.for_user(self.request.user).filter(training=training)
                        .select_related("kader__person", "kader__posyandu", "kader__field", "kader__competency")
                        .annotate(certs=Count("kader__certifications", filter=_training_cert_q(training)))
                        .order_by("kader__posyandu__name", "kader__person__name"))
        context.update(participants=participants, title=training.title,
                       skills=training.skills.select_related("group").order_by("group__order", "order"),
                       history=training.history.select_related("history_user")[:10])
        return context


def _training_cert_q(training: Training) -> Any:
    from django.db.models import Q

    return Q(kader__certifications__training=training, kader__certifications__revoked=False)


class ParticipantAddView(ScopedViewMixin, TemplateView):
    """Step 1: pick a Posyandu under the training's area; step 2: tick its kader."""

    model = TrainingParticipant
    template_name = "competency/participant_add.html"

    def get_training(self) -> Training:
        if not hasattr(self, "_training"):
            training: Training = get_scoped_or_404(Training.objects.all(), self.request.user,
                                                   pk=self.kwargs["training_pk"])  # type: ignore[assignment]
            if not is_in_scope(training, self.request.user, CHANGE):
                raise PermissionDenied("Anda hanya dapat membaca pelatihan ini.")
            self._training = training
        return self._training

    def get_posyandu(self, training: Training) -> tuple[Any, Posyandu | None]:
        options = (Posyandu.objects.filter(pk__in=services.eligible_kader(training, self.request.user)
                                           .values("posyandu_id"))
                   .select_related("village").order_by("region_code", "name"))
        chosen = None
        value = self.request.POST.get("posyandu") or self.request.GET.get("posyandu")
        if value:
            chosen = options.filter(pk=value).first() if value.isdigit() else None
            if chosen is None:
                raise Http404("Posyandu tidak ditemukan.")
        return options, chosen

    def kader_qs(self, training: Training, posyandu: Posyandu) -> Any:
        return (services.eligible_kader(training, self.request.user).filter(posyandu=posyandu)
                .exclude(training_participations__training=training)
                .select_related("person", "field").order_by("field__order", "person__name"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        training = self.get_training()
        options, chosen = self.get_posyandu(training)
        if chosen is not None:
            context.setdefault("form", ParticipantAddForm(kader_qs=self.kader_qs(training, chosen)))
        context.update(training=training, posyandu_options=options, chosen=chosen,
                       title=f"Tambah peserta {training.title}")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        training = self.get_training()
        _, chosen = self.get_posyandu(training)
        if chosen is None:
            messages.error(request, "Pilih Posyandu terlebih dahulu.")
            return redirect("competency:participant_add", training_pk=training.pk)
        form = ParticipantAddForm(request.POST, kader_qs=self.kader_qs(training, chosen))
        if form.is_valid():
            try:
                added = services.participants_add(training=training, kaders=list(form.cleaned_data["kader"]),
                                                  acting_user=request.user)
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                messages.success(request, f"{len(added)} peserta ditambahkan.")
                return redirect(training)
        return self.render_to_response(self.get_context_data(form=form))


class ParticipantResultView(ScopedViewMixin, TemplateView):
    """Attendance and result of one participant; a pass certifies the assessed skills."""

    model = TrainingParticipant
    template_name = "competency/participant_result.html"

    def get_participant(self) -> TrainingParticipant:
        participant: TrainingParticipant = get_scoped_or_404(
            TrainingParticipant.objects.select_related("training", "kader__person", "kader__posyandu"),
            self.request.user, pk=self.kwargs["pk"])  # type: ignore[assignment]
        if not (is_in_scope(participant.training, self.request.user, CHANGE)
                and is_in_scope(participant, self.request.user, CHANGE)):
            raise PermissionDenied("Anda hanya dapat membaca data peserta ini.")
        return participant

    def initial(self, participant: TrainingParticipant) -> dict[str, Any]:
        training = participant.training
        held = set(participant.kader.certifications.filter(training=training, revoked=False).values_list("skill_id", flat=True))
        return {"attended": participant.attended, "result": participant.result, "notes": participant.notes,
                "skills": list(held or training.skills.values_list("pk", flat=True)),
                "certified_on": training.end_date, "assessed_by": training.organiser}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        participant = self.get_participant()
        context.setdefault("form", ParticipantResultForm(initial=self.initial(participant)))
        context.update(participant=participant, training=participant.training,
                       title=f"Hasil {participant.kader.person}")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        participant = self.get_participant()
        form = ParticipantResultForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.participant_record_result(
                    participant=participant, attended=data["attended"], result=data["result"], notes=data["notes"],
                    skills=data["skills"], certified_on=data["certified_on"], assessed_by=data["assessed_by"],
                    tkk_given=data["tkk_given"], acting_user=request.user)
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                text = f"Hasil {participant.kader.person} disimpan."
                if created:
                    text += f" {len(created)} keterampilan dicatat."
                messages.success(request, text)
                return redirect(participant.training)
        return self.render_to_response(self.get_context_data(form=form))


# --- Reference ---------------------------------------------------------------------------------
class SkillCatalogueView(ScopedViewMixin, TemplateView):
    """The skills catalogue and the level rules in force (reference data, no personal data)."""

    model = Skill
    template_name = "competency/skills.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        from apps.competency.catalogue import skills_data

        context.update(title="Keterampilan dasar kader", groups=selectors._skills_by_group(),
                       rules=LevelRule.objects.prefetch_related("required_groups"),
                       source=skills_data().get("source", ""), can_change=False,
                       admin_url=reverse("admin:competency_levelrule_changelist"))
        return context
