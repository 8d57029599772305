"""Registers of the five non-health SPM fields kept by the Posyandu (Permendagri 13/2024).

One "case" model per field (a person or household with a kind and a status, which can become a
tindak lanjut routed to the responsible OPD) and one activity model for what is an event with
attendance (literacy, parenting classes, disaster-risk information, preparedness training, Linmas).
A case follows the non-health flow: recorded by the kader → verified with the Pemdes → proposed to
the Pemdes/OPD → handled, or closed as not eligible.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.core.history import AuditHistory
from apps.core.models import RegionOwnedModel
from apps.fieldregisters import rules
from apps.followups.models import FollowUp
from apps.spm.models import SpmField


class CaseStatus(models.TextChoices):
    RECORDED = "tercatat", "Tercatat"
    VERIFIED = "diverifikasi", "Diverifikasi"
    PROPOSED = "diusulkan", "Diusulkan ke Pemdes/OPD"
    HANDLED = "ditangani", "Ditangani"
    NOT_ELIGIBLE = "tidak_memenuhi", "Tidak memenuhi syarat"


CLOSED_CASE_STATUSES = (CaseStatus.HANDLED, CaseStatus.NOT_ELIGIBLE)


class RegisterEntry(RegionOwnedModel):
    """What every register row has: its Posyandu, the village (region) it belongs to, when it was
    recorded and by whom."""

    posyandu = models.ForeignKey("posyandu.Posyandu", verbose_name="Posyandu", on_delete=models.PROTECT,
                                 related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name="desa/kelurahan", on_delete=models.PROTECT,
                               related_name="+", editable=False)
    notes = models.TextField("catatan", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    scope_posyandu_field = "posyandu"
    spm_field_code: ClassVar[str] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.posyandu_id:  # the row belongs to the village its Posyandu serves
            self.region_id = self.posyandu.village_id
        super().save(*args, **kwargs)


class RegisterCase(RegisterEntry):
    """A case: a person or household with a need, a status and possibly tindak lanjut."""

    recorded_on = models.DateField("tanggal pencatatan", default=timezone.localdate)
    status = models.CharField("status", max_length=15, choices=CaseStatus.choices, default=CaseStatus.RECORDED,
                              db_index=True)
    closed_on = models.DateField("tanggal ditangani/ditutup", null=True, blank=True,
                                 help_text="Diisi otomatis hari ini bila status ditangani atau tidak memenuhi syarat.")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.status in CLOSED_CASE_STATUSES:
            self.closed_on = self.closed_on or timezone.localdate()
        else:
            self.closed_on = None
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_CASE_STATUSES

    @property
    def followups(self) -> Any:
        """Tindak lanjut created from this case (FollowUp.source points here)."""
        from django.contrib.contenttypes.models import ContentType

        return FollowUp.objects.filter(source_type=ContentType.objects.get_for_model(type(self)), source_id=self.pk)

    def clean_dates(self) -> None:
        today = timezone.localdate()
        if self.recorded_on and self.recorded_on > today:
            raise ValidationError({"recorded_on": "Tanggal pencatatan tidak boleh di masa depan."})
        if self.closed_on and self.recorded_on and self.closed_on < self.recorded_on:
            raise ValidationError({"closed_on": "Tanggal ditutup tidak boleh sebelum tanggal pencatatan."})

    def get_absolute_url(self) -> str:
        return reverse(f"fieldregisters:{self.spm_field_code}_detail", args=[self.pk])


def _age_or_error(person: Any, on: dt.date, field: str = "person") -> int:
    if person.birth_date is None:
        raise ValidationError({field: f"Tanggal lahir {person.name} belum diisi; umur diperlukan untuk kategori ini."})
    return rules.age_on(person.birth_date, on)


# --- Pendidikan -------------------------------------------------------------------------------

class EducationKind(models.TextChoices):
    PAUD = "paud", "Anak 5–6 tahun (PAUD)"
    OUT_OF_SCHOOL = "ats", "Anak 7–18 tahun tidak sekolah (ATS)"
    PARENTING = "pengasuhan", "Orang tua di kelas pengasuhan / BKB"


class OutOfSchoolReason(models.TextChoices):
    ECONOMY = "ekonomi", "Ekonomi / biaya"
    WORKING = "bekerja", "Bekerja / membantu orang tua"
    MARRIED = "menikah", "Menikah"
    DISABILITY = "disabilitas", "Disabilitas"
    DISTANCE = "jarak", "Jarak / akses sekolah"
    NOT_INTERESTED = "tidak_minat", "Tidak berminat"
    DOCUMENTS = "dokumen", "Tidak punya dokumen kependudukan"
    OTHER = "lainnya", "Lainnya"


# Age bands of the education SPM (PP 2/2018; Permendikbudristek 32/2022) [P]: PAUD 5–6 years,
# pendidikan kesetaraan for 7–18 who have not finished; (min, max) in completed years.
EDUCATION_AGE_BANDS = {EducationKind.PAUD: (5, 6), EducationKind.OUT_OF_SCHOOL: (7, 18)}


class EducationCase(RegisterCase):
    """Pendidikan: a child 5–6 in PAUD or not, a child 7–18 out of school, a parent in a
    parenting class (Bina Keluarga Balita)."""

    spm_field_code = "pendidikan"
    kind = models.CharField("jenis", max_length=12, choices=EducationKind.choices)
    person = models.ForeignKey("people.Person", verbose_name="orang", on_delete=models.PROTECT, related_name="+")
    in_paud = models.BooleanField("mengikuti PAUD", null=True, blank=True)
    institution = models.CharField("nama PAUD/sekolah/kelas", max_length=150, blank=True)
    out_of_school_reason = models.CharField("alasan tidak sekolah", max_length=12, choices=OutOfSchoolReason.choices,
                                            blank=True)
    reason_detail = models.CharField("keterangan alasan", max_length=250, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "data bidang pendidikan"
        verbose_name_plural = "data bidang pendidikan"
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def clean(self) -> None:
        self.clean_dates()
        if not self.person_id or not self.recorded_on:
            return
        band = EDUCATION_AGE_BANDS.get(self.kind)
        if band:
            age = _age_or_error(self.person, self.recorded_on)
            if not band[0] <= age <= band[1]:
                raise ValidationError({"person": f"{self.person.name} berumur {age} tahun pada tanggal pencatatan; "
                                                 f"kategori ini untuk anak {band[0]}–{band[1]} tahun."})
        if self.kind == EducationKind.PAUD and self.in_paud is None:
            raise ValidationError({"in_paud": "Isi apakah anak mengikuti PAUD."})
        if self.kind == EducationKind.OUT_OF_SCHOOL and not self.out_of_school_reason:
            raise ValidationError({"out_of_school_reason": "Isi alasan anak tidak sekolah."})


# --- Sosial -----------------------------------------------------------------------------------

class SocialKind(models.TextChoices):
    DISABILITY = "disabilitas", "Penyandang disabilitas"
    NEGLECTED_ELDERLY = "lansia_terlantar", "Lansia terlantar"
    NEGLECTED_CHILD = "anak_terlantar", "Anak terlantar"
    OTHER_NEED = "kebutuhan_lain", "Kebutuhan kesejahteraan sosial lain"
    ASSISTANCE = "usulan_bansos", "Usulan bantuan sosial"


class AssistanceProgramme(models.TextChoices):
    PKH = "pkh", "PKH"
    SEMBAKO = "sembako", "Sembako/BPNT"
    PBI_JK = "pbi_jk", "PBI JK (BPJS Kesehatan)"
    ATENSI = "atensi", "ATENSI (rehabilitasi sosial)"
    BLT_DD = "blt_dd", "BLT Dana Desa"
    OTHER = "lainnya", "Lainnya"


class ProposalOutcome(models.TextChoices):
    PENDING = "menunggu", "Menunggu"
    APPROVED = "diterima", "Diterima"
    REJECTED = "ditolak", "Ditolak"


# Lansia from 60 years (UU 13/1998) and anak below 18 (UU 35/2014) [P].
ELDERLY_FROM, CHILD_BELOW = 60, 18


class SocialCase(RegisterCase):
    """Sosial: persons with disabilities, neglected elderly and children, other welfare needs,
    and proposals for social assistance (bansos) with their outcome."""

    spm_field_code = "sosial"
    kind = models.CharField("jenis", max_length=16, choices=SocialKind.choices)
    person = models.ForeignKey("people.Person", verbose_name="orang", on_delete=models.PROTECT, related_name="+")
    disability_type = models.CharField("jenis disabilitas", max_length=100, blank=True)
    need = models.CharField("kebutuhan", max_length=250, blank=True)
    programme = models.CharField("program bantuan", max_length=10, choices=AssistanceProgramme.choices, blank=True)
    outcome = models.CharField("hasil usulan", max_length=10, choices=ProposalOutcome.choices, blank=True)
    outcome_on = models.DateField("tanggal hasil", null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "data bidang sosial"
        verbose_name_plural = "data bidang sosial"
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def clean(self) -> None:
        self.clean_dates()
        if not self.person_id or not self.recorded_on:
            return
        if self.kind == SocialKind.NEGLECTED_ELDERLY:
            age = _age_or_error(self.person, self.recorded_on)
            if age < ELDERLY_FROM:
                raise ValidationError({"person": f"{self.person.name} berumur {age} tahun; lansia berumur "
                                                 f"{ELDERLY_FROM} tahun ke atas."})
        if self.kind == SocialKind.NEGLECTED_CHILD:
            age = _age_or_error(self.person, self.recorded_on)
            if age >= CHILD_BELOW:
                raise ValidationError({"person": f"{self.person.name} berumur {age} tahun; anak berumur di bawah "
                                                 f"{CHILD_BELOW} tahun."})
        if self.kind == SocialKind.DISABILITY and not (self.disability_type or self.person.disability):
            raise ValidationError({"disability_type": "Isi jenis disabilitas."})
        if self.kind == SocialKind.ASSISTANCE and not self.programme:
            raise ValidationError({"programme": "Pilih program bantuan yang diusulkan."})
        if self.outcome in (ProposalOutcome.APPROVED, ProposalOutcome.REJECTED) and not self.outcome_on:
            raise ValidationError({"outcome_on": "Isi tanggal hasil usulan."})


# --- Perumahan rakyat dan kawasan permukiman ------------------------------------------------------

class HousingKind(models.TextChoices):
    RTLH = "rtlh", "Rumah tidak layak huni (penilaian)"
    DISASTER = "rusak_bencana", "Rumah rusak akibat bencana"


class DamageLevel(models.TextChoices):
    LIGHT = "ringan", "Rusak ringan"
    MEDIUM = "sedang", "Rusak sedang"
    HEAVY = "berat", "Rusak berat"


class RepairOutcome(models.TextChoices):
    PENDING = "menunggu", "Menunggu"
    APPROVED = "disetujui", "Disetujui"
    REJECTED = "ditolak", "Ditolak"
    DONE = "selesai", "Selesai diperbaiki"


class HousingCase(RegisterCase):
    """Perumahan: a house assessed against the RTLH criteria (verdict computed from the data in
    data/rtlh_criteria.json) or damaged by a disaster, and the repair proposal with its outcome."""

    spm_field_code = "perumahan"
    kind = models.CharField("jenis", max_length=15, choices=HousingKind.choices, default=HousingKind.RTLH)
    household = models.ForeignKey("people.Household", verbose_name="keluarga", on_delete=models.PROTECT,
                                  related_name="+")
    roof_ok = models.BooleanField("atap layak", default=True)
    walls_ok = models.BooleanField("dinding layak", default=True)
    floor_ok = models.BooleanField("lantai layak", default=True)
    floor_area_m2 = models.DecimalField("luas lantai (m²)", max_digits=6, decimal_places=1, null=True, blank=True,
                                        validators=[MinValueValidator(1), MaxValueValidator(2000)])
    occupants = models.PositiveSmallIntegerField("jumlah penghuni", null=True, blank=True,
                                                 validators=[MinValueValidator(1), MaxValueValidator(50)])
    sanitation_ok = models.BooleanField("memiliki jamban/sanitasi layak", default=True)
    uninhabitable = models.BooleanField("tidak layak huni", default=False, editable=False)
    failed_criteria = models.JSONField("kriteria tidak terpenuhi", default=list, editable=False)
    disaster_type = models.CharField("jenis bencana", max_length=100, blank=True)
    damage_level = models.CharField("tingkat kerusakan", max_length=10, choices=DamageLevel.choices, blank=True)
    repair_proposed_on = models.DateField("tanggal usulan perbaikan", null=True, blank=True)
    repair_outcome = models.CharField("hasil usulan perbaikan", max_length=10, choices=RepairOutcome.choices,
                                      blank=True)
    repair_outcome_on = models.DateField("tanggal hasil usulan", null=True, blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "data bidang perumahan"
        verbose_name_plural = "data bidang perumahan"
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.household}"

    def assess(self) -> None:
        self.failed_criteria = rules.rtlh_failed_criteria(
            roof_ok=self.roof_ok, walls_ok=self.walls_ok, floor_ok=self.floor_ok, floor_area_m2=self.floor_area_m2,
            occupants=self.occupants, sanitation_ok=self.sanitation_ok)
        self.uninhabitable = rules.rtlh_is_uninhabitable(self.failed_criteria)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assess()
        super().save(*args, **kwargs)

    @property
    def area_per_person(self) -> Any:
        if self.floor_area_m2 is None or not self.occupants:
            return None
        return round(self.floor_area_m2 / self.occupants, 1)

    @property
    def failed_labels(self) -> list[str]:
        return [rules.rtlh_criterion_label(c) for c in self.failed_criteria]

    def clean(self) -> None:
        self.clean_dates()
        if self.kind == HousingKind.RTLH and (self.floor_area_m2 is None or not self.occupants):
            raise ValidationError({"floor_area_m2": "Isi luas lantai dan jumlah penghuni untuk penilaian RTLH."})
        if self.kind == HousingKind.DISASTER and not (self.disaster_type and self.damage_level):
            raise ValidationError({"damage_level": "Isi jenis bencana dan tingkat kerusakan."})
        if self.repair_outcome and not self.repair_proposed_on:
            raise ValidationError({"repair_proposed_on": "Isi tanggal usulan perbaikan sebelum hasilnya."})
        if self.repair_outcome_on and self.repair_proposed_on and self.repair_outcome_on < self.repair_proposed_on:
            raise ValidationError({"repair_outcome_on": "Tanggal hasil tidak boleh sebelum tanggal usulan."})


# --- Pekerjaan umum dan penataan ruang ------------------------------------------------------------

class WaterSource(models.TextChoices):
    PIPED = "ledeng", "Air ledeng/PDAM/SPAM desa"
    PUBLIC_TAP = "hidran_umum", "Hidran umum/kran umum"
    BOREHOLE = "sumur_bor", "Sumur bor/pompa"
    PROTECTED_WELL = "sumur_terlindung", "Sumur gali terlindung"
    UNPROTECTED_WELL = "sumur_tak_terlindung", "Sumur gali tidak terlindung"
    PROTECTED_SPRING = "mata_air_terlindung", "Mata air terlindung"
    UNPROTECTED_SPRING = "mata_air_tak_terlindung", "Mata air tidak terlindung"
    RAIN = "air_hujan", "Air hujan"
    BOTTLED = "kemasan", "Air kemasan/isi ulang"
    SURFACE = "permukaan", "Sungai/danau/kolam"
    OTHER = "lainnya", "Lainnya"


class ToiletAccess(models.TextChoices):
    OWN = "sendiri", "Milik sendiri"
    SHARED = "bersama", "Bersama (beberapa keluarga)"
    PUBLIC = "umum", "MCK umum"
    NONE = "tidak_ada", "Tidak ada (BAB sembarangan)"


class ToiletType(models.TextChoices):
    GOOSENECK = "leher_angsa", "Leher angsa"
    PLENGSENGAN = "plengsengan", "Plengsengan"
    PIT = "cemplung", "Cemplung/cubluk"
    NONE = "tidak_ada", "Tidak ada"


class Disposal(models.TextChoices):
    SEPTIC = "tangki_septik", "Tangki septik"
    IPAL = "ipal", "IPAL/SPALD terpusat"
    POND = "kolam_sawah", "Kolam/sawah"
    RIVER = "sungai", "Sungai/danau/laut"
    HOLE = "lubang_tanah", "Lubang tanah"
    OPEN = "terbuka", "Pantai/tanah lapang/kebun"
    OTHER = "lainnya", "Lainnya"


class Wastewater(models.TextChoices):
    CLOSED = "spal_tertutup", "SPAL tertutup"
    OPEN = "spal_terbuka", "SPAL terbuka"
    NONE = "tidak_ada", "Tidak ada (dibuang ke tanah/jalan)"


class WaterSanitationSurvey(RegisterCase):
    """PUPR: a household's drinking water and sanitation on a survey date (the latest survey
    speaks for the household); a lack can become a follow-up to Dinas PU."""

    spm_field_code = "pupr"
    household = models.ForeignKey("people.Household", verbose_name="keluarga", on_delete=models.PROTECT,
                                  related_name="+")
    water_source = models.CharField("sumber air minum", max_length=25, choices=WaterSource.choices)
    water_liters_per_person_day = models.PositiveSmallIntegerField(
        "air per orang per hari (liter)", null=True, blank=True, validators=[MaxValueValidator(1000)],
        help_text="Standar SPM: paling sedikit 60 liter per orang per hari.")
    toilet_access = models.CharField("akses jamban", max_length=10, choices=ToiletAccess.choices)
    toilet_type = models.CharField("jenis kloset", max_length=12, choices=ToiletType.choices)
    disposal = models.CharField("pembuangan tinja", max_length=15, choices=Disposal.choices)
    wastewater = models.CharField("pembuangan air limbah", max_length=15, choices=Wastewater.choices)
    safe_water = models.BooleanField("air minum layak", default=False, editable=False)
    proper_sanitation = models.BooleanField("sanitasi layak", default=False, editable=False)
    history = AuditHistory()

    class Meta:
        verbose_name = "data bidang pekerjaan umum"
        verbose_name_plural = "data bidang pekerjaan umum"
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"Air & sanitasi: {self.household} ({self.recorded_on:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.safe_water = rules.is_safe_water(self.water_source)
        self.proper_sanitation = rules.is_proper_sanitation(access=self.toilet_access, toilet_type=self.toilet_type,
                                                            disposal=self.disposal)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.clean_dates()
        if self.toilet_access == ToiletAccess.NONE and self.toilet_type not in ("", ToiletType.NONE):
            raise ValidationError({"toilet_type": "Keluarga tanpa akses jamban tidak memiliki jenis kloset."})


# --- Ketenteraman, ketertiban umum dan pelindungan masyarakat ------------------------------------

class IncidentKind(models.TextChoices):
    FIRE = "kebakaran", "Kebakaran"
    DISASTER = "bencana", "Bencana"
    NARCOTICS = "narkoba", "Narkoba"
    DOMESTIC_VIOLENCE = "kdrt", "Kekerasan dalam rumah tangga"
    TRAFFICKING = "perdagangan_orang", "Perdagangan orang"
    PUBLIC_ORDER = "ketertiban", "Gangguan ketertiban"
    OTHER = "lainnya", "Lainnya"


class IncidentReport(RegisterCase):
    """Trantibumlinmas: an incident reported to the Posyandu. The reporter's identity is kept
    confidential: shown only to users who may change the village's data. Forwarding to an OPD or the
    police needs the Kepala Desa's approval."""

    spm_field_code = "trantibumlinmas"
    kind = models.CharField("jenis kejadian", max_length=20, choices=IncidentKind.choices)
    occurred_on = models.DateField("tanggal kejadian")
    location = models.CharField("lokasi", max_length=250)
    description = models.TextField("uraian")
    is_anonymous = models.BooleanField("pelapor tanpa nama", default=False,
                                       help_text="Laporan tanpa nama dapat dikesampingkan.")
    reporter_name = models.CharField("nama pelapor", max_length=150, blank=True)
    reporter_address = models.CharField("alamat pelapor", max_length=250, blank=True)
    reporter_phone = models.CharField("telepon pelapor", max_length=20, blank=True)
    reporter_nik = models.CharField("NIK pelapor", max_length=16, blank=True)
    kades_approved_on = models.DateField("disetujui Kepala Desa/Lurah pada", null=True, blank=True,
                                         help_text="Syarat sebelum diteruskan ke OPD atau kepolisian.")
    history = AuditHistory()

    REPORTER_FIELDS: ClassVar[tuple[str, ...]] = ("reporter_name", "reporter_address", "reporter_phone",
                                                  "reporter_nik")

    class Meta:
        verbose_name = "laporan kejadian"
        verbose_name_plural = "laporan kejadian"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"

    def clean(self) -> None:
        self.clean_dates()
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": "Tanggal kejadian tidak boleh di masa depan."})
        if self.occurred_on and self.recorded_on and self.occurred_on > self.recorded_on:
            raise ValidationError({"occurred_on": "Tanggal kejadian tidak boleh sesudah tanggal pencatatan."})
        if not self.is_anonymous and not self.reporter_name:
            raise ValidationError({"reporter_name": "Isi nama pelapor, atau tandai laporan tanpa nama."})
        if self.reporter_nik and (len(self.reporter_nik) != 16 or not self.reporter_nik.isdigit()):
            raise ValidationError({"reporter_nik": "NIK harus 16 angka."})


# --- Activities (events with attendance) -----------------------------------------------------------

def activity_kind_choices() -> list[tuple[str, str]]:
    return [(k["code"], k["label"]) for k in rules.activity_kinds()]


class FieldActivity(RegisterEntry):
    """A Posyandu activity of a non-health field held on a date, with attendance by sex."""

    kind = models.CharField("jenis kegiatan", max_length=30, choices=activity_kind_choices)
    field = models.ForeignKey("spm.SpmField", verbose_name="bidang", on_delete=models.PROTECT, related_name="+",
                              editable=False)
    held_on = models.DateField("tanggal")
    title = models.CharField("nama kegiatan", max_length=200)
    location = models.CharField("tempat", max_length=200, blank=True)
    organiser = models.CharField("penyelenggara/narasumber", max_length=200, blank=True)
    participants_male = models.PositiveIntegerField("peserta laki-laki", default=0,
                                                    validators=[MaxValueValidator(100000)])
    participants_female = models.PositiveIntegerField("peserta perempuan", default=0,
                                                      validators=[MaxValueValidator(100000)])
    history = AuditHistory()

    class Meta:
        verbose_name = "kegiatan bidang"
        verbose_name_plural = "kegiatan bidang"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        kind = rules.activity_kind(self.kind)
        if kind is not None:  # the field follows the kind, also when the kind is changed
            self.field = SpmField.objects.get(code=kind["field"])
        super().save(*args, **kwargs)

    @property
    def participants(self) -> int:
        return self.participants_male + self.participants_female

    def clean(self) -> None:
        if rules.activity_kind(self.kind) is None:
            raise ValidationError({"kind": "Jenis kegiatan tidak dikenal."})
        if self.held_on and self.held_on > timezone.localdate() + dt.timedelta(days=366):
            raise ValidationError({"held_on": "Tanggal kegiatan terlalu jauh di masa depan."})

    def get_absolute_url(self) -> str:
        return reverse("fieldregisters:activity_update", args=[self.pk])
