"""Real-browser flows (Debian's chromium through Playwright) on the phone-sized layout.

Each test signs in through the real /masuk/ page and asserts what the user sees. Fixtures are in
this folder's conftest.py; screenshots for humans land in /tmp/shots/ (not asserted).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import OUTSIDER_AREA, PERSONAS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots")
DEMO_VILLAGE = "17.71.02.1001"  # Kelurahan Padang Harapan, Kecamatan Gading Cempaka, Kota Bengkulu
BOOTSTRAP_SUCCESS = "rgb(25, 135, 84)"  # .bg-success in Bootstrap 5.3


def assert_no_horizontal_scroll(page: Page, width: int = 360) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url}: lebar halaman {scroll_width}px > {width}px (scroll mendatar)"


def assert_styled(page: Page) -> None:
    """Bootstrap's CSS was served and applied (a missing stylesheet leaves the navbar transparent)."""
    colour = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == BOOTSTRAP_SUCCESS, f"navbar background {colour!r}: Bootstrap CSS not loaded"


def nav_link(page: Page, label: str) -> Any:
    """A navbar entry by its exact label (the accessible name also holds the icon's glyph)."""
    return page.locator("#nav .nav-link").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))


def add_button(page: Page) -> Any:
    """The list page's "Tambah" button (icon + label)."""
    return page.locator("main").get_by_role("link", name=re.compile(r"^\W*Tambah$"))


def demo_posyandu() -> Any:
    from apps.accounts.models import User

    return User.objects.get(username=PERSONAS["kader"]).assignments.get().posyandu


def outsider_posyandu() -> Any:
    from apps.posyandu.models import Posyandu

    return Posyandu.objects.filter(region_code__startswith=OUTSIDER_AREA + ".").order_by("pk").first()


def posyandu_count() -> int:
    from apps.posyandu.models import Posyandu

    return Posyandu.objects.count()


def test_phone_officer_walks_regions_and_adds_posyandu(phone_page: Page, login: Any, seeded_live_server: Any) -> None:
    from apps.posyandu.models import Posyandu

    page = phone_page
    existing = demo_posyandu()
    SHOTS.mkdir(parents=True, exist_ok=True)

    login(page, "kabupaten_officer")
    assert_styled(page)
    expect(page.get_by_text("Wilayah tugas:")).to_contain_text("Kota Bengkulu")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "home-360.png"), full_page=True)

    # The menu is collapsed on a phone: the toggler opens it.
    menu_link = nav_link(page, "Wilayah")
    expect(menu_link).to_be_hidden()
    page.get_by_role("button", name="Buka menu").click()
    expect(menu_link).to_be_visible()
    menu_link.click()

    expect(page).to_have_url(seeded_live_server.url + "/wilayah/")
    expect(page.get_by_role("heading", name="Wilayah", exact=True)).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.locator("main .list-group a", has_text="Kota Bengkulu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Bengkulu")
    expect(page.get_by_role("heading", name="Kecamatan", exact=True)).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Kecamatan Gading Cempaka").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kecamatan Gading Cempaka")
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Kelurahan Padang Harapan").click()

    expect(page).to_have_url(f"{seeded_live_server.url}/wilayah/{DEMO_VILLAGE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kelurahan Padang Harapan")
    expect(page.get_by_role("heading", name="Posyandu", exact=True)).to_be_visible()
    expect(page.locator("main .list-group")).to_contain_text(existing.name)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Tambah Posyandu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah Posyandu")
    expect(page.locator("#id_village_code")).to_have_value(DEMO_VILLAGE)  # carried over from the village page
    expect(page.locator("#id_schedule_kind")).to_have_value("monthly_date")
    before = posyandu_count()
    page.locator("#id_name").fill("Posyandu Uji Coba")
    page.locator("#id_schedule_day").fill("12")
    page.locator("#id_rw").fill("05")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "posyandu-form-360.png"), full_page=True)
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Posyandu Uji Coba")
    created = Posyandu.objects.get(name="Posyandu Uji Coba")  # only once the redirect has landed
    expect(page).to_have_url(f"{seeded_live_server.url}/posyandu/{created.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("Data tersimpan.")
    expect(page.get_by_text("Setiap tanggal 12")).to_be_visible()
    expect(page.locator("dd", has_text="RW 05")).to_be_visible()
    expect(page.locator("main").get_by_role("link", name=re.compile(r"^\W*Ubah$"))).to_be_visible()  # a writer may edit
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "posyandu-detail-360.png"), full_page=True)
    assert posyandu_count() == before + 1
    assert (created.village.code, created.region_code, created.schedule_day) == (DEMO_VILLAGE, DEMO_VILLAGE, 12)


def test_create_form_rejects_unknown_and_outside_village_codes(phone_page: Page, login: Any) -> None:
    from apps.posyandu.models import Posyandu
    from apps.regions.models import Region

    page = phone_page
    outside = Region.objects.current().filter(code__startswith=OUTSIDER_AREA + ".", level=4).order_by("code").first()
    assert outside is not None
    before = posyandu_count()

    login(page, "kabupaten_officer")
    page.get_by_role("button", name="Buka menu").click()
    nav_link(page, "Posyandu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Posyandu")
    add_button(page).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah Posyandu")

    village = page.locator("#id_village_code")
    error = page.locator(".invalid-feedback")
    village.fill("17.71.02.9999")
    page.locator("#id_name").fill("Posyandu Salah Kode")
    page.locator("#id_schedule_day").fill("12")
    page.get_by_role("button", name="Simpan").click()
    expect(error).to_have_text("Kode wilayah 17.71.02.9999 tidak dikenal.")
    expect(page.locator("#id_name")).to_have_value("Posyandu Salah Kode")  # the form keeps what was typed
    assert_no_horizontal_scroll(page)

    village.fill(outside.code)
    page.get_by_role("button", name="Simpan").click()
    expect(error).to_have_text(f"{outside.title} di luar wilayah tugas Anda.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah Posyandu")

    assert posyandu_count() == before
    assert not Posyandu.objects.filter(name="Posyandu Salah Kode").exists()


def test_kader_sees_only_own_posyandu_and_404_outside(desktop_page: Page, login: Any, seeded_live_server: Any) -> None:
    page = desktop_page
    own, outsider = demo_posyandu(), outsider_posyandu()

    login(page, "kader")
    nav_link(page, "Posyandu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Posyandu")
    rows = page.locator("#table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link")).to_have_text(own.name)

    response = page.goto(f"{seeded_live_server.url}/posyandu/{outsider.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.locator("main")).not_to_contain_text(outsider.name)
    assert_styled(page)  # the error page keeps the site's look


def test_region_live_search_updates_results_without_reload(phone_page: Page, login: Any, seeded_live_server: Any) -> None:
    page = phone_page
    search_url = f"{seeded_live_server.url}/wilayah/cari/"

    login(page, "kabupaten_officer")
    page.goto(search_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cari wilayah")
    expect(page.locator("#results")).to_be_empty()
    page.evaluate("window.__samePage = true")  # lost if the browser loads a new document

    def is_htmx_search(request: Any) -> bool:
        # Only the request for the whole word: a slow typist may fire one for a prefix first.
        url, headers = request.url, request.headers
        return url.startswith(search_url + "?") and "q=Gading" in url and headers.get("hx-request") == "true"

    with page.expect_request(is_htmx_search) as htmx_request:
        page.get_by_role("searchbox", name="Nama atau kode wilayah").press_sequentially("Gading", delay=30)
    assert htmx_request.value.headers.get("hx-target") == "results"

    result = page.locator("#results").get_by_role("link", name=re.compile("Kecamatan Gading Cempaka"))
    expect(result).to_be_visible()
    expect(result).to_have_attribute("href", "/wilayah/17.71.02/")
    expect(page).to_have_url(search_url)  # no ?q= navigation
    assert page.evaluate("window.__samePage === true"), "the page reloaded instead of swapping #results"
    assert_no_horizontal_scroll(page)


def test_kecamatan_viewer_sees_no_edit_buttons(desktop_page: Page, login: Any, seeded_live_server: Any) -> None:
    page = desktop_page
    posyandu = demo_posyandu()

    login(page, "kecamatan_viewer")
    page.goto(f"{seeded_live_server.url}/wilayah/{DEMO_VILLAGE}/")
    expect(page.locator("main .list-group")).to_contain_text(posyandu.name)
    expect(page.get_by_role("link", name="Tambah Posyandu")).to_have_count(0)
    page.locator("main .list-group a", has_text=posyandu.name).click()

    expect(page).to_have_url(f"{seeded_live_server.url}/posyandu/{posyandu.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(posyandu.name)
    expect(page.get_by_role("term").filter(has_text="Hari buka")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_role("link", name=re.compile(r"Tambah|Ubah|Daftarkan"))).to_have_count(0)
    expect(main.get_by_role("button", name=re.compile(r"Tambah|Ubah|Daftarkan"))).to_have_count(0)
    # No edit or child-create links (the read-only register stays).
    expect(main.locator(f"a[href^='/posyandu/{posyandu.pk}/']:not([href*='/register/'])")).to_have_count(0)

    # The list page offers no "Tambah" either, and the edit URL typed by hand is refused.
    nav_link(page, "Posyandu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar Posyandu")
    expect(add_button(page)).to_have_count(0)
    response = page.goto(f"{seeded_live_server.url}/posyandu/{posyandu.pk}/ubah/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak diizinkan")


@pytest.mark.browser
def test_schedule_fields_follow_the_schedule_kind(seeded_live_server, phone_page, login):
    login(phone_page, "kabupaten_officer")
    phone_page.goto(f"{seeded_live_server.url}/posyandu/tambah/")
    day, week = phone_page.locator("#id_schedule_day"), phone_page.locator("#id_schedule_week")
    assert day.is_visible() and not week.is_visible()
    phone_page.select_option("#id_schedule_kind", "monthly_weekday")
    assert week.is_visible() and phone_page.locator("#id_schedule_weekday").is_visible()
    assert not day.is_visible()
