"""The Posyandu registers (SIP formats 2, 3, 4 and lansia) on screen, in Excel and in PDF."""
from __future__ import annotations

import datetime as dt
import io
import time
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import include, path, reverse
from openpyxl import load_workbook

import config.urls
from apps.core.views import ScopedViewMixin
from apps.people.models import Person, PersonStatus, Pregnancy
from apps.serviceday import exporters, register_urls, services
from apps.serviceday.models import Immunisation, Visit
from apps.serviceday.registers import balita_register, served_people, wus_pus_register

# Until config/urls.py includes the registers, the tests mount them the way it will.
urlpatterns = list(config.urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "registers" for p in urlpatterns):
    urlpatterns.append(path("posyandu/", include("apps.serviceday.register_urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
YEAR = 2026
CHILD_NIK = "1771020103259901"
MOTHER_NIK = "1771024204989902"


def record(posyandu: Any, person: Person, day: dt.date, user: Any, **values: Any) -> Visit:
    session = services.open_session(posyandu=posyandu, date=day, acting_user=user)
    visit = Visit(session=session, posyandu=posyandu, person=person, visit_date=day, **values)
    return services.record_visit(visit=visit, acting_user=user).visit


@pytest.fixture
def data(demo_posyandu: Any, persona: Any) -> dict[str, Any]:
    """Three children weighed over several months, an ibu hamil with LILA 22 cm, a lansia at 160/100."""
    kader = persona("kader")

    def person(name: str, sex: str, birth: dt.date, **extra: Any) -> Person:
        p = Person(name=name, sex=sex, birth_date=birth, region=demo_posyandu.village, posyandu=demo_posyandu,
                   **extra)
        p.save()
        return p

    mother = person("Siti Rahmawati", "P", dt.date(1998, 4, 2), nik=MOTHER_NIK)
    budi = person("Budi Santoso", "L", dt.date(2025, 3, 1), nik=CHILD_NIK, mother=mother)
    aisyah = person("Aisyah Putri", "P", dt.date(2024, 12, 5))
    old = person("Dimas Anggara", "L", dt.date(2020, 6, 1))  # 60 months before 2026: not a balita this year
    elder = person("Bambang Hidayat", "L", dt.date(1955, 8, 17))

    for day, kg, extra in [(dt.date(YEAR, 1, 12), "9.00", {}),
                           (dt.date(YEAR, 2, 9), "9.40", {"vitamin_a": True}),
                           (dt.date(YEAR, 3, 9), "9.40", {}),
                           (dt.date(YEAR, 4, 13), "9.45", {})]:
        record(demo_posyandu, budi, day, kader, weight_kg=Decimal(kg), height_cm=Decimal("76.0"), position="l",
               **extra)
    record(demo_posyandu, aisyah, dt.date(YEAR, 1, 12), kader, weight_kg=Decimal("9.10"))
    record(demo_posyandu, aisyah, dt.date(YEAR, 3, 9), kader, weight_kg=Decimal("9.60"), vitamin_a=True)
    record(demo_posyandu, aisyah, dt.date(YEAR, 8, 10), kader, weight_kg=Decimal("10.20"), vitamin_a=True)
    Immunisation.objects.create(person=budi, vaccine="BCG", given_on=dt.date(2025, 3, 20))
    Immunisation.objects.create(person=budi, vaccine="Polio 1", given_on=dt.date(2025, 4, 20))

    pregnancy = Pregnancy.objects.create(person=mother, lmp_date=dt.date(YEAR, 1, 5))
    record(demo_posyandu, mother, dt.date(YEAR, 5, 11), kader, weight_kg=Decimal("52"), muac_cm=Decimal("22.0"),
           systolic=110, diastolic=70, gestational_age_weeks=18, iron_tablets=30, hb_g_dl=Decimal("10.5"))
    record(demo_posyandu, mother, dt.date(YEAR, 6, 8), kader, weight_kg=Decimal("53.5"), muac_cm=Decimal("22.5"),
           systolic=145, diastolic=92, iron_tablets=30, danger_signs=["sakit_kepala"])
    record(demo_posyandu, elder, dt.date(YEAR, 3, 9), kader, weight_kg=Decimal("61"), height_cm=Decimal("163"),
           systolic=160, diastolic=100, glucose_mg_dl=230, adl_score=20)
    record(demo_posyandu, elder, dt.date(YEAR, 7, 13), kader, weight_kg=Decimal("60"), height_cm=Decimal("163"),
           systolic=135, diastolic=85, adl_score=18)
    return {"budi": budi, "aisyah": aisyah, "old": old, "mother": mother, "pregnancy": pregnancy, "elder": elder,
            "posyandu": demo_posyandu}


def url(name: str, posyandu: Any, year: int = YEAR) -> str:
    return reverse(f"registers:{name}", args=[posyandu.pk]) + f"?tahun={year}"


class RowParser(HTMLParser):
    """Rows of the register table as {column key: text}, from the `col-<key>` classes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._key: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append({})
        classes = (dict(attrs).get("class") or "").split()
        if tag == "td":
            self._key = next((c[4:] for c in classes if c.startswith("col-")), None)
            if self._key:
                self.rows[-1][self._key] = ""
            if self._key and "alert-cell" in classes:
                self.rows[-1]["!" + self._key] = "alert"

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._key:
            self.rows[-1][self._key] = self.rows[-1].get(self._key, "") + data.strip()


def screen_rows(html: str) -> dict[str, dict[str, str]]:
    parser = RowParser()
    parser.feed(html)
    return {row["name"]: row for row in parser.rows if row.get("name")}


# --- Format 2 ---------------------------------------------------------------------------------
def test_balita_register_shows_each_weight_in_its_month_with_the_kms_status(client_as, data):
    response = client_as("kader").get(url("balita", data["posyandu"]))
    assert response.status_code == 200
    rows = screen_rows(response.content.decode())
    budi = rows["Budi Santoso"]
    assert [(budi[f"bb_{m:02d}"], budi[f"kms_{m:02d}"]) for m in range(1, 6)] == [
        ("9,00", "B"), ("9,40", "N"), ("9,40", "T"), ("9,45", "T"), ("", "")]
    assert budi.get("!kms_03") == "alert" and "!kms_02" not in budi  # T is marked, N is not
    assert "2T Apr" in budi["notes"]
    assert budi["mother"] == "Siti Rahmawati"
    assert budi["vit_a_feb"] == "09/02/2026" and budi["vit_a_aug"] == ""
    assert budi["immunisations"] == "BCG 20/03/2025; Polio 1 20/04/2025"
    # Skipping February makes March "O" (not weighed last month); August's dose is the August round.
    aisyah = rows["Aisyah Putri"]
    assert (aisyah["kms_01"], aisyah["bb_02"], aisyah["kms_03"]) == ("B", "", "O")
    assert (aisyah["vit_a_feb"], aisyah["vit_a_aug"]) == ("09/03/2026", "10/08/2026")


def test_balita_register_masks_the_nik_on_screen_and_lists_only_the_under_fives(client_as, data):
    body = client_as("kader").get(url("balita", data["posyandu"])).content.decode()
    rows = screen_rows(body)
    assert rows["Budi Santoso"]["nik"] == "177102••••••••••"
    assert CHILD_NIK not in body
    assert "Dimas Anggara" not in rows and "Bambang Hidayat" not in rows
    assert 'class="table-responsive"' in body and "@media print" in body


def test_a_child_who_moved_away_keeps_the_row_of_the_months_weighed_here(data, persona):
    aisyah = data["aisyah"]
    aisyah.status, aisyah.status_date = PersonStatus.MOVED, dt.date(YEAR, 9, 1)
    aisyah.save()
    register = balita_register(data["posyandu"], YEAR, persona("kader"))
    names = [register.rows[i][register.index("name")].value for i in range(len(register.rows))]
    assert "Aisyah Putri" in names
    row = names.index("Aisyah Putri")
    assert register.cell(row, "notes").display.startswith("Pindah 01/09/2026")
    # A year after she left, she is no longer on the register.
    assert aisyah not in served_people(data["posyandu"], YEAR + 1, persona("kader"))


# --- Format 4, Format 3, lansia -----------------------------------------------------------------
def test_ibu_hamil_register_lists_each_visit_with_gestational_age_and_marks_kek_and_hypertension(client_as, data):
    response = client_as("kader").get(url("ibu_hamil", data["posyandu"]))
    parser = RowParser()
    parser.feed(response.content.decode())
    rows = [r for r in parser.rows if r.get("visit_date")]
    assert [r["visit_date"] for r in rows] == ["11/05/2026", "08/06/2026"]
    first, second = rows
    assert (first["name"], first["age"], first["lmp"], first["due"]) == ("Siti Rahmawati", "27", "05/01/2026",
                                                                         "12/10/2026")
    assert "name" not in second  # the identity spans both visits, as on paper
    assert (first["ga"], first["muac"], first["kek"], first.get("!kek")) == ("18", "22,0", "KEK", "alert")
    assert second["ga"] == "22"  # not typed: counted from the HPHT
    assert (second["bp"], second.get("!bp")) == ("145/92 HT", "alert")
    assert first["iron"] == "30" and first["hb"] == "10,5"
    assert second["danger"] == "sakit kepala/pandangan kabur"
    assert first["outcome"] == "Belum dicatat"  # HPL has passed without a recorded birth


def test_wus_pus_register_classifies_lila_against_23_5(client_as, data):
    rows = screen_rows(client_as("kader").get(url("wus_pus", data["posyandu"])).content.decode())
    siti = rows["Siti Rahmawati"]
    assert (siti["muac"], siti["muac_low"], siti["muac_ok"], siti.get("!muac_low")) == ("22,5", "✓", "", "alert")
    assert siti["muac_date"] == "08/06/2026" and siti["age"] == "28"
    assert siti["notes"] == "Ibu hamil"
    assert "Aisyah Putri" not in rows and "Bambang Hidayat" not in rows


@pytest.fixture
def wus(data: dict[str, Any], persona: Any) -> dict[str, Any]:
    """A PUS who changed her contraception twice in the year, a single woman with LILA just under the
    cut-off, and a married woman whose first recorded method is this year's (not a change)."""
    kader, posyandu = persona("kader"), data["posyandu"]

    def woman(name: str, birth: dt.date, **extra: Any) -> Person:
        p = Person(name=name, sex="P", birth_date=birth, region=posyandu.village, posyandu=posyandu, **extra)
        p.full_clean(exclude=["region", "posyandu"])
        p.save()
        return p

    dewi = woman("Dewi Lestari", dt.date(1992, 7, 14), marital_status="kawin", spouse_name="Agus Salim",
                 living_children=2, deceased_children=1, nik="1771025407920004")
    rina = woman("Rina Wulandari", dt.date(2004, 2, 3), marital_status="belum_kawin")
    yanti = woman("Yanti Susanti", dt.date(1985, 1, 20), marital_status="kawin", spouse_name="Joko")
    record(posyandu, dewi, dt.date(YEAR - 1, 11, 10), kader, contraception="pil")  # last year: the baseline
    record(posyandu, dewi, dt.date(YEAR, 2, 9), kader, contraception="pil", muac_cm=Decimal("23.4"))
    record(posyandu, dewi, dt.date(YEAR, 3, 9), kader, weight_kg=Decimal("55"))  # not asked: no change
    record(posyandu, dewi, dt.date(YEAR, 5, 11), kader, contraception="suntik")
    record(posyandu, dewi, dt.date(YEAR, 9, 14), kader, contraception="implan", muac_cm=Decimal("23.5"))
    Immunisation.objects.create(person=dewi, vaccine="TT1", given_on=dt.date(2019, 1, 10))
    Immunisation.objects.create(person=dewi, vaccine="Td 2", given_on=dt.date(2019, 2, 15))  # typed by hand
    record(posyandu, rina, dt.date(YEAR, 4, 13), kader, muac_cm=Decimal("23.4"), contraception="tidak_kb")
    record(posyandu, rina, dt.date(YEAR - 1, 4, 13), kader, muac_cm=Decimal("25.0"))  # last year's: not shown
    record(posyandu, yanti, dt.date(YEAR, 6, 8), kader, contraception="iud")
    return {"dewi": dewi, "rina": rina, "yanti": yanti, "posyandu": posyandu}


def test_wus_pus_register_shows_a_pus_with_her_contraception_change_in_the_year(client_as, wus):
    body = client_as("kader").get(url("wus_pus", wus["posyandu"])).content.decode()
    dewi = screen_rows(body)["Dewi Lestari"]
    assert (dewi["spouse"], dewi["marital"], dewi["wus_pus"]) == ("Agus Salim", "Kawin", "PUS")
    assert (dewi["children_alive"], dewi["children_dead"], dewi["age"]) == ("2", "1", "34")
    assert dewi["contraception"] == "Implan/AKBK"
    # The last change of the year with its date; the earlier one (pil → suntik) in Keterangan.
    assert (dewi["change_date"], dewi["change_method"]) == ("14/09/2026", "Implan/AKBK")
    assert dewi["notes"] == "Ganti 11/05/2026: Suntik"
    assert (dewi["tt1"], dewi["tt2"], dewi["tt3"]) == ("10/01/2019", "15/02/2019", "")
    # The year's latest LILA, exactly at the cut-off: not KEK (KEK is < 23,5 cm).
    assert (dewi["muac"], dewi["muac_low"], dewi["muac_ok"], dewi["muac_date"]) == ("23,5", "", "✓", "14/09/2026")
    assert "!muac_low" not in dewi
    assert dewi["nik"] == "177102••••••••••" and "1771025407920004" not in body


def test_wus_pus_register_a_single_woman_is_wus_not_pus_and_a_first_method_is_no_change(client_as, wus):
    rows = screen_rows(client_as("kader").get(url("wus_pus", wus["posyandu"])).content.decode())
    rina = rows["Rina Wulandari"]
    assert (rina["marital"], rina["wus_pus"], rina["spouse"]) == ("Belum kawin", "WUS", "")
    assert (rina["muac"], rina["muac_low"], rina.get("!muac_low"), rina["muac_ok"]) == ("23,4", "✓", "alert", "")
    assert (rina["contraception"], rina["change_date"], rina["change_method"]) == ("Tidak ber-KB", "", "")
    yanti = rows["Yanti Susanti"]
    assert (yanti["wus_pus"], yanti["contraception"], yanti["change_date"]) == ("PUS", "IUD/AKDR", "")
    assert yanti["muac"] == "" and yanti["muac_low"] == "" and yanti["muac_ok"] == ""


def test_wus_pus_register_in_excel_keeps_dates_as_dates_under_the_paper_headings(client_as, wus):
    response = client_as("kader").get(url("wus_pus_xlsx", wus["posyandu"]))
    assert response["Content-Disposition"].startswith('attachment; filename="register-wus-pus-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    register = wus_pus_register(wus["posyandu"], YEAR, None)  # only for the column positions
    row = next(r for r in sheet.iter_rows(min_row=6) if r[1].value == "Dewi Lestari")

    def at(key: str) -> Any:
        return row[register.index(key)]

    assert at("nik").value == "1771025407920004" and at("nik").number_format == "@"
    assert at("tt2").value == dt.datetime(2019, 2, 15) and at("tt2").number_format == "DD/MM/YYYY"
    assert at("change_date").value == dt.datetime(2026, 9, 14)
    assert (at("change_method").value, at("contraception").value, at("wus_pus").value) == (
        "Implan/AKBK", "Implan/AKBK", "PUS")
    assert at("muac").value == 23.5 and at("children_alive").value == 2
    headings = {sheet.cell(row=r, column=c).value for r in (4, 5) for c in range(1, len(register.columns) + 1)}
    assert {"Imunisasi Td/TT (tanggal)", "I", "V", "Penggantian kontrasepsi", "Jenis baru", "Nama suami",
            "Status kawin", "WUS/PUS", "Jumlah anak", "Hidup", "Meninggal", "< 23,5", "≥ 23,5"} <= headings


def test_wus_pus_register_in_pdf_masks_the_nik_and_shows_the_change(wus, persona):
    register = wus_pus_register(wus["posyandu"], YEAR, persona("kader"), reveal_nik=False)
    squeezed = " ".join(pdf_text(exporters.register_to_html(register))).replace(" ", "")
    assert "DewiLestari" in squeezed and "Implan/AKBK" in squeezed and "14/09/2026" in squeezed
    assert "1771025407920004" not in squeezed and "PUS" in squeezed


def test_lansia_register_shows_each_visit_with_bmi_hypertension_glucose_and_aks(client_as, data):
    parser = RowParser()
    parser.feed(client_as("kader").get(url("lansia", data["posyandu"])).content.decode())
    rows = [r for r in parser.rows if r.get("visit_date")]
    assert len(rows) == 2
    march, july = rows
    assert (march["name"], march["age"]) == ("Bambang Hidayat", "71")
    assert (march["bmi"], march["bmi_category"], march["bp"], march.get("!bp")) == ("23,0", "normal", "160/100 HT",
                                                                                    "alert")
    assert (march["glucose"], march["glucose_status"], march.get("!glucose")) == ("230", "tinggi", "alert")
    assert (march["adl"], march["adl_status"]) == ("20", "Mandiri")
    assert (july["bp"], july["adl_status"], july.get("!adl")) == ("135/85", "Ketergantungan", "alert")


def test_the_year_is_a_query_parameter_and_another_year_has_other_rows(client_as, data):
    client = client_as("kader")
    rows = screen_rows(client.get(url("balita", data["posyandu"], 2025)).content.decode())
    assert rows["Budi Santoso"]["bb_01"] == ""  # weighed in 2026 only
    assert "Dimas Anggara" in rows  # still under five in 2025
    assert client.get(reverse("registers:balita", args=[data["posyandu"].pk]) + "?tahun=abc").status_code == 200


# --- Excel ------------------------------------------------------------------------------------
def open_xlsx(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == exporters.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="register-bayi-balita-')
    return load_workbook(io.BytesIO(response.content)).active


def sheet_row(sheet: Any, name: str) -> dict[str, Any]:
    header_row = 0
    for row in sheet.iter_rows(min_row=1, max_row=8):
        for cell in row:
            if cell.value == "Nama anak":
                header_row = cell.row
    for row in sheet.iter_rows(min_row=header_row + 2):
        if row[1].value == name:
            return {"cells": row}
    raise AssertionError(f"{name} not in sheet")


def test_excel_has_the_same_weights_and_the_full_nik_as_text_for_the_kader(client_as, data):
    sheet = open_xlsx(client_as("kader").get(url("balita_xlsx", data["posyandu"])))
    register = balita_register(data["posyandu"], YEAR, None)  # only for the column positions
    cells = sheet_row(sheet, "Budi Santoso")["cells"]

    def at(key: str) -> Any:
        return cells[register.index(key)]

    assert [(at(f"bb_{m:02d}").value, at(f"kms_{m:02d}").value) for m in range(1, 5)] == [
        (9.0, "B"), (9.4, "N"), (9.4, "T"), (9.45, "T")]
    assert at("bb_01").number_format == "0.00"
    nik = at("nik")
    assert (nik.value, nik.data_type, nik.number_format) == (CHILD_NIK, "s", "@")
    assert at("birth_date").value == dt.datetime(2025, 3, 1) and at("birth_date").number_format == "DD/MM/YYYY"
    assert at("kms_03").font.color.rgb.endswith("C00000")  # T in red, as on screen
    # The paper form's heading: a month over its BB/St pair, frozen with the name column.
    assert sheet.cell(row=4, column=register.index("bb_01") + 1).value == "Jan"
    assert sheet.cell(row=5, column=register.index("kms_01") + 1).value == "St"
    assert sheet.freeze_panes == "C6"
    assert sheet.column_dimensions["C"].width >= 19


def test_excel_masks_the_nik_for_a_read_only_user(client_as, data):
    sheet = open_xlsx(client_as("kecamatan_viewer").get(url("balita_xlsx", data["posyandu"])))
    cells = sheet_row(sheet, "Budi Santoso")["cells"]
    values = [c.value for c in cells]
    assert "177102••••••••••" in values and CHILD_NIK not in values


def test_excel_merges_the_identity_of_a_mother_over_her_visits(client_as, data):
    response = client_as("kader").get(url("ibu_hamil_xlsx", data["posyandu"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "B6:B7" in merged  # Nama ibu over the two visits
    assert sheet["C6"].value == MOTHER_NIK and sheet["C6"].number_format == "@"


# --- PDF --------------------------------------------------------------------------------------
def pdf_text(html: str) -> list[str]:
    """Text of each rendered page, margin boxes included (WeasyPrint's layout tree; no poppler)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    document = HTML(string=html, base_url=exporters.PDF_BASE_URL, url_fetcher=exporters._url_fetcher()).render()
    return [" ".join(b.text for b in page._page_box.descendants() if isinstance(b, TextBox))
            for page in document.pages]


def test_pdf_is_a4_landscape_with_the_register_and_page_numbers(client_as, data, persona):
    response = client_as("kader").get(url("balita_pdf", data["posyandu"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    register = balita_register(data["posyandu"], YEAR, persona("kader"))
    pages = pdf_text(exporters.register_to_html(register, generated_by="Kader"))
    from weasyprint import HTML

    size = HTML(string=exporters.register_to_html(register)).render().pages[0]
    assert round(size.width) > round(size.height)  # landscape
    squeezed = pages[0].replace(" ", "")  # a line break inside a cell splits the text boxes
    assert "BudiSantoso" in squeezed and "9,45" in squeezed and "REGISTERBAYIDANBALITA" in squeezed.upper()
    assert f"Halaman 1 dari {len(pages)}" in pages[0]
    assert CHILD_NIK not in " ".join(pages)  # the PDF always masks


def test_pdf_never_fetches_outside_urls():
    assert exporters.local_static_path(exporters.PDF_BASE_URL + "static/css/app.css") is not None
    assert exporters.local_static_path("https://example.org/static/css/app.css") is None
    assert exporters.local_static_path(exporters.PDF_BASE_URL + "static/../config/settings.py") is None
    assert exporters.local_static_path("file:///etc/passwd") is None
    with pytest.raises(ValueError):
        exporters._url_fetcher().fetch("http://10.255.255.1/logo.png")
    started = time.monotonic()
    pdf = exporters.render_pdf('<link rel="stylesheet" href="/static/css/app.css">'
                               '<img src="http://10.255.255.1/logo.png"><p>Uji</p>')
    assert pdf.startswith(b"%PDF") and time.monotonic() - started < 5


def test_a_posyandu_name_cannot_break_out_of_the_pdf_page_header():
    css = exporters.css_string('Melati"; } body { display:none } </style>')
    assert css.count('"') == 2 and "</" not in css and "\\22 " in css


# --- Scope ------------------------------------------------------------------------------------
REGISTER_URL_NAMES = [p.name for p in register_urls.urlpatterns]


@pytest.mark.parametrize("name", REGISTER_URL_NAMES)
def test_an_out_of_scope_posyandu_is_a_404_for_the_page_and_the_downloads(client_as, data, outsider_posyandu, name):
    assert client_as("kader").get(url(name, outsider_posyandu)).status_code == 404
    assert client_as("outsider").get(url(name, data["posyandu"])).status_code == 404


def test_the_register_views_are_scoped_views_with_only_posyandu_pk_in_the_path():
    """The URL walker fills a leaf pattern's posyandu_pk and nothing else; the year is a query."""
    for pattern in register_urls.urlpatterns:
        assert issubclass(pattern.callback.view_class, ScopedViewMixin)
        assert list(pattern.pattern.regex.groupindex) == ["posyandu_pk"]


def test_the_index_links_the_four_registers_with_the_year_unformatted(client_as, data):
    """Django's Indonesian locale would write 2026 as "2.026" and break ?tahun=."""
    body = client_as("pengurus").get(url("index", data["posyandu"])).content.decode()
    for name in ("balita", "ibu_hamil", "wus_pus", "lansia"):
        assert url(name, data["posyandu"]) in body
    page = client_as("pengurus").get(url("lansia", data["posyandu"], 2024)).content.decode()
    assert '<option value="2024" selected>2024</option>' in page
    assert "2.02" not in page


def test_the_recorded_birth_weight_fills_the_bb_lahir_column(client_as, demo_posyandu):
    import datetime as dt
    from decimal import Decimal

    from apps.people.models import Person

    baby = Person(name="Zahra Birth", sex="P", birth_date=dt.date(dt.date.today().year, 1, 3),
                  region=demo_posyandu.village, posyandu=demo_posyandu, birth_weight_kg=Decimal("3.15"))
    baby.save()
    body = client_as("kader").get(reverse("registers:balita", args=[demo_posyandu.pk])).content.decode()
    row = body[body.index("Zahra Birth"):]
    row = row[:row.index("</tr>")]
    assert "3,15" in row
