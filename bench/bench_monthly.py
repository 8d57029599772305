"""Benchmark: recomputing one month of the monthly report for a province of 1,000 Posyandu.

Bar (issue 5): a province of 1,000 Posyandu with 12 months of records (about 3 M measurements);
recompute one month for every level in under 60 s, on SQLite and on PostgreSQL.

What it builds, in a database of its own (a temporary SQLite file; a temporary PostgreSQL database
at 127.0.0.1:5432, dropped at the end):
- the regions of Provinsi Bengkulu (17) and 1,000 Posyandu in its first 1,000 villages;
- 250 people per Posyandu (80 balita, 10 ibu hamil, 60 remaja, 60 usia produktif, 40 lansia):
  250,000 people, with a pregnancy for each ibu hamil;
- one visit a month for each of them for 12 months: 3,000,000 visits, with results drawn from
  realistic distributions (z-scores, KMS status, KEK, hypertension), written in bulk.
Then it times, for the last month:
1. the recompute: `compute_month` for every Posyandu of the province (one pass), and the roll-ups
   to desa, kecamatan, kab/kota and provinsi (`rollup`, one GROUP BY each);
2. baseline "per Posyandu": `compute_month` called once per Posyandu, as a naive job would,
   timed on 50 Posyandu and scaled to 1,000.

Usage: .venv/bin/python bench/bench_monthly.py [--db sqlite|postgresql|both] [--posyandu 1000]
It is not a test; figures depend on the machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
BAR_SECONDS = 60.0
GROUPS = [  # (stage, count per Posyandu, age range in months at the last month)
    ("balita", 80, (1, 59)), ("ibu_hamil", 10, (240, 420)), ("remaja", 60, (72, 227)),
    ("produktif", 60, (228, 719)), ("lansia", 40, (720, 960)),
]
MONTHS = 12
LAST_MONTH = dt.date(2026, 10, 1)


def month_add(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def build(n_posyandu: int, seed: int = 5) -> None:
    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction

    from apps.core.regioncodes import path_codes
    from apps.people.models import Person, Pregnancy
    from apps.posyandu.models import Posyandu
    from apps.regions.models import Region
    from apps.regions.services import load_regions
    from apps.serviceday.imports import _Table
    from apps.serviceday.models import ServiceSession, SessionStatus, Visit

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_regions(prefixes=("17",))
    villages = list(Region.objects.current().filter(level=4, code__startswith="17.").order_by("code")[:n_posyandu])
    if len(villages) < n_posyandu:
        raise SystemExit(f"Provinsi 17 has only {len(villages)} villages")
    Posyandu.objects.bulk_create([Posyandu(village=v, name=f"Posyandu Bench {i + 1}", schedule_day=10,
                                           registration_number=f"{v.code}.001", region_code=v.code,
                                           **path_codes(v.code)) for i, v in enumerate(villages)], batch_size=500)
    posyandu = list(Posyandu.objects.order_by("pk").values_list("pk", "village_id", "region_code"))
    print(f"  regions + {len(posyandu)} Posyandu: {time.perf_counter() - t0:.1f} s", flush=True)

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    people = _Table(Person)
    at = people.position
    now = dt.datetime.now(dt.UTC)
    rows, meta = [], []
    for pid, village_id, code in posyandu:
        for stage, count, (lo, hi) in GROUPS:
            ages = rng.integers(lo, hi + 1, count)
            for age in ages.tolist():
                row = people.blank()
                birth = month_add(LAST_MONTH, -age) + dt.timedelta(days=int(rng.integers(0, 27)))
                sex = "P" if stage == "ibu_hamil" else ("L" if rng.random() < 0.5 else "P")
                values = {"name": f"Warga {len(rows) + 1}", "sex": sex, "birth_date": birth, "region_id": village_id,
                          "posyandu_id": pid, "created_at": now, "updated_at": now, "region_code": code,
                          **path_codes(code)}
                for name, value in values.items():
                    row[at[name]] = value
                rows.append(row)
                meta.append((pid, stage, sex, birth))
    with transaction.atomic():
        people.insert(rows)
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    mothers = [Pregnancy(person_id=person_ids[i], lmp_date=month_add(LAST_MONTH, -6),
                         due_date=month_add(LAST_MONTH, -6) + dt.timedelta(days=280))
               for i, (_, stage, _, _) in enumerate(meta) if stage == "ibu_hamil"]
    Pregnancy.objects.bulk_create(mothers, batch_size=2000)
    print(f"  {len(rows):,} people: {time.perf_counter() - t0:.1f} s", flush=True)

    t0 = time.perf_counter()
    sessions = []
    for m in range(MONTHS):
        day = month_add(LAST_MONTH, -m).replace(day=10)
        sessions += [ServiceSession(posyandu_id=pid, date=day, status=SessionStatus.CLOSED) for pid, _, _ in posyandu]
    ServiceSession.objects.bulk_create(sessions, batch_size=2000)
    session_of = {(s, d): pk for pk, s, d in ServiceSession.objects.values_list("pk", "posyandu_id", "date")}
    visits = _Table(Visit)
    at = visits.position
    stage_of = {"ibu_hamil": "ibu_hamil"}
    kms = np.array(["N", "T", "O", "B"])
    total = 0
    for m in range(MONTHS - 1, -1, -1):
        day = month_add(LAST_MONTH, -m).replace(day=10)
        n = len(meta)
        zwei, zlen, zwfl = rng.normal(-0.6, 1.2, n), rng.normal(-1.0, 1.3, n), rng.normal(-0.2, 1.2, n)
        status = kms[rng.choice(4, n, p=[0.7, 0.2, 0.05, 0.05])]
        muac = rng.normal(25.5, 2.5, n)
        systolic = rng.normal(128, 18, n).astype(int)
        rows = []
        for i, (pid, stage, _, birth) in enumerate(meta):
            months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
            if months < 0:
                continue
            row = visits.blank()
            band = "bayi" if months < 12 else "balita" if months < 60 else stage_of.get(stage) or stage
            values = {"session_id": session_of[(pid, day)], "posyandu_id": pid, "person_id": person_ids[i],
                      "visit_date": day, "stage": band, "age_days": months * 30, "age_months": months,
                      "created_at": now, "updated_at": now, "step_measured": True, "step_recorded": True}
            if months < 60:
                values.update(weight_kg=round(9 + months * 0.15 + float(zwei[i]), 1), height_cm=75.0,
                              zwei=round(float(zwei[i]), 2), zlen=round(float(zlen[i]), 2),
                              zwfl=round(float(zwfl[i]), 2), kms_status=str(status[i]),
                              bgm=bool(zwei[i] < -3), two_t=bool(status[i] == "T" and rng.random() < 0.2),
                              bb_u=_band(zwei[i], ("berat badan sangat kurang", "berat badan kurang")),
                              tb_u=_band(zlen[i], ("sangat pendek", "pendek")),
                              bb_tb=_band(zwfl[i], ("gizi buruk", "gizi kurang")), vitamin_a=day.month in (2, 8))
            elif stage == "ibu_hamil":
                values.update(muac_cm=round(float(muac[i]), 1), kek=bool(muac[i] < 23.5), iron_tablets=30)
            else:
                values.update(weight_kg=60.0, systolic=int(systolic[i]), diastolic=80,
                              hypertension=bool(systolic[i] >= 140))
            for name, value in values.items():
                row[at[name]] = value
            rows.append(row)
        with transaction.atomic():
            visits.insert(rows)
        total += len(rows)
        print(f"    month {day:%Y-%m}: {len(rows):,} visits", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  {total:,} visits: {time.perf_counter() - t0:.1f} s", flush=True)


def _band(z: float, labels: tuple[str, str]) -> str:
    return labels[0] if z < -3 else labels[1] if z < -2 else "normal"


def measure(n_posyandu: int) -> dict[str, float]:
    from apps.posyandu.models import Posyandu
    from apps.reports.models import MonthlyValue
    from apps.reports.services import LEVEL_FIELDS, compute_month, rollup

    results: dict[str, float] = {}
    t0 = time.perf_counter()
    rows = compute_month(LAST_MONTH, area="17")
    results["compute"] = time.perf_counter() - t0
    print(f"  compute_month, province 17, {LAST_MONTH:%Y-%m}: {rows:,} values in {results['compute']:.1f} s", flush=True)
    values = MonthlyValue.objects.filter(province_code="17")
    for level, field_name in LEVEL_FIELDS.items():
        t0 = time.perf_counter()
        table = rollup(values, LAST_MONTH, field_name)
        results[f"rollup_{level}"] = time.perf_counter() - t0
        print(f"  roll-up to {field_name:<14} {len(table):>7,} rows in {results[f'rollup_{level}'] * 1000:.0f} ms")
    results["total"] = results["compute"] + sum(v for k, v in results.items() if k.startswith("rollup_"))

    sample = list(Posyandu.objects.order_by("pk").values_list("pk", flat=True)[:50])
    t0 = time.perf_counter()
    for pid in sample:
        compute_month(LAST_MONTH, [pid])
    per = (time.perf_counter() - t0) / len(sample)
    results["baseline"] = per * n_posyandu
    print(f"  baseline, compute_month per Posyandu: {per * 1000:.0f} ms each → {results['baseline']:.0f} s for "
          f"{n_posyandu:,} (timed on {len(sample)})")
    return results


def run_one(db: str, n_posyandu: int) -> None:
    name = ""
    tmp = tempfile.mkdtemp(prefix="bench-monthly-")
    if db == "postgresql":
        import psycopg

        name = f"bench_monthly_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ["DATABASE_URL"] = ""
        os.environ["SQLITE_PATH"] = f"{tmp}/bench.sqlite3"
    try:
        setup_django()
        print(f"== {db}: building {n_posyandu:,} Posyandu x {MONTHS} months", flush=True)
        build(n_posyandu)
        print(f"== {db}: recomputing {LAST_MONTH:%Y-%m}", flush=True)
        r = measure(n_posyandu)
        verdict = "meets" if r["total"] < BAR_SECONDS else "MISSES"
        print(f"RESULT {db}: one month, every level: {r['total']:.1f} s ({verdict} the {BAR_SECONDS:.0f} s bar); "
              f"baseline per-Posyandu {r['baseline']:.0f} s; ratio {r['baseline'] / r['total']:.1f}x "
              f"({os.cpu_count()} CPUs)")
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--posyandu", type=int, default=1000)
    args = parser.parse_args()
    if args.db == "both":  # one process per database: Django is set up once per process
        for db in ("sqlite", "postgresql"):
            subprocess.run([sys.executable, __file__, "--db", db, "--posyandu", str(args.posyandu)], check=True)
        return
    run_one(args.db, args.posyandu)


if __name__ == "__main__":
    main()
