from __future__ import annotations

from django.db import models

from apps.core.scoping import ScopedManager


class Indicator(models.Model):
    """One indicator of the catalogue (data/indicators.json): what is counted, for which SPM
    field, on what legal basis, valid for which months."""

    code = models.CharField("kode", max_length=30)
    name = models.CharField("nama", max_length=200)
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang SPM", on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField("dasar", max_length=250, blank=True)
    numerator = models.CharField("pembilang", max_length=300)
    denominator = models.CharField("penyebut", max_length=300, blank=True)
    unit = models.CharField("satuan", max_length=10, choices=[("jumlah", "Jumlah"), ("persen", "Persen")])
    target = models.DecimalField("target", max_digits=6, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField("berlaku sejak")
    valid_to = models.DateField("berlaku sampai", null=True, blank=True)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="indicator_version_unique")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class MonthlyValue(models.Model):
    """A pre-aggregated count: indicator × sex × Posyandu × month, with the region codes denormalised
    so a roll-up to desa, kecamatan, kab/kota, provinsi or the nation is one GROUP BY.
    sex '' is the total; 'L' and 'P' are the disaggregation."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="monthly_values")
    period = models.DateField("bulan", db_index=True)  # first day of the month
    sex = models.CharField("jenis kelamin", max_length=1, blank=True)
    numerator = models.PositiveIntegerField("pembilang")
    denominator = models.PositiveIntegerField("penyebut", null=True)
    province_code = models.CharField(max_length=2, db_index=True)
    regency_code = models.CharField(max_length=5, db_index=True)
    district_code = models.CharField(max_length=8, db_index=True)
    village_code = models.CharField(max_length=13, db_index=True)
    computed_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_code_field = "village_code"
    scope_posyandu_field = "posyandu"

    class Meta:
        verbose_name = "nilai bulanan"
        verbose_name_plural = "nilai bulanan"
        constraints = [models.UniqueConstraint(fields=["indicator", "posyandu", "period", "sex"],
                                               name="monthly_value_unique")]
        indexes = [models.Index(fields=["period", "regency_code"]), models.Index(fields=["period", "district_code"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period:%Y-%m} {self.sex or 'total'}: {self.numerator}/{self.denominator}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Belum dikirim"
    SUBMITTED = "dikirim", "Dikirim Posyandu"
    DESA = "desa", "Disetujui desa/kelurahan"
    KECAMATAN = "kecamatan", "Disetujui kecamatan"
    KABKOTA = "kabkota", "Disetujui kabupaten/kota"
    PROVINSI = "provinsi", "Disetujui provinsi"


class MonthlyReport(models.Model):
    """A Posyandu's report for one month and where it stands in the approval chain. Once sent, the
    month's records are locked until a level above reopens it with a reason."""

    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="monthly_reports")
    period = models.DateField("bulan")
    status = models.CharField("status", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField("dikirim", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_code_field = "posyandu__region_code"
    scope_posyandu_field = "posyandu"

    class Meta:
        verbose_name = "laporan bulanan"
        verbose_name_plural = "laporan bulanan"
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["posyandu", "period"], name="monthly_report_unique")]

    def __str__(self) -> str:
        return f"Laporan {self.posyandu} {self.period:%m/%Y}"

    @property
    def is_locked(self) -> bool:
        return self.status != ReportStatus.DRAFT


class ReportEvent(models.Model):
    """Every step of a report (sent, approved, reopened) with who, when and why."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("tindakan", max_length=10)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    reason = models.TextField("alasan", blank=True)
    user = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"


class StaleMonth(models.Model):
    """A Posyandu month whose records changed since its values were computed (Zulip's fill-state
    marker turned around): saving a record upserts one row, and the background job recomputes
    and clears them. `marked_at` moves forward on every change, so a change made while the job
    runs is not cleared with the rows the job has read."""

    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="+")
    period = models.DateField("bulan")
    marked_at = models.DateTimeField("ditandai")

    class Meta:
        verbose_name = "bulan perlu dihitung ulang"
        verbose_name_plural = "bulan perlu dihitung ulang"
        constraints = [models.UniqueConstraint(fields=["posyandu", "period"], name="stale_month_unique")]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.period:%Y-%m}"


class AreaLevel(models.IntegerChoices):
    NASIONAL = 0, "Nasional"
    PROVINSI = 1, "Provinsi"
    KABKOTA = 2, "Kabupaten/Kota"
    KECAMATAN = 3, "Kecamatan"
    DESA = 4, "Desa/Kelurahan"


class RegionValue(models.Model):
    """A roll-up of MonthlyValue: indicator × sex × month for one region (desa, kecamatan, kab/kota,
    provinsi) or the nation (level 0, code ''), so a dashboard above a Posyandu reads a handful of
    rows whatever the size of its area. Kept by `rollups.refresh` in the transaction that replaces
    the Posyandu values: a desa is the sum of its Posyandu, every level above the sum of its
    children. `parent_code` names the area one level up (for the provinces: '')."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="region_values")
    period = models.DateField("bulan")
    sex = models.CharField("jenis kelamin", max_length=1, blank=True)
    level = models.PositiveSmallIntegerField("tingkat", choices=AreaLevel.choices)
    area_code = models.CharField("kode wilayah", max_length=13, blank=True)
    parent_code = models.CharField("kode wilayah induk", max_length=13, blank=True)
    numerator = models.PositiveBigIntegerField("pembilang")
    denominator = models.PositiveBigIntegerField("penyebut", null=True)
    computed_at = models.DateTimeField()

    objects = ScopedManager()
    # A region user reads the roll-ups of their area and below, never the level above (which
    # would mix in the areas beside theirs); the national rows (code '') need a national scope.
    scope_code_field = "area_code"

    class Meta:
        verbose_name = "nilai bulanan wilayah"
        verbose_name_plural = "nilai bulanan wilayah"
        constraints = [models.UniqueConstraint(fields=["area_code", "period", "indicator", "sex"],
                                               name="region_value_unique")]
        indexes = [models.Index(fields=["parent_code", "level", "period", "sex", "indicator"],
                                name="reports_rv_children_idx")]

    def __str__(self) -> str:
        return f"{self.area_code or 'ID'} {self.indicator_id} {self.period:%Y-%m} {self.sex or 'total'}"
