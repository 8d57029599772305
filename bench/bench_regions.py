"""Benchmark: loading all 91,599 Kemendagri regions.

Baseline, measured in the same run: inserting the same rows one by one with Model.save() inside
one transaction, the way a naive loader would. Target: the real loader under 10 s on SQLite.
Usage: .venv/bin/python bench/bench_regions.py   (DATABASE_URL picks the database; default SQLite
in a temporary file, never the app's own database).
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
tmp = tempfile.mkdtemp(prefix="bench-regions-")
os.environ.setdefault("SQLITE_PATH", f"{tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from apps.regions.models import Region  # noqa: E402
from apps.regions.services import load_regions, read_rows  # noqa: E402

BASELINE_ROWS = 10_000  # the naive loader is timed on a slice and scaled per row


def main() -> None:
    call_command("migrate", verbosity=0)
    Region.objects.all().delete()
    print(f"database: {connection.vendor}")

    started = time.perf_counter()
    result = load_regions()
    fresh = time.perf_counter() - started
    started = time.perf_counter()
    load_regions()
    again = time.perf_counter() - started
    total = result.created
    print(f"load_regions (bulk, fresh):   {total:,} rows in {fresh:.2f} s = {total / fresh:,.0f} rows/s")
    print(f"load_regions (idempotent rerun): {again:.2f} s")

    Region.objects.all().delete()
    rows = []
    for i, row in enumerate(read_rows()):
        if i >= BASELINE_ROWS:
            break
        rows.append(row)
    started = time.perf_counter()
    with transaction.atomic():
        for code, name in rows:
            Region(code=code, name=name, valid_from="2025-01-01").save()
    naive = time.perf_counter() - started
    naive_rate = len(rows) / naive
    print(f"baseline (save() per row, {len(rows):,} rows): {naive_rate:,.0f} rows/s "
          f"→ {total / naive_rate:.1f} s projected for {total:,}")
    print(f"ratio: bulk loader is {(total / fresh) / naive_rate:.1f}× the per-row baseline; "
          f"target < 10 s: {'met' if fresh < 10 else 'MISSED'} ({fresh:.2f} s)")


if __name__ == "__main__":
    main()
