"""What the phones sent: one row per record of the offline hari buka, keyed by the UUID the phone
made when the kader saved it. A retry of the same UUID answers from this row instead of saving a
second visit or person (docs/offline.md)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.scoping import ScopedManager


class SyncKind(models.TextChoices):
    PERSON = "person", "Orang baru"
    VISIT = "visit", "Kunjungan"


class SyncStatus(models.TextChoices):
    ACCEPTED = "diterima", "Diterima"
    # Accepted, but a later change of the same visit (another phone, the online form) was kept.
    SUPERSEDED = "digantikan", "Diterima, versi lebih baru dipertahankan"
    REFUSED = "ditolak", "Ditolak"


class SyncRecord(models.Model):
    """One record a phone sent from the offline hari buka, with what the server made of it."""

    uuid = models.UUIDField("kode rekaman", unique=True)
    kind = models.CharField("jenis", max_length=6, choices=SyncKind.choices)
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("status", max_length=10, choices=SyncStatus.choices)
    # The visit or person the record became (blank while refused).
    object_id = models.PositiveBigIntegerField("id data", null=True, blank=True)
    message = models.TextField("pesan", blank=True)
    errors = models.JSONField("kesalahan per isian", default=dict, blank=True)
    # The server's answer, replayed verbatim to a retry (results computed on save).
    result = models.JSONField("hasil", default=dict, blank=True)
    # What the phone sent, kept as sent: a superseded edit stays readable here.
    payload = models.JSONField("data dari ponsel", default=dict)
    saved_at = models.DateTimeField("disimpan di ponsel", null=True, blank=True)
    received_at = models.DateTimeField("diterima server", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)
    attempts = models.PositiveSmallIntegerField("jumlah kiriman", default=1)

    objects = ScopedManager()
    scope_code_field = "posyandu__region_code"
    scope_posyandu_field = "posyandu"

    class Meta:
        verbose_name = "rekaman sinkron"
        verbose_name_plural = "rekaman sinkron"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"
