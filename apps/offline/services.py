"""Saving what a phone recorded offline, one record at a time, through the same code the online
pages and the API use: a new person through the API's PersonSerializer plus the registration form's
duplicate check (apps.people.forms.similar_people), a visit through VisitForm and
services.record_visit. Each record is all or nothing, with its own Indonesian message.

Idempotency: each record carries the UUID the phone made when the kader saved it. The first time
a UUID is accepted a SyncRecord is written in the same transaction as the visit or person, so a
retry (the answer was lost when the signal dropped) replays the stored answer instead of saving a
second one. The conflict rules are written down in docs/offline.md.
"""
from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.scoping import CHANGE, VIEW, is_in_scope
from apps.offline.models import SyncKind, SyncRecord, SyncStatus
from apps.people.forms import similar_people
from apps.people.models import Person
from apps.serviceday import rules, services
from apps.serviceday.api.serializers import PersonSerializer
from apps.serviceday.forms import VisitForm
from apps.serviceday.models import Visit

MAX_RECORDS_PER_REQUEST = 50
# A phone clock this far ahead of the server is not believed (its edits would always win).
CLOCK_SKEW_ALLOWED = dt.timedelta(minutes=5)
# What the phone may send for a new person (the rest of the record is edited online later).
PERSON_FIELDS = ["name", "nik", "sex", "birth_date", "mother", "phone", "address"]


class Refused(Exception):
    """A record the server cannot save; the phone keeps it and shows the message."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None, *, retry: bool = False,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message, self.errors, self.retry, self.extra = message, errors or {}, retry, extra or {}


@dataclass
class Outcome:
    uuid: str
    status: str
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    object_id: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False
    retry: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"uuid": self.uuid, "status": self.status, "message": self.message, "errors": self.errors,
                "object_id": self.object_id, "result": self.result, "replayed": self.replayed,
                "retry": self.retry, **self.extra}


def sync_records(*, posyandu: Any, records: list[Any], acting_user: Any) -> list[Outcome]:
    """Save each record on its own; one refused record never stops the others. Persons first, so a
    visit of a child registered on the same phone finds its person."""
    ordered = sorted(records, key=lambda r: 0 if isinstance(r, dict) and r.get("kind") == SyncKind.PERSON else 1)
    return [sync_one(posyandu=posyandu, record=r, acting_user=acting_user) for r in ordered]


def sync_one(*, posyandu: Any, record: Any, acting_user: Any) -> Outcome:
    if not isinstance(record, dict):
        return Outcome(uuid="", status=SyncStatus.REFUSED, message="Rekaman tidak terbaca.")
    try:
        key = str(uuidlib.UUID(str(record.get("uuid", ""))))
    except ValueError:
        return Outcome(uuid=str(record.get("uuid", "")), status=SyncStatus.REFUSED,
                       message="Kode rekaman (UUID) tidak valid.")
    kind = record.get("kind")
    if kind not in SyncKind.values:
        return Outcome(uuid=key, status=SyncStatus.REFUSED, message="Jenis rekaman tidak dikenal.")
    data = record.get("data") if isinstance(record.get("data"), dict) else {}
    saved_at = _saved_at(record.get("saved_at"))

    earlier = SyncRecord.objects.filter(uuid=key).first()
    if earlier is not None:
        if earlier.posyandu_id != posyandu.pk or earlier.kind != kind:
            # Never tell what the UUID holds elsewhere: it is simply not this record's to use.
            return Outcome(uuid=key, status=SyncStatus.REFUSED,
                           message="Kode rekaman ini sudah dipakai untuk data lain; rekaman tidak disimpan.")
        if earlier.status != SyncStatus.REFUSED:
            return _replay(earlier)
    try:
        with transaction.atomic():
            if kind == SyncKind.PERSON:
                status, obj_id, result, message = _save_person(posyandu, data, acting_user)
            else:
                status, obj_id, result, message = _save_visit(posyandu, data, acting_user, saved_at, key)
            row = _store(key, kind, posyandu, acting_user, status, obj_id, result, message, data, saved_at, earlier)
    except Refused as exc:
        _store_refusal(key, kind, posyandu, acting_user, exc, data, saved_at, earlier)
        return Outcome(uuid=key, status=SyncStatus.REFUSED, message=exc.message, errors=exc.errors, retry=exc.retry,
                       extra=exc.extra)
    except IntegrityError:
        # The same UUID accepted meanwhile by a parallel request (a retry racing the original):
        # its answer is this record's answer.
        again = SyncRecord.objects.filter(uuid=key, posyandu=posyandu, kind=kind).exclude(
            status=SyncStatus.REFUSED).first()
        if again is not None:
            return _replay(again)
        message = "Data ini bentrok dengan data yang sudah ada di server; periksa lalu kirim ulang."
        return Outcome(uuid=key, status=SyncStatus.REFUSED, message=message)
    return Outcome(uuid=key, status=row.status, message=row.message, object_id=row.object_id, result=row.result)


def _replay(row: SyncRecord) -> Outcome:
    SyncRecord.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
    return Outcome(uuid=str(row.uuid), status=row.status, message=row.message, object_id=row.object_id,
                   result=row.result, replayed=True)


def _store(key: str, kind: str, posyandu: Any, user: Any, status: str, obj_id: int | None, result: dict[str, Any],
           message: str, data: dict[str, Any], saved_at: dt.datetime | None, earlier: SyncRecord | None) -> SyncRecord:
    if earlier is not None:  # refused before, corrected and sent again: the same row turns accepted
        updated = SyncRecord.objects.filter(pk=earlier.pk, status=SyncStatus.REFUSED).update(
            status=status, object_id=obj_id, result=result, message=message, errors={}, payload=data,
            saved_at=saved_at, user=user, attempts=earlier.attempts + 1, updated_at=timezone.now())
        if not updated:  # accepted by a parallel request meanwhile: roll this one back
            raise IntegrityError("sync record accepted meanwhile")
        return SyncRecord.objects.get(pk=earlier.pk)
    return SyncRecord.objects.create(uuid=key, kind=kind, posyandu=posyandu, user=user, status=status,
                                     object_id=obj_id, result=result, message=message, payload=data,
                                     saved_at=saved_at)


def _store_refusal(key: str, kind: str, posyandu: Any, user: Any, exc: Refused, data: dict[str, Any],
                   saved_at: dt.datetime | None, earlier: SyncRecord | None) -> None:
    """Keep what was refused and why (the district can see what phones could not send)."""
    values = {"status": SyncStatus.REFUSED, "message": exc.message, "errors": exc.errors, "payload": data,
              "saved_at": saved_at, "user": user}
    if earlier is not None:
        SyncRecord.objects.filter(pk=earlier.pk, status=SyncStatus.REFUSED).update(
            attempts=earlier.attempts + 1, updated_at=timezone.now(), **values)
        return
    try:
        with transaction.atomic():
            SyncRecord.objects.create(uuid=key, kind=kind, posyandu=posyandu, **values)
    except IntegrityError:
        pass  # a parallel request stored it first; its row says the same or better


def _saved_at(value: Any) -> dt.datetime | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return min(parsed, timezone.now() + CLOCK_SKEW_ALLOWED)


def _errors_of(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for e in errs for m in e.messages] for name, errs in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _summary(errors: dict[str, list[str]], labels: dict[str, str]) -> str:
    """One line for the phone's list: "Berat badan: ...; ..." (the fields carry the detail)."""
    parts = []
    for name, messages in errors.items():
        label = labels.get(name) if name != "__all__" else None
        for message in messages:
            # The service's messages already name the measurement ("Berat badan 720 tidak mungkin").
            named = label is None or message.lower().startswith(label.split(" (")[0].lower())
            parts.append(message if named else f"{label}: {message}")
    return " ".join(parts)


# --- Persons --------------------------------------------------------------------------------------

def _save_person(posyandu: Any, data: dict[str, Any], user: Any) -> tuple[str, int, dict[str, Any], str]:
    payload = {name: data.get(name) for name in PERSON_FIELDS if data.get(name) not in (None, "")}
    payload.update(region=posyandu.village.code, posyandu=posyandu.pk, status="aktif")
    # The serializer reads the acting user from its request (villages and choices narrowed to it).
    serializer = PersonSerializer(data=payload, context={"request": SimpleNamespace(user=user)})
    for fld in serializer.fields.values():  # as ScopedViewSetMixin.get_serializer narrows them
        queryset = getattr(fld, "queryset", None)
        if queryset is not None and hasattr(queryset, "for_user"):
            fld.queryset = queryset.for_user(user, CHANGE)
    if not serializer.is_valid():
        errors = {name: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                  for name, msgs in serializer.errors.items()}
        labels = {"name": "Nama", "nik": "NIK", "sex": "Jenis kelamin", "birth_date": "Tanggal lahir",
                  "mother": "Ibu", "region": "Desa/kelurahan", "posyandu": "Posyandu"}
        raise Refused(_summary(errors, labels), errors)
    attrs = serializer.validated_data
    if not data.get("not_a_duplicate"):
        # The registration form's check (apps/people/forms.py), across the whole system; only the
        # names the user may see are shown, as on the form.
        found = similar_people(name=attrs.get("name", ""), birth_date=attrs.get("birth_date"),
                               mother=attrs.get("mother"))
        if found:
            visible = list(Person.objects.for_user(user, VIEW).filter(pk__in=[p.pk for p in found]))
            names = ", ".join(f"{p.name} ({p.masked_nik or 'tanpa NIK'})" for p in visible) or "di wilayah lain"
            raise Refused(f"Mungkin sudah terdaftar: {names}. Periksa dulu; bila memang orang lain, centang "
                          "konfirmasi lalu kirim ulang. Bila orang yang sama, pakai data yang sudah ada.",
                          {"__all__": ["Mungkin sudah terdaftar."]},
                          extra={"candidates": [{"id": p.pk, "name": p.name,
                                                 "birth_date": p.birth_date.isoformat() if p.birth_date else None}
                                                for p in visible if p.posyandu_id == posyandu.pk]})
    person = serializer.save()
    if not is_in_scope(person, user, CHANGE):
        raise Refused("Data ini di luar wilayah tugas Anda.")
    stage = services.stage_for(person, timezone.localdate())
    result = {"id": person.pk, "name": person.name, "sex": person.sex,
              "birth_date": person.birth_date.isoformat() if person.birth_date else None,
              "stage": stage or "", "stage_label": rules.stage_label(stage)}
    return SyncStatus.ACCEPTED, person.pk, result, "Orang baru tersimpan."


# --- Visits ---------------------------------------------------------------------------------------

def _resolve_person(posyandu: Any, data: dict[str, Any], user: Any) -> Person:
    person_uuid = data.get("person_uuid")
    if person_uuid:
        try:
            key = str(uuidlib.UUID(str(person_uuid)))
        except ValueError as exc:
            raise Refused("Kode rekaman orang tidak valid.") from exc
        row = SyncRecord.objects.filter(uuid=key, kind=SyncKind.PERSON).first()
        if row is not None and row.posyandu_id != posyandu.pk:
            raise Refused("Kode rekaman orang ini milik Posyandu lain; kunjungan tidak disimpan.")
        if row is None or row.status == SyncStatus.REFUSED or row.object_id is None:
            raise Refused("Orang baru untuk kunjungan ini belum tersimpan di server. Kunjungan dikirim lagi "
                          "setelah data orangnya diterima.", retry=True)
        pk: Any = row.object_id
    else:
        pk = data.get("person")
    if not str(pk or "").isdigit():
        raise Refused("Orang untuk kunjungan ini tidak disebut.")
    person = (Person.objects.for_user(user, VIEW).filter(pk=int(pk)).prefetch_related("pregnancies").first())
    if person is None:
        raise Refused("Orang ini tidak ditemukan di wilayah tugas Anda.")
    return person


def _visit_labels() -> dict[str, str]:
    return {name: str(f.label) for name, f in VisitForm.base_fields.items()} | {
        "visit_date": "Tanggal kunjungan", "person": "Orang", "confirmed_unusual": "Konfirmasi"}


def _form_data(data: dict[str, Any]) -> QueryDict:
    """The record's fields as the online form posts them (lists as repeated keys)."""
    query = QueryDict(mutable=True)
    for name, value in (data.get("fields") or {}).items():
        if isinstance(value, list):
            query.setlist(name, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                query[name] = "on"
        elif value is not None:
            query[name] = str(value)
    return query


def _has_measurements(visit: Visit) -> bool:
    return bool(visit.step_measured or visit.step_recorded or visit.step_served)


def _save_visit(posyandu: Any, data: dict[str, Any], user: Any, saved_at: dt.datetime | None,
                key: str) -> tuple[str, int, dict[str, Any], str]:
    try:
        day = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError as exc:
        raise Refused("Tanggal kunjungan tidak valid.") from exc
    if day > timezone.localdate():
        raise Refused("Tanggal kunjungan tidak boleh di masa depan.")
    person = _resolve_person(posyandu, data, user)
    session = services.open_session(posyandu=posyandu, date=day, acting_user=user)
    visit = Visit.objects.filter(session=session, person=person).select_related("person").first()
    if visit is not None and _has_measurements(visit) and saved_at is not None:
        changed = _last_change(visit, exclude_uuid=key)
        if changed is not None and changed > saved_at:
            # Another device (or the online form) changed this visit after the phone saved it:
            # the later one stays; this one is kept in the SyncRecord's payload (docs/offline.md).
            return (SyncStatus.SUPERSEDED, visit.pk, _visit_result(visit),
                    f"Kunjungan ini sudah diubah dari perangkat lain pada {timezone.localtime(changed):%d/%m/%Y %H:%M}; "
                    "data yang lebih baru dipertahankan, data dari ponsel ini tersimpan di riwayat sinkron.")
    if visit is None:
        walk_in = person.posyandu_id != posyandu.pk or bool((data.get("fields") or {}).get("walk_in"))
        visit = Visit(session=session, posyandu=posyandu, person=person, visit_date=session.date, walk_in=walk_in,
                      stage=services.stage_for(person, session.date) or "", recorded_by=user)
    given = dict(person.immunisations.values_list("vaccine", "given_on"))
    form = VisitForm(_form_data(data), instance=visit, stage=visit.stage or "produktif", given=given)
    labels = _visit_labels()
    if not form.is_valid():
        errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
        raise Refused(_summary(errors, labels), errors)
    visit = form.save(commit=False)
    # As the online visit page does (apps/serviceday/views.py VisitView.post).
    visit.step_served = any([visit.vitamin_a, visit.deworming, visit.supplementary_food, visit.iron_tablets])
    visit.step_counselled = bool(visit.counselling_topics)
    try:
        services.record_visit(visit=visit, acting_user=user, vaccines=form.cleaned_data.get("vaccines") or [])
    except ValidationError as exc:
        errors = _errors_of(exc)
        raise Refused(_summary(errors, labels), errors) from exc
    visit.refresh_from_db()
    return SyncStatus.ACCEPTED, visit.pk, _visit_result(visit), "Kunjungan tersimpan; hasil dihitung server."


def _last_change(visit: Visit, *, exclude_uuid: str) -> dt.datetime | None:
    """When the visit's data was last set: by another phone's record (the time the kader saved it
    there), else by a save on the server."""
    other = (SyncRecord.objects.filter(kind=SyncKind.VISIT, object_id=visit.pk, status=SyncStatus.ACCEPTED)
             .exclude(uuid=exclude_uuid).exclude(saved_at=None).order_by("-saved_at").first())
    if other is not None and other.saved_at is not None:
        return other.saved_at if other.received_at >= visit.updated_at - dt.timedelta(seconds=5) else visit.updated_at
    return visit.updated_at


def _visit_result(visit: Visit) -> dict[str, Any]:
    """The server's results, for the phone to show in place of its provisional ones."""
    result = {name: getattr(visit, name) for name in services.RESULT_FIELDS}
    referral = visit.referrals.order_by("-created_at").first()
    result.update(id=visit.pk, person=visit.person_id, visit_date=visit.visit_date.isoformat(),
                  stage_label=rules.stage_label(visit.stage or None),
                  referral_reasons=list(referral.reasons) if referral else [],
                  referral_labels=referral.reason_labels if referral else [],
                  url=visit.get_absolute_url())
    return result
