from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.core import regioncodes
from apps.core.scoping import ScopedQuerySet


class RegionQuerySet(ScopedQuerySet):
    def current(self) -> RegionQuerySet:
        return self.filter(valid_to__isnull=True)

    def by_code(self, code: str) -> Region | None:
        return self.current().filter(code=code).first()


class Level(models.IntegerChoices):
    PROVINSI = 1, "Provinsi"
    KABKOTA = 2, "Kabupaten/Kota"
    KECAMATAN = 3, "Kecamatan"
    DESA = 4, "Desa/Kelurahan"


class Kind(models.TextChoices):
    PROVINSI = "provinsi", "Provinsi"
    KABUPATEN = "kabupaten", "Kabupaten"
    KOTA = "kota", "Kota"
    KECAMATAN = "kecamatan", "Kecamatan"
    KELURAHAN = "kelurahan", "Kelurahan"
    DESA = "desa", "Desa"
    DESA_ADAT = "desa_adat", "Desa Adat"


class Region(models.Model):
    """A provinsi, kabupaten/kota, kecamatan or desa/kelurahan by its Kemendagri code.

    One row per code per period of validity: a later decree that renames or splits a region closes
    the old row (`valid_to`) and opens a new one, so history stays readable.
    """

    code = models.CharField("kode", max_length=13, db_index=True)
    parent_code = models.CharField("kode induk", max_length=13, blank=True, db_index=True)
    level = models.PositiveSmallIntegerField("tingkat", choices=Level.choices, db_index=True)
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    name = models.CharField("nama", max_length=150, db_index=True)
    decree = models.CharField("dasar hukum", max_length=120, blank=True)
    valid_from = models.DateField("berlaku sejak")
    valid_to = models.DateField("berlaku sampai", null=True, blank=True)

    objects = RegionQuerySet.as_manager()
    scope_code_field = "code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = "wilayah"
        verbose_name_plural = "wilayah"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="region_code_current_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def title(self) -> str:
        """The name as people say it: 'Kecamatan Gading Cempaka', 'Kelurahan Sawah Lebar'."""
        if self.level == Level.KABKOTA or self.level == Level.PROVINSI:
            return self.name  # the data already says 'Kabupaten …' / 'Kota …'
        return f"{self.get_kind_display()} {self.name}"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def ancestor_codes(self) -> list[str]:
        return regioncodes.ancestors_of(self.code)

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.level = regioncodes.level_of(self.code)
        self.kind = regioncodes.kind_of(self.code)
        self.parent_code = regioncodes.parent_of(self.code)
        super().save(*args, **kwargs)


