"""Benchmark: a synthetic country on PostgreSQL, from 1,000 to 300,000 Posyandu (issue 13).

What it builds, in a PostgreSQL database of its own (127.0.0.1:5432, created here and dropped at
the end unless --keep), growing one size after the other (--sizes, default 1,000, 10,000, 30,000):
- every Kemendagri region (`manage.py load_regions`, 91,599 rows);
- Posyandu placed over the desa of the whole country in a fixed random order (so 1,000 Posyandu
  already span every province; past 83,762 a desa gets a second one), with coordinates;
- per Posyandu 100 people (60 balita 0-59 months, 10 ibu hamil, 30 lansia), one hari buka in the
  measured month and one visit for each of them with results drawn from plausible distributions,
  and a monthly report sent by 80 % of the Posyandu. All of it with INSERT … SELECT in SQL
  (generate_series, random()), never the ORM row by row.
Then, at each size:
1. recompute of the month everywhere: the month queued as one job per kab/kota
   (`jobs.enqueue_month`) on Redis (127.0.0.1:6379, DB 13) and run by `manage.py qcluster` with 1
   and then 2 workers, wall time from queueing to the last job's result, and the cost per Posyandu
   (worker-seconds / Posyandu). Named baseline, up to --baseline-recompute-max Posyandu: the one
   process national `compute_month` the nightly job ran before;
2. the month's values copied to the --months - 1 months before it (for the 12-month trend), with
   their roll-ups (`rollups.refresh`), then VACUUM ANALYZE;
3. the national, provinsi (33 Jawa Tengah) and kab/kota (33.01 Cilacap) dashboards over real HTTP
   (Django's test Client, the whole middleware stack) as users of those levels: median and p95 of
   --requests GETs. Named baseline, measured in the same run on the same data: the same pages with
   the dashboard's value selectors put back to the GROUP BY over MonthlyValue they were before the
   roll-ups (area values, child areas, trend, map D/S; kept below in `Baseline`), printed as a ratio;
4. at the largest size: the save-to-dashboard delay. A worker runs (qcluster with its schedule:
   the stale-month job every minute); a visit is saved with `record_visit`, and the kab/kota's
   report-values API (HTTP) is read every second until its D count has moved.
At the end the growth curve of every figure over the sizes, and each one extrapolated to
--extrapolate Posyandu (default 300,000) by a power law t = a·N^b fitted on the measured sizes
(least squares on log t against log N; b is printed: 0 is flat, 1 linear).

Bars (issue 13): national dashboard p95 ≤ 200 ms at 30,000 Posyandu; growth 1,000 → 30,000 ≤ 1.5×
for every level; one national month recompute at 30,000 ≤ 5 min with 2 workers; a saved visit in
its kab/kota dashboard within 2 minutes with the worker running.

Usage: .venv/bin/python bench/bench_national.py [--sizes 1000,10000,30000] [--months 3]
       [--requests 20] [--keep] [--skip-delay]
It is not a test; figures depend on the machine (and on what else runs on it: the load average is
printed with each figure).
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/13"
MONTH = dt.date(2026, 10, 1)  # the measured month
VISIT_DAY = MONTH.replace(day=10)
PROVINCE, REGENCY = "33", "33.01"
PEOPLE = (60, 10, 30)  # balita, ibu hamil, lansia per Posyandu
CLUSTER = ("import os, django; django.setup(); from django_q.conf import Conf; Conf.SAVE_LIMIT = 0; "
           "from django.core.management import call_command; call_command('qcluster')")


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1000,10000,30000", help="Posyandu counts, ascending (1,000 to 300,000)")
    p.add_argument("--months", type=int, default=3, help="months of values for the trend (the measured one included)")
    p.add_argument("--requests", type=int, default=20, help="GETs per page and size")
    p.add_argument("--workers", default="1,2")
    p.add_argument("--baseline-recompute-max", type=int, default=10_000,
                   help="largest size at which the one-process baseline recompute is timed")
    p.add_argument("--extrapolate", type=int, default=300_000)
    p.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    p.add_argument("--skip-delay", action="store_true")
    p.add_argument("--skip-recompute", action="store_true", help="with --reuse: the values are there already")
    p.add_argument("--skip-dashboards", action="store_true")
    p.add_argument("--reuse", default="", help="an earlier run's kept database: grow it from where it stopped")
    args = p.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.workers = [int(w) for w in args.workers.split(",")]
    if args.sizes != sorted(args.sizes) or not all(1 <= s <= 300_000 for s in args.sizes):
        p.error("--sizes: ascending, 1 to 300,000")
    return args


def create_database() -> str:
    import psycopg

    name = f"bench_national_{secrets.token_hex(3)}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load() -> str:
    return os.getloadavg()[0].__format__(".1f")


# --- Building the country ---------------------------------------------------------------------------
def insert_select(table_model, exprs: dict[str, str | tuple[str, list]], source: str, params: list) -> int:
    """INSERT INTO the model's table SELECT … FROM `source`: the columns named in `exprs` as SQL
    expressions (or (expression, its parameters)), every other column its field's default (or
    now(), NULL, ''); `params` are those of `source`."""
    from django.db import connection

    columns, values, values_params = [], [], []
    for f in table_model._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.attname in exprs:
            expr = exprs[f.attname]
            sql, expr_params = (expr, []) if isinstance(expr, str) else expr
            values.append(sql)
            values_params += expr_params
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values.append("now()")
        elif f.has_default():
            values.append("%s")
            values_params.append(f.get_db_prep_save(f.get_default(), connection))
        elif f.null:
            values.append("NULL")
        elif f.empty_strings_allowed:
            values.append("''")
        else:
            raise ValueError(f"{table_model.__name__}.{f.attname} needs a value")
    sql = (f"INSERT INTO {table_model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} "
           f"FROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, values_params + params)
        return cursor.rowcount


def prepare_slots(seed: int = 13) -> int:
    """A fixed random order of every desa: Posyandu i goes to slot i (mod the number of desa)."""
    from django.db import connection

    from apps.regions.models import Region

    villages = list(Region.objects.current().filter(level=4).order_by("code").values_list("pk", "code"))
    random.Random(seed).shuffle(villages)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_slot (i integer PRIMARY KEY, village_id bigint, "
                       "code varchar(13))")
        cursor.execute("TRUNCATE bench_slot")
        cursor.executemany("INSERT INTO bench_slot VALUES (%s, %s, %s)",
                           [(i, pk, code) for i, (pk, code) in enumerate(villages)])
    return len(villages)


def grow(start: int, end: int, n_villages: int) -> None:
    """Posyandu start..end-1 with their people, hari buka, visits and reports."""
    from django.db import connection, transaction

    from apps.people.models import Person
    from apps.posyandu.models import Posyandu
    from apps.reports.models import MonthlyReport
    from apps.serviceday.models import ServiceSession, Visit

    t0 = time.perf_counter()
    balita, mothers, elderly = PEOPLE
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM posyandu_posyandu")
            last_id = cursor.fetchone()[0]
        insert_select(Posyandu, {
            "region_code": "s.code", "province_code": "substr(s.code, 1, 2)", "regency_code": "substr(s.code, 1, 5)",
            "district_code": "substr(s.code, 1, 8)", "village_code": "s.code", "village_id": "s.village_id",
            "name": "'Posyandu Bench ' || g.n",
            "registration_number": ("s.code || '.' || lpad((g.n / %s + 1)::text, 3, '0')", [n_villages]),
            "latitude": "round((-8 + random() * 13)::numeric, 6)", "longitude": "round((95 + random() * 46)::numeric, 6)",
            "schedule_day": "10",
        }, "generate_series(%s, %s) AS g(n) JOIN bench_slot s ON s.i = g.n %% %s ORDER BY g.n",
            [start, end - 1, n_villages])
        new = f"posyandu_posyandu p WHERE p.id > {int(last_id)}"
        people = balita + mothers + elderly
        insert_select(Person, {
            "region_code": "p.village_code", "province_code": "p.province_code", "regency_code": "p.regency_code",
            "district_code": "p.district_code", "village_code": "p.village_code", "region_id": "p.village_id",
            "posyandu_id": "p.id", "name": "'Warga ' || p.id || '-' || g",
            "sex": f"CASE WHEN g > {balita} AND g <= {balita + mothers} THEN 'P' WHEN g %% 2 = 0 THEN 'L' ELSE 'P' END",
            "birth_date": (f"CASE WHEN g <= {balita} THEN %s::date - (g * 30 + (random() * 20)::int) "
                           f"WHEN g <= {balita + mothers} THEN date '1998-03-01' ELSE date '1958-03-01' END",
                           [VISIT_DAY]),
            "has_kia_book": "g %% 5 <> 0",
        }, f"generate_series(1, {people}) AS g, {new}", [])
        insert_select(ServiceSession, {"posyandu_id": "p.id", "date": ("%s", [VISIT_DAY]), "status": "'tutup'"},
                      new, [])
        # z-scores ~ N(mean, sd) from a sum of four uniforms; the categories follow from them.
        z = "((random() + random() + random() + random() - 2) * 1.732)"
        insert_select(Visit, {
            "session_id": "v.session_id", "posyandu_id": "v.posyandu_id", "person_id": "v.person_id",
            "visit_date": ("%s", [VISIT_DAY]), "age_days": "v.age_days", "age_months": "v.age_months",
            "stage": ("CASE WHEN v.age_months < 12 THEN 'bayi' WHEN v.age_months < 60 THEN 'balita' "
                      "WHEN v.birth_date = date '1998-03-01' THEN 'ibu_hamil' ELSE 'lansia' END"),
            "step_measured": "true", "step_recorded": "true",
            "weight_kg": "CASE WHEN v.age_months < 60 THEN round((4 + v.age_months * 0.2 + v.zwei)::numeric, 1) "
                         "WHEN v.birth_date = date '1958-03-01' THEN 60 END",
            "height_cm": "CASE WHEN v.age_months < 60 THEN round((55 + v.age_months * 0.9)::numeric, 1) END",
            "position": "CASE WHEN v.age_months < 24 THEN 'l' WHEN v.age_months < 60 THEN 'h' ELSE '' END",
            "zwei": "CASE WHEN v.age_months < 60 THEN round(v.zwei::numeric, 2) END",
            "zlen": "CASE WHEN v.age_months < 60 THEN round(v.zlen::numeric, 2) END",
            "zwfl": "CASE WHEN v.age_months < 60 THEN round(v.zwfl::numeric, 2) END",
            "bb_u": ("CASE WHEN v.age_months >= 60 THEN '' WHEN v.zwei < -3 THEN 'berat badan sangat kurang' "
                     "WHEN v.zwei < -2 THEN 'berat badan kurang' ELSE 'berat badan normal' END"),
            "tb_u": ("CASE WHEN v.age_months >= 60 THEN '' WHEN v.zlen < -3 THEN 'sangat pendek' "
                     "WHEN v.zlen < -2 THEN 'pendek' ELSE 'normal' END"),
            "bb_tb": ("CASE WHEN v.age_months >= 60 THEN '' WHEN v.zwfl < -3 THEN 'gizi buruk' "
                      "WHEN v.zwfl < -2 THEN 'gizi kurang' WHEN v.zwfl > 3 THEN 'obesitas' "
                      "WHEN v.zwfl > 2 THEN 'gizi lebih' ELSE 'gizi baik' END"),
            "kms_status": ("CASE WHEN v.age_months >= 60 THEN '' WHEN v.r < 0.7 THEN 'N' WHEN v.r < 0.9 THEN 'T' "
                           "WHEN v.r < 0.95 THEN 'O' ELSE 'B' END"),
            "bgm": "v.age_months < 60 AND v.zwei < -3", "two_t": "v.age_months < 60 AND v.r BETWEEN 0.7 AND 0.74",
            "muac_cm": "CASE WHEN v.birth_date = date '1998-03-01' THEN round((25.5 + v.zwfl * 2.5)::numeric, 1) END",
            "kek": "CASE WHEN v.birth_date = date '1998-03-01' THEN 25.5 + v.zwfl * 2.5 < 23.5 END",
            "iron_tablets": "CASE WHEN v.birth_date = date '1998-03-01' THEN 30 END",
            "systolic": "CASE WHEN v.birth_date = date '1958-03-01' THEN (128 + v.zlen * 18)::int END",
            "diastolic": "CASE WHEN v.birth_date = date '1958-03-01' THEN 80 END",
            "hypertension": "CASE WHEN v.birth_date = date '1958-03-01' THEN 128 + v.zlen * 18 >= 140 END",
        }, (f"(SELECT s.id AS session_id, pe.posyandu_id, pe.id AS person_id, pe.birth_date, "
            f"(%s::date - pe.birth_date) AS age_days, floor((%s::date - pe.birth_date) / 30.4375)::int AS age_months, "
            f"{z} * 1.2 - 0.6 AS zwei, {z} * 1.3 - 1.0 AS zlen, {z} * 1.2 - 0.2 AS zwfl, random() AS r "
            f"FROM people_person pe JOIN serviceday_servicesession s ON s.posyandu_id = pe.posyandu_id "
            f"AND s.date = %s WHERE pe.posyandu_id > {int(last_id)}) v"), [VISIT_DAY, VISIT_DAY, VISIT_DAY])
        insert_select(MonthlyReport, {"posyandu_id": "p.id", "period": ("%s", [MONTH]), "status": "'dikirim'",
                                      "submitted_at": ("%s", [dt.datetime(2026, 11, 5, 3, tzinfo=dt.UTC)])},
                      f"{new} AND random() < 0.8", [])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  built Posyandu {start + 1:,}-{end:,}: {time.perf_counter() - t0:.1f} s (load {load()})", flush=True)


def users():
    from apps.accounts.models import Assignment, Role, User
    from apps.regions.models import Region

    out = {}
    for name, role, code in (("bench.nasional", Role.NASIONAL, ""), ("bench.provinsi", Role.PROVINSI, PROVINCE),
                             ("bench.kabkota", Role.KABKOTA, REGENCY)):
        user, created = User.objects.get_or_create(username=name, defaults={"role": role, "full_name": name})
        if created:
            Assignment.objects.create(user=user, region=Region.objects.get(code=code) if code else None)
        out[code] = user
    out["admin"] = User.objects.filter(username="bench.admin").first() or User.objects.create_superuser(
        "bench.admin", password=secrets.token_hex(8), role=Role.ADMIN)
    return out


# --- The queue --------------------------------------------------------------------------------------
def start_cluster(workers: int) -> subprocess.Popen:
    # The production settings (the tests' settings run every queued job inline).
    # Same secret key as this process: queued packages are signed with it.
    env = {**os.environ, "Q_WORKERS": str(workers), "DJANGO_SETTINGS_MODULE": "config.settings"}
    proc = subprocess.Popen([sys.executable, "-c", CLUSTER], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    from django_q.status import Stat

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # up when every worker has registered
        stats = [s for s in Stat.get_all() if s.status == "Idle" or s.status == "Working"]
        if stats and sum(len(s.workers) for s in stats) >= workers:
            return proc
        time.sleep(0.5)
    return proc


def stop_cluster(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def recompute_with_workers(workers: int, n: int) -> float:
    from django_q.models import Task

    from apps.reports import jobs

    group = jobs.group_name(MONTH)
    Task.objects.filter(group=group).delete()
    proc = start_cluster(workers)
    try:
        t0 = time.perf_counter()
        ids = jobs.enqueue_month(MONTH, sync=False)
        while Task.objects.filter(group=group).count() < len(ids):
            time.sleep(0.25)
        elapsed = time.perf_counter() - t0
    finally:
        stop_cluster(proc)
    failed = Task.objects.filter(group=group, success=False).count()
    if failed:
        raise SystemExit(f"{failed} recompute jobs failed: {Task.objects.filter(success=False).first().result}")
    print(f"  recompute {MONTH:%Y-%m}, {len(ids)} jobs (one per kab/kota), {workers} worker(s): {elapsed:.1f} s, "
          f"{elapsed * workers / n * 1000:.1f} worker-ms per Posyandu (load {load()})", flush=True)
    return elapsed


def baseline_recompute(n: int) -> float:
    from apps.reports.services import compute_month

    t0 = time.perf_counter()
    compute_month(MONTH)
    elapsed = time.perf_counter() - t0
    print(f"  baseline: compute_month of the nation in one process: {elapsed:.1f} s, "
          f"{elapsed / n * 1000:.1f} ms per Posyandu (load {load()})", flush=True)
    return elapsed


def copy_months(count: int) -> None:
    """The measured month's values and roll-ups, copied to the months before it for the trend."""
    from django.db import connection

    from apps.reports import rollups
    from apps.reports.services import months_before

    with connection.cursor() as cursor:
        for back in range(1, count):
            period = months_before(MONTH, back).replace(day=1)
            cursor.execute("DELETE FROM reports_monthlyvalue WHERE period = %s", [period])
            cursor.execute(
                "INSERT INTO reports_monthlyvalue (indicator_id, posyandu_id, period, sex, numerator, denominator, "
                "province_code, regency_code, district_code, village_code, computed_at) "
                "SELECT indicator_id, posyandu_id, %s, sex, numerator, denominator, province_code, regency_code, "
                "district_code, village_code, computed_at FROM reports_monthlyvalue WHERE period = %s",
                [period, MONTH])
            rollups.refresh(period)
    old_autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reports_monthlyvalue")
        cursor.execute("VACUUM ANALYZE reports_regionvalue")
    connection.set_autocommit(old_autocommit)


# --- Dashboards -------------------------------------------------------------------------------------
class Baseline:
    """The dashboard's value selectors as they were before the roll-ups: a GROUP BY over the
    Posyandu rows of MonthlyValue at request time (and the map's D/S for every Posyandu of the area)."""

    @staticmethod
    def area_values(user, area, period, codes=None):
        from django.db.models import Sum

        from apps.reports import dashboard as d

        names = d._indicator_codes()
        ids = d._ids_for(codes) if codes is not None else list(names)
        qs = d.scoped_values(user, area).filter(period=period, indicator_id__in=ids, sex__in=d.SEXES)
        out = {}
        for row in qs.values("indicator_id", "sex").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by():
            key = (names[row["indicator_id"]], row["sex"])
            n, dd = out.get(key, (0, None))
            out[key] = (n + row["num"], d._add(dd, row["den"]))
        return out

    @staticmethod
    def child_values(user, area, period, codes):
        from collections import defaultdict

        from django.db.models import Sum

        from apps.reports import dashboard as d

        ids, names = d._ids_for(codes), d._indicator_codes()
        out = defaultdict(dict)
        rows = (d.scoped_values(user, area).filter(period=period, sex="", indicator_id__in=ids)
                .values(area.child_field, "indicator_id").annotate(num=Sum("numerator"), den=Sum("denominator"))
                .order_by())
        for row in rows:
            key = (names[row["indicator_id"]], "")
            values = out[row[area.child_field]]
            n, dd = values.get(key, (0, None))
            values[key] = (n + row["num"], d._add(dd, row["den"]))
        return out

    @staticmethod
    def trend(user, area, period, codes, units):
        from django.db.models import Sum

        from apps.reports import dashboard as d

        first = d.months_before(period, d.TREND_MONTHS - 1).replace(day=1)
        months = [d.months_before(period, back).replace(day=1) for back in range(d.TREND_MONTHS - 1, -1, -1)]
        names, sums = d._indicator_codes(), {}
        rows = (d.scoped_values(user, area).filter(period__gte=first, period__lte=period, sex="",
                                                   indicator_id__in=d._ids_for(codes))
                .values("period", "indicator_id").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by())
        for row in rows:
            key = (names[row["indicator_id"]], row["period"])
            n, dd = sums.get(key, (0, None))
            sums[key] = (n + row["num"], d._add(dd, row["den"]))
        return months, {c: [d.value_of(sums.get((c, m)), units.get(c, "jumlah")) for m in months] for c in codes}

    @staticmethod
    def map_points(user, area, period, limit=5000):
        from django.db.models import Sum

        from apps.reports import dashboard as d

        ds = {r["posyandu_id"]: (r["num"], r["den"]) for r in
              d.scoped_values(user, area).filter(period=period, sex="", indicator_id__in=d._ids_for(["DS"]))
              .values("posyandu_id").annotate(num=Sum("numerator"), den=Sum("denominator")).order_by()}
        qs = d.Posyandu.objects.for_user(user, d.VIEW).filter(is_active=True, latitude__isnull=False,
                                                              longitude__isnull=False).filter(area.value_q())
        url = d.reverse("reports:dashboard_posyandu", args=[0]).replace("/0/", "/{}/")
        return [{"name": name, "lat": float(lat), "lon": float(lon), "ds": d.value_of(ds.get(pk), "persen"),
                 "url": url.format(pk)}
                for pk, name, lat, lon in qs.order_by("pk").values_list("pk", "name", "latitude", "longitude")[:limit]]


def timed(client, url: str, requests: int) -> tuple[float, float]:
    for _ in range(3):  # warm-up
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
    samples.sort()
    return statistics.median(samples), samples[max(0, math.ceil(len(samples) * 0.95) - 1)]


def dashboards(accounts, requests: int) -> dict[str, tuple[float, float, float, float]]:
    """{level: (median, p95, baseline median, baseline p95)} in ms."""
    from django.test import Client

    from apps.reports import dashboard as d

    pages = {"nasional": ("", "/laporan/dasbor/"), "provinsi": (PROVINCE, f"/laporan/dasbor/wilayah/{PROVINCE}/"),
             "kab/kota": (REGENCY, f"/laporan/dasbor/wilayah/{REGENCY}/")}
    out = {}
    for level, (code, path) in pages.items():
        client = Client()
        client.force_login(accounts[code])
        url = f"{path}?bulan={MONTH:%Y-%m}"
        median, p95 = timed(client, url, requests)
        saved = {name: getattr(d, name) for name in ("area_values", "child_values", "trend", "map_points")}
        try:
            for name in saved:
                setattr(d, name, getattr(Baseline, name))
            b_median, b_p95 = timed(client, url, requests)
        finally:
            for name, fn in saved.items():
                setattr(d, name, fn)
        out[level] = (median, p95, b_median, b_p95)
        print(f"  dashboard {level:<9} median {median:6.1f} ms, p95 {p95:6.1f} ms | baseline (GROUP BY over "
              f"MonthlyValue) median {b_median:7.1f} ms, p95 {b_p95:7.1f} ms | p95 {b_p95 / p95:.1f}x faster "
              f"(load {load()})", flush=True)
    return out


# --- Save to dashboard ------------------------------------------------------------------------------
def save_to_dashboard(accounts) -> float:
    from decimal import Decimal

    from django.test import Client

    from apps.people.models import Person
    from apps.posyandu.models import Posyandu
    from apps.serviceday import services
    from apps.serviceday.models import ServiceSession, Visit

    client = Client()
    client.force_login(accounts[REGENCY])

    def d_count() -> int:
        body = client.get(f"/api/report-values/?wilayah={REGENCY}&bulan={MONTH:%Y-%m}").json()
        return sum(r["numerator"] for r in body["rows"] if r["indicator"] == "D" and r["sex"] == "")

    posyandu = Posyandu.objects.filter(regency_code=REGENCY).order_by("pk").first()
    before = d_count()
    proc = start_cluster(1)
    try:
        child = Person.objects.create(name="Balita Uji Tunda", sex="P", birth_date=dt.date(2025, 3, 1),
                                      region_id=posyandu.village_id, posyandu=posyandu)
        session = ServiceSession.objects.get(posyandu=posyandu, date=VISIT_DAY)
        services.record_visit(visit=Visit(session=session, posyandu=posyandu, person=child, visit_date=VISIT_DAY,
                                          weight_kg=Decimal("9.4"), height_cm=Decimal("76.0"), position="l"),
                              acting_user=accounts["admin"])
        t0 = time.perf_counter()
        while d_count() == before:
            if time.perf_counter() - t0 > 600:
                raise SystemExit("the saved visit did not reach the dashboard in 10 minutes")
            time.sleep(1)
        delay = time.perf_counter() - t0
    finally:
        stop_cluster(proc)
    print(f"  save-to-dashboard: visit saved → kab/kota {REGENCY} D count moved after {delay:.0f} s "
          f"(the stale-month job runs every minute) (load {load()})", flush=True)
    return delay


# --- Curves -----------------------------------------------------------------------------------------
def fit(sizes: list[int], values: list[float], at: int) -> tuple[float, float]:
    """(exponent b, value at `at`) of t = a·N^b, least squares in log-log space."""
    if len(sizes) < 2:
        return 0.0, values[-1]
    xs, ys = [math.log(s) for s in sizes], [math.log(max(v, 1e-9)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    a = my - b * mx
    return b, math.exp(a + b * math.log(at))


def report(sizes: list[int], rows: dict[str, list[float]], target: int, units: dict[str, str]) -> None:
    print(f"\ngrowth curve (measured) and power-law extrapolation to {target:,} Posyandu")
    print(f"{'figure':<44}" + "".join(f"{s:>11,}" for s in sizes) + f"{'growth':>9}{'b':>7}{target:>12,}")
    for name, values in rows.items():
        if len(values) != len(sizes):
            continue
        b, predicted = fit(sizes, values, target)
        unit = units.get(name, "")
        print(f"{name + ' (' + unit + ')':<44}" + "".join(f"{v:>11.1f}" for v in values)
              + f"{values[-1] / values[0]:>8.2f}x{b:>7.2f}{predicted:>12.1f}")


def main() -> None:
    args = parse()
    name = args.reuse or create_database()
    os.environ["DATABASE_URL"] = f"{PG}/{name}"
    os.environ["REDIS_URL"] = REDIS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")  # no HTTPS redirect, plain static
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    print(f"database {name} (PostgreSQL), queue {REDIS}; sizes {args.sizes}, {args.months} months of values, "
          f"{args.requests} requests per page")
    try:
        run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep or args.reuse:
            print(f"kept database {name}")
        else:
            drop_database(name)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    import redis
    from django.core.management import call_command
    from django_q.models import Schedule

    redis.Redis.from_url(REDIS).flushdb()  # DB 13 is this benchmark's own
    t0 = time.perf_counter()
    from apps.posyandu.models import Posyandu
    from apps.regions.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(level=4).exists():
        call_command("load_regions", verbosity=0)
    # Only the stale-month job: the nightly one would queue two national months in the middle.
    Schedule.objects.exclude(func="apps.reports.jobs.recompute_stale").delete()
    n_villages = prepare_slots()
    accounts = users()
    print(f"  migrate + load_regions: {time.perf_counter() - t0:.1f} s; {n_villages:,} desa", flush=True)

    figures: dict[str, list[float]] = {}
    units: dict[str, str] = {}

    def note(key: str, value: float, unit: str) -> None:
        figures.setdefault(key, []).append(value)
        units[key] = unit

    built = Posyandu.objects.count()  # 0, or what a reused database holds
    for size in args.sizes:
        if size < built:
            continue
        print(f"\n== {size:,} Posyandu ==", flush=True)
        grow(built, size, n_villages)
        built = size
        for workers in [] if args.skip_recompute else args.workers:
            elapsed = recompute_with_workers(workers, size)
            note(f"recompute, {workers} worker(s)", elapsed, "s")
            note(f"recompute, {workers} worker(s), per Posyandu", elapsed * workers / size * 1000, "worker-ms")
        if size <= args.baseline_recompute_max and not args.skip_recompute:
            note("baseline recompute, 1 process", baseline_recompute(size), "s")
        if not args.skip_recompute:
            copy_months(args.months)
        for level, (median, p95, b_median, b_p95) in ({} if args.skip_dashboards else
                                                      dashboards(accounts, args.requests)).items():
            note(f"baseline {level} median", b_median, "ms")
            note(f"speed-up {level} p95", b_p95 / p95, "x")
            note(f"dashboard {level} p95", p95, "ms")
            note(f"dashboard {level} median", median, "ms")
            note(f"baseline {level} p95", b_p95, "ms")
        if size == args.sizes[-1] and not args.skip_delay:
            note("save-to-dashboard", save_to_dashboard(accounts), "s")
    report(args.sizes, figures, args.extrapolate, units)
    last = args.sizes[-1]
    print(f"\nbars at {last:,} Posyandu:")
    if "dashboard nasional p95" in figures:
        nat = figures["dashboard nasional p95"][-1]
        print(f"  national dashboard p95 {nat:.0f} ms (≤ 200 ms): {'met' if nat <= 200 else 'MISSED'}")
    for level in ("nasional", "provinsi", "kab/kota") if "dashboard nasional p95" in figures else ():
        values = figures[f"dashboard {level} p95"]
        growth = values[-1] / values[0]
        print(f"  {level} p95 growth {args.sizes[0]:,} → {last:,}: {growth:.2f}x (≤ 1.5x): "
              f"{'met' if growth <= 1.5 else 'MISSED'}")
    if "recompute, 2 worker(s)" in figures:
        two = figures["recompute, 2 worker(s)"][-1]
        print(f"  national month recompute, 2 workers: {two:.0f} s (≤ 300 s): {'met' if two <= 300 else 'MISSED'}")
    if "save-to-dashboard" in figures:
        delay = figures["save-to-dashboard"][-1]
        print(f"  save-to-dashboard {delay:.0f} s (≤ 120 s): {'met' if delay <= 120 else 'MISSED'}")


if __name__ == "__main__":
    main()
