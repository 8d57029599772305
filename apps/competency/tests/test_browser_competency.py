"""On a 360 px phone, the kab/kota officer records a training with two participants who pass, and
the kader's badge shows Purwa."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CURRICULUM = ["PP-1", "PP-2", "PP-3", "PP-4", "BB-1", "BB-2", "BB-3", "BB-4", "BB-5", "BB-6"]


def _setup() -> tuple[Any, list[Any]]:
    from apps.accounts.models import User
    from apps.competency.catalogue import sync_all
    from apps.competency.tests.conftest import make_kader

    sync_all()  # the live server's flushed database lost the migration's catalogue
    posyandu = User.objects.get(username="kader.posyandu").assignments.get().posyandu
    return posyandu, [make_kader(posyandu, "kesehatan", "Ratna Uji"), make_kader(posyandu, "kesehatan", "Sri Uji")]


def test_officer_records_a_training_and_the_badge_shows_purwa(seeded_live_server: Any, phone_page: Page,
                                                                login: Any) -> None:
    posyandu, kader = _setup()
    page = phone_page
    login(page, "kabupaten_officer")
    page.goto(f"{seeded_live_server.url}/kompetensi/pelatihan/tambah/")
    page.get_by_label("Judul pelatihan").fill("Pelatihan keterampilan dasar kader 2026")
    expect(page.get_by_label("Kode wilayah pelatihan")).to_have_value("17.71")
    page.get_by_label("Tanggal mulai").fill("2026-10-05")
    page.get_by_label("Tanggal selesai").fill("2026-10-07")
    page.get_by_label("Penyelenggara lain").fill("Puskesmas Jembatan Kecil")
    for code in CURRICULUM:
        page.get_by_label(code, exact=False).first.check()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pelatihan keterampilan dasar kader 2026")

    page.get_by_role("link", name="Tambah peserta").click()
    page.get_by_label("Posyandu").select_option(str(posyandu.pk))  # the page reloads with its kader
    for k in kader:
        page.get_by_label(f"{k.person.name} (Kesehatan)").check()
    page.get_by_role("button", name="Tambahkan").click()
    expect(page.locator("#peserta")).to_contain_text("Ratna Uji")
    expect(page.locator("#peserta")).to_contain_text("Sri Uji")

    for k in kader:
        page.get_by_role("link", name=f"Nilai {k.person.name}").click()
        expect(page.get_by_label("Hadir")).to_be_checked()
        page.get_by_label("Hasil penilaian").select_option("lulus")
        expect(page.get_by_label("Penilai (Puskesmas pendamping)")).to_have_value("Puskesmas Jembatan Kecil")
        page.get_by_role("button", name="Simpan hasil").click()
        expect(page.locator(".alert-success")).to_contain_text("10 keterampilan dicatat")

    page.get_by_role("link", name="Ratna Uji", exact=True).click()
    expect(page.locator("#tingkat-kader")).to_have_text("Purwa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
