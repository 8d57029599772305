from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Pulihkan arsip dari `manage.py backup` ke basis data yang dikonfigurasi (DATABASE_URL) dan "
            "MEDIA_ROOT, lalu periksa jumlah baris tiap tabel dan checksum terhadap isi arsip.")

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("arsip", help="Berkas .tar hasil manage.py backup")
        parser.add_argument("--ganti", action="store_true",
                            help="Timpa basis data dan berkas unggahan yang sudah berisi (bawaan: hanya ke yang kosong)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            restored = restore_backup(Path(options["arsip"]), replace=options["ganti"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(restored["tables"].values())
        self.stdout.write(f"Dipulihkan: {len(restored['tables'])} tabel, {rows} baris; jumlah baris dan checksum "
                          "orang dan kunjungan sama dengan isi arsip.")
