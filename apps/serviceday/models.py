from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse

from apps.core.ages import age_in_years
from apps.core.history import AuditHistory
from apps.core.models import TimeStampedModel
from apps.core.scoping import ScopedManager
from apps.posyandu.models import PosyanduChild


class SessionStatus(models.TextChoices):
    OPEN = "buka", "Sedang berlangsung"
    CLOSED = "tutup", "Selesai"


class ServiceSession(PosyanduChild):
    """A hari buka: one Posyandu (or one of its Pos) serving on one date."""

    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="sessions")
    pos = models.ForeignKey("posyandu.Pos", verbose_name="Pos", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="sessions")
    date = models.DateField("tanggal")
    status = models.CharField("status", max_length=5, choices=SessionStatus.choices, default=SessionStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField("catatan", blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "hari buka"
        verbose_name_plural = "hari buka"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "pos", "date"], name="session_unique_day",
                                    violation_error_message="Hari buka pada tanggal ini sudah dibuka."),
            # NULLs are distinct in a unique index: the Posyandu-wide day (no Pos) needs its own.
            models.UniqueConstraint(fields=["posyandu", "date"], condition=models.Q(pos__isnull=True),
                                    name="session_unique_day_without_pos",
                                    violation_error_message="Hari buka pada tanggal ini sudah dibuka."),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu} · {self.date:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("serviceday:session", args=[self.pk])


class Position(models.TextChoices):
    LYING = "l", "Terlentang (panjang badan)"
    STANDING = "h", "Berdiri (tinggi badan)"


class Development(models.TextChoices):
    APPROPRIATE = "sesuai", "Sesuai"
    DOUBTFUL = "meragukan", "Meragukan"
    DEVIATION = "penyimpangan", "Kemungkinan penyimpangan"


class SenseScreening(models.TextChoices):
    """A simple screening of one eye (finger count) or one ear (whisper test), KBP dewasa/lansia."""

    NORMAL = "normal", "Normal"
    ABNORMAL = "tidak_normal", "Tidak normal"


class Contraception(models.TextChoices):
    """The contraception in use (the national KB programme's methods, BKKBN). Kept per visit because
    it changes: a change within the year is the "penggantian" of the WUS/PUS register."""

    NONE = "tidak_kb", "Tidak ber-KB"
    PILL = "pil", "Pil"
    INJECTION = "suntik", "Suntik"
    IUD = "iud", "IUD/AKDR"
    IMPLANT = "implan", "Implan/AKBK"
    CONDOM = "kondom", "Kondom"
    MOW = "mow", "MOW/tubektomi"
    MOP = "mop", "MOP/vasektomi"
    MAL = "mal", "MAL (metode amenore laktasi)"
    OTHER = "lainnya", "Lainnya"


# Methods only one sex can use; the others (none, condom, other) are recorded for either partner.
FEMALE_METHODS = {Contraception.PILL, Contraception.INJECTION, Contraception.IUD, Contraception.IMPLANT,
                  Contraception.MOW, Contraception.MAL}
MALE_METHODS = {Contraception.MOP}


def contraception_error(method: str, sex: str) -> str | None:
    """Why `method` cannot be a person of this sex's own contraception, in Indonesian; None if it can."""
    if method in MALE_METHODS and sex == "P":
        return (f"{Contraception(method).label} adalah metode KB untuk laki-laki. Untuk perempuan pilih "
                "MOW/tubektomi atau metode lain; bila suaminya yang vasektomi, catat pada kunjungan suami.")
    if method in FEMALE_METHODS and sex == "L":
        return (f"{Contraception(method).label} adalah metode KB untuk perempuan. Untuk laki-laki hanya kondom, "
                "MOP/vasektomi, lainnya, atau tidak ber-KB.")
    return None


def wus_age_range() -> tuple[int, int]:
    """Wanita usia subur: the first and last year of age (data/rules.json, "wus")."""
    from apps.serviceday.rules import rules

    wus = rules()["wus"]
    return wus["age_from_years"], wus["age_to_years"]


def is_wus(sex: str, birth: dt.date | None, on: dt.date) -> bool:
    """A woman of reproductive age on `on`. Unknown birth date: not known to be one."""
    age = age_in_years(birth, on)
    if sex != "P" or age is None:
        return False
    first, last = wus_age_range()
    return first <= age <= last


class Visit(PosyanduChild):
    """One person's attendance at a hari buka: the five ILP steps, what was measured and given,
    and the results computed when it was saved (z-scores, categories, KMS, risk flags)."""

    session = models.ForeignKey(ServiceSession, on_delete=models.CASCADE, related_name="visits")
    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="visits")
    person = models.ForeignKey("people.Person", verbose_name="orang", on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField("tanggal", db_index=True)
    stage = models.CharField("kelompok sasaran", max_length=12, db_index=True)
    age_days = models.PositiveIntegerField("umur (hari)", null=True)
    age_months = models.PositiveIntegerField("umur (bulan)", null=True)
    walk_in = models.BooleanField("datang tanpa jadwal", default=False)
    # The five steps (langkah) of the ILP hari buka.
    step_registered = models.BooleanField("1. pendaftaran", default=True)
    step_measured = models.BooleanField("2. penimbangan dan pengukuran", default=False)
    step_recorded = models.BooleanField("3. pencatatan", default=False)
    step_served = models.BooleanField("4. pelayanan kesehatan", default=False)
    step_counselled = models.BooleanField("5. penyuluhan/konseling", default=False)
    # Measurements.
    weight_kg = models.DecimalField("berat badan (kg)", max_digits=5, decimal_places=2, null=True, blank=True)
    height_cm = models.DecimalField("panjang/tinggi (cm)", max_digits=5, decimal_places=1, null=True, blank=True)
    position = models.CharField("cara ukur", max_length=1, choices=Position.choices, blank=True)
    head_circ_cm = models.DecimalField("lingkar kepala (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    muac_cm = models.DecimalField("LILA (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    waist_cm = models.DecimalField("lingkar perut (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    systolic = models.PositiveSmallIntegerField("sistolik (mmHg)", null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField("diastolik (mmHg)", null=True, blank=True)
    glucose_mg_dl = models.PositiveSmallIntegerField("gula darah sewaktu (mg/dL)", null=True, blank=True)
    hb_g_dl = models.DecimalField("Hb (g/dL)", max_digits=4, decimal_places=1, null=True, blank=True)
    gestational_age_weeks = models.PositiveSmallIntegerField("usia kehamilan (minggu)", null=True, blank=True)
    oedema = models.BooleanField("edema kedua kaki", default=False)
    confirmed_unusual = models.BooleanField("nilai tidak biasa sudah diperiksa ulang", default=False)
    # Services given (langkah 4).
    exclusive_breastfeeding = models.BooleanField("ASI eksklusif", null=True, blank=True)
    complementary_feeding = models.BooleanField("MP-ASI", null=True, blank=True)
    vitamin_a = models.BooleanField("vitamin A", default=False)
    deworming = models.BooleanField("obat cacing", default=False)
    supplementary_food = models.BooleanField("PMT", default=False)
    development = models.CharField("skrining perkembangan", max_length=12, choices=Development.choices, blank=True)
    iron_tablets = models.PositiveSmallIntegerField("TTD diberikan (tablet)", null=True, blank=True)
    mothers_class = models.BooleanField("kelas ibu hamil", default=False)
    danger_signs = models.JSONField("tanda bahaya", default=list, blank=True)
    smoker = models.BooleanField("merokok", null=True, blank=True)
    active = models.BooleanField("aktivitas fisik cukup", null=True, blank=True)
    adl_score = models.PositiveSmallIntegerField("skor AKS (0–20)", null=True, blank=True)
    # Skrining gejala TBC, every group (null: not asked). The weight item of a child weighed on the
    # KMS is read from the KMS (rules.tbc_weight_symptom); the kader's answer is kept as given.
    tbc_cough = models.BooleanField("batuk terus-menerus", null=True, blank=True)
    tbc_fever = models.BooleanField("demam 2 minggu atau lebih", null=True, blank=True)
    tbc_weight = models.BooleanField("berat badan tidak naik 2 bulan berturut-turut", null=True, blank=True)
    tbc_contact = models.BooleanField("kontak erat dengan pasien TBC", null=True, blank=True)
    # Kuesioner PUMA (PPOK), smokers aged 40 and over only; the score is a result.
    puma_cigarettes_per_day = models.PositiveSmallIntegerField("rata-rata batang rokok per hari", null=True,
                                                               blank=True)
    puma_smoking_years = models.PositiveSmallIntegerField("lama merokok (tahun)", null=True, blank=True)
    puma_short_breath = models.BooleanField("napas pendek saat berjalan cepat atau menanjak", null=True, blank=True)
    puma_phlegm = models.BooleanField("biasanya berdahak (tidak sedang flu)", null=True, blank=True)
    puma_cough = models.BooleanField("biasanya batuk (tidak sedang flu)", null=True, blank=True)
    puma_spirometry = models.BooleanField("pernah diminta periksa spirometri/peak flow", null=True, blank=True)
    # Tes hitung jari (vision) and tes bisik (hearing), per eye and ear; no referral rule in DOMAIN.md.
    vision_right = models.CharField("tes hitung jari mata kanan", max_length=12, choices=SenseScreening.choices,
                                    blank=True)
    vision_left = models.CharField("tes hitung jari mata kiri", max_length=12, choices=SenseScreening.choices,
                                   blank=True)
    hearing_right = models.CharField("tes bisik telinga kanan", max_length=12, choices=SenseScreening.choices,
                                     blank=True)
    hearing_left = models.CharField("tes bisik telinga kiri", max_length=12, choices=SenseScreening.choices,
                                    blank=True)
    cognition_impaired = models.BooleanField("gangguan kognitif", null=True, blank=True)
    fall_risk = models.BooleanField("risiko jatuh", null=True, blank=True)
    counselling_topics = models.JSONField("topik penyuluhan", default=list, blank=True)
    counselled = models.CharField("penyuluhan kepada", max_length=100, blank=True)
    contraception = models.CharField("kontrasepsi yang dipakai", max_length=10, choices=Contraception.choices,
                                     blank=True)  # blank: not asked at this visit
    notes = models.TextField("catatan", blank=True)
    # Results (computed on save by services.record_visit; never typed).
    zwei = models.FloatField("z BB/U", null=True)
    zlen = models.FloatField("z PB/U-TB/U", null=True)
    zwfl = models.FloatField("z BB/PB-TB", null=True)
    zbmi = models.FloatField("z IMT/U", null=True)
    zhc = models.FloatField("z LK/U", null=True)
    zac = models.FloatField("z LILA/U", null=True)
    z_flagged = models.BooleanField("z di luar batas wajar", default=False)
    bb_u = models.CharField("BB/U", max_length=40, blank=True)
    tb_u = models.CharField("PB/U-TB/U", max_length=40, blank=True)
    bb_tb = models.CharField("BB/PB-TB", max_length=40, blank=True)
    imt_u = models.CharField("IMT/U", max_length=40, blank=True)
    kms_status = models.CharField("status KMS", max_length=1, blank=True)  # N, T, O, B
    # An imported measurement keeps its source's N/T/O/B (e-PPGBM's Naik Berat Badan). Where the
    # system lacks the child's previous weighing (its own reading would be B or O), kms_status is
    # the source's label and kms_from_source says so (rules.kms_with_source).
    source_kms_status = models.CharField("status KMS menurut sumber impor", max_length=1, blank=True)
    kms_from_source = models.BooleanField("status KMS dari sumber impor", default=False)
    two_t = models.BooleanField("2T", default=False)
    bgm = models.BooleanField("BGM", default=False)
    bmi = models.FloatField("IMT", null=True)
    bmi_category = models.CharField("kategori IMT", max_length=20, blank=True)
    kek = models.BooleanField("KEK", null=True)
    hypertension = models.BooleanField("hipertensi", null=True)
    anaemia = models.BooleanField("anemia", null=True)
    central_obesity = models.BooleanField("obesitas sentral", null=True)
    glucose_status = models.CharField("status gula darah", max_length=10, blank=True)
    dependent = models.BooleanField("ketergantungan", null=True)
    lk_u = models.CharField("LK/U", max_length=20, blank=True)  # mikrosefali, normal, makrosefali
    muac_red = models.BooleanField("LILA pita merah", null=True)  # children 6-59 months
    puma_score = models.PositiveSmallIntegerField("skor PUMA", null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = AuditHistory()
    scope_posyandu_view_extra = ("person__posyandu",)

    class Meta:
        verbose_name = "kunjungan"
        verbose_name_plural = "kunjungan"
        ordering = ["-visit_date", "person__name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="visit_once_per_session",
                                               violation_error_message="Orang ini sudah terdaftar di hari buka ini.")]
        indexes = [models.Index(fields=["person", "visit_date"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.visit_date:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("serviceday:visit", args=[self.pk])

    @property
    def tbc_symptoms(self) -> int | None:
        """How many TBC symptoms the screening found (None: not screened)."""
        from apps.serviceday.rules import tbc_symptom_count

        return tbc_symptom_count(cough=self.tbc_cough, fever=self.tbc_fever, weight=self.tbc_weight,
                                 contact=self.tbc_contact, kms_status=self.kms_status, two_t=self.two_t)

    @property
    def tbc_weight_effective(self) -> bool | None:
        """The weight item as counted: from the KMS for a child weighed on it, else the answer."""
        from apps.serviceday.rules import tbc_weight_symptom

        return tbc_weight_symptom(self.tbc_weight, kms_status=self.kms_status, two_t=self.two_t)

    def clean(self) -> None:
        if not self.contraception:
            return
        try:
            sex = self.person.sex
        except ObjectDoesNotExist:
            return  # no person yet: the missing person is reported by its own field
        problem = contraception_error(self.contraception, sex)
        if problem:
            raise ValidationError({"contraception": problem})


class Immunisation(TimeStampedModel):
    """One dose of the national schedule given to a person."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="immunisations")
    vaccine = models.CharField("vaksin", max_length=20)
    given_on = models.DateField("tanggal")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="immunisations")
    history = AuditHistory()

    objects = ScopedManager()
    scope_code_field = "person__region_code"
    scope_posyandu_field = "person__posyandu"

    class Meta:
        verbose_name = "imunisasi"
        verbose_name_plural = "imunisasi"
        ordering = ["given_on"]
        constraints = [models.UniqueConstraint(fields=["person", "vaccine"], name="immunisation_dose_once",
                                               violation_error_message="Dosis ini sudah tercatat.")]


class ReferralStatus(models.TextChoices):
    PROPOSED = "usulan", "Diusulkan sistem"
    REFERRED = "dirujuk", "Dirujuk"
    DISMISSED = "tidak_dirujuk", "Tidak dirujuk"
    ANSWERED = "dibalas", "Balasan diterima"


class Referral(PosyanduChild):
    """A referral to the Puskesmas: proposed by the rules, confirmed by the kader, closed by the
    balasan rujukan (feedback)."""

    posyandu = models.ForeignKey("posyandu.Posyandu", on_delete=models.CASCADE, related_name="referrals")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="referrals")
    reasons = models.JSONField("alasan", default=list)
    status = models.CharField("status", max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED)
    referred_to = models.CharField("dirujuk ke", max_length=150, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_on = models.DateField("tanggal rujukan", null=True, blank=True)
    feedback_due = models.DateField("balasan diharapkan", null=True, blank=True)
    feedback_on = models.DateField("tanggal balasan", null=True, blank=True)
    feedback = models.TextField("isi balasan rujukan", blank=True)
    history = AuditHistory()

    class Meta:
        verbose_name = "rujukan"
        verbose_name_plural = "rujukan"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Rujukan {self.person}"

    @property
    def reason_labels(self) -> list[str]:
        from apps.serviceday.rules import reason_label

        return [reason_label(code) for code in self.reasons]

    def get_absolute_url(self) -> str:
        return reverse("serviceday:visit", args=[self.visit_id])
