"""Demo data for the work of a TP Posyandu: register cases of the five non-health fields forwarded
to OPD as tindak lanjut, work programmes with indicators and monthly progress, a held and a scheduled
rakor, and a few national guidance documents. So the pages of these apps are not empty in a demo.

Writes go through the apps' own services where they exist (forward_to_opd, record_decision,
invite_team_members, set_status, escalate_overdue ...), attributed to the kab/kota demo account, so
the demo shows exactly what a user's clicks would produce. Deterministic for a given seed and day.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.scoping import code_q
from apps.demo import names
from apps.demo.services import DEMO_CITY
from apps.fieldregisters import models as reg
from apps.fieldregisters.services import forward_to_opd
from apps.followups import sla
from apps.followups.models import FollowUp, FollowUpStatus
from apps.followups.services import escalate_overdue, set_status
from apps.library.models import Document, DocumentKind
from apps.meetings import agenda
from apps.meetings import services as meeting_services
from apps.meetings.models import AgendaKind, Meeting, MeetingKind, MeetingStatus, Participant
from apps.organisations.models import MemberPosition, Opd, TimPembina
from apps.people.models import Household, Person
from apps.posyandu.models import Posyandu
from apps.programmes.models import (
    Activity,
    FundingSource,
    Programme,
    ProgrammeIndicator,
    ProgrammeStatus,
    ProgressReport,
    TargetGroup,
)
from apps.regions.models import Region
from apps.reports.models import Indicator
from apps.spm.models import SpmField

ACTING_USERNAME = "kota.bengkulu"  # the kab/kota operator of the demo: writes on the whole city
OTHER_POSYANDU = 3  # register data at the demo Posyandu and this many others of its kecamatan

# Work programmes of the city's TP Posyandu. Bidang PU (pupr) has none on purpose: the sync view and
# the rakor agenda then show a gap to talk about.
# (field, OPD short-name prefix, name, target group, target detail, output, first/last month, pace,
#  [(indicator, target)], [(activity, budget in millions, months)])
PROGRAMMES: list[tuple[Any, ...]] = [
    ("kesehatan", "Dinkes", "Percepatan penurunan stunting melalui Posyandu", TargetGroup.BAYI_BALITA,
     "Balita dan ibu hamil di seluruh kelurahan", "Balita ditimbang setiap bulan; balita gizi kurang mendapat PMT",
     1, 12, Decimal("0.95"), [("DS", 80), ("STUNTING", 14)],
     [("Pemberian makanan tambahan lokal balita gizi kurang", 180, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      ("Orientasi kader pemantauan pertumbuhan", 60, [3, 4]),
      ("Kunjungan rumah balita tidak datang", 35, [5, 6, 7, 8, 9])]),
    ("pendidikan", "Dikbud", "Gerakan kembali bersekolah dan PAUD untuk semua", TargetGroup.USIA_SEKOLAH,
     "Anak 5–6 tahun dan anak tidak sekolah 7–18 tahun", "Anak tidak sekolah kembali ke sekolah/kesetaraan",
     2, 12, Decimal("0.8"), [("PAUD_5_6", 90), ("ATS_DITANGANI", 40)],
     [("Pendataan anak tidak sekolah bersama kader", 45, [2, 3]),
      ("Kelas pengasuhan Bina Keluarga Balita", 70, [4, 5, 6, 7, 8, 9, 10])]),
    ("perumahan", "Perkim", "Bedah rumah tidak layak huni berbasis data Posyandu", TargetGroup.RUMAH_TANGGA,
     "Keluarga miskin penghuni RTLH", "Rumah tidak layak huni diperbaiki",
     3, 12, Decimal("0.55"), [("RTLH_DITANGANI", 25)],
     [("Verifikasi lapangan RTLH usulan Posyandu", 40, [3, 4, 5]),
      ("Bantuan stimulan perbaikan RTLH", 600, [7, 8, 9, 10, 11])]),
    ("sosial", "Dinsos", "Pendampingan penyandang disabilitas dan lansia terlantar", TargetGroup.SIKLUS_HIDUP,
     "Penyandang disabilitas dan lansia terlantar usulan Posyandu", "Asesmen dan bantuan alat bantu",
     1, 12, Decimal("0.9"), [("SOSIAL_DITANGANI", 30)],
     [("Asesmen dan pemberian alat bantu disabilitas", 120, [3, 6, 9])]),
    ("trantibumlinmas", "BPBD", "Kelurahan tangguh bencana: Posyandu siaga", TargetGroup.MASYARAKAT,
     "Warga kelurahan rawan banjir dan gempa", "Kegiatan kesiapsiagaan di setiap kelurahan rawan",
     1, 11, Decimal("1.0"), [("SIAGA_KEGIATAN", 24)],
     [("Simulasi evakuasi banjir dan gempa", 85, [4, 10]),
      ("Sosialisasi peta rawan bencana di Posyandu", 30, [2, 3, 5])]),
]

DOCUMENTS: list[dict[str, Any]] = [
    {"title": "Permendagri Nomor 13 Tahun 2024 tentang Pos Pelayanan Terpadu", "issuer": "Kemendagri",
     "number": "13 Tahun 2024", "year": 2024, "kind": DocumentKind.PERATURAN, "fields": None,
     "description": "Posyandu sebagai lembaga kemasyarakatan desa/kelurahan yang melayani enam bidang SPM; "
                    "pembentukan TP Posyandu di setiap tingkat pemerintahan."},
    {"title": "Keputusan Menteri Kesehatan HK.01.07/MENKES/2015/2023 Juknis Integrasi Pelayanan Kesehatan Primer",
     "issuer": "Kemenkes", "number": "HK.01.07/MENKES/2015/2023", "year": 2023, "kind": DocumentKind.JUKNIS,
     "fields": ["kesehatan"],
     "description": "Petunjuk teknis integrasi layanan primer (ILP) per siklus hidup di Puskesmas, Pustu dan Posyandu."},
    {"title": "Peraturan Pemerintah Nomor 2 Tahun 2018 tentang Standar Pelayanan Minimal", "issuer": "Presiden RI",
     "number": "2 Tahun 2018", "year": 2018, "kind": DocumentKind.PERATURAN, "fields": None,
     "description": "Jenis dan mutu pelayanan dasar enam bidang SPM yang menjadi urusan wajib pemerintah daerah."},
]


class _Builder:
    def __init__(self, area_code: str, team: TimPembina, user: User, today: dt.date, seed: int) -> None:
        self.area_code, self.team, self.user, self.today = area_code, team, user, today
        self.rng = random.Random(f"{seed}:tp:{area_code}")
        self.fields = {f.code: f for f in SpmField.objects.all()}
        self.regency = area_code[:5]
        self.stats = {"cases": 0, "activities": 0, "followups": 0, "programmes": 0, "meetings": 0, "documents": 0}
        self.nik_serial = 5000  # above the serials of the adults built by apps.demo.services

    # --- helpers ---------------------------------------------------------------------------------

    def opd(self, short: str) -> Opd:
        return Opd.objects.filter(region_code=self.regency, short_name__startswith=short).order_by("pk").first()

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def working_days_ago(self, days: int) -> dt.date:
        """Forwarding happens on working days: with the 5-day SLA, a case forwarded fewer than 5
        working days ago is not yet due, one forwarded 12 working days ago is two periods late."""
        day, counted = self.today, 0
        while counted < days:
            day -= dt.timedelta(days=1)
            counted += day.weekday() < 5
        return day

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))

    def person(self, posyandu: Posyandu, *, min_age: int, max_age: int, sex: str | None = None,
               household: Household | None = None, **extra: Any) -> Person:
        """A resident served by the Posyandu, of an age in [min_age, max_age] for the next months."""
        rng = self.rng
        sex = sex or rng.choice("LP")
        birth = self.today - dt.timedelta(days=rng.randint(min_age * 365 + 100, (max_age + 1) * 365 - 40))
        prefix = posyandu.village.code.replace(".", "")[:6]
        self.nik_serial += 1
        nik = f"{prefix}{birth.day + (40 if sex == 'P' else 0):02d}{birth.month:02d}{birth.year % 100:02d}{self.nik_serial:04d}"
        family = household.head_name.split()[-1] if household else rng.choice(names.FAMILY)
        person = Person(name=f"{rng.choice(names.MALE if sex == 'L' else names.FEMALE)} {family}", sex=sex,
                        birth_date=birth, nik=nik, region=posyandu.village, posyandu=posyandu, household=household,
                        address=household.address if household else "", **extra)
        person._history_user = self.user  # type: ignore[attr-defined]
        _validate(person)
        person.save()
        return person

    def household(self, posyandu: Posyandu, serial: int) -> Household:
        rng = self.rng
        head = f"{rng.choice(names.MALE)} {rng.choice(names.FAMILY)}"
        issued = dt.date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
        kk = f"{posyandu.village.code.replace('.', '')[:6]}{issued:%d%m%y}{6000 + posyandu.pk % 300 * 10 + serial:04d}"
        house = Household(head_name=head, kk_number=kk, region=posyandu.village, posyandu=posyandu,
                          address=f"Jl. {rng.choice(names.POSYANDU_NAMES)} No. {rng.randint(1, 90)}",
                          rw=posyandu.rw or "01", rt=f"{rng.randint(1, 6):02d}")
        house._history_user = self.user  # type: ignore[attr-defined]
        house.save()
        return house

    def case(self, case: Any) -> Any:
        """Validate with the model's own rules (ages, criteria) and save, as the form would."""
        case.recorded_by = self.user
        _validate(case)
        case._history_user = self.user
        case.save()
        self.stats["cases"] += 1
        return case

    def forward(self, case: Any, opd_short: str, *, on: dt.date, due: dt.date | None = None,
                description: str = "") -> FollowUp:
        due = due or sla.add_working_days(on, sla.sla_working_days(case.spm_field_code, on=on))
        followup = forward_to_opd(case, opd=self.opd(opd_short), acting_user=self.user, due_date=due,
                                  description=description)
        # Forwarded on `on`, not at build time: the list then reads as a real history.
        FollowUp.objects.filter(pk=followup.pk).update(created_at=self.at(on, 10))
        self.stats["followups"] += 1
        return followup

    # --- registers of the non-health fields ----------------------------------------------------

    def registers(self, posyandu_list: list[Posyandu]) -> dict[str, FollowUp]:
        """A few cases per field at each Posyandu; the first is the demo kader's Posyandu."""
        rng, forwarded = self.rng, {}
        for index, posyandu in enumerate(posyandu_list):
            main = index == 0
            houses = [self.household(posyandu, n) for n in range(4 if main else 3)]
            # Water and sanitation: one survey per household, some without safe water or latrine.
            for n, house in enumerate(houses):
                lacking = n == 0 or rng.random() < 0.3
                survey = self.case(reg.WaterSanitationSurvey(
                    posyandu=posyandu, household=house, recorded_on=self.days_ago(rng.randint(20, 75)),
                    water_source=rng.choice(["sumur_tak_terlindung", "permukaan"]) if lacking
                    else rng.choice(["ledeng", "sumur_bor", "kemasan", "sumur_terlindung"]),
                    water_liters_per_person_day=rng.randint(25, 50) if lacking else rng.randint(60, 120),
                    toilet_access=reg.ToiletAccess.PUBLIC if lacking else reg.ToiletAccess.OWN,
                    toilet_type=reg.ToiletType.PIT if lacking else reg.ToiletType.GOOSENECK,
                    disposal=reg.Disposal.HOLE if lacking else reg.Disposal.SEPTIC,
                    wastewater=reg.Wastewater.NONE if lacking else reg.Wastewater.CLOSED,
                    status=reg.CaseStatus.VERIFIED if lacking else reg.CaseStatus.RECORDED))
                if main and n == 0:
                    forwarded["pupr"] = self.forward(
                        survey, "PUPR", on=self.working_days_ago(3),
                        description="Keluarga memakai sumur gali tidak terlindung dan MCK umum; usulan sambungan "
                                    "SPAM dan jamban sehat.")
            # Pendidikan: a PAUD-age child in or out of PAUD, and a child out of school.
            if index < 3:
                self.case(reg.EducationCase(
                    posyandu=posyandu, kind=reg.EducationKind.PAUD, recorded_on=self.days_ago(rng.randint(15, 50)),
                    person=self.person(posyandu, min_age=5, max_age=5, household=houses[1]),
                    in_paud=index != 0, institution="" if index == 0 else f"PAUD {rng.choice(names.POSYANDU_NAMES)}",
                    notes="Orang tua belum tahu ada PAUD gratis di kelurahan." if index == 0 else ""))
                reason = [reg.OutOfSchoolReason.ECONOMY, reg.OutOfSchoolReason.WORKING,
                          reg.OutOfSchoolReason.DOCUMENTS][index]
                ats = self.case(reg.EducationCase(
                    posyandu=posyandu, kind=reg.EducationKind.OUT_OF_SCHOOL, recorded_on=self.days_ago(25 + index),
                    person=self.person(posyandu, min_age=12, max_age=15, household=houses[2]),
                    out_of_school_reason=reason, status=reg.CaseStatus.VERIFIED,
                    reason_detail="Putus sekolah di kelas 8; orang tua tidak sanggup biaya seragam dan transport."
                    if index == 0 else ""))
                if main:
                    forwarded["pendidikan"] = self.forward(
                        ats, "Dikbud", on=self.working_days_ago(2),
                        description="Usulan Program Indonesia Pintar dan pendaftaran kembali ke SMP terdekat.")
            # Sosial: a person with a disability (forwarded long ago: overdue), a bansos proposal,
            # a neglected elder.
            if main:
                disabled = self.person(posyandu, min_age=30, max_age=45, sex="L", household=houses[3],
                                       disability="Disabilitas fisik (kaki kanan diamputasi)")
                social = self.case(reg.SocialCase(
                    posyandu=posyandu, kind=reg.SocialKind.DISABILITY, recorded_on=self.working_days_ago(20), person=disabled,
                    disability_type="Disabilitas fisik", need="Kaki palsu dan kursi roda; pelatihan kerja",
                    status=reg.CaseStatus.VERIFIED))
                forwarded["sosial"] = self.forward(
                    social, "Dinsos", on=self.working_days_ago(12),
                    description="Mohon asesmen ATENSI dan bantuan alat bantu (kaki palsu).")
            elif index == 1:
                head = self.person(posyandu, min_age=35, max_age=50, sex="P", household=houses[0])
                self.case(reg.SocialCase(
                    posyandu=posyandu, kind=reg.SocialKind.ASSISTANCE, recorded_on=self.days_ago(30), person=head,
                    programme=reg.AssistanceProgramme.PKH, outcome=reg.ProposalOutcome.PENDING,
                    need="Ibu tunggal dengan tiga anak sekolah", status=reg.CaseStatus.VERIFIED))
            elif index == 2:
                elder = self.person(posyandu, min_age=72, max_age=78, sex="P", household=houses[0])
                self.case(reg.SocialCase(
                    posyandu=posyandu, kind=reg.SocialKind.NEGLECTED_ELDERLY, recorded_on=self.days_ago(12),
                    person=elder, need="Tinggal sendiri, tidak ada keluarga yang merawat"))
            # Perumahan: two houses assessed against the RTLH criteria.
            if index < 2:
                rtlh = self.case(reg.HousingCase(
                    posyandu=posyandu, kind=reg.HousingKind.RTLH, household=houses[1 + index],
                    recorded_on=self.days_ago(45 - 10 * index),
                    roof_ok=index != 0, walls_ok=index != 1, floor_ok=index != 0,
                    floor_area_m2=Decimal("24.0") if main else Decimal("36.0"), occupants=5 if main else 4,
                    sanitation_ok=not main, status=reg.CaseStatus.VERIFIED,
                    repair_proposed_on=None if main else self.days_ago(20),
                    repair_outcome="" if main else reg.RepairOutcome.PENDING,
                    notes="Atap seng bocor, lantai tanah, tanpa jamban." if main else "Dinding papan lapuk."))
                if main:
                    forwarded["perumahan"] = followup = self.forward(rtlh, "Perkim", on=self.working_days_ago(8),
                                                                     due=self.days_ago(-3))
                    set_status(followup, FollowUpStatus.IN_PROGRESS, acting_user=self.user,
                               comment="Tim Perkim menjadwalkan verifikasi lapangan minggu ini.")
            # Trantibumlinmas: a flood reported and, with the Lurah's approval, forwarded to BPBD.
            if main:
                incident = self.case(reg.IncidentReport(
                    posyandu=posyandu, kind=reg.IncidentKind.DISASTER, occurred_on=self.days_ago(6),
                    recorded_on=self.days_ago(6), location=f"RT 03 RW {posyandu.rw or '01'}, {posyandu.village.name}",
                    description="Banjir setinggi 50 cm setelah hujan deras; 14 rumah terendam, warga mengungsi ke "
                                "balai kelurahan selama satu malam.",
                    reporter_name=f"{rng.choice(names.MALE)} {rng.choice(names.FAMILY)}",
                    reporter_address="RT 03", reporter_phone=f"08{rng.randint(1100000000, 9999999999)}",
                    kades_approved_on=self.working_days_ago(3)))
                forwarded["trantibumlinmas"] = self.forward(
                    incident, "BPBD", on=self.working_days_ago(3),
                    description="Mohon kaji cepat dan bantuan logistik; saluran drainase RT 03 tersumbat.")
            elif index == 3:
                self.case(reg.IncidentReport(
                    posyandu=posyandu, kind=reg.IncidentKind.PUBLIC_ORDER, occurred_on=self.days_ago(16),
                    recorded_on=self.days_ago(15), location=f"Lapangan RW {posyandu.rw or '01'}",
                    description="Keributan pemuda pada malam hari; sudah dimediasi Ketua RT.", is_anonymous=True))
            # Activities with attendance.
            kinds = [("pelatihan_kesiapsiagaan", "Simulasi kesiapsiagaan banjir bersama BPBD"),
                     ("kerja_bakti", "Kerja bakti pembersihan saluran air")] if main else [
                [("informasi_risiko_bencana", "Penyampaian informasi risiko gempa dan tsunami")],
                [("literasi", "Baca bersama di pojok baca Posyandu")],
                [("kelas_pengasuhan", "Kelas pengasuhan Bina Keluarga Balita")]][(index - 1) % 3]
            for kind, title in kinds:
                activity = reg.FieldActivity(
                    posyandu=posyandu, kind=kind, held_on=self.days_ago(rng.randint(10, 40)), title=title,
                    location=f"Balai {posyandu.village.name}", organiser="Kader Posyandu dan OPD terkait",
                    participants_male=rng.randint(6, 18), participants_female=rng.randint(10, 25),
                    recorded_by=self.user)
                _validate(activity)
                activity._history_user = self.user  # type: ignore[attr-defined]
                activity.save()
                self.stats["activities"] += 1
        return forwarded

    # --- programmes --------------------------------------------------------------------------------

    def programmes(self, villages: list[Region], documents: dict[str, Document]) -> dict[str, Programme]:
        rng, year, made = self.rng, self.today.year, {}
        members = {m.field.code: m for m in self.team.members.select_related("person", "field")
                   .filter(position=MemberPosition.KETUA_BIDANG, end_date__isnull=True)}
        indicators = {i.code: i for i in Indicator.objects.filter(valid_to__isnull=True).order_by("valid_from")}
        dinsos_user = User.objects.filter(opd__isnull=False, opd__region_code=self.regency,
                                          opd__short_name__startswith="Dinsos").order_by("pk").first()
        for (code, short, name, group, detail, output, first, last, pace, links, activities) in PROGRAMMES:
            opd = self.opd(short)
            budget = sum(b for _, b, _ in activities) * 1_000_000
            programme = Programme(
                team=self.team, year=year, field=self.fields[code], opd=opd, name=name, target_group=group,
                target_detail=detail, output=output, budget=Decimal(budget + 25_000_000),
                funding_source=FundingSource.APBD_KABKOTA, start_month=first, end_month=last,
                responsible_name=members[code].person.name if code in members else f"Kepala {opd.short_name}",
                responsible_user=dinsos_user if code == "sosial" else None, status=ProgrammeStatus.BERJALAN,
                notes="Disepakati dalam rakor TP Posyandu awal tahun.")
            _validate(programme)
            programme._history_user = self.user  # type: ignore[attr-defined]
            programme.save()
            for indicator_code, target in links:
                if indicator_code in indicators:
                    link = ProgrammeIndicator(programme=programme, indicator=indicators[indicator_code],
                                              target=Decimal(target))
                    _validate(link)
                    link.save()
            for activity_name, millions, months in activities:
                activity = Activity(programme=programme, name=activity_name, months=months,
                                    budget=Decimal(millions * 1_000_000))
                _validate(activity)
                activity.save()
                activity.villages.set(rng.sample(villages, min(len(villages), rng.randint(2, 5))))
            self.progress(programme, pace)
            made[code] = programme
            self.stats["programmes"] += 1
        made["kesehatan"].documents.add(documents["kemenkes"], documents["permendagri"])
        return made

    def progress(self, programme: Programme, pace: Decimal) -> None:
        """Cumulative physical and financial progress at the end of each past month of the year."""
        months = [m for m in programme.months if m < self.today.month]
        span = len(programme.months)
        for n, month in enumerate(months, start=1):
            physical = min(Decimal(100), (Decimal(n * 100) / span * pace).quantize(Decimal("0.01")))
            spent = (programme.budget * physical / 100 * Decimal(self.rng.uniform(0.8, 0.98))).quantize(Decimal(1))
            report = ProgressReport(programme=programme, month=dt.date(programme.year, month, 1),
                                    physical_progress=physical, financial_realisation=spent,
                                    reported_by=self.user,
                                    notes="Pelaksanaan tertunda menunggu pencairan anggaran."
                                    if pace < Decimal("0.6") and n == len(months) else "")
            _validate(report)
            report._history_user = self.user  # type: ignore[attr-defined]
            report.save()

    # --- rakor ---------------------------------------------------------------------------------

    def meetings(self, forwarded: dict[str, FollowUp], documents: dict[str, Document]) -> Meeting:
        rng = self.rng
        ketua = self.team.members.filter(position=MemberPosition.KETUA).select_related("person").first()
        sekretaris = self.team.members.filter(position=MemberPosition.SEKRETARIS).select_related("person").first()
        last_month = agenda.previous_month(self.today)
        held_on = _weekday(last_month.replace(day=14))
        held = self.meeting(f"Rakor {self.team.name} {agenda.month_label(last_month)}",
                            held_on, MeetingStatus.DONE, ketua, sekretaris)
        held.minutes = (
            f"Rapat dibuka oleh {held.chair}. Dibahas capaian penimbangan balita dan stunting, usulan Posyandu "
            "bidang sosial dan perumahan, serta kemajuan program kerja OPD.\n"
            "1. Dinkes melaporkan partisipasi penimbangan (D/S) masih di bawah target 80 %; kader diminta "
            "melakukan kunjungan rumah bagi balita yang tidak datang.\n"
            "2. Usulan penyandang disabilitas dari Posyandu belum diases Dinas Sosial.\n"
            "3. Bidang pekerjaan umum belum memiliki program kerja tahun ini.\n"
            "Rapat ditutup pukul 12.00.")
        held._history_user = self.user  # type: ignore[attr-defined]
        held.save(update_fields=["minutes", "updated_at"])
        meeting_services.add_opd_representatives(
            meeting=held, opds=[o for o in (self.opd("BPBD"), self.opd("Bappeda"), self.opd("DP3AP2KB")) if o],
            acting_user=self.user)
        Participant.objects.create(meeting=held, name=self.user.full_name or self.user.username, user=self.user,
                                   position="Operator data TP Posyandu", attended=True)
        participants = list(held.participants.order_by("pk"))
        absent = {p.pk for p in rng.sample(participants[2:-1], 2)}  # never the chair, nor the operator
        meeting_services.record_attendance(meeting=held, present_ids={p.pk for p in participants} - absent,
                                           acting_user=self.user)
        area, year = self.area_code, self.today.year
        items = [
            agenda.Proposal(key=f"indikator:DS:{area}", kind=AgendaKind.INDICATOR,
                            title="Partisipasi penimbangan balita (D/S) di bawah target 80 %",
                            detail="Kunjungan rumah dan pengingat jadwal Posyandu.", field_code="kesehatan"),
            agenda.Proposal(key=f"lainnya:sosial:{area}:{last_month:%Y-%m}", kind=AgendaKind.OTHER,
                            title="Usulan Posyandu bidang sosial: penyandang disabilitas",
                            detail="Usulan kader menunggu asesmen Dinas Sosial.", field_code="sosial",
                            source=forwarded.get("sosial")),
            agenda.Proposal(key=f"program:tanpa:pupr:{area}:{year}", kind=AgendaKind.PROGRAMME,
                            title=f"Bidang {self.fields['pupr'].short_name} belum punya program kerja {year}",
                            detail="Tetapkan program dan OPD penanggung jawabnya.", field_code="pupr"),
            agenda.Proposal(key=f"program:kemajuan:{area}:{year}", kind=AgendaKind.PROGRAMME,
                            title=f"Kemajuan program kerja OPD tahun {year}",
                            detail="Realisasi fisik dan keuangan per OPD sampai bulan lalu."),
        ]
        agenda_items = []
        for proposal in items:
            item = meeting_services.add_proposal(meeting=held, proposal=proposal, acting_user=self.user)
            item.discussed = True
            item.save(update_fields=["discussed", "updated_at"])
            agenda_items.append(item)
        _, late = meeting_services.record_decision(
            meeting=held, agenda_item=agenda_items[1], acting_user=self.user, owner_opd=self.opd("Dinsos"),
            text="Dinas Sosial melakukan asesmen penyandang disabilitas usulan Posyandu dan melaporkan hasilnya.",
            followup_title="Asesmen penyandang disabilitas usulan Posyandu", due_date=held_on + dt.timedelta(days=7))
        _, pupr = meeting_services.record_decision(
            meeting=held, agenda_item=agenda_items[2], acting_user=self.user, owner_opd=self.opd("PUPR"),
            text=f"Dinas PUPR menyusun usulan program air minum dan sanitasi berbasis data Posyandu untuk "
                 f"tahun {year + 1}.",
            followup_title="Usulan program air minum dan sanitasi", due_date=_weekday(self.today + dt.timedelta(days=21)))
        for followup in (late, pupr):
            FollowUp.objects.filter(pk=followup.pk).update(created_at=self.at(held_on, 12))
            self.stats["followups"] += 1
        held.documents.add(documents["permendagri"])

        upcoming_on = _weekday(self.today + dt.timedelta(days=7))
        upcoming = self.meeting(f"Rakor {self.team.name} {agenda.month_label(self.today)}",
                                upcoming_on, MeetingStatus.SCHEDULED, ketua, sekretaris)
        # The next agenda is what the data proposes: open decisions carried over, overdue follow-ups,
        # the field without a programme.
        for proposal in (agenda.followup_proposals(area, self.today, upcoming)
                         + agenda.programme_proposals(area, year)):
            meeting_services.add_proposal(meeting=upcoming, proposal=proposal, acting_user=self.user)
        return held

    def meeting(self, title: str, day: dt.date, status: str, ketua: Any, sekretaris: Any) -> Meeting:
        meeting = Meeting(team=self.team, title=title, kind=MeetingKind.RAKOR, scheduled_at=self.at(day),
                          place=f"Ruang rapat Bappeda {self.team.region.title}", status=status,
                          chair=ketua.person.name if ketua else "", created_by=self.user,
                          secretary=sekretaris.person.name if sekretaris else "")
        meeting._history_user = self.user  # type: ignore[attr-defined]
        meeting.save()
        meeting_services.invite_team_members(meeting=meeting, acting_user=self.user)
        self.stats["meetings"] += 1
        return meeting

    # --- library -------------------------------------------------------------------------------

    def documents(self) -> dict[str, Document]:
        """National documents, shared by every area: reused when another demo build made them."""
        made = {}
        for key, spec in zip(("permendagri", "kemenkes", "pp_spm"), DOCUMENTS):
            doc = Document.objects.filter(title=spec["title"], region__isnull=True).first()
            if doc is None:
                doc = Document(title=spec["title"], issuer=spec["issuer"], number=spec["number"], year=spec["year"],
                               kind=spec["kind"], description=spec["description"])
                doc.file = ContentFile(_pdf(spec), name=f"{key}-{spec['year']}.pdf")
                _validate(doc)
                doc._history_user = self.user  # type: ignore[attr-defined]
                doc.save()
                codes = spec["fields"] or list(self.fields)
                doc.fields.set([self.fields[c] for c in codes])
                self.stats["documents"] += 1
            made[key] = doc
        return made


def _validate(obj: Any) -> None:
    """The model's own rules, as its form checks them (fields the form does not edit, such as the
    region codes filled on save, are left out)."""
    obj.full_clean(exclude=[f.name for f in obj._meta.fields if not f.editable])


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after a weekend (rakor are held on working days)."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _pdf(spec: dict[str, Any]) -> bytes:
    """A one-page PDF standing in for the real document (the demo ships no copyrighted files)."""
    from django.utils.html import escape
    from weasyprint import HTML  # imported late: it loads Pango

    html = (f"<h2>{escape(spec['title'])}</h2><p>{escape(spec['issuer'])}, {spec['year']}</p>"
            f"<p>{escape(spec['description'])}</p><p><em>Berkas contoh untuk data demo Posyandu 6 SPM; unduh "
            "dokumen resmi dari JDIH instansi penerbit.</em></p>")
    return HTML(string=html).write_pdf()


@transaction.atomic
def build_demo_tp(area_code: str = DEMO_CITY, *, today: dt.date, seed: int = 2024) -> dict[str, int] | None:
    """Registers, programmes, rakor and library documents for the TP Posyandu of `area_code`.

    Idempotent: returns None (and changes nothing) when the area already has programmes, when its
    TP Posyandu or the demo operator account is missing.
    """
    team = TimPembina.objects.filter(region_code=area_code).select_related("region").order_by("pk").first()
    user = User.objects.filter(username=ACTING_USERNAME).first()
    if team is None or user is None or Programme.objects.filter(code_q("region_code", area_code)).exists():
        return None
    posyandu_list = _demo_posyandu(area_code)
    if not posyandu_list:
        return None
    builder = _Builder(area_code, team, user, today, seed)
    documents = builder.documents()
    forwarded = builder.registers(posyandu_list)
    villages = list(Region.objects.current().filter(code_q("code", posyandu_list[0].district_code), level=4)
                    .order_by("code"))
    villages = sorted({p.village for p in posyandu_list} | set(villages[:8]), key=lambda v: v.code)
    builder.programmes(villages, documents)
    builder.meetings(forwarded, documents)
    escalate_overdue(today=today)  # what the daily job would have done: overdue rows reach the kecamatan/kota
    return builder.stats


def _demo_posyandu(area_code: str) -> list[Posyandu]:
    """The demo kader's Posyandu (when in the area) and a few others of its kecamatan, in other
    villages first."""
    kader = User.objects.filter(username="kader.posyandu").first()
    assignment = kader.assignments.filter(posyandu__isnull=False).first() if kader else None
    in_area = Posyandu.objects.filter(code_q("region_code", area_code), is_active=True).select_related("village")
    main = assignment.posyandu if assignment and in_area.filter(pk=assignment.posyandu_id).exists() else None
    main = main or in_area.order_by("pk").first()
    if main is None:
        return []
    main = in_area.get(pk=main.pk)
    others = list(in_area.filter(district_code=main.district_code).exclude(pk=main.pk).order_by("region_code", "pk"))
    seen, first_pass, rest = {main.village_id}, [], []
    for p in others:
        (rest if p.village_id in seen else first_pass).append(p)
        seen.add(p.village_id)
    return [main, *(first_pass + rest)[:OTHER_POSYANDU]]
