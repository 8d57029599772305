from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.regioncodes import within
from apps.core.scoping import ScopedManager


class Opd(RegionOwnedModel):
    """An organisasi perangkat daerah at provinsi or kab/kota and the SPM field(s) it answers for.

    Names differ by region (Dinas PUPR, Dinas Perkim, BPBD, …), so each region keeps its own list.
    """

    region = models.ForeignKey("regions.Region", verbose_name="wilayah", on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField("nama OPD", max_length=200)
    short_name = models.CharField("singkatan", max_length=50, blank=True)
    fields = models.ManyToManyField("spm.SpmField", verbose_name="bidang SPM", blank=True, related_name="opds")
    address = models.CharField("alamat", max_length=250, blank=True)
    phone = models.CharField("telepon", max_length=30, blank=True)
    is_active = models.BooleanField("aktif", default=True)
    history = AuditHistory(m2m_fields=[fields])
    # An OPD of a kab/kota serves every village under it: users below see it (to route cases).
    scope_include_ancestors = True

    class Meta:
        verbose_name = "OPD"
        verbose_name_plural = "OPD"
        ordering = ["region_code", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="opd_region_name_unique")]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:opd_detail", args=[self.pk])

    def clean(self) -> None:
        if self.region_id and self.region.level not in (1, 2):
            raise ValidationError({"region": "OPD berada di tingkat provinsi atau kabupaten/kota."})


class TimPembina(RegionOwnedModel):
    """A Tim Pembina Posyandu (TP Posyandu) at provinsi, kab/kota, kecamatan or desa/kelurahan level,
    set by the head at that level; its term follows the head's."""

    region = models.ForeignKey("regions.Region", verbose_name="wilayah", on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField("nama", max_length=200)
    sk_number = models.CharField("nomor SK", max_length=100, blank=True)
    sk_date = models.DateField("tanggal SK", null=True, blank=True)
    term_start = models.DateField("awal masa bakti", null=True, blank=True)
    term_end = models.DateField("akhir masa bakti", null=True, blank=True)
    is_active = models.BooleanField("aktif", default=True)
    history = AuditHistory()
    scope_include_ancestors = True

    class Meta:
        verbose_name = "TP Posyandu"
        verbose_name_plural = "TP Posyandu"
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:team_detail", args=[self.pk])

    def clean(self) -> None:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise ValidationError({"term_end": "Akhir masa bakti tidak boleh sebelum awal."})


class MemberPosition(models.TextChoices):
    KETUA = "ketua", "Ketua"
    WAKIL_KETUA = "wakil_ketua", "Wakil Ketua"
    SEKRETARIS = "sekretaris", "Sekretaris"
    BENDAHARA = "bendahara", "Bendahara"
    KETUA_BIDANG = "ketua_bidang", "Ketua Bidang"
    ANGGOTA = "anggota", "Anggota"


class TimPembinaMember(TimeStampedModel):
    """A member of a TP Posyandu: the person, their position, the OPD they represent and their field."""

    team = models.ForeignKey(TimPembina, verbose_name="TP Posyandu", on_delete=models.CASCADE,
                             related_name="members")
    person = models.ForeignKey("people.Person", verbose_name="orang", on_delete=models.PROTECT, related_name="+")
    position = models.CharField("jabatan", max_length=20, choices=MemberPosition.choices)
    title = models.CharField("jabatan lengkap", max_length=200, blank=True,
                             help_text="Mis. Sekretaris II (Kepala DPMD)")
    opd = models.ForeignKey(Opd, verbose_name="OPD", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="tp_members")
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    sk_number = models.CharField("nomor SK", max_length=100, blank=True)
    start_date = models.DateField("mulai", null=True, blank=True)
    end_date = models.DateField("selesai", null=True, blank=True)
    history = AuditHistory()

    objects = ScopedManager()
    scope_code_field = "team__region_code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = "anggota TP Posyandu"
        verbose_name_plural = "anggota TP Posyandu"
        ordering = ["team", "position"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_position_display()})"

    def get_absolute_url(self) -> str:
        return reverse("organisations:team_detail", args=[self.team_id])

    def clean(self) -> None:
        if self.position == MemberPosition.KETUA_BIDANG and not self.field_id:
            raise ValidationError({"field": "Ketua bidang harus memilih bidang SPM."})
        if self.opd_id and self.team_id and not within(self.team.region_code, self.opd.region_code):
            raise ValidationError({"opd": "OPD harus dari wilayah TP Posyandu ini atau di atasnya."})
