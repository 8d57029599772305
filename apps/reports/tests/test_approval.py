"""The approval chain: Posyandu → desa → kecamatan → kab/kota → provinsi, locking and reopening."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Assignment, Role, User
from apps.people.models import Person
from apps.regions.models import Region
from apps.reports import approval
from apps.reports.models import ReportStatus
from apps.serviceday import services
from apps.serviceday.models import Visit

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def kecamatan_officer():
    user = User.objects.create(username="kec.petugas", role=Role.KECAMATAN)
    Assignment.objects.create(user=user, region=Region.objects.get(code="17.71.02"), can_write=True)
    return user


def test_the_chain_in_order_and_every_step_logged(persona, demo_posyandu, kecamatan_officer):
    report = approval.report_for(demo_posyandu, MARCH)
    approval.submit(report=report, acting_user=persona("pengurus"))
    with pytest.raises(ValidationError, match="menunggu persetujuan tingkat"):
        approval.approve(report=report, acting_user=kecamatan_officer)  # the desa has not approved yet
    approval.approve(report=report, acting_user=persona("village_operator"))
    approval.approve(report=report, acting_user=kecamatan_officer)
    approval.approve(report=report, acting_user=persona("kabupaten_officer"))
    report = approval.approve(report=report, acting_user=persona("province_officer"))
    assert report.status == ReportStatus.PROVINSI
    assert [(e.action, e.to_status, e.user.username) for e in report.events.all()] == [
        ("kirim", "dikirim", "pengurus.posyandu"), ("setujui", "desa", "desa.padangharapan"),
        ("setujui", "kecamatan", "kec.petugas"), ("setujui", "kabkota", "kota.bengkulu"),
        ("setujui", "provinsi", "provinsi.bengkulu")]


def test_a_sent_month_is_locked_for_the_visit_form_and_reopening_needs_a_reason(persona, demo_posyandu,
                                                                                  kecamatan_officer):
    child = Person(name="Kunci Uji", sex="L", birth_date=dt.date(2025, 1, 1), region=demo_posyandu.village,
                   posyandu=demo_posyandu)
    child.save()
    kader = persona("kader")
    session = services.open_session(posyandu=demo_posyandu, date=dt.date(2026, 3, 10), acting_user=kader)
    report = approval.report_for(demo_posyandu, MARCH)
    approval.submit(report=report, acting_user=kader)
    approval.approve(report=report, acting_user=persona("village_operator"))
    with pytest.raises(ValidationError, match="terkunci"):
        services.record_visit(visit=Visit(session=session, posyandu=demo_posyandu, person=child,
                                          visit_date=session.date, weight_kg=Decimal("9.5")), acting_user=kader)
    with pytest.raises(PermissionDenied):
        approval.reopen(report=report, acting_user=kader, reason="salah ketik")  # the Posyandu cannot reopen
    with pytest.raises(ValidationError, match="alasan"):
        approval.reopen(report=report, acting_user=kecamatan_officer, reason=" ")
    approval.reopen(report=report, acting_user=kecamatan_officer, reason="Berat badan salah ketik")
    services.record_visit(visit=Visit(session=session, posyandu=demo_posyandu, person=child,
                                      visit_date=session.date, weight_kg=Decimal("9.5")), acting_user=kader)
    assert report.events.last().reason == "Berat badan salah ketik"


def test_out_of_scope_and_read_only_users_cannot_act(persona, demo_posyandu):
    report = approval.report_for(demo_posyandu, MARCH)
    with pytest.raises(PermissionDenied):
        approval.submit(report=report, acting_user=persona("outsider"))
    with pytest.raises(PermissionDenied):
        approval.submit(report=report, acting_user=persona("kecamatan_viewer"))
    assert report.status == ReportStatus.DRAFT and not report.events.exists()


def test_an_import_into_a_locked_month_is_refused_with_the_row(persona, demo_posyandu):
    import io

    from apps.serviceday.imports import import_measurements

    report = approval.report_for(demo_posyandu, MARCH)
    approval.submit(report=report, acting_user=persona("kader"))
    csv = "nama,jk,tgl_lahir,tanggal_ukur,berat\nImpor Kunci,P,2025-02-02,2026-03-12,8.1\n"
    result = import_measurements(posyandu=demo_posyandu, source=io.BytesIO(csv.encode()), acting_user=persona("kader"))
    assert result.errors == [(2, "laporan bulan 03/2026 sudah dikirim atau disetujui (terkunci).")]
