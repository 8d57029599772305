"""The sync endpoint of the offline hari buka through real HTTP requests (Django's test client):
idempotent by UUID, scoped like everything else, all or nothing per record with its own message.
Runs on SQLite and, with DATABASE_URL set, on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from apps.offline.models import SyncRecord, SyncStatus
from apps.people.models import Person
from apps.serviceday import services
from apps.serviceday.models import ServiceSession, Visit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


def send(client: Any, posyandu: Any, *records: dict[str, Any]) -> Any:
    return client.post(reverse("offline:sync", args=[posyandu.pk]), json.dumps({"records": list(records)}),
                       content_type="application/json")


def visit_record(person: Any = None, *, key: str | None = None, day: dt.date = DAY, person_uuid: str | None = None,
                 saved_at: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"uuid": key or str(uuid.uuid4()), "kind": "visit", "saved_at": saved_at or "2026-03-10T02:00:00Z",
            "data": {"date": day.isoformat(), "person": person.pk if person else None, "person_uuid": person_uuid,
                     "fields": fields}}


def person_record(*, key: str | None = None, **data: Any) -> dict[str, Any]:
    return {"uuid": key or str(uuid.uuid4()), "kind": "person", "saved_at": "2026-03-10T02:00:00Z", "data": data}


@pytest.fixture
def toddler(resident: Any) -> Person:
    return resident("Dinda Maharani", "P", dt.date(2024, 11, 20))


@pytest.fixture
def resident(demo_posyandu: Any) -> Any:
    def make(name: str, sex: str, birth: dt.date) -> Person:
        person = Person(name=name, sex=sex, birth_date=birth, region=demo_posyandu.village, posyandu=demo_posyandu)
        person.save()
        return person
    return make


def test_a_retried_uuid_returns_the_first_answer_and_saves_nothing_twice(client_as, demo_posyandu, toddler):
    client = client_as("kader")
    record = visit_record(toddler, weight_kg="9.1", height_cm="78.5", position="l")
    first = send(client, demo_posyandu, record).json()["results"][0]
    assert first["status"] == "diterima" and not first["replayed"], first
    again = send(client, demo_posyandu, record).json()["results"][0]
    assert again["replayed"] and again["object_id"] == first["object_id"] and again["result"] == first["result"]
    assert Visit.objects.filter(person=toddler).count() == 1
    row = SyncRecord.objects.get(uuid=record["uuid"])
    assert (row.status, row.attempts, row.object_id) == (SyncStatus.ACCEPTED, 2, first["object_id"])

    child = person_record(name="Bayu Luringwati", sex="L", birth_date="2026-01-15")
    one = send(client, demo_posyandu, child).json()["results"][0]
    two = send(client, demo_posyandu, child).json()["results"][0]
    assert one["status"] == "diterima" and two["replayed"] and one["object_id"] == two["object_id"]
    assert Person.objects.filter(name="Bayu Luringwati").count() == 1
    created = Person.objects.get(name="Bayu Luringwati")
    assert (created.posyandu, created.region_code) == (demo_posyandu, demo_posyandu.region_code)


def test_the_server_recomputes_results_as_the_online_form_does(client_as, demo_posyandu, resident):
    client = client_as("kader")
    phone_child = resident("Citra Lestari", "P", dt.date(2024, 11, 20))
    form_child = resident("Citra Lestarii", "P", dt.date(2024, 11, 20))
    fields = {"weight_kg": "6,5", "height_cm": "76.0", "position": "l", "vitamin_a": True,
              "counselling_topics": ["gizi"], "tbc_cough": "1", "tbc_fever": "1"}
    # Provisional results the phone may have sent are not read: only its measurements are.
    result = send(client, demo_posyandu, visit_record(phone_child, **fields)).json()["results"][0]
    assert result["status"] == "diterima", result
    session = ServiceSession.objects.get(posyandu=demo_posyandu, date=DAY)
    client.post(reverse("serviceday:register", args=[session.pk]), {"person": form_child.pk})
    online = Visit.objects.get(session=session, person=form_child)
    response = client.post(online.get_absolute_url(), {**fields, "vitamin_a": "on"})
    assert response.status_code == 302
    phone = Visit.objects.get(pk=result["object_id"])
    online.refresh_from_db()
    for name in services.RESULT_FIELDS + ["step_measured", "step_served", "step_counselled", "vitamin_a"]:
        assert getattr(phone, name) == getattr(online, name), name
    assert phone.bb_u == "berat badan sangat kurang" and phone.bgm
    assert result["result"]["referral_reasons"] == list(online.referrals.get().reasons)
    assert "tbc" in result["result"]["referral_reasons"]


def test_each_record_is_all_or_nothing_with_its_own_message(client_as, demo_posyandu, toddler, resident):
    client = client_as("kader")
    other = resident("Eko Saputra", "L", dt.date(2024, 5, 2))
    good = visit_record(toddler, weight_kg="9.1")
    impossible = visit_record(other, day=dt.date(2026, 3, 3), weight_kg="720")
    bad_nik = person_record(name="Fajar Luringwati", sex="L", birth_date="2025-12-01", nik="12345")
    new_child = person_record(name="Gita Luringwati", sex="P", birth_date="2025-12-01")
    results = {r["uuid"]: r for r in send(client, demo_posyandu, good, impossible, bad_nik, new_child).json()["results"]}
    assert results[good["uuid"]]["status"] == "diterima"
    assert results[new_child["uuid"]]["status"] == "diterima"
    refused = results[impossible["uuid"]]
    assert refused["status"] == "ditolak"
    assert refused["message"] == "Berat badan 720 tidak mungkin (batas 0,4–300)."
    assert refused["errors"] == {"weight_kg": ["Berat badan 720 tidak mungkin (batas 0,4–300)."]}
    assert "NIK harus 16 angka." in results[bad_nik["uuid"]]["message"]
    # Nothing of a refused record is left behind: not its visit, not the hari buka it opened.
    assert not Visit.objects.filter(person=other).exists()
    assert not ServiceSession.objects.filter(posyandu=demo_posyandu, date=dt.date(2026, 3, 3)).exists()
    assert not Person.objects.filter(name="Fajar Luringwati").exists()
    assert SyncRecord.objects.get(uuid=impossible["uuid"]).status == SyncStatus.REFUSED
    # Corrected on the phone and sent again under the same UUID: now accepted.
    impossible["data"]["fields"]["weight_kg"] = "7.2"
    again = send(client, demo_posyandu, impossible).json()["results"][0]
    assert again["status"] == "diterima" and not again["replayed"]
    assert Visit.objects.get(person=other).weight_kg == Decimal("7.20")
    assert SyncRecord.objects.get(uuid=impossible["uuid"]).attempts == 2


def test_a_visit_of_a_child_registered_on_the_phone_finds_its_person(client_as, demo_posyandu):
    client = client_as("kader")
    child = person_record(name="Hendra Luringwati", sex="L", birth_date="2025-10-01")
    visit = visit_record(person_uuid=child["uuid"], weight_kg="7.4", height_cm="66.0", position="l")
    waiting = send(client, demo_posyandu, visit).json()["results"][0]
    assert waiting["status"] == "ditolak" and waiting["retry"]
    assert "belum tersimpan" in waiting["message"]
    results = send(client, demo_posyandu, visit, child).json()["results"]  # persons are saved first
    assert [r["status"] for r in results] == ["diterima", "diterima"]
    person = Person.objects.get(name="Hendra Luringwati")
    assert Visit.objects.get(person=person).weight_kg == Decimal("7.40")


def test_a_uuid_reused_for_another_posyandu_is_refused(client_as, demo_posyandu, outsider_posyandu, toddler):
    client = client_as("kader")
    key = str(uuid.uuid4())
    assert send(client, demo_posyandu, person_record(key=key, name="Intan Luringwati", sex="P",
                                                     birth_date="2025-09-09")).json()["results"][0]["status"] == "diterima"
    outsider = client_as("outsider")
    reused = person_record(key=key, name="Joko Luringwati", sex="L", birth_date="2025-09-09")
    result = send(outsider, outsider_posyandu, reused).json()["results"][0]
    assert result["status"] == "ditolak" and result["message"].startswith("Kode rekaman ini sudah dipakai")
    assert result["object_id"] is None and result["result"] == {}  # nothing about the first record leaks
    assert not Person.objects.filter(name="Joko Luringwati").exists()
    # The same for a visit naming the other Posyandu's new person by its UUID.
    elder = Person.objects.filter(posyandu=outsider_posyandu).first()
    assert elder is not None
    stolen = send(outsider, outsider_posyandu, visit_record(person_uuid=key, weight_kg="60")).json()["results"][0]
    assert stolen["status"] == "ditolak" and "Posyandu lain" in stolen["message"]
    # And a kader cannot name a person outside their area.
    foreign = send(client_as("kader"), demo_posyandu, visit_record(elder, weight_kg="60")).json()["results"][0]
    assert foreign["status"] == "ditolak" and foreign["message"] == "Orang ini tidak ditemukan di wilayah tugas Anda."
    assert not Visit.objects.filter(person=elder, posyandu=demo_posyandu).exists()


def test_the_endpoint_is_scoped_like_every_page(client_as, client, demo_posyandu, outsider_posyandu, toddler):
    record = visit_record(toddler, weight_kg="9.1")
    assert send(client_as("kader"), outsider_posyandu, record).status_code == 404
    assert send(client_as("kecamatan_viewer"), demo_posyandu, record).status_code == 403  # reads, cannot write
    assert send(client_as("unassigned"), demo_posyandu, record).status_code == 404
    client.logout()
    assert send(client, demo_posyandu, record).status_code == 302
    assert not Visit.objects.filter(person=toddler).exists()
    assert client_as("kader").get(reverse("offline:data", args=[outsider_posyandu.pk])).status_code == 404


def test_a_locked_month_refuses_the_visit_with_the_reason(client_as, demo_posyandu, toddler, persona):
    from apps.reports.approval import report_for, submit

    client = client_as("kader")
    submit(report=report_for(demo_posyandu, DAY), acting_user=persona("kader"))
    result = send(client, demo_posyandu, visit_record(toddler, weight_kg="9.1")).json()["results"][0]
    assert result["status"] == "ditolak" and "terkunci" in result["message"]
    assert not Visit.objects.filter(person=toddler).exists()


def test_two_phones_registering_the_same_child_meet_the_duplicate_check(client_as, demo_posyandu):
    client = client_as("kader")
    first = send(client, demo_posyandu, person_record(name="Kartika Luring", sex="P", birth_date="2025-08-17"))
    assert first.json()["results"][0]["status"] == "diterima"
    second = person_record(name="Kartika Lurink", sex="P", birth_date="2025-08-17")
    result = send(client, demo_posyandu, second).json()["results"][0]
    assert result["status"] == "ditolak" and result["message"].startswith("Mungkin sudah terdaftar: Kartika Luring")
    assert [c["name"] for c in result["candidates"]] == ["Kartika Luring"]
    second["data"]["not_a_duplicate"] = True  # the kader checked: another child
    assert send(client, demo_posyandu, second).json()["results"][0]["status"] == "diterima"
    assert Person.objects.filter(birth_date=dt.date(2025, 8, 17), name__startswith="Kartika").count() == 2


def test_two_devices_editing_one_visit_keep_the_later_edit_and_both_in_history(client_as, demo_posyandu, toddler):
    client = client_as("kader")
    later = visit_record(toddler, weight_kg="9.3", saved_at="2026-03-10T03:30:00Z")
    earlier = visit_record(toddler, weight_kg="9.0", saved_at="2026-03-10T03:00:00Z")
    assert send(client, demo_posyandu, later).json()["results"][0]["status"] == "diterima"
    result = send(client, demo_posyandu, earlier).json()["results"][0]  # arrives last, was saved first
    assert result["status"] == "digantikan" and "lebih baru dipertahankan" in result["message"]
    visit = Visit.objects.get(person=toddler)
    assert visit.weight_kg == Decimal("9.30")
    kept = SyncRecord.objects.get(uuid=earlier["uuid"])
    assert kept.payload["fields"]["weight_kg"] == "9.0" and kept.object_id == visit.pk
    # The other order: the later edit arriving last replaces the earlier one; the visit's own
    # history (django-simple-history) keeps both versions.
    newest = visit_record(toddler, weight_kg="9.4", saved_at="2026-03-10T04:00:00Z")
    assert send(client, demo_posyandu, newest).json()["results"][0]["status"] == "diterima"
    visit.refresh_from_db()
    assert visit.weight_kg == Decimal("9.40")
    assert {h.weight_kg for h in visit.history.all()} >= {Decimal("9.30"), Decimal("9.40")}


def test_a_phone_asks_what_the_server_already_has(client_as, demo_posyandu, toddler):
    client = client_as("kader")
    record = visit_record(toddler, weight_kg="9.1")
    send(client, demo_posyandu, record)
    unknown = str(uuid.uuid4())
    body = client.get(reverse("offline:sync", args=[demo_posyandu.pk]), {"uuid": f"{record['uuid']},{unknown},x"}).json()
    assert [(r["uuid"], r["status"]) for r in body["results"]] == [(record["uuid"], "diterima")]


def test_a_malformed_request_is_refused_in_indonesian(client_as, demo_posyandu):
    client = client_as("kader")
    url = reverse("offline:sync", args=[demo_posyandu.pk])
    assert client.post(url, "{", content_type="application/json").json()["message"].startswith("Data kiriman tidak terbaca")
    assert client.post(url, {"records": "x"}).status_code == 400
    body = send(client, demo_posyandu, {"uuid": "bukan-uuid", "kind": "visit", "data": {}}).json()
    assert body["results"][0]["message"] == "Kode rekaman (UUID) tidak valid."


def test_day_data_and_rules_for_the_phone(client_as, demo_posyandu, toddler):
    client = client_as("kader")
    day = client.get(reverse("offline:data", args=[demo_posyandu.pk])).json()
    names = [p["name"] for p in day["persons"]]
    assert "Dinda Maharani" in names
    dinda = next(p for p in day["persons"] if p["name"] == "Dinda Maharani")
    assert dinda["group"] == "child" and dinda["vaccines"] and "weighed_before" in dinda
    rules = client.get(reverse("offline:rules")).json()
    assert rules["rules"]["kek"]["lila_below_cm"] == 23.5  # data/rules.json itself
    assert set(rules["lms"]) == {"weianthro", "lenanthro", "wflanthro", "wfhanthro"}
    assert rules["form"]["fields"]["weight_kg"]["label"] == "Berat badan (kg)"
    assert rules["version"] == day["rules_version"]
