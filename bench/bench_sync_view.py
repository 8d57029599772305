"""Benchmark: the programme synchronisation view of one kabupaten.

Bar (issue 6): the page for a kabupaten with 20 OPD, 300 programmes and 2,000 activities renders in
under 300 ms.

What it builds, in its own database (SQLite in a temporary file; with --pg its own PostgreSQL
database on 127.0.0.1:5432, user postgres, dropped at the end): the regions of Provinsi Bengkulu;
for Kabupaten Bengkulu Utara (17.03) a TP Posyandu at the kabupaten and at each kecamatan, 20 OPD,
one Posyandu per village, 300 programmes (every field, some owned by kecamatan teams, two linked
indicators each), 2,000 activities in 1-4 villages and 1-4 months each, and six months of monthly
values for every indicator at every Posyandu (total, L and P).

Then, with a real Django test Client logged in as the kabupaten officer, it requests the page
repeatedly and prints median and p95 with the number of queries, against two baselines measured in
the same run:
  A. the same page for an empty kabupaten (17.04: no programme) — the page's floor;
  B. the same computations done naively, one query per programme, activity and indicator link
     (what the view would cost with N+1 queries) against `selectors.sync_overview`.

Usage: .venv/bin/python bench/bench_sync_view.py [--runs 30] [--pg]
It is not a test; the figures depend on the machine (it prints its CPU count).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AREA, EMPTY_AREA, YEAR = "17.03", "17.04", 2026
OPD_COUNT, PROGRAMMES, ACTIVITIES = 20, 300, 2000
BAR_MS = 300.0
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # allows the test Client's host, as in the test suite


def build() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import transaction

    from apps.accounts.models import Assignment, Role, User
    from apps.core.scoping import code_q
    from apps.organisations.models import Opd, TimPembina
    from apps.posyandu.models import Posyandu
    from apps.programmes.models import Activity, Programme, ProgrammeIndicator
    from apps.regions.models import Region
    from apps.regions.services import load_regions
    from apps.reports.models import Indicator, MonthlyValue
    from apps.spm.models import SpmField

    call_command("migrate", verbosity=0)
    load_regions(prefixes=("17",))
    rng = random.Random(6)
    regency = Region.objects.current().get(code=AREA)
    regions = list(Region.objects.current().filter(code_q("code", AREA)).order_by("code"))
    kecamatan = [r for r in regions if r.level == 3]
    villages = [r for r in regions if r.level == 4]
    villages_of = {k.code: [v for v in villages if v.code.startswith(k.code + ".")] for k in kecamatan}
    fields = list(SpmField.objects.order_by("order"))
    indicators = list(Indicator.objects.filter(valid_to__isnull=True))
    with transaction.atomic():
        teams = [TimPembina(region=r, name=f"TP Posyandu {r.title}") for r in [regency, *kecamatan]]
        for t in teams:
            t.set_region_code(t.region.code)
        TimPembina.objects.bulk_create(teams)
        opds = []
        for i in range(OPD_COUNT):
            opd = Opd(region=regency, name=f"Dinas Uji {i + 1:02d} {regency.name}", short_name=f"OPD {i + 1:02d}")
            opd.set_region_code(AREA)
            opds.append(opd)
        Opd.objects.bulk_create(opds)
        # 17 of the 20 OPD own programmes: the page must also name the ones without.
        owners = opds[:17]
        programmes = []
        for i in range(PROGRAMMES):
            team = teams[0] if i % 4 else rng.choice(teams[1:])
            start = rng.randint(1, 6)
            p = Programme(team=team, year=YEAR, field=fields[i % len(fields)], opd=owners[i % len(owners)],
                          name=f"Program {i + 1:03d}", budget=Decimal(rng.randint(10, 900) * 1_000_000),
                          funding_source=rng.choice(["apbd_kabkota", "apbdes", "apbn"]), start_month=start,
                          end_month=rng.randint(start + 3, 12), responsible_name="Penanggung jawab",
                          status="berjalan")
            p.set_region_code(team.region.code)
            programmes.append(p)
        Programme.objects.bulk_create(programmes)
        activities, places = [], []
        for i in range(ACTIVITIES):
            p = programmes[i % PROGRAMMES]
            months = sorted(rng.sample(range(p.start_month, p.end_month + 1), rng.randint(1, 4)))
            activities.append(Activity(programme=p, name=f"Kegiatan {i + 1:04d}", months=months,
                                       budget=Decimal(rng.randint(1, 50) * 1_000_000)))
        Activity.objects.bulk_create(activities)
        through = Activity.villages.through
        for a in activities:
            pool = villages_of.get(a.programme.region_code) or villages
            for v in rng.sample(pool, min(len(pool), rng.randint(1, 4))):
                places.append(through(activity_id=a.pk, region_id=v.pk))
        through.objects.bulk_create(places, batch_size=5000)
        links = []
        for p in programmes:
            for ind in rng.sample(indicators, 2):
                links.append(ProgrammeIndicator(programme=p, indicator=ind, target=Decimal(rng.randint(5, 95)),
                                                direction=rng.choice(["naik", "turun"])))
        ProgrammeIndicator.objects.bulk_create(links)
        posyandu = []
        for v in villages:
            row = Posyandu(village=v, name=f"Posyandu {v.name}", registration_number=f"{v.code}.001",
                           schedule_kind="monthly_date", schedule_day=10)
            row.set_region_code(v.code)
            posyandu.append(row)
        Posyandu.objects.bulk_create(posyandu)
        values = []
        for py in posyandu:
            for ind in indicators:
                for month in range(1, 7):
                    for sex in ("", "L", "P"):
                        den = rng.randint(20, 60)
                        values.append(MonthlyValue(
                            indicator=ind, posyandu=py, period=dt.date(YEAR, month, 1), sex=sex,
                            numerator=rng.randint(0, den), denominator=den if ind.denominator else None,
                            province_code=py.province_code, regency_code=py.regency_code,
                            district_code=py.district_code, village_code=py.village_code))
        MonthlyValue.objects.bulk_create(values, batch_size=5000)
        officer = User.objects.create_user("bench.kab", password=secrets.token_hex(8), role=Role.KABKOTA)
        Assignment.objects.create(user=officer, region=regency, can_write=True)
        empty = User.objects.create_user("bench.empty", password=secrets.token_hex(8), role=Role.KABKOTA)
        Assignment.objects.create(user=empty, region=Region.objects.current().get(code=EMPTY_AREA), can_write=True)
    return {"officer": officer, "empty": empty, "villages": len(villages), "posyandu": len(posyandu),
            "places": len(places), "values": len(values), "links": len(links)}


def naive_overview(area: str, year: int) -> tuple[int, int, int]:
    """The baseline: the same answers with one query per programme, activity and link."""
    from apps.core.scoping import code_q
    from apps.programmes.models import Programme
    from apps.reports.models import MonthlyValue
    from apps.spm.models import SpmField

    programmes = list(Programme.objects.filter(code_q("region_code", area), year=year).exclude(status="batal"))
    covered = {p.field_id for p in programmes}
    _ = [f for f in SpmField.objects.all() if f.pk not in covered]
    seen: dict[tuple[int, str], list[tuple[int, set[int]]]] = {}
    overlaps = 0
    for p in programmes:
        for a in p.activities.all():
            for v in a.villages.all():
                for other_programme, months in seen.get((p.field_id, v.code), []):
                    if other_programme != p.pk and months & set(a.months):
                        overlaps += 1
                seen.setdefault((p.field_id, v.code), []).append((p.pk, set(a.months)))
    stalled = 0
    for p in programmes:
        for link in p.indicator_links.select_related("indicator"):
            periods = (MonthlyValue.objects.filter(code_q("village_code", p.region_code),
                                                   indicator__code=link.indicator.code, sex="")
                       .values("period").distinct().order_by("-period")[:3])
            points = []
            for period in periods:
                rows = MonthlyValue.objects.filter(code_q("village_code", p.region_code),
                                                   indicator__code=link.indicator.code, sex="",
                                                   period=period["period"])
                num = sum(r.numerator for r in rows)
                den = sum(r.denominator or 0 for r in rows)
                points.append(100 * num / den if den else num)
            if len(points) >= 2 and points[0] <= points[-1]:
                stalled += 1
    return len(programmes), overlaps, stalled


def timed(fn: Any, runs: int) -> list[float]:
    fn()  # warm up (template loading, first query plans)
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", action="store_true", help="use a fresh PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    pg_name = ""
    if args.pg:
        import psycopg

        pg_name = f"bench_sync_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{pg_name}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-sync-')}/bench.sqlite3"
    try:
        setup_django(url)
        run(args.runs)
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def run(runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.programmes import selectors

    started = time.perf_counter()
    built = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # autovacuum would do it within minutes of the bulk load
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; CPUs: {os.cpu_count()}; build {time.perf_counter() - started:.1f} s")
    print(f"kabupaten {AREA}: {OPD_COUNT} OPD, {PROGRAMMES} programmes, {ACTIVITIES} activities in "
          f"{built['places']} activity-village links, {built['links']} indicator links, "
          f"{built['posyandu']} Posyandu, {built['values']:,} monthly values")

    client = Client()
    client.force_login(built["officer"])
    url = f"/program/sinkronisasi/?wilayah={AREA}&tahun={YEAR}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    overview = response.context["overview"]
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"page shows: {overview.programme_count} programmes, {len(overview.fields_without)} fields and "
          f"{len(overview.opds_without)} OPD without programmes, {overview.overlap_count} overlaps, "
          f"{len(overview.stalled)} stalled programmes; {len(queries)} queries per request")

    import gc

    from django.core.cache import cache

    # As config/wsgi.py does in each server process once the application is loaded: the objects
    # loaded so far (Django, the apps, the build) leave the cyclic collector's full scans.
    gc.freeze()
    page = timed(lambda: client.get(url), runs)
    # The trend sums are cached between requests (selectors._area_sums): also time every request
    # with an empty cache, as the first visit after a monthly recompute sees it.
    cold = timed(lambda: (cache.clear(), client.get(url)), runs)
    empty_client = Client()
    empty_client.force_login(built["empty"])
    empty_url = f"/program/sinkronisasi/?wilayah={EMPTY_AREA}&tahun={YEAR}"
    assert empty_client.get(empty_url).status_code == 200
    empty = timed(lambda: empty_client.get(empty_url), runs)
    selector = timed(lambda: (cache.clear(), selectors.sync_overview(AREA, YEAR, overlap_limit=50)), runs)
    naive_runs = 1  # tens of seconds per run: one is enough for a ratio
    with CaptureQueriesContext(connection) as naive_queries:
        naive_overview(AREA, YEAR)
    naive = timed(lambda: naive_overview(AREA, YEAR), naive_runs)

    print(f"sync page, {AREA} (the bar):          {summary(page)}")
    print(f"sync page, trend cache emptied each time: {summary(cold)}")
    print(f"baseline A, empty kabupaten page:      {summary(empty)}")
    print(f"sync_overview() alone, cache emptied:  {summary(selector)}")
    print(f"baseline B, naive per-row queries:     {summary(naive)}   ({len(naive_queries):,} queries)")
    p95 = sorted(page)[min(len(page) - 1, int(round(0.95 * (len(page) - 1))))]
    cold_p95 = sorted(cold)[min(len(cold) - 1, int(round(0.95 * (len(cold) - 1))))]
    print(f"ratio: page / empty page = {statistics.median(page) / statistics.median(empty):.1f}x; "
          f"naive / sync_overview = {statistics.median(naive) / statistics.median(selector):.0f}x")
    print(f"bar < {BAR_MS:.0f} ms (p95): {'met' if p95 < BAR_MS else 'MISSED'} ({p95:.1f} ms); "
          f"with an empty cache: {'met' if cold_p95 < BAR_MS else 'MISSED'} ({cold_p95:.1f} ms)")


if __name__ == "__main__":
    main()
