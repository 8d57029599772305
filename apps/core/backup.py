"""Backup and restore of the whole system: the database and the uploaded files (MEDIA_ROOT) in
one tar archive, with a manifest of what it holds so a restore can prove it got it all back.

    manifest.json     engine, time, row count of every table, checksums of people and visits
    database.dump     PostgreSQL: pg_dump's custom format (restored by pg_restore)
    database.sqlite3  SQLite: a copy made with SQLite's online backup API (a consistent copy
                      while the server keeps writing)
    media/...         the uploaded files

On PostgreSQL the counts and checksums are read in the very snapshot pg_dump dumps (a
repeatable-read transaction exports it, pg_dump --snapshot uses it), on SQLite from the copy, so
they describe exactly what the archive holds even while users keep saving. docs/operations.md
says how to run it."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
# The tables whose every value the checksum covers: the people served and their visits.
CHECKSUM_TABLES = {"people": "people_person", "visits": "serviceday_visit"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Indonesian)."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Basis data {vendor} tidak didukung; hanya PostgreSQL dan SQLite.")
    return vendor


# --- What a database holds ---------------------------------------------------------------------

def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def _checksum(cursor: Any, table: str) -> str:
    """SHA-256 over every row in id order, each value as text (the same engine reads the same
    types back, so a faithful restore gives the same digest)."""
    digest = hashlib.sha256()
    cursor.execute(f'SELECT * FROM "{table}" ORDER BY id')
    while rows := cursor.fetchmany(5000):
        for row in rows:
            digest.update(repr(tuple(None if v is None else str(v) for v in row)).encode())
    return digest.hexdigest()


def summary(cursor: Any, vendor: str) -> dict[str, Any]:
    """Row count of every table and the checksums of people and visits."""
    tables = _tables(cursor, vendor)
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return {"tables": counts,
            "checksums": {name: _checksum(cursor, table) for name, table in CHECKSUM_TABLES.items() if table in counts}}


def current_summary() -> dict[str, Any]:
    """The summary of the configured database, read as the backup reads it."""
    if engine() == "sqlite":
        # A plain connection, without the type converters Django's connection installs, so the
        # values come out as the backup's copy gives them.
        plain = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            return summary(plain.cursor(), "sqlite")
        finally:
            plain.close()
    with connection.cursor() as cursor:
        return summary(cursor, "postgresql")


# --- Backup ------------------------------------------------------------------------------------

def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-d", db["NAME"]]
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"Program {command[0]} tidak ditemukan (pasang paket postgresql-client versi server).")
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} gagal: {done.stderr.strip()[-2000:]}")


def _dump_postgresql(target: Path) -> dict[str, Any]:
    args, env = _pg_args()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # pg_dump reads the snapshot this transaction holds open; the summary reads it too.
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              "-f", str(target), *args], env)
        return summary(cursor, "postgresql")


def _dump_sqlite(target: Path) -> dict[str, Any]:
    connection.ensure_connection()
    source = connection.connection  # Django's own sqlite3 connection to the live file
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # online backup: pages copied step by step, restarted if written meanwhile
        return summary(copy.cursor(), "sqlite")
    finally:
        copy.close()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def create_backup(directory: Path, *, now: dt.datetime | None = None) -> tuple[Path, dict[str, Any]]:
    """Write `posyandu-<engine>-<time>.tar` into `directory`; returns its path and manifest."""
    vendor = engine()
    now = now or dt.datetime.now(dt.UTC)
    directory.mkdir(parents=True, exist_ok=True)
    archive = directory / f"posyandu-{vendor}-{now:%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        dump = Path(work) / (PG_DUMP if vendor == "postgresql" else SQLITE_COPY)
        content = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        root = Path(settings.MEDIA_ROOT)
        media = _media_files()
        manifest = {"format": FORMAT, "engine": vendor, "created_at": now.isoformat(), **content,
                    "media": {str(p.relative_to(root)): p.stat().st_size for p in media}}
        partial = archive.with_suffix(".tar.part")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for path in media:
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(root)}")
        partial.rename(archive)  # a half-written archive never carries the final name
    return archive, manifest


# --- Restore -----------------------------------------------------------------------------------

def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive) as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} bukan arsip cadangan yang terbaca ({exc}).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format arsip {manifest.get('format')} tidak dikenal.")
    return manifest


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not _tables(cursor, engine())


def restore_backup(archive: Path, *, replace: bool = False) -> dict[str, Any]:
    """Put the archive's database and files back; returns the restored summary, which must equal
    the manifest's (else BackupError)."""
    manifest = read_manifest(archive)
    vendor = engine()
    if manifest["engine"] != vendor:
        raise BackupError(f"Arsip ini cadangan {manifest['engine']}, sedangkan basis data sekarang {vendor}.")
    if not replace and not database_is_empty():
        raise BackupError("Basis data tujuan tidak kosong. Pulihkan ke basis data baru, atau pakai --ganti "
                          "untuk menimpa isinya.")
    with tempfile.TemporaryDirectory() as work:
        with tarfile.open(archive) as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths, '..' and links out of `work`
        connection.close()
        if vendor == "postgresql":
            args, env = _pg_args()
            if replace:
                with connection.cursor() as cursor:  # everything, tables not in the archive too
                    cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                connection.close()
            _run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                  *args, str(Path(work) / PG_DUMP)], env)
        else:
            source = sqlite3.connect(Path(work) / SQLITE_COPY)
            target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            try:
                source.backup(target)  # replaces every page of the target: nothing of the old remains
            finally:
                source.close()
                target.close()
        _restore_media(Path(work) / MEDIA, replace=replace)
    restored = current_summary()
    if restored["tables"] != manifest["tables"] or restored["checksums"] != manifest["checksums"]:
        differ = sorted(t for t in set(restored["tables"]) | set(manifest["tables"])
                        if restored["tables"].get(t) != manifest["tables"].get(t))
        raise BackupError(f"Hasil pemulihan tidak sama dengan isi arsip (tabel: {', '.join(differ) or '-'}; "
                          f"checksum: {restored['checksums'] == manifest['checksums']}).")
    root = Path(settings.MEDIA_ROOT)
    missing = [name for name, size in manifest["media"].items()
               if not (root / name).is_file() or (root / name).stat().st_size != size]
    if missing:
        raise BackupError(f"Berkas unggahan tidak kembali utuh: {', '.join(missing[:10])}.")
    return restored


def _restore_media(source: Path, *, replace: bool) -> None:
    root = Path(settings.MEDIA_ROOT)
    if replace and root.is_dir():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, root, dirs_exist_ok=True)
