"""The hari buka pages through real HTTP requests, as a kader uses them."""
import datetime as dt

import pytest
from django.urls import reverse

from apps.people.models import Person
from apps.serviceday.models import Referral, ReferralStatus, ServiceSession, Visit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def child(demo_posyandu):
    person = Person(name="Nadia Anggraini", sex="P", birth_date=dt.date(2024, 11, 20), region=demo_posyandu.village,
                    posyandu=demo_posyandu)
    person.save()
    return person


def open_session(client, posyandu, day=DAY):
    response = client.post(reverse("serviceday:sessions", args=[posyandu.pk]), {"date": day.isoformat()})
    assert response.status_code == 302
    return ServiceSession.objects.get(posyandu=posyandu, date=day)


def test_kader_opens_a_session_registers_a_child_and_records_a_weighing(client_as, demo_posyandu, child):
    client = client_as("kader")
    session = open_session(client, demo_posyandu)
    roster = client.get(session.get_absolute_url()).content.decode()
    assert "Nadia Anggraini" in roster and "Balita" in roster
    response = client.post(reverse("serviceday:register", args=[session.pk]), {"person": child.pk})
    visit = Visit.objects.get(session=session, person=child)
    assert response["Location"] == visit.get_absolute_url()
    form = client.get(visit.get_absolute_url()).content.decode()
    assert "Lingkar kepala" in form and "Tekanan darah" not in form  # the balita form, not the adult one
    response = client.post(visit.get_absolute_url(), {"weight_kg": "6,5", "height_cm": "76.0", "position": "l",
                                                      "vitamin_a": "on", "counselling_topics": ["gizi"]}, follow=True)
    body = response.content.decode()
    visit.refresh_from_db()
    assert visit.step_measured and visit.step_served and visit.step_counselled
    assert visit.bb_u == "berat badan sangat kurang" and visit.bgm
    assert "Perlu rujukan" in body and "Di bawah garis merah" in body
    assert Referral.objects.get(visit=visit).status == ReferralStatus.PROPOSED


def test_impossible_weight_is_refused_on_the_form(client_as, demo_posyandu, child):
    client = client_as("kader")
    session = open_session(client, demo_posyandu)
    client.post(reverse("serviceday:register", args=[session.pk]), {"person": child.pk})
    visit = Visit.objects.get(session=session, person=child)
    body = client.post(visit.get_absolute_url(), {"weight_kg": "720"}).content.decode()
    assert "tidak mungkin" in body
    visit.refresh_from_db()
    assert visit.weight_kg is None


def test_referral_decision_and_feedback_pages(client_as, demo_posyandu, child):
    client = client_as("kader")
    session = open_session(client, demo_posyandu)
    client.post(reverse("serviceday:register", args=[session.pk]), {"person": child.pk})
    visit = Visit.objects.get(session=session, person=child)
    client.post(visit.get_absolute_url(), {"weight_kg": "6.5", "height_cm": "76.0", "position": "l"})
    referral = Referral.objects.get(visit=visit)
    client.post(reverse("serviceday:referral_decide", args=[referral.pk]),
                {"refer": "1", "referred_to": "Puskesmas Padang Harapan", "next": "https://evil.example/"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED and referral.feedback_due
    listing = client.get(reverse("serviceday:referrals")).content.decode()
    assert "Nadia Anggraini" in listing
    response = client.post(reverse("serviceday:referral_feedback", args=[referral.pk]),
                           {"feedback_on": DAY.isoformat(), "feedback": "PMT pemulihan 90 hari"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ANSWERED


def test_person_page_shows_history_and_a_growth_chart(client_as, demo_posyandu, child):
    client = client_as("kader")
    for day, kg in [(dt.date(2026, 1, 12), "8.1"), (dt.date(2026, 2, 12), "8.4")]:
        session = open_session(client, demo_posyandu, day)
        client.post(reverse("serviceday:register", args=[session.pk]), {"person": child.pk})
        visit = Visit.objects.get(session=session, person=child)
        client.post(visit.get_absolute_url(), {"weight_kg": kg, "height_cm": "75.0", "position": "l"})
    page = client.get(reverse("people:detail", args=[child.pk])).content.decode()
    assert "Grafik pertumbuhan" in page and "8,10" in page or "8.10" in page
    chart = client.get(reverse("serviceday:person_chart", args=[child.pk]))
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in chart.content and b"Umur" in chart.content


def test_read_only_viewer_cannot_open_a_session(client_as, demo_posyandu):
    response = client_as("kecamatan_viewer").post(reverse("serviceday:sessions", args=[demo_posyandu.pk]),
                                                  {"date": DAY.isoformat()})
    assert response.status_code == 403
    assert not ServiceSession.objects.filter(posyandu=demo_posyandu, date=DAY).exists()


def test_a_future_session_is_refused(client_as, demo_posyandu):
    client = client_as("kader")
    response = client.post(reverse("serviceday:sessions", args=[demo_posyandu.pk]),
                           {"date": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, follow=True)
    assert "tanggal yang akan datang" in response.content.decode()


def test_upload_page_imports_all_or_nothing(client_as, demo_posyandu):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = ("nama,jk,tgl_lahir,tanggal_ukur,berat,tinggi,cara_ukur\n"
            "Intan Maharani,P,2025-01-05,2026-02-10,8.4,72.0,Terlentang\n")
    bad = good + "Joko Wijaya,L,2025-02-01,2026-02-10,840,71.0,Terlentang\n"
    client = client_as("kader")
    url = reverse("serviceday:import", args=[demo_posyandu.pk])
    body = client.post(url, {"file": SimpleUploadedFile("balita.csv", bad.encode())}).content.decode()
    assert "tidak ada data yang disimpan" in body and "Baris 3:" in body
    assert not Person.objects.filter(name="Intan Maharani").exists()
    body = client.post(url, {"file": SimpleUploadedFile("balita.csv", good.encode())}).content.decode()
    assert "Impor selesai" in body
    assert Visit.objects.filter(person__name="Intan Maharani", visit_date=dt.date(2026, 2, 10)).exists()


def test_read_only_user_cannot_upload(client_as, demo_posyandu):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("serviceday:import", args=[demo_posyandu.pk])
    response = client_as("opd_dinsos").post(url, {"file": SimpleUploadedFile("x.csv", b"nama\n")})  # may not import
    assert response.status_code == 403


def test_visit_page_shows_due_vaccines_and_records_doses(client_as, demo_posyandu):
    from apps.serviceday.models import Immunisation

    baby = Person(name="Bayu Ramadhan", sex="L", birth_date=DAY - dt.timedelta(days=65), region=demo_posyandu.village,
                  posyandu=demo_posyandu)
    baby.save()
    client = client_as("kader")
    session = open_session(client, demo_posyandu)
    client.post(reverse("serviceday:register", args=[session.pk]), {"person": baby.pk})
    visit = Visit.objects.get(session=session, person=baby)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Imunisasi berikutnya" in page and "Hepatitis B (HB-0) (0 bln, terlambat)" in page
    client.post(visit.get_absolute_url(), {"weight_kg": "5.2", "height_cm": "57", "position": "l",
                                           "vaccines": ["DPT1", "PCV1"]})
    assert set(Immunisation.objects.filter(person=baby).values_list("vaccine", flat=True)) == {"DPT1", "PCV1"}
    visit.refresh_from_db()
    assert visit.step_served
    page = client.get(visit.get_absolute_url()).content.decode()
    assert 'value="DPT1"' not in page  # a dose given is not offered again
