"""The import pages over real HTTP: upload, confirm the mapping, the result with its reconciliation,
every error paged and the file back with its errors; a run is its uploader's only."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.imports.models import ImportRun, RunStatus
from apps.imports.tests.eppgbm_export import rows_of, write_export
from apps.people.models import Person

pytestmark = pytest.mark.django_db


def upload(client, path):
    with path.open("rb") as handle:
        return client.post(reverse("imports:index"), {"file": handle})


def confirm(client, run, **extra):
    data = {f"map_{i}": str(g["proposal"] or "") for i, g in enumerate(run.groups)} | extra
    return client.post(reverse("imports:run", args=[run.pk]), data)


def test_upload_confirm_and_see_the_reconciliation(tmp_path, client_as, puskesmas):
    client = client_as("kecamatan_viewer")
    assert "Impor e-PPGBM" in client.get(reverse("home")).content.decode()  # in the menu of who may import
    response = upload(client, write_export(tmp_path / "ekspor.xlsx", rows_of(puskesmas.children)))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert 'id="pemetaan"' in page and "nama sama" in page and Person.objects.filter(name="NAYLA PUTRI").count() == 0

    confirm(client, run, dry_run="1")
    run.refresh_from_db()
    assert run.status == RunStatus.CHECKED and not Person.objects.filter(name="NAYLA PUTRI").exists()
    confirm(client, run, dry_run="0")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and Person.objects.filter(name="NAYLA PUTRI").exists()
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'id="rekonsiliasi"' in page and "NIK perlu diperbaiki" in page
    assert 'id="pemetaan"' not in page  # done: the same file is not imported twice from here


def test_every_error_is_listed_paged_and_the_file_comes_back_with_them(tmp_path, client_as, puskesmas):
    client = client_as("kecamatan_viewer")
    rows = rows_of(puskesmas.children) * 6  # 162 rows: 150 of them refused below
    start = dt.date(2025, 1, 1)  # one date per row: every refused row is refused for its weight
    overrides = {i: {"Berat": 9100 + i, "Tanggal Pengukuran": start + dt.timedelta(days=i)} for i in range(150)}
    upload(client, write_export(tmp_path / "salah.xlsx", rows, overrides=overrides))
    run = ImportRun.objects.get()
    confirm(client, run, dry_run="0")
    run.refresh_from_db()
    assert run.status == RunStatus.REFUSED and len({r for r, _ in run.errors}) >= 150
    first = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    second = client.get(reverse("imports:run", args=[run.pk]) + "?hal=2").content.decode()
    assert "Baris 2:" in first and "Baris 2:" not in second and "2 / " in second
    response = client.get(reverse("imports:error_file", args=[run.pk]))
    assert response.status_code == 200 and "salah-kesalahan.xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Application List"]
    header = [c.value for c in sheet[1]]
    errors = [sheet.cell(r, header.index("Kesalahan") + 1).value for r in range(2, 152)]
    assert all(e and "gram" in e for e in errors)


def test_a_formula_in_a_name_does_not_run_in_the_error_file(tmp_path, client_as, puskesmas):
    client = client_as("kecamatan_viewer")
    rows = rows_of(puskesmas.children[:2])
    # CSV: a text cell that starts with "=" (an xlsx would hold a formula, which calamine reads as its value).
    upload(client, write_export(tmp_path / "f.csv", rows, overrides={0: {"Nama": "=HYPERLINK(\"http://x\")", "Berat": 9100}}))
    run = ImportRun.objects.get()
    confirm(client, run, dry_run="0")
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:error_file", args=[run.pk])).content))
    sheet = book["Application List"]
    assert sheet.cell(2, 3).value.startswith("'=")


def test_another_users_run_is_a_404(tmp_path, client_as, puskesmas):
    upload(client_as("kecamatan_viewer"), write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children[:2])))
    run = ImportRun.objects.get()
    other = client_as("kabupaten_officer")
    for name in ("imports:run", "imports:error_file"):
        assert other.get(reverse(name, args=[run.pk])).status_code == 404
    assert other.post(reverse("imports:run", args=[run.pk]), {}).status_code == 404


def test_a_user_without_import_scope_cannot_upload(tmp_path, client_as, puskesmas):
    client = client_as("opd_dinsos")
    assert "Impor e-PPGBM" not in client.get(reverse("home")).content.decode()
    assert "belum diberi izin" in client.get(reverse("imports:index")).content.decode()
    assert upload(client, write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children[:2]))).status_code == 403
    assert not ImportRun.objects.exists()


def test_the_command_maps_exact_names_and_imports(tmp_path, puskesmas):
    path = write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children))
    out = io.StringIO()
    call_command("import_eppgbm", str(path), user="kec.gadingcempaka", stdout=out)
    text = out.getvalue()
    assert "Impor selesai" in text and "Menulis 1/3" in text
    assert Person.objects.filter(name="NAYLA PUTRI", nik="").exists()
    text_file = write_export(tmp_path / "b.xlsx", rows_of(puskesmas.children[:1], posyandu_text={
        puskesmas.children[0].posyandu.pk: "TIDAK ADA"}))
    with pytest.raises(CommandError, match="belum terpetakan"):
        call_command("import_eppgbm", str(text_file), user="kec.gadingcempaka", stdout=io.StringIO())
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("import_eppgbm", str(path), user="dinsos.bengkulu", stdout=io.StringIO())


def test_the_nik_to_fix_work_list(tmp_path, client_as, puskesmas):
    client = client_as("kecamatan_viewer")
    call_command("import_eppgbm", str(write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children))),
                 user="kec.gadingcempaka", stdout=io.StringIO())
    page = client.get(reverse("people:list") + "?nik_to_fix=true").content.decode()
    assert "NAYLA PUTRI" in page and "ALIF RAMADHAN" not in page
