"""Programmes API: programmes, their activities, indicator links and monthly progress, and the
synchronisation overview of an area (the same selectors as the page)."""
from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ScopedModelViewSet
from apps.core.scoping import VIEW
from apps.library.models import Document
from apps.organisations.models import Opd
from apps.programmes import selectors
from apps.programmes.api.serializers import (
    ActivitySerializer,
    ProgrammeIndicatorSerializer,
    ProgrammeSerializer,
    ProgressReportSerializer,
)
from apps.programmes.filtersets import ActivityFilterSet, ProgrammeFilterSet, ProgressReportFilterSet
from apps.programmes.models import Activity, Programme, ProgrammeIndicator, ProgressReport
from apps.programmes.views import area_for_user, default_area, year_param

NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class ProgrammeViewSet(ScopedModelViewSet):
    """Program kerja TP Posyandu dalam wilayah tugas pengguna (dan program wilayah di atasnya, baca saja).
    Program tidak dihapus: ubah statusnya menjadi "batal"."""

    queryset = (Programme.objects.select_related("opd", "field")
                .prefetch_related("documents", "indicator_links__indicator").order_by("-year", "region_code", "pk"))
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilterSet
    http_method_names = NO_DELETE

    def get_serializer(self, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        serializer = super().get_serializer(*args, **kwargs)
        fields = getattr(serializer, "fields", {})
        user = self.request.user
        if "opd" in fields:  # the responsible OPD may be one above the team: reading it is enough
            fields["opd"].queryset = Opd.objects.for_user(user, VIEW).filter(is_active=True)
        if "documents" in fields:
            fields["documents"].child_relation.queryset = Document.objects.for_user(user, VIEW)
        return serializer

    @extend_schema(
        parameters=[OpenApiParameter("wilayah", str, description="Kode wilayah; bawaan: wilayah tugas pengguna"),
                    OpenApiParameter("tahun", int, description="Tahun program; bawaan: tahun ini")],
        responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def sync(self, request: Request) -> Response:
        """Sinkronisasi program sebuah wilayah: bidang dan OPD tanpa program, kegiatan tumpang
        tindih, dan program yang indikatornya tidak bergerak."""
        code = request.query_params.get("wilayah", "").strip() or default_area(request.user)
        year = year_param(request)  # type: ignore[arg-type]
        if not code:
            return Response({"area": None, "year": year})
        try:
            area = area_for_user(request.user, code)
        except Http404:
            return Response({"detail": "Wilayah tidak ditemukan."}, status=404)
        o = selectors.sync_overview(area.code, year, opds=selectors.area_opds(area.code).for_user(request.user))
        return Response({
            "area": {"code": area.code, "name": area.title},
            "year": year,
            "programme_count": o.programme_count,
            "activity_count": o.activity_count,
            "budget_total": str(o.budget_total),
            "overlap_count": o.overlap_count,
            "fields_without_programmes": [{"code": f.code, "name": f.name} for f in o.fields_without],
            "opds_without_programmes": [{"id": opd.pk, "name": str(opd)} for opd in o.opds_without],
            "grid": [{"field": b.field.code, "rows": [
                {"opd": r.opd.pk, "opd_name": str(r.opd), "programmes": r.programmes, "budget": str(r.budget),
                 "scheduled": r.scheduled, "activities": r.activities} for r in b.rows]} for b in o.blocks],
            "overlaps": [{"field": ov.field.code, "months": ov.months,
                          "villages": [code for code, _ in ov.villages],
                          "activities": [{"id": a.id, "name": a.name, "programme": a.programme_id,
                                          "opd_name": a.opd_name} for a in (ov.first, ov.second)]}
                         for ov in o.overlaps],
            "stalled_programmes": [{"id": p.pk, "name": p.name, "opd_name": str(p.opd), "indicators": [
                {"code": t.code, "name": t.name, "target": str(t.target),
                 "values": [{"month": period.isoformat(), "value": value} for period, value in t.points]}
                for t in trends]} for p, trends in o.stalled],
        })


class ActivityViewSet(ScopedModelViewSet):
    """Kegiatan program: desa/kelurahan (kode) dan bulan pelaksanaan (1–12)."""

    queryset = Activity.objects.prefetch_related("villages").order_by("programme_id", "pk")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet


class ProgressReportViewSet(ScopedModelViewSet):
    """Laporan kemajuan bulanan (fisik % dan realisasi keuangan kumulatif) per program atau kegiatan."""

    queryset = ProgressReport.objects.order_by("programme_id", "month", "pk")
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    http_method_names = NO_DELETE

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        serializer.validated_data["reported_by"] = self.request.user  # type: ignore[index]
        super().perform_create(serializer)


class ProgrammeIndicatorViewSet(ScopedModelViewSet):
    """Indikator yang dituju program, dengan targetnya."""

    queryset = ProgrammeIndicator.objects.select_related("indicator").order_by("programme_id", "pk")
    serializer_class = ProgrammeIndicatorSerializer
