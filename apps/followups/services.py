"""Writes on follow-ups: keyword-only, atomic, with the acting user (history records who did it).

The public interface is fixed by the contract shared with apps.meetings and apps.fieldregisters.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.scoping import CHANGE, is_in_scope
from apps.core.uploads import check_upload, types
from apps.followups import sla
from apps.followups.models import (
    CLOSED_STATUSES,
    FollowUp,
    FollowUpComment,
    FollowUpEvidence,
    FollowUpStatus,
)

# Allowed evidence: documents and photos (their bytes are checked too, apps.core.uploads).
EVIDENCE_TYPES = types("pdf", "jpg", "jpeg", "png", "webp", "docx", "xlsx", "odt", "ods")


def evidence_max_bytes() -> int:
    return int(getattr(settings, "FOLLOWUP_EVIDENCE_MAX_MB", 5)) * 1024 * 1024


def validate_evidence_file(file: Any) -> None:
    """Refuse files that are empty, too large, or not a document/photo (Indonesian messages)."""
    if file is None:
        raise ValidationError({"file": "Pilih berkas bukti."})
    try:
        check_upload(file, accepted=EVIDENCE_TYPES, max_bytes=evidence_max_bytes())
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def can_act(user: Any, followup: FollowUp) -> bool:
    """May change the status, comment or upload evidence: write scope on its region, or it is owned
    by the user or the user's OPD (an OPD with a read-only area still answers its own follow-ups)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if followup.owner_user_id and followup.owner_user_id == user.pk:
        return True
    if followup.owner_opd_id and followup.owner_opd_id == getattr(user, "opd_id", None):
        return True
    return is_in_scope(followup, user, CHANGE)


def _require_act(user: Any, followup: FollowUp) -> None:
    if not can_act(user, followup):
        raise PermissionDenied("Anda tidak dapat menindaklanjuti data ini.")


def default_due_date(*, start: dt.date | None = None, field_code: str | None = None) -> dt.date:
    start = start or timezone.localdate()
    return sla.add_working_days(start, sla.sla_working_days(field_code, on=start))


@transaction.atomic
def create_followup(*, region: Any, title: str, acting_user: Any, due_date: dt.date | None = None,
                    owner_opd: Any = None, owner_user: Any = None, owner_name: str = "", field: Any = None,
                    source: Any = None, description: str = "") -> FollowUp:
    """A new follow-up; without a due date it gets today + the SLA in working days.

    The caller checks the acting user may create it (a register case they may change, a rakor
    they may change); the owner may be anyone in or above the region (an OPD of the kab/kota).
    """
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Judul tindak lanjut wajib diisi."})
    if owner_opd is None and owner_user is None and not owner_name.strip():
        raise ValidationError({"owner_opd": "Pilih OPD, pengguna, atau tulis nama penanggung jawab."})
    if owner_opd is not None and not region.code.startswith(owner_opd.region_code):
        raise ValidationError({"owner_opd": "OPD harus dari wilayah tindak lanjut ini atau di atasnya."})
    if due_date is None:
        due_date = default_due_date(field_code=getattr(field, "code", None))
    followup = FollowUp(region=region, title=title[:250], description=description, field=field,
                        owner_opd=owner_opd, owner_user=owner_user, owner_name=owner_name.strip()[:200],
                        due_date=due_date, created_by=acting_user)
    if source is not None:
        followup.source_type = ContentType.objects.get_for_model(source)
        followup.source_id = source.pk
    followup._history_user = acting_user  # type: ignore[attr-defined]
    followup.save()
    return followup


@transaction.atomic
def set_status(followup: FollowUp, status: str, *, acting_user: Any, comment: str = "") -> FollowUp:
    """Change the status (closing stamps closed_at, reopening clears it) and log a comment."""
    _require_act(acting_user, followup)
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": "Status tidak dikenal."})
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    old = followup.status
    if status in (FollowUpStatus.NOT_ELIGIBLE, FollowUpStatus.CANCELLED) and not comment.strip():
        raise ValidationError({"comment": "Tuliskan alasan menolak atau membatalkan tindak lanjut."})
    followup.status = status
    if status in CLOSED_STATUSES:
        followup.closed_at = followup.closed_at if old in CLOSED_STATUSES else timezone.now()
    else:
        followup.closed_at = None
    followup._history_user = acting_user  # type: ignore[attr-defined]
    followup.save()
    if old != status or comment.strip():
        label = FollowUpStatus(status).label
        text = f"Status: {FollowUpStatus(old).label} → {label}." if old != status else ""
        if comment.strip():
            text = f"{text} {comment.strip()}".strip()
        FollowUpComment.objects.create(followup=followup, author=acting_user, text=text)
    return followup


@transaction.atomic
def add_comment(followup: FollowUp, text: str, *, acting_user: Any) -> FollowUpComment:
    _require_act(acting_user, followup)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Catatan tidak boleh kosong."})
    comment = FollowUpComment(followup=followup, author=acting_user, text=text)
    comment._history_user = acting_user  # type: ignore[attr-defined]
    comment.save()
    return comment


@transaction.atomic
def add_evidence(followup: FollowUp, file: Any, *, acting_user: Any, description: str = "") -> FollowUpEvidence:
    _require_act(acting_user, followup)
    validate_evidence_file(file)
    evidence = FollowUpEvidence(followup=followup, file=file, description=(description or "").strip()[:250],
                                uploaded_by=acting_user)
    evidence._history_user = acting_user  # type: ignore[attr-defined]
    evidence.save()
    return evidence


def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Raise the escalation level of open overdue follow-ups, once per SLA period overdue, and
    stamp escalated_at; never lowers a level. Returns how many rows were raised. Idempotent."""
    today = today or timezone.localdate()
    raised = 0
    candidates = list(FollowUp.objects.overdue(today).select_related("field").order_by("due_date", "pk"))
    if not candidates:
        return 0
    holidays = sla.holidays_between(min(f.due_date for f in candidates), today)
    now = timezone.now()
    with transaction.atomic():
        for followup in candidates:
            days = sla.sla_working_days(getattr(followup.field, "code", None), on=followup.due_date)
            level = sla.escalation_level_for(followup.due_date, today, days, holidays)
            if level > followup.escalation_level:
                followup.escalation_level = level
                followup.escalated_at = now
                followup._change_reason = "Eskalasi otomatis: melewati batas waktu"  # type: ignore[attr-defined]
                followup.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
                raised += 1
    return raised
