"""A whole Puskesmas's e-PPGBM export brought in with one upload.

`ImportRun` keeps the uploaded file, the proposed and confirmed mapping of the file's (desa,
Posyandu) names to registered Posyandu, and what the import did (summary, every error and warning,
the reconciliation with e-PPGBM's own counts). `PosyanduAlias` remembers a confirmed mapping so the
next month's export maps itself.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.history import AuditHistory


class PosyanduAlias(models.Model):
    """How an e-PPGBM export names a registered Posyandu: the file's kab/kota, kecamatan, desa and
    Posyandu texts (normalised into `source_key`) -> the Posyandu a user confirmed."""

    source_key = models.CharField("kunci nama di berkas", max_length=400, unique=True)
    source_village = models.CharField("desa/kelurahan di berkas", max_length=150)
    source_posyandu = models.CharField("Posyandu di berkas", max_length=150)
    posyandu = models.ForeignKey("posyandu.Posyandu", verbose_name="Posyandu", on_delete=models.CASCADE,
                                 related_name="import_aliases")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="dikonfirmasi oleh", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField("dikonfirmasi", auto_now=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "nama Posyandu di e-PPGBM"
        verbose_name_plural = "nama Posyandu di e-PPGBM"

    def __str__(self) -> str:
        return f"{self.source_village} / {self.source_posyandu} → {self.posyandu}"


class RunStatus(models.TextChoices):
    MAPPING = "mapping", "Menunggu konfirmasi Posyandu"
    REFUSED = "refused", "Ditolak (ada kesalahan)"
    CHECKED = "checked", "Uji coba berhasil"
    DONE = "done", "Selesai"


class ImportRun(models.Model):
    """One uploaded export, from mapping to result. Visible to its uploader only (and the admin):
    the file holds names, NIKs and measurements of a whole Puskesmas."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pengunggah", on_delete=models.CASCADE,
                             related_name="import_runs")
    created_at = models.DateTimeField("diunggah", auto_now_add=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    filename = models.CharField("nama berkas", max_length=200)
    file = models.FileField("berkas", upload_to="imports/%Y/%m/")
    status = models.CharField("status", max_length=10, choices=RunStatus.choices, default=RunStatus.MAPPING)
    rows = models.PositiveIntegerField("baris", default=0)
    groups = models.JSONField("kelompok Posyandu di berkas", default=list)
    mapping = models.JSONField("pemetaan yang dikonfirmasi", default=dict)  # group key -> Posyandu id or "skip"
    summary = models.JSONField("ringkasan", default=list)
    errors = models.JSONField("kesalahan", default=list)  # [row, message]
    warnings = models.JSONField("peringatan", default=list)
    duplicates = models.JSONField("kemungkinan data ganda", default=list)
    reconciliation = models.JSONField("rekonsiliasi dengan e-PPGBM", default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "impor e-PPGBM"
        verbose_name_plural = "impor e-PPGBM"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
