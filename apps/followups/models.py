"""Tindak lanjut: an action someone must take, with an owner (OPD or person), a due date counted in
working days, a status, comments, evidence files, and escalation when it is overdue.

A follow-up comes from a register case of a non-health field (apps.fieldregisters), a rakor
decision (apps.meetings) or is typed in by hand; `source` points at whatever it came from.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.scoping import ScopedManager, ScopedQuerySet, owner_q


class FollowUpStatus(models.TextChoices):
    OPEN = "terbuka", "Terbuka"
    IN_PROGRESS = "diproses", "Sedang diproses"
    DONE = "selesai", "Selesai"
    NOT_ELIGIBLE = "ditolak", "Tidak memenuhi syarat"
    CANCELLED = "batal", "Dibatalkan"


CLOSED_STATUSES = (FollowUpStatus.DONE, FollowUpStatus.NOT_ELIGIBLE, FollowUpStatus.CANCELLED)


class FollowUpQuerySet(ScopedQuerySet):
    def open(self) -> FollowUpQuerySet:
        return self.exclude(status__in=CLOSED_STATUSES)

    def closed(self) -> FollowUpQuerySet:
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def owned_by(self, user: Any) -> FollowUpQuerySet:
        return self.filter(owner_q(self.model, user))

    def escalated(self) -> FollowUpQuerySet:
        return self.filter(escalation_level__gte=1)

    def escalated_to_level(self, level: int) -> FollowUpQuerySet:
        """Escalated rows that have reached region level `level` (1 provinsi … 4 desa): a village
        case escalated once reaches the kecamatan, twice the kab/kota."""
        return self.escalated().filter(region__level__lte=models.Value(level) + models.F("escalation_level"))


class FollowUpManager(models.Manager.from_queryset(FollowUpQuerySet)):  # type: ignore[misc]
    pass


class FollowUp(RegionOwnedModel):
    """A tindak lanjut: who must do what by when, in which area, and where it came from."""

    region = models.ForeignKey("regions.Region", verbose_name="wilayah", on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField("judul", max_length=250)
    description = models.TextField("uraian", blank=True)
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang SPM", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    source_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    owner_opd = models.ForeignKey("organisations.Opd", verbose_name="OPD penanggung jawab", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="followups")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pengguna penanggung jawab", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="followups")
    owner_name = models.CharField("penanggung jawab (nama)", max_length=200, blank=True)
    due_date = models.DateField("batas waktu")
    status = models.CharField("status", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN,
                              db_index=True)
    escalation_level = models.PositiveSmallIntegerField("tingkat eskalasi", default=0)
    escalated_at = models.DateTimeField("dieskalasi pada", null=True, blank=True)
    closed_at = models.DateTimeField("ditutup pada", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    history = AuditHistory()

    objects = FollowUpManager()
    # The owner (a user, or the user's OPD) reads it whatever their area: see scoping.owner_q.
    scope_owner_fields = ("owner_user", "owner_opd")

    class Meta:
        verbose_name = "tindak lanjut"
        verbose_name_plural = "tindak lanjut"
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="followup_status_due"),
                   models.Index(fields=["source_type", "source_id"], name="followup_source")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("followups:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return not self.is_closed and self.due_date < timezone.localdate()

    @property
    def owner_label(self) -> str:
        """Who answers for it, as a person reads it."""
        parts = [str(p) for p in (self.owner_opd, self.owner_user) if p]
        if self.owner_name:
            parts.append(self.owner_name)
        return " / ".join(parts) or "-"


class FollowUpChild(TimeStampedModel):
    """Rows under a follow-up share its scope."""

    objects = ScopedManager()
    scope_code_field = "followup__region_code"
    scope_owner_fields = ("followup__owner_user", "followup__owner_opd")

    class Meta:
        abstract = True


class FollowUpComment(FollowUpChild):
    """A comment (catatan) on a follow-up; status changes leave one too."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("catatan")
    history = AuditHistory()

    class Meta:
        verbose_name = "catatan tindak lanjut"
        verbose_name_plural = "catatan tindak lanjut"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return self.followup.get_absolute_url()


def evidence_path(instance: FollowUpEvidence, filename: str) -> str:
    # Files are served only through the scoped download view, never straight from MEDIA_URL.
    today = timezone.localdate()
    return f"followups/{today:%Y/%m}/{instance.followup_id}/{filename}"


class FollowUpEvidence(FollowUpChild):
    """A file that shows what was done (photo, letter, minutes)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("berkas", upload_to=evidence_path, max_length=255)
    description = models.CharField("keterangan", max_length=250, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = AuditHistory()

    class Meta:
        verbose_name = "bukti tindak lanjut"
        verbose_name_plural = "bukti tindak lanjut"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    def get_absolute_url(self) -> str:
        return reverse("followups:evidence", args=[self.pk])


class Holiday(models.Model):
    """A national holiday or cuti bersama: not a working day when counting the SLA."""

    date = models.DateField("tanggal", unique=True)
    name = models.CharField("nama", max_length=150)
    is_collective_leave = models.BooleanField("cuti bersama", default=False)
    source = models.CharField("sumber", max_length=250, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "hari libur"
        verbose_name_plural = "hari libur"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
