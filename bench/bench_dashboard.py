"""Benchmark: the province dashboard from the pre-aggregated MonthlyValue table.

Builds Provinsi Bengkulu (17, real Kemendagri regions) with 1,000 Posyandu spread over its desa and
12 months of MonthlyValue rows written directly (bulk_create; realistic counts: ~40 balita per
Posyandu, every indicator of the catalogue by total, L and P), then times GET of the dashboard
pages with Django's test Client as a province officer: median and p95 over 30 requests.

Named baseline, measured in the same run: the dashboard of one Posyandu (the smallest page with
the same template, charts, map and report table), so the ratio shows what the province's
aggregation costs on top of rendering. Goal: the province dashboard under 200 ms.
Usage: .venv/bin/python bench/bench_dashboard.py   (DATABASE_URL picks PostgreSQL; default SQLite in
a temporary file, never the app's own database). BENCH_REUSE=1 with SQLITE_PATH/DATABASE_URL of an
earlier run times again without rebuilding.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.mkdtemp(prefix="bench-dashboard-")
os.environ.setdefault("SQLITE_PATH", f"{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # plain static storage, no HTTPS redirect

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from apps.accounts.models import Assignment, Role, User  # noqa: E402
from apps.posyandu.models import Posyandu  # noqa: E402
from apps.regions.models import Region  # noqa: E402
from apps.regions.services import load_regions  # noqa: E402
from apps.reports.catalogue import sync_indicators  # noqa: E402
from apps.reports.models import Indicator, MonthlyValue  # noqa: E402

POSYANDU = 1_000
MONTHS = 12
REQUESTS = 30
LAST = dt.date(2026, 3, 1)


def months() -> list[dt.date]:
    out = []
    y, m = LAST.year, LAST.month
    for _ in range(MONTHS):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def build() -> tuple[User, Posyandu]:
    load_regions(prefixes=("17",))
    sync_indicators()
    villages = list(Region.objects.current().filter(level=4, code__startswith="17."))
    rng = random.Random(7)
    rows = []
    for n in range(POSYANDU):
        village = villages[n % len(villages)]
        p = Posyandu(village=village, name=f"Posyandu Bench {n + 1}", schedule_day=10,
                     registration_number=f"{village.code}.{n // len(villages) + 1:03d}",
                     latitude=round(-3.8 + rng.uniform(-0.9, 0.9), 6), longitude=round(102.3 + rng.uniform(-0.9, 0.9), 6))
        p.set_region_code(village.code)
        rows.append(p)
    Posyandu.objects.bulk_create(rows, batch_size=2000)
    indicators = {i.code: i for i in Indicator.objects.all()}
    started = time.perf_counter()
    values = []
    for period in months():
        for p in rows:
            counts = _month_counts(rng)
            for code, by_sex in counts.items():
                if code not in indicators:
                    continue
                for sex, (num, den) in by_sex.items():
                    values.append(MonthlyValue(
                        indicator=indicators[code], posyandu_id=p.pk, period=period, sex=sex, numerator=num,
                        denominator=den, province_code=p.province_code, regency_code=p.regency_code,
                        district_code=p.district_code, village_code=p.village_code))
            if len(values) >= 50_000:
                with transaction.atomic():
                    MonthlyValue.objects.bulk_create(values, batch_size=5000)
                values = []
    with transaction.atomic():
        MonthlyValue.objects.bulk_create(values, batch_size=5000)
    total = MonthlyValue.objects.count()
    print(f"built {POSYANDU:,} Posyandu in {len(villages):,} desa, {total:,} MonthlyValue rows "
          f"in {time.perf_counter() - started:.1f} s")
    user = User.objects.create_user("bench.provinsi", password="x", role=Role.PROVINSI)
    Assignment.objects.create(user=user, region=Region.objects.get(code="17"), can_write=True)
    return user, rows[0]


def _split(total: int, rng: random.Random) -> dict[str, int]:
    boys = rng.randint(total * 4 // 10, total * 6 // 10) if total else 0
    return {"": total, "L": boys, "P": total - boys}


def _month_counts(rng: random.Random) -> dict[str, dict[str, tuple[int, int | None]]]:
    """One Posyandu-month as compute_month would write it (L + P = total)."""
    s = rng.randint(25, 60)
    d = rng.randint(s // 2, s)
    n = rng.randint(d // 2, d)
    o = rng.randint(0, (d - n) // 3)
    b = rng.randint(0, (d - n - o) // 3)
    t = d - n - o - b
    measured = rng.randint(d * 2 // 3, d)
    out: dict[str, dict[str, tuple[int, int | None]]] = {}
    for code, value in (("S", s), ("K", rng.randint(s * 8 // 10, s)), ("D", d), ("N", n), ("T", t), ("O", o),
                        ("B", b), ("2T", rng.randint(0, t // 2)), ("BGM", rng.randint(0, 2))):
        out[code] = {k: (v, None) for k, v in _split(value, rng).items()}
    ratios = {"DS": (d, s), "ND": (n, d), "STUNTING": (rng.randint(0, measured // 4), measured),
              "WASTING": (rng.randint(0, measured // 10), measured), "UNDERWEIGHT": (rng.randint(0, measured // 6), measured),
              "OVERWEIGHT": (rng.randint(0, measured // 20), measured), "BUMIL_KEK": (rng.randint(0, 2), rng.randint(3, 8)),
              "LANSIA_HT": (rng.randint(2, 10), rng.randint(15, 30)), "DQ_ZFLAG": (rng.randint(0, 1), measured),
              "DQ_DIGIT": (rng.randint(d // 5, d // 2), d), "DQ_NOHEIGHT": (d - measured, d)}
    for code, (num, den) in ratios.items():
        nums, dens = _split(num, rng), _split(den, rng)
        out[code] = {k: (min(nums[k], dens[k]), dens[k]) for k in nums}
    return out


def timed(client: Client, url: str) -> tuple[float, float]:
    for _ in range(3):  # warm-up: template and query caches
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    existing = User.objects.filter(username="bench.provinsi").first()
    if existing is not None and os.environ.get("BENCH_REUSE"):  # a kept database: time again without rebuilding
        user, posyandu = existing, Posyandu.objects.filter(name="Posyandu Bench 1").get()
        print(f"reusing {Posyandu.objects.count():,} Posyandu, {MonthlyValue.objects.count():,} MonthlyValue rows")
    else:
        MonthlyValue.objects.all().delete()
        user, posyandu = build()
    # Fresh bulk inserts have no planner statistics (and on PostgreSQL no visibility map, so no
    # index-only scans) until autovacuum runs: take that step now, as production would have.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_monthlyvalue" if connection.vendor == "postgresql" else "ANALYZE")
    client = Client()
    client.force_login(user)
    month = f"?bulan={LAST:%Y-%m}"
    baseline = timed(client, f"/laporan/dasbor/posyandu/{posyandu.pk}/{month}")
    print(f"baseline (one Posyandu's dashboard): median {baseline[0]:.1f} ms, p95 {baseline[1]:.1f} ms")
    for label, url in (("province 17 (1,000 Posyandu)", f"/laporan/dasbor/wilayah/17/{month}"),
                       ("kab/kota 17.71", f"/laporan/dasbor/wilayah/17.71/{month}"),
                       ("kecamatan 17.71.02", f"/laporan/dasbor/wilayah/17.71.02/{month}"),
                       ("completeness, province", f"/laporan/kelengkapan/wilayah/17/{month}"),
                       ("API values, province", f"/api/report-values/?wilayah=17&bulan={LAST:%Y-%m}")):
        median, p95 = timed(client, url)
        print(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, {median / baseline[0]:.1f}x the baseline"
              + (f"; goal < 200 ms: {'met' if median < 200 else 'MISSED'}" if label.startswith("province") else ""))


if __name__ == "__main__":
    main()
