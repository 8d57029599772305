"""A register as an Excel workbook (openpyxl) and as an A4 landscape PDF (WeasyPrint).

Both take the `Register` the page shows, so the files hold exactly what is on screen.
"""
from __future__ import annotations

import io
import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from apps.core.cellsafety import neutralise
from apps.posyandu.models import Posyandu
from apps.serviceday.registers import Register

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_FORMAT = "@"  # Excel's Text format: a NIK stays 16 digits instead of becoming 3.27301E+15
DATE_FORMAT = "DD/MM/YYYY"
TITLE_ROWS = 3  # title, Posyandu line, blank


def place_line(register: Register) -> str:
    return f"{posyandu_label(register.posyandu)} · {register.posyandu.village.title} · Tahun {register.year}"


def posyandu_label(posyandu: Posyandu) -> str:
    """"Posyandu Melati", without doubling the word when the name already carries it."""
    name = posyandu.name
    return name if name.lower().startswith("posyandu") else f"Posyandu {name}"


# --- Excel --------------------------------------------------------------------------------
_thin = Side(style="thin", color="808080")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_header_fill = PatternFill("solid", fgColor="E2EFDA")
_header_font = Font(bold=True, size=9)
_body_font = Font(size=9)
_alert_font = Font(size=9, bold=True, color="C00000")


def register_to_xlsx(register: Register, *, generated_by: str = "") -> bytes:
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = (register.form_name or register.title)[:31]
    width = len(register.columns)
    last_letter = get_column_letter(width)

    sheet["A1"] = register.heading.upper()
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"] = neutralise(place_line(register))
    sheet["A2"].font = Font(size=10)
    sheet.merge_cells(f"A1:{last_letter}1")
    sheet.merge_cells(f"A2:{last_letter}2")

    # The paper form's two heading rows, merged as on paper.
    header_rows = register.header_rows()
    first_header = TITLE_ROWS + 1
    occupied: set[tuple[int, int]] = set()
    for offset, cells in enumerate(header_rows):
        row = first_header + offset
        col = 1
        for header in cells:
            while (row, col) in occupied:
                col += 1
            target = sheet.cell(row=row, column=col, value=header.label)
            if header.colspan > 1 or header.rowspan > 1:
                sheet.merge_cells(start_row=row, start_column=col, end_row=row + header.rowspan - 1,
                                  end_column=col + header.colspan - 1)
            for r in range(row, row + header.rowspan):
                for c in range(col, col + header.colspan):
                    occupied.add((r, c))
            target.font = _header_font
            col += header.colspan
    first_body = first_header + len(header_rows)
    for r in range(first_header, first_body):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.fill = _header_fill
            cell.border = _border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for index, row_cells in enumerate(register.rows):
        r = first_body + index
        for c, (column, cell) in enumerate(zip(register.columns, row_cells, strict=True), start=1):
            target = sheet.cell(row=r, column=c)
            target.border = _border
            if cell is None:
                continue
            if column.kind == "nik":
                target.number_format = TEXT_FORMAT
                target.value = neutralise(str(cell.value)) if cell.value is not None else None
            else:
                # Names, notes and statuses are typed by people: a leading "=" must stay text
                # (openpyxl itself would store it as a formula). Numbers and dates pass unchanged.
                target.value = neutralise(cell.value)
                if column.kind == "date":
                    target.number_format = DATE_FORMAT
                elif column.number_format:
                    target.number_format = column.number_format
            target.font = _alert_font if cell.alert else _body_font
            target.alignment = Alignment(vertical="top", wrap_text=column.kind == "text" and column.width >= 11)
            if cell.rowspan > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c)

    for c, column in enumerate(register.columns, start=1):
        letter = get_column_letter(c)
        sheet.column_dimensions[letter].width = (column.excel_width or column.width) + 1
        if column.kind == "nik":
            # The whole column is Text, so a NIK typed in later is not turned into a number either.
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT

    footer = first_body + len(register.rows) + 1
    for line in register.legend + [generated_line(generated_by)]:
        sheet.cell(row=footer, column=1, value=neutralise(line)).font = Font(size=8, italic=True)
        footer += 1

    # Headings and the name stay in view while scrolling (the column after "Nama").
    name_col = register.index("name") + 2
    sheet.freeze_panes = sheet.cell(row=first_body, column=name_col)
    sheet.print_title_rows = f"{first_header}:{first_body - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def generated_line(generated_by: str = "") -> str:
    now = timezone.localtime()
    who = f" oleh {generated_by}" if generated_by else ""
    return f"Dicetak {now:%d/%m/%Y %H.%M}{who} dari Sistem Informasi Posyandu 6 SPM."


# --- PDF ----------------------------------------------------------------------------------
# WeasyPrint fetches every URL a document names, and an unreachable host stalls the render until
# its timeout. The PDF is rendered against this made-up origin and the fetcher below serves only
# our own static files from disk; anything else is refused at once.
PDF_BASE_URL = "https://posyandu.invalid/"


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.lstrip("/")


def local_static_path(url: str) -> Path | None:
    """The file on disk behind a static URL of the PDF's origin, or None for anything else."""
    base = urlsplit(PDF_BASE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    prefix = _static_prefix()
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(path[len(prefix):])
    if name.startswith(("..", "/")) or "\x00" in name:
        return None
    found = finders.find(name)  # development: the app and project static folders
    if found:
        return Path(found)
    try:
        candidate = Path(staticfiles_storage.path(name))  # production: collected (hashed) files
    except Exception:  # noqa: BLE001 - storages without a local path or a suspicious name
        return None
    return candidate if candidate.is_file() else None


def _url_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = local_static_path(url)
            if path is None:
                raise ValueError(f"Hanya berkas statis lokal yang boleh dimuat: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    return LocalStaticFetcher(allowed_protocols=("https",))


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which only PDF requests need

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_url_fetcher()).write_pdf()


def css_string(text: str) -> str:
    """A quoted CSS string for @page `content`. Names are user data: every character that could
    end the string or the <style> element is written as a CSS escape."""
    safe = "".join(ch if ch.isalnum() or ch in " .,-·()/:–" else f"\\{ord(ch):x} " for ch in text)
    return mark_safe(f'"{safe}"')  # noqa: S308 - escaped above, character by character


def register_to_html(register: Register, *, generated_by: str = "") -> str:
    place, generated = place_line(register), generated_line(generated_by)
    total = sum(c.width for c in register.columns)
    return render_to_string("serviceday/registers/pdf.html", {
        "register": register,
        "place_line": place,
        "css_title": css_string(register.heading),
        "css_place": css_string(place),
        "css_generated": css_string(generated),
        # A fixed table layout takes its widths from <col>: the first row has merged headings.
        "col_widths": [100 * c.width / total for c in register.columns],
    })


def register_to_pdf(register: Register, *, generated_by: str = "") -> bytes:
    return render_pdf(register_to_html(register, generated_by=generated_by))


def download_name(register: Register, extension: str) -> str:
    from django.utils.text import slugify

    from apps.serviceday.registers import REGISTERS

    return f"register-{REGISTERS[register.kind].slug}-{slugify(register.posyandu.name)}-{register.year}.{extension}"


__all__ = ["XLSX_CONTENT_TYPE", "download_name", "local_static_path", "css_string", "register_to_html", "register_to_pdf",
           "register_to_xlsx", "render_pdf"]
