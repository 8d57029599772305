"""The monthly report in the familiar SIP / F-format layout (a header with the place and month, the
SKDN block, the nutrition-status block, then the other indicators), as a table the page shows and
as Excel (openpyxl), PDF (WeasyPrint) and CSV. The files and the page are built from the same
`SipReport`, so they hold the same numbers.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from apps.core.cellsafety import neutralise
from apps.reports.dashboard import Area, IndicatorInfo, Values, value_of
from apps.serviceday.exporters import XLSX_CONTENT_TYPE, css_string, generated_line, render_pdf

SKDN_CODES = ["S", "K", "D", "N", "T", "O", "B", "2T", "BGM", "DS", "ND"]
NUTRITION_CODES = ["STUNTING", "WASTING", "UNDERWEIGHT", "OVERWEIGHT"]
QUALITY_PREFIX = "DQ_"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
COLUMNS = ["No", "Kode", "Indikator", "L", "P", "Jumlah", "Penyebut", "%"]


@dataclass
class ReportLine:
    code: str
    name: str
    unit: str
    boys: int | None
    girls: int | None
    total: int
    denominator: int | None
    percent: float | None


@dataclass
class ReportSection:
    title: str
    lines: list[ReportLine] = field(default_factory=list)


@dataclass
class SipReport:
    title: str
    header: list[tuple[str, str]]
    period: dt.date
    sections: list[ReportSection]
    file_stem: str

    def line(self, code: str) -> ReportLine | None:
        return next((ln for s in self.sections for ln in s.lines if ln.code == code), None)


def _line(info: IndicatorInfo, values: Values) -> ReportLine:
    total = values.get((info.code, ""))
    boys, girls = values.get((info.code, "L")), values.get((info.code, "P"))
    split = boys is not None or girls is not None or total is None
    num, den = total if total is not None else (0, 0 if info.has_denominator else None)
    return ReportLine(
        code=info.code, name=info.name, unit=info.unit,
        boys=(boys[0] if boys else 0) if split else None, girls=(girls[0] if girls else 0) if split else None,
        total=num, denominator=(den or 0) if info.has_denominator else None,
        percent=value_of((num, den), "persen") if info.has_denominator else None)


def build_sections(values: Values, catalogue: dict[str, IndicatorInfo]) -> list[ReportSection]:
    """The SIP blocks in order; indicators of other SPM fields follow under their field's name."""
    skdn = ReportSection("A. SKDN (penimbangan balita)")
    nutrition = ReportSection("B. Status gizi balita (z ber-flag tidak dihitung)")
    health = ReportSection("C. Ibu hamil, remaja dan lansia")
    other_fields: dict[str, ReportSection] = {}
    quality = ReportSection("Kualitas data")
    for code in SKDN_CODES:
        if code in catalogue:
            skdn.lines.append(_line(catalogue[code], values))
    for code in NUTRITION_CODES:
        if code in catalogue:
            nutrition.lines.append(_line(catalogue[code], values))
    for code, info in catalogue.items():
        if code in SKDN_CODES or code in NUTRITION_CODES:
            continue
        if code.startswith(QUALITY_PREFIX):
            quality.lines.append(_line(info, values))
        elif info.field_code == "kesehatan":
            health.lines.append(_line(info, values))
        else:
            other_fields.setdefault(info.field_code, ReportSection(f"Bidang {info.field_name}")).lines.append(
                _line(info, values))
    sections = [s for s in (skdn, nutrition, health) if s.lines]
    letter = ord("D")
    for section in other_fields.values():
        section.title = f"{chr(letter)}. {section.title}"
        letter += 1
        sections.append(section)
    if quality.lines:
        quality.title = f"{chr(letter)}. {quality.title}"
        sections.append(quality)
    return sections


def month_label(period: dt.date) -> str:
    return formats.date_format(period, "F Y")


def build_report(*, area: Area, period: dt.date, values: Values, catalogue: dict[str, IndicatorInfo],
                 places: list[tuple[str, str]], extra: Iterable[tuple[str, str]] = ()) -> SipReport:
    """`places`: the header lines naming where (Posyandu, desa, kecamatan, kab/kota, provinsi)."""
    if area.is_posyandu:
        title = "Laporan bulanan Posyandu"
    else:
        title = f"Rekapitulasi laporan bulanan Posyandu · {area.level_name}"
    header = [*places, ("Bulan", month_label(period)), *extra]
    stem = f"laporan-{slugify(area.name)}-{period:%Y-%m}"
    return SipReport(title=title, header=header, period=period, sections=build_sections(values, catalogue),
                     file_stem=stem)


# --- Excel ----------------------------------------------------------------------------------------
_thin = Side(style="thin", color="808080")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_header_fill = PatternFill("solid", fgColor="E2EFDA")
_section_fill = PatternFill("solid", fgColor="F2F2F2")
WIDTHS = [5, 12, 58, 9, 9, 10, 10, 8]
PERCENT_FORMAT = "0.0"


def report_to_xlsx(report: SipReport, *, generated_by: str = "") -> bytes:
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = f"Laporan {report.period:%m-%Y}"
    sheet["A1"] = report.title.upper()
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.merge_cells("A1:H1")
    row = 3
    for label, value in report.header:
        sheet.cell(row=row, column=1, value=neutralise(label)).font = Font(bold=True, size=10)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row=row, column=3, value=f": {value}")
        row += 1
    row += 1
    header_row = row
    for col, label in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=row, column=col, value=label)
        cell.font, cell.fill, cell.border = Font(bold=True, size=10), _header_fill, _border
        cell.alignment = Alignment(horizontal="center", vertical="center")
    row += 1
    for section in report.sections:
        cell = sheet.cell(row=row, column=1, value=neutralise(section.title))
        cell.font, cell.fill = Font(bold=True, size=10), _section_fill
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
        row += 1
        for number, line in enumerate(section.lines, start=1):
            cells = [number, line.code, line.name, line.boys, line.girls, line.total, line.denominator, line.percent]
            for col, value in enumerate(cells, start=1):
                target = sheet.cell(row=row, column=col, value=neutralise(value))
                target.border = _border
                target.font = Font(size=10)
                if col == 8:
                    target.number_format = PERCENT_FORMAT
                if col == 3:
                    target.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    row += 1
    sheet.cell(row=row, column=1, value="L/P: menurut jenis kelamin; Jumlah: pembilang (untuk persentase) "
                                         "atau jumlah; %: Jumlah/Penyebut × 100.").font = Font(size=8, italic=True)
    sheet.cell(row=row + 1, column=1, value=neutralise(generated_line(generated_by))).font = Font(size=8, italic=True)
    for col, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + col)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ------------------------------------------------------------------------------------------
def report_to_html(report: SipReport, *, generated_by: str = "") -> str:
    return render_to_string("reports/export_pdf.html", {
        "report": report, "columns": COLUMNS,
        "css_title": css_string(report.title), "css_generated": css_string(generated_line(generated_by)),
    })


def report_to_pdf(report: SipReport, *, generated_by: str = "") -> bytes:
    return render_pdf(report_to_html(report, generated_by=generated_by))


# --- CSV ------------------------------------------------------------------------------------------
def to_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """Comma-separated, '.' decimals, UTF-8 with a BOM so Excel opens accents right. Text that a
    spreadsheet would run as a formula (an area or Posyandu name typed as "=..." ) is neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(v) for v in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buffer.getvalue()


def report_csv_rows(report: SipReport) -> tuple[list[str], list[list[Any]]]:
    header = ["Bagian", "Kode", "Indikator", "L", "P", "Jumlah", "Penyebut", "Persen"]
    rows = [[s.title, ln.code, ln.name, ln.boys, ln.girls, ln.total, ln.denominator, ln.percent]
            for s in report.sections for ln in s.lines]
    return header, rows


__all__ = ["CSV_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "SipReport", "build_report", "report_to_pdf", "report_to_xlsx",
           "to_csv"]
