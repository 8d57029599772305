"""A whole-Puskesmas import killed (SIGKILL) in the middle of writing leaves nothing half-written,
and a rerun completes; on the database the suite runs on (SQLite file, or a PostgreSQL database of
its own). The import runs as a user runs it: `manage.py import_eppgbm` in its own process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
SEED = '''
import datetime as dt, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from pathlib import Path
from django.core.management import call_command
call_command("migrate", verbosity=0)
from apps.regions.services import load_regions
load_regions(prefixes=("17",))
from apps.demo.services import build_demo_area, ensure_demo_users
build_demo_area("17.71.02", per_village=3)
ensure_demo_users()
from apps.posyandu.models import Posyandu
from apps.imports.tests.eppgbm_export import rows_of, synthetic_children, write_export
places = list(Posyandu.objects.filter(district_code="17.71.02").order_by("pk"))
children = synthetic_children(places, 15, [dt.date(2025, 8, 12), dt.date(2025, 9, 12)])
write_export(Path(sys.argv[1]), rows_of(children), "2025")
print(len(places), len(children))
'''
COUNT = '''
import os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from apps.people.models import Person
from apps.serviceday.models import Visit
print(Person.objects.filter(name__startswith="ANAK ").count(), Visit.objects.filter(person__name__startswith="ANAK ").count(),
      Person.objects.filter(name__startswith="IBU ").count())
'''


@pytest.fixture
def own_database(tmp_path):
    """Environment for subprocesses with a database nobody else uses."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "MEDIA_ROOT": str(tmp_path / "media")}
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        base = settings.DATABASES["default"]
        name = f"kill_{uuid.uuid4().hex[:10]}"
        dsn = f"host={base['HOST'] or '127.0.0.1'} port={base['PORT'] or 5432} user={base['USER']} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"
        yield env
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        env["DATABASE_URL"] = ""
        env["SQLITE_PATH"] = str(tmp_path / "kill.sqlite3")
        yield env


def _python(code: str, *args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def _import(path: Path, env: dict, kill_at: str | None = None) -> tuple[int, list[str]]:
    process = subprocess.Popen([sys.executable, "manage.py", "import_eppgbm", str(path), "--user", "kec.gadingcempaka"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip())
        if kill_at and line.startswith("Menulis " + kill_at):
            os.kill(process.pid, signal.SIGKILL)  # in the middle of the write transaction
            break
    process.wait(timeout=600)
    return process.returncode, lines


def test_a_killed_import_leaves_nothing_and_a_rerun_completes(tmp_path, own_database):
    export = tmp_path / "puskesmas.xlsx"
    places, children = map(int, _python(SEED, str(export), env=own_database).split())
    assert places >= 6
    assert _python(COUNT, env=own_database) == "0 0 0"

    code, lines = _import(export, own_database, kill_at=f"{places // 2}/")
    assert code == -signal.SIGKILL, lines[-5:]
    assert any(line.startswith("Menulis 1/") for line in lines)  # earlier parts were written, uncommitted
    assert _python(COUNT, env=own_database) == "0 0 0"  # nothing half-written

    code, lines = _import(export, own_database)
    assert code == 0, lines[-10:]
    assert _python(COUNT, env=own_database) == f"{children} {children * 2} {children}"
    code, lines = _import(export, own_database)  # and once more: nothing new
    assert code == 0 and _python(COUNT, env=own_database) == f"{children} {children * 2} {children}"
