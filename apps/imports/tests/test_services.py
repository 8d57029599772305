"""A whole Puskesmas's e-PPGBM export, in each of its five layouts, as the Puskesmas nutrition
officer (the kecamatan persona, import permission only) brings it in."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from apps.imports import services
from apps.imports.errorfile import error_workbook
from apps.imports.models import ImportRun, PosyanduAlias, RunStatus
from apps.imports.tests.conftest import AUG, NOV, make_puskesmas, nik_for, upload
from apps.imports.tests.eppgbm_export import LAYOUTS, Child, rows_of, write_export
from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.regions.models import Region
from apps.reports.models import MonthlyValue
from apps.reports.services import compute_month
from apps.serviceday import services as serviceday
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db


def counts():
    return Person.objects.count(), Visit.objects.count(), Posyandu.objects.count()


def import_file(path, user, *, dry_run=False, choices=None):
    run = services.start_run(upload(path), user)
    result = services.run_import(run, choices or services.proposed_mapping(run), user, dry_run=dry_run)
    run.refresh_from_db()
    return run, result


def test_layouts_have_the_column_counts_of_domain_md():
    assert {k: len(v) for k, v in LAYOUTS.items()} == {"2025": 36, "2024": 34, "2024_filtered": 27,
                                                        "2024_kabupaten": 32, "2022": 32}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_a_whole_puskesmas_export_in_each_layout(tmp_path, layout, puskesmas, persona):
    officer = persona("kecamatan_viewer")  # the Puskesmas officer: may import, may not write
    rows = rows_of(puskesmas.children)
    gram, clock, duration = 3, 9, 17
    broken = {gram: {"Berat": 9100}, clock: {"Berat": dt.time(7, 7)}, duration: {"Tinggi": dt.timedelta(hours=67, minutes=6)}}
    path = write_export(tmp_path / f"{layout}.xlsx", rows, layout, overrides=broken)
    before = counts()

    run = services.start_run(upload(path), officer)
    assert [g["status"] for g in run.groups] == ["exact"] * 3, run.groups  # one mapping step, no hand edits
    assert sorted(g["proposal"] for g in run.groups) == sorted(p.pk for p in puskesmas.posyandu)
    result = services.run_import(run, services.proposed_mapping(run), officer)
    # Real errors stop the whole file, every one named by its spreadsheet row (data row n is row n + 2).
    assert sorted({row for row, _ in result.errors}) == [gram + 2, clock + 2, duration + 2], result.errors
    messages = dict(result.errors)
    assert "gram" in messages[gram + 2]
    assert "07:07" in messages[clock + 2] and "7,7 atau 7,07" in messages[clock + 2] and "Excel" in messages[clock + 2]
    assert "67:06" in messages[duration + 2] and "67,6 atau 67,06" in messages[duration + 2]
    assert counts() == before
    run.refresh_from_db()
    assert run.status == RunStatus.REFUSED

    # The file given back with a Kesalahan column, on the same row numbers.
    book = openpyxl.load_workbook(__import__("io").BytesIO(error_workbook(run)))
    sheet = book["Application List"]
    header = [c.value for c in sheet[1]]
    column = header.index("Kesalahan") + 1
    flagged = {r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value}
    assert flagged == {gram + 2, clock + 2, duration + 2}
    assert sheet.cell(gram + 2, header.index("Nama\xa0") + 1 if "Nama\xa0" in header else 3).value

    # Fixed in Excel: the same file without those cells goes in whole.
    path = write_export(tmp_path / f"{layout}-fixed.xlsx", rows, layout)
    run, result = import_file(path, officer)
    assert result.errors == [], result.errors[:5]
    assert run.status == RunStatus.DONE
    children = puskesmas.children
    assert result.persons_created == len(children)
    assert result.visits_created == len(rows)
    assert result.summary_rows_skipped == 1  # "Total data gizi: ..." below the data
    assert Person.objects.filter(name__in=["ALIF RAMADHAN", "ALIFA RAMADHANI"]).count() == 2  # twins stay two
    twins = Person.objects.filter(name__in=["ALIF RAMADHAN", "ALIFA RAMADHANI"])
    assert len({t.mother_id for t in twins}) == 1 and twins[0].mother.name == "SITI AMINAH"  # Nama Ortu
    nayla = Person.objects.get(name="NAYLA PUTRI")
    assert (nayla.nik, nayla.nik_as_imported, nayla.nik_needs_fix) == ("", "17710255072", True)
    assert result.nik_to_fix == 1
    assert any("NIK perlu diperbaiki" in m for _, m in result.warnings)
    assert nayla.has_kia_book is True  # KIA "Sesuai"
    kia = {c.name: c.kia for c in children}
    for person in Person.objects.filter(name__in=list(kia)):
        assert person.has_kia_book == {"Ya": True, "Sesuai": True, "Tidak": False, "-": None}[kia[person.name]]
    # LiLA 0 is "not measured", not an impossible LiLA.
    assert Visit.objects.filter(person__in=Person.objects.filter(name__in=list(kia)), muac_cm__isnull=True).count() > 10
    assert Visit.objects.filter(muac_cm=Decimal("14.5")).exists()
    # Without Cara Ukur the position follows WHO by age.
    young = Visit.objects.filter(person__name="NAYLA PUTRI").get()
    assert young.position == "l"
    assert PosyanduAlias.objects.count() == 3

    # Idempotent: the same export again creates nothing.
    before = counts()
    _, again = import_file(path, officer)
    assert again.errors == [] and (again.persons_created, again.visits_created) == (0, 0)
    assert again.visits_skipped == len(rows) and counts() == before


def test_a_csv_saved_by_excel_with_indonesian_settings_names_the_time_cells(tmp_path, puskesmas, persona):
    rows = rows_of(puskesmas.children)
    path = write_export(tmp_path / "ekspor.csv", rows, "2025", overrides={0: {"Berat": "07:07"}, 1: {"LiLA": "13:05:00"}})
    run, result = import_file(path, persona("kecamatan_viewer"))
    assert sorted(r for r, _ in result.errors) == [2, 3]
    assert "7,7 atau 7,07" in result.errors[0][1] and "13,5 atau 13,05" in result.errors[1][1]
    assert Person.objects.filter(name="NAYLA PUTRI").count() == 0


def test_skdn_after_two_monthly_exports_three_months_apart_equals_the_labels(tmp_path, demo_posyandu, persona):
    officer = persona("kecamatan_viewer")
    town = make_puskesmas(demo_posyandu, months=(AUG, NOV))
    for month in (AUG, NOV):
        children = []
        for c in town.children:
            only = Child(c.nik, c.name, c.sex, c.dob, c.mother, c.posyandu, c.kia, {month: c.measures[month]})
            children.append(only)
        path = write_export(tmp_path / f"{month:%m}.xlsx", rows_of(children), "2024")
        run, result = import_file(path, officer)
        assert result.errors == [], result.errors[:3]
        for p in town.posyandu:
            compute_month(month, [p.pk])
            got = dict(MonthlyValue.objects.filter(posyandu=p, period=month.replace(day=1), sex="",
                                                   indicator__code__in="NTOB")
                       .values_list("indicator__code", "numerator"))
            labels = [c.measures[month][3] for c in town.children if c.posyandu == p]
            assert {k: got.get(k, 0) for k in "NTOB"} == {k: labels.count(k) for k in "NTOB"}, (p, month)
            # K counts recorded Buku KIA only (Ya, Sesuai), never an unknown "-".
            k = MonthlyValue.objects.get(posyandu=p, period=month.replace(day=1), sex="", indicator__code="K").numerator
            recorded = {c.name for c in town.children if c.posyandu == p and c.kia in ("Ya", "Sesuai")}
            assert k >= len(recorded) and not Person.objects.filter(name__in=recorded, has_kia_book__isnull=True)
            assert Person.objects.filter(posyandu=p, has_kia_book__isnull=True).count() >= 2
        # Where the month uses e-PPGBM's label the visit says so; the reconciliation shows it.
        months = run.reconciliation["months"]
        assert {m["period"] for m in months} == {month.strftime("%Y-%m")}
        for m in months:
            assert {k: m["system"][k] for k in "NTOB"} == {k: m["source"][k] for k in "NTOB"}
    assert Visit.objects.filter(kms_from_source=True).exists()

    # A third month entered in the system computes N/T from the imported weighings.
    child = town.children[0]
    person = Person.objects.get(nik=child.nik)
    dec = dt.date(2025, 12, 12)
    session = serviceday.open_session(posyandu=child.posyandu, date=dec, acting_user=persona("admin"))
    nov_weight = child.measures[NOV][0]
    visit = serviceday.record_visit(visit=Visit(session=session, posyandu=child.posyandu, person=person, visit_date=dec,
                                                weight_kg=Decimal(str(nov_weight + 0.4))), acting_user=persona("admin"))
    visit = Visit.objects.get(pk=getattr(visit, "visit", visit).pk)
    assert (visit.kms_status, visit.kms_from_source) == ("N", False)


def test_rows_of_a_posyandu_outside_the_officers_area_are_refused_with_their_rows(tmp_path, puskesmas, persona,
                                                                                  outsider_posyandu):
    outsider_child = Child(nik_for("L", dt.date(2024, 1, 5), 777), "ANAK LUAR", "L", dt.date(2024, 1, 5), "IBU LUAR",
                           outsider_posyandu, measures={AUG: (9.0, 75.0, 0, "N", "Normal", "-")})
    rows = rows_of(puskesmas.children) + rows_of([outsider_child])
    district = Region.objects.current().get(code=outsider_posyandu.district_code)
    rows[-1].update({"Kab/Kota": "KAB. REJANG LEBONG", "Kec": district.name.upper()})
    path = write_export(tmp_path / "luar.xlsx", rows)
    officer = persona("kecamatan_viewer")
    run = services.start_run(upload(path), officer)
    (outside,) = [g for g in run.groups if g["status"] != "exact"]
    assert outside["status"] == "out_of_scope" and outside["row_numbers"] == [len(rows) + 1]
    before = counts()
    result = services.run_import(run, services.proposed_mapping(run), officer)
    assert [r for r, _ in result.errors] == [len(rows) + 1]
    assert "di luar wilayah" in result.errors[0][1]
    assert counts() == before
    # Skipping that group explicitly imports the rest.
    choices = services.proposed_mapping(run) | {outside["key"]: services.SKIP}
    result = services.run_import(run, choices, officer)
    assert result.errors == [] and result.visits_created == len(rows) - 1
    assert not Person.objects.filter(name="ANAK LUAR").exists()


def test_a_confirmed_close_match_is_remembered_for_the_next_export(tmp_path, puskesmas, persona):
    officer = persona("kecamatan_viewer")
    first = puskesmas.posyandu[0]
    text = {first.pk: first.name.upper().replace("POSYANDU ", "POSY. ").replace(" 1", " I") + " RW 2"}
    path = write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children, posyandu_text=text))
    run = services.start_run(upload(path), officer)
    group = next(g for g in run.groups if g["proposal"] == first.pk)
    assert group["status"] == "close"
    services.run_import(run, services.proposed_mapping(run), officer)
    again = services.start_run(upload(path), officer)
    assert next(g for g in again.groups if g["key"] == group["key"])["status"] == "alias"


def test_a_missing_posyandu_is_created_by_whoever_may_write_there(tmp_path, demo_posyandu, persona):
    officer = persona("kabupaten_officer")  # writes in the whole city
    dob = dt.date(2024, 2, 2)
    child = Child(nik_for("L", dob, 55), "ANAK BARU", "L", dob, "IBU BARU", demo_posyandu,
                  measures={AUG: (9.0, 76.0, 0, "B", "Normal", "-")})
    path = write_export(tmp_path / "baru.xlsx", rows_of([child], posyandu_text={demo_posyandu.pk: "KENANGA 9"}))
    run = services.start_run(upload(path), officer)
    (group,) = run.groups
    assert group["status"] in ("unknown", "close") and group["can_create"]
    key = group["key"]
    result = services.run_import(run, {key: services.NEW}, officer)
    assert result.errors == []
    created = Posyandu.objects.get(name="Posyandu KENANGA 9")
    assert created.village_id == demo_posyandu.village_id and Person.objects.get(name="ANAK BARU").posyandu == created
    # The Puskesmas officer may import, not create Posyandu.
    run = services.start_run(upload(path.with_name("baru.xlsx")), persona("kecamatan_viewer"))
    assert run.groups[0]["status"] == "alias"


def test_import_permission_does_not_give_write_access(tmp_path, puskesmas, persona, demo_posyandu):
    officer = persona("kecamatan_viewer")
    path = write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children[:3]))
    _, result = import_file(path, officer)
    assert result.errors == [] and result.visits_created == 3
    person = Person.objects.get(nik=puskesmas.children[0].nik)
    with pytest.raises(PermissionDenied):  # the hari buka, where every visit form starts
        serviceday.open_session(posyandu=demo_posyandu, date=dt.date(2025, 9, 9), acting_user=officer)
    # The import is audited as the officer's.
    assert Visit.objects.filter(person=person).first().history.first().history_user == officer
    # Without the permission the same user is refused.
    assignment = officer.assignments.get()
    assignment.can_import = False
    assignment.save()
    officer = type(officer).objects.get(pk=officer.pk)
    with pytest.raises(PermissionDenied):
        import_file(path, officer)
    assert assignment.history.first().can_import is False


def test_same_name_and_birth_date_with_another_nik_is_listed_as_a_possible_duplicate(tmp_path, puskesmas, persona):
    original = puskesmas.children[0]
    copy = Child(nik_for(original.sex, original.dob, 4321), original.name, original.sex, original.dob, original.mother,
                 original.posyandu, measures={NOV: (original.measures[AUG][0] + 1, original.measures[AUG][1] + 2, 0,
                                                    "N", "Normal", "-")})
    path = write_export(tmp_path / "ganda.xlsx", rows_of(puskesmas.children + [copy]))
    run, result = import_file(path, persona("kecamatan_viewer"))
    assert result.errors == []
    assert Person.objects.filter(name=original.name).count() == 2
    assert [(row, other) for row, other, _ in result.possible_duplicates] == [(2, len(puskesmas.children) + 2)]
    assert run.duplicates


@pytest.mark.parametrize("weight, months_old, expected", [
    (0.8, 6, "kurang dari 1.0 kg"), (45.0, 30, "lebih dari 40 kg"), (75.0, 20, "tertukar")])
def test_impossible_child_weights_are_errors_not_warnings(tmp_path, demo_posyandu, persona, weight, months_old, expected):
    dob = AUG - dt.timedelta(days=int(months_old * 30.5))
    height = 9.5 if expected == "tertukar" else 70.0
    child = Child(nik_for("L", dob, 1), "ANAK UJI", "L", dob, "IBU UJI", demo_posyandu,
                  measures={AUG: (weight, height, 0, "N", "Normal", "-")})
    path = write_export(tmp_path / "berat.xlsx", rows_of([child]))
    run = services.start_run(upload(path), persona("kecamatan_viewer"))
    result = services.run_import(run, services.proposed_mapping(run), persona("kecamatan_viewer"))
    assert [r for r, _ in result.errors] == [2] and expected in result.errors[0][1], result.errors
    assert not Person.objects.filter(name="ANAK UJI").exists()


def test_a_corrected_nik_in_a_later_export_updates_the_child(tmp_path, puskesmas, persona):
    officer = persona("kecamatan_viewer")
    path = write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children))
    import_file(path, officer)
    nayla = puskesmas.child("NAYLA PUTRI")
    fixed = Child(nik_for("P", nayla.dob, 3), nayla.name, nayla.sex, nayla.dob, nayla.mother, nayla.posyandu,
                  measures={NOV: (9.9, 80.0, 0, "N", "Normal", "-")})
    _, result = import_file(write_export(tmp_path / "b.xlsx", rows_of([fixed])), officer)
    assert result.errors == [] and result.persons_created == 0
    person = Person.objects.get(name="NAYLA PUTRI")
    assert (person.nik, person.nik_as_imported) == (fixed.nik, "")
    assert person.visits.count() == 2


def test_runs_belong_to_their_uploader(tmp_path, puskesmas, persona):
    path = write_export(tmp_path / "a.xlsx", rows_of(puskesmas.children[:2]))
    run = services.start_run(upload(path), persona("kecamatan_viewer"))
    with pytest.raises(PermissionDenied):
        services.run_import(run, services.proposed_mapping(run), persona("kabupaten_officer"))
    assert ImportRun.objects.get(pk=run.pk).status == RunStatus.MAPPING
