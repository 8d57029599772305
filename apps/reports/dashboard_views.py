"""Dashboards per level, completeness, and the monthly report's exports (Excel, PDF, CSV, DHIS2).

Areas are addressed by Kemendagri code in the path (`dasbor/wilayah/17.71.02/`) and the month by
`?bulan=YYYY-MM`; without a code a page shows the user's own area. An area outside the user's scope
(including the area above their own) is a 404, like any record.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from apps.core.views import ScopedViewMixin, get_scoped_or_404
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports import dashboard as d
from apps.reports import dhis2, exports
from apps.reports.completeness import APPROVAL_LEVELS, completeness, deadline_day, deadline_for
from apps.reports.models import MonthlyReport, MonthlyValue, ReportStatus


class AreaMixin(ScopedViewMixin):
    """Finds the page's area (code, Posyandu or the user's own) and month."""

    model = MonthlyValue

    def get_area(self) -> d.Area | None:
        user = self.request.user  # type: ignore[attr-defined]
        kwargs = self.kwargs  # type: ignore[attr-defined]
        if "posyandu_pk" in kwargs:
            posyandu = get_scoped_or_404(Posyandu.objects.select_related("village"), user, pk=kwargs["posyandu_pk"])
            return d.area_of_posyandu(posyandu)  # type: ignore[arg-type]
        if "code" in kwargs:
            return d.resolve_area(user, kwargs["code"])
        return d.default_area(user)

    def get_period(self) -> dt.date:
        return d.parse_period(self.request.GET.get("bulan"), timezone.localdate())  # type: ignore[attr-defined]


def place_lines(area: d.Area) -> list[tuple[str, str]]:
    """Header lines of the SIP form: the Posyandu or area and every level above it."""
    if area.level == d.NATION:
        return [("Wilayah", "Indonesia")]
    code = area.posyandu.region_code if area.posyandu is not None else area.code
    parts = code.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    regions = {r.code: r for r in Region.objects.current().filter(code__in=codes)}
    lines = []
    if area.posyandu is not None:
        number = area.posyandu.registration_number
        lines.append(("Posyandu", f"{area.posyandu.name}" + (f" ({number})" if number else "")))
    labels = {4: "Desa/Kelurahan", 3: "Kecamatan", 2: "Kabupaten/Kota", 1: "Provinsi"}
    for c in reversed(codes):
        region = regions.get(c)
        if region is not None:
            lines.append((labels[region.level], f"{region.name} ({region.code})"))
    return lines


def sip_report(user: Any, area: d.Area, period: dt.date, catalogue: dict[str, d.IndicatorInfo],
               values: d.Values | None = None, total: Any = None) -> exports.SipReport:
    values = d.area_values(user, area, period) if values is None else values
    extra: list[tuple[str, str]] = []
    if not area.is_posyandu:
        if total is None:
            _, total = completeness(user, area, period)
        extra.append(("Laporan masuk", f"{total.received} dari {total.expected} Posyandu"))
    return exports.build_report(area=area, period=period, values=values, catalogue=catalogue,
                                places=place_lines(area), extra=extra)


class DashboardView(AreaMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user, area, period = self.request.user, self.get_area(), self.get_period()
        context.update(title="Dasbor", period=period, area=area)
        if area is None:
            return context
        catalogue = d.catalogue_for(period)
        units = {c: i.unit for c, i in catalogue.items()}
        values = d.area_values(user, area, period)
        months, series = d.trend(user, area, period, d.TREND_CODES, units)
        headlines = []
        for h in d.HEADLINES:
            info = catalogue.get(h.code)
            if info is None:
                continue
            value = d.value_of(values.get((h.code, "")), info.unit)
            headlines.append({"code": h.code, "label": h.label, "name": info.name, "unit": info.unit,
                              "value": value, "target": info.target, "better": h.better,
                              "below_target": info.target is not None and value is not None and value < info.target})
        rows: list[d.ChildRow] = []
        ranked: list[d.ChildRow] = []
        status_rows, status_total = completeness(user, area, period)
        if not area.is_posyandu:
            rows = d.drill_down(user, area, period, units)
            ranked = d.ranking(rows, values, catalogue)
            by_key = {r.key: r for r in status_rows}
            for row in rows:
                status = by_key.get(row.key)
                row.completeness = status  # type: ignore[attr-defined]
        points = d.map_points(user, area, period)
        report = sip_report(user, area, period, catalogue, values, status_total)
        posyandu_report = None
        if area.posyandu is not None:
            posyandu_report = MonthlyReport.objects.filter(posyandu=area.posyandu, period=period).first()
        table_columns = [(code, next(h.label for h in d.HEADLINES if h.code == code), units.get(code, "jumlah"))
                         for code in d.TABLE_CODES if code in catalogue]
        context.update(
            title=f"Dasbor {area.name}", catalogue=catalogue, headlines=headlines,
            breadcrumbs=d.breadcrumbs(user, area),
            child_rows=[(r, [r.value(code, unit) for code, _, unit in table_columns]) for r in rows],
            table_columns=table_columns, ranking=ranked, score_codes=d.SCORE_CODES,
            reference=d.reference_values(values, catalogue), quality=d.quality(values),
            digit_expected=d.DIGIT_EXPECTED, completeness_total=status_total, report=report,
            posyandu_report=posyandu_report,
            posyandu_status=ReportStatus(posyandu_report.status) if posyandu_report else ReportStatus.DRAFT,
            trend_json={"months": [f"{m:%m/%Y}" for m in months], "series": series,
                        "labels": {h.code: h.label for h in d.HEADLINES}},
            map_json={"points": points, "tiles": getattr(settings, "MAP_TILE_URL", ""),
                      "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", "")},
            map_count=len(points), map_shown=area.is_posyandu or area.level >= d.MAP_MIN_LEVEL,
            exports=export_links(area, period),
            completeness_url=reverse("reports:completeness") if area.level == d.NATION
            else reverse("reports:completeness_area", args=[area.code]) if not area.is_posyandu else "",
        )
        return context


def export_links(area: d.Area, period: dt.date) -> dict[str, str]:
    query = f"?bulan={period:%Y-%m}"
    if area.posyandu is not None:
        args, prefix = [area.posyandu.pk], "reports:export_posyandu_"
    elif area.level == d.NATION:
        return {}
    else:
        args, prefix = [area.code], "reports:export_area_"
    links = {fmt: reverse(prefix + fmt, args=args) + query for fmt in ("xlsx", "pdf", "dhis2")}
    links["csv"] = reverse(prefix + "csv", args=args) + query
    return links


class CompletenessView(AreaMixin, TemplateView):
    template_name = "reports/completeness.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        area, period = self.get_area(), self.get_period()
        context.update(title="Kelengkapan laporan", area=area, period=period)
        if area is None:
            return context
        rows, total = completeness(self.request.user, area, period)
        deadline = deadline_for(period) - dt.timedelta(days=1)
        context.update(title=f"Kelengkapan laporan {area.name}", rows=rows, total=total,
                       levels=[label for _, label in APPROVAL_LEVELS], deadline=deadline.date(),
                       deadline_day=deadline_day(), breadcrumbs=d.breadcrumbs(self.request.user, area),
                       csv_url=(reverse("reports:export_area_csv", args=[area.code]) + f"?bulan={period:%Y-%m}"
                                "&tabel=kelengkapan") if area.level not in (d.NATION, d.POSYANDU_LEVEL) else "")
        return context


# --- Exports --------------------------------------------------------------------------------------
class ExportView(AreaMixin, View):
    """GET → the month's report of the area or Posyandu as a file; `fmt` is set per URL."""

    fmt = "xlsx"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        area, period = self.get_area(), self.get_period()
        if area is None:
            raise Http404("Wilayah tidak ditemukan.")
        catalogue = d.catalogue_for(period)
        who = getattr(request.user, "display_name", "") or request.user.get_username()
        if self.fmt == "dhis2":
            return self.dhis2_response(area, period, catalogue)
        if self.fmt == "csv":
            return self.csv_response(area, period, catalogue)
        report = sip_report(request.user, area, period, catalogue)
        if self.fmt == "pdf":
            body, content_type = exports.report_to_pdf(report, generated_by=who), "application/pdf"
        else:
            body, content_type = exports.report_to_xlsx(report, generated_by=who), exports.XLSX_CONTENT_TYPE
        return _attachment(body, content_type, f"{report.file_stem}.{self.fmt}")

    def dhis2_response(self, area: d.Area, period: dt.date, catalogue: dict[str, d.IndicatorInfo]) -> HttpResponse:
        user = self.request.user
        try:
            if area.posyandu is not None:
                report = MonthlyReport.objects.filter(posyandu=area.posyandu, period=period).first()
                complete = (report.submitted_at and timezone.localdate(report.submitted_at)) if (
                    report and report.status != ReportStatus.DRAFT) else None
                body = dhis2.data_value_set(period=period, catalogue=catalogue,
                                            org_unit=dhis2.org_unit_of_posyandu(area.posyandu),
                                            values=d.area_values(user, area, period), complete_date=complete or None)
            elif self.request.GET.get("rincian") == "wilayah":
                body = dhis2.data_value_set(period=period, catalogue=catalogue,
                                            org_unit=dhis2.org_unit_of_region(area.code),
                                            values=d.area_values(user, area, period))
            else:
                body = dhis2.data_value_set(period=period, catalogue=catalogue,
                                            per_org_unit=per_posyandu_values(user, area, period))
        except dhis2.MappingError as exc:
            messages.error(self.request, str(exc))
            return redirect(area.url() + f"?bulan={period:%Y-%m}")
        name = f"dhis2-{area.code if area.posyandu is None else area.posyandu.pk}-{period:%Y%m}.json"
        return _attachment(json.dumps(body, ensure_ascii=False, indent=1).encode(), dhis2.CONTENT_TYPE, name)

    def csv_response(self, area: d.Area, period: dt.date, catalogue: dict[str, d.IndicatorInfo]) -> HttpResponse:
        header, rows = csv_table(self.request.user, area, period, catalogue, self.request.GET.get("tabel", "laporan"))
        stem = f"{self.request.GET.get('tabel', 'laporan')}-{area.code or 'id'}-{period:%Y-%m}"
        return _attachment(exports.to_csv(header, rows).encode("utf-8"), exports.CSV_CONTENT_TYPE, f"{stem}.csv")


def per_posyandu_values(user: Any, area: d.Area, period: dt.date) -> dict[str, d.Values]:
    """Each Posyandu's values under its DHIS2 org unit (DHIS2 aggregates up its own hierarchy)."""
    from django.db.models import Sum

    names = dict(d._indicator_codes())
    by_posyandu: dict[int, d.Values] = {}
    rows = (d.scoped_values(user, area).filter(period=period).values("posyandu_id", "indicator_id", "sex")
            .annotate(num=Sum("numerator"), den=Sum("denominator")).order_by())
    for r in rows:
        by_posyandu.setdefault(r["posyandu_id"], {})[(names[r["indicator_id"]], r["sex"])] = (r["num"], r["den"])
    posyandu = Posyandu.objects.filter(pk__in=list(by_posyandu)).order_by("pk")
    return {dhis2.org_unit_of_posyandu(p): by_posyandu[p.pk] for p in posyandu}


TABLES = {"laporan": "Laporan bulanan (format SIP)", "anak": "Nilai per wilayah di bawahnya", "tren": "Tren 12 bulan",
          "peringkat": "Peringkat wilayah perlu perhatian", "kelengkapan": "Kelengkapan dan ketepatan laporan",
          "kualitas": "Kualitas data"}


def csv_table(user: Any, area: d.Area, period: dt.date, catalogue: dict[str, d.IndicatorInfo],
              table: str) -> tuple[list[str], list[list[Any]]]:
    """The dashboard's tables as rows: the same selectors as the page."""
    if table not in TABLES:
        raise Http404("Tabel tidak dikenal.")
    units = {c: i.unit for c, i in catalogue.items()}
    values = d.area_values(user, area, period)
    if table == "laporan":
        return exports.report_csv_rows(sip_report(user, area, period, catalogue, values))
    if table == "tren":
        codes = [h.code for h in d.HEADLINES if h.code in catalogue]
        months, series = d.trend(user, area, period, codes, units)
        return (["Bulan", *codes], [[f"{m:%Y-%m}", *[series[c][i] for c in codes]] for i, m in enumerate(months)])
    if table == "kualitas":
        return (["Kode", "Ukuran", "Pembilang", "Penyebut", "Persen", "Harapan"],
                [[q.code, q.label, q.numerator, q.denominator, q.percent, q.expected] for q in d.quality(values)])
    if table == "kelengkapan":
        rows, total = completeness(user, area, period)
        header = ["Kode", "Wilayah", "Diharapkan", "Masuk", "Tepat waktu", *[f"Disetujui {lbl}" for _, lbl in APPROVAL_LEVELS]]
        return header, [[r.key, r.name, r.expected, r.received, r.on_time, *r.approved] for r in [*rows, total]]
    rows = d.drill_down(user, area, period, units)
    codes = [c for c in d.TABLE_CODES if c in catalogue]
    if table == "peringkat":
        ranked = d.ranking(rows, values, catalogue, limit=len(rows))
        return (["Peringkat", "Kode", "Wilayah", "Skor", "Alasan"],
                [[n, r.key, r.name, r.score, "; ".join(r.reasons)] for n, r in enumerate(ranked, start=1)])
    return (["Kode", "Wilayah", *codes], [[r.key, r.name, *[r.value(c, units.get(c, "jumlah")) for c in codes]]
                                          for r in rows])


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
