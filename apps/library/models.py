"""The guidance library: regulations, decisions, circulars, technical guides and handbooks (buku
saku) that TP Posyandu, OPD and kader work from."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel
from apps.core.scoping import VIEW
from apps.core.uploads import check_upload, types

# Large scanned handbooks exceed a few MB; the limit is a setting so an operator can raise it.
DEFAULT_MAX_UPLOAD_MB = 20


def max_upload_bytes() -> int:
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)) * 1024 * 1024


def validate_pdf(upload: object) -> None:
    """Only PDF files of a bounded size: checked on the bytes, not only the name."""
    check_upload(upload, accepted=types("pdf"), max_bytes=max_upload_bytes())


class DocumentKind(models.TextChoices):
    PERATURAN = "peraturan", "Peraturan"
    KEPUTUSAN = "keputusan", "Keputusan"
    SURAT_EDARAN = "surat_edaran", "Surat edaran"
    JUKNIS = "juknis", "Petunjuk teknis (juknis)"
    BUKU_SAKU = "buku_saku", "Buku saku / pedoman"
    LAINNYA = "lainnya", "Lainnya"


class Document(RegionOwnedModel):
    """One guidance document. With no region it is national (a Permendagri, a Kemenkes handbook) and
    readable by every assigned user; with a region it is that region's own (a Perbup, an SE Bupati)."""

    title = models.CharField("judul", max_length=300)
    issuer = models.CharField("penerbit", max_length=150, help_text="Mis. Kemendagri, Kemenkes, Bupati/Wali Kota")
    number = models.CharField("nomor", max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(
        "tahun", validators=[MinValueValidator(1945, "Tahun tidak boleh sebelum 1945."),
                             MaxValueValidator(2100, "Tahun tidak boleh setelah 2100.")])
    kind = models.CharField("jenis", max_length=20, choices=DocumentKind.choices, default=DocumentKind.PERATURAN)
    fields = models.ManyToManyField("spm.SpmField", verbose_name="bidang SPM", blank=True, related_name="+")
    description = models.TextField("ringkasan", blank=True)
    file = models.FileField(
        "berkas PDF", upload_to="pustaka/%Y/", max_length=200,
        validators=[FileExtensionValidator(["pdf"], "Hanya berkas PDF (.pdf) yang dapat diunggah."), validate_pdf])
    region = models.ForeignKey("regions.Region", verbose_name="wilayah", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    history = AuditHistory(m2m_fields=[fields])

    # National documents (no region) are read by everyone assigned; written only with a national scope.
    scope_include_national = True
    # A region's documents are read below it too (a kecamatan follows its Perbup), never written.
    scope_include_ancestors = True
    # Linking a document (from a programme or a meeting) needs only to read it.
    scope_choice_action = VIEW

    class Meta:
        verbose_name = "dokumen pustaka"
        verbose_name_plural = "dokumen pustaka"
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        number = f" {self.number}" if self.number else ""
        return f"{self.get_kind_display()}{number} ({self.year}): {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("library:detail", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("library:download", args=[self.pk])

    @property
    def is_national(self) -> bool:
        return not self.region_code

    def save(self, *args: object, **kwargs: object) -> None:
        if self.region_id is None:  # clearing the region makes the document national again
            self.set_region_code("")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
