"""Work programmes of a TP Posyandu per year and SPM field: what each OPD commits to, where, when,
with which money, and the monthly progress (physical and financial)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.regioncodes import within
from apps.core.scoping import ScopedManager

MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")
MONTH_CHOICES = [(i + 1, name) for i, name in enumerate(MONTH_NAMES)]
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


class FundingSource(models.TextChoices):
    APBD_PROVINSI = "apbd_provinsi", "APBD Provinsi"
    APBD_KABKOTA = "apbd_kabkota", "APBD Kabupaten/Kota"
    APBDES = "apbdes", "APBDes / Dana Desa"
    APBN = "apbn", "APBN"
    LAINNYA = "lainnya", "Sumber lain yang sah"


class TargetGroup(models.TextChoices):
    """Who a programme serves: a life-cycle group (ILP), households, or the Posyandu's own people."""

    SIKLUS_HIDUP = "siklus_hidup", "Seluruh siklus hidup"
    IBU_HAMIL = "ibu_hamil", "Ibu hamil, bersalin, nifas"
    BAYI_BALITA = "bayi_balita", "Bayi dan balita"
    USIA_SEKOLAH = "usia_sekolah", "Usia sekolah dan remaja"
    USIA_PRODUKTIF = "usia_produktif", "Usia produktif"
    LANSIA = "lansia", "Lanjut usia"
    RUMAH_TANGGA = "rumah_tangga", "Rumah tangga / keluarga"
    KADER = "kader", "Kader Posyandu"
    PENGURUS = "pengurus", "Pengurus Posyandu / TP Posyandu"
    MASYARAKAT = "masyarakat", "Masyarakat umum"
    LAINNYA = "lainnya", "Lainnya"


class ProgrammeStatus(models.TextChoices):
    RENCANA = "rencana", "Rencana"
    BERJALAN = "berjalan", "Berjalan"
    DITUNDA = "ditunda", "Ditunda"
    SELESAI = "selesai", "Selesai"
    BATAL = "batal", "Dibatalkan"


# Programmes still expected to move their indicators (the sync view and rakor agendas look at these).
ACTIVE_STATUSES = (ProgrammeStatus.RENCANA, ProgrammeStatus.BERJALAN, ProgrammeStatus.DITUNDA)

RUPIAH = {"max_digits": 16, "decimal_places": 0,
          "validators": [MinValueValidator(0, "Nilai rupiah tidak boleh negatif.")]}


def month_validators() -> list[Any]:
    return [MinValueValidator(1, "Bulan antara 1 (Januari) dan 12 (Desember)."),
            MaxValueValidator(12, "Bulan antara 1 (Januari) dan 12 (Desember).")]


class Programme(RegionOwnedModel):
    """A work programme of one TP Posyandu for one year and SPM field, owned by one OPD.

    Its area is the team's region: the row carries the team's region codes, so scoping and roll-ups
    read the programme itself."""

    team = models.ForeignKey("organisations.TimPembina", verbose_name="TP Posyandu", on_delete=models.PROTECT,
                             related_name="programmes")
    year = models.PositiveSmallIntegerField(
        "tahun", validators=[MinValueValidator(2020, "Tahun program tidak boleh sebelum 2020."),
                             MaxValueValidator(2100, "Tahun program tidak boleh setelah 2100.")])
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang SPM", on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey("organisations.Opd", verbose_name="OPD penanggung jawab", on_delete=models.PROTECT,
                            related_name="programmes")
    name = models.CharField("nama program", max_length=250)
    target_group = models.CharField("sasaran", max_length=20, choices=TargetGroup.choices,
                                    default=TargetGroup.SIKLUS_HIDUP)
    target_detail = models.CharField("rincian sasaran", max_length=250, blank=True,
                                     help_text="Mis. 120 balita gizi kurang di 5 kelurahan")
    output = models.CharField("keluaran (output)", max_length=300, blank=True)
    indicators = models.ManyToManyField("reports.Indicator", through="ProgrammeIndicator", blank=True,
                                        verbose_name="indikator", related_name="+")
    budget = models.DecimalField("anggaran (Rp)", default=0, **RUPIAH)
    funding_source = models.CharField("sumber dana", max_length=20, choices=FundingSource.choices)
    start_month = models.PositiveSmallIntegerField("bulan mulai", choices=MONTH_CHOICES, default=1,
                                                   validators=month_validators())
    end_month = models.PositiveSmallIntegerField("bulan selesai", choices=MONTH_CHOICES, default=12,
                                                 validators=month_validators())
    responsible_name = models.CharField("nama penanggung jawab", max_length=150)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="akun penanggung jawab",
                                         null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("status", max_length=10, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.RENCANA)
    documents = models.ManyToManyField("library.Document", verbose_name="dokumen panduan", blank=True,
                                       related_name="programmes")
    notes = models.TextField("catatan", blank=True)
    history = AuditHistory(m2m_fields=[documents])

    # A kabupaten's programmes concern every kecamatan and village under it: readable there, never
    # writable from below.
    scope_include_ancestors = True

    class Meta:
        verbose_name = "program kerja"
        verbose_name_plural = "program kerja"
        ordering = ["-year", "region_code", "field__order", "name"]
        indexes = [models.Index(fields=["year", "region_code"])]
        constraints = [models.CheckConstraint(condition=Q(start_month__lte=models.F("end_month")),
                                              name="programme_months_ordered")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The area is the team's, not a region of its own (RegionOwnedModel reads `region`).
        if self.team_id:
            self.set_region_code(self.team.region_code)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_month and self.end_month and self.start_month > self.end_month:
            errors["end_month"] = "Bulan selesai tidak boleh sebelum bulan mulai."
        if self.team_id and self.opd_id and not within(self.team.region_code, self.opd.region_code):
            errors["opd"] = "OPD penanggung jawab harus dari wilayah TP Posyandu ini atau wilayah di atasnya."
        if self.team_id and self.opd_id and not self.opd.is_active:
            errors["opd"] = "OPD ini tidak aktif."
        if errors:
            raise ValidationError(errors)

    @property
    def months(self) -> range:
        return range(self.start_month, self.end_month + 1)

    @property
    def schedule_text(self) -> str:
        if self.start_month == self.end_month:
            return MONTH_NAMES[self.start_month - 1]
        return f"{MONTH_NAMES[self.start_month - 1]}–{MONTH_NAMES[self.end_month - 1]}"


class Direction(models.TextChoices):
    NAIK = "naik", "Makin tinggi makin baik"
    TURUN = "turun", "Makin rendah makin baik"


@lru_cache(maxsize=1)
def default_directions() -> dict[str, str]:
    path = Path(__file__).resolve().parent / "data" / "indicator_directions.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))["directions"])


class ProgrammeIndicator(TimeStampedModel):
    """A reports indicator a programme means to move, with the value it aims for (in the indicator's
    unit: a percentage or a count over the team's area)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey("reports.Indicator", verbose_name="indikator", on_delete=models.PROTECT,
                                  related_name="+")
    target = models.DecimalField("target", max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(0, "Target tidak boleh negatif.")])
    direction = models.CharField("arah yang baik", max_length=5, choices=Direction.choices, blank=True,
                                 help_text="Kosongkan untuk memakai arah baku indikator ini.")
    history = AuditHistory()

    objects = ScopedManager()
    scope_code_field = "programme__region_code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = "indikator program"
        verbose_name_plural = "indikator program"
        ordering = ["programme", "indicator_id"]
        constraints = [models.UniqueConstraint(fields=["programme", "indicator"], name="programme_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.indicator} → {self.target}"

    def get_absolute_url(self) -> str:
        return self.programme.get_absolute_url()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.direction and self.indicator_id:
            self.direction = default_directions().get(self.indicator.code, "")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.indicator_id and self.target is not None and self.indicator.unit == "persen" and self.target > 100:
            raise ValidationError({"target": "Target indikator persen tidak boleh lebih dari 100."})


class Activity(TimeStampedModel):
    """One activity of a programme: where (villages of the programme's area), in which months of the
    programme's year, with which budget."""

    programme = models.ForeignKey(Programme, verbose_name="program", on_delete=models.CASCADE,
                                  related_name="activities")
    name = models.CharField("nama kegiatan", max_length=250)
    villages = models.ManyToManyField("regions.Region", verbose_name="desa/kelurahan", blank=True, related_name="+")
    # Month numbers (1-12) of the programme's year: a JSON list, read whole by the sync view.
    months = models.JSONField("bulan pelaksanaan", default=list, blank=True)
    budget = models.DecimalField("anggaran (Rp)", default=0, **RUPIAH)
    notes = models.TextField("catatan", blank=True)
    history = AuditHistory(m2m_fields=[villages])

    objects = ScopedManager()
    scope_code_field = "programme__region_code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = "kegiatan"
        verbose_name_plural = "kegiatan"
        ordering = ["programme", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.programme.get_absolute_url()

    def clean(self) -> None:
        months = self.months or []
        if not isinstance(months, list) or any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            raise ValidationError({"months": "Bulan pelaksanaan berupa daftar angka 1 sampai 12."})
        if self.programme_id:
            outside = [m for m in months if m not in self.programme.months]
            if outside:
                raise ValidationError({"months": (
                    f"Bulan {', '.join(MONTH_NAMES[m - 1] for m in sorted(outside))} di luar jadwal program "
                    f"({self.programme.schedule_text}).")})

    @property
    def months_text(self) -> str:
        return ", ".join(SHORT_MONTHS[m - 1] for m in sorted(self.months or [])) or "-"


def check_villages(programme: Programme, villages: list[Any]) -> None:
    """Villages of an activity lie in the programme's area (a form and the API both call this)."""
    wrong = [v for v in villages if v.level != 4 or not within(v.code, programme.region_code)]
    if wrong:
        names = ", ".join(v.name for v in wrong[:5])
        raise ValidationError(f"Desa/kelurahan di luar wilayah program: {names}.")


class ProgressReport(TimeStampedModel):
    """The state of a programme (or one of its activities) at the end of a month: cumulative physical
    progress in percent and cumulative financial realisation in rupiah."""

    programme = models.ForeignKey(Programme, verbose_name="program", on_delete=models.CASCADE,
                                  related_name="progress_reports")
    activity = models.ForeignKey(Activity, verbose_name="kegiatan", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="progress_reports",
                                 help_text="Kosongkan untuk laporan program secara keseluruhan.")
    month = models.DateField("bulan")  # first day of the month
    physical_progress = models.DecimalField(
        "kemajuan fisik (%)", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0, "Kemajuan fisik antara 0 dan 100 %%."),
                    MaxValueValidator(100, "Kemajuan fisik antara 0 dan 100 %%.")])
    financial_realisation = models.DecimalField("realisasi keuangan kumulatif (Rp)", default=0, **RUPIAH)
    over_budget_confirmed = models.BooleanField(
        "realisasi melebihi anggaran sudah diperiksa", default=False,
        help_text="Centang bila realisasi memang melebihi anggaran (mis. ada tambahan dana).")
    notes = models.TextField("catatan", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    history = AuditHistory()

    objects = ScopedManager()
    scope_code_field = "programme__region_code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = "laporan kemajuan"
        verbose_name_plural = "laporan kemajuan"
        ordering = ["programme", "month", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], condition=Q(activity__isnull=True),
                                    name="progress_programme_month_unique",
                                    violation_error_message="Laporan program untuk bulan ini sudah ada."),
            models.UniqueConstraint(fields=["activity", "month"], condition=Q(activity__isnull=False),
                                    name="progress_activity_month_unique",
                                    violation_error_message="Laporan kegiatan untuk bulan ini sudah ada."),
        ]

    def __str__(self) -> str:
        return f"{self.activity or self.programme} {self.month:%m/%Y}: {self.physical_progress} %"

    def get_absolute_url(self) -> str:
        return self.programme.get_absolute_url()

    @property
    def budget(self) -> Any:
        return self.activity.budget if self.activity_id else self.programme.budget

    @property
    def is_over_budget(self) -> bool:
        return self.financial_realisation is not None and self.financial_realisation > self.budget

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.month:
            self.month = self.month.replace(day=1)
        if self.activity_id and self.programme_id and self.activity.programme_id != self.programme_id:
            errors["activity"] = "Kegiatan ini bukan bagian dari program ini."
        if self.programme_id and self.month and self.month.year != self.programme.year:
            errors["month"] = f"Bulan laporan harus dalam tahun program ({self.programme.year})."
        if self.programme_id and not errors and self.is_over_budget and not self.over_budget_confirmed:
            errors["financial_realisation"] = (
                f"Realisasi Rp{self.financial_realisation:,.0f} melebihi anggaran Rp{self.budget:,.0f}. "
                "Periksa kembali, atau centang konfirmasi bila memang benar.").replace(",", ".")
        if errors:
            raise ValidationError(errors)
