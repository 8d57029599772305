"""manage.py import_eppgbm FILE --user USERNAME [--dry-run] [--map KEY=ID ...] [--skip-unmapped]

A whole Puskesmas's e-PPGBM export in one run, as the upload page does it: groups proposed from the
file's desa and Posyandu names (and mappings confirmed before), then one all-or-nothing import.
Without the page there is nobody to confirm a close match, so only exact names and earlier
confirmations map themselves; the others are listed with their keys, for --map KEY=POSYANDU_ID
(or --skip-unmapped).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import User
from apps.imports import services


class Command(BaseCommand):
    help = "Impor ekspor e-PPGBM satu Puskesmas/kecamatan (banyak Posyandu) dalam satu transaksi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="nama pengguna yang mengimpor (lingkup impornya berlaku)")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")
        parser.add_argument("--map", action="append", default=[], metavar="KUNCI=ID",
                            help="Posyandu tujuan sebuah kelompok (kunci seperti dicetak), atau KUNCI=skip")
        parser.add_argument("--skip-unmapped", action="store_true", help="lewati kelompok yang belum terpetakan")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"pengguna {options['user']!r} tidak ditemukan atau tidak aktif")
        path = Path(options["file"])
        try:
            upload = SimpleUploadedFile(path.name, path.read_bytes())
        except OSError as exc:
            raise CommandError(f"berkas tidak dapat dibaca: {exc}") from exc
        try:
            run = services.start_run(upload, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        choices: dict[str, str] = {}
        for group in run.groups:
            if group["status"] in ("alias", "exact"):
                choices[group["key"]] = str(group["proposal"])
        for item in options["map"]:
            key, _, value = item.rpartition("=")
            choices[key] = value
        unmapped = [g for g in run.groups if g["key"] not in choices]
        for group in run.groups:
            target = choices.get(group["key"], "-")
            self.stdout.write(f"  {group['village'] or '?'} / {group['posyandu'] or '?'} ({group['rows']} baris): "
                              f"{group['status_text']} -> {target}   [kunci: {group['key']}]")
        if unmapped and not options["skip_unmapped"]:
            raise CommandError(f"{len(unmapped)} kelompok belum terpetakan; beri --map KUNCI=ID_POSYANDU, "
                               "KUNCI=skip, atau --skip-unmapped")
        for group in unmapped:
            choices[group["key"]] = services.SKIP

        def progress(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()
            sys.stdout.flush()

        try:
            result = services.run_import(run, choices, user, dry_run=options["dry_run"], progress=progress)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        for line in result.summary_lines():
            self.stdout.write(line)
        timing = ", ".join(f"{k} {v:.2f} s" for k, v in result.seconds.items())
        self.stdout.write(f"Waktu: {timing}")
        if result.errors:
            raise CommandError(f"impor dibatalkan: {len(result.errors)} kesalahan (impor #{run.pk})")
