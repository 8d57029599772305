"""The offline hari buka in Debian's chromium at 360 px: recorded with the network off, reloaded
offline, synced when the network returns, and synced again through a connection that drops in the
middle. The server must end with each record exactly once."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PERSONAS

pytestmark = pytest.mark.browser
SYNC_TIMEOUT_MS = 60_000
RESULT_COMPARED = ["bb_u", "tb_u", "bb_tb", "kms_status", "two_t", "bgm"]


def kader_posyandu() -> Any:
    from apps.accounts.models import User

    return User.objects.get(username=PERSONAS["kader"]).assignments.get().posyandu


def roster(posyandu: Any) -> list[dict[str, Any]]:
    from apps.accounts.models import User
    from apps.offline.bundle import day_bundle

    user = User.objects.get(username=PERSONAS["kader"])
    return day_bundle(posyandu=posyandu, user=user, today=timezone.localdate())["persons"]


def measurements(person: dict[str, Any]) -> dict[str, str]:
    """Plausible values for the person's age and group (nothing the form would ask to confirm)."""
    from apps.serviceday.rules import completed_months

    months = completed_months(dt.date.fromisoformat(person["birth_date"]), timezone.localdate())
    if person["group"] == "child":
        weight, height = min(3.5 + 0.2 * months, 19), min(62 + 1.1 * months, 112)
        if person["last"]:  # weighed last month: a boy gains 500 g (N), a girl 50 g (T)
            weight = person["last"]["weight_kg"] + (0.5 if person["sex"] == "L" else 0.05)
        return {"weight_kg": f"{weight:.1f}".replace(".", ","), "height_cm": f"{height:.1f}",
                "position": "l" if months < 24 else "h"}
    if person["group"] == "ibu":
        return {"weight_kg": "58", "systolic": "118", "diastolic": "76"}
    if months < 228:
        years = months // 12
        return {"weight_kg": str(20 + (years - 6) * 3), "height_cm": str(112 + (years - 6) * 5)}
    return {"weight_kg": "61,5", "height_cm": "158"}


def fill_visit(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = page.locator(f"#f-{name}")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    expect(page.locator("#provisional")).to_contain_text("sementara")
    page.get_by_role("button", name="Simpan di ponsel").click()
    expect(page.locator("#view-roster")).to_be_visible()


def summary(page: Page) -> Any:
    return page.locator("#queue-summary")


def open_offline_day(page: Page, base_url: str, posyandu: Any) -> None:
    page.goto(f"{base_url}/offline/posyandu/{posyandu.pk}/")
    # Ready: the day's data is in IndexedDB, the page in the cache, and the service worker controls it.
    page.wait_for_function("document.getElementById('luring').dataset.ready === '1' "
                           "&& !!navigator.serviceWorker.controller", timeout=SYNC_TIMEOUT_MS)


def add_children(posyandu: Any) -> None:
    """Three children weighed last month, so today's weighing reads N or T on the KMS (the demo
    Posyandu's roster holds adults only)."""
    from decimal import Decimal

    from apps.accounts.models import User
    from apps.people.models import Person
    from apps.serviceday import services
    from apps.serviceday.models import Visit

    kader = User.objects.get(username=PERSONAS["kader"])
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
    session = services.open_session(posyandu=posyandu, date=last_month, acting_user=kader)
    for name, sex, days_old, weight in (("Aditya Luring", "L", 250, "8.4"), ("Bunga Luring", "P", 430, "9.9"),
                                        ("Cahya Luring", "L", 900, "12.8")):
        child = Person(name=name, sex=sex, birth_date=today - dt.timedelta(days=days_old), region=posyandu.village,
                       posyandu=posyandu)
        child.save()
        services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=child, visit_date=last_month,
                                          weight_kg=Decimal(weight)), acting_user=kader)


def record_day_offline(page: Page, posyandu: Any) -> list[dict[str, Any]]:
    """Nine visits of roster persons and one new child with its own visit: 10 visits, 1 person."""
    people = [p for p in roster(posyandu) if p["birth_date"] and not p["today_visit"]][:9]
    assert len(people) == 9, "the demo Posyandu's roster is too short for this test"
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_text("Luring")
    for person in people:
        page.locator(f'[data-person="p{person["id"]}"]').click()
        expect(page.locator("#form-title")).to_have_text(person["name"])
        fill_visit(page, measurements(person))
    page.get_by_role("button", name=re.compile("Orang baru")).click()
    page.get_by_label("Nama", exact=True).fill("Rizky Luring Saputra")
    page.get_by_label("Jenis kelamin").select_option("L")
    birth = timezone.localdate() - dt.timedelta(days=200)
    page.get_by_label("Tanggal lahir").fill(birth.isoformat())
    page.get_by_role("button", name="Simpan di ponsel").click()
    page.locator("#roster button", has_text="Rizky Luring Saputra").click()
    expect(page.locator("#f-head_circ_cm")).to_be_visible()  # the child's form
    fill_visit(page, {"weight_kg": "7,6", "height_cm": "66.5", "position": "l"})
    expect(summary(page)).to_have_text("Menunggu: 11 · Ditolak: 0 · Terkirim: 0")
    return people


def server_counts(posyandu: Any) -> tuple[int, int]:
    from apps.people.models import Person
    from apps.serviceday.models import Visit

    today = timezone.localdate()
    return (Visit.objects.filter(posyandu=posyandu, visit_date=today).count(),
            Person.objects.filter(name="Rizky Luring Saputra").count())


def phone_records(page: Page) -> list[dict[str, Any]]:
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const req = indexedDB.open('posyandu-luring', 1);
        req.onsuccess = () => {
          const all = req.result.transaction('queue').objectStore('queue').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        };
      })""")


def test_a_hari_buka_recorded_offline_survives_a_reload_and_syncs_once(
        phone_page: Page, login: Any, seeded_live_server: Any) -> None:
    from apps.offline.models import SyncRecord
    from apps.serviceday.models import Visit

    page = phone_page
    posyandu = kader_posyandu()
    add_children(posyandu)
    login(page, "kader")
    open_offline_day(page, seeded_live_server.url, posyandu)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 360, f"lebar halaman {scroll}px > 360px"
    before = server_counts(posyandu)
    record_day_offline(page, posyandu)
    page.screenshot(path="/tmp/shots/luring-antrean-360.png", full_page=True)

    # Reloaded with no network: the page comes from the service worker, the queue from IndexedDB.
    page.reload()
    page.wait_for_function("document.getElementById('luring').dataset.ready === '1'")
    expect(summary(page)).to_have_text("Menunggu: 11 · Ditolak: 0 · Terkirim: 0")
    expect(page.locator("#roster")).to_contain_text("Rizky Luring Saputra")
    assert server_counts(posyandu) == before  # nothing reached the server while offline

    # The network returns: the page syncs by itself.
    page.context.set_offline(False)
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 0 · Terkirim: 11", timeout=SYNC_TIMEOUT_MS)
    assert server_counts(posyandu) == (before[0] + 10, 1)
    assert SyncRecord.objects.filter(posyandu=posyandu).count() == 11
    page.screenshot(path="/tmp/shots/luring-terkirim-360.png", full_page=True)

    # The phone's provisional results were the server's: the z-score categories and the KMS.
    records = phone_records(page)
    children = [r for r in records if r["kind"] == "visit" and r["provisional"].get("bb_u")]
    assert len(children) == 4, "the three children and the new one"
    assert {r["server"]["kms_status"] for r in children} == {"B", "N", "T"}
    for rec in children:
        assert {k: rec["provisional"].get(k, "") or "" for k in RESULT_COMPARED[:4]} == \
            {k: rec["server"].get(k) or "" for k in RESULT_COMPARED[:4]}, rec["label"]

    # A second sync adds nothing: the button finds nothing waiting, and even every record sent
    # again (a phone that never got the answers) is answered from the first save.
    page.get_by_role("button", name="Sinkronkan").click()
    expect(page.locator("#sync-status")).to_have_text("Tidak ada yang menunggu.")
    page.evaluate("""() => new Promise((resolve) => {
        const req = indexedDB.open('posyandu-luring', 1);
        req.onsuccess = () => {
          const tx = req.result.transaction('queue', 'readwrite'), store = tx.objectStore('queue');
          store.getAll().onsuccess = (ev) => ev.target.result.forEach((r) => { r.status = 'menunggu'; store.put(r); });
          tx.oncomplete = resolve;
        };
      })""")
    page.reload()
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 0 · Terkirim: 11", timeout=SYNC_TIMEOUT_MS)
    assert server_counts(posyandu) == (before[0] + 10, 1)
    assert all(r.attempts == 2 for r in SyncRecord.objects.filter(posyandu=posyandu))

    # Results equal to a visit saved online: the same values through the online visit form give
    # the same results.
    from apps.accounts.models import User
    from apps.serviceday.services import RESULT_FIELDS

    client = Client()
    client.force_login(User.objects.get(username=PERSONAS["kader"]))
    synced = SyncRecord.objects.filter(posyandu=posyandu, kind="visit")
    assert synced.count() == 10
    for row in synced:
        visit = Visit.objects.get(pk=row.object_id)
        offline = {name: getattr(visit, name) for name in RESULT_FIELDS}
        offline_reasons = sorted(visit.referrals.values_list("reasons", flat=True).first() or [])
        fields = {k: ("on" if v is True else v) for k, v in row.payload["fields"].items() if v not in ("", False, None, [])}
        response = client.post(visit.get_absolute_url(), fields)
        assert response.status_code == 302, response.content.decode()[:500]
        visit.refresh_from_db()
        assert {name: getattr(visit, name) for name in RESULT_FIELDS} == offline, visit.person.name
        assert sorted(visit.referrals.values_list("reasons", flat=True).first() or []) == offline_reasons


def test_a_sync_cut_in_the_middle_loses_nothing_and_duplicates_nothing(
        phone_page: Page, login: Any, seeded_live_server: Any) -> None:
    from apps.offline.models import SyncRecord

    page = phone_page
    posyandu = kader_posyandu()
    login(page, "kader")
    open_offline_day(page, seeded_live_server.url, posyandu)
    before = server_counts(posyandu)
    record_day_offline(page, posyandu)

    # The second request reaches the server but its answer is lost; the third never arrives.
    calls: list[str] = []

    def cut(route: Any) -> None:
        calls.append(route.request.method)
        if len(calls) == 1:
            route.continue_()
        elif len(calls) == 2:
            route.fetch()  # the server saves these four records...
            route.abort("internetdisconnected")  # ...and the phone never hears so
        else:
            route.abort("internetdisconnected")

    page.route(re.compile(r".*/offline/posyandu/\d+/sinkron/$"), cut)
    page.context.set_offline(False)
    expect(page.locator("#sync-status")).to_contain_text("Koneksi terputus", timeout=SYNC_TIMEOUT_MS)
    assert len(calls) == 2, calls  # the phone stops at the first failure and keeps the rest
    expect(summary(page)).to_have_text("Menunggu: 7 · Ditolak: 0 · Terkirim: 4")
    saved = SyncRecord.objects.filter(posyandu=posyandu).count()
    assert saved == 8  # the first request's four, and the second's four whose answer was lost

    page.unroute(re.compile(r".*/offline/posyandu/\d+/sinkron/$"))
    page.get_by_role("button", name="Sinkronkan").click()
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 0 · Terkirim: 11", timeout=SYNC_TIMEOUT_MS)
    assert server_counts(posyandu) == (before[0] + 10, 1)
    rows = list(SyncRecord.objects.filter(posyandu=posyandu))
    assert len(rows) == 11 and sorted(r.attempts for r in rows) == [1] * 7 + [2] * 4


def test_a_refused_record_stays_with_the_reason_until_corrected_and_sent_again(
        phone_page: Page, login: Any, seeded_live_server: Any) -> None:
    from apps.accounts.models import User
    from apps.people.models import Person
    from apps.reports.approval import reopen, report_for, submit
    from apps.serviceday.models import Visit

    page = phone_page
    posyandu = kader_posyandu()
    login(page, "kader")
    open_offline_day(page, seeded_live_server.url, posyandu)
    people = [p for p in roster(posyandu) if p["birth_date"] and not p["today_visit"]]
    child, adult = people[0], people[1]
    page.context.set_offline(True)
    # A second phone registers a child already on the roster (a spelling variant), and records a visit.
    page.get_by_role("button", name=re.compile("Orang baru")).click()
    page.get_by_label("Nama", exact=True).fill(child["name"] + "h")
    page.get_by_label("Jenis kelamin").select_option(child["sex"])
    page.get_by_label("Tanggal lahir").fill(child["birth_date"])
    page.get_by_role("button", name="Simpan di ponsel").click()
    page.locator(f'[data-person="p{adult["id"]}"]').click()
    fill_visit(page, measurements(adult))
    # Meanwhile the month is sent: its records are locked.
    kader = User.objects.get(username=PERSONAS["kader"])
    report = submit(report=report_for(posyandu, timezone.localdate()), acting_user=kader)

    page.context.set_offline(False)
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 2 · Terkirim: 0", timeout=SYNC_TIMEOUT_MS)
    queue = page.locator("#queue")
    expect(queue).to_contain_text("Mungkin sudah terdaftar: " + child["name"])
    expect(queue).to_contain_text("terkunci")
    page.reload()  # refused records are never dropped
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 2 · Terkirim: 0")
    assert not Person.objects.filter(name=child["name"] + "h").exists()
    assert not Visit.objects.filter(person_id=adult["id"], visit_date=timezone.localdate()).exists()

    # The kader checks: it is another child. Corrected and sent again under the same UUID.
    person_row = queue.locator("[data-status=ditolak]", has_text="orang baru")
    person_row.get_by_role("button", name="Perbaiki").click()
    expect(page.locator("#person-error")).to_contain_text("Mungkin sudah terdaftar")
    page.get_by_label("Saya sudah memeriksa: ini orang yang berbeda").check()
    page.get_by_role("button", name="Simpan di ponsel").click()
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 1 · Terkirim: 1", timeout=SYNC_TIMEOUT_MS)
    assert Person.objects.filter(name=child["name"] + "h").count() == 1

    # The kecamatan reopens the month; the visit is sent again as it was.
    reopen(report=report, acting_user=User.objects.get(username="admin"), reason="Uji luring")
    queue.locator("[data-status=ditolak]").get_by_role("button", name="Kirim ulang").click()
    expect(summary(page)).to_have_text("Menunggu: 0 · Ditolak: 0 · Terkirim: 2", timeout=SYNC_TIMEOUT_MS)
    assert Visit.objects.filter(person_id=adult["id"], visit_date=timezone.localdate()).count() == 1
