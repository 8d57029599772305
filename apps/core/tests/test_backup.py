"""`manage.py backup` and `manage.py restore`, each in its own process as an operator runs them,
on the engine the suite runs on (a SQLite file, or PostgreSQL databases of the test's own): a
backup restored into a fresh database has the same row count in every table and the same
checksums of people and visits, the uploaded files come back byte for byte, the restored
database is at the same migration, and a restore will not overwrite a database with data unless
told to."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
IS_PG = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

SEED = '''
import datetime as dt, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
call_command("migrate", verbosity=0)
from apps.regions.services import load_regions
load_regions(prefixes=("17",))
from apps.demo.services import build_demo_area
build_demo_area("17.71.02", per_village=1)
from apps.people.models import Person
from apps.posyandu.models import Posyandu
from apps.serviceday.models import ServiceSession, Visit
place = Posyandu.objects.select_related("village").order_by("pk").first()
session = ServiceSession.objects.create(posyandu=place, date=dt.date(2026, 3, 10))
for n in range(20):
    child = Person.objects.create(name=f"Anak Cadangan {n}", nik=f"17710241032{n:05d}", sex="LP"[n % 2],
                                  birth_date=dt.date(2024, 1 + n % 12, 1 + n), region=place.village, posyandu=place)
    Visit.objects.create(session=session, posyandu=place, person=child, visit_date=session.date, stage="balita",
                         weight_kg="10.25", height_cm="80.5", position="l", kms_status="N", zwei=-0.52)
default_storage.save("pustaka/panduan kader.pdf", ContentFile(b"%PDF-1.4 panduan" + bytes(range(256))))
default_storage.save("tindak-lanjut/2026/03/bukti.jpg", ContentFile(b"\\xff\\xd8 foto"))
'''
SUMMARY = '''
import json, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from apps.core.backup import current_summary
print(json.dumps(current_summary(), sort_keys=True))
'''
CHANGE = '''
import os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from apps.serviceday.models import Visit
Visit.objects.filter(person__name="Anak Cadangan 3").update(weight_kg="99.99")
Visit.objects.filter(person__name="Anak Cadangan 4").delete()
'''


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[Any]:
    """make(label) → the environment of a fresh, empty database and media folder of this test's own."""
    made: list[str] = []
    base = settings.DATABASES["default"]
    host, port, user = base.get("HOST") or "127.0.0.1", base.get("PORT") or 5432, base.get("USER") or "postgres"
    dsn = f"host={host} port={port} user={user} dbname=postgres"

    def make(label: str) -> dict[str, str]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": "test-only",
               "DJANGO_SECURE_HTTPS": "0", "MEDIA_ROOT": str(tmp_path / label / "media")}
        if IS_PG:
            import psycopg

            name = f"backup_{label}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            made.append(name)
            env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{name}"
        else:
            env["DATABASE_URL"] = ""
            env["SQLITE_PATH"] = str(tmp_path / label / "db.sqlite3")
        (tmp_path / label).mkdir(exist_ok=True)
        return env

    yield make
    if made:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as conn:
            for name in made:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def summary(env: dict[str, str]) -> dict[str, Any]:
    return json.loads(run(env, "-c", SUMMARY).stdout.strip().splitlines()[-1])


def media(env: dict[str, str]) -> dict[str, bytes]:
    root = Path(env["MEDIA_ROOT"])
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_backup_restored_into_a_fresh_database_has_every_row_and_file(databases, tmp_path):
    source = databases("asal")
    run(source, "-c", SEED)
    done = run(source, "manage.py", "backup", "--keluar", str(tmp_path / "arsip"))
    archive = Path(done.stdout.strip().splitlines()[-1])
    assert archive.parent == tmp_path / "arsip" and archive.suffix == ".tar"
    expected = summary(source)
    assert expected["tables"]["serviceday_visit"] == 20 and expected["tables"]["people_person"] > 20
    assert expected["tables"]["regions_region"] > 1000 and expected["tables"]["django_migrations"] > 50
    assert set(expected["checksums"]) == {"people", "visits"}

    fresh = databases("baru")
    done = run(fresh, "manage.py", "restore", str(archive))
    assert "checksum" in done.stdout
    assert summary(fresh) == expected  # every table's count, people's and visits' checksums
    assert media(fresh) == media(source) and len(media(source)) == 2
    assert run(fresh, "manage.py", "migrate", "--check").returncode == 0  # same schema, nothing to apply

    refused = run(fresh, "manage.py", "restore", str(archive), ok=False)
    assert refused.returncode != 0 and "tidak kosong" in refused.stderr

    run(fresh, "-c", CHANGE)
    changed = summary(fresh)
    assert changed["checksums"]["visits"] != expected["checksums"]["visits"]
    assert changed["tables"]["serviceday_visit"] == 19
    (Path(fresh["MEDIA_ROOT"]) / "sisa.txt").write_text("bukan dari arsip")
    run(fresh, "manage.py", "restore", str(archive), "--ganti")
    assert summary(fresh) == expected and media(fresh) == media(source)


def test_a_restore_refuses_an_archive_of_the_other_engine_and_a_file_that_is_not_one(databases, tmp_path):
    import tarfile

    env = databases("lain")
    other = "sqlite" if IS_PG else "postgresql"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "engine": other, "tables": {}, "checksums": {}, "media": {}}))
    archive = tmp_path / "lain.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(manifest, arcname="manifest.json")
    refused = run(env, "manage.py", "restore", str(archive), ok=False)
    assert refused.returncode != 0 and f"cadangan {other}" in refused.stderr
    junk = tmp_path / "bukan.tar"
    junk.write_bytes(b"bukan arsip")
    refused = run(env, "manage.py", "restore", str(junk), ok=False)
    assert refused.returncode != 0 and "bukan arsip cadangan" in refused.stderr
