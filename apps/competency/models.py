"""Kader development: the Kemenkes basic-skills catalogue, trainings, certifications and levels.

The catalogue (`SkillGroup`, `Skill`) and the level rules (`LevelRule`) are reference data loaded
from `data/*.json`; trainings belong to a region; a kader's certifications and level follow the
kader's Posyandu for scoping.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel, TimeStampedModel
from apps.core.scoping import ScopedManager, ScopedQuerySet


class SkillGroup(models.Model):
    """One of the five groups of the Kemenkes basic kader skills (pengelolaan Posyandu, bayi dan
    balita, ibu hamil dan menyusui, usia sekolah dan remaja, usia produktif dan lansia)."""

    code = models.SlugField("kode", max_length=40, unique=True)
    name = models.CharField("nama", max_length=100)
    order = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        verbose_name = "kelompok keterampilan"
        verbose_name_plural = "kelompok keterampilan"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class SkillQuerySet(models.QuerySet):
    def current(self, on: dt.date | None = None) -> SkillQuerySet:
        """Skills in force on a date (today by default): a revised catalogue closes old rows."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class Skill(models.Model):
    """A basic kader skill of the Kemenkes curriculum (Kurikulum Pelatihan Keterampilan Dasar Kader
    Posyandu, 2024). Reference data: one row per (code, valid_from), synced from data/skills.json."""

    code = models.CharField("kode", max_length=10)
    name = models.CharField("keterampilan", max_length=200)
    group = models.ForeignKey(SkillGroup, verbose_name="kelompok", on_delete=models.PROTECT, related_name="skills")
    order = models.PositiveSmallIntegerField("urutan", default=0)
    valid_from = models.DateField("berlaku sejak")
    valid_to = models.DateField("berlaku sampai", null=True, blank=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        verbose_name = "keterampilan dasar kader"
        verbose_name_plural = "keterampilan dasar kader"
        ordering = ["group__order", "order"]
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="competency_skill_version_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KaderLevel(models.TextChoices):
    NONE = "belum", "Belum bersertifikat"
    PURWA = "purwa", "Purwa"
    MADYA = "madya", "Madya"
    UTAMA = "utama", "Utama"


LEVEL_RANK = {KaderLevel.NONE: 0, KaderLevel.PURWA: 1, KaderLevel.MADYA: 2, KaderLevel.UTAMA: 3}


class LevelRule(models.Model):
    """The rule to reach one kader level (Tanda Kecakapan Kader). The national rules are not
    published in a form we hold, so each is data a region may change: every current skill of the
    `required_groups`, and at least `min_skills` current skills in all. Levels are cumulative by rank."""

    level = models.CharField("tingkat", max_length=10, unique=True,
                             choices=[c for c in KaderLevel.choices if c[0] != KaderLevel.NONE])
    rank = models.PositiveSmallIntegerField(
        "urutan", unique=True,
        help_text="Tingkat dicapai jika aturan ini dan semua aturan urutan di bawahnya terpenuhi.")
    required_groups = models.ManyToManyField(SkillGroup, verbose_name="seluruh keterampilan kelompok", blank=True,
                                             related_name="+")
    min_skills = models.PositiveSmallIntegerField("jumlah keterampilan minimal", default=0,
                                                  help_text="0 berarti tanpa batas minimal.")
    description = models.CharField("keterangan", max_length=300, blank=True)
    history = AuditHistory(m2m_fields=[required_groups])

    class Meta:
        verbose_name = "aturan tingkat kader"
        verbose_name_plural = "aturan tingkat kader"
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.get_level_display()


class KaderCompetency(TimeStampedModel):
    """A kader's computed level and certified-skill count, denormalised for fast lists and
    recomputed in the same transaction as every certification change."""

    kader = models.OneToOneField("posyandu.Kader", on_delete=models.CASCADE, related_name="competency")
    level = models.CharField("tingkat", max_length=10, choices=KaderLevel.choices, default=KaderLevel.NONE,
                             db_index=True)
    skill_count = models.PositiveSmallIntegerField("jumlah keterampilan bersertifikat", default=0)
    history = AuditHistory()

    objects = ScopedManager()
    scope_code_field = "kader__posyandu__region_code"
    scope_posyandu_field = "kader__posyandu"

    class Meta:
        verbose_name = "tingkat kader"
        verbose_name_plural = "tingkat kader"

    def __str__(self) -> str:
        return f"{self.kader}: {self.get_level_display()}"


class TrainingMode(models.TextChoices):
    IN_PERSON = "tatap_muka", "Tatap muka"
    ONLINE = "daring", "Daring (Plataran Sehat)"
    BLENDED = "campuran", "Campuran (daring dan tatap muka)"


class Training(RegionOwnedModel):
    """A kader training event (pelatihan keterampilan dasar kader) held for one area, with the
    skills of its curriculum. Trainings of the province or kab/kota above are readable below it."""

    region = models.ForeignKey("regions.Region", verbose_name="wilayah", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("judul pelatihan", max_length=200)
    skills = models.ManyToManyField(Skill, verbose_name="kurikulum (keterampilan)", blank=True, related_name="trainings")
    start_date = models.DateField("tanggal mulai")
    end_date = models.DateField("tanggal selesai")
    mode = models.CharField("cara pelatihan", max_length=12, choices=TrainingMode.choices, default=TrainingMode.IN_PERSON)
    organiser_opd = models.ForeignKey("organisations.Opd", verbose_name="OPD penyelenggara", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    organiser = models.CharField("penyelenggara lain", max_length=200, blank=True,
                                 help_text="Mis. Puskesmas Sawah Lebar.")
    trainers = models.CharField("pelatih/fasilitator", max_length=300, blank=True)
    location = models.CharField("tempat", max_length=200, blank=True)
    notes = models.TextField("catatan", blank=True)
    history = AuditHistory(m2m_fields=[skills])

    scope_include_ancestors = True

    class Meta:
        verbose_name = "pelatihan kader"
        verbose_name_plural = "pelatihan kader"
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competency:training_detail", args=[self.pk])

    @property
    def organiser_text(self) -> str:
        return ", ".join(str(x) for x in (self.organiser_opd, self.organiser) if x) or "-"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Tanggal selesai tidak boleh sebelum tanggal mulai."})


class ParticipantResult(models.TextChoices):
    PENDING = "belum", "Belum dinilai"
    PASSED = "lulus", "Lulus"
    FAILED = "tidak_lulus", "Tidak lulus"


class KaderScoped(TimeStampedModel):
    """Rows about one kader: scoped through the kader's Posyandu, like the kader."""

    objects = ScopedManager()
    scope_code_field = "kader__posyandu__region_code"
    scope_posyandu_field = "kader__posyandu"

    class Meta:
        abstract = True


class TrainingParticipant(KaderScoped):
    """A kader taking part in a training, with attendance and the assessment result."""

    training = models.ForeignKey(Training, verbose_name="pelatihan", on_delete=models.CASCADE, related_name="participants")
    kader = models.ForeignKey("posyandu.Kader", verbose_name="kader", on_delete=models.CASCADE,
                              related_name="training_participations")
    attended = models.BooleanField("hadir", default=True)
    result = models.CharField("hasil", max_length=12, choices=ParticipantResult.choices, default=ParticipantResult.PENDING)
    notes = models.CharField("catatan", max_length=300, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "peserta pelatihan"
        verbose_name_plural = "peserta pelatihan"
        ordering = ["training", "kader__person__name"]
        constraints = [models.UniqueConstraint(fields=["training", "kader"], name="competency_participant_unique")]

    def __str__(self) -> str:
        return f"{self.kader.person} – {self.training}"

    def get_absolute_url(self) -> str:
        return reverse("competency:training_detail", args=[self.training_id])


class CertificationQuerySet(ScopedQuerySet):
    def valid(self, on: dt.date | None = None) -> CertificationQuerySet:
        """Certifications that count: not revoked, for a skill still in the catalogue."""
        on = on or timezone.localdate()
        return self.filter(revoked=False, skill__valid_from__lte=on).filter(
            Q(skill__valid_to__isnull=True) | Q(skill__valid_to__gte=on))


class Certification(KaderScoped):
    """A skill a kader was assessed competent in (assessment supervised by the Puskesmas), from a
    training or assessed on its own; the basis of the kader's level and of the TKK pin."""

    kader = models.ForeignKey("posyandu.Kader", verbose_name="kader", on_delete=models.CASCADE,
                              related_name="certifications")
    skill = models.ForeignKey(Skill, verbose_name="keterampilan", on_delete=models.PROTECT, related_name="certifications")
    certified_on = models.DateField("tanggal dinyatakan cakap")
    assessed_by = models.CharField("penilai", max_length=200, help_text="Mis. Puskesmas Sawah Lebar.")
    training = models.ForeignKey(Training, verbose_name="pelatihan", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="certifications")
    tkk_given = models.BooleanField("TKK sudah diberikan", default=False)
    revoked = models.BooleanField("dicabut", default=False)
    revoked_on = models.DateField("tanggal dicabut", null=True, blank=True)
    revoked_reason = models.CharField("alasan dicabut", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="dicatat oleh", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    history = AuditHistory()

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = "sertifikasi keterampilan"
        verbose_name_plural = "sertifikasi keterampilan"
        ordering = ["kader", "skill__group__order", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["kader", "skill"], condition=Q(revoked=False),
                                    name="competency_certification_active_unique",
                                    violation_error_message="Kader ini sudah bersertifikat untuk keterampilan ini."),
        ]

    def __str__(self) -> str:
        return f"{self.kader.person}: {self.skill.code}"

    def get_absolute_url(self) -> str:
        return reverse("competency:kader_detail", args=[self.kader_id])
