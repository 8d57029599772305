from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Cadangkan basis data (PostgreSQL: pg_dump; SQLite: backup daring) dan berkas unggahan ke satu "
            "arsip .tar, dengan jumlah baris tiap tabel dan checksum data orang dan kunjungan.")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--keluar", default=str(Path(settings.BASE_DIR) / "var" / "backups"),
                            help="Folder tujuan arsip (bawaan var/backups)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            archive, manifest = create_backup(Path(options["keluar"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"{len(manifest['tables'])} tabel, {rows} baris, {len(manifest['media'])} berkas unggahan.")
        self.stdout.write(str(archive))
