from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.core.ages import age_in_years
from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.scoping import ScopedManager
from apps.people.validators import mask_nik, validate_nik_format


class Sex(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class PersonStatus(models.TextChoices):
    ACTIVE = "aktif", "Aktif"
    MOVED = "pindah", "Pindah"
    DIED = "meninggal", "Meninggal"


class MaritalStatus(models.TextChoices):
    """BPS's categories of status perkawinan (Sensus Penduduk, Susenas)."""

    SINGLE = "belum_kawin", "Belum kawin"
    MARRIED = "kawin", "Kawin"
    DIVORCED = "cerai_hidup", "Cerai hidup"
    WIDOWED = "cerai_mati", "Cerai mati"


# BPS asks the status perkawinan of residents aged 10 and over; younger children have none to record.
MARITAL_MIN_AGE_YEARS = 10
MAX_CHILDREN = 30
_children_validators = [
    MinValueValidator(0, message="Jumlah anak tidak boleh negatif."),
    MaxValueValidator(MAX_CHILDREN, message=f"Jumlah anak paling banyak {MAX_CHILDREN}; periksa kembali."),
]


def marital_errors(*, marital_status: str, spouse_name: str, living_children: int | None,
                   deceased_children: int | None, birth_date: dt.date | None, on: dt.date) -> dict[str, str]:
    """Why the marital and children data of a person cannot be right ({field: Indonesian message}).

    One rule for the form, the admin and the API. A blank status means "not asked" and allows anything.
    """
    errors: dict[str, str] = {}
    if (spouse_name or "").strip() and marital_status == MaritalStatus.SINGLE:
        errors["spouse_name"] = "Nama suami/istri tidak diisi untuk orang yang belum kawin."
    age = age_in_years(birth_date, on)
    if age is not None and age < MARITAL_MIN_AGE_YEARS:
        if marital_status and marital_status != MaritalStatus.SINGLE:
            errors["marital_status"] = (f"Status kawin dicatat untuk umur {MARITAL_MIN_AGE_YEARS} tahun ke atas; "
                                        f"orang ini baru {age} tahun.")
        if (spouse_name or "").strip():
            errors.setdefault("spouse_name", f"Nama suami/istri tidak diisi untuk anak umur {age} tahun.")
        if living_children or deceased_children:
            errors["living_children"] = f"Jumlah anak tidak diisi untuk anak umur {age} tahun."
    return errors


class Household(RegionOwnedModel):
    """A household (keluarga) by its Kartu Keluarga, and the Posyandu that serves it."""

    kk_number = models.CharField("nomor KK", max_length=16, blank=True, validators=[validate_nik_format])
    head_name = models.CharField("nama kepala keluarga", max_length=150)
    address = models.CharField("alamat", max_length=250, blank=True)
    dusun = models.CharField("dusun/lingkungan", max_length=100, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name="desa/kelurahan", on_delete=models.PROTECT,
                               related_name="+")
    posyandu = models.ForeignKey("posyandu.Posyandu", verbose_name="Posyandu", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="households")
    history = AuditHistory()
    scope_posyandu_field = "posyandu"

    class Meta:
        verbose_name = "keluarga"
        verbose_name_plural = "keluarga"
        ordering = ["head_name"]
        constraints = [
            models.UniqueConstraint(fields=["kk_number"], condition=~Q(kk_number=""), name="household_kk_unique",
                                    violation_error_message="Nomor KK ini sudah terdaftar."),
        ]

    def __str__(self) -> str:
        return f"Keluarga {self.head_name}"

    def get_absolute_url(self) -> str:
        return reverse("people:household", args=[self.pk])

    @property
    def masked_kk(self) -> str:
        return mask_nik(self.kk_number)


class Person(RegionOwnedModel):
    """A resident or official known to the system: kader, pengurus, TP Posyandu member, and
    (with the service day) everyone a Posyandu serves. Health and identity data: handle with care.
    """

    name = models.CharField("nama", max_length=150)
    nik = models.CharField("NIK", max_length=16, blank=True, validators=[validate_nik_format])
    # What an import found where a NIK belongs but could not keep as one (10-15 digits, a number
    # Excel rounded, letters): the person is registered without a NIK and put on the "NIK perlu
    # diperbaiki" work list until a valid NIK is entered or comes in a later export.
    nik_as_imported = models.CharField("NIK dari berkas impor (tidak valid)", max_length=40, blank=True)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("tanggal lahir", null=True, blank=True)
    phone = models.CharField("nomor telepon", max_length=20, blank=True)
    address = models.CharField("alamat", max_length=250, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name="wilayah domisili", on_delete=models.PROTECT, related_name="+"
    )
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", verbose_name="Posyandu", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="people",
    )
    household = models.ForeignKey(Household, verbose_name="keluarga", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="members")
    mother = models.ForeignKey("self", verbose_name="ibu", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")
    disability = models.CharField("disabilitas", max_length=100, blank=True)
    # Unknown until recorded (a form answer or an import's KIA column): SKDN's K counts only Ya.
    has_kia_book = models.BooleanField("memiliki Buku KIA/KMS", null=True, blank=True, default=None)
    birth_weight_kg = models.DecimalField("berat lahir (kg)", max_digits=4, decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(Decimal("0.3")), MaxValueValidator(Decimal("7"))])
    birth_length_cm = models.DecimalField("panjang lahir (cm)", max_digits=4, decimal_places=1, null=True, blank=True,
                                          validators=[MinValueValidator(Decimal("20")), MaxValueValidator(Decimal("65"))])
    status = models.CharField("status", max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE)
    status_date = models.DateField("tanggal status", null=True, blank=True)
    # The adult card (KBP dewasa) and the WUS/PUS register (SIP Format 3). Blank: not asked.
    marital_status = models.CharField("status kawin", max_length=12, choices=MaritalStatus.choices, blank=True)
    spouse_name = models.CharField("nama suami/istri", max_length=150, blank=True)
    living_children = models.PositiveSmallIntegerField("jumlah anak hidup", null=True, blank=True,
                                                       validators=_children_validators)
    deceased_children = models.PositiveSmallIntegerField("jumlah anak meninggal", null=True, blank=True,
                                                         validators=_children_validators)
    history = AuditHistory()
    scope_posyandu_field = "posyandu"

    class Meta:
        verbose_name = "orang"
        verbose_name_plural = "orang"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=~Q(nik=""), name="person_nik_unique",
                                    violation_error_message="NIK ini sudah terdaftar untuk orang lain."),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    @property
    def nik_needs_fix(self) -> bool:
        return not self.nik and bool(self.nik_as_imported)

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)

    def clean(self) -> None:
        errors = marital_errors(marital_status=self.marital_status, spouse_name=self.spouse_name,
                                living_children=self.living_children, deceased_children=self.deceased_children,
                                birth_date=self.birth_date, on=timezone.localdate())
        if errors:
            raise ValidationError(errors)


class PregnancyOutcome(models.TextChoices):
    LIVE_BIRTH = "lahir_hidup", "Lahir hidup"
    STILLBIRTH = "lahir_mati", "Lahir mati"
    LOSS = "keguguran", "Keguguran"


class Pregnancy(TimeStampedModel):
    """A pregnancy episode (ibu hamil), from HPHT to birth or loss; nifas follows for 42 days."""

    person = models.ForeignKey(Person, verbose_name="ibu", on_delete=models.CASCADE, related_name="pregnancies")
    lmp_date = models.DateField("HPHT (hari pertama haid terakhir)", null=True, blank=True)
    due_date = models.DateField("taksiran persalinan")
    ended_on = models.DateField("tanggal berakhir", null=True, blank=True)
    outcome = models.CharField("hasil", max_length=12, choices=PregnancyOutcome.choices, blank=True)
    history = AuditHistory()

    objects = ScopedManager()
    scope_code_field = "person__region_code"
    scope_posyandu_field = "person__posyandu"
    NIFAS_DAYS = 42

    class Meta:
        verbose_name = "kehamilan"
        verbose_name_plural = "kehamilan"
        ordering = ["-due_date"]

    def __str__(self) -> str:
        return f"Kehamilan {self.person} (HPL {self.due_date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.lmp_date and not self.due_date:
            self.due_date = self.lmp_date + dt.timedelta(days=280)  # Naegele: HPHT + 280 days
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.ended_on and not self.outcome:
            raise ValidationError({"outcome": "Isi hasil kehamilan yang berakhir."})
        if self.lmp_date and self.ended_on and self.ended_on < self.lmp_date:
            raise ValidationError({"ended_on": "Tanggal berakhir tidak boleh sebelum HPHT."})

    def gestational_weeks(self, on: dt.date) -> int | None:
        start = self.lmp_date or (self.due_date - dt.timedelta(days=280))
        return (on - start).days // 7 if on >= start else None

    def stage_on(self, on: dt.date) -> str | None:
        """ibu_hamil while pregnant, ibu_nifas for 42 days after a birth, else None."""
        start = self.lmp_date or (self.due_date - dt.timedelta(days=280))
        if on < start:
            return None
        if self.ended_on is None or on < self.ended_on:
            return "ibu_hamil"
        if self.outcome != PregnancyOutcome.LOSS and on <= self.ended_on + dt.timedelta(days=self.NIFAS_DAYS):
            return "ibu_nifas"
        return None
