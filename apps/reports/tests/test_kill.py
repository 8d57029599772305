"""A monthly recompute killed (SIGKILL) in the middle of writing leaves each month's values either
the old complete set or the new complete set, and a rerun completes. PostgreSQL only: the test
stops the writer at a known point inside its transaction, after it has deleted the month's old
values and while it inserts the new ones. It holds, in a transaction of its own, an uncommitted
row with the unique key of one value the recompute is about to insert (a Posyandu registered
since the last computation), so the recompute's INSERT waits on it; it kills the process there.
(Waiting on a foreign-key row lock would not do: Django's foreign keys are checked at COMMIT on
PostgreSQL, and a COMMIT already under way completes even when its client has died.)
The recompute runs as it does in production: the `compute_monthly` command, and the stale-month
job in a process of its own.

The subprocess helpers and the database of its own come from the import kill test
(apps/imports/tests/test_kill.py)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from apps.imports.tests.test_kill import ROOT, _python, own_database  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                                reason="the stop point inside the transaction is a PostgreSQL lock wait")

PRELUDE = '''
import datetime as dt, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
'''
# Children of 12-35 months at every Posyandu of Kecamatan Gading Cempaka but the last; half of them
# weighed in March and April 2025 (the "old" months). CHANGE weighs the rest and registers and
# weighs the last Posyandu's children (the "new" months).
SEED = PRELUDE + '''
from django.core.management import call_command
call_command("migrate", verbosity=0)
from apps.regions.services import load_regions
load_regions(prefixes=("17",))
from apps.demo.services import build_demo_area
build_demo_area("17.71.02", per_village=2)
from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.serviceday.models import ServiceSession, Visit
from apps.reports.services import indicators_for
places = list(Posyandu.objects.filter(district_code="17.71.02").select_related("village").order_by("pk"))
children = []
for p in places[:-1]:
    for n in range(12):
        child = Person(name=f"BALITA {p.pk}-{n}", sex="LP"[n % 2], birth_date=dt.date(2023, 3 + n % 9, 1 + n),
                       region=p.village, posyandu=p)
        child.set_region_code(p.village.code)
        children.append(child)
Person.objects.bulk_create(children)
for month in (3, 4):
    sessions = {p.pk: ServiceSession(posyandu=p, date=dt.date(2025, month, 12)) for p in places}
    ServiceSession.objects.bulk_create(sessions.values())
    Visit.objects.bulk_create([
        Visit(session=sessions[c.posyandu_id], posyandu_id=c.posyandu_id, person=c, visit_date=dt.date(2025, month, 12),
              stage="balita", age_days=(dt.date(2025, month, 12) - c.birth_date).days,
              age_months=(dt.date(2025, month, 12) - c.birth_date).days // 30, weight_kg=10 + i % 3,
              kms_status="NT"[i % 2], step_measured=True)
        for i, c in enumerate(children) if i % 12 < 6])
print(len(places), places[-1].pk, indicators_for(dt.date(2025, 3, 1))["S"].pk, indicators_for(dt.date(2025, 4, 1))["S"].pk)
'''
CHANGE = PRELUDE + '''
from apps.people.models import Person
from apps.reports.jobs import mark_stale
from apps.serviceday.models import ServiceSession, Visit
from apps.posyandu.models import Posyandu
last = Posyandu.objects.select_related("village").get(pk=int(sys.argv[1]))
born = []
for n in range(12):
    child = Person(name=f"BALITA {last.pk}-{n}", sex="LP"[n % 2], birth_date=dt.date(2023, 3 + n % 9, 1 + n),
                   region=last.village, posyandu=last)
    child.set_region_code(last.village.code)
    born.append(child)
Person.objects.bulk_create(born)
children = list(Person.objects.filter(name__startswith="BALITA ").exclude(posyandu=last).order_by("pk"))
for month in (3, 4):
    sessions = {s.posyandu_id: s for s in ServiceSession.objects.filter(date=dt.date(2025, month, 12))}
    Visit.objects.bulk_create([
        Visit(session=sessions[c.posyandu_id], posyandu_id=c.posyandu_id, person=c, visit_date=dt.date(2025, month, 12),
              stage="balita", age_days=(dt.date(2025, month, 12) - c.birth_date).days,
              age_months=(dt.date(2025, month, 12) - c.birth_date).days // 30, weight_kg="11.5", kms_status="N",
              step_measured=True)
        for c in [c for i, c in enumerate(children) if i % 12 >= 6] + born])
    mark_stale((s.posyandu_id, s.date) for s in sessions.values())  # as the visit save path does
print(Visit.objects.filter(person__name__startswith="BALITA ").count())
'''
# One month's values: how many, a digest of every row, and the totals of D (weighed) and N.
SNAPSHOT = PRELUDE + '''
import hashlib
from apps.reports.models import MonthlyValue, StaleMonth
rows = sorted(MonthlyValue.objects.filter(period=dt.date.fromisoformat(sys.argv[1]))
              .values_list("posyandu_id", "indicator__code", "sex", "numerator", "denominator"), key=str)
digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
total = {code: sum(r[3] for r in rows if r[1] == code and r[2] == "") for code in ("D", "N", "S")}
print(len(rows), digest, total["D"], total["N"], total["S"], StaleMonth.objects.count())
'''


def _dsn(env: dict[str, str], dbname: str | None = None) -> str:
    base = settings.DATABASES["default"]
    name = dbname or env["DATABASE_URL"].rsplit("/", 1)[1]
    return f"host={base['HOST'] or '127.0.0.1'} port={base['PORT'] or 5432} user={base['USER']} dbname={name}"


def _kill_while_inserting(command: list[str], env: dict[str, str], key: tuple[int, int, str]) -> None:
    """Run `command` and SIGKILL it while its INSERT of the month's new values waits on the key
    (indicator id, Posyandu id, month) this test holds uncommitted; then let PostgreSQL end the
    dead client's session (its transaction is rolled back, never committed)."""
    import psycopg

    dbname = env["DATABASE_URL"].rsplit("/", 1)[1]
    holder = psycopg.connect(_dsn(env))
    holder.execute(
        "INSERT INTO reports_monthlyvalue (indicator_id, posyandu_id, period, sex, numerator, province_code, "
        "regency_code, district_code, village_code, computed_at) VALUES (%s, %s, %s, '', 0, '', '', '', '', now())",
        key)
    watcher = psycopg.connect(_dsn(env, "postgres"), autocommit=True)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    blocked = None
    deadline = time.monotonic() + 120
    while blocked is None and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0][-3000:]  # it must not finish unblocked
        blocked = watcher.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
            "AND query LIKE 'INSERT INTO \"reports_monthlyvalue\"%%'", [dbname]).fetchone()
        time.sleep(0.05)
    assert blocked is not None, ("the recompute never reached its INSERT",
                                 watcher.execute("SELECT pid, state, wait_event_type, wait_event, left(query, 120) "
                                                 "FROM pg_stat_activity WHERE datname = %s", [dbname]).fetchall())
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    holder.rollback()  # the INSERT goes on, its answer finds the client gone, the session ends
    holder.close()
    deadline = time.monotonic() + 60
    while watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", blocked).fetchone():
        assert time.monotonic() < deadline, "PostgreSQL kept the killed client's session"
        time.sleep(0.05)
    watcher.close()


def _snapshot(env: dict[str, str], month: str) -> tuple[int, str, int, int, int, int]:
    count, digest, d, n, s, stale = _python(SNAPSHOT, month, env=env).split()
    return int(count), digest, int(d), int(n), int(s), int(stale)


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _seed(env: dict[str, str]) -> tuple[int, int, int, int]:
    places, last, s_march, s_april = map(int, _python(SEED, env=env).split())
    return places, last, s_march, s_april


COMPUTE = [sys.executable, "manage.py", "compute_monthly", "--bulan"]
JOB = [sys.executable, "manage.py", "shell", "-c",
       "from apps.reports.jobs import recompute_stale; print('bulan dihitung:', recompute_stale())"]


def test_a_killed_recompute_leaves_each_month_old_or_new_and_a_rerun_completes(own_database):  # noqa: F811
    env = own_database
    places, last, s_march, s_april = _seed(env)
    for month in ("2025-03", "2025-04"):
        _run([*COMPUTE, month], env)
    old_march, old_april = _snapshot(env, "2025-03-01"), _snapshot(env, "2025-04-01")
    assert old_march[2:5] == ((places - 1) * 6, (places - 1) * 3, (places - 1) * 12)  # D, N, S of the old data
    _python(CHANGE, str(last), env=env)
    new_totals = (places * 12, (places - 1) * 9 + 12, places * 12)  # every child weighed now
    assert _snapshot(env, "2025-04-01")[5] == 2 * places  # every Posyandu month marked stale

    # The command: one transaction for the month.
    _kill_while_inserting([*COMPUTE, "2025-03"], env, (s_march, last, "2025-03-01"))
    assert _snapshot(env, "2025-03-01")[:5] == old_march[:5]  # the old complete set, row for row
    _run([*COMPUTE, "2025-03"], env)
    march = _snapshot(env, "2025-03-01")
    assert march[2:5] == new_totals
    _run([*COMPUTE, "2025-03"], env)
    assert _snapshot(env, "2025-03-01") == march  # a rerun writes the same complete set

    # The stale-month job: a transaction per month; killed in April's INSERT after March committed.
    _kill_while_inserting(JOB, env, (s_april, last, "2025-04-01"))
    assert _snapshot(env, "2025-03-01") == march
    assert _snapshot(env, "2025-04-01")[:5] == old_april[:5]  # April: the old complete set
    assert march[5] == 2 * places  # no marker cleared: the rerun knows what is left to do

    assert _run(JOB, env).strip().splitlines()[-1] == f"bulan dihitung: {2 * places}"
    assert _snapshot(env, "2025-03-01") == (*march[:5], 0)
    assert _snapshot(env, "2025-04-01")[2:] == (*new_totals, 0)
