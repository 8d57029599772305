"""A whole hari buka in a real browser on a 360 px phone (issue 4's bar).

Three balita (one of them 2T after two earlier weighings), one ibu hamil with LILA 22 cm and one
lansia with 160/100 mmHg who smokes (PUMA) and has two TBC symptoms: the kader registers and
measures each, and the referrals appear.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _people() -> dict[str, Any]:
    from apps.accounts.models import User
    from apps.people.models import Person, Pregnancy
    from apps.serviceday import services
    from apps.serviceday.models import Visit

    kader = User.objects.get(username="kader.posyandu")
    posyandu = kader.assignments.get().posyandu
    today = timezone.localdate()

    def person(name: str, sex: str, birth: dt.date) -> Person:
        p = Person(name=name, sex=sex, birth_date=birth, region=posyandu.village, posyandu=posyandu)
        p.save()
        return p

    people = {
        "Rafi Pratama": person("Rafi Pratama", "L", today - dt.timedelta(days=500)),
        "Salsa Putri": person("Salsa Putri", "P", today - dt.timedelta(days=300)),
        "Dimas Saputra": person("Dimas Saputra", "L", today - dt.timedelta(days=700)),
        "Wulan Sari": person("Wulan Sari", "P", dt.date(1997, 5, 5)),
        "Darmawan Lubis": person("Darmawan Lubis", "L", dt.date(1956, 2, 2)),
    }
    Pregnancy.objects.create(person=people["Wulan Sari"], lmp_date=today - dt.timedelta(weeks=24))
    # Rafi was weighed in the two previous months: 9.0 then 9.05 kg (T).
    for months_ago, kg in ((2, "9.00"), (1, "9.05")):
        day = today - dt.timedelta(days=30 * months_ago)
        session = services.open_session(posyandu=posyandu, date=day, acting_user=kader)
        services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=people["Rafi Pratama"],
                                          visit_date=day, weight_kg=Decimal(kg), height_cm=Decimal("76"),
                                          position="l"), acting_user=kader)
    return people


def measure(page: Page, name: str, values: dict[str, str], before: Callable[[Page], None] | None = None) -> None:
    row = page.locator(".list-group-item", has_text=name)
    row.get_by_role("button", name=f"Daftarkan {name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    if before is not None:
        before(page)
    for field, value in values.items():
        locator = page.locator(f"#id_{field}")
        if locator.evaluate("el => el.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)
    page.get_by_role("button", name="Simpan hasil").click()
    expect(page.locator(".alert-success")).to_contain_text("Hasil tersimpan.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("a", has_text="hari buka").first.click()


def test_a_whole_service_day_on_a_phone(seeded_live_server: Any, phone_page: Page, login: Any) -> None:
    people = _people()
    page = phone_page
    login(page, "kader")
    page.goto(seeded_live_server.url + "/")
    page.locator("main a", has_text="Posyandu").last.click()
    page.get_by_role("link", name="Hari buka").click()
    page.get_by_role("button", name="Buka hari buka").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hari buka")
    for name in people:
        expect(page.locator("main")).to_contain_text(name)

    measure(page, "Rafi Pratama", {"weight_kg": "9,1", "height_cm": "77", "position": "l"})
    measure(page, "Salsa Putri", {"weight_kg": "8,2", "height_cm": "70,5", "position": "l"})
    measure(page, "Dimas Saputra", {"weight_kg": "11,4", "height_cm": "84", "position": "l"})
    measure(page, "Wulan Sari", {"weight_kg": "55", "muac_cm": "22", "systolic": "110", "diastolic": "70",
                                 "gestational_age_weeks": "24"})
    # The lansia smokes: the PUMA questionnaire appears once "merokok" is Ya. A cough and a TB
    # contact are two TBC symptoms.
    measure(page, "Darmawan Lubis", {
        "weight_kg": "63", "height_cm": "165", "systolic": "160", "diastolic": "100", "smoker": "1",
        "puma_cigarettes_per_day": "12", "puma_smoking_years": "30", "puma_short_breath": "1", "puma_phlegm": "0",
        "puma_cough": "0", "puma_spirometry": "0", "tbc_cough": "1", "tbc_fever": "0", "tbc_weight": "0",
        "tbc_contact": "1"}, before=lambda p: expect(p.locator("#id_puma_cigarettes_per_day")).to_be_hidden())

    proposals = page.locator("#usulan-rujukan")
    expect(proposals).to_contain_text("Rafi Pratama")
    expect(proposals).to_contain_text("tidak naik dua kali")
    expect(proposals).to_contain_text("Wulan Sari")
    expect(proposals).to_contain_text("LILA < 23,5")
    expect(proposals).to_contain_text("Darmawan Lubis")
    expect(proposals).to_contain_text("140/90")
    expect(proposals).to_contain_text("Terduga TBC")
    expect(proposals).not_to_contain_text("PUMA")  # man 1, 70 years 2, 18 pack-years 0, breathless 1: 4
    expect(proposals).not_to_contain_text("Salsa Putri")
    page.screenshot(path="/tmp/shots/hari-buka-360.png", full_page=True)

    # The kader confirms Rafi's referral; it is then awaiting its balasan in the referral list.
    proposals.get_by_role("link", name="Rafi Pratama").click()
    page.locator("input[name=referred_to]").fill("Puskesmas Padang Harapan")
    page.get_by_role("button", name="Rujuk", exact=True).click()
    expect(page.locator("#rujukan")).to_contain_text("Dirujuk")

    # His history and growth chart show the three weighings.
    page.get_by_role("link", name="riwayat").click()
    expect(page.get_by_role("heading", name="Grafik pertumbuhan (KMS)")).to_be_visible()
    expect(page.locator("table tbody tr")).to_have_count(3)
    chart = page.locator("img.chart")
    expect(chart).to_be_visible()
    page.wait_for_function("document.querySelector('img.chart').complete")
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG loaded and rendered
    page.screenshot(path="/tmp/shots/riwayat-360.png", full_page=True)

    # The Posyandu's register bayi/balita (SIP format 2) carries this month's weighing.
    from django.urls import reverse

    posyandu_pk = people["Rafi Pratama"].posyandu_id
    page.goto(seeded_live_server.url + reverse("registers:balita", args=[posyandu_pk]))
    row = page.locator("tr", has_text="Rafi Pratama")
    expect(row).to_contain_text("9,1")
    expect(row).to_contain_text("2T")
