"""Writes of the field registers that span apps: forwarding a case to an OPD as a tindak lanjut."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from apps.core.scoping import require_change
from apps.fieldregisters.models import CaseStatus, IncidentReport, RegisterCase
from apps.followups.models import FollowUp
from apps.followups.services import create_followup
from apps.organisations.models import Opd
from apps.spm.models import SpmField


def responsible_opds(case: RegisterCase) -> QuerySet:
    """Active OPD of the case's kab/kota (then its province) that carry the case's SPM field."""
    codes = [c for c in (case.regency_code, case.province_code) if c]
    return (Opd.objects.filter(region_code__in=codes, is_active=True, fields__code=case.spm_field_code)
            .distinct().order_by("-region_code", "name"))


def case_title(case: RegisterCase) -> str:
    subject = getattr(case, "person", None) or getattr(case, "household", None)
    kind = case.get_kind_display() if hasattr(case, "get_kind_display") else case._meta.verbose_name
    if isinstance(case, IncidentReport):
        return f"{kind} di {case.location} ({case.occurred_on:%d/%m/%Y})"[:250]
    if subject is None:
        return str(case)[:250]
    return f"{kind}: {subject} ({case.posyandu})"[:250]


@transaction.atomic
def forward_to_opd(case: RegisterCase, *, opd: Opd, acting_user: Any, title: str = "",
                   due_date: dt.date | None = None, description: str = "") -> FollowUp:
    """Turn a case into a tindak lanjut for the OPD and mark it proposed (diusulkan)."""
    require_change(case, acting_user, "Anda hanya dapat membaca data ini.")
    if case.is_closed:
        raise ValidationError("Data ini sudah ditutup; buka kembali statusnya sebelum meneruskan.")
    if not responsible_opds(case).filter(pk=opd.pk).exists():
        raise ValidationError({"opd": "OPD ini tidak menangani bidang ini di wilayah Posyandu."})
    if isinstance(case, IncidentReport) and not case.kades_approved_on:
        raise ValidationError("Laporan trantibum diteruskan ke OPD atau kepolisian hanya dengan persetujuan "
                              "Kepala Desa/Lurah: isi tanggal persetujuan lebih dulu.")
    open_followups = case.followups.filter(owner_opd=opd).exclude(status__in=("selesai", "ditolak", "batal"))
    if open_followups.exists():
        raise ValidationError({"opd": f"Data ini sudah diteruskan ke {opd} dan belum selesai."})
    followup = create_followup(
        region=case.region, title=title.strip() or case_title(case), acting_user=acting_user, due_date=due_date,
        owner_opd=opd, field=SpmField.objects.get(code=case.spm_field_code), source=case,
        description=description or case.notes)
    if case.status in (CaseStatus.RECORDED, CaseStatus.VERIFIED):
        case.status = CaseStatus.PROPOSED
        case._history_user = acting_user  # type: ignore[attr-defined]
        case.save(update_fields=["status", "closed_on", "updated_at"])
    return followup


def followups_of(cases: QuerySet) -> QuerySet:
    """Tindak lanjut of any of the cases (one query)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(cases.model)
    return FollowUp.objects.filter(Q(source_type=ct, source_id__in=cases.values("pk")))
