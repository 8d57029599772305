"""Benchmark: importing 100,000 measurement rows (10,000 children x 10 months) into one Posyandu.

Target (issue 4): under 60 s on SQLite. Baseline, measured in the same run: what a naive importer
does, one Person.save() per child and services.open_session + services.record_visit per row, timed
on a 1,000-row sample (100 children x 10 months) and projected per row.
Then a late month: one month of 2,000 other children imported after the months that follow it,
which re-reads the KMS of their later visits (the refresh a late record_visit does, in bulk).
Usage: .venv/bin/python bench/bench_import.py [--children 10000] [--months 10] [--late-children 2000] [--xlsx]
(DATABASE_URL picks the database; default SQLite in a temporary file, never the app's own database).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.mkdtemp(prefix="bench-import-")
os.environ.setdefault("SQLITE_PATH", f"{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.demo.services import build_demo_area, ensure_demo_users  # noqa: E402
from apps.people.models import Person  # noqa: E402
from apps.regions.services import load_regions  # noqa: E402
from apps.serviceday import services  # noqa: E402
from apps.serviceday.imports import import_measurements  # noqa: E402
from apps.serviceday.models import Visit  # noqa: E402

HEADER = ["nik", "nama", "jk", "tgl_lahir", "nama_ibu", "tanggal_ukur", "berat", "tinggi", "cara_ukur", "lila",
          "lingkar_kepala"]
FIRST_VISIT = dt.date(2025, 1, 10)


def make_rows(children: int, months: int, seed: int, prefix: str, serial_base: int = 0) -> list[list[str]]:
    """Children 0-59 months at the first visit, monthly weighings with realistic gains (some T, some
    missed months, so O), NIK for two thirds of them (text, 16 digits), a mother's name for each."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    serials: dict[str, int] = {}
    for c in range(children):
        sex = "LP"[c % 2]
        birth = FIRST_VISIT - dt.timedelta(days=rng.randint(20, 1790))
        nik = ""
        if c % 3:
            head = f"177102{birth.day + (40 if sex == 'P' else 0):02d}{birth.month:02d}{birth.year % 100:02d}"
            serials[head] = serials.get(head, serial_base) + 1
            nik = f"{head}{serials[head]:04d}"
        name = f"{prefix} {c:05d}"
        age_months = (FIRST_VISIT - birth).days / 30.4375
        weight = 3.3 + min(age_months, 12) * 0.55 + max(age_months - 12, 0) * 0.18 + rng.uniform(-0.8, 0.8)
        height = 50 + min(age_months, 12) * 2.0 + max(age_months - 12, 0) * 0.8 + rng.uniform(-3, 3)
        month = 0
        for m in range(months):
            if rng.random() < 0.05:
                month += 1  # not weighed that month: this weighing is O
            day = dt.date(FIRST_VISIT.year + (FIRST_VISIT.month - 1 + month) // 12,
                          (FIRST_VISIT.month - 1 + month) % 12 + 1, 10)
            month += 1
            weight += rng.choice((0.1, 0.2, 0.3, 0.3, 0.4, 0.5))
            height += rng.uniform(0.4, 1.2)
            rows.append([nik, name, sex, birth.strftime("%d-%m-%Y"), f"Ibu {name}", day.strftime("%d-%m-%Y"),
                         f"{weight:.1f}", f"{height:.1f}", "", f"{12 + rng.uniform(0, 4):.1f}" if m % 3 == 0 else "",
                         ""])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Application List")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def baseline(rows: list[list[str]], posyandu, user) -> tuple[int, float]:
    """The naive importer: save() per new child, open_session + record_visit per row."""
    started = time.perf_counter()
    people: dict[str, Person] = {}
    for nik, name, sex, birth, _mother, day, weight, height, _pos, lila, _head in rows:
        person = people.get(name)
        if person is None:
            person = Person(name=name, nik=nik, sex=sex, birth_date=dt.datetime.strptime(birth, "%d-%m-%Y").date(),
                            region=posyandu.village, posyandu=posyandu)
            person.save()
            people[name] = person
        on = dt.datetime.strptime(day, "%d-%m-%Y").date()
        session = services.open_session(posyandu=posyandu, date=on, acting_user=user)
        months = (on - person.birth_date).days / 30.4375
        visit = Visit(session=session, posyandu=posyandu, person=person, visit_date=on, weight_kg=Decimal(weight),
                      height_cm=Decimal(height), position="l" if months < 24 else "h",
                      muac_cm=Decimal(lila) if lila else None, confirmed_unusual=True)
        services.record_visit(visit=visit, acting_user=user)
    return len(rows), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=10)
    parser.add_argument("--late-children", type=int, default=2_000,
                        help="children of the late-month run (a month imported after the months that follow it)")
    parser.add_argument("--xlsx", action="store_true", help="also time the same rows as an XLSX file")
    args = parser.parse_args()

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_regions(prefixes=("17",))
    build_demo_area("17.71.02", per_village=1)
    ensure_demo_users()
    kader = User.objects.get(username="kader.posyandu")
    posyandu = kader.assignments.get().posyandu
    print(f"database: {connection.vendor}; set-up {time.perf_counter() - started:.1f} s; "
          f"Posyandu {posyandu} ({posyandu.region_code})")

    rows = make_rows(args.children, args.months, seed=4, prefix="Anak")
    path = Path(tmp) / "impor.csv"
    write_csv(path, rows)
    print(f"file: {len(rows):,} rows, {args.children:,} children, {path.stat().st_size / 1e6:.1f} MB CSV")

    sample = make_rows(100, 10, seed=5, prefix="Sampel", serial_base=5000)[:1000]
    n_base, t_base = baseline(sample, posyandu, kader)
    base_rate = n_base / t_base
    print(f"baseline (save + open_session + record_visit per row, {n_base:,} rows): {t_base:.2f} s = "
          f"{base_rate:,.0f} rows/s → {len(rows) / base_rate:,.0f} s projected for {len(rows):,}")

    started = time.perf_counter()
    dry = import_measurements(posyandu=posyandu, source=path, acting_user=kader, dry_run=True)
    t_dry = time.perf_counter() - started
    assert dry.ok, dry.errors[:5]
    print(f"dry run (read, validate, compute, no write): {t_dry:.2f} s")

    started = time.perf_counter()
    result = import_measurements(posyandu=posyandu, source=path, acting_user=kader)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    rate = len(rows) / elapsed
    print(f"import: {len(rows):,} rows in {elapsed:.2f} s = {rate:,.0f} rows/s "
          f"(persons {result.persons_created:,}, mothers {result.mothers_created:,}, sessions "
          f"{result.sessions_created:,}, visits {result.visits_created:,}, referrals {result.referrals_proposed:,}, "
          f"unusual {result.unusual_values:,})")
    print("  stages: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items()))
    kms = dict.fromkeys("BNOT", 0)
    for status in Visit.objects.filter(posyandu=posyandu).values_list("kms_status", flat=True):
        if status in kms:
            kms[status] += 1
    print(f"KMS statuses in the Posyandu: {kms}")
    print(f"ratio: bulk import is {rate / base_rate:.0f}× the per-row baseline; "
          f"target < 60 s: {'met' if elapsed < 60 else 'MISSED'} ({elapsed:.1f} s)")

    started = time.perf_counter()
    again = import_measurements(posyandu=posyandu, source=path, acting_user=kader)
    print(f"re-import of the same file (all skipped): {time.perf_counter() - started:.2f} s, "
          f"visits created {again.visits_created}, skipped {again.visits_skipped:,}")

    # A month typed in late: every child's May comes after June to October are recorded, so their
    # later visits get their KMS re-read (O -> N/T in June, 2T chains after it) and their referral
    # proposals follow, in the same transaction.
    late = make_rows(args.late_children, args.months, seed=7, prefix="Telat", serial_base=9000)
    may = dt.date(2025, 5, 10).strftime("%d-%m-%Y")
    first, missing = [r for r in late if r[5] != may], [r for r in late if r[5] == may]
    write_csv(Path(tmp) / "tanpa-mei.csv", first)
    write_csv(Path(tmp) / "mei.csv", missing)
    assert import_measurements(posyandu=posyandu, source=Path(tmp) / "tanpa-mei.csv", acting_user=kader).ok
    started = time.perf_counter()
    result = import_measurements(posyandu=posyandu, source=Path(tmp) / "mei.csv", acting_user=kader)
    elapsed = time.perf_counter() - started
    assert result.ok, result.errors[:5]
    print(f"late month: {len(missing):,} May rows of {args.late_children:,} children whose June-October is "
          f"recorded: {elapsed:.2f} s; later visits re-read {result.later_visits_updated:,}, their proposals "
          f"new {result.later_referrals_proposed:,}, withdrawn {result.later_referrals_withdrawn:,}; "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items()))

    if args.xlsx:
        other = make_rows(args.children, args.months, seed=6, prefix="Balita", serial_base=8000)
        xlsx = Path(tmp) / "impor.xlsx"
        write_xlsx(xlsx, other)
        started = time.perf_counter()
        result = import_measurements(posyandu=posyandu, source=xlsx, acting_user=kader)
        elapsed = time.perf_counter() - started
        assert result.ok, result.errors[:5]
        print(f"XLSX import ({len(other):,} rows of other children, {xlsx.stat().st_size / 1e6:.1f} MB): "
              f"{elapsed:.2f} s = {len(other) / elapsed:,.0f} rows/s; "
              + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items()))

if __name__ == "__main__":
    main()
