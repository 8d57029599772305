"""The pages over real HTTP: the training-needs counts agree with a hand count; personas are scoped."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from apps.competency.models import Certification, KaderCompetency, Training, TrainingParticipant
from apps.competency.tests.conftest import AREA

pytestmark = pytest.mark.django_db


def cell(html: str, row_attr: str, key: str, col: str) -> str:
    """The text of <td data-col=col> in the row <tr data-row_attr=key>."""
    row = re.search(rf'<tr data-{row_attr}="{re.escape(key)}">(.*?)</tr>', html, re.S)
    assert row, (row_attr, key)
    found = re.search(rf'data-col="{col}"[^>]*>(.*?)</td>', row.group(1), re.S)
    assert found, (row_attr, key, col)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_training_needs_agree_with_a_hand_count(client_as: Any, small_area: Any) -> None:
    html = client_as("kabupaten_officer").get(f"/kompetensi/?wilayah={AREA}").content.decode()
    assert re.search(r'data-count="posyandu">2<', html) and re.search(r'data-count="kader">5<', html)
    levels = dict(re.findall(r'data-level-count="(\w+)">(\d+)<', html))
    assert levels == {"belum": "3", "purwa": "1", "madya": "1", "utama": "0"}
    # Posyandu (of 2) where no *active* kader holds the skill; kader holding it.
    expected = {"PP-1": ("0", "3"), "PP-4": ("0", "2"), "BB-1": ("1", "2"), "BB-6": ("1", "1"),
                "BB-7": ("2", "0"),  # only K6 holds it, and K6 left
                "IH-1": ("2", "0"), "UR-1": ("1", "1"), "UL-4": ("1", "1")}
    for code, (lacking, holding) in expected.items():
        assert (cell(html, "skill", code, "lacking"), cell(html, "skill", code, "holding")) == (lacking, holding), code
    # SPM fields: kader, Posyandu without kader / trained kader / certified kader.
    fields = {"kesehatan": ("3", "0", "0", "0"), "pendidikan": ("1", "1", "1", "2"), "sosial": ("1", "1", "2", "2"),
              "perumahan": ("0", "2", "2", "2"), "pupr": ("0", "2", "2", "2"), "trantibumlinmas": ("0", "2", "2", "2")}
    for code, numbers in fields.items():
        got = tuple(cell(html, "field", code, c) for c in ("kader", "no-kader", "no-trained", "no-certified"))
        assert got == numbers, code
    p1, p2 = small_area.p1.pk, small_area.p2.pk
    assert [cell(html, "posyandu", str(p1), c) for c in ("kader", "levels", "lacking")] == ["3", "1/0/0", "15"]
    assert [cell(html, "posyandu", str(p2), c) for c in ("kader", "levels", "lacking")] == ["2", "0/1/0", "13"]
    assert cell(html, "posyandu", str(p1), "no-kader") == "Sosial, Perumahan, Pekerjaan Umum, Trantibumlinmas"
    assert cell(html, "posyandu", str(p1), "no-trained") == "–"
    assert cell(html, "posyandu", str(p2), "no-kader") == "Pendidikan, Perumahan, Pekerjaan Umum, Trantibumlinmas"
    assert cell(html, "posyandu", str(p2), "no-trained") == "Sosial"


def test_posyandu_page_lists_fields_and_holders(client_as: Any, small_area: Any) -> None:
    html = client_as("kabupaten_officer").get(f"/kompetensi/posyandu/{small_area.p2.pk}/").content.decode()
    assert cell(html, "field", "sosial", "status") == "Belum ada kader terlatih"
    assert cell(html, "field", "pendidikan", "status") == "Tidak ada kader"
    assert cell(html, "field", "kesehatan", "certified") == "1"
    bb7 = re.search(r'data-skill="BB-7">(.*?)</li>', html, re.S).group(1)
    assert "Tidak ada kader aktif" in bb7 and "Kader Enam" not in bb7
    assert "Kader Empat" in re.search(r'data-skill="UL-1">(.*?)</li>', html, re.S).group(1)


def test_the_area_page_stays_within_a_few_queries(client_as: Any, small_area: Any, django_assert_max_num_queries: Any) -> None:
    client = client_as("kabupaten_officer")
    client.get("/kompetensi/")  # warm the session and the user
    with django_assert_max_num_queries(25):
        response = client.get("/kompetensi/")  # the whole city: every Posyandu of 17.71
    assert response.status_code == 200


def test_kader_badge_and_skills_by_group(client_as: Any, small_area: Any) -> None:
    html = client_as("kabupaten_officer").get(f"/kompetensi/kader/{small_area.k['K4'].pk}/").content.decode()
    badge = re.search(r'id="tingkat-kader">(.*?)</div>', html, re.S).group(1)
    assert 'data-level="madya"' in badge and "Madya" in badge and "text-bg-warning" in badge
    assert html.count("skill-held") == 12 and html.count("skill-missing") == 13
    assert "Menuju <strong>Utama</strong>" in html


def test_kader_sees_only_their_own_posyandu(client_as: Any, persona: Any, small_area: Any, demo_posyandu: Any) -> None:
    client = client_as("kader")
    html = client.get("/kompetensi/").content.decode()
    assert re.search(r'data-count="posyandu">1<', html)
    assert client.get(f"/kompetensi/kader/{small_area.k['K1'].pk}/").status_code == 404
    assert client.get(f"/kompetensi/posyandu/{small_area.p1.pk}/").status_code == 404
    own = demo_posyandu.kader.first()
    assert client.get(f"/kompetensi/kader/{own.pk}/").status_code == 200
    listing = client.get("/kompetensi/kader/").content.decode()
    assert "Kader Satu" not in listing and own.person.name in listing
    # A kader may not certify, even at their own Posyandu: the assessment is the Puskesmas's.
    assert client.get(f"/kompetensi/kader/{own.pk}/sertifikasi/tambah/").status_code == 403


def test_outsider_gets_404(client_as: Any, small_area: Any) -> None:
    client = client_as("outsider")
    for url in (f"/kompetensi/kader/{small_area.k['K1'].pk}/", f"/kompetensi/posyandu/{small_area.p1.pk}/",
                f"/kompetensi/pelatihan/{small_area.training.pk}/",
                f"/kompetensi/kader/{small_area.k['K1'].pk}/sertifikasi/tambah/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/kompetensi/?wilayah={AREA}").status_code == 404


def test_read_only_viewer_gets_403_on_writes(client_as: Any, small_area: Any, skills: Any) -> None:
    client = client_as("kecamatan_viewer")  # reads 17.71.02 only
    # small_area lies in 17.71.99: a viewer of another kecamatan cannot even see it.
    assert client.get(f"/kompetensi/pelatihan/{small_area.training.pk}/").status_code == 404
    own = client_as("kecamatan_viewer")
    from apps.posyandu.models import Kader

    kader = Kader.objects.filter(posyandu__district_code="17.71.02").first()
    assert own.get(f"/kompetensi/kader/{kader.pk}/").status_code == 200
    assert own.get(f"/kompetensi/kader/{kader.pk}/sertifikasi/tambah/").status_code == 403
    assert own.post(f"/kompetensi/kader/{kader.pk}/sertifikasi/tambah/",
                    {"skills": [skills["PP-1"].pk], "certified_on": "2026-01-01", "assessed_by": "X"}).status_code == 403
    assert own.get("/kompetensi/pelatihan/tambah/").status_code == 403
    assert own.post("/kompetensi/pelatihan/tambah/", {"title": "X"}).status_code == 403
    city_training = Training.objects.create(region=kader.posyandu.village.__class__.objects.get(code="17.71.02"),
                                            title="Pelatihan kecamatan", start_date=dt.date(2026, 1, 5),
                                            end_date=dt.date(2026, 1, 5))
    assert own.get(f"/kompetensi/pelatihan/{city_training.pk}/").status_code == 200
    assert own.get(f"/kompetensi/pelatihan/{city_training.pk}/peserta/tambah/").status_code == 403
    assert not Certification.objects.filter(kader=kader).exists()


def test_officer_records_a_training_with_participants_and_results(client_as: Any, skills: Any, new_kader: Any,
                                                                    demo_posyandu: Any) -> None:
    client = client_as("kabupaten_officer")
    curriculum = [skills[c].pk for c in ["PP-1", "PP-2", "PP-3", "PP-4", "BB-1", "BB-2", "BB-3", "BB-4", "BB-5", "BB-6"]]
    response = client.post("/kompetensi/pelatihan/tambah/", {
        "title": "Pelatihan keterampilan dasar kader angkatan I", "region_code": "17.71", "start_date": "2026-01-12",
        "end_date": "2026-01-14", "mode": "tatap_muka", "organiser": "Puskesmas Jembatan Kecil", "trainers": "Bidan Rina",
        "skills": curriculum})
    assert response.status_code == 302, response.content.decode()[:2000]
    training = Training.objects.get(title="Pelatihan keterampilan dasar kader angkatan I")
    assert training.region_code == "17.71" and training.skills.count() == 10
    page = client.get(f"/kompetensi/pelatihan/{training.pk}/peserta/tambah/?posyandu={demo_posyandu.pk}").content.decode()
    assert "Kader Uji Ambang" in page
    response = client.post(f"/kompetensi/pelatihan/{training.pk}/peserta/tambah/",
                           {"posyandu": demo_posyandu.pk, "kader": [new_kader.pk]})
    assert response.status_code == 302
    participant = TrainingParticipant.objects.get(training=training, kader=new_kader)
    # A pass for an absent participant is refused with a clear message.
    bad = client.post(f"/kompetensi/peserta/{participant.pk}/hasil/", {"result": "lulus", "skills": curriculum,
                                                                      "certified_on": "2026-01-14", "assessed_by": "Pkm"})
    assert bad.status_code == 200 and "tidak hadir tidak dapat dinyatakan lulus" in bad.content.decode()
    ok = client.post(f"/kompetensi/peserta/{participant.pk}/hasil/", {
        "attended": "on", "result": "lulus", "skills": curriculum, "certified_on": "2026-01-14",
        "assessed_by": "Puskesmas Jembatan Kecil", "tkk_given": "on"})
    assert ok.status_code == 302
    assert KaderCompetency.objects.get(kader=new_kader).level == "purwa"
    detail = client.get(f"/kompetensi/pelatihan/{training.pk}/").content.decode()
    assert 'data-level="purwa"' in detail


def test_it_rejects_a_training_that_ends_before_it_starts(client_as: Any, catalogue: None) -> None:
    response = client_as("kabupaten_officer").post("/kompetensi/pelatihan/tambah/", {
        "title": "Salah tanggal", "region_code": "17.71", "start_date": "2026-01-12", "end_date": "2026-01-10",
        "mode": "daring"})
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    response = client_as("kabupaten_officer").post("/kompetensi/pelatihan/tambah/", {
        "title": "Wilayah lain", "region_code": "17.02", "start_date": "2026-01-12", "end_date": "2026-01-12",
        "mode": "daring"})
    assert "di luar wilayah tugas Anda" in response.content.decode()


def test_direct_certification_and_revocation(client_as: Any, skills: Any, new_kader: Any) -> None:
    client = client_as("village_operator")  # writes 17.71.02.1001, the demo Posyandu's kelurahan
    response = client.post(f"/kompetensi/kader/{new_kader.pk}/sertifikasi/tambah/", {
        "skills": [skills["PP-1"].pk, skills["PP-2"].pk], "certified_on": "2026-02-01", "assessed_by": "Puskesmas"})
    assert response.status_code == 302
    cert = Certification.objects.get(kader=new_kader, skill__code="PP-2")
    future = client.post(f"/kompetensi/kader/{new_kader.pk}/sertifikasi/tambah/", {
        "skills": [skills["PP-3"].pk], "certified_on": "2999-01-01", "assessed_by": "Puskesmas"})
    assert "tidak boleh di masa depan" in future.content.decode()
    empty = client.post(f"/kompetensi/sertifikasi/{cert.pk}/cabut/", {"reason": ""})
    assert "Isi alasan pencabutan." in empty.content.decode()
    assert client.post(f"/kompetensi/sertifikasi/{cert.pk}/cabut/", {"reason": "Salah pilih"}).status_code == 302
    cert.refresh_from_db()
    assert cert.revoked and KaderCompetency.objects.get(kader=new_kader).skill_count == 1


def test_lists_and_reference_pages_render(client_as: Any, small_area: Any) -> None:
    client = client_as("kabupaten_officer")
    for url in ("/kompetensi/kader/?level=madya", "/kompetensi/pelatihan/", "/kompetensi/keterampilan/"):
        assert client.get(url).status_code == 200, url
    madya = client.get(f"/kompetensi/kader/?level=madya&region={AREA}").content.decode()
    assert "Kader Empat" in madya and "Kader Satu" not in madya
    belum = client.get(f"/kompetensi/kader/?level=belum&region={AREA}").content.decode()
    assert all(n in belum for n in ("Kader Dua", "Kader Tiga", "Kader Lima")) and "Kader Enam" not in belum
