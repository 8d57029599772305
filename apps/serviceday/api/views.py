"""Service-day API: the same scope and the same service functions as the pages.

Visits are saved through `services.record_visit`, so the z-scores, KMS status and referral
proposal come back in the response to the save; sessions are opened through
`services.open_session`; referrals are decided and answered through `services.decide_referral`
and `services.record_feedback`. Deleting is not offered: corrections are updates, and every
change is kept by django-simple-history.
"""
from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import BooleanField, Case, Count, Expression, QuerySet, Value, When
from django.utils import timezone
from django_filters.rest_framework import BooleanFilter  # accepts 1/0 as well as true/false
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet
from apps.core.filters import IdFilter
from apps.core.scoping import CHANGE, code_q, get_scope, scope_q
from apps.people.models import Household, Person, PersonStatus, Pregnancy
from apps.people.views import PersonFilterSet
from apps.privacy.api import AccessLoggedViewSetMixin
from apps.privacy.models import AccessSubject
from apps.serviceday import services
from apps.serviceday.api.serializers import (
    HouseholdSerializer,
    ImmunisationSerializer,
    PersonSerializer,
    PregnancySerializer,
    ReferralDecisionSerializer,
    ReferralFeedbackSerializer,
    ReferralSerializer,
    ServiceSessionSerializer,
    VisitSerializer,
    django_errors,
)
from apps.serviceday.models import Immunisation, Referral, ReferralStatus, ServiceSession, SessionStatus, Visit

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


def can_write_expression(model: type, user: Any) -> Expression:
    """True for the rows the user may change, computed in the same query as the list."""
    scope = get_scope(user, CHANGE)
    if scope.everything:
        return Value(True, output_field=BooleanField())
    if scope.is_empty:
        return Value(False, output_field=BooleanField())
    return Case(When(scope_q(model, scope, CHANGE), then=Value(True)), default=Value(False),
                output_field=BooleanField())


def in_region(queryset: QuerySet, name: str, value: str) -> QuerySet:
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(code_q("region_code", value))


# --- Filters (ids as plain numbers: a filter must not tell whether an out-of-scope id exists) ---


class HouseholdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Nama kepala keluarga atau nomor KK")
    region = django_filters.CharFilter(method=in_region, label="Kode wilayah")
    posyandu = IdFilter(field_name="posyandu_id", label="Id Posyandu")

    class Meta:
        model = Household
        fields = ["q", "region", "posyandu"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(kk_number=value) if value.isdigit() else queryset.filter(head_name__icontains=value)


class PersonApiFilterSet(PersonFilterSet):
    region = django_filters.CharFilter(method=in_region, label="Kode wilayah")
    posyandu = IdFilter(field_name="posyandu_id", label="Id Posyandu")
    household = IdFilter(field_name="household_id", label="Id keluarga")
    mother = IdFilter(field_name="mother_id", label="Id ibu")
    status = django_filters.ChoiceFilter(choices=PersonStatus.choices, label="Status")

    class Meta(PersonFilterSet.Meta):
        fields = ["q", "sex", "region", "posyandu", "household", "mother", "status"]


class PregnancyFilterSet(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", label="Id ibu")
    posyandu = IdFilter(field_name="person__posyandu_id", label="Id Posyandu")
    ongoing = BooleanFilter(field_name="ended_on", lookup_expr="isnull", label="Belum berakhir")

    class Meta:
        model = Pregnancy
        fields = ["person", "posyandu", "ongoing"]


class SessionFilterSet(django_filters.FilterSet):
    posyandu = IdFilter(field_name="posyandu_id", label="Id Posyandu")
    date = django_filters.DateFromToRangeFilter(label="Tanggal")
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices, label="Status")

    class Meta:
        model = ServiceSession
        fields = ["posyandu", "date", "status"]


class VisitFilterSet(django_filters.FilterSet):
    session = IdFilter(field_name="session_id", label="Id hari buka")
    person = IdFilter(field_name="person_id", label="Id orang")
    posyandu = IdFilter(field_name="posyandu_id", label="Id Posyandu")
    stage = django_filters.CharFilter(label="Kelompok sasaran")
    visit_date = django_filters.DateFromToRangeFilter(label="Tanggal")

    class Meta:
        model = Visit
        fields = ["session", "person", "posyandu", "stage", "visit_date"]


class ImmunisationFilterSet(django_filters.FilterSet):
    person = IdFilter(field_name="person_id", label="Id orang")
    vaccine = django_filters.CharFilter(label="Vaksin")

    class Meta:
        model = Immunisation
        fields = ["person", "vaccine"]


class ReferralFilterSet(django_filters.FilterSet):
    posyandu = IdFilter(field_name="posyandu_id", label="Id Posyandu")
    person = IdFilter(field_name="person_id", label="Id orang")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label="Status")
    overdue = BooleanFilter(method="filter_overdue",
                       label="Terlambat: dirujuk dan balasan melewati tenggat")

    class Meta:
        model = Referral
        fields = ["posyandu", "person", "status", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = services.overdue_referrals(queryset, timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


# --- Viewsets -------------------------------------------------------------------------------------


class HouseholdViewSet(ScopedModelViewSet):
    """Keluarga (Kartu Keluarga) dalam wilayah tugas pengguna."""

    queryset = Household.objects.select_related("region").order_by("head_name", "pk")
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilterSet
    http_method_names = NO_DELETE


class PersonViewSet(AccessLoggedViewSetMixin, ScopedModelViewSet):
    """Orang yang dilayani Posyandu. NIK lengkap hanya untuk pengguna yang boleh mengubah data orang
    tersebut; selain itu hanya kode wilayahnya yang tampil."""

    queryset = (Person.objects.select_related("region").prefetch_related("pregnancies")
                .order_by("name", "pk"))
    serializer_class = PersonSerializer
    filterset_class = PersonApiFilterSet
    access_subject = AccessSubject.NIK
    http_method_names = NO_DELETE

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().annotate(api_can_write=can_write_expression(Person, self.request.user))


class PregnancyViewSet(ScopedModelViewSet):
    """Kehamilan (ibu hamil): HPHT, taksiran persalinan, dan akhir kehamilan."""

    queryset = Pregnancy.objects.order_by("-due_date", "pk")
    serializer_class = PregnancySerializer
    filterset_class = PregnancyFilterSet
    http_method_names = NO_DELETE


class ServiceSessionViewSet(ScopedModelViewSet):
    """Hari buka Posyandu. POST Posyandu dan tanggal untuk membuka hari buka (bila sudah dibuka,
    hari buka itu yang dikembalikan); PATCH status atau catatan untuk menutupnya."""

    queryset = ServiceSession.objects.annotate(api_visit_count=Count("visits")).order_by("-date", "pk")
    serializer_class = ServiceSessionSerializer
    filterset_class = SessionFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(responses={200: ServiceSessionSerializer, 201: ServiceSessionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.check_write_allowed()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = ServiceSession.objects.filter(posyandu=data["posyandu"], pos=data.get("pos"),
                                                date=data["date"]).exists()
        session = services.open_session(posyandu=data["posyandu"], date=data["date"], pos=data.get("pos"),
                                        acting_user=request.user)
        session = self.get_queryset().get(pk=session.pk)
        return Response(self.get_serializer(session).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class VisitViewSet(ScopedModelViewSet):
    """Kunjungan pada hari buka: pengukuran dan layanan. Hasil (z-score, kategori Permenkes, status
    KMS, KEK, hipertensi, LK/U, LILA pita merah, gejala TBC, skor PUMA, usulan rujukan) dihitung server
    saat disimpan dan dikembalikan langsung. Nilai yang tidak mungkin ditolak (400); nilai tidak biasa
    perlu `confirmed_unusual: true`. Kuesioner PUMA hanya untuk perokok berusia 40 tahun ke atas dan
    harus lengkap (selain itu 400)."""

    queryset = (Visit.objects.select_related("person").prefetch_related("referrals")
                .order_by("-visit_date", "-pk"))
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    http_method_names = NO_DELETE

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        session = data["session"]
        visit = Visit(posyandu=session.posyandu, visit_date=session.date, **data)
        self._record(serializer, visit, created=True)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        visit = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(visit, name, value)
        self._record(serializer, visit, created=False)

    def _record(self, serializer: serializers.BaseSerializer, visit: Visit, *, created: bool) -> None:
        try:
            recorded = services.record_visit(visit=visit, acting_user=self.request.user)
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        except IntegrityError as exc:  # the same person twice on one day: the constraint is the check
            raise ValidationError({"person": ["Orang ini sudah terdaftar di hari buka ini."]}) from exc
        visit.api_warnings = recorded.warnings  # type: ignore[attr-defined]
        if created or recorded.referral is not None:
            # A new visit has no referral but the one just proposed: no query to find it.
            visit.api_referral = recorded.referral  # type: ignore[attr-defined]
        else:  # an update: an earlier, decided referral may exist; never answer from a stale prefetch
            getattr(visit, "_prefetched_objects_cache", {}).pop("referrals", None)
        serializer.instance = visit


class ImmunisationViewSet(ScopedModelViewSet):
    """Imunisasi yang telah diberikan, satu baris per dosis."""

    queryset = Immunisation.objects.order_by("person_id", "given_on", "pk")
    serializer_class = ImmunisationSerializer
    filterset_class = ImmunisationFilterSet
    http_method_names = NO_DELETE


class ReferralViewSet(ScopedReadOnlyViewSet):
    """Rujukan ke Puskesmas: diusulkan oleh aturan saat kunjungan disimpan, diputuskan kader
    (`decide`), ditutup dengan balasan rujukan (`feedback`). `?overdue=1`: balasan terlambat."""

    queryset = Referral.objects.select_related("person", "decided_by").order_by("-created_at", "-pk")
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet

    @extend_schema(request=ReferralDecisionSerializer, responses={
        200: ReferralSerializer, 400: OpenApiResponse(description="Data keputusan tidak valid."),
        403: OpenApiResponse(description="Hanya dapat membaca."), 404: OpenApiResponse(description="Tidak ada.")})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Konfirmasi usulan rujukan (refer=true) atau tutup usulan (refer=false)."""
        referral = self.get_object()  # first: out of scope is 404, read-only is 403, before the body
        serializer = ReferralDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if referral.status == ReferralStatus.ANSWERED:
            raise ValidationError({"status": ["Rujukan yang sudah dibalas tidak dapat diputuskan ulang."]})
        data = serializer.validated_data
        referral = services.decide_referral(referral=referral, refer=data["refer"], referred_to=data["referred_to"],
                                            acting_user=request.user, on=data["on"] or timezone.localdate())
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data)

    @extend_schema(request=ReferralFeedbackSerializer, responses={
        200: ReferralSerializer, 400: OpenApiResponse(description="Balasan tidak valid."),
        403: OpenApiResponse(description="Hanya dapat membaca."), 404: OpenApiResponse(description="Tidak ada.")})
    @action(detail=True, methods=["post"])
    def feedback(self, request: Request, pk: str | None = None) -> Response:
        """Catat balasan rujukan dari Puskesmas untuk rujukan yang sudah dirujuk."""
        referral = self.get_object()
        serializer = ReferralFeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            referral = services.record_feedback(referral=referral, feedback=data["feedback"],
                                                on=data["feedback_on"] or timezone.localdate(),
                                                acting_user=request.user)
        except DjangoValidationError as exc:
            raise ValidationError(django_errors(exc)) from exc
        return Response(ReferralSerializer(referral, context=self.get_serializer_context()).data)
