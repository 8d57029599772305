"""Issue 6's browser bar on a 360 px phone: the kab/kota TP Posyandu officer creates a programme for
the education field owned by the Dinas Pendidikan, schedules a rakor whose proposed agenda lists a
lagging indicator and an overdue action, records attendance and a decision with a follow-up for the
Dinas Sosial, and the Dinas Sosial user sees it in their overdue list after its due date."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
PHONE_WIDTH = 360


def _setup(today: dt.date) -> None:
    """Last month's D/S of two Posyandu below its 80 % target, and an overdue follow-up of the city."""
    from apps.followups.services import create_followup
    from apps.meetings.agenda import previous_month
    from apps.organisations.models import Opd
    from apps.posyandu.models import Posyandu
    from apps.regions.models import Region
    from apps.reports.models import MonthlyValue
    from apps.reports.rollups import refresh
    from apps.reports.services import indicators_for

    period = previous_month(today)
    ds = indicators_for(period)["DS"]
    for posyandu in Posyandu.objects.filter(region_code__startswith="17.71.").order_by("pk")[:2]:
        MonthlyValue.objects.create(indicator=ds, posyandu=posyandu, period=period, sex="", numerator=30,
                                    denominator=60, province_code=posyandu.province_code,
                                    regency_code=posyandu.regency_code, district_code=posyandu.district_code,
                                    village_code=posyandu.village_code)
        refresh(period, [posyandu.village_code])
    create_followup(region=Region.objects.get(code="17.71"), title="Usulan rehab RTLH Padang Harapan",
                    owner_opd=Opd.objects.get(region_code="17.71", short_name__startswith="Perkim"),
                    due_date=today - dt.timedelta(days=6), acting_user=None)


def fits_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, page.url


def test_programme_rakor_decision_and_the_opds_overdue_list(seeded_live_server: Any, phone_page: Page,
                                                            login: Any) -> None:
    from django.utils import timezone

    from apps.followups.models import FollowUp

    today = timezone.localdate()
    _setup(today)
    base, page = seeded_live_server.url, phone_page
    login(page, "kabupaten_officer")

    # 1. A programme for the education field, owned by the Dinas Pendidikan (Dikbud Kota Bengkulu).
    page.goto(base + "/program/tambah/")
    page.get_by_label("TP Posyandu").select_option(label="TP Posyandu Kota Bengkulu")
    page.get_by_label("Tahun").fill(str(today.year))
    page.get_by_label("Bidang SPM").select_option(label="Pendidikan")
    page.get_by_label("OPD penanggung jawab").select_option(label="Dikbud Kota Bengkulu")
    page.get_by_label("Nama program").fill("Kelas parenting Bina Keluarga Balita")
    page.get_by_label("Sumber dana").select_option(label="APBD Kabupaten/Kota")
    page.get_by_label("Nama penanggung jawab").fill("Kabid PAUD")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("h1")).to_contain_text("Kelas parenting Bina Keluarga Balita")
    expect(page.locator("main")).to_contain_text("Dikbud Kota Bengkulu")

    # 2. The rakor, scheduled today; its proposed agenda lists the lagging D/S and the overdue action.
    page.goto(base + "/rakor/tambah/")
    page.get_by_label("Judul").fill("Rakor Sinergitas Posyandu se-Kota Bengkulu")
    page.get_by_label("Waktu").fill(f"{today:%Y-%m-%d}T09:00")
    page.get_by_label("Tempat").fill("Ruang Hidayah I, Kantor Walikota")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("h1")).to_have_text("Rakor Sinergitas Posyandu se-Kota Bengkulu")
    proposals = page.locator("#agenda-proposals")
    expect(proposals).to_contain_text("Partisipasi penimbangan (D/S): 50,0 %")
    expect(proposals).to_contain_text("Di bawah target 80,0 %")
    expect(proposals).to_contain_text("Usulan rehab RTLH Padang Harapan")
    expect(proposals).to_contain_text("Terlambat 6 hari")
    fits_phone(page)
    page.get_by_role("button", name=re.compile(r"^Tambahkan ke agenda: Partisipasi penimbangan")).click()
    expect(page.locator("#agenda-items")).to_contain_text("Partisipasi penimbangan (D/S)")
    page.get_by_role("button", name=re.compile(r"^Tambahkan ke agenda: Tindak lanjut: Usulan rehab")).click()
    expect(page.locator("#agenda-items")).to_contain_text("Usulan rehab RTLH Padang Harapan")

    # 3. Attendance: the team was invited (its Ketua Bidang sit for Dikbud, Dinsos…); Bappeda's
    # representative is added in one go; two members are ticked present.
    page.get_by_role("link", name="Catat kehadiran").click()
    expect(page.locator("#form-kehadiran")).to_contain_text("Dinsos Kota Bengkulu")
    page.get_by_label("Bappeda Kota Bengkulu").check()
    page.get_by_role("button", name="Tambahkan perwakilan OPD").click()
    expect(page.locator("#form-kehadiran")).to_contain_text("Perwakilan Bappeda Kota Bengkulu")
    boxes = page.locator("#form-kehadiran input[name=hadir]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.locator(".alert-success")).to_contain_text("Kehadiran tersimpan")
    fits_phone(page)
    page.get_by_role("link", name="Kembali ke rapat").click()
    expect(page.locator("#jumlah-hadir")).to_have_text("3")

    # 4. A decision with a follow-up for the Dinas Sosial, due in three days.
    page.locator("#keputusan").get_by_role("link", name=re.compile(r"Keputusan$")).click()
    page.locator("#id_text").fill("Verifikasi ulang data fakir miskin penerima bansos")
    page.get_by_label("Bidang SPM").select_option(label="Sosial")
    page.get_by_label("OPD penanggung jawab").select_option(label="Dinsos Kota Bengkulu")
    page.get_by_label("Batas waktu").fill(f"{today + dt.timedelta(days=3):%Y-%m-%d}")
    page.get_by_role("button", name="Simpan keputusan").click()
    decisions = page.locator("#decisions")
    expect(decisions).to_contain_text("Verifikasi ulang data fakir miskin penerima bansos")
    expect(decisions).to_contain_text("Dinsos Kota Bengkulu")
    fits_phone(page)

    # 5. Time passes: the due date is behind us and nothing was done.
    followup = FollowUp.objects.get(title="Verifikasi ulang data fakir miskin penerima bansos")
    FollowUp.objects.filter(pk=followup.pk).update(due_date=today - dt.timedelta(days=1))

    page.context.clear_cookies()
    login(page, "opd_dinsos")
    page.goto(base + "/tindak-lanjut/saya/?state=terlambat")
    table = page.locator("#table")
    expect(table).to_contain_text("Verifikasi ulang data fakir miskin penerima bansos")
    expect(table).to_contain_text("Terlambat")
    expect(table).not_to_contain_text("Usulan rehab RTLH")  # the Perkim's, not theirs
    fits_phone(page)
