"""The access log of personal data shown in full (UU 27/2022): who saw or exported a person's full
NIK or a confidential reporter's identity, when, through what, and whose. Written by
apps.privacy.services.record_access where the full value leaves the server; masked views write
nothing. Kept `ACCESS_LOG_RETENTION_DAYS` (docs/operations.md)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AccessAction(models.TextChoices):
    VIEW = "lihat", "Dilihat"
    EXPORT = "ekspor", "Diekspor"


class AccessSubject(models.TextChoices):
    NIK = "nik", "NIK lengkap"
    REPORTER = "pelapor", "Identitas pelapor"


class AccessChannel(models.TextChoices):
    PAGE = "halaman", "Halaman"
    FORM = "formulir", "Formulir ubah"
    API = "api", "API"
    EXCEL = "excel", "Excel"
    ADMIN = "admin", "Admin"


class AccessLog(models.Model):
    """One person's full NIK, or one incident's reporter, shown to or exported by one user."""

    at = models.DateTimeField("waktu", default=timezone.now, db_index=True)
    # The account may be removed later; its name at the time stays.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pengguna", null=True,
                             on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("nama pengguna", max_length=150)
    action = models.CharField("tindakan", max_length=6, choices=AccessAction.choices)
    subject = models.CharField("data", max_length=7, choices=AccessSubject.choices)
    channel = models.CharField("melalui", max_length=8, choices=AccessChannel.choices)
    content_type = models.ForeignKey(ContentType, verbose_name="jenis", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField("id data")
    object_repr = models.CharField("data milik", max_length=200)
    path = models.CharField("alamat", max_length=300, blank=True)
    ip = models.GenericIPAddressField("alamat IP", null=True, blank=True)

    class Meta:
        verbose_name = "log akses data pribadi"
        verbose_name_plural = "log akses data pribadi"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display().lower()} {self.get_subject_display()} {self.object_repr}"
