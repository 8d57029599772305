"""The access log of full NIK and confidential reporters, over real HTTP (Django's test client):
every page, form, API response, export and admin page that shows the full value writes who,
when, what and whose; the masked views write nothing; the admin reads the log and cannot change
it; old rows are pruned after the retention period."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.fieldregisters.models import IncidentReport
from apps.people.models import Person
from apps.privacy.models import AccessLog

pytestmark = pytest.mark.django_db
CHILD_NIK = "1771024107259001"
REPORTER_NIK = "1771020505800007"


@pytest.fixture
def child(demo_posyandu: Any) -> Person:
    person = Person(name="Nayla Putri Akses", nik=CHILD_NIK, sex="P", birth_date=dt.date(2025, 7, 1),
                    region=demo_posyandu.village, posyandu=demo_posyandu)
    person.save()
    return person


@pytest.fixture
def incident(demo_posyandu: Any) -> IncidentReport:
    day = timezone.localdate()
    report = IncidentReport(posyandu=demo_posyandu, kind="kebakaran", occurred_on=day, recorded_on=day,
                            location="RT 02", description="Api di dapur", reporter_name="Sutrisno Pelapor",
                            reporter_phone="081234567", reporter_nik=REPORTER_NIK)
    report.save()
    return report


def entries(obj: Any) -> list[tuple[str, str, str, str]]:
    return [(e.username, e.action, e.subject, e.channel)
            for e in AccessLog.objects.filter(object_id=obj.pk, content_type__model=type(obj)._meta.model_name)
            .order_by("pk")]


def test_the_person_page_with_the_full_nik_is_logged_and_the_masked_one_is_not(client_as, persona, child):
    kader = client_as("kader")
    body = kader.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert CHILD_NIK in body
    entry = AccessLog.objects.get(object_id=child.pk)
    assert (entry.user, entry.action, entry.subject, entry.channel, entry.object_repr) == (
        persona("kader"), "lihat", "nik", "halaman", "Nayla Putri Akses")
    assert entry.path == reverse("people:detail", args=[child.pk]) and entry.ip == "127.0.0.1"
    assert timezone.now() - entry.at < dt.timedelta(minutes=1)

    kader.get(reverse("people:list") + "?q=Nayla")  # the list masks every NIK
    viewer = client_as("kecamatan_viewer")
    body = viewer.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert CHILD_NIK not in body and child.masked_nik in body
    assert entries(child) == [("kader.posyandu", "lihat", "nik", "halaman")]


def test_opening_the_edit_form_logs_the_nik_it_shows(client_as, child):
    response = client_as("kader").get(reverse("people:update", args=[child.pk]))
    assert CHILD_NIK in response.content.decode()
    assert entries(child) == [("kader.posyandu", "lihat", "nik", "formulir")]


def test_the_api_logs_each_full_nik_it_returns_and_not_the_masked_ones(client_as, child, demo_posyandu):
    kader = client_as("kader")
    rows = kader.get(f"/api/persons/?posyandu={demo_posyandu.pk}&page_size=500").json()["results"]
    full = [r for r in rows if r["nik"] and not r["nik_masked"]]
    assert any(r["nik"] == CHILD_NIK for r in full)
    logged = set(AccessLog.objects.filter(channel="api").values_list("object_id", flat=True))
    assert logged == {r["id"] for r in full}  # one row per person shown in full, none for the rest
    kader.get(f"/api/persons/{child.pk}/")
    assert entries(child) == [("kader.posyandu", "lihat", "nik", "api")] * 2

    before = AccessLog.objects.count()
    viewer = client_as("kecamatan_viewer")
    assert viewer.get(f"/api/persons/{child.pk}/").json()["nik_masked"] is True
    viewer.get(f"/api/persons/?posyandu={demo_posyandu.pk}")
    assert AccessLog.objects.count() == before


def test_the_register_excel_with_full_nik_is_logged_as_an_export(client_as, child, demo_posyandu):
    url = reverse("registers:balita_xlsx", args=[demo_posyandu.pk]) + f"?tahun={timezone.localdate().year}"
    sheet = load_workbook(io.BytesIO(client_as("kader").get(url).content)).active
    assert CHILD_NIK in [c.value for row in sheet.iter_rows() for c in row]
    assert entries(child) == [("kader.posyandu", "ekspor", "nik", "excel")]

    client_as("kader").get(reverse("registers:balita_pdf", args=[demo_posyandu.pk]))  # the PDF masks
    client_as("kecamatan_viewer").get(url)  # a reader's Excel masks
    assert entries(child) == [("kader.posyandu", "ekspor", "nik", "excel")]


def test_the_confidential_reporter_is_logged_where_it_shows(client_as, incident):
    kader = client_as("kader")
    assert "Sutrisno Pelapor" in kader.get(reverse("fieldregisters:trantibumlinmas_detail",
                                                   args=[incident.pk])).content.decode()
    assert "Sutrisno Pelapor" in kader.get(reverse("fieldregisters:trantibumlinmas_update",
                                                   args=[incident.pk])).content.decode()
    assert kader.get(f"/api/fieldregisters/incidents/{incident.pk}/").json()["reporter_nik"] == REPORTER_NIK
    assert entries(incident) == [("kader.posyandu", "lihat", "pelapor", channel)
                                 for channel in ("halaman", "formulir", "api")]

    viewer = client_as("kecamatan_viewer")
    body = viewer.get(reverse("fieldregisters:trantibumlinmas_detail", args=[incident.pk])).content.decode()
    assert "Sutrisno Pelapor" not in body and "dirahasiakan" in body
    assert viewer.get(f"/api/fieldregisters/incidents/{incident.pk}/").json()["reporter_name"] == "dirahasiakan"
    assert len(entries(incident)) == 3


def test_an_anonymous_report_has_no_reporter_to_log(client_as, incident):
    IncidentReport.objects.filter(pk=incident.pk).update(is_anonymous=True, reporter_name="", reporter_phone="",
                                                        reporter_nik="")
    client_as("kader").get(reverse("fieldregisters:trantibumlinmas_detail", args=[incident.pk]))
    assert entries(incident) == []


def test_the_admin_pages_log_what_they_show_and_the_log_is_read_only(client_as, child, incident):
    admin = client_as("admin")
    assert CHILD_NIK in admin.get(reverse("admin:people_person_change", args=[child.pk])).content.decode()
    assert admin.get(reverse("admin:fieldregisters_incidentreport_change", args=[incident.pk])).status_code == 200
    assert entries(child) == [("admin", "lihat", "nik", "admin")]
    assert entries(incident) == [("admin", "lihat", "pelapor", "admin")]
    version = child.history.order_by("history_id").first().history_id  # a past version shows its NIK too
    assert admin.get(reverse("admin:people_person_simple_history", args=[child.pk, version])).status_code == 200
    assert entries(child) == [("admin", "lihat", "nik", "admin")] * 2

    listing = admin.get(reverse("admin:privacy_accesslog_changelist"))
    assert listing.status_code == 200 and "Nayla Putri Akses" in listing.content.decode()
    entry = AccessLog.objects.filter(object_id=child.pk).first()
    assert admin.get(reverse("admin:privacy_accesslog_add")).status_code == 403
    assert admin.post(reverse("admin:privacy_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    admin.post(reverse("admin:privacy_accesslog_change", args=[entry.pk]), {"username": "lain"})
    entry.refresh_from_db()
    assert entry.username == "admin"
    assert client_as("kabupaten_officer").get(reverse("admin:privacy_accesslog_changelist")).status_code == 302


def test_rows_older_than_the_retention_are_pruned(client_as, child, settings):
    client_as("kader").get(reverse("people:detail", args=[child.pk]))
    client_as("kader").get(reverse("people:update", args=[child.pk]))
    old, recent = AccessLog.objects.order_by("pk")
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=31))
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    out = io.StringIO()
    call_command("prune_access_log", stdout=out)
    assert "1 baris" in out.getvalue()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
