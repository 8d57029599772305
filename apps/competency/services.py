"""Writes of kader development: certify, revoke, add participants, record results, recompute levels.

Each write is atomic, takes the acting user and re-checks the scope; the kader's level is
recomputed inside the same transaction as the certification change, so the stored level never
disagrees with the certifications.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.competency.models import (
    Certification,
    KaderCompetency,
    LevelRule,
    ParticipantResult,
    Skill,
    Training,
    TrainingParticipant,
)
from apps.competency.rules import Rule, level_for
from apps.core.scoping import CHANGE, code_q, get_scope, is_in_scope, require_change
from apps.posyandu.models import Kader

OUT_OF_AREA = "Data ini di luar wilayah tugas Anda."


# --- Levels ----------------------------------------------------------------------------------
def current_rules() -> tuple[list[Rule], dict[int, frozenset[int]]]:
    """The level rules and the current skills of each group (two small queries)."""
    rules = [Rule(level=r.level, rank=r.rank, required_groups=frozenset(g.pk for g in r.required_groups.all()),
                  min_skills=r.min_skills)
             for r in LevelRule.objects.prefetch_related("required_groups")]
    groups: dict[int, set[int]] = defaultdict(set)
    for group_id, skill_id in Skill.objects.current().values_list("group_id", "id"):
        groups[group_id].add(skill_id)
    return rules, {g: frozenset(s) for g, s in groups.items()}


def held_skills(kader: Kader) -> set[int]:
    return set(Certification.objects.valid().filter(kader=kader).values_list("skill_id", flat=True))


def level_recompute(*, kader: Kader, context: tuple[list[Rule], dict[int, frozenset[int]]] | None = None) -> KaderCompetency:
    """Store the kader's level computed from their valid certifications (saved only on change,
    so the history shows real level changes)."""
    rules, group_skills = context or current_rules()
    held = held_skills(kader)
    level = level_for(held, group_skills, rules)
    record, created = KaderCompetency.objects.get_or_create(kader=kader, defaults={"level": level,
                                                                                   "skill_count": len(held)})
    if not created and (record.level != level or record.skill_count != len(held)):
        record.level, record.skill_count = level, len(held)
        record.save(update_fields=["level", "skill_count", "updated_at"])
    return record


@transaction.atomic
def levels_recompute_all() -> int:
    """After a rule or catalogue change: recompute every kader that holds a certification or a
    stored level. Returns how many levels changed."""
    rules, group_skills = current_rules()
    held: dict[int, set[int]] = defaultdict(set)
    for kader_id, skill_id in Certification.objects.valid().values_list("kader_id", "skill_id"):
        held[kader_id].add(skill_id)
    records = {r.kader_id: r for r in KaderCompetency.objects.all()}
    changed = 0
    for kader_id in set(held) | set(records):
        level = level_for(held[kader_id], group_skills, rules)
        record = records.get(kader_id)
        if record is None:
            KaderCompetency.objects.create(kader_id=kader_id, level=level, skill_count=len(held[kader_id]))
            changed += 1
        elif record.level != level or record.skill_count != len(held[kader_id]):
            record.level, record.skill_count = level, len(held[kader_id])
            record.save(update_fields=["level", "skill_count", "updated_at"])
            changed += 1
    return changed


# --- Who may certify -------------------------------------------------------------------------
def can_certify(user: Any, kader: Kader) -> bool:
    """Certifications are recorded by officers with a written area (desa and above), never by a
    kader or pengurus for their own Posyandu: the assessment is the Puskesmas's, not self-declared."""
    scope = get_scope(user, CHANGE)
    if scope.everything:
        return True
    code = kader.posyandu.region_code
    return any(code == c or code.startswith(c + ".") for c in scope.region_codes)


def _require_certifier(user: Any, kader: Kader) -> None:
    if not is_in_scope(kader, user):
        raise PermissionDenied(OUT_OF_AREA)
    if not can_certify(user, kader):
        raise PermissionDenied("Sertifikasi dicatat oleh petugas desa/kelurahan ke atas, bukan oleh kader atau pengurus.")


def _check_assessment(certified_on: dt.date | None, assessed_by: str, training: Training | None) -> None:
    errors: dict[str, str] = {}
    if certified_on is None:
        errors["certified_on"] = "Isi tanggal kader dinyatakan cakap."
    elif certified_on > timezone.localdate():
        errors["certified_on"] = "Tanggal dinyatakan cakap tidak boleh di masa depan."
    elif training is not None and certified_on < training.start_date:
        errors["certified_on"] = "Tanggal dinyatakan cakap tidak boleh sebelum pelatihan dimulai."
    if not (assessed_by or "").strip():
        errors["assessed_by"] = "Isi penilai (mis. Puskesmas yang mendampingi penilaian)."
    if errors:
        raise ValidationError(errors)


# --- Certifications --------------------------------------------------------------------------
def certify(*, kader: Kader, skills: Iterable[Skill], certified_on: dt.date, assessed_by: str, acting_user: Any,
            training: Training | None = None, tkk_given: bool = False) -> list[Certification]:
    """Record the skills a kader was assessed competent in; skills already held are left as they
    are. Returns the new certifications."""
    _require_certifier(acting_user, kader)
    _check_assessment(certified_on, assessed_by, training)
    skills = list(skills)
    current = set(Skill.objects.current().filter(pk__in=[s.pk for s in skills]).values_list("pk", flat=True))
    stale = [s.code for s in skills if s.pk not in current]
    if stale:
        raise ValidationError({"skills": f"Keterampilan tidak berlaku lagi: {', '.join(stale)}."})
    with transaction.atomic():
        # One writer per kader at a time, so two sessions cannot both compute the level from a
        # half-written set of certifications (PostgreSQL row lock; SQLite serialises writes).
        Kader.objects.select_for_update().filter(pk=kader.pk).first()
        held = held_skills(kader)
        created = [
            Certification.objects.create(kader=kader, skill=skill, certified_on=certified_on,
                                         assessed_by=assessed_by.strip(), training=training, tkk_given=tkk_given,
                                         recorded_by=acting_user)
            for skill in skills if skill.pk not in held
        ]
        level_recompute(kader=kader)
    return created


def revoke(*, certification: Certification, reason: str, acting_user: Any, on: dt.date | None = None) -> Certification:
    """Withdraw a certification (wrongly entered, or the assessment was annulled); the level drops
    in the same transaction. The row stays, revoked, for the audit trail."""
    _require_certifier(acting_user, certification.kader)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Isi alasan pencabutan."})
    if certification.revoked:
        raise ValidationError("Sertifikasi ini sudah dicabut.")
    with transaction.atomic():
        Kader.objects.select_for_update().filter(pk=certification.kader_id).first()
        certification.revoked = True
        certification.revoked_on = on or timezone.localdate()
        certification.revoked_reason = reason.strip()
        certification.save(update_fields=["revoked", "revoked_on", "revoked_reason", "updated_at"])
        level_recompute(kader=certification.kader)
    return certification


# --- Trainings -------------------------------------------------------------------------------
def eligible_kader(training: Training, user: Any) -> Any:
    """Active kader a user may enrol in a training: in the user's writable area and under the
    training's area."""
    return (Kader.objects.for_user(user, CHANGE).filter(end_date__isnull=True)
            .filter(code_q("posyandu__region_code", training.region_code)))


def participants_add(*, training: Training, kaders: Sequence[Kader], acting_user: Any) -> list[TrainingParticipant]:
    require_change(training, acting_user, "Anda hanya dapat membaca pelatihan ini.")
    allowed = set(eligible_kader(training, acting_user).filter(pk__in=[k.pk for k in kaders]).values_list("pk", flat=True))
    outside = [str(k.person) for k in kaders if k.pk not in allowed]
    if outside:
        raise ValidationError(f"Kader berikut tidak dapat didaftarkan pada pelatihan ini: {', '.join(outside)}.")
    with transaction.atomic():
        existing = set(training.participants.values_list("kader_id", flat=True))
        return [TrainingParticipant.objects.create(training=training, kader=k) for k in kaders if k.pk not in existing]


def participant_record_result(*, participant: TrainingParticipant, attended: bool, result: str, acting_user: Any,
                              notes: str = "", skills: Iterable[Skill] = (), certified_on: dt.date | None = None,
                              assessed_by: str = "", tkk_given: bool = False) -> list[Certification]:
    """Record attendance and result; a pass certifies the assessed skills. Changing a pass into
    anything else revokes the certifications that came from this training."""
    training = participant.training
    require_change(training, acting_user, "Anda hanya dapat membaca pelatihan ini.")
    require_change(participant, acting_user, OUT_OF_AREA)
    if result == ParticipantResult.PASSED and not attended:
        raise ValidationError({"result": "Peserta yang tidak hadir tidak dapat dinyatakan lulus."})
    skills = list(skills)
    if result == ParticipantResult.PASSED and skills:
        _require_certifier(acting_user, participant.kader)
        _check_assessment(certified_on, assessed_by, training)
    with transaction.atomic():
        participant.attended, participant.result, participant.notes = attended, result, notes
        participant.save(update_fields=["attended", "result", "notes", "updated_at"])
        created: list[Certification] = []
        if result == ParticipantResult.PASSED and skills:
            created = certify(kader=participant.kader, skills=skills, certified_on=certified_on,  # type: ignore[arg-type]
                              assessed_by=assessed_by, acting_user=acting_user, training=training, tkk_given=tkk_given)
        elif result != ParticipantResult.PASSED:
            for cert in Certification.objects.filter(kader=participant.kader, training=training, revoked=False):
                revoke(certification=cert, reason="Hasil pelatihan diubah menjadi "
                       f"'{ParticipantResult(result).label}'.", acting_user=acting_user)
    return created
