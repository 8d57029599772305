"""The dashboard on a 360 px phone: charts and map draw from the vendored files with no outside
request, the page does not scroll sideways, and a child area opens its own dashboard."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_kecamatan_dashboard_on_a_phone(seeded_live_server: Any, phone_page: Page, login: Any) -> None:
    from apps.reports.tests.dashboard_fixtures import build

    data = build()
    page = phone_page
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(seeded_live_server.url) else None)
    login(page, "kecamatan_viewer")
    page.goto(f"{seeded_live_server.url}/laporan/dasbor/?bulan=2026-03")
    expect(page.get_by_role("heading", name="Indikator utama Maret 2026")).to_be_visible()
    expect(page.locator(".headline[data-code='DS'] .value")).to_have_text("65,7%")
    expect(page.locator(".dash-chart svg").first).to_be_visible()  # ECharts drew
    expect(page.locator("#peta-posyandu.leaflet-container")).to_be_visible()  # Leaflet started
    assert page.locator("#peta-posyandu path.leaflet-interactive").count() >= 1  # markers, no tiles
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(f"#tabel-rinci tr[data-key='{data.v1}'] a").click()
    expect(page.locator(".headline[data-code='DS'] .value")).to_have_text("60,0%")
    assert outside == [], outside
