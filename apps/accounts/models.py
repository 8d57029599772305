from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.core.history import AuditHistory


class Role(models.TextChoices):
    KADER = "kader", "Kader"
    PENGURUS = "pengurus", "Pengurus Posyandu"
    OPERATOR_DESA = "operator_desa", "Operator Desa/Kelurahan"
    KECAMATAN = "kecamatan", "Kecamatan / Puskesmas"
    KABKOTA = "kabkota", "TP Posyandu / OPD Kabupaten/Kota"
    PROVINSI = "provinsi", "TP Posyandu / OPD Provinsi"
    NASIONAL = "nasional", "Pemantau Nasional"
    ADMIN = "admin", "Admin Sistem"


# The level an assignment of each role must point at: "posyandu", a region level, or None for
# the whole country. Admins may hold any assignment.
ROLE_ASSIGNMENT_LEVEL: dict[str, object] = {
    Role.KADER: "posyandu",
    Role.PENGURUS: "posyandu",
    Role.OPERATOR_DESA: 4,
    Role.KECAMATAN: 3,
    Role.KABKOTA: 2,
    Role.PROVINSI: 1,
    Role.NASIONAL: None,
}


class User(AbstractUser):
    """A person who logs in. What they see is decided by their assignments, not their role."""

    full_name = models.CharField("nama lengkap", max_length=150, blank=True)
    role = models.CharField("peran", max_length=20, choices=Role.choices, default=Role.KADER)
    phone = models.CharField("nomor telepon", max_length=20, blank=True)
    opd = models.ForeignKey(
        "organisations.Opd", verbose_name="OPD", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="users",
    )

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Assignment(models.Model):
    """A grant of one area to a user: a region (and everything under it) or one Posyandu.

    No region and no Posyandu means the whole country (national viewer). `can_write` makes it
    read-write; otherwise the user may only read.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    region = models.ForeignKey(
        "regions.Region", verbose_name="wilayah", null=True, blank=True, on_delete=models.PROTECT
    )
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", verbose_name="Posyandu", null=True, blank=True, on_delete=models.CASCADE
    )
    can_write = models.BooleanField("boleh mengubah", default=False)
    # Import only (e-PPGBM files) without write access to the rest of the area: the Puskesmas
    # nutrition officer's grant. Write access includes it.
    can_import = models.BooleanField("boleh mengimpor data (e-PPGBM)", default=False)
    is_active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who granted or withdrew which area, and when: scope changes are the most sensitive edits.
    history = AuditHistory()

    class Meta:
        verbose_name = "penugasan"
        verbose_name_plural = "penugasan"
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(posyandu__isnull=True),
                name="assignment_region_or_posyandu",
            )
        ]

    def __str__(self) -> str:
        area = self.posyandu or self.region or "Seluruh Indonesia"
        return f"{self.user} → {area} ({'ubah' if self.can_write else 'baca'})"

    def clean(self) -> None:
        if self.region_id and self.posyandu_id:
            raise ValidationError("Pilih wilayah atau Posyandu, tidak keduanya.")
        expected = ROLE_ASSIGNMENT_LEVEL.get(self.user.role, "any") if self.user_id else "any"
        if expected == "any":
            return
        if expected == "posyandu" and not self.posyandu_id:
            raise ValidationError("Peran ini ditugaskan ke satu Posyandu.")
        if isinstance(expected, int) and (not self.region_id or self.region.level != expected):
            level_name = ("provinsi", "kabupaten/kota", "kecamatan", "desa/kelurahan")[expected - 1]
            raise ValidationError(f"Peran ini ditugaskan ke wilayah tingkat {level_name}.")
        if expected is None and (self.region_id or self.posyandu_id):
            raise ValidationError("Pemantau nasional ditugaskan ke seluruh Indonesia.")
