"""The guidance library: national documents for everyone assigned, regional ones in scope,
PDF-only uploads, scoped downloads, and the API."""
from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.library.models import Document

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make(title, region_code="", **kw):
    from apps.regions.models import Region

    doc = Document(title=title, issuer=kw.pop("issuer", "Kemendagri"), year=kw.pop("year", 2024),
                   region=Region.objects.current().get(code=region_code) if region_code else None, **kw)
    doc.file.save("dok.pdf", ContentFile(PDF), save=True)
    return doc


def upload(name="perbup.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form(**changes):
    data = {"title": "Perwal Bengkulu tentang Posyandu", "kind": "peraturan", "issuer": "Wali Kota Bengkulu",
            "number": "7 Tahun 2025", "year": "2025", "region_code_input": "17.71", "file": upload()}
    data.update(changes)
    return data


def test_national_documents_are_read_by_every_assigned_user_and_regional_ones_in_scope(client_as):
    national = make("Permendagri 13 Tahun 2024 tentang Posyandu")
    city = make("Perwal Kota Bengkulu", "17.71")
    outside = make("Perbup Rejang Lebong", "17.02")
    for name in ("kader", "kecamatan_viewer", "opd_dinsos", "outsider"):
        client = client_as(name)
        page = client.get(reverse("library:list")).content.decode()
        assert national.title in page, name
        assert client.get(national.get_download_url()).status_code == 200
    kader = client_as("kader")
    assert city.title in kader.get(reverse("library:list")).content.decode()
    assert outside.title not in kader.get(reverse("library:list")).content.decode()
    assert kader.get(outside.get_absolute_url()).status_code == 404
    assert kader.get(outside.get_download_url()).status_code == 404
    assert client_as("unassigned").get(national.get_absolute_url()).status_code == 404


def test_the_download_is_the_pdf_itself(client_as):
    doc = make("Buku Saku Kader", kind="buku_saku", number="HK.01")
    response = client_as("kader").get(doc.get_download_url())
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_the_officer_uploads_a_regional_regulation(client_as):
    response = client_as("kabupaten_officer").post(reverse("library:create"), form())
    doc = Document.objects.get(title="Perwal Bengkulu tentang Posyandu")
    assert response.status_code == 302
    assert doc.region_code == "17.71" and doc.file.name.endswith(".pdf")
    assert doc.history.count() == 1


def test_it_rejects_files_that_are_not_pdf_in_indonesian(client_as):
    client = client_as("kabupaten_officer")
    body = client.post(reverse("library:create"), form(file=upload("catatan.docx", b"PK\x03\x04"))).content.decode()
    assert "Hanya berkas PDF (.pdf) yang dapat diunggah." in body
    body = client.post(reverse("library:create"), form(file=upload("palsu.pdf", b"MZ not a pdf"))).content.decode()
    assert "Isi berkas bukan berkas .pdf yang sah." in body
    assert not Document.objects.filter(title="Perwal Bengkulu tentang Posyandu").exists()


def test_it_rejects_files_above_the_size_limit(client_as, settings):
    settings.LIBRARY_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    body = client_as("kabupaten_officer").post(reverse("library:create"), form(file=upload(content=big))).content.decode()
    assert "melebihi batas 1 MB" in body


def test_only_national_users_store_national_documents(client_as):
    body = client_as("kabupaten_officer").post(reverse("library:create"), form(region_code_input="")).content.decode()
    assert "Hanya pengguna tingkat nasional yang dapat menyimpan dokumen nasional" in body
    response = client_as("admin").post(reverse("library:create"), form(region_code_input=""))
    assert response.status_code == 302
    assert Document.objects.get(title="Perwal Bengkulu tentang Posyandu").is_national


def test_write_rules_for_readers_kader_and_outsiders(client_as):
    national = make("Permendagri 13 Tahun 2024")
    city = make("Perwal Kota Bengkulu", "17.71")
    assert client_as("kecamatan_viewer").post(reverse("library:create"), form()).status_code == 403
    assert client_as("kader").get(reverse("library:create")).status_code == 403
    officer = client_as("kabupaten_officer")
    assert officer.get(reverse("library:update", args=[national.pk])).status_code == 403
    assert officer.get(reverse("library:update", args=[city.pk])).status_code == 200
    assert client_as("outsider").get(reverse("library:update", args=[city.pk])).status_code == 404
    page = client_as("kecamatan_viewer").get(city.get_absolute_url()).content.decode()
    assert reverse("library:update", args=[city.pk]) not in page


def test_the_linked_documents_include_renders_a_list(client_as):
    from django.template.loader import render_to_string

    doc = make("Juknis ILP", kind="juknis", issuer="Kemenkes")
    html = render_to_string("library/_linked_documents.html", {"documents": [doc]})
    assert "Juknis ILP" in html and doc.get_download_url() in html and "Nasional" in html
    assert "Belum ada dokumen" in render_to_string("library/_linked_documents.html", {"documents": []})


def test_the_api_lists_filters_and_uploads(client_as):
    make("Permendagri 13 Tahun 2024", kind="peraturan")
    make("Perbup Rejang Lebong", "17.02")
    client = client_as("kabupaten_officer")
    data = client.get("/api/documents/", {"national": "true"}).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["title"] for r in rows] == ["Permendagri 13 Tahun 2024"]
    response = client.post("/api/documents/", {"title": "SE Wali Kota", "kind": "surat_edaran", "issuer": "Wali Kota",
                                               "year": 2025, "region": "17.71", "spm_fields": ["kesehatan"],
                                               "file": upload()})
    assert response.status_code == 201, response.json()
    response = client.post("/api/documents/", {"title": "Nasional palsu", "kind": "lainnya", "issuer": "X",
                                               "year": 2025, "file": upload()})
    assert response.status_code == 400 and "nasional" in str(response.json())
    response = client.post("/api/documents/", {"title": "Bukan PDF", "kind": "lainnya", "issuer": "X", "year": 2025,
                                               "region": "17.71", "file": upload("a.txt", b"hello", "text/plain")})
    assert response.status_code == 400 and "PDF" in str(response.json())
    assert client_as("kecamatan_viewer").post("/api/documents/", {"title": "x"}).status_code == 403
