"""Exports of the monthly report: the Excel file opens and holds the numbers the page shows, the
PDF renders with no outside request, the CSV tables match the selectors, and all are scoped."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from apps.reports.tests.dashboard_fixtures import dashboard_data, parse_number, table_rows

pytestmark = pytest.mark.django_db
__all__ = ["dashboard_data"]
COLUMNS = ["L", "P", "Jumlah", "Penyebut", "%"]


def screen_and_sheet(client, page_url, xlsx_url):
    page = client.get(page_url)
    assert page.status_code == 200
    screen = {code: [parse_number(c) for c in cells[3:8]]
              for code, cells in table_rows(page.content.decode(), "tabel-laporan").items()}
    response = client.get(xlsx_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = next(r for r in sheet.iter_rows(values_only=True) if r[:3] == ("No", "Kode", "Indikator"))
    assert list(header[3:8]) == COLUMNS
    rows = {}
    for r in sheet.iter_rows(values_only=True):
        if isinstance(r[0], int) and r[1]:
            rows[r[1]] = [None if v is None else float(v) for v in r[3:8]]
    return screen, rows, sheet


def test_the_posyandu_excel_opens_and_matches_the_screen(client_as, dashboard_data):
    client = client_as("kabupaten_officer")
    a = dashboard_data.a
    screen, sheet_rows, sheet = screen_and_sheet(client, f"/laporan/dasbor/posyandu/{a.pk}/?bulan=2026-03",
                                                 f"/laporan/ekspor/posyandu/{a.pk}/laporan.xlsx?bulan=2026-03")
    assert screen and screen == sheet_rows
    # and the hand-checked numbers themselves
    assert sheet_rows["S"] == [4, 6, 10, None, None] and sheet_rows["D"] == [3, 5, 8, None, None]
    assert sheet_rows["DS"][2:] == [8, 10, 80.0] and sheet_rows["STUNTING"] == [1, 1, 2, 8, 25.0]
    header = {r[0]: r[2] for r in sheet.iter_rows(min_row=3, max_row=10, values_only=True) if r[0]}
    assert a.name in header["Posyandu"] and "Maret 2026" in header["Bulan"]
    assert "Kecamatan" in header and "Desa/Kelurahan" in header
    sections = [r[0] for r in sheet.iter_rows(values_only=True) if isinstance(r[0], str) and r[0][:2] in ("A.", "B.")]
    assert sections[0].startswith("A. SKDN") and sections[1].startswith("B. Status gizi")


def test_the_area_excel_matches_the_screen_roll_up(client_as, dashboard_data):
    client = client_as("kecamatan_viewer")
    screen, sheet_rows, sheet = screen_and_sheet(client, "/laporan/dasbor/wilayah/17.71.02/?bulan=2026-03",
                                                 "/laporan/ekspor/wilayah/17.71.02/laporan.xlsx?bulan=2026-03")
    assert screen == sheet_rows
    assert sheet_rows["S"][2] == 35 and sheet_rows["DS"][2:] == [23, 35, 65.7]
    assert any(r[0] == "Laporan masuk" for r in sheet.iter_rows(values_only=True))


def test_the_pdf_renders_the_same_report_without_outside_requests(client_as, dashboard_data, monkeypatch):
    from apps.reports import exports

    seen = {}
    real = exports.report_to_html

    def spy(report, **kwargs):
        seen["html"] = real(report, **kwargs)
        return seen["html"]

    monkeypatch.setattr(exports, "report_to_html", spy)
    response = client_as("kabupaten_officer").get(
        f"/laporan/ekspor/posyandu/{dashboard_data.a.pk}/laporan.pdf?bulan=2026-03")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    rows = table_rows(seen["html"], "tabel-laporan")
    assert [parse_number(x) for x in rows["STUNTING"][3:8]] == [1, 1, 2, 8, 25.0]
    assert "http://" not in seen["html"] and "https://" not in seen["html"]


def read_csv(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_tables_hold_the_dashboard_numbers(client_as, dashboard_data):
    client = client_as("kabupaten_officer")
    base = "/laporan/ekspor/wilayah/17.71.02/tabel.csv?bulan=2026-03&tabel="
    child = {r[0]: r for r in read_csv(client.get(base + "anak"))[1:]}
    assert child[dashboard_data.v1][2:6] == ["30", "18", "60.0", "75.0"]
    ranking = read_csv(client.get(base + "peringkat"))
    assert ranking[1][1:4] == [dashboard_data.v1, ranking[1][2], "30.9"]
    trend = read_csv(client.get(base + "tren"))
    assert trend[0][:3] == ["Bulan", "S", "D"] and trend[-1][:3] == ["2026-03", "35", "23"] and len(trend) == 13
    report = {r[1]: r for r in read_csv(client.get(base + "laporan"))[1:]}
    assert report["DS"][5:8] == ["23", "35", "65.7"]
    assert client.get(base + "tidak-ada").status_code == 404


def test_exports_are_scoped_like_the_pages(client_as, dashboard_data):
    client = client_as("kecamatan_viewer")
    for url in (f"/laporan/ekspor/posyandu/{dashboard_data.e.pk}/laporan.xlsx",
                f"/laporan/ekspor/posyandu/{dashboard_data.f.pk}/laporan.pdf",
                "/laporan/ekspor/wilayah/17.71/laporan.xlsx", "/laporan/ekspor/wilayah/17.02/tabel.csv",
                "/laporan/ekspor/wilayah/17.71/dhis2.json"):
        assert client.get(url).status_code == 404, url
    # the kabupaten's roll-up holds only its own Posyandu, never the outsider's 1,000 balita
    rows = {r[1]: r for r in read_csv(client_as("kabupaten_officer").get(
        "/laporan/ekspor/wilayah/17.71/tabel.csv?bulan=2026-03&tabel=laporan"))[1:]}
    assert rows["S"][5] == "135"
