from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.scoping import ScopedManager

REGISTRATION_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$")
WEEKDAYS = [(0, "Senin"), (1, "Selasa"), (2, "Rabu"), (3, "Kamis"), (4, "Jumat"), (5, "Sabtu"), (6, "Minggu")]


class ScheduleKind(models.TextChoices):
    MONTHLY_DATE = "monthly_date", "Setiap bulan pada tanggal tertentu"
    MONTHLY_WEEKDAY = "monthly_weekday", "Setiap bulan pada minggu dan hari tertentu"
    OTHER = "other", "Lainnya (lihat keterangan)"


class Posyandu(RegionOwnedModel):
    """A Posyandu: a Lembaga Kemasyarakatan Desa/Kelurahan serving the six SPM fields in one
    desa/kelurahan (Permendagri 13/2024), set by a Keputusan Kepala Desa/Lurah."""

    village = models.ForeignKey(
        "regions.Region", verbose_name="desa/kelurahan", on_delete=models.PROTECT, related_name="posyandu"
    )
    name = models.CharField("nama Posyandu", max_length=150)
    registration_number = models.CharField(
        "nomor registrasi", max_length=17, blank=True,
        help_text="Kode desa + 3 angka urut, mis. 17.71.01.1001.001 (Kepmendagri 100.3-2834/2025).",
    )
    address = models.CharField("alamat", max_length=250, blank=True)
    dusun = models.CharField("dusun/lingkungan", max_length=100, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True)
    latitude = models.DecimalField("lintang", max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("-11.5")), MaxValueValidator(Decimal("6.5"))])
    longitude = models.DecimalField("bujur", max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("94.5")), MaxValueValidator(Decimal("141.5"))])
    founded_on = models.DateField("tanggal pembentukan", null=True, blank=True)
    sk_number = models.CharField("nomor SK pembentukan", max_length=100, blank=True)
    sk_date = models.DateField("tanggal SK", null=True, blank=True)
    is_active = models.BooleanField("aktif", default=True)
    # When it stopped: it still owes the reports of the months it was active (completeness counts
    # it up to this month). Blank on an inactive Posyandu: not known, counted in no month.
    closed_on = models.DateField("tanggal berhenti aktif", null=True, blank=True)
    schedule_kind = models.CharField("jadwal hari buka", max_length=20, choices=ScheduleKind.choices,
                                     default=ScheduleKind.MONTHLY_DATE)
    schedule_day = models.PositiveSmallIntegerField(
        "tanggal", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)])
    schedule_week = models.PositiveSmallIntegerField(
        "minggu ke-", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    schedule_weekday = models.PositiveSmallIntegerField("hari", null=True, blank=True, choices=WEEKDAYS)
    schedule_note = models.CharField("keterangan jadwal", max_length=200, blank=True)

    history = AuditHistory()
    region_field = "village"
    scope_posyandu_field = "pk"

    class Meta:
        verbose_name = "Posyandu"
        verbose_name_plural = "Posyandu"
        ordering = ["region_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"], condition=~Q(registration_number=""),
                name="posyandu_registration_unique",
                violation_error_message="Nomor registrasi ini sudah dipakai Posyandu lain.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posyandu:detail", args=[self.pk])

    @property
    def schedule_text(self) -> str:
        if self.schedule_kind == ScheduleKind.MONTHLY_DATE and self.schedule_day:
            return f"Setiap tanggal {self.schedule_day}"
        if self.schedule_kind == ScheduleKind.MONTHLY_WEEKDAY and self.schedule_week and self.schedule_weekday is not None:
            return f"{dict(WEEKDAYS)[self.schedule_weekday]} minggu ke-{self.schedule_week} setiap bulan"
        return self.schedule_note or "-"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.village_id and self.village.level != 4:
            errors["village"] = "Posyandu harus berada di desa/kelurahan."
        if self.registration_number:
            if not REGISTRATION_RE.match(self.registration_number):
                errors["registration_number"] = "Format nomor registrasi: kode desa + 3 angka, mis. 17.71.01.1001.001."
            elif self.village_id and not self.registration_number.startswith(self.village.code + "."):
                errors["registration_number"] = "Nomor registrasi harus diawali kode desa/kelurahan Posyandu ini."
        if self.schedule_kind == ScheduleKind.MONTHLY_DATE and not self.schedule_day:
            errors["schedule_day"] = "Isi tanggal hari buka."
        if self.schedule_kind == ScheduleKind.MONTHLY_WEEKDAY and (not self.schedule_week or self.schedule_weekday is None):
            errors["schedule_week"] = "Isi minggu ke- dan hari buka."
        if self.sk_date and self.founded_on and self.sk_date < self.founded_on:
            errors["sk_date"] = "Tanggal SK tidak boleh sebelum tanggal pembentukan."
        if self.closed_on and self.is_active:
            errors["closed_on"] = "Posyandu yang masih aktif tidak memiliki tanggal berhenti aktif."
        elif self.closed_on and self.founded_on and self.closed_on < self.founded_on:
            errors["closed_on"] = "Tanggal berhenti aktif tidak boleh sebelum tanggal pembentukan."
        if errors:
            raise ValidationError(errors)


class PosyanduChild(TimeStampedModel):
    """Rows that belong to one Posyandu and are scoped through it."""

    def get_absolute_url(self) -> str:
        return reverse("posyandu:detail", args=[self.posyandu_id])  # type: ignore[attr-defined]

    objects = ScopedManager()
    scope_code_field = "posyandu__region_code"
    scope_posyandu_field = "posyandu"

    class Meta:
        abstract = True


class PosLevel(models.TextChoices):
    DUSUN = "dusun", "Dusun/Lingkungan"
    RW = "rw", "RW"
    RT = "rt", "RT"
    BANJAR = "banjar", "Banjar"


class Pos(PosyanduChild):
    """A service point (Pos) of a Posyandu at dusun/RW/RT level, where hari buka happens."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="pos_units")
    name = models.CharField("nama Pos", max_length=150)
    level = models.CharField("tingkat", max_length=10, choices=PosLevel.choices, default=PosLevel.RW)
    dusun = models.CharField("dusun/lingkungan", max_length=100, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True)
    address = models.CharField("alamat", max_length=250, blank=True)
    is_active = models.BooleanField("aktif", default=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "Pos pelayanan"
        verbose_name_plural = "Pos pelayanan"
        ordering = ["posyandu", "name"]

    def __str__(self) -> str:
        return self.name


class PengurusPosition(models.TextChoices):
    KETUA = "ketua", "Ketua"
    SEKRETARIS = "sekretaris", "Sekretaris"
    BENDAHARA = "bendahara", "Bendahara"
    KETUA_BIDANG = "ketua_bidang", "Ketua Bidang"


class EndReason(models.TextChoices):
    END_OF_TERM = "akhir_masa", "Akhir masa bakti"
    RESIGNED = "mengundurkan_diri", "Mengundurkan diri"
    DIED = "meninggal", "Meninggal dunia"
    MOVED = "pindah", "Pindah domisili"
    HEALTH = "kesehatan", "Alasan kesehatan"
    INACTIVE = "tidak_aktif", "Tidak melaksanakan tugas 3 bulan"
    CONVICTED = "pidana", "Dijatuhi pidana"
    PARTY = "partai", "Menjadi pengurus partai politik"
    OTHER = "lainnya", "Lainnya"


class Pengurus(PosyanduChild):
    """A member of a Posyandu's pengurus: ketua, sekretaris, bendahara or ketua bidang of one SPM field."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="pengurus")
    person = models.ForeignKey("people.Person", verbose_name="orang", on_delete=models.PROTECT, related_name="+")
    position = models.CharField("jabatan", max_length=20, choices=PengurusPosition.choices)
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    sk_number = models.CharField("nomor SK", max_length=100, blank=True)
    sk_date = models.DateField("tanggal SK", null=True, blank=True)
    start_date = models.DateField("mulai")
    end_date = models.DateField("selesai", null=True, blank=True)
    end_reason = models.CharField("alasan berhenti", max_length=20, choices=EndReason.choices, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "pengurus"
        verbose_name_plural = "pengurus"
        ordering = ["posyandu", "position"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"

    def clean(self) -> None:
        if self.position == PengurusPosition.KETUA_BIDANG and not self.field_id:
            raise ValidationError({"field": "Ketua bidang harus memilih bidang SPM."})
        if self.position != PengurusPosition.KETUA_BIDANG and self.field_id:
            raise ValidationError({"field": "Bidang hanya diisi untuk ketua bidang."})
        _check_period(self)


class KaderRole(models.TextChoices):
    KADER = "kader", "Kader"
    KOORDINATOR = "koordinator", "Koordinator kader"


class Kader(PosyanduChild):
    """A kader serving one SPM field (bidang) at a Posyandu, for a period.

    Each kader serves exactly one bidang ("tidak diperkenankan merangkap tugas lintas bidang").
    """

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="kader")
    person = models.ForeignKey("people.Person", verbose_name="orang", on_delete=models.PROTECT,
                               related_name="kader_roles")
    role = models.CharField("peran", max_length=20, choices=KaderRole.choices, default=KaderRole.KADER)
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang", on_delete=models.PROTECT, related_name="+")
    pos = models.ForeignKey(Pos, verbose_name="Pos", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="kader")
    start_date = models.DateField("mulai")
    end_date = models.DateField("selesai", null=True, blank=True)
    end_reason = models.CharField("alasan berhenti", max_length=20, choices=EndReason.choices, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "kader"
        verbose_name_plural = "kader"
        ordering = ["posyandu", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} ({self.field})"

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    def clean(self) -> None:
        _check_period(self)
        if self.pos_id and self.posyandu_id and self.pos.posyandu_id != self.posyandu_id:
            raise ValidationError({"pos": "Pos harus milik Posyandu yang sama."})
        if self.person_id and self.end_date is None:
            others = Kader.objects.filter(person_id=self.person_id, end_date__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"person": "Orang ini masih aktif sebagai kader di bidang lain; "
                                                 "seorang kader hanya melayani satu bidang."})


def _check_period(obj: Pengurus | Kader) -> None:
    if obj.end_date and obj.start_date and obj.end_date < obj.start_date:
        raise ValidationError({"end_date": "Tanggal selesai tidak boleh sebelum tanggal mulai."})
    if obj.end_date and not obj.end_reason:
        raise ValidationError({"end_reason": "Isi alasan berhenti."})
