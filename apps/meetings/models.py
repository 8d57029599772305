"""Coordination meetings (rakor) of a TP Posyandu: who came for which OPD, the agenda (proposed from
the data), the minutes (notulen) and the decisions that become follow-ups (tindak lanjut)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.regioncodes import within
from apps.core.scoping import ScopedManager


class MeetingKind(models.TextChoices):
    RAKOR = "rakor", "Rapat koordinasi (rakor)"
    TEKNIS = "teknis", "Rapat teknis"
    EVALUASI = "evaluasi", "Rapat evaluasi"
    LAINNYA = "lainnya", "Lainnya"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "dijadwalkan", "Dijadwalkan"
    ONGOING = "berlangsung", "Berlangsung"
    DONE = "selesai", "Selesai"
    CANCELLED = "dibatalkan", "Dibatalkan"


class Meeting(RegionOwnedModel):
    """A meeting of one TP Posyandu; the team's region is the meeting's area (what its agenda and
    decisions are about, and who may read it)."""

    team = models.ForeignKey("organisations.TimPembina", verbose_name="TP Posyandu", on_delete=models.PROTECT,
                             related_name="meetings")
    # Copied from the team on save: follow-ups and scoping need the area as a Region.
    region = models.ForeignKey("regions.Region", verbose_name="wilayah", on_delete=models.PROTECT,
                               related_name="+", editable=False)
    title = models.CharField("judul", max_length=250)
    kind = models.CharField("jenis rapat", max_length=10, choices=MeetingKind.choices, default=MeetingKind.RAKOR)
    scheduled_at = models.DateTimeField("waktu")
    place = models.CharField("tempat", max_length=250, blank=True)
    status = models.CharField("status", max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    chair = models.CharField("pimpinan rapat", max_length=150, blank=True)
    secretary = models.CharField("notulis", max_length=150, blank=True)
    minutes = models.TextField("notulen", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    documents = models.ManyToManyField("library.Document", verbose_name="dokumen panduan", blank=True,
                                       related_name="meetings")
    history = AuditHistory(m2m_fields=[documents])

    class Meta:
        verbose_name = "rapat"
        verbose_name_plural = "rapat koordinasi"
        ordering = ["-scheduled_at", "-pk"]
        indexes = [models.Index(fields=["regency_code", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.team_id:
            self.region_id = self.team.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def area_code(self) -> str:
        return self.region_code or self.team.region_code


class MeetingChild(TimeStampedModel):
    """Rows of a meeting are read and written with their meeting (each subclass declares `meeting`)."""

    objects = ScopedManager()
    scope_code_field = "meeting__region_code"

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting_id])


class Participant(MeetingChild):
    """Someone invited to or present at a meeting, and the OPD they represent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField("nama", max_length=150)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="akun", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    opd = models.ForeignKey("organisations.Opd", verbose_name="OPD/instansi", null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    position = models.CharField("jabatan/peran", max_length=150, blank=True)
    invited = models.BooleanField("diundang", default=True)
    attended = models.BooleanField("hadir", default=False)
    history = AuditHistory()

    class Meta:
        verbose_name = "peserta rapat"
        verbose_name_plural = "peserta rapat"
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.opd_id and self.meeting_id and not within(self.meeting.region_code, self.opd.region_code):
            raise ValidationError({"opd": "OPD harus dari wilayah rapat ini atau di atasnya."})


class AgendaKind(models.TextChoices):
    INDICATOR = "indikator", "Indikator"
    FOLLOWUP = "tindak_lanjut", "Tindak lanjut"
    REFERRAL = "rujukan", "Rujukan"
    REPORT = "laporan", "Laporan bulanan"
    PROGRAMME = "program", "Program kerja"
    OTHER = "lainnya", "Lainnya"


class AgendaItem(MeetingChild):
    """One item of a meeting's agenda; items added from a data proposal keep the proposal's key
    (e.g. "indikator:DS:17.71") so the same proposal is not added twice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("urutan", default=0)
    title = models.CharField("judul", max_length=250)
    kind = models.CharField("jenis", max_length=15, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang SPM", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    source_key = models.CharField("sumber", max_length=120, blank=True, editable=False)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")
    notes = models.TextField("catatan pembahasan", blank=True)
    discussed = models.BooleanField("sudah dibahas", default=False)
    history = AuditHistory()

    class Meta:
        verbose_name = "acara rapat"
        verbose_name_plural = "acara rapat"
        ordering = ["meeting", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "source_key"], condition=~Q(source_key=""),
                                               name="agenda_item_source_unique")]

    def __str__(self) -> str:
        return self.title


class Decision(MeetingChild):
    """A decision (keputusan/kesepakatan) of a meeting; its actions are follow-ups whose source is
    this decision (apps.followups)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name="acara", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="decisions")
    text = models.TextField("keputusan")
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang SPM", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    history = AuditHistory()

    class Meta:
        verbose_name = "keputusan rapat"
        verbose_name_plural = "keputusan rapat"
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": "Acara ini bukan dari rapat yang sama."})
