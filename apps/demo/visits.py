"""Demo service-day data: balita with six months of weighings (through the real import path, so
results, KMS and referral proposals are computed exactly as for users), plus ibu hamil, lansia, WUS
and a screened smoker (PUMA, TBC) through services.record_visit. Deterministic for a given seed."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction

from apps.accounts.models import User
from apps.core.scoping import code_q
from apps.demo import names
from apps.people.models import MaritalStatus, Person, Pregnancy
from apps.posyandu.models import Posyandu
from apps.serviceday import services
from apps.serviceday.imports import import_measurements
from apps.serviceday.models import Contraception, Visit
from growth import lms_value
from growth.tables import load

MONTHS = 6


def _measure(table: str, sex: int, age_days: int, z: float) -> float:
    t = load(table)
    i = min(max(int(age_days), 0), t.size - 1)
    return float(lms_value(t.l[sex, i], t.m[sex, i], t.s[sex, i], z))


def build_demo_visits(area_code: str, *, today: dt.date, seed: int = 2024, children_per_posyandu: int = 12) -> int:
    """Create the demo children and visits for every Posyandu under `area_code` that has none."""
    rng = random.Random(f"{seed}:visits:{area_code}")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    created = 0
    posyandu_list = Posyandu.objects.filter(code_q("region_code", area_code)).select_related("village")
    for posyandu in posyandu_list.order_by("pk"):
        if Visit.objects.filter(posyandu=posyandu).exists():
            continue
        created += _import_children(posyandu, rng, today, children_per_posyandu, admin)
        created += _adults(posyandu, rng, today, admin)
        # Its own random stream, so the children and adults above stay what they were.
        created += _wus(posyandu, random.Random(f"{seed}:wus:{posyandu.pk}"), today, admin)
        created += _screened_smoker(posyandu, random.Random(f"{seed}:puma:{posyandu.pk}"), today, admin)
    return created


def _import_children(posyandu: Posyandu, rng: random.Random, today: dt.date, count: int, user: User) -> int:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nama", "jk", "tgl_lahir", "nama_ibu", "tanggal_ukur", "berat", "tinggi", "cara_ukur", "kia"])
    day_of_month = posyandu.schedule_day or 10
    rows = 0
    # Its own stream, so the children's names and growth stay what they were: most have a Buku KIA,
    # some not, a few not yet asked (unknown, so not counted in SKDN's K).
    kia_rng = random.Random(f"kia:{posyandu.pk}")
    for _ in range(count):
        kia = kia_rng.choices(["Ya", "Tidak", ""], weights=[85, 10, 5])[0]
        sex = rng.choice("LP")
        birth = today - dt.timedelta(days=rng.randint(60, 58 * 30))
        name = f"{rng.choice(names.MALE if sex == 'L' else names.FEMALE)} {rng.choice(names.FAMILY)}"
        mother = f"{rng.choice(names.FEMALE)} {rng.choice(names.FAMILY)}"
        z_weight, z_length = rng.gauss(-0.5, 0.9), rng.gauss(-0.7, 0.9)
        for back in range(MONTHS, 0, -1):
            index = today.year * 12 + today.month - 1 - back  # whole calendar months back
            visit_day = dt.date(index // 12, index % 12 + 1, min(day_of_month, 28))
            if visit_day <= birth or rng.random() < 0.08:  # not born yet, or not weighed (O)
                continue
            age = (visit_day - birth).days
            z_weight += rng.gauss(-0.01, 0.15)  # some children falter: T, 2T, BGM appear naturally
            standing = age >= 731
            length = _measure("lenanthro", 1 if sex == "L" else 2, age, z_length)
            weight = _measure("weianthro", 1 if sex == "L" else 2, age, z_weight)
            writer.writerow([name, sex, birth.isoformat(), mother, visit_day.isoformat(), f"{weight:.1f}",
                             f"{length - (0.7 if standing else 0):.1f}", "Berdiri" if standing else "Terlentang", kia])
            rows += 1
    out.seek(0)
    result = import_measurements(posyandu=posyandu, source=io.BytesIO(out.getvalue().encode()), acting_user=user)
    if result.errors:
        raise RuntimeError("demo import failed: " + "; ".join(result.summary_lines()[:5]))
    return result.visits_created


@transaction.atomic
def _adults(posyandu: Posyandu, rng: random.Random, today: dt.date, user: User) -> int:
    day = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=min(posyandu.schedule_day or 10, 28))
    session = services.open_session(posyandu=posyandu, date=day, acting_user=user)
    made = 0
    for i in range(2):  # ibu hamil, one of them with KEK
        mother = Person(name=f"{rng.choice(names.FEMALE)} {rng.choice(names.FAMILY)}", sex="P",
                        birth_date=dt.date(rng.randint(1990, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                        region=posyandu.village, posyandu=posyandu)
        mother.save()
        weeks = rng.randint(10, 34)
        Pregnancy.objects.create(person=mother, lmp_date=day - dt.timedelta(weeks=weeks))
        services.record_visit(visit=Visit(
            session=session, posyandu=posyandu, person=mother, visit_date=day, gestational_age_weeks=weeks,
            weight_kg=Decimal(f"{rng.uniform(45, 68):.1f}"), muac_cm=Decimal("22.5" if i == 0 else f"{rng.uniform(24, 29):.1f}"),
            systolic=rng.randint(100, 128), diastolic=rng.randint(65, 84), iron_tablets=30), acting_user=user)
        made += 1
    for _ in range(3):  # lansia, some hypertensive
        sex = rng.choice("LP")
        elder = Person(name=f"{rng.choice(names.MALE if sex == 'L' else names.FEMALE)} {rng.choice(names.FAMILY)}",
                       sex=sex, birth_date=dt.date(rng.randint(1940, 1964), rng.randint(1, 12), rng.randint(1, 28)),
                       region=posyandu.village, posyandu=posyandu)
        elder.save()
        services.record_visit(visit=Visit(
            session=session, posyandu=posyandu, person=elder, visit_date=day,
            weight_kg=Decimal(f"{rng.uniform(45, 75):.1f}"), height_cm=Decimal(f"{rng.uniform(148, 170):.1f}"),
            systolic=rng.randint(115, 175), diastolic=rng.randint(70, 105), glucose_mg_dl=rng.randint(85, 240),
            adl_score=rng.choice([20, 20, 20, 17])), acting_user=user)
        made += 1
    return made


@transaction.atomic
def _wus(posyandu: Posyandu, rng: random.Random, today: dt.date, user: User) -> int:
    """The WUS/PUS register (Format 3): the ibu hamil become PUS with husbands and children, a PUS
    who switched from pil to suntik, and an unmarried WUS with a Td dose; a few months apart."""
    for mother in Person.objects.filter(posyandu=posyandu, sex="P", pregnancies__isnull=False).distinct():
        mother.marital_status, mother.spouse_name = MaritalStatus.MARRIED, _full_name(rng, names.MALE)
        mother.living_children, mother.deceased_children = rng.randint(0, 3), 0
        mother.save(update_fields=["marital_status", "spouse_name", "living_children", "deceased_children"])
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=min(posyandu.schedule_day or 10, 28))
    earlier = (last.replace(day=1) - dt.timedelta(days=85)).replace(day=last.day)
    pus = Person(name=_full_name(rng, names.FEMALE), sex="P", region=posyandu.village, posyandu=posyandu,
                 birth_date=dt.date(rng.randint(1984, 1996), rng.randint(1, 12), rng.randint(1, 28)),
                 marital_status=MaritalStatus.MARRIED, spouse_name=_full_name(rng, names.MALE),
                 living_children=rng.randint(1, 4), deceased_children=rng.choice([0, 0, 1]))
    single = Person(name=_full_name(rng, names.FEMALE), sex="P", region=posyandu.village, posyandu=posyandu,
                    birth_date=dt.date(rng.randint(2002, 2008), rng.randint(1, 12), rng.randint(1, 28)),
                    marital_status=MaritalStatus.SINGLE)
    pus.save()
    single.save()
    made = 0
    for day, method in ((earlier, Contraception.PILL), (last, Contraception.INJECTION)):
        session = services.open_session(posyandu=posyandu, date=day, acting_user=user)
        services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=pus, visit_date=day,
                                          muac_cm=Decimal(f"{rng.uniform(23.0, 28):.1f}"), contraception=method),
                              acting_user=user)
        made += 1
    session = services.open_session(posyandu=posyandu, date=last, acting_user=user)
    services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=single, visit_date=last,
                                      muac_cm=Decimal(f"{rng.uniform(21.5, 26):.1f}")),
                          acting_user=user, vaccines=["TT1"])
    return made + 1


@transaction.atomic
def _screened_smoker(posyandu: Posyandu, rng: random.Random, today: dt.date, user: User) -> int:
    """A smoker past 60 with the PUMA questionnaire, the TBC screening, and the vision and hearing
    tests of the KBP dewasa card: a cough with phlegm and a TB contact at home, so the proposal
    shows the PUMA (6 at least: man 1, age 2, three symptoms) and TBC triggers."""
    day = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=min(posyandu.schedule_day or 10, 28))
    session = services.open_session(posyandu=posyandu, date=day, acting_user=user)
    smoker = Person(name=_full_name(rng, names.MALE), sex="L", region=posyandu.village, posyandu=posyandu,
                    birth_date=dt.date(day.year - rng.randint(62, 70), rng.randint(1, 12), rng.randint(1, 28)))
    smoker.save()
    services.record_visit(visit=Visit(
        session=session, posyandu=posyandu, person=smoker, visit_date=day,
        weight_kg=Decimal(f"{rng.uniform(50, 70):.1f}"), height_cm=Decimal(f"{rng.uniform(155, 170):.1f}"),
        systolic=rng.randint(110, 135), diastolic=rng.randint(70, 85), smoker=True,
        tbc_cough=True, tbc_fever=False, tbc_weight=False, tbc_contact=True,
        puma_cigarettes_per_day=rng.choice([12, 16, 20]), puma_smoking_years=rng.randint(30, 40),
        puma_short_breath=True, puma_phlegm=True, puma_cough=True, puma_spirometry=False,
        vision_right="normal", vision_left="normal", hearing_right="normal", hearing_left="tidak_normal"),
        acting_user=user)
    return 1


def _full_name(rng: random.Random, given: list[str]) -> str:
    return f"{rng.choice(given)} {rng.choice(names.FAMILY)}"
