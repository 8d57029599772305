"""Reports API: an area's monthly values (indicator × sex × child area) and the completeness of
its reports, read from the pre-aggregated tables with the dashboards' selectors and scope.

`?wilayah=<Kemendagri code>` (default: the user's own area) or `?posyandu=<id>`, and
`?bulan=YYYY-MM` (default: last month). An area outside the user's scope is a 404.
"""
from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import ScopedViewSetMixin, SingleObjectSchema
from apps.core.views import get_scoped_or_404
from apps.posyandu.models import Posyandu
from apps.reports import dashboard as d
from apps.reports.completeness import APPROVAL_LEVELS, completeness
from apps.reports.models import MonthlyReport, MonthlyValue

AREA_PARAMETERS = [
    OpenApiParameter("wilayah", str, description="Kode wilayah Kemendagri (bawaan: wilayah pengguna)"),
    OpenApiParameter("posyandu", int, description="ID Posyandu (menggantikan wilayah)"),
    OpenApiParameter("bulan", str, description="Bulan YYYY-MM (bawaan: bulan lalu)"),
]


class AreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="0 nasional, 1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa, 5 Posyandu")


class ValueRowSerializer(serializers.Serializer):
    area_code = serializers.CharField(help_text="Kode wilayah anak, atau ID Posyandu di tingkat desa")
    area_name = serializers.CharField()
    indicator = serializers.CharField()
    sex = serializers.CharField(allow_blank=True, help_text="'' total, 'L', 'P'")
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True, help_text="Persen untuk indikator persen, jumlah lainnya")


class ValuesSerializer(serializers.Serializer):
    area = AreaSerializer(allow_null=True)
    period = serializers.CharField()
    rows = ValueRowSerializer(many=True)


class CompletenessRowSerializer(serializers.Serializer):
    area_code = serializers.CharField()
    area_name = serializers.CharField()
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    on_time = serializers.IntegerField()
    approved = serializers.DictField(child=serializers.IntegerField(), help_text="Disetujui per tingkat")


class CompletenessSerializer(serializers.Serializer):
    area = AreaSerializer(allow_null=True)
    period = serializers.CharField()
    rows = CompletenessRowSerializer(many=True)
    total = CompletenessRowSerializer()


class AreaViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Read-only: the area comes from the query string, its rows from the scoped aggregates. One
    object per request, not a page: the schema said a paginated list (found by the API fuzzer)."""

    pagination_class = None
    schema = SingleObjectSchema()

    def get_area(self, request: Request) -> d.Area | None:
        if request.query_params.get("posyandu"):
            try:
                pk = int(request.query_params["posyandu"])
            except ValueError as exc:
                raise Http404("Posyandu tidak ditemukan.") from exc
            return d.area_of_posyandu(get_scoped_or_404(Posyandu.objects.all(), request.user, pk=pk))  # type: ignore[arg-type]
        if request.query_params.get("wilayah"):
            return d.resolve_area(request.user, request.query_params["wilayah"])
        return d.default_area(request.user)

    @staticmethod
    def area_json(area: d.Area | None) -> dict[str, Any] | None:
        return None if area is None else {"code": area.code, "name": area.name, "level": area.level}


class ReportValuesViewSet(AreaViewSet):
    queryset = MonthlyValue.objects.all()
    serializer_class = ValuesSerializer

    @extend_schema(parameters=AREA_PARAMETERS, responses=ValuesSerializer)
    def list(self, request: Request) -> Response:
        area = self.get_area(request)
        period = d.parse_period(request.query_params.get("bulan"), timezone.localdate())
        rows: list[dict[str, Any]] = []
        if area is not None:
            catalogue = d.catalogue_for(period)
            names = d._indicator_codes()
            labels = {key: name for key, name, _ in d.children(request.user, area)}
            if area.posyandu is not None:
                labels[area.posyandu.pk] = area.posyandu.name
            # A Posyandu and a desa's Posyandu are rows of their own; above a desa the child
            # areas' roll-ups.
            if area.is_posyandu or area.level == 4:
                child, source = "posyandu_id", d.scoped_values(request.user, area)
            else:
                child, source = "area_code", d.child_region_values(request.user, area)
            found = (source.filter(period=period)
                     .values(child, "indicator_id", "sex").annotate(num=Sum("numerator"), den=Sum("denominator"))
                     .order_by(child, "indicator_id", "sex"))
            for r in found:
                code = names[r["indicator_id"]]
                info = catalogue.get(code)
                unit = info.unit if info else "jumlah"
                rows.append({"area_code": str(r[child]), "area_name": labels.get(r[child], str(r[child])),
                             "indicator": code, "sex": r["sex"], "numerator": r["num"], "denominator": r["den"],
                             "value": d.value_of((r["num"], r["den"]), unit)})
        return Response({"area": self.area_json(area), "period": f"{period:%Y-%m}", "rows": rows})


class CompletenessViewSet(AreaViewSet):
    queryset = MonthlyReport.objects.all()
    serializer_class = CompletenessSerializer

    @extend_schema(parameters=AREA_PARAMETERS, responses=CompletenessSerializer)
    def list(self, request: Request) -> Response:
        area = self.get_area(request)
        period = d.parse_period(request.query_params.get("bulan"), timezone.localdate())
        levels = [status.value for status, _ in APPROVAL_LEVELS]

        def row(r: Any) -> dict[str, Any]:
            return {"area_code": str(r.key), "area_name": r.name, "expected": r.expected, "received": r.received,
                    "on_time": r.on_time, "approved": dict(zip(levels, r.approved, strict=True))}

        if area is None:
            empty = {"area_code": "", "area_name": "", "expected": 0, "received": 0, "on_time": 0,
                     "approved": dict.fromkeys(levels, 0)}
            return Response({"area": None, "period": f"{period:%Y-%m}", "rows": [], "total": empty})
        rows, total = completeness(request.user, area, period)
        return Response({"area": self.area_json(area), "period": f"{period:%Y-%m}", "rows": [row(r) for r in rows],
                         "total": row(total)})
