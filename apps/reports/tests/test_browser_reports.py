"""Issue 5's browser bar: a Posyandu submits, the desa and the kecamatan approve, a locked record
can no longer be edited, the kecamatan reopens it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
MONTH = "2026-03"


def _setup() -> tuple[Any, Any]:
    from apps.accounts.models import Assignment, Role, User
    from apps.people.models import Person
    from apps.regions.models import Region
    from apps.serviceday import services
    from apps.serviceday.models import Visit

    kader = User.objects.get(username="kader.posyandu")
    posyandu = kader.assignments.get().posyandu
    officer = User.objects.create_user("kec.gc.rw", password="posyandu-demo-2026", role=Role.KECAMATAN,
                                       full_name="Petugas Kecamatan")
    Assignment.objects.create(user=officer, region=Region.objects.get(code="17.71.02"), can_write=True)
    child = Person(name="Laporan Uji", sex="P", birth_date=dt.date(2025, 2, 2), region=posyandu.village,
                   posyandu=posyandu)
    child.save()
    session = services.open_session(posyandu=posyandu, date=dt.date(2026, 3, 11), acting_user=kader)
    visit = services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=child,
                                              visit_date=session.date, weight_kg=Decimal("8.9")),
                                  acting_user=kader).visit
    return posyandu, visit


def act(page: Page, url: str, login: Any, persona: str, button: str, expect_status: str, reason: str = "") -> None:
    page.context.clear_cookies()
    login(page, persona)
    page.goto(url)
    if reason:
        page.get_by_label("Alasan membuka kembali").fill(reason)
    page.get_by_role("button", name=button).click()
    expect(page.locator("#status-laporan")).to_have_text(expect_status)


def test_submit_approve_lock_and_reopen(seeded_live_server: Any, phone_page: Page, login: Any) -> None:
    from conftest import PERSONAS

    PERSONAS.setdefault("kecamatan_officer", "kec.gc.rw")
    posyandu, visit = _setup()
    page = phone_page
    url = f"{seeded_live_server.url}/laporan/posyandu/{posyandu.pk}/?bulan={MONTH}"

    act(page, url, login, "pengurus", "Kirim laporan", "Dikirim Posyandu")
    expect(page.locator("table")).to_contain_text("Balita ditimbang bulan ini (D)")
    act(page, url, login, "village_operator", "Setujui", "Disetujui desa/kelurahan")
    act(page, url, login, "kecamatan_officer", "Setujui", "Disetujui kecamatan")

    # The locked month: the kader's correction is refused and nothing changes.
    page.context.clear_cookies()
    login(page, "kader")
    page.goto(f"{seeded_live_server.url}/hari-buka/kunjungan/{visit.pk}/")
    page.locator("#id_weight_kg").fill("9,4")
    page.get_by_role("button", name="Simpan hasil").click()
    expect(page.locator("form .alert-danger")).to_contain_text("terkunci")
    visit.refresh_from_db()
    assert visit.weight_kg == Decimal("8.9")

    act(page, url, login, "kecamatan_officer", "Buka kembali", "Belum dikirim", reason="Berat badan salah ketik")
    expect(page.locator("main")).to_contain_text("Berat badan salah ketik")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
