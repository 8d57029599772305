"""manage.py import_measurements --posyandu ID --user USERNAME FILE [--dry-run]

Imports people and past measurements (CSV or XLSX, e-PPGBM exports included) into one Posyandu,
all or nothing, as the named user (whose write scope must cover the Posyandu).
"""
from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.posyandu.models import Posyandu
from apps.serviceday.imports import import_measurements


class Command(BaseCommand):
    help = "Impor data orang dan hasil penimbangan/pengukuran dari berkas CSV atau XLSX ke satu Posyandu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV atau XLSX (mis. unduhan e-PPGBM)")
        parser.add_argument("--posyandu", type=int, required=True, help="ID Posyandu tujuan")
        parser.add_argument("--user", required=True, help="nama pengguna yang melakukan impor")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            posyandu = Posyandu.objects.select_related("village").get(pk=options["posyandu"])
        except Posyandu.DoesNotExist as exc:
            raise CommandError(f"Posyandu dengan ID {options['posyandu']} tidak ditemukan.") from exc
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"Pengguna {options['user']!r} tidak ditemukan.") from exc
        started = time.perf_counter()
        try:
            result = import_measurements(posyandu=posyandu, source=options["file"], acting_user=user,
                                         dry_run=options["dry_run"])
        except PermissionDenied as exc:
            raise CommandError(f"{exc} ({user.username} → {posyandu})") from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Posyandu: {posyandu} ({posyandu.region_code}); berkas: {result.filename}")
        for line in result.summary_lines():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError("Impor dibatalkan; perbaiki baris di atas lalu ulangi.")
        self.stdout.write(self.style.SUCCESS(f"Waktu: {elapsed:.1f} detik".replace(".", ",")))
