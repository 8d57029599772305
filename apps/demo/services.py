"""Deterministic demo data built on real Kemendagri codes.

The same seed gives the same people, Posyandu and accounts on every machine, so tests, screenshots
and benchmarks can name them. Rows are bulk-inserted (no per-row history: the demo is not an edit).
"""
from __future__ import annotations

import datetime as dt
import os
import random
from dataclasses import dataclass

from django.db import transaction

from apps.accounts.models import Assignment, Role, User
from apps.core.scoping import code_q
from apps.demo import names
from apps.organisations.models import MemberPosition, Opd, TimPembina, TimPembinaMember
from apps.people.models import Person
from apps.posyandu.models import Kader, Pengurus, PengurusPosition, Pos, PosLevel, Posyandu, ScheduleKind
from apps.regions.models import Region
from apps.spm.models import SpmField

DEMO_CITY = "17.71"  # Kota Bengkulu
DEMO_KECAMATAN = "17.71.02"  # Gading Cempaka
DEMO_KELURAHAN = "17.71.02.1001"  # Padang Harapan
DEFAULT_PASSWORD = "posyandu-demo-2026"

# OPD per region, by SPM field code (names as Kota/Provinsi Bengkulu use them).
OPD_TEMPLATES = [
    ("Dinas Kesehatan", "Dinkes", ["kesehatan"]),
    ("Dinas Pendidikan dan Kebudayaan", "Dikbud", ["pendidikan"]),
    ("Dinas Sosial", "Dinsos", ["sosial"]),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "Perkim", ["perumahan"]),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", ["pupr"]),
    ("Satuan Polisi Pamong Praja", "Satpol PP", ["trantibumlinmas"]),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", ["trantibumlinmas"]),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", []),
    ("Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB", "DP3AP2KB", ["kesehatan", "sosial"]),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", []),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area: str
    access: str


class _PersonMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # NIK serials count per kecamatan + birth date, as Dukcapil issues them; a global counter
        # wraps past 9,999 on a province build and collides.
        self.serials: dict[str, int] = {}

    def make(self, region: Region, *, sex: str | None = None, min_age: int = 20, max_age: int = 60) -> Person:
        rng = self.rng
        sex = sex or rng.choice("LP")
        given = rng.choice(names.MALE if sex == "L" else names.FEMALE)
        name = f"{given} {rng.choice(names.FAMILY)}"
        birth = dt.date(2026, 1, 1) - dt.timedelta(days=rng.randint(min_age * 365, max_age * 365))
        district_digits = region.code.replace(".", "")[:6].ljust(6, "0")
        day = birth.day + (40 if sex == "P" else 0)
        prefix = f"{district_digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        self.serials[prefix] = self.serials.get(prefix, 0) + 1
        nik = f"{prefix}{self.serials[prefix]:04d}"
        person = Person(name=name, sex=sex, birth_date=birth, region=region, nik=nik,
                        phone=f"08{rng.randint(1100000000, 9999999999)}")
        person.set_region_code(region.code)
        return person


@transaction.atomic
def build_demo_area(area_code: str, *, per_village: int = 3, seed: int = 2024) -> dict[str, int] | None:
    """Build Posyandu, people, OPD and TP Posyandu for every village under `area_code`.

    Returns None (and changes nothing) when the area already has demo Posyandu.
    """
    if Posyandu.objects.filter(code_q("region_code", area_code)).exists():
        return None
    rng = random.Random(f"{seed}:{area_code}")
    fields = {f.code: f for f in SpmField.objects.all()}
    regions = list(Region.objects.current().filter(code_q("code", area_code)).order_by("code"))
    province_code = area_code.split(".")[0]
    # The province above the area: shared by several demo areas, so built only once.
    upper = list(Region.objects.current().filter(code=province_code)) if area_code != province_code else []
    upper = [r for r in upper if not TimPembina.objects.filter(region=r).exists()]
    villages = [r for r in regions if r.level == 4]
    maker = _PersonMaker(rng)

    # OPD at the province and at each kab/kota in the area.
    opd_regions = upper + [r for r in regions if r.level in (1, 2)]
    opds: dict[str, list[Opd]] = {}
    opd_for_field: dict[tuple[str, str], Opd] = {}
    for region in opd_regions:
        suffix = ("Provinsi " + region.name) if region.level == 1 else region.name
        for name, short, codes in OPD_TEMPLATES:
            opd = Opd(region=region, name=f"{name} {suffix}", short_name=f"{short} {suffix}")
            opd.set_region_code(region.code)
            opds.setdefault(region.code, []).append(opd)
            for code in codes:
                opd_for_field.setdefault((region.code, code), opd)
    Opd.objects.bulk_create([o for lst in opds.values() for o in lst])
    through = Opd.fields.through
    links = []
    for lst in opds.values():
        for opd, (_, _, codes) in zip(lst, OPD_TEMPLATES):
            links += [through(opd_id=opd.pk, spmfield_id=fields[c].pk) for c in codes]
    through.objects.bulk_create(links)

    # Posyandu, Pos, pengurus and kader in every village.
    posyandu_rows: list[Posyandu] = []
    for village in villages:
        count = max(1, per_village + rng.randint(-1, 1))
        for serial in range(1, count + 1):
            p = Posyandu(
                village=village, name=f"Posyandu {rng.choice(names.POSYANDU_NAMES)} {serial}",
                registration_number=f"{village.code}.{serial:03d}",
                address=f"Jl. {rng.choice(names.POSYANDU_NAMES)} No. {rng.randint(1, 120)}",
                rw=f"{serial:02d}", founded_on=dt.date(rng.randint(1986, 2020), rng.randint(1, 12), 1),
                sk_number=f"{rng.randint(10, 400)}/SK/{village.name[:10].upper()}/2025",
                sk_date=dt.date(2025, rng.randint(1, 9), rng.randint(1, 28)),
                schedule_kind=ScheduleKind.MONTHLY_DATE, schedule_day=rng.randint(5, 25),
                latitude=round(-3.80 + rng.uniform(-0.08, 0.08), 6) if area_code.startswith("17.71") else None,
                longitude=round(102.29 + rng.uniform(-0.08, 0.08), 6) if area_code.startswith("17.71") else None,
            )
            p.set_region_code(village.code)
            posyandu_rows.append(p)
    Posyandu.objects.bulk_create(posyandu_rows, batch_size=2000)

    pos_rows: list[Pos] = []
    for p in posyandu_rows:
        for n in range(1, rng.randint(1, 3) + 1):
            pos_rows.append(Pos(posyandu=p, name=f"Pos RW {int(p.rw) + n - 1:02d}", level=PosLevel.RW,
                                rw=f"{int(p.rw) + n - 1:02d}"))
    Pos.objects.bulk_create(pos_rows, batch_size=2000)

    people: list[Person] = []
    pengurus_rows: list[tuple[Posyandu, int, str, str | None]] = []
    kader_rows: list[tuple[Posyandu, int, str]] = []
    field_codes = list(fields)
    for p in posyandu_rows:
        village = p.village
        for position in ("ketua", "sekretaris", "bendahara"):
            people.append(maker.make(village, sex="P" if position != "bendahara" else None))
            pengurus_rows.append((p, len(people) - 1, position, None))
        for code in field_codes:  # a ketua bidang for each SPM field
            people.append(maker.make(village))
            pengurus_rows.append((p, len(people) - 1, PengurusPosition.KETUA_BIDANG, code))
        # Kader: health needs most hands; every other field gets one or two.
        plan = ["kesehatan"] * rng.randint(4, 6) + [c for c in field_codes if c != "kesehatan" for _ in range(rng.randint(1, 2))]
        for code in plan:
            people.append(maker.make(village, sex="P" if code == "kesehatan" and rng.random() < 0.85 else None))
            kader_rows.append((p, len(people) - 1, code))
    for person in people:
        person.posyandu = None
    Person.objects.bulk_create(people, batch_size=2000)
    start = dt.date(2025, 1, 1)
    Pengurus.objects.bulk_create([
        Pengurus(posyandu=p, person=people[i], position=pos, field=fields[c] if c else None,
                 sk_number=p.sk_number, sk_date=p.sk_date, start_date=start)
        for p, i, pos, c in pengurus_rows
    ], batch_size=2000)
    Kader.objects.bulk_create([
        Kader(posyandu=p, person=people[i], field=fields[c], start_date=dt.date(rng.randint(2010, 2025), 1, 1),
              role="koordinator" if n == 0 else "kader")
        for n, (p, i, c) in enumerate(kader_rows)
    ], batch_size=2000)
    # Persons served by a Posyandu are linked to it (kader see their own Posyandu's people).
    for p, i, _ in kader_rows:
        people[i].posyandu = p
    for p, i, _, _ in pengurus_rows:
        people[i].posyandu = p
    Person.objects.bulk_update(people, ["posyandu"], batch_size=2000)

    # TP Posyandu at every level of the area (and the province above it).
    teams = []
    for region in upper + [r for r in regions if r.level <= 4]:
        team = TimPembina(region=region, name=f"TP Posyandu {region.title}",
                          sk_number=f"{rng.randint(100, 999)}/KPTS/2025", sk_date=dt.date(2025, 3, 1),
                          term_start=dt.date(2025, 3, 1), term_end=dt.date(2030, 2, 28))
        team.set_region_code(region.code)
        teams.append(team)
    TimPembina.objects.bulk_create(teams, batch_size=2000)
    members: list[TimPembinaMember] = []
    member_people: list[Person] = []
    region_by_code = {r.code: r for r in upper + regions}
    for team in teams:
        dpmd = next((o for o in opds.get(team.region_code, []) if o.short_name.startswith("DPMD")), None)
        roster = [(MemberPosition.KETUA, "Ketua (Ketua TP PKK)", None, None, "P"),
                  (MemberPosition.SEKRETARIS, "Sekretaris II (Kepala DPMD)" if dpmd else "Sekretaris", dpmd, None, None)]
        roster += [(MemberPosition.KETUA_BIDANG, f"Ketua Bidang {fields[c].short_name}",
                    opd_for_field.get((team.region_code, c)), c, None) for c in field_codes]
        for position, title, opd, code, sex in roster:
            person = maker.make(region_by_code[team.region_code], sex=sex)
            member_people.append(person)
            members.append(TimPembinaMember(team=team, person=person, position=position, title=title,
                                            opd=opd, field=fields[code] if code else None,
                                            sk_number=team.sk_number, start_date=team.term_start))
    Person.objects.bulk_create(member_people, batch_size=2000)
    for m in members:
        m.person = m.person  # re-bind the now-saved person so its id is copied
    TimPembinaMember.objects.bulk_create(members, batch_size=2000)
    return {"posyandu": len(posyandu_rows), "kader": len(kader_rows), "people": len(people) + len(member_people),
            "opd": sum(len(v) for v in opds.values()), "teams": len(teams)}


def ensure_demo_users() -> list[DemoLogin]:
    """One account per role on the demo area; idempotent, password from DEMO_PASSWORD."""
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
    posyandu = Posyandu.objects.filter(region_code=DEMO_KELURAHAN).order_by("pk").first()
    city = Region.objects.current().filter(code=DEMO_CITY).first()
    if posyandu is None or city is None:
        return []
    dinsos = Opd.objects.filter(region_code=DEMO_CITY, short_name__startswith="Dinsos").first()
    plan = [
        ("admin", Role.ADMIN, None, None, True, "Admin Sistem"),
        ("nasional", Role.NASIONAL, None, None, False, "Pemantau Nasional"),
        ("provinsi.bengkulu", Role.PROVINSI, "17", None, True, "Ratna Wijaya"),
        ("kota.bengkulu", Role.KABKOTA, DEMO_CITY, None, True, "Hendra Saputra"),
        ("dinsos.bengkulu", Role.KABKOTA, DEMO_CITY, None, False, "Yuliana Siregar"),
        ("kec.gadingcempaka", Role.KECAMATAN, DEMO_KECAMATAN, None, False, "Fajar Pratama"),
        ("desa.padangharapan", Role.OPERATOR_DESA, DEMO_KELURAHAN, None, True, "Dewi Lestari"),
        ("pengurus.posyandu", Role.PENGURUS, None, posyandu, True, "Siti Rahayu"),
        ("kader.posyandu", Role.KADER, None, posyandu, True, "Nurhayati Lubis"),
    ]
    logins = []
    for username, role, code, posyandu_obj, write, full_name in plan:
        user, created = User.objects.get_or_create(username=username, defaults={"role": role, "full_name": full_name})
        if created:
            user.set_password(password)
            user.is_superuser = user.is_staff = role == Role.ADMIN
            if username == "dinsos.bengkulu":
                user.opd = dinsos
            user.save()
            if role != Role.ADMIN:
                region = Region.objects.current().get(code=code) if code else None
                # The kecamatan / Puskesmas officer reads the area and imports e-PPGBM files for it.
                Assignment.objects.create(user=user, region=region, posyandu=posyandu_obj, can_write=write,
                                          can_import=role == Role.KECAMATAN)
        area = posyandu.name if posyandu_obj else (code or "seluruh Indonesia")
        logins.append(DemoLogin(username, user.get_role_display(), area, "ubah" if write else "baca"))
    return logins
